//! Data access behind the mailbox form: load a mailbox as a form (never with its secrets),
//! the other mailboxes' Microsoft IDs for validation, save (`save.rs`) and delete.

mod save;

pub use save::{create, update, UpdateResult};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::cipher::CipherError;
use super::entities::{
    connection_attempt, mailbox, mailbox_microsoft_settings as settings, mailbox_token,
};
use rules::validation::{MailboxForm, OtherMailbox};

/// A stored mailbox as the form shows it. `form.password` and `form.client_secret` are
/// always empty; the flags say whether a value is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMailbox {
    pub id: i32,
    pub version: i32,
    pub form: MailboxForm,
    pub password_stored: bool,
    pub secret_stored: bool,
    /// First 3 characters of the client secret value.
    pub client_secret_hint: Option<String>,
    pub reconnect_needed: bool,
}

/// Saving failed for a reason the user cannot fix; the detail goes to the log only.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("secret encryption error: {0}")]
    Cipher(#[from] CipherError),
    #[error("stored credential: {0}")]
    Credential(#[from] crate::app_registrations::CredentialLoadError),
}

/// The mailbox `id` as a form, or None when it does not exist.
pub async fn load(db: &impl ConnectionTrait, id: i32) -> Result<Option<StoredMailbox>, DbErr> {
    let Some(model) = mailbox::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let microsoft = settings::Entity::find_by_id(id).one(db).await?;
    Ok(Some(to_stored(model, microsoft)))
}

fn to_stored(model: mailbox::Model, microsoft: Option<settings::Model>) -> StoredMailbox {
    let text = |value: Option<String>| value.unwrap_or_default();
    let port = |value: Option<i32>| value.map(|port| port.to_string()).unwrap_or_default();
    let ms = microsoft.as_ref();
    let form = MailboxForm {
        name: model.name,
        email: model.email,
        only_outgoing: model.only_outgoing,
        is_active: model.is_active,
        is_primary: model.is_primary,
        incoming_type: model.incoming_server_type,
        outgoing_type: model.outgoing_server_type,
        imap_host: text(model.imap_host),
        imap_port: port(model.imap_port),
        imap_encryption: text(model.imap_encryption),
        imap_inbox_prefix: text(model.imap_inbox_prefix),
        smtp_host: text(model.smtp_host),
        smtp_port: port(model.smtp_port),
        smtp_encryption: text(model.smtp_encryption),
        username: text(model.username),
        password: String::new(),
        email_mark_as_seen: model.email_mark_as_seen,
        client_id: ms.map(|s| s.client_id.clone()).unwrap_or_default(),
        tenant_id: ms.map(|s| s.tenant_id.clone()).unwrap_or_default(),
        client_secret: String::new(),
        object_id: ms.map(|s| s.object_id.clone()).unwrap_or_default(),
        connection_method: ms
            .map(|s| rules::passwordless::ConnectionMethod::parse(&s.connection_method))
            .map(|method| method.as_str().to_string())
            .unwrap_or_default(),
    };
    StoredMailbox {
        id: model.id,
        version: model.version,
        form,
        password_stored: model.password_encrypted.is_some(),
        secret_stored: ms.is_some_and(crate::app_registrations::has_credential),
        client_secret_hint: ms.and_then(|s| s.client_secret_hint.clone()),
        reconnect_needed: ms.is_some_and(|s| s.reconnect_needed),
    }
}

/// The Microsoft IDs of every mailbox except `except`, for the cross-mailbox rules.
pub async fn other_mailboxes(
    db: &impl ConnectionTrait,
    except: Option<i32>,
) -> Result<Vec<OtherMailbox>, DbErr> {
    let mut query = settings::Entity::find();
    if let Some(id) = except {
        query = query.filter(settings::Column::MailboxId.ne(id));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|row| OtherMailbox {
            object_id: row.object_id,
            client_id: row.client_id,
            tenant_id: row.tenant_id,
        })
        .collect())
}

/// Deletes the mailbox with its Microsoft settings, tokens and connection attempts; false
/// when it did not exist. Inside the caller's transaction, which also records the audit
/// entry.
pub async fn delete(txn: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    // The foreign key cascades too; deleting explicitly does not depend on SQLite's
    // `foreign_keys` pragma.
    settings::Entity::delete_by_id(id).exec(txn).await?;
    mailbox_token::Entity::delete_by_id(id).exec(txn).await?;
    connection_attempt::Entity::delete_many()
        .filter(connection_attempt::Column::MailboxId.eq(id))
        .exec(txn)
        .await?;
    let deleted = mailbox::Entity::delete_by_id(id).exec(txn).await?;
    Ok(deleted.rows_affected > 0)
}
