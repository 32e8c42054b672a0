//! Data access for mailboxes.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set};

use super::entities::mailbox;
use crate::mailbox_list::{MailboxRow, MailboxStatus, ServerType};

/// What is needed to create a mailbox; the full form comes with the mailbox screen.
#[derive(Clone, Debug)]
pub struct NewMailbox {
    pub name: String,
    pub email: String,
    pub incoming_server_type: String,
    pub outgoing_server_type: String,
    pub is_active: bool,
    pub is_primary: bool,
}

/// Inserts a mailbox and returns its id.
pub async fn insert(db: &DatabaseConnection, new: NewMailbox) -> Result<i32, DbErr> {
    let now = Utc::now();
    let model = mailbox::ActiveModel {
        name: Set(new.name),
        email: Set(new.email),
        only_outgoing: Set(new.incoming_server_type == "none"),
        incoming_server_type: Set(new.incoming_server_type),
        outgoing_server_type: Set(new.outgoing_server_type),
        is_active: Set(new.is_active),
        is_primary: Set(new.is_primary),
        email_mark_as_seen: Set(false),
        valid: Set(false),
        login_tries: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// All mailboxes as list rows, ordered by name (case-insensitively, the same on every
/// database) and then id.
pub async fn list_rows(db: &DatabaseConnection) -> Result<Vec<MailboxRow>, DbErr> {
    let mut rows: Vec<MailboxRow> = mailbox::Entity::find()
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_row)
        .collect();
    // Sorted here, not in SQL: collations differ between SQLite, PostgreSQL and MariaDB.
    rows.sort_by_cached_key(|row| (row.name.to_lowercase(), row.id));
    Ok(rows)
}

fn to_row(model: mailbox::Model) -> MailboxRow {
    let incoming = ServerType::from_code(&model.incoming_server_type);
    let outgoing = ServerType::from_code(&model.outgoing_server_type);
    MailboxRow {
        status: status_of(&model, incoming, outgoing),
        id: model.id,
        name: model.name,
        email: model.email,
        incoming,
        outgoing,
        is_primary: model.is_primary,
        is_active: model.is_active,
    }
}

/// Until connections exist, a Microsoft mailbox is "Niet verbonden" and others unchecked.
fn status_of(model: &mailbox::Model, incoming: ServerType, outgoing: ServerType) -> MailboxStatus {
    let uses_microsoft =
        incoming == ServerType::MicrosoftApi || outgoing == ServerType::MicrosoftApi;
    match (uses_microsoft, model.valid) {
        (true, true) => MailboxStatus::Connected,
        (true, false) => MailboxStatus::NotConnected,
        (false, _) => MailboxStatus::Unchecked,
    }
}
