//! "Nu ophalen" as a request to the scheduler, and the progress of a running sync, both on
//! the mailbox's sync state so every server instance (and every page it renders) sees them
//! (issues 21 and 22). One column per statement: SQLite alters one column at a time.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261210_000005_mail::MailSyncStates;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            // Set by "Nu ophalen", cleared when a sync of the mailbox starts.
            timestamp_with_time_zone_null(Progress::FetchRequestedAt),
            // When the current (or last) sync started.
            timestamp_with_time_zone_null(Progress::RunStartedAt),
            // Messages the current (or last) sync stored so far.
            integer(Progress::RunStored).default(0).to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailSyncStates::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Progress::RunStored,
            Progress::RunStartedAt,
            Progress::FetchRequestedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MailSyncStates::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Progress {
    FetchRequestedAt,
    RunStartedAt,
    RunStored,
}
