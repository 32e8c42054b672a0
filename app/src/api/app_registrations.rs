//! Server functions of the app registrations page (issue 19): the list (any signed-in
//! user) and an expiry date entered for a secret (`beheerder`). Without JavaScript the
//! date's form post is answered with a 303 back to the page, the outcome in the query.

use leptos::prelude::*;

use rules::app_registrations::{ExpiryAnswer, RegistrationsData};

#[cfg(feature = "ssr")]
use {
    super::request::{app_state, is_plain_form_post, require_role, see_other, unexpected},
    backend::flows::app_registrations as flow,
    rules::access::Role,
    rules::app_registrations::{EXPIRY_PARAM, REGISTRATIONS_PATH},
    rules::time::Clock,
};

#[cfg(feature = "ssr")]
const DATABASE_UNAVAILABLE: &str = "database unavailable";

#[cfg(feature = "ssr")]
fn clock(state: &backend::AppState) -> Clock {
    Clock {
        zone: state.time_zone,
        now: chrono::Utc::now(),
    }
}

/// Every app registration with its credentials (never their values) and mailboxes.
#[server(endpoint = "list_app_registrations")]
pub async fn list_app_registrations() -> Result<RegistrationsData, ServerFnError> {
    let actor = require_role(Role::Lezer)?;
    let state = app_state()?;
    let registrations = flow::list(&state.db, clock(&state), crate::request_lang())
        .await
        .map_err(|error| unexpected("listing app registrations", &error, DATABASE_UNAVAILABLE))?;
    Ok(RegistrationsData {
        registrations,
        can_change: actor.role.allows(Role::Beheerder),
    })
}

/// "Verloopdatum opslaan": credential `id` ends on `expires_on` (`2027-06-30`).
#[server(endpoint = "set_credential_expiry")]
pub async fn set_credential_expiry(
    id: i32,
    #[server(default)] expires_on: String,
) -> Result<ExpiryAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = flow::set_expiry(&state.db, id, &expires_on, clock(&state))
        .await
        .map_err(|error| unexpected("saving an expiry date", &error, DATABASE_UNAVAILABLE))?;
    let answer = match outcome {
        flow::ExpiryOutcome::Saved => ExpiryAnswer::Saved,
        flow::ExpiryOutcome::Refused(error) => ExpiryAnswer::Refused(error),
        flow::ExpiryOutcome::NotFound => ExpiryAnswer::NotFound,
    };
    if is_plain_form_post() {
        see_other(&format!(
            "{REGISTRATIONS_PATH}?{EXPIRY_PARAM}={}&credential={id}#credential-{id}",
            answer.to_query()
        ));
    }
    Ok(answer)
}
