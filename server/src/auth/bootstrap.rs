//! The first administrator: created at start-up from `BOOTSTRAP_ADMIN_EMAIL` and
//! `BOOTSTRAP_ADMIN_PASSWORD` when there are no accounts yet.

use chrono::Utc;
use sea_orm::DatabaseConnection;

use backend::auth::users::{self, UserError};
use rules::access::Role;

use crate::config::AuthConfig;

/// Creates the first `beheerder` when the users table is empty and the variables are set.
/// Logs what it did, never the password.
pub async fn ensure_first_admin(
    db: &DatabaseConnection,
    config: &AuthConfig,
) -> Result<(), UserError> {
    if users::count(db).await? > 0 {
        return Ok(());
    }
    let (Some(email), Some(password)) = (
        &config.bootstrap_admin_email,
        &config.bootstrap_admin_password,
    ) else {
        tracing::warn!(
            "there are no accounts: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD, \
             or run `server add-user <email> beheerder`"
        );
        return Ok(());
    };
    match users::create(db, email, Role::Beheerder, password, Utc::now()).await {
        Ok(_) => tracing::info!(
            email = %users::normalize_email(email),
            "created the first administrator (beheerder) from BOOTSTRAP_ADMIN_EMAIL"
        ),
        // Instances started together each saw no accounts; the unique e-mail address let
        // one of them create it. There is a first administrator now, which is all this asks.
        Err(UserError::Exists | UserError::Database(_)) if users::count(db).await? > 0 => {
            tracing::info!("another instance created the first administrator")
        }
        Err(error) => return Err(error),
    }
    Ok(())
}
