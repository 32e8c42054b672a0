//! The counts an operator watches, named once. The use cases call these at their edges (one
//! line each); where they go is the `metrics` facade's business: nowhere until the server
//! installs a recorder (its Prometheus endpoint, `METRICS_ADDR`). Labels take only a few
//! known values each (outcomes, Microsoft's AADSTS numbers), never an id or an address.

use std::time::Duration;

use crate::connect::Outcome;

/// A connection attempt (sign-in, refresh, admin consent, preflight, mail sync) ended;
/// `error_codes` as stored, Microsoft's `error_codes` comma separated.
pub fn connection_attempt_finished(outcome: Outcome, error_codes: Option<&str>) {
    let aadsts = error_codes
        .and_then(|codes| {
            codes
                .split(',')
                .map(str::trim)
                .find(|code| !code.is_empty())
        })
        .filter(|code| code.len() <= 10 && code.bytes().all(|byte| byte.is_ascii_digit()))
        .map_or_else(|| "none".to_string(), |code| format!("AADSTS{code}"));
    metrics::counter!(
        "mailboxen_connection_attempts_total",
        "outcome" => outcome.as_str(),
        "aadsts" => aadsts
    )
    .increment(1);
}

/// A refresh of a mailbox's tokens at the token endpoint ended.
pub fn token_refreshed<T, E>(result: &Result<T, E>) {
    metrics::counter!("mailboxen_token_refreshes_total", "outcome" => outcome(result)).increment(1);
}

/// A mail sync of one mailbox ended, after `took`, having stored `new_messages` (0 when it
/// failed; what it stored before failing is kept and counted on its next success).
pub fn mail_sync_finished<E>(result: &Result<crate::mail::SyncReport, E>, took: Duration) {
    metrics::counter!("mailboxen_mail_syncs_total", "outcome" => outcome(result)).increment(1);
    metrics::histogram!("mailboxen_mail_sync_duration_seconds").record(took.as_secs_f64());
    if let Ok(report) = result {
        metrics::counter!("mailboxen_mail_messages_stored_total")
            .increment(report.new_messages as u64);
    }
}

/// A `sendMail` ended.
pub fn mail_sent<T, E>(result: &Result<T, E>) {
    metrics::counter!("mailboxen_mail_sends_total", "outcome" => outcome(result)).increment(1);
}

fn outcome<T, E>(result: &Result<T, E>) -> &'static str {
    if result.is_ok() {
        "success"
    } else {
        "failure"
    }
}
