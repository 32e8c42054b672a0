//! When to try a `sendMail` again (MICROSOFT.md §6): 429 and 503 wait what `Retry-After`
//! says; other transient failures back off exponentially with jitter; everything bounded.
//! Pure: the caller supplies the jitter and does the waiting.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The bounds. [`Default`] is what the app uses; tests may shorten it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests in all, the first included (a 401's one retry with a new token not counted).
    pub max_attempts: u32,
    /// The first back-off; doubled per attempt.
    pub base_delay: Duration,
    /// The longest back-off.
    pub max_delay: Duration,
    /// A longer `Retry-After` is not waited for: the admin gets the wait time instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// How a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Graph answered with this status.
    Status(u16),
    /// The request never left (connection refused, DNS): safe to repeat.
    NotSent,
    /// Sent, but no answer in time: Graph may have sent the mail, so repeating it could
    /// send it twice.
    NoAnswer,
}

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    RetryAfter(Duration),
    GiveUp,
}

/// After `attempts` requests, the last failing with `failure` (and `retry_after` when Graph
/// sent one). `jitter` is uniform in `[0, 1)`.
pub fn after_failure(
    policy: &RetryPolicy,
    attempts: u32,
    failure: Failure,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Next {
    if attempts >= policy.max_attempts {
        return Next::GiveUp;
    }
    match failure {
        Failure::Status(429 | 503) => match retry_after {
            Some(wait) if wait > policy.max_retry_after => Next::GiveUp,
            Some(wait) => Next::RetryAfter(wait),
            None => Next::RetryAfter(backoff(policy, attempts, jitter)),
        },
        Failure::Status(500 | 502 | 504) | Failure::NotSent => {
            Next::RetryAfter(backoff(policy, attempts, jitter))
        }
        Failure::Status(_) | Failure::NoAnswer => Next::GiveUp,
    }
}

/// Exponential, capped, with "equal jitter": between half and all of the step, so retries
/// of many senders spread out but never fire at once.
fn backoff(policy: &RetryPolicy, attempts: u32, jitter: f64) -> Duration {
    let exponent = attempts.saturating_sub(1).min(16);
    let step = policy
        .base_delay
        .saturating_mul(1_u32 << exponent)
        .min(policy.max_delay);
    let jitter = jitter.clamp(0.0, 1.0);
    step / 2 + step.mul_f64(jitter / 2.0)
}

/// `Retry-After`: seconds, or an HTTP date (then relative to `now`).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// A jitter value from the operating system's generator.
pub fn jitter() -> f64 {
    use aes_gcm::aead::rand_core::RngCore;
    let bits = aes_gcm::aead::OsRng.next_u32();
    f64::from(bits) / (f64::from(u32::MAX) + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn throttling_waits_what_graph_asks() {
        let policy = RetryPolicy::default();
        let next = after_failure(&policy, 1, Failure::Status(429), Some(3 * SECOND), 0.5);
        assert_eq!(next, Next::RetryAfter(3 * SECOND));
        let next = after_failure(&policy, 1, Failure::Status(503), Some(2 * SECOND), 0.5);
        assert_eq!(next, Next::RetryAfter(2 * SECOND));
        let too_long = after_failure(&policy, 1, Failure::Status(429), Some(600 * SECOND), 0.5);
        assert_eq!(too_long, Next::GiveUp);
    }

    #[test]
    fn other_transient_failures_back_off_with_jitter() {
        let policy = RetryPolicy::default();
        let wait =
            |attempts, jitter| after_failure(&policy, attempts, Failure::Status(500), None, jitter);
        assert_eq!(wait(1, 0.0), Next::RetryAfter(Duration::from_millis(250)));
        match wait(1, 0.999) {
            Next::RetryAfter(d) => {
                assert!(d > Duration::from_millis(490) && d <= Duration::from_millis(500))
            }
            Next::GiveUp => panic!("a first 500 is retried"),
        }
        assert_eq!(wait(2, 0.0), Next::RetryAfter(Duration::from_millis(500)));
        assert_eq!(wait(3, 0.0), Next::RetryAfter(Duration::from_millis(1000)));
        assert_eq!(wait(4, 0.0), Next::GiveUp);
        let capped = RetryPolicy {
            max_attempts: 30,
            ..policy
        };
        assert_eq!(
            after_failure(&capped, 20, Failure::NotSent, None, 1.0),
            Next::RetryAfter(Duration::from_secs(8))
        );
    }

    #[test]
    fn what_is_not_transient_or_may_have_been_sent_is_not_repeated() {
        let policy = RetryPolicy::default();
        for failure in [
            Failure::Status(400),
            Failure::Status(401),
            Failure::Status(403),
            Failure::Status(404),
            Failure::NoAnswer,
        ] {
            assert_eq!(
                after_failure(&policy, 1, failure, None, 0.5),
                Next::GiveUp,
                "{failure:?}"
            );
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(parse_retry_after(" 7 ", now), Some(7 * SECOND));
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 10:00:30 GMT", now),
            Some(30 * SECOND)
        );
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("morgen", now), None);
    }

    #[test]
    fn jitter_stays_in_range() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }
}
