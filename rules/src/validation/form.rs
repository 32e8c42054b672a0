//! The mailbox form exactly as typed, and the names of its fields.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The "Mailboxen" form as submitted: raw strings, untrimmed. Field names equal the form's
/// `name=` attributes. `Debug` redacts `password` and `client_secret`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MailboxForm {
    /// Weergave naam.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// "Mailbox voor alleen uitgaande emails": incoming mail type is then N.v.t.
    #[serde(deserialize_with = "checkbox")]
    pub only_outgoing: bool,
    /// Actief.
    #[serde(deserialize_with = "checkbox")]
    pub is_active: bool,
    /// Primair.
    #[serde(deserialize_with = "checkbox")]
    pub is_primary: bool,
    /// Inkomende mail type: `imap`, `ms-oauth` or `none`.
    pub incoming_type: String,
    /// Uitgaande mail type: `smtp` or `ms-oauth`.
    pub outgoing_type: String,
    /// IMAP host.
    pub imap_host: String,
    /// Imap poort.
    pub imap_port: String,
    /// IMAP versleutelde verbinding: `ssl`, `tls` or empty.
    pub imap_encryption: String,
    /// Inbox prefix (optional).
    pub imap_inbox_prefix: String,
    /// SMTP host.
    pub smtp_host: String,
    /// Smtp poort.
    pub smtp_port: String,
    /// SMTP versleutelde verbinding: `ssl`, `tls` or empty.
    pub smtp_encryption: String,
    /// Gebruikersnaam (IMAP and SMTP).
    pub username: String,
    /// Wachtwoord (IMAP and SMTP).
    pub password: String,
    /// "Zet email als gelezen op server".
    #[serde(deserialize_with = "checkbox")]
    pub email_mark_as_seen: bool,
    /// Client id: the app registration's Application (client) ID.
    pub client_id: String,
    /// Tenant ID: Directory (tenant) ID or a domain of the tenant.
    pub tenant_id: String,
    /// Client secret waarde.
    pub client_secret: String,
    /// Object ID of the mailbox's user in Microsoft Entra ID; may stay empty for a
    /// mailbox connected without its password (then addressed by its e-mail address).
    pub object_id: String,
    /// How a Microsoft Api mailbox is connected: `delegated` ("Inloggen als de mailbox",
    /// also when empty) or `app_only` ("Zonder wachtwoord"), `passwordless::ConnectionMethod`.
    pub connection_method: String,
}

/// A checkbox as JSON (`true`/`false`) or as an HTML form sends it (`on` when checked,
/// absent when not; `true`/`false` from the server-function client).
fn checkbox<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct Checkbox;

    impl serde::de::Visitor<'_> for Checkbox {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a boolean or a checkbox value")
        }

        fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<bool, E> {
            Ok(value)
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<bool, E> {
            match value {
                "on" | "true" | "1" => Ok(true),
                "" | "off" | "false" | "0" => Ok(false),
                other => Err(E::invalid_value(serde::de::Unexpected::Str(other), &self)),
            }
        }
    }

    deserializer.deserialize_any(Checkbox)
}

impl fmt::Debug for MailboxForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |secret: &str| if secret.is_empty() { "" } else { "[redacted]" };
        f.debug_struct("MailboxForm")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("only_outgoing", &self.only_outgoing)
            .field("is_active", &self.is_active)
            .field("is_primary", &self.is_primary)
            .field("incoming_type", &self.incoming_type)
            .field("outgoing_type", &self.outgoing_type)
            .field("imap_host", &self.imap_host)
            .field("imap_port", &self.imap_port)
            .field("imap_encryption", &self.imap_encryption)
            .field("imap_inbox_prefix", &self.imap_inbox_prefix)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_encryption", &self.smtp_encryption)
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .field("email_mark_as_seen", &self.email_mark_as_seen)
            .field("client_id", &self.client_id)
            .field("tenant_id", &self.tenant_id)
            .field("client_secret", &redacted(&self.client_secret))
            .field("object_id", &self.object_id)
            .field("connection_method", &self.connection_method)
            .finish()
    }
}

