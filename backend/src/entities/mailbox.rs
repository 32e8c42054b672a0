//! `mailboxes`: see migrations' `m20261127_000001_create_mailboxes`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailboxes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub email: String,
    pub only_outgoing: bool,
    pub incoming_server_type: String,
    pub outgoing_server_type: String,
    pub imap_host: Option<String>,
    pub imap_port: Option<i32>,
    pub imap_encryption: Option<String>,
    pub imap_inbox_prefix: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<i32>,
    pub smtp_encryption: Option<String>,
    pub username: Option<String>,
    pub password_encrypted: Option<Vec<u8>>,
    pub email_mark_as_seen: bool,
    pub is_active: bool,
    pub is_primary: bool,
    pub valid: bool,
    pub login_tries: i32,
    pub date_last_fetched: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic locking: every update checks and increments it.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
