//! `mail_imap_states`: see migrations' `m20261217_000011_imap_position`.

use sea_orm::entity::prelude::*;

/// Where the IMAP fetch of one mailbox stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_imap_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: i32,
    /// The folder read (the inbox prefix, or `INBOX`).
    pub folder: String,
    /// The folder's `UIDVALIDITY` when `last_uid` was stored.
    pub uid_validity: i64,
    /// The highest UID stored (or skipped into the quarantine).
    pub last_uid: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
