//! "Microsoft 365 koppelen" (issue 19): a guided setup in progress. Where it stands is
//! derived from what it holds (the tenant and app once checked, its app registration, the
//! latest run of each check as JSON, the addresses) so an admin can leave and resume it.
//! Deleting its app registration leaves the setup at step 2.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261219_000013_app_registrations::AppRegistrations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use MicrosoftSetups as S;
        let table = Table::create()
            .table(S::Table)
            .if_not_exists()
            .col(pk_auto(S::Id))
            // As typed in step 1 (a GUID or a domain).
            .col(string_len(S::TenantInput, 255))
            // The directory GUID discovery answered with: step 1 holds.
            .col(string_len_null(S::TenantId, 64))
            // The Application (client) ID Microsoft knows in that tenant: step 2 holds.
            .col(string_len_null(S::ClientId, 64))
            .col(integer_null(S::AppRegistrationId))
            // The mailboxes the CRM may read, one per line.
            .col(text_null(S::Addresses))
            // `rules::setup::SetupChecks` as JSON.
            .col(text(S::Checks))
            .col(integer_null(S::CreatedByUserId))
            .col(timestamp_with_time_zone(S::CreatedAt))
            .col(timestamp_with_time_zone(S::UpdatedAt))
            .foreign_key(
                ForeignKey::create()
                    .name("fk_microsoft_setups_registration")
                    .from(S::Table, S::AppRegistrationId)
                    .to(AppRegistrations::Table, AppRegistrations::Id)
                    .on_delete(ForeignKeyAction::SetNull),
            )
            .to_owned();
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MicrosoftSetups::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MicrosoftSetups {
    Table,
    Id,
    TenantInput,
    TenantId,
    ClientId,
    AppRegistrationId,
    Addresses,
    Checks,
    CreatedByUserId,
    CreatedAt,
    UpdatedAt,
}
