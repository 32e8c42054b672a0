//! The server side of the mailbox page's server functions.

use leptos::prelude::*;

use crate::audit_log::AuditAction;
use crate::connection::ConnectPrompt;
use crate::i18n::{FormMsg, Lang};
use crate::mailbox_form::{
    new_mailbox_form, MailboxFormData, MailboxTarget, SaveOutcome, ATTEMPT_PARAM, DELETED_PARAM,
    DELETE_FAILED_PARAM, DELETE_PARAM, LIST_PATH, SAVED_PARAM,
};
use crate::server::audit::{changed_fields, record_audit, SecretChange};
use crate::server::auth::Actor;
use crate::server::connect;
use crate::server::form_attempts::FormAttempt;
use crate::server::mailbox_store::{self, StoreError, UpdateResult};
use crate::server::AppState;
use crate::validation::{
    parse_mailbox, validate_mailbox, IncomingType, Issue, MailboxForm, ValidMailbox,
    ValidationContext,
};

/// Logs the detail (never a secret: errors carry none) and gives the browser a generic
/// Dutch message.
pub(super) fn unexpected(what: &str, error: &dyn std::fmt::Display) -> ServerFnError {
    tracing::error!(%error, "{what} failed");
    ServerFnError::ServerError(FormMsg::SaveFailed.text(Lang::default()).to_string())
}

pub(super) async fn form_data(
    state: &AppState,
    actor: &Actor,
    segment: &str,
    attempt: Option<&str>,
) -> Result<Option<MailboxFormData>, sea_orm::DbErr> {
    let Some(target) = MailboxTarget::from_segment(segment) else {
        return Ok(None);
    };
    let stored = match target.id() {
        Some(id) => match mailbox_store::load(&state.db, id).await? {
            Some(stored) => Some(stored),
            None => return Ok(None),
        },
        None => None,
    };
    let context = ValidationContext {
        secret_stored: stored.as_ref().is_some_and(|s| s.secret_stored),
        password_stored: stored.as_ref().is_some_and(|s| s.password_stored),
        other_mailboxes: mailbox_store::other_mailboxes(&state.db, target.id()).await?,
    };
    let attempt = attempt.and_then(|token| state.form_attempts.find(token, target));
    let mut data = MailboxFormData {
        id: target.id(),
        client_secret_hint: stored.as_ref().and_then(|s| s.client_secret_hint.clone()),
        reconnect_needed: stored.as_ref().is_some_and(|s| s.reconnect_needed),
        redirect_uri: state.redirect_uri(),
        can_change: actor.role == crate::access::Role::Beheerder,
        ..MailboxFormData::default()
    };
    match (attempt, stored) {
        (Some(attempt), _) => {
            data.version = attempt.version;
            data.form = attempt.form;
            data.issues = attempt.issues;
            data.conflict = attempt.conflict;
            data.save_failed = attempt.failed;
            data.from_attempt = true;
        }
        (None, Some(stored)) => {
            // Warnings of the stored values (e.g. another Client id than the other
            // mailboxes) are shown at once.
            let validation = validate_mailbox(&stored.form, &context);
            data.issues = validation.warnings().copied().collect();
            data.version = stored.version;
            data.form = stored.form;
        }
        (None, None) => data.form = new_mailbox_form(),
    }
    data.context = context;
    if let Some(id) = target.id().filter(|_| microsoft_settings_stored(&data)) {
        let mut view = connect::connection_view(&state.db, id, chrono::Utc::now()).await?;
        view.redirect_uri = state.redirect_uri();
        data.connection = Some(view);
    }
    // Belt and braces: the stored form never holds secrets, an attempt has them cleared.
    data.form.password.clear();
    data.form.client_secret.clear();
    Ok(Some(data))
}

/// The mailbox has Microsoft settings stored.
fn microsoft_settings_stored(data: &MailboxFormData) -> bool {
    data.context.secret_stored
}

pub(super) async fn save(
    state: &AppState,
    actor: &Actor,
    id: Option<i32>,
    version: i32,
    form: &MailboxForm,
) -> Result<SaveOutcome, StoreError> {
    let stored = match id {
        Some(id) => match mailbox_store::load(&state.db, id).await? {
            Some(stored) if stored.version != version => return Ok(SaveOutcome::Conflict),
            Some(stored) => Some(stored),
            None => return Ok(SaveOutcome::NotFound),
        },
        None => None,
    };
    let context = ValidationContext {
        secret_stored: stored.as_ref().is_some_and(|s| s.secret_stored),
        password_stored: stored.as_ref().is_some_and(|s| s.password_stored),
        other_mailboxes: mailbox_store::other_mailboxes(&state.db, id).await?,
    };
    let valid = match parse_mailbox(form, &context) {
        Ok(valid) => valid,
        Err(validation) => {
            return Ok(SaveOutcome::Invalid {
                issues: validation.issues,
            })
        }
    };
    let Some(id) = id else {
        let id = mailbox_store::create(&state.db, &state.cipher, &valid).await?;
        tracing::info!(mailbox_id = id, user_id = actor.user_id, "mailbox created");
        audit_change(state, actor, id, AuditAction::Created, None, form).await?;
        let connect_url = connect_url_after_save(state, actor, id, &valid).await;
        return Ok(SaveOutcome::Saved { id, connect_url });
    };
    let result = mailbox_store::update(&state.db, &state.cipher, id, version, &valid).await?;
    Ok(match result {
        UpdateResult::Updated => {
            tracing::info!(mailbox_id = id, user_id = actor.user_id, "mailbox updated");
            audit_change(state, actor, id, AuditAction::Updated, stored, form).await?;
            let connect_url = connect_url_after_save(state, actor, id, &valid).await;
            SaveOutcome::Saved { id, connect_url }
        }
        UpdateResult::Conflict => SaveOutcome::Conflict,
        UpdateResult::NotFound => SaveOutcome::NotFound,
    })
}

