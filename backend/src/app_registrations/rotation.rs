//! Rotating an app registration's credential without downtime: a new secret or certificate
//! is added beside the one in use, verified with a token request of its own, and only then
//! taken into use for all the registration's mailboxes at once; the old one stays until the
//! admin removes it (refused while a mailbox still uses it). A sync or refresh under way
//! keeps the token it already has; the next token request reads the new credential.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

use super::credentials::decrypt;
use super::CredentialLoadError;
use crate::entities::{
    app_credential as credential, app_registration as registration,
    mailbox_microsoft_settings as settings,
};
use crate::microsoft::identity::token_client::{TokenEndpoint, TokenFailure};

use crate::AppState;

/// What a verification found.
#[derive(Debug)]
pub enum Verified {
    /// Microsoft issued a token with it; `verified_at` is set.
    Accepted,
    /// Microsoft refused it, or did not answer: nothing changes.
    Refused(TokenFailure),
    NotFound,
}

/// Asks the registration's tenant for an app token with credential `id` (client
/// credentials), and records when that worked.
pub async fn verify(
    state: &AppState,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Verified, CredentialLoadError> {
    let Some((row, owner)) = with_registration(&state.db, id).await? else {
        return Ok(Verified::NotFound);
    };
    let credential = decrypt(&state.cipher, &row)?;
    let answer = TokenEndpoint::app(
        &state.microsoft.login_url,
        owner.tenant_id.trim(),
        owner.client_id.trim(),
    )
    .client_credentials(&state.http, &credential)
    .await;
    if let Err(failure) = answer {
        return Ok(Verified::Refused(failure));
    }
    let mut active: credential::ActiveModel = row.into();
    active.verified_at = Set(Some(now));
    active.update(&state.db).await?;
    Ok(Verified::Accepted)
}

/// What became of taking a credential into use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TakenIntoUse {
    /// These many mailboxes now authenticate with it.
    Done(u64),
    /// Not verified yet: nothing changed.
    NotVerified,
    NotFound,
}

/// Makes every mailbox of credential `id`'s registration authenticate with it. Only a
/// verified credential: one Microsoft refuses would stop them all. One UPDATE that checks
/// the credential is still there and verified, so a removal at the same moment cannot leave
/// mailboxes pointing at nothing.
pub async fn take_into_use(db: &impl ConnectionTrait, id: i32) -> Result<TakenIntoUse, DbErr> {
    let Some(row) = credential::Entity::find_by_id(id).one(db).await? else {
        return Ok(TakenIntoUse::NotFound);
    };
    if row.verified_at.is_none() {
        return Ok(TakenIntoUse::NotVerified);
    }
    let still_verified = Query::select()
        .expr(Expr::val(1))
        .from(credential::Entity)
        .and_where(Expr::col((credential::Entity, credential::Column::Id)).eq(id))
        .and_where(Expr::col((credential::Entity, credential::Column::VerifiedAt)).is_not_null())
        .to_owned();
    let moved = settings::Entity::update_many()
        .set(settings::ActiveModel {
            app_credential_id: Set(Some(id)),
            ..Default::default()
        })
        .filter(settings::Column::AppRegistrationId.eq(row.app_registration_id))
        .filter(Expr::exists(still_verified))
        .exec(db)
        .await?;
    Ok(TakenIntoUse::Done(moved.rows_affected))
}

/// What became of removing a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removed {
    Done,
    /// Mailboxes still authenticate with it (their names): nothing was removed.
    InUse(Vec<String>),
    NotFound,
}

/// Removes credential `id`, unless a mailbox still uses it: the DELETE itself checks, so a
/// credential taken into use at the same moment stays.
pub async fn remove(db: &impl ConnectionTrait, id: i32) -> Result<Removed, DbErr> {
    let unused = Query::select()
        .expr(Expr::val(1))
        .from(settings::Entity)
        .and_where(Expr::col((settings::Entity, settings::Column::AppCredentialId)).eq(id))
        .to_owned();
    let deleted = credential::Entity::delete_many()
        .filter(credential::Column::Id.eq(id))
        .filter(Expr::exists(unused).not())
        .exec(db)
        .await?;
    if deleted.rows_affected > 0 {
        return Ok(Removed::Done);
    }
    let users = settings::Entity::find()
        .filter(settings::Column::AppCredentialId.eq(id))
        .find_also_related(crate::entities::mailbox::Entity)
        .all(db)
        .await?;
    if !users.is_empty() {
        let names = users
            .into_iter()
            .map(|(s, m)| m.map_or_else(|| format!("#{}", s.mailbox_id), |m| m.name))
            .collect();
        return Ok(Removed::InUse(names));
    }
    Ok(Removed::NotFound)
}

async fn with_registration(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(credential::Model, registration::Model)>, DbErr> {
    let found = credential::Entity::find_by_id(id)
        .find_also_related(registration::Entity)
        .one(db)
        .await?;
    Ok(match found {
        Some((row, Some(owner))) => Some((row, owner)),
        _ => None,
    })
}
