//! Who may reach the settings: accounts (`users`), their sign-ins (`sessions`), failed
//! sign-ins for throttling (`sign_in_failures`), and who changed which mailbox (`audit_log`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(pk_auto(Users::Id))
                    // Stored in lower case, so the unique index is case-insensitive on
                    // every database.
                    .col(string_len_uniq(Users::Email, 320))
                    // PHC string of an argon2id hash; never the password.
                    .col(string_len(Users::PasswordHash, 255))
                    // `beheerder` or `lezer`.
                    .col(string_len(Users::Role, 16))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .if_not_exists()
                    // Hex SHA-256 of the cookie's token: a database leak yields no usable
                    // session.
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(integer(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    // The absolute end; the idle end follows from `last_seen_at`.
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInFailures::Table)
                    .if_not_exists()
                    .col(pk_auto(SignInFailures::Id))
                    // `account` (the e-mail typed, lower case) or `address` (the client's).
                    .col(string_len(SignInFailures::Scope, 16))
                    .col(string_len(SignInFailures::Subject, 320))
                    .col(timestamp_with_time_zone(SignInFailures::FailedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sign_in_failures_subject")
                    .table(SignInFailures::Table)
                    .col(SignInFailures::Scope)
                    .col(SignInFailures::Subject)
                    .col(SignInFailures::FailedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(pk_auto(AuditLog::Id))
                    // No foreign keys: the log outlives deleted mailboxes and users.
                    .col(integer_null(AuditLog::MailboxId))
                    .col(integer_null(AuditLog::UserId))
                    .col(string_len(AuditLog::UserEmail, 320))
                    .col(string_len(AuditLog::Action, 32))
                    // Comma-separated field names; never values.
                    .col(text(AuditLog::Fields))
                    .col(timestamp_with_time_zone(AuditLog::RecordedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_mailbox")
                    .table(AuditLog::Table)
                    .col(AuditLog::MailboxId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            SignInFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    Scope,
    Subject,
    FailedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    MailboxId,
    UserId,
    UserEmail,
    Action,
    Fields,
    RecordedAt,
}
