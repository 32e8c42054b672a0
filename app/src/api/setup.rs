//! Server functions of "Microsoft 365 koppelen" (issue 19): the pages' data (any signed-in
//! user) and one per step's form (`beheerder`). The page has no island: every form is a
//! plain post answered with a 303 to the setup's page, a refusal named in the query with
//! what was typed, so nothing is lost.

use leptos::prelude::*;

use rules::setup::{SetupStart, SetupView};

#[cfg(feature = "ssr")]
use {
    super::request::{app_state, clock, is_plain_form_post, require_role, see_other, unexpected},
    backend::flows::setup::{self as flow, Answer, SetupError},
    rules::access::{encode_query_value, Role},
    rules::setup::{setup_path, SETUP_PATH},
};

#[cfg(feature = "ssr")]
const DATABASE_UNAVAILABLE: &str = "database unavailable";

/// What was typed longer than this is not carried back in the URL.
#[cfg(feature = "ssr")]
const MAX_CARRIED: usize = 4000;

/// The page the form's answer goes to: the setup at its step, or back with the refusal
/// and what was typed (`field=value`).
#[cfg(feature = "ssr")]
fn go(
    result: Result<Answer, SetupError>,
    what: &str,
    typed: Option<(&str, &str)>,
) -> Result<String, ServerFnError> {
    let answer = result.map_err(|error| unexpected(what, &error, DATABASE_UNAVAILABLE))?;
    let location = match answer {
        Answer::Setup(id) => format!("{}#stap", setup_path(id)),
        Answer::Refused(id, refused) => {
            let base = id.map_or_else(|| SETUP_PATH.to_string(), setup_path);
            let typed = typed
                .filter(|(_, value)| value.len() <= MAX_CARRIED)
                .map(|(name, value)| format!("&{name}={}", encode_query_value(value)))
                .unwrap_or_default();
            format!("{base}?{}{typed}#stap", refused.to_query())
        }
    };
    if is_plain_form_post() {
        see_other(&location);
    }
    Ok(location)
}

/// The start page: unfinished setups to resume.
#[server(endpoint = "get_setup_start")]
pub async fn get_setup_start() -> Result<SetupStart, ServerFnError> {
    let actor = require_role(Role::Lezer)?;
    let state = app_state()?;
    let can_change = actor.role.allows(Role::Beheerder);
    flow::start_page(&state, clock(&state), crate::request_lang(), can_change)
        .await
        .map_err(|error| unexpected("listing setups", &error, DATABASE_UNAVAILABLE))
}

/// One setup as its page shows it; None when it does not exist.
#[server(endpoint = "get_setup")]
pub async fn get_setup(id: i32) -> Result<Option<SetupView>, ServerFnError> {
    let actor = require_role(Role::Lezer)?;
    let state = app_state()?;
    let view = flow::view(&state, id, clock(&state), crate::request_lang())
        .await
        .map_err(|error| unexpected("loading a setup", &error, DATABASE_UNAVAILABLE))?;
    Ok(view.map(|view| SetupView {
        can_change: actor.role.allows(Role::Beheerder),
        ..view
    }))
}

/// Step 1 "Controleren": a new setup for `tenant_id`, or (with `id`) the corrected tenant of
/// one whose tenant was not found.
#[server(endpoint = "setup_tenant")]
pub async fn setup_tenant(
    #[server(default)] id: Option<i32>,
    #[server(default)] tenant_id: String,
) -> Result<String, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    let state = app_state()?;
    let now = chrono::Utc::now();
    let result = match id {
        None => flow::start(&state, &actor, &tenant_id, now).await,
        Some(id) => flow::retry_tenant(&state, id, &tenant_id, now).await,
    };
    go(result, "starting a setup", Some(("tenant", &tenant_id)))
}

/// Step 2 "Controleren": the app exists in the tenant.
#[server(endpoint = "setup_app")]
pub async fn setup_app(
    id: i32,
    #[server(default)] client_id: String,
) -> Result<String, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let result = flow::check_app(&state, id, &client_id, chrono::Utc::now()).await;
    go(
        result,
        "checking a setup's app",
        Some(("client_id", &client_id)),
    )
}

/// Step 4 "Controleren": admin consent shows in a new token's roles.
#[server(endpoint = "setup_consent")]
pub async fn setup_consent(id: i32) -> Result<String, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let result = flow::check_consent(&state, id, chrono::Utc::now()).await;
    go(result, "checking a setup's consent", None)
}

/// Step 4 "Overslaan": access through Exchange RBAC only.
#[server(endpoint = "setup_skip_consent")]
pub async fn setup_skip_consent(id: i32) -> Result<String, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let result = flow::skip_consent(&state, id, chrono::Utc::now()).await;
    go(result, "skipping a setup's consent", None)
}

/// Step 5 "Controleren": each address reachable, and only those.
#[server(endpoint = "setup_scope")]
pub async fn setup_scope(
    id: i32,
    #[server(default)] addresses: String,
) -> Result<String, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let result = flow::check_scope(&state, id, &addresses, chrono::Utc::now()).await;
    go(
        result,
        "checking a setup's scope",
        Some(("adressen", &addresses)),
    )
}

/// Step 6 "Mailboxen toevoegen".
#[server(endpoint = "setup_mailboxes")]
pub async fn setup_mailboxes(id: i32) -> Result<String, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    let state = app_state()?;
    let result = flow::add_mailboxes(&state, &actor, id).await;
    go(result, "adding a setup's mailboxes", None)
}
