//! Rules for the general, IMAP and SMTP fields. Each function reads one field, trimmed, and
//! returns its typed value or the first rule it breaks.

use super::domain::is_plain_host;
use super::email::check_email;
use super::form::{Field, MailboxForm};
use super::issue::{IssueCode, MAX_TEXT};
use super::secret::SecretUpdate;
use super::server_type::{Encryption, IncomingType, OutgoingType};
use super::ValidationContext;

/// The trimmed text of a field that must not be empty.
pub(crate) fn required(form: &MailboxForm, field: Field) -> Result<&str, IssueCode> {
    match form.trimmed(field) {
        "" => Err(IssueCode::Required(field)),
        text => Ok(text),
    }
}

fn bounded(text: &str) -> Result<&str, IssueCode> {
    if text.chars().count() > MAX_TEXT {
        return Err(IssueCode::TooLong);
    }
    Ok(text)
}

/// Weergave naam.
pub(crate) fn name(form: &MailboxForm) -> Result<String, IssueCode> {
    let name = bounded(required(form, Field::Name)?)?;
    Ok(name.to_owned())
}

/// E-mail.
pub(crate) fn email(form: &MailboxForm) -> Result<String, IssueCode> {
    let email = required(form, Field::Email)?;
    check_email(email)?;
    Ok(email.to_owned())
}

/// Inkomende mail type; always N.v.t. for a mailbox for outgoing mail only, whatever the
/// select still holds (the form hides it then).
pub(crate) fn incoming_type(form: &MailboxForm) -> Result<IncomingType, IssueCode> {
    if form.only_outgoing {
        return Ok(IncomingType::None);
    }
    match required(form, Field::IncomingType)?.parse() {
        Ok(IncomingType::None) => Err(IssueCode::IncomingNoneNeedsOnlyOutgoing),
        Ok(incoming) => Ok(incoming),
        Err(_) => Err(IssueCode::UnknownChoice),
    }
}

/// Uitgaande mail type.
pub(crate) fn outgoing_type(form: &MailboxForm) -> Result<OutgoingType, IssueCode> {
    required(form, Field::OutgoingType)?
        .parse()
        .map_err(|_| IssueCode::UnknownChoice)
}

/// IMAP host or SMTP host.
pub(crate) fn host(form: &MailboxForm, field: Field) -> Result<String, IssueCode> {
    let host = bounded(required(form, field)?)?;
    if !is_plain_host(host) {
        return Err(IssueCode::HostInvalid);
    }
    Ok(host.to_owned())
}

/// Imap poort or Smtp poort: ASCII digits only, 1–65535.
pub(crate) fn port(form: &MailboxForm, field: Field) -> Result<u16, IssueCode> {
    let port = required(form, field)?;
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IssueCode::PortNotNumber);
    }
    // Only digits, so a parse failure can only be an overflow.
    match port.parse::<u16>() {
        Ok(0) | Err(_) => Err(IssueCode::PortOutOfRange),
        Ok(port) => Ok(port),
    }
}

/// Versleutelde verbinding; empty means none.
pub(crate) fn encryption(
    form: &MailboxForm,
    field: Field,
) -> Result<Option<Encryption>, IssueCode> {
    match form.trimmed(field) {
        "" => Ok(None),
        code => code.parse().map(Some).map_err(|_| IssueCode::UnknownChoice),
    }
}

/// Inbox prefix: optional.
pub(crate) fn inbox_prefix(form: &MailboxForm) -> Result<Option<String>, IssueCode> {
    match bounded(form.trimmed(Field::ImapInboxPrefix))? {
        "" => Ok(None),
        prefix => Ok(Some(prefix.to_owned())),
    }
}

/// Gebruikersnaam.
pub(crate) fn username(form: &MailboxForm) -> Result<String, IssueCode> {
    let username = bounded(required(form, Field::Username)?)?;
    Ok(username.to_owned())
}

