//! Signed-in test clients: accounts made straight in the database, a session started for
//! them, and a router that sends their cookie (and this site's `Origin`) with every request.

use std::sync::OnceLock;

use axum::extract::Request;
use axum::middleware::map_request;
use axum::Router;
use backend::auth::password::hash_password;
use backend::auth::sessions::{self, SessionPolicy, SessionToken};
use backend::entities::user;
use chrono::Utc;
use http::{header, HeaderValue};
use rules::access::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use secrecy::SecretString;

/// The password of every test account.
const TEST_PASSWORD: &str = "Test-wachtwoord-2026!";
/// The site's origin in tests (`PUBLIC_BASE_URL`).
pub const SITE_ORIGIN: &str = "http://127.0.0.1:3000";

/// The e-mail address of the test account with `role`.
fn email_of(role: Role) -> String {
    format!("{}@example.org", role.as_str())
}

/// Creates the account `email_of(role)` (hashing once per test run: argon2 is slow in
/// debug builds) and returns its id.
async fn create_account(db: &DatabaseConnection, role: Role) -> i32 {
    // Several routers over one database (two server instances) share the account.
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(email_of(role)))
        .one(db)
        .await
        .expect("look up test account")
    {
        return existing.id;
    }
    static HASH: OnceLock<String> = OnceLock::new();
    let hash = HASH.get_or_init(|| {
        hash_password(&SecretString::from(TEST_PASSWORD)).expect("hash the test password")
    });
    let now = Utc::now();
    user::ActiveModel {
        email: Set(email_of(role)),
        password_hash: Set(hash.clone()),
        role: Set(role.as_str().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("create test account")
    .id
}

/// A new account with `role` and a session for it.
pub async fn session_as(db: &DatabaseConnection, role: Role) -> SessionToken {
    let user_id = create_account(db, role).await;
    sessions::start(db, user_id, Utc::now(), &SessionPolicy::default())
        .await
        .expect("start session")
}

/// `router`, sending `token`'s cookie and this site's `Origin` unless a request has its own.
pub fn with_session(router: Router, token: &SessionToken) -> Router {
    let cookie = format!("sessie={}", token.cookie_value());
    router.layer(map_request(move |mut request: Request| {
        let cookie = cookie.clone();
        async move {
            let headers = request.headers_mut();
            // A request's own cookies are kept; the session is added unless it names one.
            let own = headers
                .get(header::COOKIE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string);
            let combined = match own {
                Some(own) if own.contains("sessie=") => own,
                Some(own) => format!("{own}; {cookie}"),
                None => cookie,
            };
            if let Ok(value) = HeaderValue::from_str(&combined) {
                headers.insert(header::COOKIE, value);
            }
            if !headers.contains_key(header::ORIGIN) {
                headers.insert(header::ORIGIN, HeaderValue::from_static(SITE_ORIGIN));
            }
            request
        }
    }))
}

/// The router as a signed-in user with `role` sees it.
pub async fn router_as(db: DatabaseConnection, role: Role) -> Router {
    let token = session_as(&db, role).await;
    with_session(super::anonymous_router(db), &token)
}

/// The router as a signed-in `beheerder` sees it.
pub async fn signed_in_router(db: DatabaseConnection) -> Router {
    router_as(db, Role::Beheerder).await
}
