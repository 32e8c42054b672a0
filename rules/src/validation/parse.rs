//! "Parse, don't check": a form without errors becomes a [`ValidMailbox`] of typed, trimmed
//! values, built by the same rule functions that report the issues.

use super::form::{Field, MailboxForm};
use super::general;
use super::guid::{Guid, TenantRef};
use super::issue::Issue;
use super::microsoft;
use super::secret::{self, SecretUpdate};
use super::server_type::{Encryption, IncomingType, OutgoingType};
use super::{validate_mailbox, Validation, ValidationContext};
use crate::passwordless::{chosen_method, ConnectionMethod};

/// A mailbox form that passed validation. `Debug` redacts secrets.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidMailbox {
    /// Weergave naam.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Mailbox for outgoing mail only (then `incoming_type` is `None`).
    pub only_outgoing: bool,
    /// Actief.
    pub is_active: bool,
    /// Primair.
    pub is_primary: bool,
    /// Inkomende mail type.
    pub incoming_type: IncomingType,
    /// Uitgaande mail type.
    pub outgoing_type: OutgoingType,
    /// Zet email als gelezen op server.
    pub email_mark_as_seen: bool,
    /// Present exactly when `incoming_type` is IMAP.
    pub imap: Option<ImapSettings>,
    /// Present exactly when `outgoing_type` is SMTP.
    pub smtp: Option<SmtpSettings>,
    /// Present exactly when IMAP or SMTP is used.
    pub login: Option<ServerLogin>,
    /// Present exactly when either type is Microsoft Api.
    pub microsoft: Option<MicrosoftSettings>,
    /// Warnings to show after saving; they did not block it.
    pub warnings: Vec<Issue>,
}

/// IMAP server settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImapSettings {
    /// Host name or address.
    pub host: String,
    /// 1–65535.
    pub port: u16,
    /// `None` for an unencrypted connection.
    pub encryption: Option<Encryption>,
    /// Inbox prefix, if any.
    pub inbox_prefix: Option<String>,
}

/// SMTP server settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpSettings {
    /// Host name or address.
    pub host: String,
    /// 1–65535.
    pub port: u16,
    /// `None` for an unencrypted connection.
    pub encryption: Option<Encryption>,
}

/// The login shared by IMAP and SMTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerLogin {
    /// Gebruikersnaam.
    pub username: String,
    /// Wachtwoord, or keep the stored one.
    pub password: SecretUpdate,
}

/// The app registration and the mailbox's user in Microsoft Entra ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MicrosoftSettings {
    /// Application (client) ID.
    pub client_id: Guid,
    /// Directory (tenant) ID or domain.
    pub tenant: TenantRef,
    /// Client secret value, or keep the stored one.
    pub client_secret: SecretUpdate,
    /// Object ID of the mailbox's user; None: addressed by its e-mail address (app-only).
    pub object_id: Option<Guid>,
    /// How the mailbox is connected; None: "Automatisch" (a new mailbox gets the method
    /// the preflight allows, an existing one keeps its own).
    pub method: Option<ConnectionMethod>,
}

/// Validates and, when nothing blocks, returns the typed mailbox with its warnings.
///
/// # Errors
///
/// The whole [`Validation`] (errors and warnings) when any rule blocks saving.
pub fn parse_mailbox(
    form: &MailboxForm,
    ctx: &ValidationContext,
) -> Result<ValidMailbox, Validation> {
    let validation = validate_mailbox(form, ctx);
    if validation.has_errors() {
        return Err(validation);
    }
    // The rules already passed; an error here would mean the two paths disagree, and it is
    // still reported rather than unwrapped.
    build(form, ctx, validation.issues).map_err(|issue| Validation {
        issues: vec![issue],
    })
}

