//! Key rotation: `reencrypt_secrets` moves every secret to the current key.

use backend::cipher::{Cipher, EncryptionKey, SecretColumn};
use backend::entities::{
    app_credential as credential, mailbox, mailbox_microsoft_settings as settings,
};
use backend::reencrypt::{reencrypt_secrets, Reencrypted};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{registration_of, signed_in_router, test_cipher};

async fn rotation_re_encrypts_with_the_new_key(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let ms = create(&router, &microsoft_fields()).await;
    let imap = create(&router, &imap_smtp_fields()).await;
    // A certificate made for the mailbox's app registration: its private key is a secret too.
    let registration = registration_of(&db, ms).await;
    let (certificate, _) = backend::app_registrations::add_certificate(
        &db,
        &test_cipher(),
        registration,
        "Mailboxen test",
        chrono::Duration::days(365),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let new_key = EncryptionKey::from_bytes([9; 32]);
    let only_new = Cipher::new(&new_key, None);
    let old_key = EncryptionKey::from_bytes([7; 32]);

    // Without the old key nothing can be decrypted, and nothing changes.
    assert!(reencrypt_secrets(&db, &only_new).await.is_err());

    let rotating = Cipher::new(&new_key, Some(&old_key));
    let done = reencrypt_secrets(&db, &rotating).await.unwrap();
    assert_eq!(
        done,
        Reencrypted {
            passwords: 1,
            client_secrets: 1,
            private_keys: 1,
            tokens: 0,
        }
    );

    // The secret is stored once, in the mailbox's app registration.
    let uses = settings::Entity::find_by_id(ms)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .app_credential_id
        .unwrap();
    let secret = credential::Entity::find_by_id(uses)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .secret_encrypted
        .unwrap();
    assert!(only_new
        .decrypt(&secret, SecretColumn::CredentialSecret)
        .is_ok());
    assert!(test_cipher()
        .decrypt(&secret, SecretColumn::CredentialSecret)
        .is_err());
    let key = credential::Entity::find_by_id(certificate)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .private_key_encrypted
        .unwrap();
    assert!(only_new
        .decrypt(&key, SecretColumn::CredentialPrivateKey)
        .is_ok());
    assert!(test_cipher()
        .decrypt(&key, SecretColumn::CredentialPrivateKey)
        .is_err());
    let password = mailbox::Entity::find_by_id(imap)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let password = password.password_encrypted.unwrap();
    assert!(only_new
        .decrypt(&password, SecretColumn::MailboxPassword)
        .is_ok());
}

on_every_database!(rotation_re_encrypts_with_the_new_key);
