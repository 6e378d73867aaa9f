//! Times for people: UTC timestamps and "in 59 min" / "expired 2 h ago".

use zoho_oauth::clock::UtcTime;

/// Epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn utc(epoch_ms: i64) -> String {
    let t = UtcTime::from_epoch_ms(epoch_ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// "in 59 min" / "expired 2 h ago".
pub fn relative(remaining_ms: i64) -> String {
    let span = |ms: i64| {
        let s = ms / 1000;
        match s {
            0..=119 => format!("{s} s"),
            120..=7199 => format!("{} min", s / 60),
            7200..=172_799 => format!("{} h", s / 3600),
            _ => format!("{} days", s / 86_400),
        }
    };
    if remaining_ms > 0 {
        format!("in {}", span(remaining_ms))
    } else {
        format!("expired {} ago", span(-remaining_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_and_relative() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_795_316_346_330), "2026-11-22T02:59:06Z");
        assert_eq!(utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(relative(3_540_000), "in 59 min");
        assert_eq!(relative(-7_200_000), "expired 2 h ago");
        assert_eq!(relative(30_000), "in 30 s");
    }
}
