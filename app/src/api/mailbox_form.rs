//! Server functions of the mailbox page. Without JavaScript the browser posts the form
//! here directly; these then answer with a redirect to the page (see [`after_plain_post`]).

use leptos::prelude::*;

use crate::mailbox_form::{DeleteOutcome, MailboxFormData, SaveOutcome};
use crate::validation::MailboxForm;

/// The page data for `/instellingen/mailboxen/{segment}`; None when there is no such
/// mailbox. `attempt` is the token of a failed save without JavaScript.
#[server(endpoint = "get_mailbox_form")]
pub async fn get_mailbox_form(
    segment: String,
    #[server(default)] attempt: Option<String>,
) -> Result<Option<MailboxFormData>, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    imp::form_data(&state, &actor, &segment, attempt.as_deref())
        .await
        .map_err(|error| imp::unexpected("loading mailbox form", &error))
}

/// Validates and stores the form: a new mailbox when `id` is absent, else an update that
/// only succeeds at `version`.
#[server(endpoint = "save_mailbox")]
pub async fn save_mailbox(
    #[server(default)] id: Option<i32>,
    #[server(default)] version: i32,
    #[server(flatten)] form: MailboxForm,
) -> Result<SaveOutcome, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    let outcome = match imp::save(&state, &actor, id, version, &form).await {
        Ok(outcome) => outcome,
        Err(error) => {
            if imp::is_plain_form_post() {
                imp::after_failed_plain_post(&state, id, version, form);
            }
            return Err(imp::unexpected("saving mailbox", &error));
        }
    };
    if imp::is_plain_form_post() {
        imp::after_plain_post(&state, id, version, form, &outcome);
    }
    Ok(outcome)
}

/// Deletes mailbox `id` with its Microsoft settings.
#[server(endpoint = "delete_mailbox")]
pub async fn delete_mailbox(id: i32) -> Result<DeleteOutcome, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    let deleted = imp::delete(&state, &actor, id).await.map_err(|error| {
        if imp::is_plain_form_post() {
            imp::redirect_after_failed_delete(id);
        }
        imp::unexpected("deleting mailbox", &error)
    })?;
    if imp::is_plain_form_post() {
        imp::redirect_after_delete(id, deleted);
    }
    Ok(if deleted {
        DeleteOutcome::Deleted
    } else {
        DeleteOutcome::NotFound
    })
}

#[cfg(feature = "ssr")]
mod imp;

#[cfg(feature = "ssr")]
pub(crate) use imp::is_plain_form_post;
