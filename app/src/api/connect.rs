//! Server functions that send the browser to Microsoft: "Verbinden", "Account opnieuw
//! kiezen", "Forceer reconnect" and "Beheerderstoestemming geven". The page's form post is
//! answered with a 303 to Microsoft; another caller gets the URL in the outcome.

use leptos::prelude::*;

use crate::connection::{AttemptProblem, ConnectPrompt, StartOutcome, TestOutcome};

/// Starts a sign-in for mailbox `id` with `prompt` (default `select_account`). The app
/// registration is tested first; a failure stops it unless `force` ("toch doorgaan").
#[server(endpoint = "start_microsoft_login")]
pub async fn start_microsoft_login(
    id: i32,
    #[server(default)] prompt: ConnectPrompt,
    #[server(default)] force: bool,
) -> Result<StartOutcome, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    let what = imp::Start::SignIn(prompt);
    imp::start(&state, id, what, force, Some(actor.user_id)).await
}

/// Starts Microsoft's admin consent for the app registration of mailbox `id`, after the
/// same test (only a tenant, app or redirect URI problem stops it).
#[server(endpoint = "grant_admin_consent")]
pub async fn grant_admin_consent(
    id: i32,
    #[server(default)] force: bool,
) -> Result<StartOutcome, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    let what = imp::Start::AdminConsent;
    imp::start(&state, id, what, force, Some(actor.user_id)).await
}

/// "Test app-registratie" for mailbox `id`: four checks against Microsoft, stored.
#[server(endpoint = "test_app_registration")]
pub async fn test_app_registration(id: i32) -> Result<TestOutcome, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    imp::test(&state, id, Some(actor.user_id)).await
}

/// Every attempt of mailbox `id` (connect, refresh, preflight, admin consent, refused
/// callbacks), newest first.
#[server(endpoint = "list_connection_history")]
pub async fn list_connection_history(id: i32) -> Result<Vec<AttemptProblem>, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    imp::history(&state, id).await
}

#[cfg(feature = "ssr")]
pub(crate) mod imp;
