//! A mailbox's client secret as the server reads it (through its app registration's
//! credential), and replacing it as an admin pasting a new value for the registration would.

use backend::app_registrations::credential_of;
use backend::cipher::{Cipher, SecretColumn};
use backend::entities::{app_credential as credential, mailbox_microsoft_settings as settings};
use backend::microsoft::identity::ClientCredential;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use secrecy::ExposeSecret;

/// The secret mailbox `id` authenticates with, decrypted; None without one.
pub async fn stored_client_secret(
    db: &DatabaseConnection,
    cipher: &Cipher,
    id: i32,
) -> Option<String> {
    let row = settings::Entity::find_by_id(id).one(db).await.unwrap()?;
    match credential_of(db, cipher, &row).await.unwrap()? {
        ClientCredential::Secret(secret) => Some(secret.expose_secret().to_string()),
        ClientCredential::Certificate(_) => None,
    }
}

/// Stores `value` as the secret of the credential mailbox `id` uses, directly in the
/// database (no form, no preflight): the secret the app registration now has.
pub async fn replace_client_secret(db: &DatabaseConnection, cipher: &Cipher, id: i32, value: &str) {
    let row = settings::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let credential_id = row
        .app_credential_id
        .expect("the mailbox uses a credential");
    let stored = credential::Entity::find_by_id(credential_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut active: credential::ActiveModel = stored.into();
    active.secret_encrypted = Set(Some(
        cipher
            .encrypt(value, SecretColumn::CredentialSecret)
            .unwrap(),
    ));
    active.update(db).await.unwrap();
}

/// The app registration mailbox `id` belongs to.
pub async fn registration_of(db: &DatabaseConnection, id: i32) -> i32 {
    settings::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .app_registration_id
        .expect("a Microsoft Api mailbox has an app registration")
}
