//! Why a Microsoft Api mailbox has its connection method (issue 18): `auto_app_only` (saved
//! new with "Automatisch", and the preflight showed the app reads the mailbox without its
//! password), `auto_delegated` (saved with "Automatisch", and it did not), or NULL (chosen
//! by an administrator, and every mailbox from before this column).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000002_mailbox_form::MailboxMicrosoftSettings;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MailboxMicrosoftSettings::Table)
                    .add_column(string_len_null(Reason::ConnectionMethodReason, 32).to_owned())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MailboxMicrosoftSettings::Table)
                    .drop_column(Reason::ConnectionMethodReason)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Reason {
    ConnectionMethodReason,
}
