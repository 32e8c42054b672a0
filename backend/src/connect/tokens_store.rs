//! `mailbox_tokens` data access: tokens encrypted before they reach SQL, and the refresh
//! lease ([`crate::store::lease`]), so one refresh per mailbox runs across server instances.

use chrono::{DateTime, Duration, Utc};
use oauth2::TokenResponse as _;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use secrecy::{ExposeSecret, SecretString};

use crate::microsoft::identity::authorize::delegated_scope;
use crate::microsoft::identity::token_client::TokenResponse;

use crate::cipher::{Cipher, SecretColumn};
use crate::entities::{mailbox, mailbox_microsoft_settings as settings, mailbox_token as token};
use crate::mailbox_store::StoreError;
use crate::store::lease::Lease;

/// The refresh lease: one refresh per mailbox at a time.
pub const REFRESH_LEASE: Lease<token::Entity> = Lease::new(
    token::Column::MailboxId,
    token::Column::RefreshLeaseHolder,
    token::Column::RefreshLeaseUntil,
);

/// Tokens fresh from Microsoft, not yet encrypted.
#[derive(Debug)]
pub struct FreshTokens {
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    pub expires_at: DateTime<Utc>,
    pub scopes: String,
}

/// The tokens of a token response, to store.
pub fn fresh_tokens(tokens: &TokenResponse, now: DateTime<Utc>) -> FreshTokens {
    let lifetime = tokens.expires_in().map_or(3600, |d| d.as_secs());
    let scopes = tokens.scopes().map_or_else(delegated_scope, |scopes| {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });
    FreshTokens {
        access_token: SecretString::from(tokens.access_token().secret().clone()),
        refresh_token: tokens
            .refresh_token()
            .map(|token| SecretString::from(token.secret().clone())),
        expires_at: now + Duration::seconds(i64::try_from(lifetime).unwrap_or(3600)),
        scopes,
    }
}

