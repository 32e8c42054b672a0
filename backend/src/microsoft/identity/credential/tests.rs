#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed unwrap is a failed test"
)]

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use ring::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use x509_cert::der::{DecodePem, Encode};

use super::*;
use crate::cipher::{Cipher, EncryptionKey, SecretColumn};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap() + Duration::milliseconds(250)
}

/// Key generation takes a moment: two key pairs for the whole module.
fn generated(which: usize) -> &'static GeneratedCertificate {
    static PAIRS: OnceLock<[GeneratedCertificate; 2]> = OnceLock::new();
    &PAIRS.get_or_init(|| {
        let make = |name| generate_certificate(name, now(), Duration::days(365)).unwrap();
        [make("Mailboxen CRM, test"), make("Andere app")]
    })[which]
}

fn decode(part: &str) -> serde_json::Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[test]
fn a_generated_certificate_is_what_azure_takes_and_shows() {
    let (generated, other) = (generated(0), generated(1));
    let credential = &generated.credential;
    let pem = credential.certificate_pem();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    let parsed = x509_cert::Certificate::from_pem(pem.as_bytes()).unwrap();
    let tbs = &parsed.tbs_certificate;
    assert_eq!(tbs.subject.to_string(), "CN=Mailboxen CRM- test");
    assert_eq!(tbs.issuer, tbs.subject, "self-signed");
    // RSA 2048: the modulus is 256 bytes, signed with sha256WithRSAEncryption.
    assert_eq!(
        parsed.signature_algorithm.oid.to_string(),
        "1.2.840.113549.1.1.11"
    );
    assert_eq!(credential.key.public().modulus_len(), 256);
    let start = Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
    assert_eq!(credential.not_before(), start);
    assert_eq!(credential.not_after(), start + Duration::days(365));
    let der = parsed.to_der().unwrap();
    assert_eq!(credential.certificate_der(), der.as_slice());
    let sha1 = credential.sha1_thumbprint();
    assert_eq!(sha1.len(), 40);
    assert!(sha1
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    let sha256: String = Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(credential.sha256_thumbprint(), sha256);
    assert!(generated
        .private_key_pem
        .expose_secret()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    // Each generation is a new key.
    assert_ne!(sha1, other.credential.sha1_thumbprint());
}

#[test]
fn the_stored_pair_loads_back_and_a_foreign_key_is_refused() {
    let (one, other) = (generated(0), generated(1));
    let pem = one.credential.certificate_pem();
    let loaded = CertificateCredential::load(pem, &one.private_key_pem).unwrap();
    assert_eq!(
        loaded.sha256_thumbprint(),
        one.credential.sha256_thumbprint()
    );
    assert_eq!(
        CertificateCredential::load(pem, &other.private_key_pem).err(),
        Some(CredentialError::KeyMismatch)
    );
    assert_eq!(
        CertificateCredential::load(pem, &SecretString::from("geen sleutel")).err(),
        Some(CredentialError::KeyUnreadable)
    );
    assert!(matches!(
        CertificateCredential::load(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            &one.private_key_pem
        ),
        Err(CredentialError::CertificateUnreadable(_))
    ));
    assert!(CredentialError::KeyMismatch
        .to_string()
        .contains("not the key this app generated"));
}

#[test]
fn the_private_key_round_trips_through_the_cipher() {
    let generated = generated(0);
    let cipher = Cipher::new(&EncryptionKey::from_bytes([7; 32]), None);
    let stored = cipher
        .encrypt(
            generated.private_key_pem.expose_secret(),
            SecretColumn::ClientSecret,
        )
        .unwrap();
    let pem_bytes = generated.private_key_pem.expose_secret().as_bytes();
    assert!(!stored
        .windows(40)
        .any(|w| pem_bytes.windows(40).any(|p| p == w)));
    let back = cipher
        .decrypt(&stored, SecretColumn::ClientSecret)
        .unwrap()
        .secret;
    let loaded =
        CertificateCredential::load(generated.credential.certificate_pem(), &back).unwrap();
    assert_eq!(
        loaded.sha1_thumbprint(),
        generated.credential.sha1_thumbprint()
    );
}

#[test]
fn the_assertion_is_signed_rs256_for_one_endpoint_and_ten_minutes() {
    let credential = &generated(0).credential;
    let audience = "https://login.example/tenant-id/oauth2/v2.0/token";
    let client_id = "80aef83a-368f-4a54-a387-8c794cf71106";
    let assertion = credential
        .client_assertion(audience, client_id, now())
        .unwrap();
    let parts: Vec<&str> = assertion.expose_secret().split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = decode(parts[0]);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    let sha256 = Sha256::digest(credential.certificate_der());
    assert_eq!(header["x5t#S256"], URL_SAFE_NO_PAD.encode(sha256));
    assert_eq!(header["x5t"].as_str().map(str::len), Some(27));
    let claims = decode(parts[1]);
    assert_eq!(claims["aud"], audience);
    assert_eq!(claims["iss"], client_id);
    assert_eq!(claims["sub"], client_id);
    let issued = now().timestamp();
    assert_eq!(claims["nbf"], issued);
    assert_eq!(claims["iat"], issued);
    assert_eq!(claims["exp"], issued + 600);
    let again = credential
        .client_assertion(audience, client_id, now())
        .unwrap();
    assert_ne!(
        claims["jti"],
        decode(again.expose_secret().split('.').nth(1).unwrap())["jti"]
    );
    // The signature verifies with the certificate's public key.
    let parsed = x509_cert::Certificate::from_pem(credential.certificate_pem().as_bytes()).unwrap();
    let spki = parsed
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key;
    let key = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, spki.raw_bytes());
    let signed = format!("{}.{}", parts[0], parts[1]);
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    assert!(key.verify(signed.as_bytes(), &signature).is_ok());
}

#[test]
fn debug_output_shows_neither_secret_nor_private_key() {
    let generated = generated(0);
    let key_body: String = generated
        .private_key_pem
        .expose_secret()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    let certificate = ClientCredential::Certificate(generated.credential.clone());
    let secret = ClientCredential::Secret(SecretString::from("abc8Q~geheim"));
    for shown in [
        format!("{certificate:?}"),
        format!("{:?}", generated),
        format!("{secret:?}"),
    ] {
        assert!(!shown.contains(&key_body), "{shown}");
        assert!(!shown.contains("geheim"), "{shown}");
        assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    }
    assert!(format!("{certificate:?}").contains(&generated.credential.sha1_thumbprint()));
}
