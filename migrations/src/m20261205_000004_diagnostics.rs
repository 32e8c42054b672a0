//! Diagnostics: a preflight ("Test app-registratie") is stored as a connection attempt; its
//! four results go in `details` (JSON). Text, not a JSON type: the same on all three
//! databases, and only ever read whole.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261201_000003_microsoft_connection::ConnectionAttempts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ConnectionAttempts::Table)
                    .add_column(text_null(Details::Details))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ConnectionAttempts::Table)
                    .drop_column(Details::Details)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Details {
    Details,
}
