//! A certificate uploaded to an app registration (Certificates & secrets > Certificates):
//! only the public part. Its start and end default to the certificate's own validity, as
//! the portal takes them; either can be set (a test's "expired yesterday").

use chrono::{DateTime, Utc};
use ring::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY, SHA256};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use x509_cert::der::{DecodePem, Encode};
use x509_cert::Certificate;

/// An uploaded certificate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCertificate {
    /// Microsoft's key ID for the credential (a GUID).
    pub key_id: Uuid,
    /// The certificate, PEM.
    pub certificate_pem: String,
    /// Valid from (default: the certificate's notBefore).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<DateTime<Utc>>,
    /// Valid until (default: the certificate's notAfter); afterwards AADSTS700027.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_at: Option<DateTime<Utc>>,
}

/// What the token endpoint needs of an uploaded certificate.
#[derive(Debug, Clone)]
pub struct ParsedCertificate {
    /// SHA-1 of the DER (`x5t`).
    pub sha1: Vec<u8>,
    /// SHA-256 of the DER (`x5t#S256`).
    pub sha256: Vec<u8>,
    /// The RSA public key, PKCS#1 DER (what ring verifies with).
    pub rsa_public_key: Vec<u8>,
    /// Valid from.
    pub start: DateTime<Utc>,
    /// Valid until.
    pub end: DateTime<Utc>,
}

impl ClientCertificate {
    /// Reads the PEM; `None` when it is no X.509 certificate.
    pub fn parse(&self) -> Option<ParsedCertificate> {
        let certificate = Certificate::from_pem(self.certificate_pem.trim().as_bytes()).ok()?;
        let der = certificate.to_der().ok()?;
        let tbs = &certificate.tbs_certificate;
        let instant = |t: &x509_cert::time::Time| DateTime::<Utc>::from(t.to_system_time());
        Some(ParsedCertificate {
            sha1: digest(&SHA1_FOR_LEGACY_USE_ONLY, &der).as_ref().to_vec(),
            sha256: digest(&SHA256, &der).as_ref().to_vec(),
            rsa_public_key: tbs
                .subject_public_key_info
                .subject_public_key
                .raw_bytes()
                .to_vec(),
            start: self
                .start_at
                .unwrap_or_else(|| instant(&tbs.validity.not_before)),
            end: self
                .end_at
                .unwrap_or_else(|| instant(&tbs.validity.not_after)),
        })
    }
}

/// Uppercase hex, as the portal shows thumbprints.
pub fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
