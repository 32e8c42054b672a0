//! Issue 23: where the IMAP fetch of a mailbox stands — the folder it read, that folder's
//! `UIDVALIDITY` and the highest UID stored — so a fetch asks only for newer mail, and a
//! changed `UIDVALIDITY` (the folder was recreated or renumbered) is noticed and the folder
//! read again without storing what is stored already.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_mailboxes::Mailboxes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use MailImapStates as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .if_not_exists()
                    .col(integer(S::MailboxId).primary_key())
                    .col(string_len(S::Folder, 255))
                    // RFC 3501 UIDs and UIDVALIDITY are 32-bit unsigned: a BIGINT holds them.
                    .col(big_integer(S::UidValidity))
                    .col(big_integer(S::LastUid))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mail_imap_states_mailbox")
                            .from(S::Table, S::MailboxId)
                            .to(Mailboxes::Table, Mailboxes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MailImapStates::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum MailImapStates {
    Table,
    MailboxId,
    Folder,
    UidValidity,
    LastUid,
    UpdatedAt,
}
