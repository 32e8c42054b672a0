//! Re-encrypting every stored secret with the current key, after a key rotation
//! (`server reencrypt-secrets`).

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, IntoActiveModel,
    TransactionTrait,
};
use secrecy::ExposeSecret;

use super::cipher::{Cipher, SecretColumn};
use super::entities::{
    app_credential as credential, mailbox, mailbox_microsoft_settings as settings, mailbox_token,
};
use super::mailbox_store::StoreError;

/// How many secrets were rewritten.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reencrypted {
    pub passwords: usize,
    /// Client secrets of app registrations, and of mailboxes not yet moved onto one.
    pub client_secrets: usize,
    /// Private keys of app registrations' certificates.
    pub private_keys: usize,
    /// Mailboxes whose Microsoft tokens were rewritten.
    pub tokens: usize,
}

/// Decrypts every password, client secret and Microsoft token (with the current or previous
/// key) and
/// stores it encrypted with the current key, all in one transaction. Fails, changing
/// nothing, if any value decrypts with neither key.
pub async fn reencrypt_secrets(
    db: &DatabaseConnection,
    cipher: &Cipher,
) -> Result<Reencrypted, StoreError> {
    let txn = db.begin().await?;
    let mut done = Reencrypted::default();
    for model in mailbox::Entity::find().all(&txn).await? {
        let Some(stored) = model.password_encrypted.clone() else {
            continue;
        };
        let fresh = rewrap(cipher, &stored, SecretColumn::MailboxPassword)?;
        let mut row = model.into_active_model();
        row.password_encrypted = Set(Some(fresh));
        row.update(&txn).await?;
        done.passwords += 1;
    }
    for model in settings::Entity::find().all(&txn).await? {
        let Some(stored) = model.client_secret_encrypted.clone() else {
            continue;
        };
        let fresh = rewrap(cipher, &stored, SecretColumn::ClientSecret)?;
        let mut row = model.into_active_model();
        row.client_secret_encrypted = Set(Some(fresh));
        row.update(&txn).await?;
        done.client_secrets += 1;
    }
    for model in credential::Entity::find().all(&txn).await? {
        let secret = match &model.secret_encrypted {
            Some(stored) => Some(rewrap(cipher, stored, SecretColumn::CredentialSecret)?),
            None => None,
        };
        let key = match &model.private_key_encrypted {
            Some(stored) => Some(rewrap(cipher, stored, SecretColumn::CredentialPrivateKey)?),
            None => None,
        };
        done.client_secrets += usize::from(secret.is_some());
        done.private_keys += usize::from(key.is_some());
        let mut row = model.into_active_model();
        row.secret_encrypted = Set(secret);
        row.private_key_encrypted = Set(key);
        row.update(&txn).await?;
    }
    for model in mailbox_token::Entity::find().all(&txn).await? {
        let access = rewrap(
            cipher,
            &model.access_token_encrypted,
            SecretColumn::AccessToken,
        )?;
        let refresh = match &model.refresh_token_encrypted {
            Some(stored) => Some(rewrap(cipher, stored, SecretColumn::RefreshToken)?),
            None => None,
        };
        let mut row = model.into_active_model();
        row.access_token_encrypted = Set(access);
        row.refresh_token_encrypted = Set(refresh);
        row.update(&txn).await?;
        done.tokens += 1;
    }
    txn.commit().await?;
    Ok(done)
}

fn rewrap(cipher: &Cipher, stored: &[u8], column: SecretColumn) -> Result<Vec<u8>, StoreError> {
    let decrypted = cipher.decrypt(stored, column)?;
    Ok(cipher.encrypt(decrypted.secret.expose_secret(), column)?)
}
