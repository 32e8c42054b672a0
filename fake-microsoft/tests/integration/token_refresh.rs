//! The refresh_token grant: rotation, revocation, MFA, inactivity (docs/microsoft.md §3, §7).

use chrono::Duration;

use crate::support::*;

async fn refresh_token_for(
    fake: &fake_microsoft::FakeMicrosoft,
    login: &str,
    password: &str,
) -> String {
    let code = code_for(fake, login, password).await;
    let (status, body) = redeem(fake, &code).await;
    assert_eq!(status, 200, "{body}");
    body["refresh_token"].as_str().unwrap().to_owned()
}

async fn refresh(
    fake: &fake_microsoft::FakeMicrosoft,
    refresh_token: &str,
    scope: &str,
) -> (u16, serde_json::Value) {
    token(
        fake,
        TENANT,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("refresh_token", refresh_token),
            ("scope", scope),
        ],
    )
    .await
}

#[tokio::test]
async fn every_refresh_returns_a_new_refresh_token() {
    let fake = demo().await;
    let first = refresh_token_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, body) = refresh(&fake, &first, SCOPE).await;
    assert_eq!(status, 200, "{body}");
    let second = body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert!(body["access_token"].is_string() && body["id_token"].is_string());
    let (status, body) = refresh(&fake, &second, "https://graph.microsoft.com/Mail.Read").await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["refresh_token"].is_string(),
        "rotation also without offline_access in scope"
    );
    assert_eq!(fake.token_request_count("refresh_token"), 2);
    assert_eq!(fake.reused_refresh_tokens(), 0);
    // Microsoft keeps the old one valid; the fake counts the reuse.
    assert_eq!(refresh(&fake, &first, SCOPE).await.0, 200);
    assert_eq!(fake.reused_refresh_tokens(), 1);
}

#[tokio::test]
async fn revoked_refresh_token_is_50173() {
    let fake = demo().await;
    let refresh_token = refresh_token_for(&fake, INFO, INFO_PASSWORD).await;
    fake.advance_clock(Duration::seconds(2));
    fake.revoke_refresh_tokens(INFO).unwrap();
    let (status, body) = refresh(&fake, &refresh_token, SCOPE).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 50173);
    assert_eq!(body["suberror"], "bad_token");
    // A fresh sign-in works again.
    let fresh = refresh_token_for(&fake, INFO, INFO_PASSWORD).await;
    assert_eq!(refresh(&fake, &fresh, SCOPE).await.0, 200);
}

#[tokio::test]
async fn mfa_required_after_sign_in_is_50076_until_signing_in_again() {
    let fake = demo().await;
    let refresh_token = refresh_token_for(&fake, INFO, INFO_PASSWORD).await;
    fake.set_mfa_required(INFO, true).unwrap();
    let (status, body) = refresh(&fake, &refresh_token, SCOPE).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 50076);
    let fresh = refresh_token_for(&fake, INFO, INFO_PASSWORD).await;
    assert_eq!(refresh(&fake, &fresh, SCOPE).await.0, 200);
}

#[tokio::test]
async fn refresh_token_unused_for_90_days_is_700082() {
    let fake = demo().await;
    let refresh_token = refresh_token_for(&fake, INFO, INFO_PASSWORD).await;
    fake.advance_clock(Duration::days(91));
    let (status, body) = refresh(&fake, &refresh_token, SCOPE).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 700082);
}

#[tokio::test]
async fn unconsented_scope_on_refresh_is_65001() {
    let fake = demo().await;
    let refresh_token = refresh_token_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, body) = refresh(
        &fake,
        &refresh_token,
        "https://graph.microsoft.com/Calendars.Read",
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_grant", 65001);
}

#[tokio::test]
async fn unknown_refresh_token_is_9002313_and_missing_900144() {
    let fake = demo().await;
    let (status, body) = refresh(&fake, "0.Anever-issued", SCOPE).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 9002313);
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_request", 900144);
}
