//! When to retry a Graph request, and after how long (docs/microsoft.md §6): 429 and 503 honour
//! `Retry-After`; other transient failures back off exponentially with jitter; attempts are
//! bounded; a request that may have reached Graph is repeated only when repeating it is
//! harmless. The one policy of every Graph call (fetching mail, sending it, the preflight);
//! callers differ only in its bounds. Pure: the client supplies the jitter and the clock,
//! and does the waiting.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How a failed request may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transience {
    /// 429, or 503 with `Retry-After`: wait what Graph asks (or back off without a value).
    Throttled { retry_after: Option<Duration> },
    /// 5xx, a connect error, a timeout: back off exponentially.
    Transient,
    /// Anything else: retrying would only repeat the answer.
    Permanent,
}

/// The limits of retrying one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (`MAIL_RETRY_MAX_ATTEMPTS` for fetching).
    pub max_attempts: u32,
    /// The first back-off.
    pub base_delay: Duration,
    /// The longest back-off.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: a sync fails and the next one
    /// (at the interval) tries again; a send reports the wait to the admin.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The wait before the next attempt after attempt number `attempt` (1-based) failed
    /// this way; None: give up. `jitter` is in `[0, 1]`.
    pub fn next_wait(&self, attempt: u32, failure: Transience, jitter: f64) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        match failure {
            Transience::Permanent => None,
            Transience::Throttled {
                retry_after: Some(wait),
            } => (wait <= self.max_retry_after).then_some(wait),
            Transience::Throttled { retry_after: None } | Transience::Transient => {
                Some(self.backoff(attempt, jitter))
            }
        }
    }

    /// `base · 2^(attempt-1)`, capped, then scaled to 50–100 % by the jitter so that
    /// instances that failed together do not retry together.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// How a Graph status may be retried (401 is handled before: one refresh, one retry).
pub fn classify_status(status: u16, retry_after: Option<Duration>) -> Transience {
    match status {
        429 => Transience::Throttled { retry_after },
        503 if retry_after.is_some() => Transience::Throttled { retry_after },
        408 | 500 | 502 | 503 | 504 => Transience::Transient,
        _ => Transience::Permanent,
    }
}

/// How a request that got no answer may be retried. One that never left (connection
/// refused, DNS) may always be sent again. One that may have reached Graph only when sending
/// it twice does no more than once (a GET, setting `isRead`): a repeated `sendMail` could
/// send the mail twice.
pub fn classify_unanswered(may_have_arrived: bool, idempotent: bool) -> Transience {
    if may_have_arrived && !idempotent {
        Transience::Permanent
    } else {
        Transience::Transient
    }
}

/// `Retry-After`: seconds, or an HTTP date (then the time left after `now`).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// A number in `[0, 1]` from the system's randomness.
pub fn jitter() -> f64 {
    let bits = uuid::Uuid::new_v4().as_u128() as u64;
    bits as f64 / u64::MAX as f64
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use chrono::TimeZone;

    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }

    #[test]
    fn retry_after_is_honoured_and_bounded() {
        let throttled = Transience::Throttled {
            retry_after: Some(Duration::from_secs(7)),
        };
        assert_eq!(
            policy().next_wait(1, throttled, 0.3),
            Some(Duration::from_secs(7))
        );
        let too_long = Transience::Throttled {
            retry_after: Some(Duration::from_secs(600)),
        };
        assert_eq!(policy().next_wait(1, too_long, 0.3), None);
        assert_eq!(
            policy().next_wait(4, throttled, 0.3),
            None,
            "attempts bounded"
        );
    }

    #[test]
    fn transient_failures_back_off_exponentially_with_jitter() {
        let p = policy();
        assert_eq!(p.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(p.backoff(2, 1.0), Duration::from_secs(2));
        assert_eq!(p.backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(p.backoff(4, 1.0), Duration::from_secs(5), "capped");
        assert_eq!(p.backoff(2, 0.0), Duration::from_secs(1), "half at least");
        assert_eq!(p.backoff(40, 1.0), Duration::from_secs(5));
        assert_eq!(p.next_wait(1, Transience::Permanent, 0.5), None);
        assert!(p.next_wait(3, Transience::Transient, 0.5).is_some());
        assert_eq!(p.next_wait(4, Transience::Transient, 0.5), None);
        let j = jitter();
        assert!((0.0..=1.0).contains(&j));
    }

    #[test]
    fn statuses_are_classified() {
        let wait = Some(Duration::from_secs(3));
        assert_eq!(
            classify_status(429, wait),
            Transience::Throttled { retry_after: wait }
        );
        assert_eq!(
            classify_status(503, wait),
            Transience::Throttled { retry_after: wait }
        );
        assert_eq!(classify_status(503, None), Transience::Transient);
        assert_eq!(classify_status(502, None), Transience::Transient);
        assert_eq!(classify_status(403, None), Transience::Permanent);
        assert_eq!(classify_status(404, None), Transience::Permanent);
    }

    #[test]
    fn only_harmless_requests_are_repeated_after_no_answer() {
        assert_eq!(classify_unanswered(false, false), Transience::Transient);
        assert_eq!(classify_unanswered(true, true), Transience::Transient);
        assert_eq!(classify_unanswered(true, false), Transience::Permanent);
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 10, 0, 0).unwrap();
        assert_eq!(
            parse_retry_after(" 12 ", now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            parse_retry_after("Fri, 02 Jan 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Fri, 02 Jan 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
