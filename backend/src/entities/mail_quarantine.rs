//! `mail_quarantine`: see migrations' `m20261214_000007_mail_quarantine`.

use sea_orm::entity::prelude::*;

/// A message the sync skipped, once per (mailbox, Graph id): why, and how often it was seen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_quarantine")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub mailbox_id: i32,
    pub graph_id: String,
    /// The subject as listed, shortened; None when the page had none.
    pub subject: Option<String>,
    /// `mail::quarantine::Reason::code`.
    pub reason: String,
    /// Bounded; no body, no secret.
    pub detail: Option<String>,
    pub first_seen_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    pub seen_count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
