//! The mailbox page's use cases: its data, saving the form (with the audit entry and, for a
//! Microsoft Api mailbox not yet connected, the start of the sign-in) and deleting.

use rules::access::Role;
use rules::audit_log::AuditAction;
use rules::connection::{ConnectPrompt, StartOutcome};
use rules::mailbox_form::{new_mailbox_form, MailboxFormData, MailboxTarget, SaveOutcome};
use rules::passwordless::ConnectionMethod;
use rules::preflight::Purpose;
use rules::validation::{
    parse_mailbox, validate_mailbox, IncomingType, MailboxForm, MicrosoftSettings, ValidMailbox,
    ValidationContext,
};

use crate::audit::{changed_fields, record_audit, SecretChange};
use crate::auth::Actor;
use crate::connect;
use crate::flows::{self, connect::Start};
use crate::mailbox_store::{self, StoreError, UpdateResult};
use crate::AppState;

use sea_orm::{ConnectionTrait, TransactionTrait};

pub async fn form_data(
    state: &AppState,
    actor: &Actor,
    segment: &str,
    attempt: Option<&str>,
    registration: Option<i32>,
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
    let mut context = ValidationContext {
        secret_stored: stored.as_ref().is_some_and(|s| s.secret_stored),
        password_stored: stored.as_ref().is_some_and(|s| s.password_stored),
        other_mailboxes: mailbox_store::other_mailboxes(&state.db, target.id()).await?,
        ..ValidationContext::default()
    };
    // A new mailbox of a registration: its IDs filled in, its secret used.
    let of_registration = match (target.id(), registration) {
        (None, Some(id)) => {
            crate::app_registrations::with_current_credential(&state.db, id).await?
        }
        _ => None,
    };
    let attempt = attempt.and_then(|token| state.form_attempts.find(token, target));
    let mut data = MailboxFormData {
        id: target.id(),
        client_secret_hint: stored.as_ref().and_then(|s| s.client_secret_hint.clone()),
        reconnect_needed: stored.as_ref().is_some_and(|s| s.reconnect_needed),
        redirect_uri: state.redirect_uri(),
        can_change: actor.role == Role::Beheerder,
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
            let form = &stored.form;
            data.basic_auth_ending = rules::basic_auth::basic_auth_ending(
                Some(form.imap_host.as_str()).filter(|_| form.incoming_type == "imap"),
                Some(form.smtp_host.as_str()).filter(|_| form.outgoing_type == "smtp"),
            );
            // Warnings of the stored values (e.g. another Client id than the other
            // mailboxes) are shown at once.
            let validation = validate_mailbox(&stored.form, &context);
            data.issues = validation.warnings().copied().collect();
            data.version = stored.version;
            data.form = stored.form;
        }
        (None, None) => data.form = new_mailbox_form(),
    }
    if let Some((registration, credential)) = of_registration {
        if !data.from_attempt {
            data.form.incoming_type = "ms-oauth".to_string();
            data.form.outgoing_type = "ms-oauth".to_string();
            data.form.client_id = registration.client_id;
            data.form.tenant_id = registration.tenant_id;
        }
        context.registration_secret = credential.is_some();
        data.client_secret_hint = credential.and_then(|c| c.secret_hint);
    }
    data.context = context;
    if let Some(id) = target.id().filter(|_| microsoft_settings_stored(&data)) {
        let mut view = connect::connection_view(&state.db, id, chrono::Utc::now()).await?;
        view.redirect_uri = state.redirect_uri();
        data.connection = Some(view);
    }
    let uses_servers = data.form.incoming_type == "imap" || data.form.outgoing_type == "smtp";
    if let Some(id) = target
        .id()
        .filter(|_| uses_servers && data.connection.is_none())
    {
        let latest = crate::preflight::latest_preflight(&state.db, id, chrono::Utc::now()).await?;
        data.mail_servers = Some(rules::mailbox_form::MailServerView { latest });
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

pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: Option<i32>,
    version: i32,
    form: &MailboxForm,
) -> Result<SaveOutcome, StoreError> {
    let (id, valid, new_settings) = match store_with_audit(state, actor, id, version, form).await? {
        Ok(saved) => saved,
        Err(unsaved) => return Ok(unsaved),
    };
    let connect_url = connect_url_after_save(state, actor, id, &valid, new_settings).await;
    Ok(SaveOutcome::Saved { id, connect_url })
}

