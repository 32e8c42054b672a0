//! The fake's injectable clock: real time plus an offset that tests move forward (or set), so
//! codes, tokens and secrets expire without waiting.

use chrono::{DateTime, Duration, Utc};

/// Real UTC time shifted by an offset that the admin API and the library control.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    offset: Duration,
}

impl Clock {
    /// The fake's current time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    /// Moves the fake's time forward (or back, for a negative duration).
    pub fn advance(&mut self, by: Duration) {
        self.offset += by;
    }

    /// Makes the fake's current time equal `at` (time keeps running from there).
    pub fn set(&mut self, at: DateTime<Utc>) {
        self.offset = at - Utc::now();
    }

    /// Back to real time.
    pub fn reset(&mut self) {
        self.offset = Duration::zero();
    }

    /// How far the fake's time is ahead of real time.
    pub fn offset(&self) -> Duration {
        self.offset
    }
}

/// Graph's date-time format, e.g. `2026-01-02T10:11:12Z`.
pub fn graph_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The identity platform's timestamp format, e.g. `2026-01-02 10:11:12Z` (docs/microsoft.md §3).
pub fn aad_timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn advance_moves_now_forward() {
        let mut clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::minutes(11));
        assert!(clock.now() - before >= Duration::minutes(11));
        clock.reset();
        assert!(clock.now() - before < Duration::minutes(1));
    }

    #[test]
    fn set_pins_the_current_time() {
        let mut clock = Clock::default();
        let at = Utc
            .with_ymd_and_hms(2030, 5, 6, 7, 8, 9)
            .single()
            .unwrap_or_default();
        clock.set(at);
        assert!((clock.now() - at).num_seconds().abs() < 2);
    }

    #[test]
    fn formats_match_microsoft() {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 2, 10, 11, 12)
            .single()
            .unwrap_or_default();
        assert_eq!(graph_time(at), "2026-01-02T10:11:12Z");
        assert_eq!(aad_timestamp(at), "2026-01-02 10:11:12Z");
    }
}
