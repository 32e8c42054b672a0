//! Accounts: created by the first start-up (`BOOTSTRAP_ADMIN_*`) and by `server add-user`;
//! passwords changed by `server reset-password`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter,
};
use secrecy::SecretString;

use super::password::{hash_password, PasswordError};
use crate::entities::user;
use rules::access::Role;

/// Why an account could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("'{0}' is not an e-mail address")]
    BadEmail(String),
    #[error("an account with this e-mail address already exists")]
    Exists,
    #[error("there is no account with this e-mail address")]
    NotFound,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// E-mail addresses compare case-insensitively: stored and looked up in lower case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// How many accounts there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    user::Entity::find().count(db).await
}

/// The account with `email` (any case).
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(normalize_email(email)))
        .one(db)
        .await
}

/// Creates an account and returns its id.
pub async fn create(
    db: &impl ConnectionTrait,
    email: &str,
    role: Role,
    password: &SecretString,
    now: DateTime<Utc>,
) -> Result<i32, UserError> {
    let email = normalize_email(email);
    let plausible = email.len() <= 320
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if !plausible || email.contains(char::is_whitespace) {
        return Err(UserError::BadEmail(email));
    }
    if find_by_email(db, &email).await?.is_some() {
        return Err(UserError::Exists);
    }
    let password_hash = hash_password(password)?;
    let model = user::ActiveModel {
        email: Set(email),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Sets a new password and ends the account's sessions.
pub async fn reset_password(
    db: &impl ConnectionTrait,
    email: &str,
    password: &SecretString,
    now: DateTime<Utc>,
) -> Result<(), UserError> {
    let Some(account) = find_by_email(db, email).await? else {
        return Err(UserError::NotFound);
    };
    let password_hash = hash_password(password)?;
    let user_id = account.id;
    let mut active = account.into_active_model();
    active.password_hash = Set(password_hash);
    active.updated_at = Set(now);
    active.update(db).await?;
    super::sessions::end_all_of(db, user_id).await?;
    Ok(())
}
