//! The authorization_code grant: PKCE (S256 with the RFC 7636 vector, plain), single use,
//! expiry, redirect URI and tenant checks (docs/microsoft.md §3, §7).

use chrono::Duration;

use crate::support::*;

#[tokio::test]
async fn code_redeems_with_the_rfc_7636_verifier() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let response = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
            ("scope", SCOPE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store, no-cache");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        body["expires_in"].is_i64() && body["ext_expires_in"].is_i64(),
        "numbers, not strings"
    );
    assert!(
        body["access_token"].is_string()
            && body["refresh_token"].is_string()
            && body["id_token"].is_string()
    );
    let scope = body["scope"].as_str().unwrap();
    assert!(
        scope.contains("https://graph.microsoft.com/Mail.Read") && scope.contains("openid"),
        "{scope}"
    );
    let claims =
        fake_microsoft::identity::issue::claims(body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["scp"], "openid profile Mail.Read");
    assert_eq!(claims["oid"], INFO_ID);
    assert_eq!(fake.token_request_count("authorization_code"), 1);
}

#[tokio::test]
async fn pkce_plain_works_and_a_wrong_verifier_is_501481() {
    let fake = demo().await;
    let plain = "a-plain-verifier-that-is-long-enough-for-rfc-7636-rules";
    let callback = sign_in(
        &fake,
        INFO,
        INFO_PASSWORD,
        &[
            ("code_challenge", plain),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    let code = query(&callback).remove("code").unwrap();
    let form = |verifier: &'static str| {
        vec![
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier),
        ]
    };
    let (status, body) = token(&fake, TENANT, &form(VERIFIER)).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 501481);
    let (status, body) = token(
        &fake,
        TENANT,
        &form("a-plain-verifier-that-is-long-enough-for-rfc-7636-rules"),
    )
    .await;
    assert_eq!(
        status, 200,
        "a failed verifier does not burn the code: {body}"
    );
}

#[tokio::test]
async fn s256_challenge_rejects_the_challenge_itself_as_verifier() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", CHALLENGE),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_grant", 501481);
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_request", 900144);
}

#[tokio::test]
async fn a_code_is_single_use_54005() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    assert_eq!(redeem(&fake, &code).await.0, 200);
    let (status, body) = redeem(&fake, &code).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 54005);
    assert_eq!(fake.token_request_count("authorization_code"), 2);
}

#[tokio::test]
async fn concurrent_redemptions_succeed_once() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (a, b) = tokio::join!(redeem(&fake, &code), redeem(&fake, &code));
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 400]);
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes_70008() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    fake.advance_clock(Duration::minutes(10) + Duration::seconds(5));
    let (status, body) = redeem(&fake, &code).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 70008);
    let fresh = code_for(&fake, INFO, INFO_PASSWORD).await;
    fake.advance_clock(Duration::minutes(9));
    assert_eq!(redeem(&fake, &fresh).await.0, 200);
}

#[tokio::test]
async fn a_different_redirect_uri_is_500112() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", &code),
            (
                "redirect_uri",
                "http://localhost:3000/api/oauth/ms-azure/callback",
            ),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_grant", 500112);
}

#[tokio::test]
async fn a_redirect_uri_registered_as_spa_is_9002325() {
    let fake = demo().await;
    let spa = fake_microsoft::directory::RedirectUri {
        uri: REDIRECT_URI.into(),
        platform: fake_microsoft::directory::Platform::Spa,
    };
    let patch = fake_microsoft::ApplicationPatch {
        redirect_uris: Some(vec![spa]),
        ..Default::default()
    };
    fake.update_application(CLIENT_ID.parse().unwrap(), patch)
        .unwrap();
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, body) = redeem(&fake, &code).await;
    assert_aad_error(status, &body, 400, "invalid_request", 9002325);
}

#[tokio::test]
async fn a_code_redeemed_against_another_tenant_is_700005() {
    let fake = demo().await;
    fake.update_application(
        CLIENT_ID.parse().unwrap(),
        fake_microsoft::ApplicationPatch {
            multitenant: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, body) = token(
        &fake,
        OTHER_TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_grant", 700005);
}

#[tokio::test]
async fn unknown_codes_and_grant_types() {
    let fake = demo().await;
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", "0.AnotIssued"),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_grant", 9002313);
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "password"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "unsupported_grant_type", 70003);
    let (status, body) = token(&fake, TENANT, &[("client_id", CLIENT_ID)]).await;
    assert_aad_error(status, &body, 400, "invalid_request", 900144);
}

#[tokio::test]
async fn consent_withdrawn_before_redemption_is_65001() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    fake.set_delegated_consent(CLIENT_ID.parse().unwrap(), INFO, &[])
        .unwrap();
    let (status, body) = redeem(&fake, &code).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 65001);
    assert_eq!(body["suberror"], "consent_required");
}
