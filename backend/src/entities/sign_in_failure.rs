//! `sign_in_failures`: see migrations' `m20261129_000003_access`.

use sea_orm::entity::prelude::*;

/// One refused sign-in, counted for its account and for its client address.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_failures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `account` or `address`.
    pub scope: String,
    pub subject: String,
    pub failed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
