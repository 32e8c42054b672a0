//! Server functions that send the browser to Microsoft: "Verbinden", "Account opnieuw
//! kiezen", "Forceer reconnect" and "Beheerderstoestemming geven". Without JavaScript the
//! form post is answered with a 303 to Microsoft; the hydrated page gets the URL and goes.

use leptos::prelude::*;

use crate::connection::{ConnectPrompt, StartOutcome};

/// Starts a sign-in for mailbox `id` with `prompt` (default `select_account`).
#[server(endpoint = "start_microsoft_login")]
pub async fn start_microsoft_login(
    id: i32,
    #[server(default)] prompt: ConnectPrompt,
) -> Result<StartOutcome, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    imp::start(&state, id, imp::Start::SignIn(prompt), Some(actor.user_id)).await
}

/// Starts Microsoft's admin consent for the app registration of mailbox `id`.
#[server(endpoint = "grant_admin_consent")]
pub async fn grant_admin_consent(id: i32) -> Result<StartOutcome, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    imp::start(&state, id, imp::Start::AdminConsent, Some(actor.user_id)).await
}

#[cfg(feature = "ssr")]
pub(crate) mod imp;
