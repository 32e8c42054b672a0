//! Client assertions instead of a secret, for all three grants, and each way Microsoft
//! refuses one (docs/microsoft.md §11). The certificates and keys are test-only fixtures.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use fake_microsoft::control::NewClientCertificate;
use fake_microsoft::FakeMicrosoft;
use ring::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde_json::{json, Value};
use uuid::Uuid;
use x509_cert::der::{DecodePem, Encode};

use crate::support::*;

const FIRST_CERT: &str = include_str!("../fixtures/test-only-first.cert.pem");
const FIRST_KEY: &str = include_str!("../fixtures/test-only-first.key.pem");
const SECOND_CERT: &str = include_str!("../fixtures/test-only-second.cert.pem");
const SECOND_KEY: &str = include_str!("../fixtures/test-only-second.key.pem");
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const DEFAULT: &str = "https://graph.microsoft.com/.default";

/// What to sign: the claims a correct client sends, each overridable.
struct Assertion<'a> {
    cert: &'a str,
    key: &'a str,
    aud: String,
    iss: &'a str,
    sub: &'a str,
    now: DateTime<Utc>,
    lifetime: Duration,
}

impl<'a> Assertion<'a> {
    fn new(fake: &FakeMicrosoft) -> Self {
        Self {
            cert: FIRST_CERT,
            key: FIRST_KEY,
            aud: format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url()),
            iss: CLIENT_ID,
            sub: CLIENT_ID,
            now: fake.now(),
            lifetime: Duration::minutes(10),
        }
    }

    fn sign(&self) -> String {
        let der = x509_cert::Certificate::from_pem(self.cert.as_bytes())
            .unwrap()
            .to_der()
            .unwrap();
        let header = json!({
            "alg": "RS256",
            "typ": "JWT",
            "x5t": URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, &der)),
            "x5t#S256": URL_SAFE_NO_PAD.encode(digest(&SHA256, &der)),
        });
        let claims = json!({
            "aud": self.aud, "iss": self.iss, "sub": self.sub,
            "jti": Uuid::new_v4().to_string(),
            "nbf": self.now.timestamp(), "iat": self.now.timestamp(),
            "exp": (self.now + self.lifetime).timestamp(),
        });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let (_, key) = x509_cert::der::pem::decode_vec(self.key.as_bytes()).unwrap();
        let key = RsaKeyPair::from_pkcs8(&key).unwrap();
        let mut signature = vec![0; key.public().modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut signature,
        )
        .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

fn upload(fake: &FakeMicrosoft, cert: &str, end_at: Option<DateTime<Utc>>) -> Uuid {
    fake.add_client_certificate(
        CLIENT_ID.parse().unwrap(),
        NewClientCertificate {
            certificate_pem: cert.into(),
            end_at,
            ..NewClientCertificate::default()
        },
    )
    .unwrap()
    .key_id
}

async fn app_only(fake: &FakeMicrosoft, assertion: &str) -> (u16, Value) {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", assertion),
        ("scope", DEFAULT),
    ];
    token(fake, TENANT, &form).await
}

fn description(body: &Value) -> &str {
    body["error_description"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn each_grant_accepts_an_assertion_instead_of_a_secret() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, None);
    let (status, body) = app_only(&fake, &Assertion::new(&fake).sign()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string());

    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let assertion = Assertion::new(&fake).sign();
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &assertion),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
            ("scope", SCOPE),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let refresh_token = body["refresh_token"].as_str().unwrap().to_string();

    let assertion = Assertion::new(&fake).sign();
    let (status, body) = token(
        &fake,
        TENANT,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &assertion),
            ("refresh_token", &refresh_token),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn a_certificate_that_is_not_uploaded_is_700027_not_registered() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, None);
    let mut assertion = Assertion::new(&fake);
    (assertion.cert, assertion.key) = (SECOND_CERT, SECOND_KEY);
    let (status, body) = app_only(&fake, &assertion.sign()).await;
    assert_aad_error(status, &body, 401, "invalid_client", 700027);
    assert!(description(&body).contains("is not registered on application"));
}

#[tokio::test]
async fn two_certificates_at_once_both_work_during_a_rotation() {
    let fake = demo().await;
    let first = upload(&fake, FIRST_CERT, None);
    upload(&fake, SECOND_CERT, None);
    let mut second = Assertion::new(&fake);
    (second.cert, second.key) = (SECOND_CERT, SECOND_KEY);
    assert_eq!(app_only(&fake, &Assertion::new(&fake).sign()).await.0, 200);
    assert_eq!(app_only(&fake, &second.sign()).await.0, 200);
    fake.remove_client_certificate(CLIENT_ID.parse().unwrap(), first)
        .unwrap();
    let (status, body) = app_only(&fake, &Assertion::new(&fake).sign()).await;
    assert_aad_error(status, &body, 401, "invalid_client", 700027);
    assert_eq!(app_only(&fake, &second.sign()).await.0, 200);
}

