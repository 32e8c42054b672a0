//! The connection as the mailbox page shows it: tokens, "opnieuw verbinden nodig", and the
//! latest attempt when it did not succeed (or never came back).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use super::attempt::Outcome;
use super::attempts_store;
use super::tokens_store;
use crate::connection::{AttemptProblem, ConnectionView};
use crate::server::entities::{
    connection_attempt as attempt, mailbox_microsoft_settings as settings,
};

/// Outcome code shown for a sign-in that was started but never came back in time.
pub const ABANDONED: &str = "expired";

/// Loads the view of mailbox `mailbox_id` at `now`.
pub async fn connection_view(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    now: DateTime<Utc>,
) -> Result<ConnectionView, DbErr> {
    let tokens = tokens_store::load(db, mailbox_id).await?;
    let reconnect_needed = settings::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .is_some_and(|settings| settings.reconnect_needed);
    let latest = attempts_store::latest(db, mailbox_id).await?;
    Ok(ConnectionView {
        connected: tokens.is_some() && !reconnect_needed,
        reconnect_needed: tokens.is_some() && reconnect_needed,
        signed_in_upn: tokens.as_ref().and_then(|t| t.signed_in_upn.clone()),
        connected_at: tokens.as_ref().map(|t| t.connected_at.to_rfc3339()),
        last_problem: latest.and_then(|row| problem_of(row, now)),
    })
}

/// Whether the mailbox has no tokens, or needs a reconnect.
pub async fn needs_connection(db: &impl ConnectionTrait, mailbox_id: i32) -> Result<bool, DbErr> {
    let reconnect_needed = settings::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .is_some_and(|settings| settings.reconnect_needed);
    Ok(reconnect_needed || tokens_store::load(db, mailbox_id).await?.is_none())
}

/// The attempt as a problem; None when it succeeded or is still under way.
pub fn problem_of(row: attempt::Model, now: DateTime<Utc>) -> Option<AttemptProblem> {
    let pending =
        row.outcome == Outcome::Pending.as_str() || row.outcome == Outcome::Redeeming.as_str();
    let outcome = match () {
        _ if row.outcome == Outcome::Success.as_str() => return None,
        _ if pending && now < row.expires_at => return None,
        _ if pending => ABANDONED.to_string(),
        _ => row.outcome,
    };
    let aadsts = row
        .error_codes
        .as_deref()
        .and_then(|codes| codes.split(',').next())
        .and_then(|code| code.trim().parse().ok());
    Some(AttemptProblem {
        attempt_id: row.id,
        kind: row.kind,
        outcome,
        at: row.created_at.to_rfc3339(),
        error: row.error,
        aadsts,
        error_description: row.error_description,
        trace_id: row.trace_id,
        correlation_id: row.correlation_id,
        timestamp: row.error_timestamp,
        signed_in_upn: row.signed_in_upn,
    })
}
