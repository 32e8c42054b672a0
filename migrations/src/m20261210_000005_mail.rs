//! Incoming mail (issue 8): the messages fetched from a mailbox's inbox, their attachments,
//! and per mailbox the state of the Graph delta sync with its lease.
//!
//! Portable types only; where MariaDB's plain `TEXT`/`BLOB` (64 KiB) is too small for a
//! mail body or an attachment, MariaDB gets `LONGTEXT`/`LONGBLOB`. Indexed ids are
//! `VARCHAR(255)`: MariaDB cannot index `TEXT` without a prefix length.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_mailboxes::Mailboxes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager.create_table(messages_table(backend)).await?;
        // No duplicates: a message is stored once per mailbox, however often Graph sends it.
        manager
            .create_index(
                Index::create()
                    .name("uq_mail_messages_mailbox_internet_message_id")
                    .table(MailMessages::Table)
                    .col(MailMessages::MailboxId)
                    .col(MailMessages::InternetMessageId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // `@removed` entries name the Graph id.
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_messages_mailbox_graph_id")
                    .table(MailMessages::Table)
                    .col(MailMessages::MailboxId)
                    .col(MailMessages::GraphId)
                    .to_owned(),
            )
            .await?;
        manager.create_table(attachments_table(backend)).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_attachments_message")
                    .table(MailAttachments::Table)
                    .col(MailAttachments::MessageId)
                    .to_owned(),
            )
            .await?;
        manager.create_table(sync_states_table()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_sync_states_due")
                    .table(MailSyncStates::Table)
                    .col(MailSyncStates::NextDueAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MailAttachments::Table.into_iden(),
            MailMessages::Table.into_iden(),
            MailSyncStates::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// A text column that holds a whole mail body (or a delta link) on every database.
fn long_text(column: impl IntoIden, backend: DatabaseBackend, null: bool) -> ColumnDef {
    let mut def = ColumnDef::new(column);
    if backend == DatabaseBackend::MySql {
        def.custom(Alias::new("LONGTEXT"));
    } else {
        def.text();
    }
    if null {
        def.null();
    } else {
        def.not_null();
    }
    def.to_owned()
}

fn messages_table(backend: DatabaseBackend) -> TableCreateStatement {
    use MailMessages as M;
    Table::create()
        .table(M::Table)
        .if_not_exists()
        .col(pk_auto(M::Id))
        .col(integer(M::MailboxId))
        .col(string_len(M::GraphId, 255))
        // Longer ids are stored as `sha256:<hex>` (see `mail::delta::message_key`).
        .col(string_len(M::InternetMessageId, 255))
        .col(string_len(M::FromAddress, 320))
        .col(string_len_null(M::FromName, 255))
        // JSON arrays of "Name <address>".
        .col(long_text(M::ToAddresses, backend, false))
        .col(long_text(M::CcAddresses, backend, false))
        .col(text(M::Subject))
        .col(timestamp_with_time_zone(M::ReceivedAt))
        .col(boolean(M::BodyIsHtml))
        // Sanitised HTML (safe to display) or plain text.
        .col(long_text(M::Body, backend, false))
        .col(boolean(M::HasAttachments))
        .col(timestamp_with_time_zone_null(M::RemovedAt))
        .col(timestamp_with_time_zone(M::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .name("fk_mail_messages_mailbox")
                .from(M::Table, M::MailboxId)
                .to(Mailboxes::Table, Mailboxes::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn attachments_table(backend: DatabaseBackend) -> TableCreateStatement {
    use MailAttachments as A;
    let mut content = ColumnDef::new(A::Content);
    if backend == DatabaseBackend::MySql {
        // Attachments up to MAIL_ATTACHMENT_MAX_BYTES (10 MiB by default).
        content.custom(Alias::new("LONGBLOB"));
    } else {
        content.blob();
    }
    content.null();
    Table::create()
        .table(A::Table)
        .if_not_exists()
        .col(pk_auto(A::Id))
        .col(integer(A::MessageId))
        .col(string_len(A::Name, 255))
        .col(string_len(A::ContentType, 255))
        .col(big_integer(A::Size))
        // NULL when skipped; `skipped_reason` says why.
        .col(content)
        .col(string_len_null(A::SkippedReason, 64))
        .foreign_key(
            ForeignKey::create()
                .name("fk_mail_attachments_message")
                .from(A::Table, A::MessageId)
                .to(MailMessages::Table, MailMessages::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn sync_states_table() -> TableCreateStatement {
    use MailSyncStates as S;
    Table::create()
        .table(S::Table)
        .if_not_exists()
        .col(integer(S::MailboxId).primary_key())
        // Graph's links carry opaque tokens of unbounded length.
        .col(text_null(S::DeltaLink))
        .col(text_null(S::ResumeLink))
        .col(timestamp_with_time_zone_null(S::LastFetchedAt))
        .col(timestamp_with_time_zone_null(S::LastSuccessAt))
        .col(integer(S::ConsecutiveFailures).default(0))
        .col(string_len_null(S::LastErrorCode, 128))
        .col(text_null(S::LastErrorMessage))
        // `ok` or `fout`.
        .col(string_len(S::Status, 16).default("ok"))
        // The sync lease: whoever set it (unexpired) syncs this mailbox; see `mail::lease`.
        .col(string_len_null(S::LeaseHolder, 128))
        .col(timestamp_with_time_zone_null(S::LeaseUntil))
        .col(timestamp_with_time_zone_null(S::NextDueAt))
        .foreign_key(
            ForeignKey::create()
                .name("fk_mail_sync_states_mailbox")
                .from(S::Table, S::MailboxId)
                .to(Mailboxes::Table, Mailboxes::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[derive(DeriveIden)]
pub enum MailMessages {
    Table,
    Id,
    MailboxId,
    GraphId,
    InternetMessageId,
    FromAddress,
    FromName,
    ToAddresses,
    CcAddresses,
    Subject,
    ReceivedAt,
    BodyIsHtml,
    Body,
    HasAttachments,
    RemovedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum MailAttachments {
    Table,
    Id,
    MessageId,
    Name,
    ContentType,
    Size,
    Content,
    SkippedReason,
}

#[derive(DeriveIden)]
pub enum MailSyncStates {
    Table,
    MailboxId,
    DeltaLink,
    ResumeLink,
    LastFetchedAt,
    LastSuccessAt,
    ConsecutiveFailures,
    LastErrorCode,
    LastErrorMessage,
    Status,
    LeaseHolder,
    LeaseUntil,
    NextDueAt,
}
