//! What validation reports: an issue code per rule, attached to a field, with a severity.
//! The texts live in `messages.rs`.

use serde::{Deserialize, Serialize};

use super::form::Field;
use super::messages::Lang;

/// Errors block saving; warnings inform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks saving.
    Error,
    /// Shown, but the mailbox can be saved.
    Warning,
}

/// One variant per rule. The serde form and [`IssueCode::as_str`] are stable codes for
/// tests and logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// A field this mailbox type needs is empty.
    Required(Field),
    /// Longer than [`MAX_TEXT`] characters.
    TooLong,
    /// A select field holds a value that is not one of its choices.
    UnknownChoice,
    /// Incoming type N.v.t. while "alleen uitgaande emails" is off.
    IncomingNoneNeedsOnlyOutgoing,
    /// E-mail contains whitespace.
    EmailWhitespace,
    /// E-mail longer than 254 characters.
    EmailTooLong,
    /// E-mail without exactly one `@`.
    EmailAtSign,
    /// E-mail part before the `@` is invalid.
    EmailLocalPart,
    /// E-mail part after the `@` is not a domain with a dot.
    EmailDomain,
    /// Host with whitespace, scheme, path, user or `:port`.
    HostInvalid,
    /// Port is not only digits.
    PortNotNumber,
    /// Port outside 1–65535.
    PortOutOfRange,
    /// Client id is not a GUID.
    ClientIdNotGuid,
    /// Object ID is not a GUID.
    ObjectIdNotGuid,
    /// Tenant ID is neither a GUID nor a domain name.
    TenantIdInvalid,
    /// The all-zero GUID.
    NilGuid,
    /// Tenant ID is the consumer (personal accounts) tenant.
    TenantIsConsumerTenant,
    /// Tenant ID is `common`.
    TenantIsCommon,
    /// Tenant ID is `organizations`.
    TenantIsOrganizations,
    /// Tenant ID is `consumers`.
    TenantIsConsumers,
    /// Client id and Tenant ID are the same GUID (reported on both fields).
    ClientIdEqualsTenantId,
    /// Client id and Object ID are the same GUID (reported on both fields).
    ClientIdEqualsObjectId,
    /// Object ID and Tenant ID are the same GUID (reported on both fields).
    ObjectIdEqualsTenantId,
    /// Another mailbox already uses this Object ID.
    ObjectIdInUse,
    /// Warning: other Microsoft mailboxes use another Client id.
    ClientIdDiffersFromOthers,
    /// Warning: other Microsoft mailboxes use another Tenant ID.
    TenantIdDiffersFromOthers,
    /// Client secret is a GUID: the Secret ID, not the value.
    SecretIsSecretId,
    /// Client secret equals the Client id.
    SecretEqualsClientId,
    /// Client secret equals the Tenant ID.
    SecretEqualsTenantId,
    /// Client secret outside the 16–64 characters Microsoft allows.
    SecretLength,
    /// Warning: client secret fits none of Microsoft's secret shapes.
    SecretUnknownShape,
}

/// Longest plain text field (name, hosts, username, inbox prefix), as Econobis' columns.
pub const MAX_TEXT: usize = 255;

