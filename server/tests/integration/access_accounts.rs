//! Accounts: the first administrator from `BOOTSTRAP_ADMIN_*`, e-mail addresses compared
//! case-insensitively, and a password reset that ends the account's sessions.

use backend::auth::sessions::{self, SessionPolicy};
use backend::auth::users::{self, UserError};
use chrono::Utc;
use rules::access::Role;
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use server::auth::bootstrap::ensure_first_admin;
use server::config::AuthConfig;

use crate::on_every_database;

fn bootstrap_config(email: &str, password: &str) -> AuthConfig {
    let vars = [
        ("BOOTSTRAP_ADMIN_EMAIL", email.to_string()),
        ("BOOTSTRAP_ADMIN_PASSWORD", password.to_string()),
    ];
    AuthConfig::from_lookup(&|name: &str| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    })
    .expect("config")
}

async fn the_first_admin_is_created_once(db: DatabaseConnection) {
    let config = bootstrap_config("Eerste@Zonnecoop.nl", "Eerste-beheerder-2026");
    ensure_first_admin(&db, &config).await.unwrap();
    let admin = users::find_by_email(&db, "eerste@zonnecoop.nl")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin.role, "beheerder");
    assert!(admin.password_hash.starts_with("$argon2id$"));
    let other = bootstrap_config("tweede@zonnecoop.nl", "Tweede-beheerder-2026");
    ensure_first_admin(&db, &other).await.unwrap();
    assert_eq!(
        users::count(&db).await.unwrap(),
        1,
        "only when there are no accounts"
    );
}

/// Instances started together against an empty database each see no accounts; every one of
/// them must still start (the deploy test's check (a) found the loser refusing to).
async fn instances_starting_together_share_one_first_admin(db: DatabaseConnection) {
    let config = bootstrap_config("eerste@zonnecoop.nl", "Eerste-beheerder-2026");
    let starts = (0..4).map(|_| ensure_first_admin(&db, &config));
    for started in futures_util::future::join_all(starts).await {
        started.expect("every instance starts");
    }
    assert_eq!(users::count(&db).await.unwrap(), 1);
}

async fn emails_are_unique_in_any_case_and_resets_end_sessions(db: DatabaseConnection) {
    let password = SecretString::from("Een-wachtwoord-van-lezer");
    let id = users::create(
        &db,
        "Lezer@Zonnecoop.nl",
        Role::Lezer,
        &password,
        Utc::now(),
    )
    .await
    .unwrap();
    let again = users::create(
        &db,
        "LEZER@zonnecoop.nl",
        Role::Lezer,
        &password,
        Utc::now(),
    )
    .await;
    assert!(matches!(again, Err(UserError::Exists)));
    let short = users::create(
        &db,
        "kort@zonnecoop.nl",
        Role::Lezer,
        &SecretString::from("kort"),
        Utc::now(),
    )
    .await;
    assert!(matches!(short, Err(UserError::Password(_))));

    let policy = SessionPolicy::default();
    let token = sessions::start(&db, id, Utc::now(), &policy).await.unwrap();
    let new_password = SecretString::from("Een-nieuw-wachtwoord-2026");
    users::reset_password(&db, "lezer@zonnecoop.nl", &new_password, Utc::now())
        .await
        .unwrap();
    let actor = sessions::resolve(&db, &token, Utc::now(), &policy)
        .await
        .unwrap();
    assert_eq!(actor, None, "the old session ended");
    let missing =
        users::reset_password(&db, "niemand@zonnecoop.nl", &new_password, Utc::now()).await;
    assert!(matches!(missing, Err(UserError::NotFound)));
}

on_every_database!(
    the_first_admin_is_created_once,
    instances_starting_together_share_one_first_admin,
    emails_are_unique_in_any_case_and_resets_end_sessions,
);
