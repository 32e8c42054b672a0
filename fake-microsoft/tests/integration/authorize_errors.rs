//! Authorize errors: Microsoft's own page without a redirect (tenant, client, redirect URI),
//! and errors that go back to the redirect URI (docs/microsoft.md §2, §7).

use fake_microsoft::{SignInBrowser, SignInStep};

use crate::support::*;

/// Opens the URL; asserts Microsoft's error page with `code` and no redirect.
async fn assert_error_page(url: &str, code: u32) -> String {
    let response = http().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    assert!(response.headers().get("location").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"data-page="error""#), "{html}");
    assert!(
        html.contains(&format!(
            r#"<span data-testid="error-code">AADSTS{code}</span>"#
        )),
        "{html}"
    );
    for testid in ["error-trace-id", "error-correlation-id", "error-timestamp"] {
        assert!(
            html.contains(&format!(r#"data-testid="{testid}""#)),
            "{testid}"
        );
    }
    assert!(
        html.contains("Trace ID: ") && html.contains("Correlation ID: "),
        "{html}"
    );
    html
}

#[tokio::test]
async fn redirect_uri_mismatch_is_50011_on_microsofts_page() {
    let fake = demo().await;
    let wrong = "https://crm.example.nl/api/oauth/ms-azure/callback";
    let html = assert_error_page(
        &authorize_url(&fake, TENANT, &[("redirect_uri", wrong)]),
        50011,
    )
    .await;
    assert!(html.contains(&format!(
        "The redirect URI &#39;{wrong}&#39; specified in the request does not match"
    )));
    // Case-sensitive and exact: a trailing slash is a mismatch too.
    let trailing = format!("{REDIRECT_URI}/");
    assert_error_page(
        &authorize_url(&fake, TENANT, &[("redirect_uri", &trailing)]),
        50011,
    )
    .await;
}

#[tokio::test]
async fn unknown_app_is_700016_on_microsofts_page() {
    let fake = demo().await;
    let unknown = "11111111-2222-3333-4444-555555555555";
    let html = assert_error_page(
        &authorize_url(&fake, TENANT, &[("client_id", unknown)]),
        700016,
    )
    .await;
    assert!(html.contains("Energie Coöperatie Demo"));
    // The app exists, but in another tenant and single-tenant.
    assert_error_page(&authorize_url(&fake, OTHER_TENANT, &[]), 700016).await;
}

#[tokio::test]
async fn unknown_tenant_is_90002_and_malformed_900023() {
    let fake = demo().await;
    assert_error_page(
        &authorize_url(&fake, "99999999-9999-9999-9999-999999999999", &[]),
        90002,
    )
    .await;
    assert_error_page(&authorize_url(&fake, "no_such_tenant", &[]), 900023).await;
}

#[tokio::test]
async fn single_tenant_app_on_common_is_50194() {
    let fake = demo().await;
    assert_error_page(&authorize_url(&fake, "common", &[]), 50194).await;
    assert_error_page(&authorize_url(&fake, "organizations", &[]), 50194).await;
}

#[tokio::test]
async fn missing_client_id_is_900144_and_not_a_guid_90112() {
    let fake = demo().await;
    assert_error_page(&authorize_url(&fake, TENANT, &[("client_id", "")]), 900144).await;
    assert_error_page(
        &authorize_url(&fake, TENANT, &[("client_id", "Mailboxen CRM")]),
        90112,
    )
    .await;
}

#[tokio::test]
async fn app_without_redirect_uris_is_500113() {
    let fake = demo().await;
    let client_id = CLIENT_ID.parse().unwrap();
    let patch = fake_microsoft::ApplicationPatch {
        redirect_uris: Some(Vec::new()),
        ..Default::default()
    };
    fake.update_application(client_id, patch).unwrap();
    assert_error_page(
        &authorize_url(&fake, TENANT, &[("redirect_uri", "")]),
        500113,
    )
    .await;
}

#[tokio::test]
async fn bad_response_type_and_missing_scope_go_back_to_the_redirect_uri() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let step = browser
        .open(&authorize_url(&fake, TENANT, &[("response_type", "token")]))
        .await
        .unwrap();
    let SignInStep::Redirect(url) = step else {
        panic!("expected a redirect")
    };
    let params = assert_error_redirect(&url, "unsupported_response_type", 700054);
    assert_eq!(params["state"], "state-123");
    let step = browser
        .open(&authorize_url(&fake, TENANT, &[("scope", "")]))
        .await
        .unwrap();
    let SignInStep::Redirect(url) = step else {
        panic!("expected a redirect")
    };
    assert_error_redirect(&url, "invalid_request", 900144);
    let step = browser
        .open(&authorize_url(&fake, TENANT, &[("prompt", "always")]))
        .await
        .unwrap();
    let SignInStep::Redirect(url) = step else {
        panic!("expected a redirect")
    };
    assert_error_redirect(&url, "invalid_request", 90023);
}

#[tokio::test]
async fn prompt_none_without_session_is_login_required_50058() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let step = browser
        .open(&authorize_url(&fake, TENANT, &[("prompt", "none")]))
        .await
        .unwrap();
    let SignInStep::Redirect(url) = step else {
        panic!("expected a redirect")
    };
    let params = assert_error_redirect(&url, "login_required", 50058);
    assert_eq!(params["state"], "state-123");
}
