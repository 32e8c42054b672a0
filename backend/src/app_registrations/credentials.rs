//! Reading a mailbox's credential for a token request, and storing a secret value once per
//! registration.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use secrecy::{ExposeSecret, SecretString};

use super::CredentialKind;
use crate::cipher::{Cipher, CipherError, SecretColumn};
use crate::entities::{app_credential as credential, mailbox_microsoft_settings as settings};
use crate::microsoft::identity::credential::{
    generate_certificate, CertificateCredential, ClientCredential, CredentialError,
};

/// The stored credential could not be read; carries no secret material.
#[derive(Debug, thiserror::Error)]
pub enum CredentialLoadError {
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("stored credential cannot be decrypted: {0}")]
    Cipher(#[from] CipherError),
    #[error("stored certificate cannot be used: {0}")]
    Certificate(#[from] CredentialError),
    #[error("the stored credential has no {0}")]
    Incomplete(&'static str),
}

/// True when the mailbox has a credential to ask for tokens with: its registration's, or
/// a secret saved before registrations existed and not yet adopted.
pub fn has_credential(settings: &settings::Model) -> bool {
    settings.app_credential_id.is_some() || settings.client_secret_encrypted.is_some()
}

/// The credential mailbox `settings` authenticates with, decrypted; None when it has none
/// (or its credential row was removed).
pub async fn credential_of(
    db: &impl ConnectionTrait,
    cipher: &Cipher,
    settings: &settings::Model,
) -> Result<Option<ClientCredential>, CredentialLoadError> {
    if let Some(id) = settings.app_credential_id {
        let Some(row) = credential::Entity::find_by_id(id).one(db).await? else {
            return Ok(None);
        };
        return decrypt(cipher, &row).map(Some);
    }
    // Saved before registrations existed; the server adopts it at its next start.
    match settings.client_secret_encrypted.as_deref() {
        Some(stored) => {
            let secret = cipher.decrypt(stored, SecretColumn::ClientSecret)?.secret;
            Ok(Some(ClientCredential::Secret(secret)))
        }
        None => Ok(None),
    }
}

/// One credential row as a [`ClientCredential`].
pub(crate) fn decrypt(
    cipher: &Cipher,
    row: &credential::Model,
) -> Result<ClientCredential, CredentialLoadError> {
    match CredentialKind::parse(&row.kind) {
        CredentialKind::Secret => {
            let stored = row
                .secret_encrypted
                .as_deref()
                .ok_or(CredentialLoadError::Incomplete("secret"))?;
            let secret = cipher
                .decrypt(stored, SecretColumn::CredentialSecret)?
                .secret;
            Ok(ClientCredential::Secret(secret))
        }
        CredentialKind::Certificate => {
            let stored = row
                .private_key_encrypted
                .as_deref()
                .ok_or(CredentialLoadError::Incomplete("private key"))?;
            let key = cipher
                .decrypt(stored, SecretColumn::CredentialPrivateKey)?
                .secret;
            let pem = row.certificate_pem.as_deref().unwrap_or_default();
            Ok(ClientCredential::Certificate(CertificateCredential::load(
                pem, &key,
            )?))
        }
    }
}

/// The id of registration `registration_id`'s secret credential holding exactly `value`,
/// adding one when none does: a secret typed for many mailboxes is stored once. A known
/// `expires_at` is recorded on the row (a re-typed secret may bring its date).
pub async fn secret_credential(
    db: &impl ConnectionTrait,
    cipher: &Cipher,
    registration_id: i32,
    value: &SecretString,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i32, CredentialLoadError> {
    let existing = credential::Entity::find()
        .filter(credential::Column::AppRegistrationId.eq(registration_id))
        .filter(credential::Column::Kind.eq(CredentialKind::Secret.as_str()))
        .order_by_asc(credential::Column::Id)
        .all(db)
        .await?;
    for row in existing {
        let same = row
            .secret_encrypted
            .as_deref()
            .and_then(|stored| cipher.decrypt(stored, SecretColumn::CredentialSecret).ok())
            .is_some_and(|d| d.secret.expose_secret() == value.expose_secret());
        if !same {
            continue;
        }
        if expires_at.is_some() && row.expires_at != expires_at {
            let id = row.id;
            let mut active: credential::ActiveModel = row.into();
            active.expires_at = Set(expires_at);
            active.update(db).await?;
            return Ok(id);
        }
        return Ok(row.id);
    }
    let encrypted = cipher.encrypt(value.expose_secret(), SecretColumn::CredentialSecret)?;
    let row = credential::ActiveModel {
        app_registration_id: Set(registration_id),
        kind: Set(CredentialKind::Secret.as_str().to_string()),
        secret_encrypted: Set(Some(encrypted)),
        secret_hint: Set(Some(value.expose_secret().chars().take(3).collect())),
        certificate_pem: Set(None),
        private_key_encrypted: Set(None),
        thumbprint: Set(None),
        expires_at: Set(expires_at),
        verified_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?.id)
}

/// Generates a key pair and a self-signed certificate for registration `registration_id`
/// and stores both (the private key encrypted), with the certificate's end as the
/// credential's expiry. Returns the new credential's id and the certificate, for the admin
/// to upload in Azure. No mailbox uses it until it is chosen.
pub async fn add_certificate(
    db: &impl ConnectionTrait,
    cipher: &Cipher,
    registration_id: i32,
    app_name: &str,
    validity: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<(i32, CertificateCredential), CredentialLoadError> {
    let generated = generate_certificate(app_name, now, validity)?;
    let certificate = generated.credential;
    let key = cipher.encrypt(
        generated.private_key_pem.expose_secret(),
        SecretColumn::CredentialPrivateKey,
    )?;
    let row = credential::ActiveModel {
        app_registration_id: Set(registration_id),
        kind: Set(CredentialKind::Certificate.as_str().to_string()),
        secret_encrypted: Set(None),
        secret_hint: Set(None),
        certificate_pem: Set(Some(certificate.certificate_pem().to_string())),
        private_key_encrypted: Set(Some(key)),
        thumbprint: Set(Some(certificate.sha1_thumbprint())),
        expires_at: Set(Some(certificate.not_after())),
        verified_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let id = row.insert(db).await?.id;
    Ok((id, certificate))
}
