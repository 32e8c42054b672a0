//! `audit_log`: see migrations' `m20261129_000003_access`.

use sea_orm::entity::prelude::*;

/// Who did what to which mailbox; field names only, never values.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub mailbox_id: Option<i32>,
    pub user_id: Option<i32>,
    pub user_email: String,
    pub action: String,
    /// Comma-separated field names.
    #[sea_orm(column_type = "Text")]
    pub fields: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
