//! How a Microsoft Api mailbox is connected (issue 18): `delegated` (signed in as the
//! mailbox, today's flow, with its tokens) or `app_only` (client credentials of the app
//! registration, scoped with Exchange RBAC for Applications; no tokens stored). Existing
//! mailboxes keep `delegated`.

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
                    .add_column(
                        string_len(Method::ConnectionMethod, 16)
                            .default("delegated")
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MailboxMicrosoftSettings::Table)
                    .drop_column(Method::ConnectionMethod)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Method {
    ConnectionMethod,
}