impl IssueCode {
    /// Whether this rule blocks saving.
    pub fn severity(self) -> Severity {
        match self {
            IssueCode::ClientIdDiffersFromOthers
            | IssueCode::TenantIdDiffersFromOthers
            | IssueCode::SecretUnknownShape => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// A stable `snake_case` code for the rule, e.g. `secret_is_secret_id`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::Required(_) => "required",
            IssueCode::TooLong => "too_long",
            IssueCode::UnknownChoice => "unknown_choice",
            IssueCode::IncomingNoneNeedsOnlyOutgoing => "incoming_none_needs_only_outgoing",
            IssueCode::EmailWhitespace => "email_whitespace",
            IssueCode::EmailTooLong => "email_too_long",
            IssueCode::EmailAtSign => "email_at_sign",
            IssueCode::EmailLocalPart => "email_local_part",
            IssueCode::EmailDomain => "email_domain",
            IssueCode::HostInvalid => "host_invalid",
            IssueCode::PortNotNumber => "port_not_number",
            IssueCode::PortOutOfRange => "port_out_of_range",
            IssueCode::ClientIdNotGuid => "client_id_not_guid",
            IssueCode::ObjectIdNotGuid => "object_id_not_guid",
            IssueCode::TenantIdInvalid => "tenant_id_invalid",
            IssueCode::NilGuid => "nil_guid",
            IssueCode::TenantIsConsumerTenant => "tenant_is_consumer_tenant",
            IssueCode::TenantIsCommon => "tenant_is_common",
            IssueCode::TenantIsOrganizations => "tenant_is_organizations",
            IssueCode::TenantIsConsumers => "tenant_is_consumers",
            IssueCode::ClientIdEqualsTenantId => "client_id_equals_tenant_id",
            IssueCode::ClientIdEqualsObjectId => "client_id_equals_object_id",
            IssueCode::ObjectIdEqualsTenantId => "object_id_equals_tenant_id",
            IssueCode::ObjectIdInUse => "object_id_in_use",
            IssueCode::ClientIdDiffersFromOthers => "client_id_differs_from_others",
            IssueCode::TenantIdDiffersFromOthers => "tenant_id_differs_from_others",
            IssueCode::SecretIsSecretId => "secret_is_secret_id",
            IssueCode::SecretEqualsClientId => "secret_equals_client_id",
            IssueCode::SecretEqualsTenantId => "secret_equals_tenant_id",
            IssueCode::SecretLength => "secret_length",
            IssueCode::SecretUnknownShape => "secret_unknown_shape",
        }
    }
}

/// A problem with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Issue {
    /// The field to show it at.
    pub field: Field,
    /// Error (blocks saving) or warning.
    pub severity: Severity,
    /// Which rule.
    pub code: IssueCode,
}

impl Issue {
    /// An issue with the severity the rule has.
    pub fn new(field: Field, code: IssueCode) -> Issue {
        Issue {
            field,
            severity: code.severity(),
            code,
        }
    }

    /// True when it blocks saving.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The text to show, in `lang`.
    pub fn message(&self, lang: Lang) -> &'static str {
        self.code.message(lang)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// One of every code, for catalogue tests elsewhere.
    pub(crate) const EVERY_CODE: [IssueCode; 31] = [
        IssueCode::Required(Field::Name),
        IssueCode::TooLong,
        IssueCode::UnknownChoice,
        IssueCode::IncomingNoneNeedsOnlyOutgoing,
        IssueCode::EmailWhitespace,
        IssueCode::EmailTooLong,
        IssueCode::EmailAtSign,
        IssueCode::EmailLocalPart,
        IssueCode::EmailDomain,
        IssueCode::HostInvalid,
        IssueCode::PortNotNumber,
        IssueCode::PortOutOfRange,
        IssueCode::ClientIdNotGuid,
        IssueCode::ObjectIdNotGuid,
        IssueCode::TenantIdInvalid,
        IssueCode::NilGuid,
        IssueCode::TenantIsConsumerTenant,
        IssueCode::TenantIsCommon,
        IssueCode::TenantIsOrganizations,
        IssueCode::TenantIsConsumers,
        IssueCode::ClientIdEqualsTenantId,
        IssueCode::ClientIdEqualsObjectId,
        IssueCode::ObjectIdEqualsTenantId,
        IssueCode::ObjectIdInUse,
        IssueCode::ClientIdDiffersFromOthers,
        IssueCode::TenantIdDiffersFromOthers,
        IssueCode::SecretIsSecretId,
        IssueCode::SecretEqualsClientId,
        IssueCode::SecretEqualsTenantId,
        IssueCode::SecretLength,
        IssueCode::SecretUnknownShape,
    ];

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in EVERY_CODE {
            assert!(seen.insert(code.as_str()), "{}", code.as_str());
        }
    }

    #[test]
    fn only_the_three_advisory_rules_are_warnings() {
        let warnings: Vec<&str> = EVERY_CODE
            .into_iter()
            .filter(|code| code.severity() == Severity::Warning)
            .map(IssueCode::as_str)
            .collect();
        assert_eq!(
            warnings,
            [
                "client_id_differs_from_others",
                "tenant_id_differs_from_others",
                "secret_unknown_shape"
            ]
        );
        let issue = Issue::new(Field::ClientSecret, IssueCode::SecretUnknownShape);
        assert!(!issue.is_error());
        assert!(Issue::new(Field::ClientSecret, IssueCode::SecretIsSecretId).is_error());
    }
}
