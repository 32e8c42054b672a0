//! The sign-in pages: password form, account picker, prompts, consent, cancel, and the
//! errors shown after sign-in (docs/microsoft.md §2, §7).

use fake_microsoft::{ConsentChoice, SignInBrowser, SignInPage, SignInStep};
use url::Url;

use crate::support::*;

pub fn page(step: SignInStep) -> SignInPage {
    match step {
        SignInStep::Page(page) => page,
        SignInStep::Redirect(url) => panic!("expected a page, got a redirect to {url}"),
    }
}

pub fn redirect(step: SignInStep) -> Url {
    match step {
        SignInStep::Redirect(url) => url,
        SignInStep::Page(page) => panic!(
            "expected a redirect, got a {} page: {}",
            page.kind(),
            page.html
        ),
    }
}

/// A browser signed in as `login` (consent accepted).
pub async fn signed_in_browser(
    fake: &fake_microsoft::FakeMicrosoft,
    login: &str,
    password: &str,
) -> SignInBrowser {
    let mut browser = SignInBrowser::new().unwrap();
    let url = authorize_url(fake, TENANT, &[]);
    redirect(
        browser
            .sign_in(&url, login, password, ConsentChoice::Accept)
            .await
            .unwrap(),
    );
    browser
}

#[tokio::test]
async fn password_sign_in_redirects_with_code_state_and_session_state() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let login = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[("state", "a b&c=d")]))
            .await
            .unwrap(),
    );
    assert_eq!(login.kind(), "login");
    for testid in [
        "login-email",
        "login-password",
        "login-submit",
        "login-cancel",
    ] {
        assert!(
            login.html.contains(&format!(r#"data-testid="{testid}""#)),
            "{testid}"
        );
    }
    assert!(
        login.html.contains(r#"<label for="login-email">"#)
            && login.html.contains(r#"<label for="login-password">"#)
    );
    let callback = redirect(
        browser
            .submit_password(&login, INFO, INFO_PASSWORD)
            .await
            .unwrap(),
    );
    assert!(
        callback
            .as_str()
            .starts_with(&format!("{REDIRECT_URI}?code=")),
        "{callback}"
    );
    assert!(
        callback.as_str().contains("state=a+b%26c%3Dd"),
        "state is percent-encoded: {callback}"
    );
    let params = query(&callback);
    assert!(params["code"].len() > 40);
    assert_eq!(params["state"], "a b&c=d");
    assert!(uuid::Uuid::parse_str(&params["session_state"]).is_ok());
    assert!(browser.session_cookie().is_some());
}

#[tokio::test]
async fn wrong_password_and_unknown_account_show_inline_errors() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let login = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[]))
            .await
            .unwrap(),
    );
    let retry = page(
        browser
            .submit_password(&login, INFO, "wrong")
            .await
            .unwrap(),
    );
    assert_eq!(retry.kind(), "login");
    assert_eq!(retry.error_code(), Some(50126));
    assert!(retry.html.contains(r#"data-testid="login-error""#));
    assert!(retry.html.contains(
        "AADSTS50126: Error validating credentials due to invalid username or password."
    ));
    assert!(
        retry.html.contains(&format!(r#"value="{INFO}""#)),
        "keeps the e-mail"
    );
    let unknown = page(
        browser
            .submit_password(&retry, "nobody@energiedemo.onmicrosoft.com", "x")
            .await
            .unwrap(),
    );
    assert_eq!(unknown.error_code(), Some(50034));
    // The flow goes on after a mistake.
    redirect(
        browser
            .submit_password(&unknown, INFO, INFO_PASSWORD)
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn cancel_on_the_login_page_is_access_denied_with_subcode_cancel() {
    let fake = demo().await;
    let mut browser = SignInBrowser::new().unwrap();
    let login = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[]))
            .await
            .unwrap(),
    );
    let callback = redirect(browser.cancel(&login).await.unwrap());
    let params = assert_error_redirect(&callback, "access_denied", 65004);
    assert_eq!(params["error_subcode"], "cancel");
    assert_eq!(params["state"], "state-123");
}

#[tokio::test]
async fn a_single_session_signs_in_silently_and_prompt_login_forces_the_form() {
    let fake = demo().await;
    let mut browser = signed_in_browser(&fake, INFO, INFO_PASSWORD).await;
    let silent = redirect(
        browser
            .open(&authorize_url(&fake, TENANT, &[]))
            .await
            .unwrap(),
    );
    assert!(query(&silent).contains_key("code"));
    let silent_none = redirect(
        browser
            .open(&authorize_url(&fake, TENANT, &[("prompt", "none")]))
            .await
            .unwrap(),
    );
    assert!(query(&silent_none).contains_key("code"));
    let forced = page(
        browser
            .open(&authorize_url(
                &fake,
                TENANT,
                &[("prompt", "login"), ("login_hint", LEDEN)],
            ))
            .await
            .unwrap(),
    );
    assert_eq!(forced.kind(), "login");
    assert!(
        forced.html.contains(&format!(r#"value="{LEDEN}""#)),
        "login_hint prefills the e-mail"
    );
}

#[tokio::test]
async fn select_account_shows_the_picker_with_signed_in_accounts() {
    let fake = demo().await;
    let mut browser = signed_in_browser(&fake, INFO, INFO_PASSWORD).await;
    let other = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[("prompt", "login")]))
            .await
            .unwrap(),
    );
    redirect(
        browser
            .sign_in_password_and_consent(&other, LEDEN, LEDEN_PASSWORD)
            .await,
    );
    let picker = page(
        browser
            .open(&authorize_url(
                &fake,
                TENANT,
                &[("prompt", "select_account"), ("login_hint", LEDEN)],
            ))
            .await
            .unwrap(),
    );
    assert_eq!(picker.kind(), "picker");
    assert_eq!(picker.accounts(), [INFO, LEDEN]);
    assert!(picker
        .html
        .contains(&format!(r#"class="account" data-testid="account-{INFO}""#)));
    assert!(
        picker.html.contains(&format!(
            r#"autofocus aria-current="true" data-testid="account-{LEDEN}""#
        )),
        "login_hint preselects"
    );
    assert!(picker.html.contains(r#"data-testid="use-another-account""#));
    let chosen = redirect(browser.choose_account(&picker, Some(LEDEN)).await.unwrap());
    assert!(query(&chosen).contains_key("code"));
    // Two accounts and no prompt: the picker again; with a hint: straight through.
    let picker = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[]))
            .await
            .unwrap(),
    );
    assert_eq!(picker.kind(), "picker");
    let another = page(browser.choose_account(&picker, None).await.unwrap());
    assert_eq!(another.kind(), "login");
    redirect(
        browser
            .open(&authorize_url(&fake, TENANT, &[("login_hint", INFO)]))
            .await
            .unwrap(),
    );
    // prompt=none with two accounts and no hint cannot choose.
    let none = redirect(
        browser
            .open(&authorize_url(&fake, TENANT, &[("prompt", "none")]))
            .await
            .unwrap(),
    );
    assert_error_redirect(&none, "interaction_required", 16000);
}

trait PasswordAndConsent {
    async fn sign_in_password_and_consent(
        &mut self,
        page: &SignInPage,
        login: &str,
        password: &str,
    ) -> SignInStep;
}

impl PasswordAndConsent for SignInBrowser {
    async fn sign_in_password_and_consent(
        &mut self,
        page: &SignInPage,
        login: &str,
        password: &str,
    ) -> SignInStep {
        match self.submit_password(page, login, password).await.unwrap() {
            SignInStep::Page(consent) if consent.kind() == "consent" => {
                self.consent(&consent, ConsentChoice::Accept).await.unwrap()
            }
            step => step,
        }
    }
}

#[tokio::test]
async fn logout_forgets_the_session() {
    let fake = demo().await;
    let mut browser = signed_in_browser(&fake, INFO, INFO_PASSWORD).await;
    let signed_out = page(
        browser
            .open(&format!("{}/{TENANT}/oauth2/v2.0/logout", fake.base_url()))
            .await
            .unwrap(),
    );
    assert_eq!(signed_out.kind(), "signed-out");
    let login = page(
        browser
            .open(&authorize_url(&fake, TENANT, &[]))
            .await
            .unwrap(),
    );
    assert_eq!(login.kind(), "login");
}
