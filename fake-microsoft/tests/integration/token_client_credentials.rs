//! The client_credentials grant and client authentication errors (docs/microsoft.md §3, §6, §7).

use chrono::Duration;

use crate::support::*;

fn form<'a>(secret: &'a str, scope: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", secret),
        ("scope", scope),
    ]
}

const DEFAULT: &str = "https://graph.microsoft.com/.default";

#[tokio::test]
async fn client_credentials_token_carries_the_consented_roles() {
    let fake = demo().await;
    let (status, body) = token(&fake, DOMAIN, &form(SECRET, DEFAULT)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
    let claims =
        fake_microsoft::identity::issue::claims(body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(
        claims["roles"],
        serde_json::json!(["Mail.Read", "Mail.ReadWrite", "Mail.Send"])
    );
    assert_eq!(claims["tid"], TENANT);
    assert_eq!(claims["appid"], CLIENT_ID);
    assert_eq!(claims["idtyp"], "app");
    assert_eq!(fake.token_request_count("client_credentials"), 1);
}

#[tokio::test]
async fn without_admin_consent_the_token_has_no_roles() {
    let fake = demo().await;
    fake.set_admin_consent(CLIENT_ID.parse().unwrap(), false)
        .unwrap();
    let (status, body) = token(&fake, TENANT, &form(SECRET, DEFAULT)).await;
    assert_eq!(status, 200);
    let claims =
        fake_microsoft::identity::issue::claims(body["access_token"].as_str().unwrap()).unwrap();
    assert!(claims.get("roles").is_none(), "{claims}");
}

#[tokio::test]
async fn wrong_secret_and_secret_id_are_7000215_with_401() {
    let fake = demo().await;
    for secret in ["abc8Q~wrongwrongwrongwrongwrongwrongwrong", SECRET_ID] {
        let (status, body) = token(&fake, TENANT, &form(secret, DEFAULT)).await;
        assert_aad_error(status, &body, 401, "invalid_client", 7000215);
        assert!(body["error_description"]
            .as_str()
            .unwrap()
            .contains("the client secret value, not the client secret ID"));
    }
}

#[tokio::test]
async fn expired_secret_is_7000222_and_missing_secret_7000218() {
    let fake = demo().await;
    let secret = fake
        .add_client_secret(
            CLIENT_ID.parse().unwrap(),
            fake_microsoft::NewClientSecret {
                expires_at: Some(fake.now() + Duration::days(1)),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(secret.value.len(), 40);
    assert_eq!(
        token(&fake, TENANT, &form(&secret.value, DEFAULT)).await.0,
        200
    );
    fake.advance_clock(Duration::days(2));
    let (status, body) = token(&fake, TENANT, &form(&secret.value, DEFAULT)).await;
    assert_aad_error(status, &body, 401, "invalid_client", 7000222);
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("scope", DEFAULT),
        ],
    )
    .await;
    assert_aad_error(status, &body, 401, "invalid_client", 7000218);
}

#[tokio::test]
async fn secret_via_http_basic_is_accepted() {
    let fake = demo().await;
    let response = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url()))
        .basic_auth(
            CLIENT_ID,
            Some(url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect::<String>()),
        )
        .form(&[("grant_type", "client_credentials"), ("scope", DEFAULT)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn unknown_app_is_700016_and_unknown_tenant_90002() {
    let fake = demo().await;
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "11111111-2222-3333-4444-555555555555"),
            ("client_secret", SECRET),
            ("scope", DEFAULT),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "unauthorized_client", 700016);
    let (status, body) = token(
        &fake,
        "99999999-9999-9999-9999-999999999999",
        &form(SECRET, DEFAULT),
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_request", 90002);
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "not-a-guid"),
            ("client_secret", SECRET),
            ("scope", DEFAULT),
        ],
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_request", 90112);
}

#[tokio::test]
async fn common_is_50194_for_single_tenant_and_50059_for_multitenant() {
    let fake = demo().await;
    let (status, body) = token(&fake, "common", &form(SECRET, DEFAULT)).await;
    assert_aad_error(status, &body, 400, "invalid_request", 50194);
    fake.update_application(
        CLIENT_ID.parse().unwrap(),
        fake_microsoft::ApplicationPatch {
            multitenant: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    let (status, body) = token(&fake, "organizations", &form(SECRET, DEFAULT)).await;
    assert_aad_error(status, &body, 400, "invalid_request", 50059);
    // Multitenant, but nobody in the other tenant consented: not installed there.
    let (status, body) = token(&fake, OTHER_TENANT, &form(SECRET, DEFAULT)).await;
    assert_aad_error(status, &body, 400, "unauthorized_client", 700016);
}

#[tokio::test]
async fn scope_must_be_dot_default_1002012() {
    let fake = demo().await;
    let (status, body) = token(
        &fake,
        TENANT,
        &form(SECRET, "https://graph.microsoft.com/Mail.Read"),
    )
    .await;
    assert_aad_error(status, &body, 400, "invalid_scope", 1002012);
}
