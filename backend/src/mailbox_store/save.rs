//! Creating and updating a mailbox from a validated form, with optimistic locking and the
//! secrets encrypted before they reach SQL.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use secrecy::{ExposeSecret, SecretString};

use super::StoreError;
use crate::app_registrations;
use crate::cipher::{Cipher, SecretColumn};
use crate::entities::{mailbox, mailbox_microsoft_settings as settings};
use crate::microsoft::identity::ClientCredential;
use rules::passwordless::{ConnectionMethod, MethodReason};
use rules::validation::{MicrosoftSettings, SecretUpdate, ValidMailbox};

/// What became of an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateResult {
    Updated,
    /// The stored version differs from the form's: nothing was written.
    Conflict,
    NotFound,
}

/// Inserts a new mailbox and returns its id. Inside the caller's transaction, which also
/// records the audit entry.
pub async fn create(
    txn: &impl ConnectionTrait,
    cipher: &Cipher,
    valid: &ValidMailbox,
) -> Result<i32, StoreError> {
    let now = Utc::now();
    let mut model = mailbox::ActiveModel {
        valid: Set(false),
        login_tries: Set(0),
        created_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    apply(&mut model, valid, None, cipher, now)?;
    let id = model.insert(txn).await?.id;
    write_microsoft(txn, cipher, id, valid.microsoft.as_ref(), now).await?;
    Ok(id)
}

/// Updates mailbox `id` if it is still at `version`; never overwrites a newer save. Inside
/// the caller's transaction, which also records the audit entry.
pub async fn update(
    txn: &impl ConnectionTrait,
    cipher: &Cipher,
    id: i32,
    version: i32,
    valid: &ValidMailbox,
) -> Result<UpdateResult, StoreError> {
    let now = Utc::now();
    let Some(current) = mailbox::Entity::find_by_id(id).one(txn).await? else {
        return Ok(UpdateResult::NotFound);
    };
    if current.version != version {
        return Ok(UpdateResult::Conflict);
    }
    let stored_password = current.password_encrypted.clone();
    let mut model = current.into_active_model();
    apply(&mut model, valid, stored_password, cipher, now)?;
    model.version = Set(version + 1);
    // The version condition makes a concurrent save that committed after our read lose
    // here instead of being overwritten.
    let result = mailbox::Entity::update_many()
        .set(model)
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if result.rows_affected == 0 {
        return Ok(UpdateResult::Conflict);
    }
    write_microsoft(txn, cipher, id, valid.microsoft.as_ref(), now).await?;
    Ok(UpdateResult::Updated)
}

/// Sets every form column; fields the types do not use become NULL.
fn apply(
    model: &mut mailbox::ActiveModel,
    valid: &ValidMailbox,
    stored_password: Option<Vec<u8>>,
    cipher: &Cipher,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let imap = valid.imap.as_ref();
    let smtp = valid.smtp.as_ref();
    let login = valid.login.as_ref();
    let password = match login.map(|login| &login.password) {
        None => None,
        Some(SecretUpdate::Keep) => stored_password,
        Some(SecretUpdate::Replace(value)) => {
            Some(cipher.encrypt(value, SecretColumn::MailboxPassword)?)
        }
    };
    model.name = Set(valid.name.clone());
    model.email = Set(valid.email.clone());
    model.only_outgoing = Set(valid.only_outgoing);
    model.is_active = Set(valid.is_active);
    model.is_primary = Set(valid.is_primary);
    model.incoming_server_type = Set(valid.incoming_type.as_str().to_string());
    model.outgoing_server_type = Set(valid.outgoing_type.as_str().to_string());
    model.imap_host = Set(imap.map(|imap| imap.host.clone()));
    model.imap_port = Set(imap.map(|imap| i32::from(imap.port)));
    model.imap_encryption = Set(imap.and_then(|imap| imap.encryption).map(|e| e.to_string()));
    model.imap_inbox_prefix = Set(imap.and_then(|imap| imap.inbox_prefix.clone()));
    model.smtp_host = Set(smtp.map(|smtp| smtp.host.clone()));
    model.smtp_port = Set(smtp.map(|smtp| i32::from(smtp.port)));
    model.smtp_encryption = Set(smtp.and_then(|smtp| smtp.encryption).map(|e| e.to_string()));
    model.username = Set(login.map(|login| login.username.clone()));
    model.password_encrypted = Set(password);
    model.email_mark_as_seen = Set(valid.email_mark_as_seen);
    model.updated_at = Set(now);
    Ok(())
}

/// Inserts, updates or (when Microsoft Api is no longer used) deletes the settings row,
/// pointing it at the app registration of its tenant + client ID (created on first use) and
/// at the credential it authenticates with. Changing an ID or the secret of existing
/// settings marks them "opnieuw verbinden nodig".
async fn write_microsoft(
    db: &impl ConnectionTrait,
    cipher: &Cipher,
    mailbox_id: i32,
    wanted: Option<&MicrosoftSettings>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let existing = settings::Entity::find_by_id(mailbox_id).one(db).await?;
    let Some(wanted) = wanted else {
        if existing.is_some() {
            settings::Entity::delete_by_id(mailbox_id).exec(db).await?;
        }
        return Ok(());
    };
    let client_id = wanted.client_id.to_string();
    let tenant_id = wanted.tenant.to_string();
    let registration = app_registrations::find_or_create(db, &tenant_id, &client_id, now).await?;
    let chosen =
        credential_for(db, cipher, registration.id, existing.as_ref(), wanted, now).await?;
    let object_id = wanted
        .object_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let Some(existing) = existing else {
        // "Automatisch" starts as signing in; the save's preflight may choose again
        // (`flows::mailbox_form`).
        let method = wanted.method.unwrap_or_default().as_str().to_string();
        let row = settings::ActiveModel {
            mailbox_id: Set(mailbox_id),
            client_id: Set(client_id),
            tenant_id: Set(tenant_id),
            object_id: Set(object_id),
            client_secret_encrypted: Set(None),
            client_secret_hint: Set(chosen.hint),
            reconnect_needed: Set(false),
            connection_method: Set(method),
            connection_method_reason: Set(None),
            app_registration_id: Set(Some(registration.id)),
            app_credential_id: Set(chosen.id),
            created_at: Set(now),
            updated_at: Set(now),
        };
        settings::Entity::insert(row).exec(db).await?;
        return Ok(());
    };
    let ids_changed = existing.client_id != client_id
        || existing.tenant_id != tenant_id
        || existing.object_id != object_id;
    let reconnect_needed = existing.reconnect_needed || ids_changed || chosen.changed;
    // "Automatisch" keeps an existing mailbox's method and its reason; another method
    // than the stored one is the administrator's choice.
    let stored_method = ConnectionMethod::parse(&existing.connection_method);
    let method = wanted.method.unwrap_or(stored_method);
    let reason = if method == stored_method {
        existing.connection_method_reason.clone()
    } else {
        MethodReason::Chosen.stored().map(str::to_string)
    };
    let mut row = existing.into_active_model();
    row.client_id = Set(client_id);
    row.tenant_id = Set(tenant_id);
    row.object_id = Set(object_id);
    row.client_secret_encrypted = Set(None);
    row.client_secret_hint = Set(chosen.hint);
    row.app_registration_id = Set(Some(registration.id));
    row.app_credential_id = Set(chosen.id);
    row.reconnect_needed = Set(reconnect_needed);
    // Switching keeps the mailbox's history, mail and tokens (a switch back to signing in
    // uses them again when still valid); the audit entry names the change.
    row.connection_method = Set(method.as_str().to_string());
    row.connection_method_reason = Set(reason);
    row.updated_at = Set(now);
    row.update(db).await?;
    Ok(())
}

/// The credential a saved mailbox authenticates with, its hint, and whether it differs
/// from the one it had.
struct Chosen {
    id: Option<i32>,
    hint: Option<String>,
    changed: bool,
}

/// A typed secret is stored once per registration (the same value typed for another
/// mailbox finds its row). An empty field keeps the mailbox's own credential, carried over
/// when the mailbox moved to another registration; a new mailbox of a registration that
/// has one uses the registration's newest: the secret is entered once.
async fn credential_for(
    db: &impl ConnectionTrait,
    cipher: &Cipher,
    registration_id: i32,
    existing: Option<&settings::Model>,
    wanted: &MicrosoftSettings,
    now: DateTime<Utc>,
) -> Result<Chosen, StoreError> {
    let before = existing.and_then(|e| e.app_credential_id);
    if let SecretUpdate::Replace(value) = &wanted.client_secret {
        let secret = SecretString::from(value.clone());
        let id =
            app_registrations::secret_credential(db, cipher, registration_id, &secret, None, now)
                .await?;
        let changed = match existing {
            Some(e) if e.app_credential_id.is_some() => before != Some(id),
            Some(e) => !stores_secret(cipher, e, value),
            None => true,
        };
        return Ok(Chosen {
            id: Some(id),
            hint: Some(value.chars().take(3).collect()),
            changed,
        });
    }
    let hint = existing.and_then(|e| e.client_secret_hint.clone());
    let same_registration =
        existing.is_some_and(|e| e.app_registration_id == Some(registration_id));
    if let (Some(id), true) = (before, same_registration) {
        return Ok(Chosen {
            id: Some(id),
            hint,
            changed: false,
        });
    }
    // Its own secret (adopted or not yet), moved along to the registration it now uses.
    if let Some(e) = existing {
        if let Some(ClientCredential::Secret(secret)) =
            app_registrations::credential_of(db, cipher, e).await?
        {
            let id = app_registrations::secret_credential(
                db,
                cipher,
                registration_id,
                &secret,
                None,
                now,
            )
            .await?;
            return Ok(Chosen {
                id: Some(id),
                hint,
                changed: false,
            });
        }
    }
    let current = app_registrations::current_credential(db, registration_id).await?;
    Ok(Chosen {
        id: current.as_ref().map(|c| c.id),
        hint: current.and_then(|c| c.secret_hint),
        changed: existing.is_some(),
    })
}

/// True when `existing` (saved before registrations existed) holds exactly `value`:
/// re-typing the same secret is no change. An undecryptable stored value counts as
/// different.
fn stores_secret(cipher: &Cipher, existing: &settings::Model, value: &str) -> bool {
    existing
        .client_secret_encrypted
        .as_deref()
        .and_then(|stored| cipher.decrypt(stored, SecretColumn::ClientSecret).ok())
        .is_some_and(|decrypted| decrypted.secret.expose_secret() == value)
}