/// Wachtwoord; empty keeps the stored one on an existing mailbox.
pub(crate) fn password(
    form: &MailboxForm,
    ctx: &ValidationContext,
) -> Result<SecretUpdate, IssueCode> {
    match form.trimmed(Field::Password) {
        "" if ctx.password_stored => Ok(SecretUpdate::Keep),
        "" => Err(IssueCode::Required(Field::Password)),
        password => Ok(SecretUpdate::Replace(password.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn form_with(field: Field, value: &str) -> MailboxForm {
        let mut form = MailboxForm::default();
        let slot = match field {
            Field::Name => &mut form.name,
            Field::Email => &mut form.email,
            Field::IncomingType => &mut form.incoming_type,
            Field::OutgoingType => &mut form.outgoing_type,
            Field::ImapHost => &mut form.imap_host,
            Field::ImapPort => &mut form.imap_port,
            Field::ImapEncryption => &mut form.imap_encryption,
            Field::ImapInboxPrefix => &mut form.imap_inbox_prefix,
            Field::Username => &mut form.username,
            _ => &mut form.password,
        };
        value.clone_into(slot);
        form
    }

    #[test]
    fn text_fields() {
        let long = "x".repeat(256);
        let cases = [
            (Field::Name, "  Info  ", Ok("Info".to_owned())),
            (Field::Name, " \t\n", Err(IssueCode::Required(Field::Name))),
            (Field::Name, long.as_str(), Err(IssueCode::TooLong)),
            (
                Field::Username,
                "",
                Err(IssueCode::Required(Field::Username)),
            ),
            (
                Field::Username,
                " info@coop.nl ",
                Ok("info@coop.nl".to_owned()),
            ),
        ];
        for (field, value, expected) in cases {
            let form = form_with(field, value);
            let actual = match field {
                Field::Name => name(&form),
                _ => username(&form),
            };
            assert_eq!(actual, expected, "{field:?} {value:?}");
        }
    }

    #[test]
    fn email_field() {
        assert_eq!(
            email(&form_with(Field::Email, " a@b.nl ")),
            Ok("a@b.nl".into())
        );
        assert_eq!(
            email(&form_with(Field::Email, "")),
            Err(IssueCode::Required(Field::Email))
        );
        assert_eq!(
            email(&form_with(Field::Email, "a b@c.nl")),
            Err(IssueCode::EmailWhitespace)
        );
    }

    #[test]
    fn incoming_and_outgoing_types() {
        let cases = [
            ("imap", false, Ok(IncomingType::Imap)),
            (" ms-oauth ", false, Ok(IncomingType::MicrosoftApi)),
            ("none", false, Err(IssueCode::IncomingNoneNeedsOnlyOutgoing)),
            ("", false, Err(IssueCode::Required(Field::IncomingType))),
            ("mailgun", false, Err(IssueCode::UnknownChoice)),
            ("", true, Ok(IncomingType::None)),
            ("imap", true, Ok(IncomingType::None)),
        ];
        for (value, only_outgoing, expected) in cases {
            let mut form = form_with(Field::IncomingType, value);
            form.only_outgoing = only_outgoing;
            assert_eq!(incoming_type(&form), expected, "{value} {only_outgoing}");
        }
        let outgoing = |value| outgoing_type(&form_with(Field::OutgoingType, value));
        assert_eq!(outgoing("ms-oauth"), Ok(OutgoingType::MicrosoftApi));
        assert_eq!(outgoing(""), Err(IssueCode::Required(Field::OutgoingType)));
        assert_eq!(outgoing("mailgun"), Err(IssueCode::UnknownChoice));
    }

    #[test]
    fn hosts() {
        let cases = [
            (" imap.example.nl ", Ok("imap.example.nl".to_owned())),
            ("", Err(IssueCode::Required(Field::ImapHost))),
            ("imap.example.nl:993", Err(IssueCode::HostInvalid)),
            ("imaps://imap.example.nl", Err(IssueCode::HostInvalid)),
        ];
        for (value, expected) in cases {
            assert_eq!(
                host(&form_with(Field::ImapHost, value), Field::ImapHost),
                expected
            );
        }
    }

    #[test]
    fn ports() {
        let cases = [
            ("993", Ok(993)),
            (" 587 ", Ok(587)),
            ("1", Ok(1)),
            ("65535", Ok(65535)),
            ("0993", Ok(993)),
            ("", Err(IssueCode::Required(Field::ImapPort))),
            ("0", Err(IssueCode::PortOutOfRange)),
            ("65536", Err(IssueCode::PortOutOfRange)),
            ("99999999999999999999999", Err(IssueCode::PortOutOfRange)),
            ("+993", Err(IssueCode::PortNotNumber)),
            ("-1", Err(IssueCode::PortNotNumber)),
            ("99 3", Err(IssueCode::PortNotNumber)),
            ("９９３", Err(IssueCode::PortNotNumber)),
            ("993a", Err(IssueCode::PortNotNumber)),
        ];
        for (value, expected) in cases {
            let form = form_with(Field::ImapPort, value);
            assert_eq!(port(&form, Field::ImapPort), expected, "{value:?}");
        }
    }

    #[test]
    fn encryption_and_prefix() {
        let enc = |value| {
            encryption(
                &form_with(Field::ImapEncryption, value),
                Field::ImapEncryption,
            )
        };
        assert_eq!(enc(""), Ok(None));
        assert_eq!(enc(" ssl"), Ok(Some(Encryption::Ssl)));
        assert_eq!(enc("starttls"), Err(IssueCode::UnknownChoice));
        let prefix = |value| inbox_prefix(&form_with(Field::ImapInboxPrefix, value));
        assert_eq!(prefix("  "), Ok(None));
        assert_eq!(prefix(" INBOX. "), Ok(Some("INBOX.".into())));
        assert_eq!(prefix(&"p".repeat(300)), Err(IssueCode::TooLong));
    }

    #[test]
    fn password_may_be_kept_when_stored() {
        let stored = ValidationContext {
            password_stored: true,
            ..ValidationContext::default()
        };
        let fresh = ValidationContext::default();
        let empty = form_with(Field::Password, " ");
        assert_eq!(password(&empty, &stored), Ok(SecretUpdate::Keep));
        assert_eq!(
            password(&empty, &fresh),
            Err(IssueCode::Required(Field::Password))
        );
        let typed = form_with(Field::Password, " p@ss word ");
        assert_eq!(
            password(&typed, &fresh),
            Ok(SecretUpdate::Replace("p@ss word".into()))
        );
    }
}
