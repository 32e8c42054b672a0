//! Consent (accept, decline, prompt=consent, admin consent) and the errors shown after
//! sign-in: 50020, 50105, 90094 (docs/microsoft.md §2, §5, §7).

use fake_microsoft::{ConsentChoice, SignInBrowser};
use url::Url;

use crate::sign_in::{page, redirect, signed_in_browser};
use crate::support::*;

#[tokio::test]
async fn missing_consent_shows_the_consent_page_and_accepting_records_it() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let login = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[]))
            .await
            .unwrap(),
    );
    let consent = page(
        browser
            .submit_password(&login, LEDEN, LEDEN_PASSWORD)
            .await
            .unwrap(),
    );
    assert_eq!(consent.kind(), "consent");
    assert!(
        consent.html.contains(r#"data-testid="consent-accept""#)
            && consent.html.contains(r#"data-testid="consent-cancel""#)
    );
    assert!(consent.html.contains("Read your mail"));
    let callback = redirect(
        browser
            .consent(&consent, ConsentChoice::Accept)
            .await
            .unwrap(),
    );
    assert!(query(&callback).contains_key("code"));
    let directory = fake.directory();
    let app = &directory.tenants[0].applications[0];
    let granted = app.consented_scopes(LEDEN_ID.parse().unwrap());
    assert!(
        granted.iter().any(|s| s == "Mail.Read") && granted.iter().any(|s| s == "offline_access"),
        "{granted:?}"
    );
    // Next time no consent page.
    let again = fake_microsoft::SignInBrowser::new()
        .unwrap()
        .sign_in(
            &authorize_url(&fake, TENANT, &[]),
            LEDEN,
            LEDEN_PASSWORD,
            ConsentChoice::Cancel,
        )
        .await
        .unwrap();
    assert!(query(&redirect(again)).contains_key("code"));
}

#[tokio::test]
async fn declined_consent_is_access_denied_65004() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let callback = redirect(
        browser
            .sign_in(
                &authorize_url(&fake, TENANT, &[]),
                LEDEN,
                LEDEN_PASSWORD,
                ConsentChoice::Cancel,
            )
            .await
            .unwrap(),
    );
    let params = assert_error_redirect(&callback, "access_denied", 65004);
    assert_eq!(params["error_subcode"], "cancel");
    assert_eq!(params["state"], "state-123");
    assert!(params["error_description"].contains("User declined to consent to access the app."));
}

#[tokio::test]
async fn prompt_consent_asks_even_when_consented_and_prompt_none_needs_consent() {
    let fake = demo().await;
    let mut browser = signed_in_browser(&fake, INFO, INFO_PASSWORD).await;
    let consent = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[("prompt", "consent")]))
            .await
            .unwrap(),
    );
    assert_eq!(consent.kind(), "consent");
    redirect(
        browser
            .consent(&consent, ConsentChoice::Accept)
            .await
            .unwrap(),
    );
    let scope = format!(
        "{SCOPE} https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/Calendars.Read"
    );
    let missing = redirect(
        browser
            .open(&authorize_url(
                &fake,
                TENANT,
                &[("prompt", "none"), ("scope", &scope)],
            ))
            .await
            .unwrap(),
    );
    let params = assert_error_redirect(&missing, "consent_required", 65001);
    assert!(params["error_description"].contains(&format!(
        "has not consented to use the application with ID '{CLIENT_ID}' named 'Mailboxen CRM'"
    )));
}

#[tokio::test]
async fn account_from_another_tenant_is_50020() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let step = browser
        .sign_in(
            &authorize_url(&fake, TENANT, &[]),
            JAN,
            JAN_PASSWORD,
            ConsentChoice::Accept,
        )
        .await
        .unwrap();
    let error = page(step);
    assert_eq!(error.kind(), "error");
    assert_eq!(error.error_code(), Some(50020));
    assert!(error.html.contains(&format!("User account &#39;{JAN}&#39; from identity provider &#39;https://sts.windows.net/{OTHER_TENANT}/&#39; does not exist in tenant &#39;Energie Coöperatie Demo&#39;")));
}

