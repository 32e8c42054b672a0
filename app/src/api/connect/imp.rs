//! The server side of the connect server functions.

use chrono::Utc;
use leptos::prelude::*;

use crate::connection::{AttemptProblem, ConnectPrompt, StartOutcome, StartProblem, TestOutcome};
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
            back_with(id, Some(StartProblem::Failed));
            let message = ConnectMsg::StartFailed.text(Lang::default());
            return Err(ServerFnError::ServerError(message.to_string()));
        }
    };
    match &outcome {
        StartOutcome::Redirect { url } if crate::api::mailbox_form::is_plain_form_post() => {
            see_other(url)
        }
        StartOutcome::Redirect { .. } => {}
        StartOutcome::NotConfigured => back_with(id, Some(StartProblem::NotConfigured)),
        // The mailbox page shows the stored preflight and "toch doorgaan".
        StartOutcome::NotFound | StartOutcome::PreflightFailed { .. } => back_with(id, None),
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
            back_with(id, Some(StartProblem::Failed));
            let message = ConnectMsg::StartFailed.text(Lang::default());
            return Err(ServerFnError::ServerError(message.to_string()));
        }
    };
    let problem = (outcome == TestOutcome::NotConfigured).then_some(StartProblem::NotConfigured);
    back_with(id, problem);
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

/// Sends a browser that posted a connection button's form back to the mailbox page, where
/// the stored attempt (or `problem`) shows what happened. Nothing for other callers.
fn back_with(id: i32, problem: Option<StartProblem>) {
    if !crate::api::mailbox_form::is_plain_form_post() {
        return;
    }
    let path = MailboxTarget::Existing(id).path();
    match problem {
        Some(problem) => see_other(&format!(
            "{path}?{}={}",
            StartProblem::PARAM,
            problem.param()
        )),
        None => see_other(&path),
    }
}

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
