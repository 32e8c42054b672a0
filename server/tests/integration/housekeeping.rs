//! The sweep of old rows, at an explicit `now`: ended sessions go, live ones stay; failed
//! sign-ins go once they leave the throttle's window; connection attempts go after their
//! retention, except each mailbox's latest of every kind, which its page shows.

use backend::auth::sessions::{self, SessionPolicy};
use backend::auth::throttle::{self, ThrottlePolicy};
use backend::connect::attempts_store::{self, NewAttempt};
use backend::connect::AttemptKind;
use backend::entities::{connection_attempt as attempt, session, sign_in_failure};
use backend::housekeeping::{sweep, Retention, Swept};
use backend::mailboxes::insert;
use chrono::{TimeDelta, TimeZone, Utc};
use rules::access::Role;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder};
use secrecy::SecretString;

use crate::mailboxes_repo::mailbox;
use crate::on_every_database;

async fn old_rows_are_swept_and_what_is_still_used_stays(db: DatabaseConnection) {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let policy = SessionPolicy::default();
    let throttle_policy = ThrottlePolicy::default();
    let user = backend::auth::users::create(
        &db,
        "beheerder@zonnecoop.nl",
        Role::Beheerder,
        &SecretString::from("Een-lang-beheerderswachtwoord-9"),
        now,
    )
    .await
    .unwrap();

    // Sessions: one in use, one idle too long, one past its absolute end.
    let live = sessions::start(&db, user, now - TimeDelta::minutes(5), &policy)
        .await
        .unwrap();
    sessions::start(
        &db,
        user,
        now - policy.idle - TimeDelta::minutes(1),
        &policy,
    )
    .await
    .unwrap();
    sessions::start(
        &db,
        user,
        now - policy.absolute - TimeDelta::hours(1),
        &policy,
    )
    .await
    .unwrap();

    // Failed sign-ins: one within the window, one before it.
    // The recent one first: counting an attempt removes what lies before its own window.
    throttle::count_attempt(
        &db,
        "nieuw@zonnecoop.nl",
        "203.0.113.2",
        now - TimeDelta::minutes(1),
        &throttle_policy,
    )
    .await
    .unwrap();
    throttle::count_attempt(
        &db,
        "oud@zonnecoop.nl",
        "203.0.113.1",
        now - throttle_policy.window - TimeDelta::minutes(1),
        &throttle_policy,
    )
    .await
    .unwrap();
    let recent_failures = sign_in_failure::Entity::find()
        .order_by_desc(sign_in_failure::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.failed_at > now - throttle_policy.window)
        .count();

    // Attempts of one mailbox: two old sign-ins, an old refresh, a recent preflight.
    let id = insert(&db, mailbox("info", "ms-oauth", "ms-oauth", true))
        .await
        .unwrap();
    let retention = Retention::default();
    let old = now - retention.connection_attempts - TimeDelta::days(1);
    let attempt_at = |kind, at| {
        let db = db.clone();
        async move {
            let new = NewAttempt {
                mailbox_id: id,
                kind,
                state_hash: None,
                pkce_verifier_encrypted: None,
                prompt: None,
                started_by_user_id: None,
            };
            attempts_store::insert(&db, new, at).await.unwrap()
        }
    };
    let oldest = attempt_at(AttemptKind::Connect, old - TimeDelta::days(10)).await;
    let latest_connect = attempt_at(AttemptKind::Connect, old).await;
    let latest_refresh = attempt_at(AttemptKind::Refresh, old).await;
    let recent = attempt_at(AttemptKind::Preflight, now - TimeDelta::days(1)).await;

    let swept = sweep(&db, &retention, &policy, &throttle_policy, now)
        .await
        .unwrap();
    assert_eq!(
        swept,
        Swept {
            sessions: 2,
            connection_attempts: 1,
            sign_in_failures: swept.sign_in_failures,
            staged_attachment_chunks: 0,
        }
    );
    assert!(swept.sign_in_failures >= 1);

    let sessions_left: Vec<String> = session::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect();
    assert_eq!(sessions_left, [live.id()]);
    let failures_left = sign_in_failure::Entity::find().all(&db).await.unwrap();
    assert_eq!(failures_left.len(), recent_failures);
    assert!(failures_left
        .iter()
        .all(|row| row.failed_at > now - throttle_policy.window));
    let mut attempts_left: Vec<i32> = attempt::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect();
    attempts_left.sort();
    assert_eq!(attempts_left, [latest_connect, latest_refresh, recent]);
    assert!(!attempts_left.contains(&oldest));

    // A second sweep finds nothing more.
    let again = sweep(&db, &retention, &policy, &throttle_policy, now)
        .await
        .unwrap();
    assert_eq!(again, Swept::default());
    assert_eq!(session::Entity::find().count(&db).await.unwrap(), 1);
}

on_every_database!(old_rows_are_swept_and_what_is_still_used_stays);