/// Validates and stores the form with its audit entry in one transaction: both or neither.
/// Ok(Err(outcome)) when nothing was stored (invalid, conflict, gone); with the id and the
/// valid form, whether the mailbox had no Microsoft settings before (its method is then
/// open to "Automatisch").
async fn store_with_audit(
    state: &AppState,
    actor: &Actor,
    id: Option<i32>,
    version: i32,
    form: &MailboxForm,
) -> Result<Result<(i32, ValidMailbox, bool), SaveOutcome>, StoreError> {
    let txn = state.db.begin().await?;
    let stored = match id {
        Some(id) => match mailbox_store::load(&txn, id).await? {
            Some(stored) if stored.version != version => return Ok(Err(SaveOutcome::Conflict)),
            Some(stored) => Some(stored),
            None => return Ok(Err(SaveOutcome::NotFound)),
        },
        None => None,
    };
    let context = ValidationContext {
        secret_stored: stored.as_ref().is_some_and(|s| s.secret_stored),
        password_stored: stored.as_ref().is_some_and(|s| s.password_stored),
        other_mailboxes: mailbox_store::other_mailboxes(&txn, id).await?,
        // Decided by the IDs as typed, whatever the page was given.
        registration_secret: id.is_none() && registration_has_credential(&txn, form).await?,
    };
    // Every stored Microsoft settings row has a client secret.
    let new_settings = !context.secret_stored;
    let valid = match parse_mailbox(form, &context) {
        Ok(valid) => valid,
        Err(validation) => {
            let issues = validation.issues;
            return Ok(Err(SaveOutcome::Invalid { issues }));
        }
    };
    let (id, action) = match id {
        None => {
            let id = mailbox_store::create(&txn, &state.cipher, &valid).await?;
            (id, AuditAction::Created)
        }
        Some(id) => match mailbox_store::update(&txn, &state.cipher, id, version, &valid).await? {
            UpdateResult::Updated => (id, AuditAction::Updated),
            UpdateResult::Conflict => return Ok(Err(SaveOutcome::Conflict)),
            UpdateResult::NotFound => return Ok(Err(SaveOutcome::NotFound)),
        },
    };
    audit_change(&txn, actor, id, action, stored, form).await?;
    txn.commit().await?;
    match action {
        AuditAction::Created => {
            tracing::info!(mailbox_id = id, user_id = actor.user_id, "mailbox created")
        }
        _ => tracing::info!(mailbox_id = id, user_id = actor.user_id, "mailbox updated"),
    }
    Ok(Ok((id, valid, new_settings)))
}
/// Connects a Microsoft Api mailbox without its password when the form asks for it (issue
/// 18): the method is stored (audited with the save), nobody is sent to Microsoft, and a
/// sync is asked for at once. True when the mailbox is connected that way.
async fn connect_without_password(
    state: &AppState,
    actor: &Actor,
    id: i32,
    microsoft: &MicrosoftSettings,
) -> bool {
    if microsoft.method != Some(ConnectionMethod::AppOnly) {
        return false;
    }
    match flows::connect::switch_method(state, actor, id, ConnectionMethod::AppOnly).await {
        Ok(switched) => switched,
        Err(error) => {
            tracing::error!(mailbox_id = id, %error, "could not connect without password");
            false
        }
    }
}

