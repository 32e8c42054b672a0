//! Server functions that send the browser to Microsoft: "Verbinden", "Account opnieuw
//! kiezen", "Forceer reconnect" and "Beheerderstoestemming geven". The page's form post is
//! answered with a 303 to Microsoft; another caller gets the URL in the outcome.

use leptos::prelude::*;

use rules::connection::{AttemptProblem, ConnectPrompt, StartOutcome, TestOutcome};

#[cfg(feature = "ssr")]
use {
    super::request::{app_state, is_plain_form_post, require_role, see_other, unexpected},
    backend::flows::connect::{self as flow, Start},
    rules::access::Role,
    rules::connection::StartProblem,
    rules::i18n::{ConnectMsg, Lang},
    rules::mailbox_form::MailboxTarget,
};

/// Starts a sign-in for mailbox `id` with `prompt` (default `select_account`). The app
/// registration is tested first; a failure stops it unless `force` ("toch doorgaan").
#[server(endpoint = "start_microsoft_login")]
pub async fn start_microsoft_login(
    id: i32,
    #[server(default)] prompt: ConnectPrompt,
    #[server(default)] force: bool,
) -> Result<StartOutcome, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    start(id, Start::SignIn(prompt), force, actor.user_id).await
}

/// Starts Microsoft's admin consent for the app registration of mailbox `id`, after the
/// same test (only a tenant, app or redirect URI problem stops it).
#[server(endpoint = "grant_admin_consent")]
pub async fn grant_admin_consent(
    id: i32,
    #[server(default)] force: bool,
) -> Result<StartOutcome, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    start(id, Start::AdminConsent, force, actor.user_id).await
}

/// "Test app-registratie" for mailbox `id`: four checks against Microsoft, stored.
#[server(endpoint = "test_app_registration")]
pub async fn test_app_registration(id: i32) -> Result<TestOutcome, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = flow::test(&state, id, Some(actor.user_id))
        .await
        .map_err(|error| {
            back_with(id, Some(StartProblem::Failed));
            let message = ConnectMsg::StartFailed.text(Lang::default());
            unexpected("testing the app registration", &error, message)
        })?;
    let problem = (outcome == TestOutcome::NotConfigured).then_some(StartProblem::NotConfigured);
    back_with(id, problem);
    Ok(outcome)
}

/// Switches mailbox `id` to `method` (`app_only`: without password; `delegated`: signing in
/// as the mailbox) in one step, keeping its history and mail; audited (issue 18).
#[server(endpoint = "switch_connection_method")]
pub async fn switch_connection_method(id: i32, method: String) -> Result<bool, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    let state = app_state()?;
    let method = rules::passwordless::ConnectionMethod::parse(&method);
    let switched = flow::switch_method(&state, &actor, id, method)
        .await
        .map_err(|error| {
            back_with(id, Some(StartProblem::Failed));
            let message = ConnectMsg::StartFailed.text(Lang::default());
            unexpected("switching the connection method", &error, message)
        })?;
    back_with(id, (!switched).then_some(StartProblem::NotConfigured));
    Ok(switched)
}

/// Every attempt of mailbox `id` (connect, refresh, preflight, admin consent, refused
/// callbacks), newest first.
#[server(endpoint = "list_connection_history")]
pub async fn list_connection_history(id: i32) -> Result<Vec<AttemptProblem>, ServerFnError> {
    require_role(Role::Lezer)?;
    let state = app_state()?;
    flow::history(&state, id).await.map_err(|error| {
        unexpected(
            "listing the connection history",
            &error,
            "database unavailable",
        )
    })
}

#[cfg(feature = "ssr")]
async fn start(
    id: i32,
    what: Start,
    force: bool,
    user_id: i32,
) -> Result<StartOutcome, ServerFnError> {
    let state = app_state()?;
    let outcome = flow::start(&state, id, what, force, Some(user_id))
        .await
        .map_err(|error| {
            back_with(id, Some(StartProblem::Failed));
            let message = ConnectMsg::StartFailed.text(Lang::default());
            unexpected("starting the Microsoft sign-in", &error, message)
        })?;
    match &outcome {
        StartOutcome::Redirect { url } if is_plain_form_post() => see_other(url),
        StartOutcome::Redirect { .. } => {}
        StartOutcome::NotConfigured => back_with(id, Some(StartProblem::NotConfigured)),
        // The mailbox page shows the stored preflight and "toch doorgaan".
        StartOutcome::NotFound | StartOutcome::PreflightFailed { .. } => back_with(id, None),
    }
    Ok(outcome)
}

/// Sends a browser that posted a connection button's form back to the mailbox page, where
/// the stored attempt (or `problem`) shows what happened. Nothing for other callers.
#[cfg(feature = "ssr")]
fn back_with(id: i32, problem: Option<StartProblem>) {
    if !is_plain_form_post() {
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
