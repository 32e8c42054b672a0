//! The connection as the mailbox page shows it: tokens, "opnieuw verbinden nodig", and the
//! latest attempt when it did not succeed (or never came back).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use super::app_only;
use super::attempt::Outcome;
use super::attempts_store;
use super::tokens_store;
use crate::entities::{
    connection_attempt as attempt, mail_sync_state as sync_state,
    mailbox_microsoft_settings as settings,
};
use crate::preflight::{latest_preflight, report_of};
use rules::advice::{advise, Facts};
use rules::connection::{AttemptProblem, ConnectionView, NOT_RETURNED, NOT_RETURNED_YET};
use rules::diagnostics::PENDING;
use rules::passwordless::{AppPermission, ConnectionMethod, MethodReason};
use rules::preflight::{Check, PreflightReport, Verdict};

/// Outcome code shown for a sign-in that was started but never came back in time.
pub const ABANDONED: &str = NOT_RETURNED;

/// Loads the view of mailbox `mailbox_id` at `now`.
pub async fn connection_view(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    now: DateTime<Utc>,
) -> Result<ConnectionView, DbErr> {
    let stored = settings::Entity::find_by_id(mailbox_id).one(db).await?;
    let latest = attempts_store::latest_for_status(db, mailbox_id).await?;
    let last_problem = latest.and_then(|row| problem_seen_on_return(row, now));
    let preflight = latest_preflight(db, mailbox_id, now).await?;
    let method_reason = MethodReason::parse(
        stored
            .as_ref()
            .and_then(|s| s.connection_method_reason.as_deref()),
    );
    if stored.as_ref().map(app_only::method_of) == Some(ConnectionMethod::AppOnly) {
        let view = app_only_view(db, mailbox_id, last_problem, preflight).await?;
        return Ok(ConnectionView {
            method_reason,
            ..view
        });
    }
    let tokens = tokens_store::load(db, mailbox_id).await?;
    let reconnect_needed = stored.is_some_and(|settings| settings.reconnect_needed);
    Ok(ConnectionView {
        connected: tokens.is_some() && !reconnect_needed,
        reconnect_needed: tokens.is_some() && reconnect_needed,
        signed_in_upn: tokens.as_ref().and_then(|t| t.signed_in_upn.clone()),
        connected_at: tokens.as_ref().map(|t| t.connected_at.to_rfc3339()),
        last_problem,
        preflight,
        redirect_uri: String::new(),
        method: ConnectionMethod::Delegated,
        method_reason,
        permission: None,
    })
}

/// A mailbox connected without its password: connected since its first successful sync
/// (nothing is stored to lose), with the permission the latest test found in use.
async fn app_only_view(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    last_problem: Option<AttemptProblem>,
    preflight: Option<PreflightReport>,
) -> Result<ConnectionView, DbErr> {
    let fetched_at = sync_state::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .and_then(|row| row.last_success_at);
    let permission = preflight.as_ref().and_then(|report| {
        let scope = report.results.iter().find(|r| r.check == Check::Scope)?;
        match scope.verdict {
            Verdict::Warning => Some(AppPermission::TenantWide(
                scope.detail.clone().unwrap_or_default(),
            )),
            Verdict::Passed => Some(AppPermission::Scoped),
            _ => None,
        }
    });
    Ok(ConnectionView {
        connected: fetched_at.is_some(),
        reconnect_needed: false,
        signed_in_upn: None,
        connected_at: fetched_at.map(|at| at.to_rfc3339()),
        last_problem,
        preflight,
        redirect_uri: String::new(),
        method: ConnectionMethod::AppOnly,
        method_reason: MethodReason::Chosen,
        permission,
    })
}

/// Whether the mailbox has no tokens, or needs a reconnect; never for a mailbox connected
/// without its password (nobody signs in for it).
pub async fn needs_connection(db: &impl ConnectionTrait, mailbox_id: i32) -> Result<bool, DbErr> {
    let stored = settings::Entity::find_by_id(mailbox_id).one(db).await?;
    if stored.as_ref().map(app_only::method_of) == Some(ConnectionMethod::AppOnly) {
        return Ok(false);
    }
    let reconnect_needed = stored.is_some_and(|settings| settings.reconnect_needed);
    Ok(reconnect_needed || tokens_store::load(db, mailbox_id).await?.is_none())
}

/// The attempt as a problem; None when it succeeded or is still under way.
pub fn problem_of(row: attempt::Model, now: DateTime<Utc>) -> Option<AttemptProblem> {
    problem(row, now, false)
}

/// As [`problem_of`], for the admin back on the mailbox page: a sign-in still pending there
/// did not come back (the callback would have completed it), even within its 10 minutes.
pub fn problem_seen_on_return(row: attempt::Model, now: DateTime<Utc>) -> Option<AttemptProblem> {
    problem(row, now, true)
}

fn problem(row: attempt::Model, now: DateTime<Utc>, came_back: bool) -> Option<AttemptProblem> {
    match displayed_outcome(&row, now, came_back) {
        Some(outcome) if outcome != Outcome::Success.as_str() => Some(entry(row, outcome, now)),
        _ => None,
    }
}

/// One line of the history: every attempt, succeeded, failed or under way.
pub fn history_entry(row: attempt::Model, now: DateTime<Utc>) -> AttemptProblem {
    let outcome = displayed_outcome(&row, now, false).unwrap_or_else(|| PENDING.to_string());
    entry(row, outcome, now)
}

fn entry(row: attempt::Model, outcome: String, now: DateTime<Utc>) -> AttemptProblem {
    let aadsts = first_code(row.error_codes.as_deref());
    let advice = match report_of(&row, now) {
        // A preflight's advice was chosen when it ran (it knows more, e.g. a Secret ID).
        Some(report) => report.first_failure().and_then(|failure| failure.advice),
        None if outcome == Outcome::Success.as_str() || outcome == PENDING => None,
        None => advise(Facts {
            aadsts,
            error: row.error.as_deref(),
            description: row.error_description.as_deref(),
            outcome: &outcome,
        }),
    };
    AttemptProblem {
        attempt_id: row.id,
        kind: row.kind,
        outcome,
        advice,
        at: row.created_at.to_rfc3339(),
        error: row.error,
        aadsts,
        error_description: row.error_description,
        trace_id: row.trace_id,
        correlation_id: row.correlation_id,
        timestamp: row.error_timestamp,
        signed_in_upn: row.signed_in_upn,
    }
}

/// The outcome as shown: a pending attempt past its 10 minutes did not come back; one
/// still within them is under way, unless the admin came back without a callback.
/// None: under way.
pub fn displayed_outcome(
    row: &attempt::Model,
    now: DateTime<Utc>,
    came_back: bool,
) -> Option<String> {
    let pending = row.outcome == Outcome::Pending.as_str();
    let redeeming = row.outcome == Outcome::Redeeming.as_str();
    match () {
        _ if (pending || redeeming) && now >= row.expires_at => Some(NOT_RETURNED.to_string()),
        _ if pending && came_back => Some(NOT_RETURNED_YET.to_string()),
        _ if pending || redeeming => None,
        _ => Some(row.outcome.clone()),
    }
}

/// The first AADSTS number of a stored `error_codes` list.
pub fn first_code(codes: Option<&str>) -> Option<u32> {
    codes?.split(',').next()?.trim().parse().ok()
}
