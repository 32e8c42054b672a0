//! The Wijzigingslog of a mailbox as the page shows it: who did what, when, to which
//! fields (names only, never values).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::{AccessMsg, FormMsg, Msg};

/// What happened to a mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    Created,
    Updated,
    Deleted,
    /// Connected to Microsoft (the OAuth flow).
    Connected,
    /// The connection to Microsoft was removed.
    Disconnected,
}

impl AuditAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Created => "created",
            AuditAction::Updated => "updated",
            AuditAction::Deleted => "deleted",
            AuditAction::Connected => "connected",
            AuditAction::Disconnected => "disconnected",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<AuditAction> {
        [
            AuditAction::Created,
            AuditAction::Updated,
            AuditAction::Deleted,
            AuditAction::Connected,
            AuditAction::Disconnected,
        ]
        .into_iter()
        .find(|action| action.as_str() == text)
    }

    /// How the page names it.
    pub fn label(self) -> Msg {
        Msg::Access(match self {
            AuditAction::Created => AccessMsg::ActionCreated,
            AuditAction::Updated => AccessMsg::ActionUpdated,
            AuditAction::Deleted => AccessMsg::ActionDeleted,
            AuditAction::Connected => AccessMsg::ActionConnected,
            AuditAction::Disconnected => AccessMsg::ActionDisconnected,
        })
    }
}

/// One line of the Wijzigingslog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub user_email: String,
    pub action: AuditAction,
    /// Names of the changed fields, as the form names them (`client_secret`, …).
    pub fields: Vec<String>,
    pub recorded_at: DateTime<Utc>,
}

/// The form's label of a field name, so the log reads like the form.
pub fn field_label(name: &str) -> Option<FormMsg> {
    use FormMsg::*;
    Some(match name {
        "name" => Name,
        "email" => Email,
        "only_outgoing" => OnlyOutgoing,
        "is_active" => IsActive,
        "is_primary" => IsPrimary,
        "incoming_type" => IncomingType,
        "outgoing_type" => OutgoingType,
        "imap_host" => ImapHost,
        "imap_port" => ImapPort,
        "imap_encryption" => ImapEncryption,
        "imap_inbox_prefix" => ImapInboxPrefix,
        "smtp_host" => SmtpHost,
        "smtp_port" => SmtpPort,
        "smtp_encryption" => SmtpEncryption,
        "username" => Username,
        "password" => Password,
        "email_mark_as_seen" => EmailMarkAsSeen,
        "client_id" => ClientId,
        "tenant_id" => TenantId,
        "client_secret" => ClientSecret,
        "object_id" => ObjectId,
        "connection_method" => ConnectionMethod,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_and_fields_have_labels() {
        for action in [AuditAction::Created, AuditAction::Disconnected] {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(field_label("client_secret"), Some(FormMsg::ClientSecret));
        assert_eq!(field_label("other"), None);
    }
}
