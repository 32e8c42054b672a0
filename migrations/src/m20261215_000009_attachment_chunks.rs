//! Issue 21: an attachment's content is stored in chunks of at most 1 MiB, so neither storing
//! nor downloading one holds the whole file in memory, and no single value comes near
//! MariaDB's `max_allowed_packet` (16 MiB by default, below Graph's 150 MB attachments).
//!
//! - `mail_attachment_chunks`: the content in order (`seq`). The sync streams a download into
//!   chunks *staged* under a random `stage_key`, each chunk its own short write (the database
//!   is never locked for a download's duration); the message's transaction then links them to
//!   the attachment (`attachment_id`, cascading on delete) and clears the key. Staged chunks
//!   never linked (the sync failed, the message was quarantined, the process died) are swept
//!   once they are older than any sync could take (`created_at`).
//! - `mail_attachments.content_in_chunks`: the content is in chunks. Rows stored before keep
//!   their `content` column and are served from it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261210_000005_mail::MailAttachments;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BY_ATTACHMENT: &str = "idx_mail_attachment_chunks_attachment";
const BY_STAGE: &str = "idx_mail_attachment_chunks_stage";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MailAttachments::Table)
                    .add_column(boolean(Chunked::ContentInChunks).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(chunks_table(manager.get_database_backend()))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(BY_ATTACHMENT)
                    .table(MailAttachmentChunks::Table)
                    .col(MailAttachmentChunks::AttachmentId)
                    .col(MailAttachmentChunks::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(BY_STAGE)
                    .table(MailAttachmentChunks::Table)
                    .col(MailAttachmentChunks::StageKey)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MailAttachmentChunks::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MailAttachments::Table)
                    .drop_column(Chunked::ContentInChunks)
                    .to_owned(),
            )
            .await
    }
}

fn chunks_table(backend: sea_orm::DatabaseBackend) -> TableCreateStatement {
    use MailAttachmentChunks as C;
    let mut bytes = ColumnDef::new(C::Bytes);
    if backend == sea_orm::DatabaseBackend::MySql {
        // BLOB holds 64 KiB on MariaDB; a chunk is up to 1 MiB.
        bytes.custom(Alias::new("MEDIUMBLOB"));
    } else {
        bytes.blob();
    }
    bytes.not_null();
    Table::create()
        .table(C::Table)
        .if_not_exists()
        .col(pk_auto(C::Id))
        .col(integer_null(C::AttachmentId))
        // A UUID while staged, NULL once linked.
        .col(string_len_null(C::StageKey, 36))
        .col(integer(C::Seq))
        .col(bytes)
        .col(timestamp_with_time_zone(C::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .name("fk_mail_attachment_chunks_attachment")
                .from(C::Table, C::AttachmentId)
                .to(MailAttachments::Table, MailAttachments::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[derive(DeriveIden)]
enum Chunked {
    ContentInChunks,
}

#[derive(DeriveIden)]
pub enum MailAttachmentChunks {
    Table,
    Id,
    AttachmentId,
    StageKey,
    Seq,
    Bytes,
    CreatedAt,
}
