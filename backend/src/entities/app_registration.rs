//! `app_registrations`: see migrations' `m20261219_000013_app_registrations`.

use sea_orm::entity::prelude::*;

/// An Azure app registration: the tenant and client ID its mailboxes share.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Directory (tenant) ID as the mailbox form stores it: a GUID or a domain.
    pub tenant_id: String,
    /// Application (client) ID, canonical lower-case GUID.
    pub client_id: String,
    pub display_name: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::app_credential::Entity")]
    Credential,
}

impl Related<super::app_credential::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Credential.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
