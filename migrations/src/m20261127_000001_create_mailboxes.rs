//! The mailboxes table, modelled on Econobis' `mailboxes` (see docs/econobis.md, "Data model").

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Mailboxes::Table)
                    .if_not_exists()
                    .col(pk_auto(Mailboxes::Id))
                    .col(string_len(Mailboxes::Name, 255))
                    .col(string_len(Mailboxes::Email, 320))
                    .col(boolean(Mailboxes::OnlyOutgoing).default(false))
                    // `imap`, `ms-oauth` or `none` (outgoing-only); Econobis' codes.
                    .col(string_len(Mailboxes::IncomingServerType, 16))
                    // `smtp` or `ms-oauth`.
                    .col(string_len(Mailboxes::OutgoingServerType, 16))
                    .col(string_len_null(Mailboxes::ImapHost, 255))
                    .col(integer_null(Mailboxes::ImapPort))
                    .col(string_len_null(Mailboxes::ImapEncryption, 8))
                    .col(string_len_null(Mailboxes::ImapInboxPrefix, 255))
                    .col(string_len_null(Mailboxes::SmtpHost, 255))
                    .col(integer_null(Mailboxes::SmtpPort))
                    .col(string_len_null(Mailboxes::SmtpEncryption, 8))
                    .col(string_len_null(Mailboxes::Username, 255))
                    // AEAD ciphertext (nonce || ciphertext), never plaintext.
                    .col(binary_null(Mailboxes::PasswordEncrypted))
                    .col(boolean(Mailboxes::EmailMarkAsSeen).default(false))
                    .col(boolean(Mailboxes::IsActive).default(true))
                    .col(boolean(Mailboxes::IsPrimary).default(false))
                    .col(boolean(Mailboxes::Valid).default(false))
                    .col(integer(Mailboxes::LoginTries).default(0))
                    .col(timestamp_with_time_zone_null(Mailboxes::DateLastFetched))
                    .col(timestamp_with_time_zone(Mailboxes::CreatedAt))
                    .col(timestamp_with_time_zone(Mailboxes::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mailboxes_name")
                    .table(Mailboxes::Table)
                    .col(Mailboxes::Name)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Mailboxes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Mailboxes {
    Table,
    Id,
    Name,
    Email,
    OnlyOutgoing,
    IncomingServerType,
    OutgoingServerType,
    ImapHost,
    ImapPort,
    ImapEncryption,
    ImapInboxPrefix,
    SmtpHost,
    SmtpPort,
    SmtpEncryption,
    Username,
    PasswordEncrypted,
    EmailMarkAsSeen,
    IsActive,
    IsPrimary,
    Valid,
    LoginTries,
    DateLastFetched,
    CreatedAt,
    UpdatedAt,
    /// Added by `m20261128_000002_mailbox_form`.
    Version,
}
