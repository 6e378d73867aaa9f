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

mod judged {
    use std::time::Duration;

    use super::super::health::{State, assess};
    use super::super::metrics::{escape_label, render};
    use super::super::survey::{StoreStatus, Survey, UserStatus};
    use super::super::{History, LockState};
    use crate::error::ErrorKind;

    fn user(change: impl FnOnce(&mut UserStatus)) -> UserStatus {
        let mut u = UserStatus {
            user: "ada@example.com".into(),
            expiry_time_ms: 0,
            access_remaining_ms: 3_000_000,
            has_refresh_token: true,
            accounts_url: None,
            scope: None,
            history: History::default(),
            refreshes_in_window: 1,
            lock: LockState::Free,
            unreadable: None,
        };
        change(&mut u);
        u
    }

    fn survey(users: Vec<UserStatus>, error: Option<ErrorKind>) -> Survey {
        Survey {
            store: StoreStatus {
                describe: "memory".into(),
                reachable: error.is_none(),
                round_trip: Duration::from_millis(2),
                error: error.map(|k| (k, "down".to_string())),
            },
            users,
            now_ms: 0,
        }
    }

    fn state(users: Vec<UserStatus>) -> State {
        assess(&survey(users, None), None, 300_000).state
    }

    #[test]
    fn each_state_follows_from_the_survey() {
        assert_eq!(state(vec![user(|_| {})]), State::Ok);
        assert_eq!(state(vec![]), State::Unknown);
        let missing = assess(&survey(vec![], None), Some("bob"), 0);
        assert_eq!(missing.state, State::Critical);
        let down = assess(&survey(vec![], Some(ErrorKind::StoreUnavailable)), None, 0);
        assert_eq!(down.state, State::Critical);
        assert!(
            down.line("").contains("store_unavailable"),
            "{}",
            down.line("")
        );
        assert_eq!(
            state(vec![user(|u| u.has_refresh_token = false)]),
            State::Critical
        );
        let refused = user(|u| u.history.failed(1, ErrorKind::InvalidCode));
        assert_eq!(state(vec![refused]), State::Critical);
        let once = |ttl| {
            user(move |u| {
                u.history.failed(1, ErrorKind::Timeout);
                u.access_remaining_ms = ttl;
            })
        };
        assert_eq!(state(vec![once(3_000_000)]), State::Ok);
        assert_eq!(state(vec![once(100_000)]), State::Warning);
        let thrice = user(|u| (0..3).for_each(|i| u.history.failed(i, ErrorKind::Timeout)));
        assert_eq!(state(vec![thrice]), State::Critical);
        assert_eq!(
            state(vec![user(|u| u.refreshes_in_window = 8)]),
            State::Warning
        );
        assert_eq!(
            state(vec![
                user(|u| u.refreshes_in_window = 9),
                user(|u| u.has_refresh_token = false)
            ]),
            State::Critical,
            "the worst wins"
        );
    }

    /// A user whose tokens cannot be read is critical by name, the store stays readable, and
    /// the metrics give that user only the readable flag (no made-up expiry).
    #[test]
    fn a_user_whose_tokens_cannot_be_read_is_critical_and_has_no_made_up_figures() {
        let sealed = user(|u| {
            u.user = "bob@example.com".into();
            u.has_refresh_token = false;
            u.access_remaining_ms = 0;
            u.unreadable = Some((
                ErrorKind::ConfigMissing,
                "sealed with the key 1a2b3c4d".into(),
            ));
        });
        let seen = survey(vec![user(|_| {}), sealed], None);
        let verdict = assess(&seen, None, 300_000);
        assert_eq!(verdict.state, State::Critical);
        let line = verdict.line("");
        assert!(
            line.contains("bob@example.com's stored tokens cannot be read (config_missing)"),
            "{line}"
        );
        assert!(!line.contains("no refresh token"), "{line}");
        assert!(
            line.contains("access_ttl=3000s"),
            "the readable user's: {line}"
        );
        let text = render(&seen, true);
        assert!(
            text.contains("zoho_oauth_tokens_readable{user=\"bob@example.com\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("zoho_oauth_tokens_readable{user=\"ada@example.com\"} 1"),
            "{text}"
        );
        assert!(
            !text.contains("zoho_oauth_access_token_expiry_seconds{user=\"bob@example.com\"}"),
            "{text}"
        );
        let plain = render(&seen, false);
        assert!(
            plain.contains("\nzoho_oauth_tokens_readable 0\n"),
            "{plain}"
        );
        assert!(
            plain.contains("\nzoho_oauth_access_token_expiry_seconds 3000\n"),
            "the least of the readable: {plain}"
        );
    }

    #[test]
    fn a_line_has_no_pipe_or_newline_but_the_perfdata_separator() {
        let mut u = user(|u| u.has_refresh_token = false);
        u.user = "a|b\nc".into();
        let line = assess(&survey(vec![u], None), None, 0).line("");
        assert_eq!(line.matches('|').count(), 1, "{line}");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn labels_are_escaped_and_users_can_be_left_out() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        let text = render(&survey(vec![user(|u| u.user = "x\"y".into())], None), true);
        assert!(
            text.contains("zoho_oauth_refreshes_total{user=\"x\\\"y\"} 0"),
            "{text}"
        );
        let plain = render(&survey(vec![user(|_| {}), user(|_| {})], None), false);
        assert!(!plain.contains("user="), "{plain}");
        assert!(plain.contains("\nzoho_oauth_lock_held 0\n"), "{plain}");
    }
}
