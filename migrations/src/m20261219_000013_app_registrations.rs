//! App registrations as their own records (issue 19): the tenant and client ID that many
//! mailboxes share, with the credentials the app proves itself with (client secrets and
//! certificates, each with its expiry when known). A Microsoft Api mailbox points at its
//! registration and at the one credential it uses.
//!
//! Existing mailboxes keep their secret in `mailbox_microsoft_settings` until the server
//! adopts them at start (`backend::app_registrations::adopt`): comparing two stored secrets
//! needs the encryption key, which migrations do not have. The pointers are plain integer
//! columns (SQLite cannot add a column with a foreign key); deleting a registration that
//! mailboxes use is refused by the application, naming them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000002_mailbox_form::MailboxMicrosoftSettings;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(registrations_table()).await?;
        manager.create_table(credentials_table()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_app_credentials_registration")
                    .table(AppCredentials::Table)
                    .col(AppCredentials::AppRegistrationId)
                    .to_owned(),
            )
            .await?;
        for column in [Pointer::AppRegistrationId, Pointer::AppCredentialId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailboxMicrosoftSettings::Table)
                        .add_column(integer_null(column).to_owned())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_mailbox_microsoft_settings_registration")
                    .table(MailboxMicrosoftSettings::Table)
                    .col(Pointer::AppRegistrationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_mailbox_microsoft_settings_registration")
                    .table(MailboxMicrosoftSettings::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Pointer::AppCredentialId, Pointer::AppRegistrationId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailboxMicrosoftSettings::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(AppCredentials::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AppRegistrations::Table).to_owned())
            .await
    }
}

fn registrations_table() -> TableCreateStatement {
    use AppRegistrations as R;
    Table::create()
        .table(R::Table)
        .if_not_exists()
        .col(pk_auto(R::Id))
        // As the mailbox form stores them: a lower-case GUID, or the tenant's domain.
        .col(string_len(R::TenantId, 255))
        .col(string_len(R::ClientId, 64))
        .col(string_len(R::DisplayName, 255))
        // Optimistic locking, as the mailbox form has.
        .col(integer(R::Version))
        .col(timestamp_with_time_zone(R::CreatedAt))
        .col(timestamp_with_time_zone(R::UpdatedAt))
        .index(
            Index::create()
                .name("uq_app_registrations_tenant_client")
                .col(R::TenantId)
                .col(R::ClientId)
                .unique(),
        )
        .to_owned()
}

fn credentials_table() -> TableCreateStatement {
    use AppCredentials as C;
    Table::create()
        .table(C::Table)
        .if_not_exists()
        .col(pk_auto(C::Id))
        .col(integer(C::AppRegistrationId))
        // `secret` or `certificate`.
        .col(string_len(C::Kind, 16))
        // A secret's Value, AEAD ciphertext; its first characters shown instead of it.
        .col(blob_null(C::SecretEncrypted))
        .col(string_len_null(C::SecretHint, 16))
        // A certificate (PEM: public) and its private key (PKCS#8 PEM, AEAD ciphertext).
        .col(text_null(C::CertificatePem))
        .col(blob_null(C::PrivateKeyEncrypted))
        .col(string_len_null(C::Thumbprint, 64))
        // NULL: not known (a secret from before this table, entered without its date).
        .col(timestamp_with_time_zone_null(C::ExpiresAt))
        // When a token request with it last succeeded.
        .col(timestamp_with_time_zone_null(C::VerifiedAt))
        .col(timestamp_with_time_zone(C::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .name("fk_app_credentials_registration")
                .from(C::Table, C::AppRegistrationId)
                .to(AppRegistrations::Table, AppRegistrations::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[derive(DeriveIden)]
pub enum AppRegistrations {
    Table,
    Id,
    TenantId,
    ClientId,
    DisplayName,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum AppCredentials {
    Table,
    Id,
    AppRegistrationId,
    Kind,
    SecretEncrypted,
    SecretHint,
    CertificatePem,
    PrivateKeyEncrypted,
    Thumbprint,
    ExpiresAt,
    VerifiedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Pointer {
    AppRegistrationId,
    AppCredentialId,
}
