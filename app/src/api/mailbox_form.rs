//! Server functions of the mailbox page. Without JavaScript the browser posts the form
//! here directly; these then answer with a redirect to the page (see `after_plain_post`).

use leptos::prelude::*;

use rules::mailbox_form::{DeleteOutcome, MailboxFormData, SaveOutcome};
use rules::validation::MailboxForm;

#[cfg(feature = "ssr")]
use {
    super::request::{app_state, is_plain_form_post, require_role, see_other, unexpected},
    backend::flows::mailbox_form as flow,
    backend::form_attempts::FormAttempt,
    backend::AppState,
    rules::access::Role,
    rules::i18n::{FormMsg, Lang},
    rules::mailbox_form::{
        MailboxTarget, ATTEMPT_PARAM, DELETED_PARAM, DELETE_FAILED_PARAM, DELETE_PARAM, LIST_PATH,
        SAVED_PARAM,
    },
    rules::validation::Issue,
};

/// Logs the detail and gives the browser a generic Dutch message.
#[cfg(feature = "ssr")]
fn save_failed(what: &str, error: &dyn std::fmt::Display) -> ServerFnError {
    unexpected(what, error, FormMsg::SaveFailed.text(Lang::default()))
}

/// The page data for `/instellingen/mailboxen/{segment}`; None when there is no such
/// mailbox. `attempt` is the token of a failed save without JavaScript.
#[server(endpoint = "get_mailbox_form")]
pub async fn get_mailbox_form(
    segment: String,
    #[server(default)] attempt: Option<String>,
    #[server(default)] registration: Option<i32>,
) -> Result<Option<MailboxFormData>, ServerFnError> {
    let actor = require_role(Role::Lezer)?;
    let state = app_state()?;
    flow::form_data(&state, &actor, &segment, attempt.as_deref(), registration)
        .await
        .map_err(|error| save_failed("loading mailbox form", &error))
}

/// Validates and stores the form: a new mailbox when `id` is absent, else an update that
/// only succeeds at `version`.
#[server(endpoint = "save_mailbox")]
pub async fn save_mailbox(
    #[server(default)] id: Option<i32>,
    #[server(default)] version: i32,
    #[server(flatten)] form: MailboxForm,
) -> Result<SaveOutcome, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = match flow::save(&state, &actor, id, version, &form).await {
        Ok(outcome) => outcome,
        Err(error) => {
            if is_plain_form_post() {
                after_failed_plain_post(&state, id, version, form);
            }
            return Err(save_failed("saving mailbox", &error));
        }
    };
    if is_plain_form_post() {
        after_plain_post(&state, id, version, form, &outcome);
    }
    Ok(outcome)
}

/// Deletes mailbox `id` with its Microsoft settings.
#[server(endpoint = "delete_mailbox")]
pub async fn delete_mailbox(id: i32) -> Result<DeleteOutcome, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    let state = app_state()?;
    let deleted = flow::delete(&state, &actor, id).await.map_err(|error| {
        if is_plain_form_post() {
            redirect_after_failed_delete(id);
        }
        save_failed("deleting mailbox", &error)
    })?;
    if is_plain_form_post() {
        redirect_after_delete(id, deleted);
    }
    Ok(if deleted {
        DeleteOutcome::Deleted
    } else {
        DeleteOutcome::NotFound
    })
}

/// Sends a browser without JavaScript to the page showing the outcome: the saved mailbox,
/// or the form again with the submitted values (secrets left out) and their issues.
#[cfg(feature = "ssr")]
fn after_plain_post(
    state: &AppState,
    id: Option<i32>,
    version: i32,
    form: MailboxForm,
    outcome: &SaveOutcome,
) {
    let target = id.map_or(MailboxTarget::New, MailboxTarget::Existing);
    let (issues, conflict) = match outcome {
        SaveOutcome::Saved {
            connect_url: Some(url),
            ..
        } => {
            see_other(url);
            return;
        }
        SaveOutcome::Saved { id, .. } => {
            let path = MailboxTarget::Existing(*id).path();
            leptos_axum::redirect(&format!("{path}?{SAVED_PARAM}=1"));
            return;
        }
        SaveOutcome::NotFound => {
            leptos_axum::redirect(&target.path());
            return;
        }
        SaveOutcome::Invalid { issues } => (issues.clone(), false),
        SaveOutcome::Conflict => (Vec::new(), true),
    };
    show_again(state, target, version, form, issues, conflict, false);
}

/// A save the server failed (not the admin's mistake): the form again with the submitted
/// values and the message that it was not saved.
#[cfg(feature = "ssr")]
fn after_failed_plain_post(state: &AppState, id: Option<i32>, version: i32, form: MailboxForm) {
    let target = id.map_or(MailboxTarget::New, MailboxTarget::Existing);
    show_again(state, target, version, form, Vec::new(), false, true);
}

/// Keeps the attempt and redirects to the form showing it.
#[cfg(feature = "ssr")]
fn show_again(
    state: &AppState,
    target: MailboxTarget,
    version: i32,
    form: MailboxForm,
    issues: Vec<Issue>,
    conflict: bool,
    failed: bool,
) {
    let token = state.form_attempts.keep(FormAttempt {
        target,
        version,
        form,
        issues,
        conflict,
        failed,
    });
    leptos_axum::redirect(&format!("{}?{ATTEMPT_PARAM}={token}", target.path()));
}

/// Back to the confirmation, which then says the delete failed.
#[cfg(feature = "ssr")]
fn redirect_after_failed_delete(id: i32) {
    let path = MailboxTarget::Existing(id).path();
    leptos_axum::redirect(&format!("{path}?{DELETE_PARAM}=1&{DELETE_FAILED_PARAM}=1"));
}

/// Without JavaScript a delete lands on the list (or the 404 of a mailbox already gone).
#[cfg(feature = "ssr")]
fn redirect_after_delete(id: i32, deleted: bool) {
    if deleted {
        leptos_axum::redirect(&format!("{LIST_PATH}?{DELETED_PARAM}=1"));
    } else {
        leptos_axum::redirect(&MailboxTarget::Existing(id).path());
    }
}
