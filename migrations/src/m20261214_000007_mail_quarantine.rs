//! Issue 21: one bad message no longer stops a mailbox, and no sender can hide a message.
//!
//! - `mail_quarantine`: a message the sync could not store (or that Graph no longer had when
//!   its attachments were fetched), by its Graph id, with a short reason code and a bounded
//!   detail; seen again, its count and last time go up. The sync goes on past it.
//! - `mail_messages` is keyed on Graph's immutable id (`Prefer: IdType="ImmutableId"`,
//!   docs/microsoft.md §6) instead of the sender-chosen `internetMessageId`, which stays as
//!   information with a plain index.
//!
//! Existing rows hold Graph's default ids (they change when a message moves), which the sync
//! can no longer compare with what Graph now sends. They are marked `graph_id_immutable =
//! false`, and every mailbox's delta and resume links are forgotten, so the next sync lists
//! the inbox again (as after a lost delta token) with immutable ids: a listed message that
//! matches such a row on Message-ID *and* receive time (set by Exchange, not by the sender)
//! takes the row over (`mail::store`), no attachment is fetched twice, and from then on the
//! row is keyed on the immutable id. Rows not listed again (older than the sync's start date,
//! or gone) keep their old id. Graph ids were unique per mailbox before, so the new unique
//! index fits the old rows.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_mailboxes::Mailboxes;
use crate::m20261210_000005_mail::{MailMessages, MailSyncStates};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD_UNIQUE: &str = "uq_mail_messages_mailbox_internet_message_id";
const OLD_GRAPH_ID: &str = "idx_mail_messages_mailbox_graph_id";
const NEW_UNIQUE: &str = "uq_mail_messages_mailbox_graph_id";
const NEW_MESSAGE_ID: &str = "idx_mail_messages_mailbox_internet_message_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(quarantine_table()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MailMessages::Table)
                    .add_column(boolean(Keyed::GraphIdImmutable).default(false))
                    .to_owned(),
            )
            .await?;
        // New indexes before the old ones go: MariaDB keeps an index starting with
        // `mailbox_id` for its foreign key at every step.
        index(manager, NEW_UNIQUE, MailMessages::GraphId, true).await?;
        index(
            manager,
            NEW_MESSAGE_ID,
            MailMessages::InternetMessageId,
            false,
        )
        .await?;
        drop_index(manager, OLD_UNIQUE).await?;
        drop_index(manager, OLD_GRAPH_ID).await?;
        forget_links(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to Message-ID as the key: fails if two rows now share one (a pre-empted
        // Message-ID stored twice), which is the point of this migration.
        index(manager, OLD_GRAPH_ID, MailMessages::GraphId, false).await?;
        index(manager, OLD_UNIQUE, MailMessages::InternetMessageId, true).await?;
        drop_index(manager, NEW_UNIQUE).await?;
        drop_index(manager, NEW_MESSAGE_ID).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MailMessages::Table)
                    .drop_column(Keyed::GraphIdImmutable)
                    .to_owned(),
            )
            .await?;
        forget_links(manager).await?;
        manager
            .drop_table(Table::drop().table(MailQuarantine::Table).to_owned())
            .await
    }
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    column: MailMessages,
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index
        .name(name)
        .table(MailMessages::Table)
        .col(MailMessages::MailboxId)
        .col(column);
    if unique {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}

async fn drop_index(manager: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    manager
        .drop_index(
            Index::drop()
                .name(name)
                .table(MailMessages::Table)
                .to_owned(),
        )
        .await
}

/// The next sync of every mailbox starts a new round (see the module's comment).
async fn forget_links(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let update = Query::update()
        .table(MailSyncStates::Table)
        .value(MailSyncStates::DeltaLink, Option::<String>::None)
        .value(MailSyncStates::ResumeLink, Option::<String>::None)
        .to_owned();
    manager.exec_stmt(update).await
}

fn quarantine_table() -> TableCreateStatement {
    use MailQuarantine as Q;
    Table::create()
        .table(Q::Table)
        .if_not_exists()
        .col(pk_auto(Q::Id))
        .col(integer(Q::MailboxId))
        .col(string_len(Q::GraphId, 255))
        // The subject when the page listed one, shortened: what the mailbox page shows.
        .col(string_len_null(Q::Subject, 255))
        // A short code (`mail::quarantine::Reason`).
        .col(string_len(Q::Reason, 64))
        // What went wrong, bounded; never a body or a token.
        .col(string_len_null(Q::Detail, 1000))
        .col(timestamp_with_time_zone(Q::FirstSeenAt))
        .col(timestamp_with_time_zone(Q::LastSeenAt))
        .col(integer(Q::SeenCount).default(1))
        .index(
            Index::create()
                .name("uq_mail_quarantine_mailbox_graph_id")
                .col(Q::MailboxId)
                .col(Q::GraphId)
                .unique(),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_mail_quarantine_mailbox")
                .from(Q::Table, Q::MailboxId)
                .to(Mailboxes::Table, Mailboxes::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[derive(DeriveIden)]
enum Keyed {
    GraphIdImmutable,
}

#[derive(DeriveIden)]
pub enum MailQuarantine {
    Table,
    Id,
    MailboxId,
    GraphId,
    Subject,
    Reason,
    Detail,
    FirstSeenAt,
    LastSeenAt,
    SeenCount,
}