fn build(
    form: &MailboxForm,
    ctx: &ValidationContext,
    warnings: Vec<Issue>,
) -> Result<ValidMailbox, Issue> {
    let at = |field| move |code| Issue::new(field, code);
    let incoming_type = general::incoming_type(form).map_err(at(Field::IncomingType))?;
    let outgoing_type = general::outgoing_type(form).map_err(at(Field::OutgoingType))?;
    let imap = match incoming_type {
        IncomingType::Imap => Some(ImapSettings {
            host: general::host(form, Field::ImapHost).map_err(at(Field::ImapHost))?,
            port: general::port(form, Field::ImapPort).map_err(at(Field::ImapPort))?,
            encryption: general::encryption(form, Field::ImapEncryption)
                .map_err(at(Field::ImapEncryption))?,
            inbox_prefix: general::inbox_prefix(form).map_err(at(Field::ImapInboxPrefix))?,
        }),
        IncomingType::MicrosoftApi | IncomingType::None => None,
    };
    let smtp = match outgoing_type {
        OutgoingType::Smtp => Some(SmtpSettings {
            host: general::host(form, Field::SmtpHost).map_err(at(Field::SmtpHost))?,
            port: general::port(form, Field::SmtpPort).map_err(at(Field::SmtpPort))?,
            encryption: general::encryption(form, Field::SmtpEncryption)
                .map_err(at(Field::SmtpEncryption))?,
        }),
        OutgoingType::MicrosoftApi => None,
    };
    let login = if imap.is_some() || smtp.is_some() {
        Some(ServerLogin {
            username: general::username(form).map_err(at(Field::Username))?,
            password: general::password(form, ctx).map_err(at(Field::Password))?,
        })
    } else {
        None
    };
    let uses_microsoft =
        incoming_type == IncomingType::MicrosoftApi || outgoing_type == OutgoingType::MicrosoftApi;
    let microsoft = if uses_microsoft {
        Some(MicrosoftSettings {
            client_id: microsoft::client_id(form).map_err(at(Field::ClientId))?,
            tenant: microsoft::tenant(form).map_err(at(Field::TenantId))?,
            client_secret: secret::client_secret(form, ctx).map_err(at(Field::ClientSecret))?,
            object_id: microsoft::object_id(form, ctx).map_err(at(Field::ObjectId))?,
            method: chosen_method(&form.connection_method),
        })
    } else {
        None
    };
    Ok(ValidMailbox {
        name: general::name(form).map_err(at(Field::Name))?,
        email: general::email(form).map_err(at(Field::Email))?,
        only_outgoing: form.only_outgoing,
        is_active: form.is_active,
        is_primary: form.is_primary,
        incoming_type,
        outgoing_type,
        email_mark_as_seen: form.email_mark_as_seen,
        imap,
        smtp,
        login,
        microsoft,
        warnings,
    })
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::super::tests::{imap_smtp_form, microsoft_form, CLIENT, OBJECT, SECRET, TENANT};
    use super::super::{IssueCode, OtherMailbox};
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn microsoft_mailbox_becomes_typed_values() {
        let mut form = microsoft_form();
        form.name = "  Info ".into();
        form.client_id = format!(" {{{}}}\n", CLIENT.to_uppercase());
        form.tenant_id = " Zonnecoop.onmicrosoft.com ".into();
        let valid = parse_mailbox(&form, &ValidationContext::default()).unwrap();
        assert_eq!(valid.name, "Info");
        assert_eq!(valid.incoming_type, IncomingType::MicrosoftApi);
        assert_eq!((valid.imap, valid.smtp, valid.login), (None, None, None));
        let microsoft = valid.microsoft.unwrap();
        assert_eq!(microsoft.client_id.to_string(), CLIENT);
        assert_eq!(
            microsoft.tenant,
            TenantRef::Domain("zonnecoop.onmicrosoft.com".into())
        );
        assert_eq!(
            microsoft.object_id.map(|id| id.to_string()).as_deref(),
            Some(OBJECT)
        );
        assert_eq!(
            microsoft.client_secret,
            SecretUpdate::Replace(SECRET.into())
        );
        assert!(valid.warnings.is_empty());
    }

    #[test]
    fn imap_smtp_mailbox_becomes_typed_values() {
        let valid = parse_mailbox(&imap_smtp_form(), &ValidationContext::default()).unwrap();
        let imap = valid.imap.unwrap();
        assert_eq!((imap.host.as_str(), imap.port), ("imap.zonnecoop.nl", 993));
        assert_eq!(imap.encryption, Some(Encryption::Ssl));
        assert_eq!(imap.inbox_prefix, None);
        let smtp = valid.smtp.unwrap();
        assert_eq!((smtp.port, smtp.encryption), (587, Some(Encryption::Tls)));
        let login = valid.login.unwrap();
        assert_eq!(
            login.password,
            SecretUpdate::Replace("geheim wachtwoord".into())
        );
        assert_eq!(valid.microsoft, None);
    }

    #[test]
    fn only_outgoing_drops_incoming() {
        let mut form = imap_smtp_form();
        form.only_outgoing = true;
        form.password = String::new();
        let ctx = ValidationContext {
            password_stored: true,
            ..ValidationContext::default()
        };
        let valid = parse_mailbox(&form, &ctx).unwrap();
        assert_eq!(valid.incoming_type, IncomingType::None);
        assert_eq!(valid.imap, None);
        assert_eq!(valid.login.unwrap().password, SecretUpdate::Keep);
    }

    #[test]
    fn warnings_come_along_and_errors_come_back() {
        let mut form = microsoft_form();
        form.tenant_id = TENANT.to_uppercase();
        let ctx = ValidationContext {
            secret_stored: true,
            other_mailboxes: vec![OtherMailbox {
                tenant_id: "bbbbbbbb-1111-2222-3333-444455556666".into(),
                ..OtherMailbox::default()
            }],
            ..ValidationContext::default()
        };
        form.client_secret = String::new();
        let valid = parse_mailbox(&form, &ctx).unwrap();
        assert_eq!(valid.microsoft.unwrap().client_secret, SecretUpdate::Keep);
        let warning = Issue::new(Field::TenantId, IssueCode::TenantIdDiffersFromOthers);
        assert_eq!(valid.warnings, [warning]);

        form.object_id = "nope".into();
        let invalid = parse_mailbox(&form, &ctx).unwrap_err();
        assert!(invalid.has_errors());
        let errors: Vec<_> = invalid
            .errors_for(Field::ObjectId)
            .map(|i| i.code)
            .collect();
        assert_eq!(errors, [IssueCode::ObjectIdNotGuid]);
        assert_eq!(invalid.warnings_for(Field::TenantId).count(), 1);
    }

    #[test]
    fn debug_of_a_valid_mailbox_hides_secrets() {
        let valid = parse_mailbox(&microsoft_form(), &ValidationContext::default()).unwrap();
        let shown = format!("{valid:?}");
        assert!(!shown.contains("8Q~"), "{shown}");
        assert!(shown.contains(CLIENT), "{shown}");
    }
}
