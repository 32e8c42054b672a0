//! A certificate credential loaded from what is stored: the certificate (PEM, public) and
//! its private key (PEM, secret). Loading refuses a key that does not belong to the
//! certificate, so a mixed-up pair is named before Microsoft ever sees an assertion.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ring::signature::RsaKeyPair;
use secrecy::{ExposeSecret, SecretString};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::der::{pem, DecodePem, Encode};
use x509_cert::Certificate;

/// rsaEncryption (RFC 8017): the only key type Microsoft accepts for RS256/PS256.
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";

/// Why a certificate credential cannot be made or used. Carries no key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("the certificate is not a readable PEM certificate: {0}")]
    CertificateUnreadable(String),
    #[error("the certificate's key is not an RSA key (Microsoft's client assertions need RSA)")]
    NotRsa,
    #[error(
        "the private key is not a readable PEM private key (PKCS#8 or PKCS#1, RSA 2048–8192 bits)"
    )]
    KeyUnreadable,
    #[error("the private key does not belong to this certificate (not the key this app generated for it)")]
    KeyMismatch,
    #[error("the key pair could not be generated: {0}")]
    Generation(String),
    #[error("the client assertion could not be signed")]
    Signing,
}

/// A certificate and the private key that signs client assertions for it. Cheap to clone.
#[derive(Clone)]
pub struct CertificateCredential {
    certificate_pem: String,
    certificate_der: Vec<u8>,
    sha1: [u8; 20],
    sha256: [u8; 32],
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    pub(super) key: Arc<RsaKeyPair>,
}

impl fmt::Debug for CertificateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateCredential")
            .field("sha1_thumbprint", &self.sha1_thumbprint())
            .field("not_after", &self.not_after)
            .field("private_key", &"[redacted]")
            .finish()
    }
}

impl CertificateCredential {
    /// Loads a stored certificate and private key; `KeyMismatch` when the key is not the
    /// certificate's.
    pub fn load(
        certificate_pem: &str,
        private_key_pem: &SecretString,
    ) -> Result<Self, CredentialError> {
        let certificate = Certificate::from_pem(certificate_pem.trim().as_bytes())
            .map_err(|e| CredentialError::CertificateUnreadable(e.to_string()))?;
        let spki = &certificate.tbs_certificate.subject_public_key_info;
        if spki.algorithm.oid.to_string() != RSA_ENCRYPTION {
            return Err(CredentialError::NotRsa);
        }
        let key = private_key(private_key_pem)?;
        // ring's public key is the PKCS#1 RSAPublicKey: exactly the certificate's bit string.
        if spki.subject_public_key.raw_bytes() != key.public().as_ref() {
            return Err(CredentialError::KeyMismatch);
        }
        let der = certificate
            .to_der()
            .map_err(|e| CredentialError::CertificateUnreadable(e.to_string()))?;
        let validity = &certificate.tbs_certificate.validity;
        let instant = |time: &x509_cert::time::Time| DateTime::<Utc>::from(time.to_system_time());
        Ok(Self {
            certificate_pem: certificate_pem.trim().to_string() + "\n",
            sha1: Sha1::digest(&der).into(),
            sha256: Sha256::digest(&der).into(),
            certificate_der: der,
            not_before: instant(&validity.not_before),
            not_after: instant(&validity.not_after),
            key: Arc::new(key),
        })
    }

    /// The certificate as PEM: what the admin uploads under Certificates & secrets >
    /// Certificates (a `.pem`/`.cer` file). Public: no secret in it.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The certificate's DER encoding.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The SHA-1 thumbprint as Azure's portal lists it: 40 uppercase hex digits.
    pub fn sha1_thumbprint(&self) -> String {
        upper_hex(&self.sha1)
    }

    /// The SHA-256 thumbprint, 64 uppercase hex digits.
    pub fn sha256_thumbprint(&self) -> String {
        upper_hex(&self.sha256)
    }

    pub(super) fn sha1(&self) -> &[u8; 20] {
        &self.sha1
    }

    pub(super) fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// The first instant the certificate is valid.
    pub fn not_before(&self) -> DateTime<Utc> {
        self.not_before
    }

    /// The last instant the certificate is valid; Microsoft refuses it afterwards.
    pub fn not_after(&self) -> DateTime<Utc> {
        self.not_after
    }
}

/// The RSA key from a PEM `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
fn private_key(private_key_pem: &SecretString) -> Result<RsaKeyPair, CredentialError> {
    let (label, der) = pem::decode_vec(private_key_pem.expose_secret().trim().as_bytes())
        .map_err(|_| CredentialError::KeyUnreadable)?;
    let der = zeroize::Zeroizing::new(der);
    match label {
        "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
        _ => return Err(CredentialError::KeyUnreadable),
    }
    .map_err(|_| CredentialError::KeyUnreadable)
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
