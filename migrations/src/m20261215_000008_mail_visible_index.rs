//! The mailbox's visible messages found without reading a row (issue 21). Counting them
//! (the list page's "Berichten", the message list's page count) and finding a page of
//! them filter on `removed_at`, which is stored after the body: without this index SQLite
//! walks every message's overflow pages — its whole body — to reach that column, and so a
//! list page reads every mail body. With it the count is answered from the index alone and
//! a page of the message list reads only its 25 rows.

use sea_orm_migration::prelude::*;

use crate::m20261210_000005_mail::MailMessages;

const NAME: &str = "idx_mail_messages_visible";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(MailMessages::Table)
                    .col(MailMessages::MailboxId)
                    .col(MailMessages::RemovedAt)
                    .col(MailMessages::ReceivedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(MailMessages::Table)
                    .to_owned(),
            )
            .await
    }
}
