//! Certificate credentials over real HTTP against the fake Microsoft (issue 19): a
//! certificate generated here, uploaded to the app registration, authenticates all three
//! grants; each refusal arrives with its advice; neither the private key nor an assertion
//! reaches the log or a failure's Debug output.

use std::sync::OnceLock;
use std::time::Duration;

use backend::microsoft::identity::credential::{generate_certificate, GeneratedCertificate};
use backend::microsoft::identity::token_client::{http_client, TokenEndpoint, TokenFailure};
use backend::microsoft::identity::ClientCredential;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use fake_microsoft::{
    ConsentChoice, FakeMicrosoft, NewClientCertificate, SignInBrowser, SignInStep,
};
use oauth2::{AuthorizationCode, PkceCodeVerifier, RefreshToken, TokenResponse as _};
use rules::advice::{advise, Advice, Facts};
use rules::connection::ConnectPrompt;
use secrecy::ExposeSecret;

use crate::access_no_leaks::captured_log;
use crate::support::microsoft::*;

const REDIRECT_URI: &str = "http://127.0.0.1:3000/api/oauth/ms-azure/callback";
/// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// One generated certificate for the module (key generation takes a moment).
fn generated() -> &'static GeneratedCertificate {
    static GENERATED: OnceLock<GeneratedCertificate> = OnceLock::new();
    GENERATED.get_or_init(|| {
        generate_certificate(
            "Mailboxen test",
            chrono::Utc::now(),
            chrono::Duration::days(365),
        )
        .unwrap()
    })
}

fn credential() -> ClientCredential {
    ClientCredential::Certificate(generated().credential.clone())
}

fn upload(fake: &FakeMicrosoft, end_at: Option<chrono::DateTime<chrono::Utc>>) {
    fake.add_client_certificate(
        CLIENT_ID.parse().unwrap(),
        NewClientCertificate {
            certificate_pem: generated().credential.certificate_pem().to_string(),
            end_at,
            ..NewClientCertificate::default()
        },
    )
    .unwrap();
}

fn endpoint(fake: &FakeMicrosoft, redirect: bool) -> TokenEndpoint<'_> {
    TokenEndpoint {
        login_url: fake.base_url(),
        tenant_id: TENANT,
        client_id: CLIENT_ID,
        redirect_uri: redirect.then(|| REDIRECT_URI.to_string()),
    }
}

fn http() -> reqwest::Client {
    http_client(Duration::from_secs(5)).unwrap()
}

async fn code(fake: &FakeMicrosoft) -> String {
    let url = backend::microsoft::identity::authorize::AuthorizeRequest {
        login_url: fake.base_url(),
        tenant_id: TENANT,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        state: "state-certificate",
        code_challenge: CHALLENGE,
        login_hint: INFO,
        prompt: ConnectPrompt::SelectAccount,
    }
    .url()
    .unwrap();
    let mut browser = SignInBrowser::new().unwrap();
    match browser
        .sign_in(&url, INFO, INFO_PASSWORD, ConsentChoice::Accept)
        .await
        .unwrap()
    {
        SignInStep::Redirect(url) => url
            .query_pairs()
            .find(|(name, _)| name == "code")
            .map(|(_, value)| value.into_owned())
            .unwrap(),
        SignInStep::Page(page) => panic!("stopped on '{}'", page.kind()),
    }
}

/// The advice the product shows for a refused token request.
fn advice_of(failure: &TokenFailure) -> (Option<u32>, Option<Advice>) {
    let TokenFailure::Microsoft(error) = failure else {
        panic!("not Microsoft's refusal: {failure}")
    };
    let facts = Facts {
        aadsts: error.aadsts(),
        error: Some(&error.error),
        description: error.error_description.as_deref(),
        outcome: "token_failed",
    };
    (error.aadsts(), advise(facts))
}

#[tokio::test]
async fn a_generated_certificate_authenticates_all_three_grants() {
    let fake = fake().await;
    upload(&fake, None);
    let http = http();
    let app = endpoint(&fake, false)
        .client_credentials(&http, &credential())
        .await;
    assert!(app.is_ok(), "{app:?}");

    let code = code(&fake).await;
    let tokens = endpoint(&fake, true)
        .redeem_code(
            &http,
            &credential(),
            AuthorizationCode::new(code),
            PkceCodeVerifier::new(VERIFIER.into()),
        )
        .await
        .unwrap();
    let refresh_token = tokens.refresh_token().unwrap().secret().clone();
    let refreshed = endpoint(&fake, true)
        .redeem_refresh_token(&http, &credential(), &RefreshToken::new(refresh_token))
        .await;
    assert!(refreshed.is_ok(), "{refreshed:?}");
    // And a secret still works exactly as before, next to the certificate.
    let secret = ClientCredential::Secret(SECRET.to_string().into());
    assert!(endpoint(&fake, false)
        .client_credentials(&http, &secret)
        .await
        .is_ok());
}

async fn refusal(fake: &FakeMicrosoft) -> TokenFailure {
    endpoint(fake, false)
        .client_credentials(&http(), &credential())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn each_certificate_refusal_arrives_with_its_advice() {
    let fake = fake().await;
    // Not uploaded.
    let failure = refusal(&fake).await;
    let not_accepted = (Some(700027), Some(Advice::CertificateNotAccepted));
    assert_eq!(advice_of(&failure), not_accepted);
    // Uploaded, but past its end date in the app registration.
    upload(&fake, Some(fake.now() - chrono::Duration::days(1)));
    assert_eq!(advice_of(&refusal(&fake).await), not_accepted);

    // Valid, but this server's clock is an hour behind Microsoft's.
    let ahead = self::fake().await;
    upload(&ahead, None);
    ahead.advance_clock(chrono::Duration::hours(1));
    let clock = (Some(700024), Some(Advice::AssertionClock));
    assert_eq!(advice_of(&refusal(&ahead).await), clock);
}

#[tokio::test]
async fn neither_the_private_key_nor_an_assertion_reaches_the_log_or_debug_output() {
    let log = captured_log();
    let fake = fake().await;
    let http = http();
    let generated = generated();
    // The header every assertion of this certificate starts with.
    let assertion = generated
        .credential
        .client_assertion("aud", CLIENT_ID, chrono::Utc::now())
        .unwrap();
    let header = assertion
        .expose_secret()
        .split('.')
        .next()
        .unwrap()
        .to_string();
    assert!(URL_SAFE_NO_PAD.decode(&header).is_ok());
    let key_lines: Vec<String> = generated
        .private_key_pem
        .expose_secret()
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .map(str::to_string)
        .collect();

    let failure = endpoint(&fake, false)
        .client_credentials(&http, &credential())
        .await
        .unwrap_err();
    upload(&fake, None);
    let success = endpoint(&fake, false)
        .client_credentials(&http, &credential())
        .await;
    assert!(success.is_ok());

    let log = String::from_utf8_lossy(&log.0.lock().unwrap()).to_string();
    let shown = [
        format!("{failure:?}"),
        failure.to_string(),
        format!("{:?}", credential()),
        format!("{generated:?}"),
        log,
    ];
    for text in &shown {
        assert!(!text.contains(&header), "an assertion in: {text}");
        assert!(!text.contains("client_assertion="), "{text}");
        for line in &key_lines {
            assert!(
                !text.contains(line.as_str()),
                "a private key line in: {text}"
            );
        }
    }
}
