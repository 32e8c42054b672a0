//! Moving mailboxes saved before app registrations existed onto registrations: grouped by
//! tenant + client ID, each distinct secret kept as its own credential (none lost, the page
//! says when a registration's mailboxes use different ones). Needs the encryption key, so
//! the server runs it at start, after the migrations; a mailbox it has not reached yet
//! still works from its own column (`credential_of`).

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::{find_or_create, secret_credential, CredentialLoadError};
use crate::cipher::{Cipher, SecretColumn};
use crate::entities::mailbox_microsoft_settings as settings;

/// Microsoft settings saved before app registrations existed, not adopted yet.
fn waiting() -> sea_orm::Select<settings::Entity> {
    settings::Entity::find()
        .filter(settings::Column::AppRegistrationId.is_null())
        .filter(settings::Column::ClientId.ne(""))
        .filter(settings::Column::TenantId.ne(""))
        .order_by_asc(settings::Column::MailboxId)
}

/// Whether [`adopt`] has anything to do: one small query, so a start with nothing to adopt
/// takes no lock.
pub async fn anything_to_adopt(db: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    Ok(waiting().one(db).await?.is_some())
}

/// What [`adopt`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Adopted {
    /// Mailboxes now pointing at a registration.
    pub mailboxes: usize,
    /// Mailboxes left as they were: their secret decrypts with no configured key
    /// (`reencrypt-secrets` was not run after a key change). They keep failing as before.
    pub undecryptable: usize,
}

/// Adopts every Microsoft Api mailbox without a registration, each in a transaction of its
/// own. Run by one instance at a time (the server holds the migration lock), and a mailbox
/// adopted meanwhile is skipped, so running it twice changes nothing.
pub async fn adopt<C>(db: &C, cipher: &Cipher) -> Result<Adopted, CredentialLoadError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let waiting = waiting().all(db).await?;
    let mut done = Adopted::default();
    for row in waiting {
        let mailbox_id = row.mailbox_id;
        let secret = match row.client_secret_encrypted.as_deref() {
            None => None,
            Some(stored) => match cipher.decrypt(stored, SecretColumn::ClientSecret) {
                Ok(decrypted) => Some(decrypted.secret),
                Err(error) => {
                    tracing::warn!(mailbox_id, %error, "a stored client secret decrypts with no configured key; the mailbox keeps it and is not moved to an app registration");
                    done.undecryptable += 1;
                    continue;
                }
            },
        };
        let now = Utc::now();
        let txn = db.begin().await?;
        let registration = find_or_create(&txn, &row.tenant_id, &row.client_id, now).await?;
        let credential = match &secret {
            Some(secret) => {
                Some(secret_credential(&txn, cipher, registration.id, secret, None, now).await?)
            }
            None => None,
        };
        let moved = settings::Entity::update_many()
            .set(settings::ActiveModel {
                app_registration_id: Set(Some(registration.id)),
                app_credential_id: Set(credential),
                client_secret_encrypted: Set(None),
                ..Default::default()
            })
            .filter(settings::Column::MailboxId.eq(mailbox_id))
            .filter(settings::Column::AppRegistrationId.is_null())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        done.mailboxes += usize::try_from(moved.rows_affected).unwrap_or_default();
    }
    if done.mailboxes > 0 {
        tracing::info!(
            mailboxes = done.mailboxes,
            "mailboxes moved onto their app registrations"
        );
    }
    Ok(done)
}