/// Stores the tokens of a completed sign-in, clears "opnieuw verbinden nodig" and marks the
/// mailbox connected, inside the caller's transaction (which also finishes the attempt).
pub async fn store_connected(
    txn: &impl ConnectionTrait,
    cipher: &Cipher,
    mailbox_id: i32,
    tokens: &FreshTokens,
    signed_in: (&str, Option<&str>),
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let access = cipher.encrypt(
        tokens.access_token.expose_secret(),
        SecretColumn::AccessToken,
    )?;
    let refresh = encrypt_refresh(cipher, tokens.refresh_token.as_ref())?;
    let (object_id, upn) = signed_in;
    // A reconnect replaces every column of the mailbox's row: one upsert.
    let row = token::ActiveModel {
        mailbox_id: Set(mailbox_id),
        access_token_encrypted: Set(access),
        refresh_token_encrypted: Set(refresh),
        expires_at: Set(tokens.expires_at),
        scopes: Set(tokens.scopes.clone()),
        signed_in_upn: Set(upn.map(str::to_string)),
        signed_in_oid: Set(object_id.to_string()),
        connected_at: Set(now),
        refreshed_at: Set(now),
        refresh_lease_holder: Set(None),
        refresh_lease_until: Set(None),
    };
    token::Entity::insert(row)
        .on_conflict(
            OnConflict::column(token::Column::MailboxId)
                .update_columns([
                    token::Column::AccessTokenEncrypted,
                    token::Column::RefreshTokenEncrypted,
                    token::Column::ExpiresAt,
                    token::Column::Scopes,
                    token::Column::SignedInUpn,
                    token::Column::SignedInOid,
                    token::Column::ConnectedAt,
                    token::Column::RefreshedAt,
                    token::Column::RefreshLeaseHolder,
                    token::Column::RefreshLeaseUntil,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    settings::Entity::update_many()
        .col_expr(settings::Column::ReconnectNeeded, Expr::value(false))
        .filter(settings::Column::MailboxId.eq(mailbox_id))
        .exec(txn)
        .await?;
    mailbox::Entity::update_many()
        .col_expr(mailbox::Column::Valid, Expr::value(true))
        .filter(mailbox::Column::Id.eq(mailbox_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Stores the `oid` of the account that signed in as the Object ID of a mailbox that had
/// none (issue 18), inside the callback's transaction. The mailbox's version goes up, so a
/// form opened before (with the empty field) cannot clear it unnoticed. False when the
/// mailbox has an Object ID by now: nothing written.
pub async fn store_learned_object_id(
    txn: &impl ConnectionTrait,
    mailbox_id: i32,
    object_id: &str,
) -> Result<bool, DbErr> {
    let object_id = object_id.trim().to_ascii_lowercase();
    let result = settings::Entity::update_many()
        .col_expr(settings::Column::ObjectId, Expr::value(object_id))
        .filter(settings::Column::MailboxId.eq(mailbox_id))
        .filter(settings::Column::ObjectId.eq(""))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    mailbox::Entity::update_many()
        .col_expr(
            mailbox::Column::Version,
            Expr::col(mailbox::Column::Version).add(1),
        )
        .filter(mailbox::Column::Id.eq(mailbox_id))
        .exec(txn)
        .await?;
    Ok(true)
}

fn encrypt_refresh(
    cipher: &Cipher,
    refresh: Option<&SecretString>,
) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(match refresh {
        Some(token) => Some(cipher.encrypt(token.expose_secret(), SecretColumn::RefreshToken)?),
        None => None,
    })
}

/// The stored tokens of a mailbox.
pub async fn load(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
) -> Result<Option<token::Model>, DbErr> {
    token::Entity::find_by_id(mailbox_id).one(db).await
}

/// Stores refreshed tokens (the NEW refresh token every time; Microsoft rotates it) and
/// releases the lease, in one UPDATE conditional on `holder` still holding the lease. False
/// when it no longer did: nothing written.
pub async fn store_refreshed(
    db: &impl ConnectionTrait,
    cipher: &Cipher,
    mailbox_id: i32,
    holder: &str,
    tokens: &FreshTokens,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let access = cipher.encrypt(
        tokens.access_token.expose_secret(),
        SecretColumn::AccessToken,
    )?;
    let mut update = REFRESH_LEASE
        .releasing(mailbox_id, holder)
        .col_expr(token::Column::AccessTokenEncrypted, Expr::value(access))
        .col_expr(token::Column::ExpiresAt, Expr::value(tokens.expires_at))
        .col_expr(token::Column::Scopes, Expr::value(tokens.scopes.clone()))
        .col_expr(token::Column::RefreshedAt, Expr::value(now));
    // No new refresh token in the answer: the old one stays valid and stays stored.
    if let Some(refresh) = encrypt_refresh(cipher, tokens.refresh_token.as_ref())? {
        update = update.col_expr(token::Column::RefreshTokenEncrypted, Expr::value(refresh));
    }
    let result = update.exec(db).await?;
    Ok(result.rows_affected == 1)
}

/// Marks the access token `encrypted` as expired at `now` (Graph refused it), so the next
/// [`super::ensure_fresh_access_token`] refreshes. A token replaced meanwhile is left alone.
pub async fn expire_access_token(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    encrypted: &[u8],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    token::Entity::update_many()
        .col_expr(token::Column::ExpiresAt, Expr::value(now))
        .filter(token::Column::MailboxId.eq(mailbox_id))
        .filter(token::Column::AccessTokenEncrypted.eq(encrypted.to_vec()))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets "opnieuw verbinden nodig"; the tokens stay (they may be needed to diagnose).
pub async fn mark_reconnect_needed(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
) -> Result<(), DbErr> {
    settings::Entity::update_many()
        .col_expr(settings::Column::ReconnectNeeded, Expr::value(true))
        .filter(settings::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    Ok(())
}
