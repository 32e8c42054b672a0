//! Data access for mailboxes.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use std::collections::HashSet;

use super::entities::{mailbox, mailbox_microsoft_settings};
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
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// All mailboxes as list rows, ordered by name (case-insensitively, the same on every
/// database) and then id.
pub async fn list_rows(db: &DatabaseConnection) -> Result<Vec<MailboxRow>, DbErr> {
    let reconnect_needed: HashSet<i32> = mailbox_microsoft_settings::Entity::find()
        .filter(mailbox_microsoft_settings::Column::ReconnectNeeded.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|settings| settings.mailbox_id)
        .collect();
    let mut rows: Vec<MailboxRow> = mailbox::Entity::find()
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|model| {
            let reconnect = reconnect_needed.contains(&model.id);
            to_row(model, reconnect)
        })
        .collect();
    // Sorted here, not in SQL: collations differ between SQLite, PostgreSQL and MariaDB.
    rows.sort_by_cached_key(|row| (row.name.to_lowercase(), row.id));
    Ok(rows)
}

fn to_row(model: mailbox::Model, reconnect_needed: bool) -> MailboxRow {
    let incoming = ServerType::from_code(&model.incoming_server_type);
    let outgoing = ServerType::from_code(&model.outgoing_server_type);
    MailboxRow {
        status: status_of(&model, incoming, outgoing, reconnect_needed),
        id: model.id,
        name: model.name,
        email: model.email,
        incoming,
        outgoing,
        is_primary: model.is_primary,
        is_active: model.is_active,
    }
}

/// A Microsoft mailbox whose Azure settings changed needs "Opnieuw verbinden"; until
/// connections exist, other Microsoft mailboxes are "Niet verbonden" and the rest unchecked.
fn status_of(
    model: &mailbox::Model,
    incoming: ServerType,
    outgoing: ServerType,
    reconnect_needed: bool,
) -> MailboxStatus {
    let uses_microsoft =
        incoming == ServerType::MicrosoftApi || outgoing == ServerType::MicrosoftApi;
    match (uses_microsoft, reconnect_needed, model.valid) {
        (true, true, _) => MailboxStatus::ReconnectNeeded,
        (true, false, true) => MailboxStatus::Connected,
        (true, false, false) => MailboxStatus::NotConnected,
        (false, _, _) => MailboxStatus::Unchecked,
    }
}
