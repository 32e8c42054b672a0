//! How an app registration proves who it is at the token endpoint (docs/microsoft.md §11):
//! a client secret, or a certificate whose private key signs a client assertion. `Debug`
//! never shows a secret, a private key or an assertion.

mod assertion;
mod certificate;
mod generate;

use std::fmt;

use secrecy::SecretString;

pub use assertion::{ASSERTION_LIFETIME, CLIENT_ASSERTION_TYPE};
pub use certificate::{CertificateCredential, CredentialError};
pub use generate::{generate_certificate, GeneratedCertificate, RSA_KEY_BITS};

/// The credential an app registration authenticates with.
#[derive(Clone)]
pub enum ClientCredential {
    /// A client secret's Value (Certificates & secrets > Client secrets).
    Secret(SecretString),
    /// A certificate uploaded to the app registration, with its private key here.
    Certificate(CertificateCredential),
}

impl fmt::Debug for ClientCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Secret(_) => f.write_str("ClientCredential::Secret([redacted])"),
            Self::Certificate(certificate) => f
                .debug_tuple("ClientCredential::Certificate")
                .field(certificate)
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests;
