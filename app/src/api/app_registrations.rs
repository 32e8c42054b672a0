//! Server functions of the app registrations page (issue 19): the list (any signed-in
//! user) and the actions on a registration's credentials (`beheerder`). Without JavaScript
//! each action's form post is answered with a 303 back to the page, the outcome in the
//! query (`RegistrationAnswer::to_query`). A secret's value is never logged or sent back.

use leptos::prelude::*;

use rules::app_registrations::answer::RegistrationAnswer;
use rules::app_registrations::RegistrationsData;

#[cfg(feature = "ssr")]
use {
    super::request::{app_state, clock, is_plain_form_post, require_role, see_other, unexpected},
    backend::flows::{app_credentials as actions, app_registrations as flow},
    rules::access::Role,
    rules::app_registrations::REGISTRATIONS_PATH,
};

#[cfg(feature = "ssr")]
const DATABASE_UNAVAILABLE: &str = "database unavailable";

/// Without JavaScript: back to the page at `anchor`, with the outcome.
#[cfg(feature = "ssr")]
fn answer(outcome: RegistrationAnswer, anchor: &str) -> RegistrationAnswer {
    answer_to(outcome, anchor, "")
}

/// As [`answer`], or back to `back_to` when the form was on a guided setup's page (step 3)
/// or a mailbox's page (its secret's end date).
#[cfg(feature = "ssr")]
fn answer_to(outcome: RegistrationAnswer, anchor: &str, back_to: &str) -> RegistrationAnswer {
    if is_plain_form_post() {
        let query = outcome.to_query();
        let location = match rules::app_registrations::answer::return_path(back_to) {
            Some(setup) if rules::setup::setup_return(setup).is_some() => {
                format!("{setup}?{query}#stap")
            }
            Some(mailbox) => format!("{mailbox}?{query}#app-registratie"),
            None => format!("{REGISTRATIONS_PATH}?{query}#{anchor}"),
        };
        see_other(&location);
    }
    outcome
}

#[cfg(feature = "ssr")]
fn failed(what: &str, error: &dyn std::fmt::Display) -> ServerFnError {
    unexpected(what, error, DATABASE_UNAVAILABLE)
}

/// Every app registration with its credentials (never their values) and mailboxes.
#[server(endpoint = "list_app_registrations")]
pub async fn list_app_registrations() -> Result<RegistrationsData, ServerFnError> {
    let actor = require_role(Role::Lezer)?;
    let state = app_state()?;
    let registrations = flow::list(&state.db, clock(&state), crate::request_lang())
        .await
        .map_err(|error| failed("listing app registrations", &error))?;
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
    #[server(default)] terug: String,
) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = flow::set_expiry(&state.db, id, &expires_on, clock(&state))
        .await
        .map_err(|error| failed("saving an expiry date", &error))?;
    Ok(answer_to(outcome, &format!("credential-{id}"), &terug))
}

/// "Geheim toevoegen": a new secret beside the current one, checked with Microsoft.
#[server(endpoint = "add_app_secret")]
pub async fn add_app_secret(
    registration_id: i32,
    #[server(default)] value: String,
    #[server(default)] expires_on: String,
    #[server(default)] terug: String,
) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = actions::add_secret(&state, registration_id, &value, &expires_on, clock(&state))
        .await
        .map_err(|error| failed("adding a client secret", &error))?;
    Ok(answer_to(
        outcome,
        &format!("registratie-{registration_id}"),
        &terug,
    ))
}

/// "Certificaat maken": a key pair and a certificate to upload in Azure.
#[server(endpoint = "make_app_certificate")]
pub async fn make_app_certificate(
    registration_id: i32,
    #[server(default)] terug: String,
) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = actions::add_certificate(&state, registration_id)
        .await
        .map_err(|error| failed("making a certificate", &error))?;
    Ok(answer_to(
        outcome,
        &format!("registratie-{registration_id}"),
        &terug,
    ))
}

/// "Controleren": a token request with credential `id`.
#[server(endpoint = "check_app_credential")]
pub async fn check_app_credential(
    id: i32,
    #[server(default)] terug: String,
) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = actions::verify(&state, id)
        .await
        .map_err(|error| failed("checking a credential", &error))?;
    Ok(answer_to(outcome, &format!("credential-{id}"), &terug))
}

/// "In gebruik nemen": every mailbox of the registration uses credential `id`.
#[server(endpoint = "use_app_credential")]
pub async fn use_app_credential(id: i32) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = actions::take_into_use(&state, id)
        .await
        .map_err(|error| failed("taking a credential into use", &error))?;
    Ok(answer(outcome, &format!("credential-{id}")))
}

/// "Verwijderen" of a credential no mailbox uses.
#[server(endpoint = "remove_app_credential")]
pub async fn remove_app_credential(id: i32) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = actions::remove(&state, id)
        .await
        .map_err(|error| failed("removing a credential", &error))?;
    Ok(answer(outcome, &format!("credential-{id}")))
}

/// "App-registratie verwijderen": only one no mailbox uses.
#[server(endpoint = "delete_app_registration")]
pub async fn delete_app_registration(id: i32) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = actions::delete_registration(&state, id)
        .await
        .map_err(|error| failed("deleting an app registration", &error))?;
    Ok(answer(outcome, &format!("registratie-{id}")))
}

/// "Naam opslaan": a name for registration `id`, refused when another admin changed it
/// since the page was loaded (`version`). Without JavaScript a refused name comes back in
/// the query, so the page shows it again and nothing typed is lost.
#[server(endpoint = "rename_app_registration")]
pub async fn rename_app_registration(
    id: i32,
    #[server(default)] version: i32,
    #[server(default)] display_name: String,
) -> Result<RegistrationAnswer, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = actions::rename(&state, id, version, &display_name)
        .await
        .map_err(|error| failed("renaming an app registration", &error))?;
    if is_plain_form_post() && !outcome.succeeded() {
        see_other(&format!(
            "{REGISTRATIONS_PATH}?{}&registratie={id}&naam={}#registratie-{id}",
            outcome.to_query(),
            rules::access::encode_query_value(&display_name)
        ));
        return Ok(outcome);
    }
    Ok(answer(outcome, &format!("registratie-{id}")))
}