/// One field of [`MailboxForm`]; issues are attached to fields. Each variant stands for the
/// [`MailboxForm`] field of the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Email,
    OnlyOutgoing,
    IsActive,
    IsPrimary,
    IncomingType,
    OutgoingType,
    ImapHost,
    ImapPort,
    ImapEncryption,
    ImapInboxPrefix,
    SmtpHost,
    SmtpPort,
    SmtpEncryption,
    Username,
    Password,
    EmailMarkAsSeen,
    ClientId,
    TenantId,
    ClientSecret,
    ObjectId,
}

impl Field {
    /// Every field in form order; validation reports issues in this order.
    pub const ALL: [Field; 21] = [
        Field::Name,
        Field::Email,
        Field::OnlyOutgoing,
        Field::IsActive,
        Field::IsPrimary,
        Field::IncomingType,
        Field::OutgoingType,
        Field::ImapHost,
        Field::ImapPort,
        Field::ImapEncryption,
        Field::ImapInboxPrefix,
        Field::SmtpHost,
        Field::SmtpPort,
        Field::SmtpEncryption,
        Field::Username,
        Field::Password,
        Field::EmailMarkAsSeen,
        Field::ClientId,
        Field::TenantId,
        Field::ClientSecret,
        Field::ObjectId,
    ];

