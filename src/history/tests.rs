use super::*;
use crate::store::MemoryStore;

fn refresh(at_ms: i64) -> Refresh {
    Refresh {
        at_ms,
        duration_ms: 120,
        host: "web-1".into(),
        pid: 42,
    }
}

#[test]
fn refreshes_are_counted_in_the_window_and_bounded() {
    let mut h = History::default();
    for i in 0..40 {
        h.refreshed(refresh(1_000_000 + i * 1_000));
    }
    assert_eq!(h.recent_refreshes_ms.len(), MAX_RECENT);
    assert_eq!(h.refreshes_total, 40);
    let now = 1_000_000 + 39 * 1_000;
    assert_eq!(h.refreshes_in_window(now), MAX_RECENT);
    assert_eq!(h.refreshes_in_window(now + CAP_WINDOW_MS), 0);
    h.refreshed(refresh(now + CAP_WINDOW_MS + 1));
    assert_eq!(h.recent_refreshes_ms, [now + CAP_WINDOW_MS + 1]);
}

#[test]
fn failures_streak_until_a_refresh_or_a_consent() {
    let mut h = History::default();
    h.failed(1, ErrorKind::InvalidCode);
    h.failed(2, ErrorKind::InvalidCode);
    h.failed(3, ErrorKind::Timeout);
    assert_eq!(h.consecutive_failures, 3);
    assert_eq!(h.last_error(), Some(ErrorKind::Timeout));
    assert_eq!(h.failures_total["invalid_code"], 2);
    h.refreshed(refresh(4));
    assert_eq!(h.consecutive_failures, 0);
    h.failed(5, ErrorKind::InvalidCode);
    h.issued(6);
    assert_eq!((h.consecutive_failures, h.last_error()), (0, None));
    assert_eq!(h.refresh_token_issued_ms, Some(6));
}

#[test]
fn encoding_round_trips_and_stays_bounded() {
    let mut h = History::default();
    for kind in ErrorKind::ALL {
        h.failed(1, *kind);
    }
    for i in 0..100 {
        h.refreshed(Refresh {
            host: "h".repeat(500),
            ..refresh(i64::MAX - 100 + i)
        });
    }
    let text = h.encode().expect("bounded");
    assert!(text.len() <= MAX_ENCODED_LEN, "{}", text.len());
    let back = History::decode(&text).expect("decodes");
    assert_eq!(
        back.last_refresh_host.as_deref().map(str::len),
        Some(MAX_HOST_LEN)
    );
    assert_eq!(back.failures_total.len(), ErrorKind::ALL.len());
}

#[test]
fn hostile_records_are_cleaned_or_ignored() {
    let hostile = r#"{"last_refresh_host":"evil\u001b[31mhost name","last_error_kind":"1000/eyJhbGciOi","failures_total":{"abc.refresh.token":5,"timeout":1},"recent_refreshes_ms":[1,2,3]}"#;
    let h = History::decode(hostile).expect("a record");
    assert_eq!(h.last_refresh_host.as_deref(), Some("evil?[31mhost?name"));
    assert_eq!(h.last_error_kind, None, "an unknown kind is dropped");
    assert_eq!(h.failures_total.keys().collect::<Vec<_>>(), ["timeout"]);
    assert_eq!(History::decode("not json"), None);
    assert_eq!(History::decode("[1,2]"), None);
    let long = format!(
        r#"{{"refreshes_total":1,"x":"{}"}}"#,
        "a".repeat(MAX_ENCODED_LEN)
    );
    assert_eq!(History::decode(&long), None, "too long");
}

#[test]
fn update_reads_changes_and_writes_through_the_store() {
    let store = MemoryStore::new();
    update(&store, "u", |h| h.refreshed(refresh(10))).expect("written");
    update(&store, "u", |h| h.failed(11, ErrorKind::Connect)).expect("written");
    let h = read(&store, "u").expect("read");
    assert_eq!((h.refreshes_total, h.consecutive_failures), (1, 1));
    assert_eq!(h.last_refresh_host.as_deref(), Some("web-1"));
    assert_eq!(read(&store, "other").expect("read"), History::default());
}
