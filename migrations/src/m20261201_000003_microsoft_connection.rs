//! Connecting a mailbox to Microsoft: every attempt (authorization, refresh, admin consent)
//! with what Microsoft answered, and the mailbox's tokens, encrypted, with the refresh lease.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_mailboxes::Mailboxes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(attempts_table()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_connection_attempts_mailbox")
                    .table(ConnectionAttempts::Table)
                    .col(ConnectionAttempts::MailboxId)
                    .col(ConnectionAttempts::Id)
                    .to_owned(),
            )
            .await?;
        manager.create_table(tokens_table()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MailboxTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ConnectionAttempts::Table).to_owned())
            .await
    }
}

fn attempts_table() -> TableCreateStatement {
    use ConnectionAttempts as A;
    Table::create()
        .table(A::Table)
        .if_not_exists()
        .col(pk_auto(A::Id))
        .col(integer(A::MailboxId))
        .col(string_len(A::Kind, 32))
        // SHA-256 of the state (hex): the state itself is never stored.
        .col(string_len_null(A::StateHash, 64).unique_key())
        // AEAD ciphertext of the PKCE verifier.
        .col(blob_null(A::PkceVerifierEncrypted))
        .col(string_len_null(A::Prompt, 32))
        // Bound to the signed-in app user once accounts exist.
        .col(integer_null(A::StartedByUserId))
        .col(timestamp_with_time_zone(A::CreatedAt))
        .col(timestamp_with_time_zone(A::ExpiresAt))
        .col(timestamp_with_time_zone_null(A::CompletedAt))
        .col(string_len(A::Outcome, 32))
        .col(string_len_null(A::Error, 128))
        .col(text_null(A::ErrorDescription))
        .col(string_len_null(A::ErrorCodes, 255))
        .col(string_len_null(A::ErrorSubcode, 64))
        .col(string_len_null(A::Suberror, 64))
        .col(string_len_null(A::TraceId, 64))
        .col(string_len_null(A::CorrelationId, 64))
        .col(string_len_null(A::ErrorTimestamp, 64))
        .col(string_len_null(A::ErrorUri, 512))
        // Microsoft's whole error body (size-capped; error bodies carry no secrets).
        .col(text_null(A::ErrorBody))
        .col(string_len_null(A::SignedInUpn, 255))
        .col(string_len_null(A::SignedInOid, 64))
        .foreign_key(
            ForeignKey::create()
                .name("fk_connection_attempts_mailbox")
                .from(A::Table, A::MailboxId)
                .to(Mailboxes::Table, Mailboxes::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn tokens_table() -> TableCreateStatement {
    use MailboxTokens as T;
    Table::create()
        .table(T::Table)
        .if_not_exists()
        .col(integer(T::MailboxId).primary_key())
        // AEAD ciphertexts, never plaintext.
        .col(blob(T::AccessTokenEncrypted))
        .col(blob_null(T::RefreshTokenEncrypted))
        .col(timestamp_with_time_zone(T::ExpiresAt))
        .col(text(T::Scopes))
        .col(string_len_null(T::SignedInUpn, 255))
        .col(string_len(T::SignedInOid, 64))
        .col(timestamp_with_time_zone(T::ConnectedAt))
        .col(timestamp_with_time_zone(T::RefreshedAt))
        // The refresh lease: whoever set it (unexpired) may refresh; see `refresh.rs`.
        .col(string_len_null(T::RefreshLeaseHolder, 64))
        .col(timestamp_with_time_zone_null(T::RefreshLeaseUntil))
        .foreign_key(
            ForeignKey::create()
                .name("fk_mailbox_tokens_mailbox")
                .from(T::Table, T::MailboxId)
                .to(Mailboxes::Table, Mailboxes::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[derive(DeriveIden)]
pub enum ConnectionAttempts {
    Table,
    Id,
    MailboxId,
    Kind,
    StateHash,
    PkceVerifierEncrypted,
    Prompt,
    StartedByUserId,
    CreatedAt,
    ExpiresAt,
    CompletedAt,
    Outcome,
    Error,
    ErrorDescription,
    ErrorCodes,
    ErrorSubcode,
    Suberror,
    TraceId,
    CorrelationId,
    ErrorTimestamp,
    ErrorUri,
    ErrorBody,
    SignedInUpn,
    SignedInOid,
}

#[derive(DeriveIden)]
pub enum MailboxTokens {
    Table,
    MailboxId,
    AccessTokenEncrypted,
    RefreshTokenEncrypted,
    ExpiresAt,
    Scopes,
    SignedInUpn,
    SignedInOid,
    ConnectedAt,
    RefreshedAt,
    RefreshLeaseHolder,
    RefreshLeaseUntil,
}
