//! `mail_attachments`: see migrations' `m20261210_000005_mail`.

use sea_orm::entity::prelude::*;

/// An attachment of a fetched message: its content, or why it was skipped.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub message_id: i32,
    pub name: String,
    pub content_type: String,
    /// Size in bytes as Graph reported it.
    pub size: i64,
    /// The content of an attachment stored before chunks existed; None when skipped or
    /// when `content_in_chunks`.
    pub content: Option<Vec<u8>>,
    /// `too_large`, `item_attachment`, `reference_attachment`, … ([`crate::mail::SkipReason`]).
    pub skipped_reason: Option<String>,
    /// The content is in `mail_attachment_chunks` ([`super::mail_attachment_chunk`]).
    pub content_in_chunks: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
