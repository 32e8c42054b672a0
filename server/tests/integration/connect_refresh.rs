//! `ensure_fresh_access_token` against the fake: only when due, the rotated refresh token
//! stored, revocation → reconnect needed with the code, one request for two refreshers.

use std::time::Duration;

use backend::cipher::SecretColumn;
use backend::connect::{ensure_fresh_access_token, RefreshError};
use backend::entities::mailbox_microsoft_settings as settings;
use chrono::Utc;
use fake_microsoft::{Endpoint, Fault};
use sea_orm::{DatabaseConnection, EntityTrait};
use secrecy::ExposeSecret;

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::test_cipher;

fn refresh_token(tokens: &backend::entities::mailbox_token::Model) -> String {
    let stored = tokens.refresh_token_encrypted.as_ref().unwrap();
    let decrypted = test_cipher()
        .decrypt(stored, SecretColumn::RefreshToken)
        .unwrap();
    decrypted.secret.expose_secret().to_string()
}

async fn a_fresh_token_is_used_as_it_is(db: DatabaseConnection) {
    let (fake, state, id) = connected_info(&db).await;
    let stored = tokens_of(&db, id).await.unwrap();
    let token = ensure_fresh_access_token(&state, id, Utc::now())
        .await
        .unwrap();
    let expected = test_cipher()
        .decrypt(&stored.access_token_encrypted, SecretColumn::AccessToken)
        .unwrap();
    assert_eq!(token.expose_secret(), expected.secret.expose_secret());
    assert_eq!(fake.token_request_count("refresh_token"), 0);
}

async fn a_due_token_is_refreshed_and_the_new_refresh_token_stored(db: DatabaseConnection) {
    let (fake, state, id) = connected_info(&db).await;
    let before = tokens_of(&db, id).await.unwrap();
    let later = Utc::now() + chrono::Duration::minutes(56);
    let token = ensure_fresh_access_token(&state, id, later).await.unwrap();
    assert_eq!(fake.token_request_count("refresh_token"), 1);
    let after = tokens_of(&db, id).await.unwrap();
    assert_ne!(refresh_token(&after), refresh_token(&before), "rotated");
    assert!(after.expires_at > later + chrono::Duration::minutes(50));
    assert_eq!(after.refresh_lease_holder, None, "lease released");
    let stored = test_cipher()
        .decrypt(&after.access_token_encrypted, SecretColumn::AccessToken)
        .unwrap();
    assert_eq!(token.expose_secret(), stored.secret.expose_secret());
    // Fresh again: no second request.
    ensure_fresh_access_token(&state, id, later).await.unwrap();
    assert_eq!(fake.token_request_count("refresh_token"), 1);
}

async fn a_revoked_grant_needs_a_reconnect_and_keeps_the_tokens(db: DatabaseConnection) {
    let (fake, state, id) = connected_info(&db).await;
    let before = tokens_of(&db, id).await.unwrap();
    fake.revoke_refresh_tokens(INFO).unwrap();
    let later = Utc::now() + chrono::Duration::minutes(58);
    let result = ensure_fresh_access_token(&state, id, later).await;
    assert!(
        matches!(result, Err(RefreshError::Refused { .. })),
        "{result:?}"
    );
    let stored = settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.reconnect_needed);
    let attempt = last_attempt(&db).await;
    assert_eq!(
        (attempt.kind.as_str(), attempt.outcome.as_str()),
        ("refresh", "token_failed")
    );
    assert_eq!(attempt.error_codes.as_deref(), Some("50173"));
    let mut after = tokens_of(&db, id).await.unwrap();
    assert_eq!(after.refresh_lease_holder.take(), None);
    assert_eq!(after, before, "the tokens are not deleted");
    let rows = backend::mailboxes::list_rows(&db).await.unwrap();
    assert_eq!(
        rows[0].status,
        rules::mailbox_list::MailboxStatus::ReconnectNeeded
    );
    assert!(matches!(
        ensure_fresh_access_token(&state, id, later).await,
        Err(RefreshError::ReconnectNeeded(_))
    ));
}

async fn an_outage_is_recorded_but_needs_no_reconnect(db: DatabaseConnection) {
    let (fake, state, id) = connected_info(&db).await;
    fake.fail(Endpoint::Token, Fault::ServerError, Some(1));
    let later = Utc::now() + chrono::Duration::minutes(58);
    let result = ensure_fresh_access_token(&state, id, later).await;
    assert!(
        matches!(result, Err(RefreshError::Refused { .. })),
        "{result:?}"
    );
    let stored = settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.reconnect_needed);
    assert_eq!(
        last_attempt(&db).await.error.as_deref(),
        Some("server_error")
    );
    ensure_fresh_access_token(&state, id, later).await.unwrap();
}

async fn two_refreshers_make_one_request(db: DatabaseConnection) {
    let (fake, state, id) = connected_info(&db).await;
    let other = state_with(db.clone(), &fake, Duration::from_secs(2));
    fake.fail(Endpoint::Token, Fault::Latency { millis: 300 }, Some(1));
    let later = Utc::now() + chrono::Duration::minutes(58);
    let (a, b) = tokio::join!(
        ensure_fresh_access_token(&state, id, later),
        ensure_fresh_access_token(&other, id, later)
    );
    assert_eq!(a.unwrap().expose_secret(), b.unwrap().expose_secret());
    assert_eq!(fake.token_request_count("refresh_token"), 1);
}

async fn a_key_rotation_reencrypts_the_tokens(db: DatabaseConnection) {
    use backend::cipher::{Cipher, EncryptionKey};
    let (_fake, _state, id) = connected_info(&db).await;
    let before = refresh_token(&tokens_of(&db, id).await.unwrap());
    let new_key = EncryptionKey::from_bytes([9; 32]);
    let rotating = Cipher::new(&new_key, Some(&EncryptionKey::from_bytes([7; 32])));
    let done = backend::reencrypt::reencrypt_secrets(&db, &rotating)
        .await
        .unwrap();
    assert_eq!(done.tokens, 1);
    let stored = tokens_of(&db, id).await.unwrap();
    let only_new = Cipher::new(&new_key, None);
    let refresh = only_new
        .decrypt(
            stored.refresh_token_encrypted.as_ref().unwrap(),
            SecretColumn::RefreshToken,
        )
        .unwrap();
    assert_eq!(refresh.secret.expose_secret(), before);
    assert!(only_new
        .decrypt(&stored.access_token_encrypted, SecretColumn::AccessToken)
        .is_ok());
}

on_every_database!(
    a_key_rotation_reencrypts_the_tokens,
    a_fresh_token_is_used_as_it_is,
    a_due_token_is_refreshed_and_the_new_refresh_token_stored,
    a_revoked_grant_needs_a_reconnect_and_keeps_the_tokens,
    an_outage_is_recorded_but_needs_no_reconnect,
    two_refreshers_make_one_request,
);
