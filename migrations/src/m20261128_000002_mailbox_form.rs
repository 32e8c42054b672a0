//! What the mailbox form needs: `version` on mailboxes for optimistic locking, and the
//! Microsoft Azure api instellingen of a mailbox (Econobis' `mailbox_oauth_api_settings`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_mailboxes::Mailboxes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Mailboxes::Table)
                    .add_column(integer(Mailboxes::Version).default(1))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::MySql {
            // The first migration's `binary` column is BINARY(1) on MariaDB: too small for a
            // ciphertext. SQLite and PostgreSQL already store it as a blob / bytea.
            manager
                .alter_table(
                    Table::alter()
                        .table(Mailboxes::Table)
                        .modify_column(ColumnDef::new(Mailboxes::PasswordEncrypted).blob().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(MailboxMicrosoftSettings::Table)
                    .if_not_exists()
                    .col(integer(MailboxMicrosoftSettings::MailboxId).primary_key())
                    .col(string_len(MailboxMicrosoftSettings::ClientId, 64))
                    .col(string_len(MailboxMicrosoftSettings::TenantId, 255))
                    .col(string_len(MailboxMicrosoftSettings::ObjectId, 64))
                    // AEAD ciphertext (nonce || ciphertext), never plaintext.
                    .col(
                        ColumnDef::new(MailboxMicrosoftSettings::ClientSecretEncrypted)
                            .blob()
                            .null(),
                    )
                    // The first 3 characters, as Azure itself shows them.
                    .col(string_len_null(
                        MailboxMicrosoftSettings::ClientSecretHint,
                        8,
                    ))
                    .col(boolean(MailboxMicrosoftSettings::ReconnectNeeded).default(false))
                    .col(timestamp_with_time_zone(
                        MailboxMicrosoftSettings::CreatedAt,
                    ))
                    .col(timestamp_with_time_zone(
                        MailboxMicrosoftSettings::UpdatedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mailbox_microsoft_settings_mailbox")
                            .from(
                                MailboxMicrosoftSettings::Table,
                                MailboxMicrosoftSettings::MailboxId,
                            )
                            .to(Mailboxes::Table, Mailboxes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(MailboxMicrosoftSettings::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Mailboxes::Table)
                    .drop_column(Mailboxes::Version)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
pub enum MailboxMicrosoftSettings {
    Table,
    MailboxId,
    ClientId,
    TenantId,
    ObjectId,
    ClientSecretEncrypted,
    ClientSecretHint,
    ReconnectNeeded,
    CreatedAt,
    UpdatedAt,
}
