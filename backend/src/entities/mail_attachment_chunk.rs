//! `mail_attachment_chunks`: see migrations' `m20261215_000009_attachment_chunks`.

use sea_orm::entity::prelude::*;

/// A piece of an attachment's content: staged under `stage_key` while its message is being
/// fetched, linked to its attachment once the message is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_attachment_chunks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub attachment_id: Option<i32>,
    pub stage_key: Option<String>,
    /// Position within the content, from 0.
    pub seq: i32,
    pub bytes: Vec<u8>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
