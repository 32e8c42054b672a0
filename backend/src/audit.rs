//! Recording and reading the audit log. Field names only, never values: the log can be
//! shown to every signed-in user and never holds a secret.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::auth::Actor;
use super::entities::audit_log;
use rules::audit_log::{AuditAction, AuditEntry};
use rules::validation::MailboxForm;

/// At most this many entries are shown per mailbox.
const SHOWN: u64 = 50;

/// Records that `actor` did `action` to mailbox `mailbox_id`, touching `fields` (names).
/// The connect flow calls this for `Connected` and `Disconnected`.
pub async fn record_audit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mailbox_id: Option<i32>,
    action: AuditAction,
    fields: &[&str],
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        mailbox_id: Set(mailbox_id),
        user_id: Set(Some(actor.user_id)),
        user_email: Set(actor.email.clone()),
        action: Set(action.as_str().to_string()),
        fields: Set(fields.join(",")),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The newest entries of mailbox `mailbox_id` first.
pub async fn list_for_mailbox(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
) -> Result<Vec<AuditEntry>, DbErr> {
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::MailboxId.eq(mailbox_id))
        .order_by_desc(audit_log::Column::RecordedAt)
        .order_by_desc(audit_log::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(AuditEntry {
                action: AuditAction::parse(&row.action)?,
                user_email: row.user_email,
                fields: row
                    .fields
                    .split(',')
                    .filter(|name| !name.is_empty())
                    .map(str::to_string)
                    .collect(),
                recorded_at: row.recorded_at,
            })
        })
        .collect())
}

type FieldValue = fn(&MailboxForm) -> String;

/// The form's non-secret fields by name.
const FIELDS: &[(&str, FieldValue)] = &[
    ("name", |f| f.name.clone()),
    ("email", |f| f.email.clone()),
    ("only_outgoing", |f| f.only_outgoing.to_string()),
    ("is_active", |f| f.is_active.to_string()),
    ("is_primary", |f| f.is_primary.to_string()),
    ("incoming_type", |f| f.incoming_type.clone()),
    ("outgoing_type", |f| f.outgoing_type.clone()),
    ("imap_host", |f| f.imap_host.clone()),
    ("imap_port", |f| f.imap_port.clone()),
    ("imap_encryption", |f| f.imap_encryption.clone()),
    ("imap_inbox_prefix", |f| f.imap_inbox_prefix.clone()),
    ("smtp_host", |f| f.smtp_host.clone()),
    ("smtp_port", |f| f.smtp_port.clone()),
    ("smtp_encryption", |f| f.smtp_encryption.clone()),
    ("username", |f| f.username.clone()),
    ("email_mark_as_seen", |f| f.email_mark_as_seen.to_string()),
    ("client_id", |f| f.client_id.clone()),
    ("tenant_id", |f| f.tenant_id.clone()),
    ("object_id", |f| f.object_id.clone()),
    ("connection_method", |f| f.connection_method.clone()),
];

/// Whether a secret was stored before and after a save, and whether a new value was typed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SecretChange {
    pub stored_before: bool,
    pub stored_after: bool,
    pub typed: bool,
}

impl SecretChange {
    /// A typed value that got stored counts as a change, even if it happens to equal the
    /// old one: comparing would mean decrypting just to write a log line.
    fn changed(self) -> bool {
        self.stored_before != self.stored_after || (self.typed && self.stored_after)
    }
}

/// The names of the fields that differ between `before` and `after` (stored forms, so
/// normalised), then `password` and `client_secret` when those changed.
pub fn changed_fields(
    before: &MailboxForm,
    after: &MailboxForm,
    password: SecretChange,
    client_secret: SecretChange,
) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = FIELDS
        .iter()
        .filter(|(_, value)| value(before) != value(after))
        .map(|(name, _)| *name)
        .collect();
    if password.changed() {
        names.push("password");
    }
    if client_secret.changed() {
        names.push("client_secret");
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_changed_fields() {
        let before = MailboxForm {
            name: "Info".into(),
            client_id: "a".into(),
            ..MailboxForm::default()
        };
        let after = MailboxForm {
            name: "Info".into(),
            client_id: "b".into(),
            is_active: true,
            ..MailboxForm::default()
        };
        let typed = SecretChange {
            stored_before: true,
            stored_after: true,
            typed: true,
        };
        let kept = SecretChange {
            typed: false,
            ..typed
        };
        assert_eq!(
            changed_fields(&before, &after, kept, typed),
            ["is_active", "client_id", "client_secret"]
        );
        assert!(changed_fields(&before, &before, kept, kept).is_empty());
        let removed = SecretChange {
            stored_after: false,
            ..kept
        };
        assert_eq!(
            changed_fields(&before, &before, removed, kept),
            ["password"]
        );
    }
}
