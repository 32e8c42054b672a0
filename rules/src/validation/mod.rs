//! Validation of the mailbox form ("Instellingen > Mailboxen"), compiled into both the
//! browser and the server: pure functions, no I/O, nothing that panics.
//!
//! Every text field is trimmed of surrounding whitespace before any rule looks at it;
//! nothing else about a value is changed. Each rule has its own [`IssueCode`] and message
//! (`messages.rs`); errors block saving, warnings inform. Fields a mailbox type does not use
//! ([`needs_imap`], [`needs_smtp`], [`needs_microsoft`]) are not checked and not kept.
//! Identifier formats: docs/microsoft.md §1 (project notes).

mod domain;
mod email;
// Also for the test mail's recipient.
pub use email::check_email;
mod form;
mod general;
mod guid;
mod issue;
mod messages;
mod microsoft;
mod others;
mod parse;
mod secret;
mod server_type;

// Property tests run natively only (proptest needs the OS's entropy and clock).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop_tests;

use serde::{Deserialize, Serialize};

pub use form::{Field, MailboxForm};
pub use guid::{Guid, GuidError, TenantRef};
pub use issue::{Issue, IssueCode, Severity, MAX_TEXT};
pub use messages::Lang;
pub use parse::{
    parse_mailbox, ImapSettings, MicrosoftSettings, ServerLogin, SmtpSettings, ValidMailbox,
};
pub use secret::{secret_shape, SecretShape, SecretUpdate};
pub use server_type::{Encryption, IncomingType, OutgoingType, UnknownCode};

/// What validation needs to know beyond the form; the caller fetches it, validation does
/// no I/O.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationContext {
    /// An existing mailbox with a client secret stored: an empty secret field keeps it.
    pub secret_stored: bool,
    /// A new mailbox of an app registration (its Tenant ID + Client id as typed) that holds
    /// a secret or certificate: an empty secret field uses it, so the secret is entered once.
    #[serde(default)]
    pub registration_secret: bool,
    /// An existing mailbox with a password stored: an empty password field keeps it.
    pub password_stored: bool,
    /// The Microsoft settings of every *other* mailbox (not the one being edited).
    pub other_mailboxes: Vec<OtherMailbox>,
}

/// Another mailbox's Microsoft IDs as stored; empty or unreadable values are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherMailbox {
    /// Object ID of that mailbox's user.
    pub object_id: String,
    /// Its Client id.
    pub client_id: String,
    /// Its Tenant ID (GUID or domain).
    pub tenant_id: String,
}

/// All issues of a form, in form order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    /// Errors and warnings.
    pub issues: Vec<Issue>,
}

impl Validation {
    /// True when saving is blocked.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    /// The errors, all fields.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> + '_ {
        self.issues.iter().filter(|issue| issue.is_error())
    }

    /// The warnings, all fields.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> + '_ {
        self.issues.iter().filter(|issue| !issue.is_error())
    }

    /// The errors to show at `field`.
    pub fn errors_for(&self, field: Field) -> impl Iterator<Item = &Issue> + '_ {
        self.errors().filter(move |issue| issue.field == field)
    }

    /// The warnings to show at `field`.
    pub fn warnings_for(&self, field: Field) -> impl Iterator<Item = &Issue> + '_ {
        self.warnings().filter(move |issue| issue.field == field)
    }
}

/// Incoming mail goes through IMAP, so the IMAP fields and the login are shown and checked.
#[must_use]
pub fn needs_imap(form: &MailboxForm) -> bool {
    general::incoming_type(form) == Ok(IncomingType::Imap)
}

/// Outgoing mail goes through SMTP, so the SMTP fields and the login are shown and checked.
#[must_use]
pub fn needs_smtp(form: &MailboxForm) -> bool {
    general::outgoing_type(form) == Ok(OutgoingType::Smtp)
}

/// Either direction uses Microsoft Api, so the Microsoft Azure fields are shown and checked.
#[must_use]
pub fn needs_microsoft(form: &MailboxForm) -> bool {
    general::incoming_type(form) == Ok(IncomingType::MicrosoftApi)
        || general::outgoing_type(form) == Ok(OutgoingType::MicrosoftApi)
}

/// Checks the whole form: the issues of [`validate_field`] for every field, in form order.
#[must_use]
pub fn validate_mailbox(form: &MailboxForm, ctx: &ValidationContext) -> Validation {
    let issues = Field::ALL
        .into_iter()
        .flat_map(|field| validate_field(field, form, ctx))
        .collect();
    Validation { issues }
}

/// Checks one field, for live feedback while typing. Rules comparing fields (client ID vs
/// tenant ID, …) report at every field involved, so after an edit the UI should re-check
/// the fields that show issues, or simply call [`validate_mailbox`].
#[must_use]
pub fn validate_field(field: Field, form: &MailboxForm, ctx: &ValidationContext) -> Vec<Issue> {
    let login = needs_imap(form) || needs_smtp(form);
    let outcome = match field {
        Field::Name => general::name(form).map(no_warnings),
        Field::Email => general::email(form).map(no_warnings),
        Field::IncomingType => general::incoming_type(form).map(no_warnings),
        Field::OutgoingType => general::outgoing_type(form).map(no_warnings),
        Field::ImapHost | Field::SmtpHost if needs_server(field, form) => {
            general::host(form, field).map(no_warnings)
        }
        Field::ImapPort | Field::SmtpPort if needs_server(field, form) => {
            general::port(form, field).map(no_warnings)
        }
        Field::ImapEncryption | Field::SmtpEncryption if needs_server(field, form) => {
            general::encryption(form, field).map(no_warnings)
        }
        Field::ImapInboxPrefix if needs_imap(form) => general::inbox_prefix(form).map(no_warnings),
        Field::Username if login => general::username(form).map(no_warnings),
        Field::Password if login => general::password(form, ctx).map(no_warnings),
        _ if !needs_microsoft(form) => Ok(Vec::new()),
        Field::ClientId => microsoft::client_id(form).map(|id| others::client_id_warnings(id, ctx)),
        Field::TenantId => {
            microsoft::tenant(form).map(|tenant| others::tenant_warnings(&tenant, ctx))
        }
        Field::ClientSecret => {
            secret::client_secret(form, ctx).map(|secret| secret::client_secret_warnings(&secret))
        }
        Field::ObjectId => microsoft::object_id(form, ctx).map(no_warnings),
        _ => Ok(Vec::new()),
    };
    match outcome {
        Ok(warnings) => warnings
            .into_iter()
            .map(|code| Issue::new(field, code))
            .collect(),
        Err(code) => vec![Issue::new(field, code)],
    }
}

fn needs_server(field: Field, form: &MailboxForm) -> bool {
    match field {
        Field::ImapHost | Field::ImapPort | Field::ImapEncryption => needs_imap(form),
        _ => needs_smtp(form),
    }
}

fn no_warnings<T>(_value: T) -> Vec<IssueCode> {
    Vec::new()
}

#[cfg(test)]
mod tests;