    /// The form field name (`snake_case`, as in [`MailboxForm`]), for `name=` attributes and
    /// `data-testid`s.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::OnlyOutgoing => "only_outgoing",
            Field::IsActive => "is_active",
            Field::IsPrimary => "is_primary",
            Field::IncomingType => "incoming_type",
            Field::OutgoingType => "outgoing_type",
            Field::ImapHost => "imap_host",
            Field::ImapPort => "imap_port",
            Field::ImapEncryption => "imap_encryption",
            Field::ImapInboxPrefix => "imap_inbox_prefix",
            Field::SmtpHost => "smtp_host",
            Field::SmtpPort => "smtp_port",
            Field::SmtpEncryption => "smtp_encryption",
            Field::Username => "username",
            Field::Password => "password",
            Field::EmailMarkAsSeen => "email_mark_as_seen",
            Field::ClientId => "client_id",
            Field::TenantId => "tenant_id",
            Field::ClientSecret => "client_secret",
            Field::ObjectId => "object_id",
        }
    }

    /// The field named `name` (the inverse of [`Field::as_str`]).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.as_str() == name)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl MailboxForm {
    /// The raw text of a text field; `None` for the checkboxes.
    pub fn text(&self, field: Field) -> Option<&str> {
        let text = match field {
            Field::Name => &self.name,
            Field::Email => &self.email,
            Field::IncomingType => &self.incoming_type,
            Field::OutgoingType => &self.outgoing_type,
            Field::ImapHost => &self.imap_host,
            Field::ImapPort => &self.imap_port,
            Field::ImapEncryption => &self.imap_encryption,
            Field::ImapInboxPrefix => &self.imap_inbox_prefix,
            Field::SmtpHost => &self.smtp_host,
            Field::SmtpPort => &self.smtp_port,
            Field::SmtpEncryption => &self.smtp_encryption,
            Field::Username => &self.username,
            Field::Password => &self.password,
            Field::ClientId => &self.client_id,
            Field::TenantId => &self.tenant_id,
            Field::ClientSecret => &self.client_secret,
            Field::ObjectId => &self.object_id,
            Field::OnlyOutgoing | Field::IsActive | Field::IsPrimary | Field::EmailMarkAsSeen => {
                return None
            }
        };
        Some(text)
    }

    /// The text of a text field to edit; `None` for the checkboxes.
    pub fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        let text = match field {
            Field::Name => &mut self.name,
            Field::Email => &mut self.email,
            Field::IncomingType => &mut self.incoming_type,
            Field::OutgoingType => &mut self.outgoing_type,
            Field::ImapHost => &mut self.imap_host,
            Field::ImapPort => &mut self.imap_port,
            Field::ImapEncryption => &mut self.imap_encryption,
            Field::ImapInboxPrefix => &mut self.imap_inbox_prefix,
            Field::SmtpHost => &mut self.smtp_host,
            Field::SmtpPort => &mut self.smtp_port,
            Field::SmtpEncryption => &mut self.smtp_encryption,
            Field::Username => &mut self.username,
            Field::Password => &mut self.password,
            Field::ClientId => &mut self.client_id,
            Field::TenantId => &mut self.tenant_id,
            Field::ClientSecret => &mut self.client_secret,
            Field::ObjectId => &mut self.object_id,
            Field::OnlyOutgoing | Field::IsActive | Field::IsPrimary | Field::EmailMarkAsSeen => {
                return None
            }
        };
        Some(text)
    }

    /// The value of a checkbox field; `None` for the text fields.
    pub fn flag(&self, field: Field) -> Option<bool> {
        match field {
            Field::OnlyOutgoing => Some(self.only_outgoing),
            Field::IsActive => Some(self.is_active),
            Field::IsPrimary => Some(self.is_primary),
            Field::EmailMarkAsSeen => Some(self.email_mark_as_seen),
            _ => None,
        }
    }

    /// The value of a checkbox field to edit; `None` for the text fields.
    pub fn flag_mut(&mut self, field: Field) -> Option<&mut bool> {
        match field {
            Field::OnlyOutgoing => Some(&mut self.only_outgoing),
            Field::IsActive => Some(&mut self.is_active),
            Field::IsPrimary => Some(&mut self.is_primary),
            Field::EmailMarkAsSeen => Some(&mut self.email_mark_as_seen),
            _ => None,
        }
    }

    /// The text of a field with surrounding whitespace removed ("" for checkboxes).
    pub fn trimmed(&self, field: Field) -> &str {
        self.text(field).map_or("", str::trim)
    }
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_round_trip_and_are_unique() {
        for field in Field::ALL {
            assert_eq!(Field::from_name(field.as_str()), Some(field));
        }
        assert_eq!(Field::from_name("Client id"), None);
    }

    #[test]
    fn debug_redacts_secrets() {
        let form = MailboxForm {
            name: "Info".into(),
            password: "hunter2-password".into(),
            client_secret: "abc8Q~verysecret".into(),
            ..MailboxForm::default()
        };
        let shown = format!("{form:?}");
        assert!(shown.contains("Info"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("verysecret"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn checkboxes_read_html_form_values_and_booleans() {
        let form: Result<MailboxForm, _> =
            serde_json::from_str(r#"{"is_active":"on","is_primary":true,"only_outgoing":"false"}"#);
        let form = form.unwrap_or_default();
        assert!(form.is_active && form.is_primary && !form.only_outgoing);
        assert!(!form.email_mark_as_seen);
        assert!(serde_json::from_str::<MailboxForm>(r#"{"is_active":"ja"}"#).is_err());
    }

    #[test]
    fn text_and_trimmed() {
        let form = MailboxForm {
            tenant_id: "  contoso.nl \n".into(),
            ..MailboxForm::default()
        };
        assert_eq!(form.text(Field::TenantId), Some("  contoso.nl \n"));
        assert_eq!(form.trimmed(Field::TenantId), "contoso.nl");
        assert_eq!(form.text(Field::IsActive), None);
        assert_eq!(form.trimmed(Field::IsActive), "");
    }

    #[test]
    fn every_field_is_either_text_or_flag() {
        let mut form = MailboxForm::default();
        for field in Field::ALL {
            let text = form.text(field).is_some();
            assert_eq!(form.text_mut(field).is_some(), text, "{field}");
            assert_eq!(form.flag_mut(field).is_some(), !text, "{field}");
            assert_eq!(form.flag(field).is_some(), !text, "{field}");
        }
    }
}
