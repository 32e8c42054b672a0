//! A whole connect flow (save → Microsoft sign-in → callback → refresh) with the log captured
//! at debug level: no token, code, PKCE verifier or secret value in the log or a response.

use std::time::Duration;

use backend::cipher::SecretColumn;
use backend::connect::ensure_fresh_access_token;
use fake_microsoft::SignInBrowser;
use http::StatusCode;
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;

use crate::access_no_leaks::captured_log;
use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{get, test_cipher};

fn stored_tokens(model: &backend::entities::mailbox_token::Model) -> Vec<String> {
    let cipher = test_cipher();
    let access = cipher
        .decrypt(&model.access_token_encrypted, SecretColumn::AccessToken)
        .unwrap();
    let refresh = cipher
        .decrypt(
            model.refresh_token_encrypted.as_ref().unwrap(),
            SecretColumn::RefreshToken,
        )
        .unwrap();
    vec![
        access.secret.expose_secret().to_string(),
        refresh.secret.expose_secret().to_string(),
    ]
}

async fn no_token_or_secret_reaches_a_log_or_a_response(db: DatabaseConnection) {
    let buffer = captured_log();
    let fake = fake().await;
    let state = state_with(db.clone(), &fake, Duration::from_secs(5));
    let router = router_of(state.clone()).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let verifier = last_attempt(&db).await.pkce_verifier_encrypted.unwrap();
    let verifier = test_cipher()
        .decrypt(&verifier, SecretColumn::PkceVerifier)
        .unwrap()
        .secret
        .expose_secret()
        .to_string();

    let mut browser = SignInBrowser::new().unwrap();
    let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;
    let code = url::Url::parse(&format!("http://x{back}"))
        .unwrap()
        .query_pairs()
        .find(|(name, _)| name == "code")
        .map(|(_, value)| value.into_owned())
        .unwrap();
    let mut bodies = Vec::new();
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    bodies.push(answer.body);
    // The same code again: refused, and the refusal page must not echo it either.
    bodies.push(callback(&router, &back).await.body);
    let mut secrets = stored_tokens(&tokens_of(&db, id).await.unwrap());

    // A refresh when due rotates both tokens; the new ones must stay out of the log too.
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    ensure_fresh_access_token(&state, id, later).await.unwrap();
    secrets.extend(stored_tokens(&tokens_of(&db, id).await.unwrap()));

    for path in [
        format!("/instellingen/mailboxen/{id}"),
        "/instellingen/mailboxen".to_string(),
    ] {
        bodies.push(get(&router, &path).await.1);
    }
    secrets.extend([
        code,
        verifier,
        SECRET.to_string(),
        INFO_PASSWORD.to_string(),
    ]);

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("callback"), "the log was captured");
    for secret in &secrets {
        assert!(secret.len() >= 16, "a real secret value: {secret}");
        assert!(
            !log.contains(secret.as_str()),
            "the log holds a secret value"
        );
        for body in &bodies {
            assert!(
                !body.contains(secret.as_str()),
                "a response holds a secret value"
            );
        }
    }
}

on_every_database!(no_token_or_secret_reaches_a_log_or_a_response);
