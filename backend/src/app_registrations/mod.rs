//! App registrations (issue 19): the tenant and client ID that many mailboxes share, entered
//! once, with the credentials the app proves itself with. A Microsoft Api mailbox points at
//! its registration and at the credential it uses; every token request reads that
//! credential through [`credential_of`], so a secret or certificate lives in one row.

mod adopt;
mod credentials;
mod registry;
pub mod rotation;

pub use adopt::{adopt, anything_to_adopt, Adopted};
pub(crate) use credentials::decrypt;
pub use credentials::{
    add_certificate, credential_of, has_credential, secret_credential, CredentialLoadError,
};
pub use registry::{
    current_credential, delete, find_or_create, find_or_create_named, has_current_credential, list,
    rename, with_current_credential, DeleteOutcome, ListedCredential, ListedRegistration,
    RenameOutcome,
};

/// What kind of credential a row holds (`app_credentials.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    Secret,
    Certificate,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::Secret => "secret",
            CredentialKind::Certificate => "certificate",
        }
    }

    /// Unknown text reads as a secret: the kind every row had before certificates.
    pub fn parse(text: &str) -> Self {
        match text {
            "certificate" => CredentialKind::Certificate,
            _ => CredentialKind::Secret,
        }
    }
}