#[tokio::test]
async fn unassigned_user_is_50105() {
    let fake = demo().await;
    let patch = fake_microsoft::ApplicationPatch {
        assignment_required: Some(true),
        assigned_users: Some(vec![LEDEN_ID.parse().unwrap()]),
        ..Default::default()
    };
    fake.update_application(CLIENT_ID.parse().unwrap(), patch)
        .unwrap();
    let mut browser = SignInBrowser::new().unwrap();
    let error = page(
        browser
            .sign_in(
                &authorize_url(&fake, TENANT, &[]),
                INFO,
                INFO_PASSWORD,
                ConsentChoice::Accept,
            )
            .await
            .unwrap(),
    );
    assert_eq!(error.error_code(), Some(50105));
    let mut browser = SignInBrowser::new().unwrap();
    redirect(
        browser
            .sign_in(
                &authorize_url(&fake, TENANT, &[]),
                LEDEN,
                LEDEN_PASSWORD,
                ConsentChoice::Accept,
            )
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn users_who_may_not_consent_see_90094() {
    let fake = demo().await;
    fake.with_directory(|d| d.tenants[0].user_consent_allowed = false)
        .unwrap();
    let mut browser = SignInBrowser::new().unwrap();
    let error = page(
        browser
            .sign_in(
                &authorize_url(&fake, TENANT, &[]),
                LEDEN,
                LEDEN_PASSWORD,
                ConsentChoice::Accept,
            )
            .await
            .unwrap(),
    );
    assert_eq!(error.error_code(), Some(90094));
}

fn admin_consent_url(fake: &fake_microsoft::FakeMicrosoft, tenant: &str) -> String {
    let mut url = Url::parse(&format!("{}/{tenant}/v2.0/adminconsent", fake.base_url())).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", CLIENT_ID)
        .append_pair("scope", "https://graph.microsoft.com/.default")
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("state", "adm-1");
    url.to_string()
}

#[tokio::test]
async fn admin_consent_grants_application_permissions() {
    let fake = demo().await;
    fake.set_admin_consent(CLIENT_ID.parse().unwrap(), false)
        .unwrap();
    let mut browser = SignInBrowser::new().unwrap();
    let login = page(
        browser
            .open(&admin_consent_url(&fake, TENANT))
            .await
            .unwrap(),
    );
    let consent = page(
        browser
            .submit_password(&login, ADMIN, ADMIN_PASSWORD)
            .await
            .unwrap(),
    );
    assert_eq!(consent.kind(), "admin-consent");
    assert!(consent.html.contains("Energie Coöperatie Demo"));
    let callback = redirect(
        browser
            .consent(&consent, ConsentChoice::Accept)
            .await
            .unwrap(),
    );
    let params = query(&callback);
    assert_eq!(params["admin_consent"], "True");
    assert_eq!(params["tenant"], TENANT);
    assert_eq!(params["scope"], "https://graph.microsoft.com/.default");
    assert_eq!(params["state"], "adm-1");
    assert!(fake.directory().tenants[0].applications[0].admin_consent_granted);
}

#[tokio::test]
async fn admin_consent_cancel_keeps_admin_consent_true_next_to_the_error() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let callback = redirect(
        browser
            .sign_in(
                &admin_consent_url(&fake, TENANT),
                ADMIN,
                ADMIN_PASSWORD,
                ConsentChoice::Cancel,
            )
            .await
            .unwrap(),
    );
    let params = assert_error_redirect(&callback, "access_denied", 65004);
    assert_eq!(params["admin_consent"], "True");
    assert_eq!(params["state"], "adm-1");
    // A non-admin cannot grant it.
    let mut browser = SignInBrowser::new().unwrap();
    let error = page(
        browser
            .sign_in(
                &admin_consent_url(&fake, TENANT),
                INFO,
                INFO_PASSWORD,
                ConsentChoice::Accept,
            )
            .await
            .unwrap(),
    );
    assert_eq!(error.error_code(), Some(90094));
}
