//! Making a certificate credential: an RSA key pair made on this server and a self-signed
//! X.509 certificate for it. The admin uploads the certificate to the app registration; the
//! private key never leaves this server (the caller encrypts it at rest with `Cipher`).

use std::str::FromStr;
use std::time::SystemTime;

use aes_gcm::aead::{rand_core::RngCore, OsRng};
use chrono::{DateTime, Duration, Utc};
use rsa::pkcs1v15::{Signature, SigningKey};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::RsaPrivateKey;
use secrecy::SecretString;
use sha2::Sha256;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::der::EncodePem;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

use super::{CertificateCredential, CredentialError};

/// Microsoft accepts RSA keys of 2048 bits and more for client assertions.
pub const RSA_KEY_BITS: usize = 2048;

/// A new credential and its private key as PKCS#8 PEM, to be encrypted before it is stored.
pub struct GeneratedCertificate {
    pub credential: CertificateCredential,
    pub private_key_pem: SecretString,
}

impl std::fmt::Debug for GeneratedCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedCertificate")
            .field("credential", &self.credential)
            .field("private_key_pem", &"[redacted]")
            .finish()
    }
}

/// Makes a key pair and a self-signed certificate `CN=<app name>`, valid from `now` (to the
/// second) for `validity`.
pub fn generate_certificate(
    app_name: &str,
    now: DateTime<Utc>,
    validity: Duration,
) -> Result<GeneratedCertificate, CredentialError> {
    let failed = |e: &dyn std::fmt::Display| CredentialError::Generation(e.to_string());
    let private = RsaPrivateKey::new(&mut OsRng, RSA_KEY_BITS).map_err(|e| failed(&e))?;
    let public =
        SubjectPublicKeyInfoOwned::from_key(private.to_public_key()).map_err(|e| failed(&e))?;
    let not_before = now - Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()));
    let time = |at: DateTime<Utc>| Time::try_from(SystemTime::from(at)).map_err(|e| failed(&e));
    let validity = Validity {
        not_before: time(not_before)?,
        not_after: time(not_before + validity)?,
    };
    let subject =
        Name::from_str(&format!("CN={}", common_name(app_name))).map_err(|e| failed(&e))?;
    let signer = SigningKey::<Sha256>::new(private.clone());
    let certificate = CertificateBuilder::new(
        Profile::Root,
        serial_number()?,
        validity,
        subject,
        public,
        &signer,
    )
    .map_err(|e| failed(&e))?
    .build::<Signature>()
    .map_err(|e| failed(&e))?;
    let certificate_pem = certificate.to_pem(LineEnding::LF).map_err(|e| failed(&e))?;
    let key_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| failed(&e))?;
    let private_key_pem = SecretString::from(key_pem.as_str());
    let credential = CertificateCredential::load(&certificate_pem, &private_key_pem)?;
    Ok(GeneratedCertificate {
        credential,
        private_key_pem,
    })
}

/// A random positive 128-bit serial number (RFC 5280: at most 20 octets, positive).
fn serial_number() -> Result<SerialNumber, CredentialError> {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).map_err(|e| CredentialError::Generation(e.to_string()))
}

/// The app's name as a common name: characters that need escaping in a distinguished name
/// become `-`, at most 64 characters (RFC 5280's upper bound).
fn common_name(app_name: &str) -> String {
    let name: String = app_name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    let name = name.trim().to_string();
    if name.is_empty() {
        "Mailboxen".to_string()
    } else {
        name
    }
}
