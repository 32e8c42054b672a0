//! The server side of the connect server functions.

use chrono::Utc;
use leptos::prelude::*;

use crate::connection::{AttemptProblem, ConnectPrompt, StartOutcome, TestOutcome};
use crate::i18n::{ConnectMsg, Lang};
use crate::mailbox_form::MailboxTarget;
use crate::preflight::Purpose;
use crate::server::connect::{start_admin_consent, start_connection, StartError};
use crate::server::preflight::run_preflight;
use crate::server::AppState;

/// What to start.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Start {
    SignIn(ConnectPrompt),
    AdminConsent,
}

pub(super) async fn start(
    state: &AppState,
    id: i32,
    what: Start,
    force: bool,
    started_by_user_id: Option<i32>,
) -> Result<StartOutcome, ServerFnError> {
    let outcome = match preflight_then_start(state, id, what, force, started_by_user_id).await {
        Ok(outcome) => outcome,
        Err(StartError::NotFound) => StartOutcome::NotFound,
        Err(StartError::NotConfigured) => StartOutcome::NotConfigured,
        Err(error) => {
            tracing::error!(mailbox_id = id, %error, "starting the Microsoft sign-in failed");
            let message = ConnectMsg::StartFailed.text(Lang::default());
            return Err(ServerFnError::ServerError(message.to_string()));
        }
    };
    if crate::api::mailbox_form::is_plain_form_post() {
        match &outcome {
            StartOutcome::Redirect { url } => see_other(url),
            // The mailbox page shows the stored preflight and "toch doorgaan".
            StartOutcome::NotConfigured
            | StartOutcome::NotFound
            | StartOutcome::PreflightFailed { .. } => {
                see_other(&MailboxTarget::Existing(id).path())
            }
        }
    }
    Ok(outcome)
}

/// Tests the app registration (unless `force`), then creates the attempt and its URL.
async fn preflight_then_start(
    state: &AppState,
    id: i32,
    what: Start,
    force: bool,
    started_by_user_id: Option<i32>,
) -> Result<StartOutcome, StartError> {
    let purpose = match what {
        Start::SignIn(_) => Purpose::Connect,
        Start::AdminConsent => Purpose::AdminConsent,
    };
    if !force {
        crate::server::connect::start::ensure_mailbox(state, id).await?;
        let report = run_preflight(state, id, started_by_user_id, Utc::now()).await?;
        if report.blocks(purpose) {
            return Ok(StartOutcome::PreflightFailed { report });
        }
    }
    let now = Utc::now();
    let url = match what {
        Start::SignIn(prompt) => {
            start_connection(state, id, prompt, started_by_user_id, now).await?
        }
        Start::AdminConsent => start_admin_consent(state, id, started_by_user_id, now).await?,
    };
    Ok(StartOutcome::Redirect { url })
}

pub(super) async fn test(
    state: &AppState,
    id: i32,
    started_by_user_id: Option<i32>,
) -> Result<TestOutcome, ServerFnError> {
    let result = match crate::server::connect::start::ensure_mailbox(state, id).await {
        Ok(()) => run_preflight(state, id, started_by_user_id, Utc::now()).await,
        Err(error) => Err(error),
    };
    let outcome = match result {
        Ok(report) => TestOutcome::Tested { report },
        Err(StartError::NotFound) => TestOutcome::NotFound,
        Err(StartError::NotConfigured) => TestOutcome::NotConfigured,
        Err(error) => {
            tracing::error!(mailbox_id = id, %error, "testing the app registration failed");
            let message = ConnectMsg::StartFailed.text(Lang::default());
            return Err(ServerFnError::ServerError(message.to_string()));
        }
    };
    if crate::api::mailbox_form::is_plain_form_post() {
        see_other(&MailboxTarget::Existing(id).path());
    }
    Ok(outcome)
}

pub(super) async fn history(
    state: &AppState,
    id: i32,
) -> Result<Vec<AttemptProblem>, ServerFnError> {
    use crate::server::connect::{attempts_store, status::history_entry};
    let now = Utc::now();
    match attempts_store::history(&state.db, id, HISTORY_LIMIT).await {
        Ok(rows) => Ok(rows
            .into_iter()
            .map(|row| history_entry(row, now))
            .collect()),
        Err(error) => {
            tracing::error!(mailbox_id = id, %error, "listing the connection history failed");
            Err(ServerFnError::ServerError(
                "database unavailable".to_string(),
            ))
        }
    }
}

/// The history shows the latest attempts; older ones stay in the database.
const HISTORY_LIMIT: u64 = 200;

/// Answers a plain form post with `303 See Other` to `location`.
pub(crate) fn see_other(location: &str) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(location) {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, value);
    }
}
