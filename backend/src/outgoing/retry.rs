//! Which failed `sendMail` may be sent again. The waiting itself follows the one Graph
//! policy ([`crate::graph_retry`]); what differs for sending is a request that got
//! no answer: Graph may have sent the mail, so repeating it could send it twice.

use std::time::Duration;

use crate::graph_retry::{classify_status, RetryPolicy, Transience};

/// The bounds for sending: an admin waits for "Stuur testmail", so shorter than a sync's.
pub fn sending_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(8),
        max_retry_after: Duration::from_secs(30),
    }
}

/// How a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Graph answered with this status.
    Status(u16),
    /// The request never left (connection refused, DNS): safe to repeat.
    NotSent,
    /// Sent, but no answer in time: never repeated.
    NoAnswer,
}

/// How `failure` may be retried (with `retry_after` when Graph sent one).
pub fn transience(failure: Failure, retry_after: Option<Duration>) -> Transience {
    match failure {
        Failure::Status(status) => classify_status(status, retry_after),
        Failure::NotSent => Transience::Transient,
        Failure::NoAnswer => Transience::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_without_answer_is_never_repeated() {
        let policy = sending_policy();
        assert_eq!(
            policy.next_wait(1, transience(Failure::NoAnswer, None), 0.5),
            None
        );
        assert!(policy
            .next_wait(1, transience(Failure::NotSent, None), 0.5)
            .is_some());
    }

    #[test]
    fn throttling_waits_what_graph_asks_up_to_half_a_minute() {
        let policy = sending_policy();
        let wait = |seconds| {
            let failure = transience(Failure::Status(429), Some(Duration::from_secs(seconds)));
            policy.next_wait(1, failure, 0.5)
        };
        assert_eq!(wait(3), Some(Duration::from_secs(3)));
        assert_eq!(wait(600), None, "the admin is told the wait instead");
        for status in [400, 401, 403, 404, 413] {
            let failure = transience(Failure::Status(status), None);
            assert_eq!(policy.next_wait(1, failure, 0.5), None, "{status}");
        }
    }
}
