//! `mail_sync_states`: see migrations' `m20261210_000005_mail`.

use sea_orm::entity::prelude::*;

/// Where the incoming-mail sync of one mailbox stands, its failures, and its lease.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_sync_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: i32,
    /// `@odata.deltaLink` of the last finished round.
    pub delta_link: Option<String>,
    /// `@odata.nextLink` of the last stored page of an unfinished round.
    pub resume_link: Option<String>,
    pub last_fetched_at: Option<DateTimeUtc>,
    pub last_success_at: Option<DateTimeUtc>,
    pub consecutive_failures: i32,
    pub last_error_code: Option<String>,
    pub last_error_message: Option<String>,
    /// `ok` or `fout` ([`crate::mail::SyncStatus`]).
    pub status: String,
    /// Who syncs this mailbox now (one per server instance and sync).
    pub lease_holder: Option<String>,
    /// Until when the lease holds; an expired lease (a crashed instance) is taken over.
    pub lease_until: Option<DateTimeUtc>,
    /// When the scheduler syncs it next.
    pub next_due_at: Option<DateTimeUtc>,
    /// "Nu ophalen" asked for a sync at this moment; cleared when one starts.
    pub fetch_requested_at: Option<DateTimeUtc>,
    /// When the current (or last) sync started.
    pub run_started_at: Option<DateTimeUtc>,
    /// Messages the current (or last) sync stored so far.
    pub run_stored: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
