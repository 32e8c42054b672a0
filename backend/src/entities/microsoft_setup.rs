//! `microsoft_setups`: see migrations' `m20261220_000014_microsoft_setups`.

use sea_orm::entity::prelude::*;

/// A guided setup "Microsoft 365 koppelen" in progress (or done).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "microsoft_setups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_input: String,
    /// The directory GUID, once discovery found the tenant.
    pub tenant_id: Option<String>,
    /// The Application (client) ID, once Microsoft knew it in the tenant.
    pub client_id: Option<String>,
    pub app_registration_id: Option<i32>,
    /// One address per line.
    #[sea_orm(column_type = "Text", nullable)]
    pub addresses: Option<String>,
    /// `rules::setup::SetupChecks` as JSON.
    #[sea_orm(column_type = "Text")]
    pub checks: String,
    pub created_by_user_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