/// A Microsoft Api mailbox (incoming) that is not connected is sent to Microsoft right
/// after saving, through the same gate as "Verbinden": a failing app registration keeps the
/// admin on the page, which shows what failed. Failing to start only leaves the buttons on
/// the page to do it.
async fn connect_url_after_save(
    state: &AppState,
    actor: &Actor,
    id: i32,
    valid: &ValidMailbox,
    new_settings: bool,
) -> Option<String> {
    if valid.incoming_type != IncomingType::MicrosoftApi {
        return None;
    }
    if let Some(microsoft) = &valid.microsoft {
        if microsoft.method.is_none() && new_settings {
            return choose_automatically_then_connect(state, actor, id).await;
        }
        if connect_without_password(state, actor, id, microsoft).await {
            return None;
        }
    }
    let start = async {
        if !connect::status::needs_connection(&state.db, id).await? {
            return Ok(None);
        }
        let what = Start::SignIn(ConnectPrompt::SelectAccount);
        match flows::connect::start(state, id, what, false, Some(actor.user_id)).await? {
            StartOutcome::Redirect { url } => Ok(Some(url)),
            _ => Ok(None),
        }
    };
    start
        .await
        .inspect_err(|error: &connect::StartError| {
            tracing::error!(mailbox_id = id, %error, "could not start connecting after save")
        })
        .ok()
        .flatten()
}

/// "Automatisch" (issue 18): the save's preflight decides. When it reads the mailbox with the
/// app's own token, the mailbox is connected without its password; otherwise it signs in as
/// the mailbox, and the admin goes to Microsoft unless the preflight stopped that (the page
/// then shows what failed). The preflight runs once: the sign-in starts without repeating it.
async fn choose_automatically_then_connect(
    state: &AppState,
    actor: &Actor,
    id: i32,
) -> Option<String> {
    let chosen = async {
        let now = chrono::Utc::now();
        let report = crate::preflight::run_preflight(state, id, Some(actor.user_id), now).await?;
        let method = flows::connect::choose_method_automatically(state, actor, id, &report)
            .await
            .map_err(connect::StartError::from)?;
        if method == ConnectionMethod::AppOnly || report.blocks(Purpose::Connect) {
            return Ok(None);
        }
        let what = Start::SignIn(ConnectPrompt::SelectAccount);
        match flows::connect::start(state, id, what, true, Some(actor.user_id)).await? {
            StartOutcome::Redirect { url } => Ok(Some(url)),
            _ => Ok(None),
        }
    };
    chosen
        .await
        .inspect_err(|error: &connect::StartError| {
            tracing::error!(mailbox_id = id, %error, "could not choose the connection method after save")
        })
        .ok()
        .flatten()
}

/// Records which fields a save changed: the stored form before (None for a new mailbox)
/// against the stored form after, so only real changes are named.
async fn audit_change(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    action: AuditAction,
    before: Option<mailbox_store::StoredMailbox>,
    submitted: &MailboxForm,
) -> Result<(), StoreError> {
    let Some(after) = mailbox_store::load(txn, id).await? else {
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
    record_audit(txn, actor, Some(id), action, &fields).await?;
    Ok(())
}

/// Deletes mailbox `id` and records it; false when it did not exist.
pub async fn delete(state: &AppState, actor: &Actor, id: i32) -> Result<bool, sea_orm::DbErr> {
    let txn = state.db.begin().await?;
    let deleted = mailbox_store::delete(&txn, id).await?;
    if deleted {
        record_audit(&txn, actor, Some(id), AuditAction::Deleted, &[]).await?;
    }
    txn.commit().await?;
    if deleted {
        tracing::info!(mailbox_id = id, user_id = actor.user_id, "mailbox deleted");
    }
    Ok(deleted)
}

/// The form's Tenant ID and Client id (as the store keeps them) name an app registration
/// with a secret or certificate.
async fn registration_has_credential(
    db: &impl ConnectionTrait,
    form: &MailboxForm,
) -> Result<bool, sea_orm::DbErr> {
    use rules::validation::{Guid, TenantRef};
    let (Ok(client), Some(tenant)) = (
        Guid::parse(form.client_id.trim()),
        TenantRef::parse(form.tenant_id.trim()),
    ) else {
        return Ok(false);
    };
    crate::app_registrations::has_current_credential(db, &tenant.to_string(), &client.to_string())
        .await
}
