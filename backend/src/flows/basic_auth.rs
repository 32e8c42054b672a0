//! "Overstappen naar Microsoft Api" (issue 23): an IMAP/SMTP mailbox on a password at
//! Microsoft 365, whose basic authentication Microsoft turns off (docs/microsoft.md §10),
//! becomes a Microsoft Api mailbox in one step. The same row, so its history, fetched mail
//! and audit log stay; the switch is audited. The IMAP position is cleared (the Graph sync
//! starts its own round, taking over the rows fetched over IMAP by Message-ID:
//! `mail::store::sort_listed`), and the Azure section is filled in from another mailbox's
//! app registration when there is one — its secret copied encrypted, never decrypted here.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};

use rules::audit_log::AuditAction;
use rules::basic_auth::SwitchOutcome;
use rules::mailbox_list::ServerType;
use rules::passwordless::ConnectionMethod;

use crate::audit::{changed_fields, record_audit, SecretChange};
use crate::auth::Actor;
use crate::entities::{
    mail_imap_state as imap_state, mailbox, mailbox_microsoft_settings as settings,
};
use crate::mail::sync::MICROSOFT_API;
use crate::mailbox_store::{self, StoreError};
use crate::AppState;

/// Switches mailbox `id` to Microsoft Api, incoming and outgoing, if it fetches or sends
/// with a password at Microsoft 365; nothing changes otherwise.
pub async fn switch_to_microsoft_api(
    state: &AppState,
    actor: &Actor,
    id: i32,
) -> Result<SwitchOutcome, StoreError> {
    let txn = state.db.begin().await?;
    let (Some(before), Some(row)) = (
        mailbox_store::load(&txn, id).await?,
        mailbox::Entity::find_by_id(id).one(&txn).await?,
    ) else {
        return Ok(SwitchOutcome::NotFound);
    };
    let on_basic_auth = crate::mailboxes::basic_auth_ending(
        ServerType::from_code(&row.incoming_server_type),
        ServerType::from_code(&row.outgoing_server_type),
        row.imap_host.as_deref(),
        row.smtp_host.as_deref(),
    );
    if !on_basic_auth {
        return Ok(SwitchOutcome::NotApplicable);
    }
    let now = Utc::now();
    let version = row.version;
    let mut switched = row.into_active_model();
    switched.incoming_server_type = Set(MICROSOFT_API.to_string());
    switched.outgoing_server_type = Set(MICROSOFT_API.to_string());
    switched.only_outgoing = Set(false);
    // What the form stores for a Microsoft Api mailbox: the server columns and the password
    // are no longer used, so they are not kept (the password least of all).
    switched.imap_host = Set(None);
    switched.imap_port = Set(None);
    switched.imap_encryption = Set(None);
    switched.imap_inbox_prefix = Set(None);
    switched.smtp_host = Set(None);
    switched.smtp_port = Set(None);
    switched.smtp_encryption = Set(None);
    switched.username = Set(None);
    switched.password_encrypted = Set(None);
    switched.valid = Set(false);
    switched.updated_at = Set(now);
    // A form loaded before the switch no longer saves over it.
    switched.version = Set(version + 1);
    switched.update(&txn).await?;
    let prefilled = prefill_app_registration(&txn, id, now).await?;
    forget_imap_position(&txn, id).await?;
    let Some(after) = mailbox_store::load(&txn, id).await? else {
        return Ok(SwitchOutcome::NotFound);
    };
    let password = SecretChange {
        stored_before: before.password_stored,
        stored_after: after.password_stored,
        typed: false,
    };
    let client_secret = SecretChange {
        stored_before: before.secret_stored,
        stored_after: after.secret_stored,
        typed: false,
    };
    let fields = changed_fields(&before.form, &after.form, password, client_secret);
    record_audit(&txn, actor, Some(id), AuditAction::Updated, &fields).await?;
    txn.commit().await?;
    tracing::info!(
        mailbox_id = id,
        user_id = actor.user_id,
        prefilled,
        "switched from basic authentication to Microsoft Api"
    );
    Ok(SwitchOutcome::Switched { prefilled })
}

/// Fills in the Azure section of mailbox `id`, when it has none, from the most recently
/// changed app registration of another mailbox with a stored secret: Tenant ID, Client ID
/// and the same credential (or, for a mailbox not yet adopted, its ciphertext copied: the
/// same key and column). The Object ID is the
/// mailbox's own and stays empty. True when filled in.
async fn prefill_app_registration(
    db: &impl ConnectionTrait,
    id: i32,
    now: chrono::DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    if settings::Entity::find_by_id(id).one(db).await?.is_some() {
        return Ok(false);
    }
    let donor = settings::Entity::find()
        .filter(settings::Column::MailboxId.ne(id))
        .filter(
            Condition::any()
                .add(settings::Column::AppCredentialId.is_not_null())
                .add(settings::Column::ClientSecretEncrypted.is_not_null()),
        )
        .filter(settings::Column::ClientId.ne(""))
        .order_by_desc(settings::Column::UpdatedAt)
        .order_by_desc(settings::Column::MailboxId)
        .one(db)
        .await?;
    let Some(donor) = donor else {
        return Ok(false);
    };
    settings::Entity::insert(settings::ActiveModel {
        mailbox_id: Set(id),
        client_id: Set(donor.client_id),
        tenant_id: Set(donor.tenant_id),
        object_id: Set(String::new()),
        client_secret_encrypted: Set(donor.client_secret_encrypted),
        client_secret_hint: Set(donor.client_secret_hint),
        reconnect_needed: Set(false),
        connection_method: Set(ConnectionMethod::Delegated.as_str().to_string()),
        // Stored as chosen: the admin completes the Azure section and picks the method there.
        connection_method_reason: Set(None),
        // The same registration and credential: the secret stays entered once.
        app_registration_id: Set(donor.app_registration_id),
        app_credential_id: Set(donor.app_credential_id),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(db)
    .await?;
    Ok(true)
}

/// Forgets where the IMAP fetch stood: the folder's `UIDVALIDITY` and last UID, and the
/// `imap:` marker the IMAP fetch keeps as its delta link, which is no Graph link.
async fn forget_imap_position(db: &impl ConnectionTrait, id: i32) -> Result<(), sea_orm::DbErr> {
    imap_state::Entity::delete_by_id(id).exec(db).await?;
    crate::mail::store::forget_links(db, id).await
}