#[tokio::test]
async fn an_expired_certificate_is_700027_the_key_used_is_expired() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, Some(fake.now() + Duration::days(1)));
    assert_eq!(app_only(&fake, &Assertion::new(&fake).sign()).await.0, 200);
    fake.advance_clock(Duration::days(2));
    let (status, body) = app_only(&fake, &Assertion::new(&fake).sign()).await;
    assert_aad_error(status, &body, 401, "invalid_client", 700027);
    assert!(description(&body).contains("The key used is expired"));
}

#[tokio::test]
async fn a_signature_by_another_key_is_700027_invalid_signature() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, None);
    let mut assertion = Assertion::new(&fake);
    assertion.key = SECOND_KEY;
    let (status, body) = app_only(&fake, &assertion.sign()).await;
    assert_aad_error(status, &body, 401, "invalid_client", 700027);
    assert!(description(&body).contains("signature validation"));
}

#[tokio::test]
async fn issuer_or_subject_other_than_the_client_is_700021() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, None);
    let other = Uuid::new_v4().to_string();
    for (iss, sub) in [(other.as_str(), CLIENT_ID), (CLIENT_ID, other.as_str())] {
        let mut assertion = Assertion::new(&fake);
        (assertion.iss, assertion.sub) = (iss, sub);
        let (status, body) = app_only(&fake, &assertion.sign()).await;
        assert_aad_error(status, &body, 401, "invalid_client", 700021);
    }
}

#[tokio::test]
async fn an_audience_other_than_this_tenants_token_endpoint_is_700023() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, None);
    let mut assertion = Assertion::new(&fake);
    assertion.aud = format!("{}/{OTHER_TENANT}/oauth2/v2.0/token", fake.base_url());
    let (status, body) = app_only(&fake, &assertion.sign()).await;
    assert_aad_error(status, &body, 401, "invalid_client", 700023);
    // The tenant as written in the URL counts too.
    assertion.aud = format!("{}/{DOMAIN}/oauth2/v2.0/token", fake.base_url());
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", &assertion.sign()),
        ("scope", DEFAULT),
    ];
    assert_eq!(token(&fake, DOMAIN, &form).await.0, 200);
}

#[tokio::test]
async fn an_assertion_outside_its_time_range_is_700024() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, None);
    let mut expired = Assertion::new(&fake);
    expired.now = fake.now() - Duration::minutes(20);
    let mut future = Assertion::new(&fake);
    future.now = fake.now() + Duration::minutes(20);
    for assertion in [expired, future] {
        let (status, body) = app_only(&fake, &assertion.sign()).await;
        assert_aad_error(status, &body, 401, "invalid_client", 700024);
        assert!(description(&body).contains("not within its valid time range"));
        assert!(description(&body).contains("Current time: 20"), "{body}");
    }
    // The fake's clock decides: a valid assertion goes stale when the clock moves on.
    let assertion = Assertion::new(&fake).sign();
    fake.advance_clock(Duration::minutes(16));
    assert_eq!(app_only(&fake, &assertion).await.0, 401);
}

#[tokio::test]
async fn a_malformed_assertion_a_missing_type_and_a_secret_besides_are_refused() {
    let fake = demo().await;
    upload(&fake, FIRST_CERT, None);
    let (status, body) = app_only(&fake, "not.a.jwt").await;
    assert_aad_error(status, &body, 400, "invalid_request", 50027);
    let assertion = Assertion::new(&fake).sign();
    let without_type = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_assertion", assertion.as_str()),
        ("scope", DEFAULT),
    ];
    let (status, body) = token(&fake, TENANT, &without_type).await;
    assert_aad_error(status, &body, 400, "invalid_request", 900144);
    let both = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", assertion.as_str()),
        ("scope", DEFAULT),
    ];
    let (status, body) = token(&fake, TENANT, &both).await;
    assert_aad_error(status, &body, 400, "invalid_request", 9002313);
}

#[tokio::test]
async fn certificates_are_uploaded_over_the_admin_api_and_junk_is_refused() {
    let fake = demo().await;
    let url = format!(
        "{}/admin/applications/{CLIENT_ID}/certificates",
        fake.base_url()
    );
    let response = http()
        .post(&url)
        .json(&json!({ "certificate_pem": FIRST_CERT }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let stored: Value = response.json().await.unwrap();
    assert_eq!(app_only(&fake, &Assertion::new(&fake).sign()).await.0, 200);
    let junk = http()
        .post(&url)
        .json(&json!({ "certificate_pem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" }))
        .send()
        .await
        .unwrap();
    assert_eq!(junk.status(), 400);
    let key_id = stored["key_id"].as_str().unwrap();
    let removed = http()
        .delete(format!("{url}/{key_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 200);
    assert_eq!(app_only(&fake, &Assertion::new(&fake).sign()).await.0, 401);
}