/// A Microsoft Api mailbox (incoming) that is not connected is sent to Microsoft right
/// after saving. Failing to start only leaves the buttons on the page to do it.
async fn connect_url_after_save(
    state: &AppState,
    actor: &Actor,
    id: i32,
    valid: &ValidMailbox,
) -> Option<String> {
    if valid.incoming_type != IncomingType::MicrosoftApi {
        return None;
    }
    let now = chrono::Utc::now();
    let started_by_user_id = Some(actor.user_id);
    let result = match connect::status::needs_connection(&state.db, id).await {
        Ok(false) => return None,
        Ok(true) => {
            // The same test as "Verbinden": a failing app registration keeps the admin
            // here, where the page shows what failed.
            match crate::server::preflight::run_preflight(state, id, started_by_user_id, now).await
            {
                Ok(report) if report.blocks(crate::preflight::Purpose::Connect) => return None,
                Ok(_) => {
                    connect::start_connection(
                        state,
                        id,
                        ConnectPrompt::SelectAccount,
                        started_by_user_id,
                        chrono::Utc::now(),
                    )
                    .await
                }
                Err(error) => Err(error),
            }
        }
        Err(error) => Err(error.into()),
    };
    result
        .inspect_err(|error| tracing::error!(mailbox_id = id, %error, "could not start connecting after save"))
        .ok()
}

/// Records which fields a save changed: the stored form before (None for a new mailbox)
/// against the stored form after, so only real changes are named.
async fn audit_change(
    state: &AppState,
    actor: &Actor,
    id: i32,
    action: AuditAction,
    before: Option<mailbox_store::StoredMailbox>,
    submitted: &MailboxForm,
) -> Result<(), StoreError> {
    let Some(after) = mailbox_store::load(&state.db, id).await? else {
        return Ok(());
    };
    let before_form = before.as_ref().map(|b| b.form.clone()).unwrap_or_default();
    let password = SecretChange {
        stored_before: before.as_ref().is_some_and(|b| b.password_stored),
        stored_after: after.password_stored,
        typed: !submitted.password.is_empty(),
    };
    let client_secret = SecretChange {
        stored_before: before.as_ref().is_some_and(|b| b.secret_stored),
        stored_after: after.secret_stored,
        typed: !submitted.client_secret.is_empty(),
    };
    let fields = changed_fields(&before_form, &after.form, password, client_secret);
    record_audit(&state.db, actor, Some(id), action, &fields).await?;
    Ok(())
}

/// Deletes mailbox `id` and records it; false when it did not exist.
pub(super) async fn delete(
    state: &AppState,
    actor: &Actor,
    id: i32,
) -> Result<bool, sea_orm::DbErr> {
    let deleted = mailbox_store::delete(&state.db, id).await?;
    if deleted {
        tracing::info!(mailbox_id = id, user_id = actor.user_id, "mailbox deleted");
        record_audit(&state.db, actor, Some(id), AuditAction::Deleted, &[]).await?;
    }
    Ok(deleted)
}

/// True for a form the browser posted itself (no JavaScript): it accepts HTML. The
/// server-function client asks for its encoding instead.
pub(crate) fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Sends a browser without JavaScript to the page showing the outcome: the saved mailbox,
/// or the form again with the submitted values (secrets left out) and their issues.
pub(super) fn after_plain_post(
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
            crate::api::connect::imp::see_other(url);
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
pub(super) fn after_failed_plain_post(
    state: &AppState,
    id: Option<i32>,
    version: i32,
    form: MailboxForm,
) {
    let target = id.map_or(MailboxTarget::New, MailboxTarget::Existing);
    show_again(state, target, version, form, Vec::new(), false, true);
}

/// Keeps the attempt and redirects to the form showing it.
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
pub(super) fn redirect_after_failed_delete(id: i32) {
    let path = MailboxTarget::Existing(id).path();
    leptos_axum::redirect(&format!("{path}?{DELETE_PARAM}=1&{DELETE_FAILED_PARAM}=1"));
}

/// Without JavaScript a delete lands on the list (or the 404 of a mailbox already gone).
pub(super) fn redirect_after_delete(id: i32, deleted: bool) {
    if deleted {
        leptos_axum::redirect(&format!("{LIST_PATH}?{DELETED_PARAM}=1"));
    } else {
        leptos_axum::redirect(&MailboxTarget::Existing(id).path());
    }
}
