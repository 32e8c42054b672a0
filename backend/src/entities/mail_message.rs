//! `mail_messages`: see migrations' `m20261210_000005_mail`.

use sea_orm::entity::prelude::*;

/// A message fetched from a mailbox's inbox; stored once per (mailbox, Graph immutable id).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub mailbox_id: i32,
    /// Graph's immutable message id: the duplicate key. Rows stored before issue 21 hold
    /// Graph's default id (`graph_id_immutable` false) until the sync lists them again.
    pub graph_id: String,
    /// `internetMessageId` (or `sha256:<hex>` of a longer one): chosen by the sender, so
    /// information only, never a key.
    pub internet_message_id: String,
    pub from_address: String,
    pub from_name: Option<String>,
    /// JSON array of "Name <address>" strings.
    pub to_addresses: String,
    /// JSON array of "Name <address>" strings.
    pub cc_addresses: String,
    pub subject: String,
    pub received_at: DateTimeUtc,
    pub body_is_html: bool,
    /// Sanitised HTML, safe to display, or plain text.
    pub body: String,
    pub has_attachments: bool,
    /// Set when Graph reported the message `@removed`.
    pub removed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// Whether `graph_id` is the immutable id (see migrations' `m20261214_000007`).
    pub graph_id_immutable: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
