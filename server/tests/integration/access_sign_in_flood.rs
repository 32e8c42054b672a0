//! Sign-in under a flood: parallel guesses get no more than sequential ones, and when every
//! password-check slot is busy a sign-in is asked to try again without counting.

use std::time::Duration;

use backend::auth::password_checks::PasswordChecks;
use backend::auth::sign_in::{sign_in as check_sign_in, AuthPolicy, SignInOutcome};
use backend::entities::sign_in_failure;
use chrono::Utc;
use rules::access::SignInError;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use secrecy::SecretString;

use crate::access_sign_in::{create_admin, sign_in};
use crate::on_every_database;
use crate::support::{anonymous_router, get};

const EMAIL: &str = "beheerder@zonnecoop.nl";
const PASSWORD: &str = "Een-lang-beheerderswachtwoord-9";

async fn parallel_guesses_get_no_more_than_sequential_ones(db: DatabaseConnection) {
    create_admin(&db).await;
    let router = anonymous_router(db.clone());
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..40 {
        let router = router.clone();
        guesses.spawn(async move {
            let answer = sign_in(&router, EMAIL, &format!("geraden-wachtwoord-{n}"), "").await;
            answer.header("location").to_string()
        });
    }
    let (mut checked, mut throttled) = (0_usize, 0_usize);
    while let Some(location) = guesses.join_next().await {
        match location.unwrap().as_str() {
            "/inloggen?fout=onjuist" => checked += 1,
            "/inloggen?fout=te-veel" | "/inloggen?fout=druk" => throttled += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    // However the burst interleaves, no more than the limit are checked (when all arrive
    // before any is counted, none are: each sees the others).
    assert!(
        checked <= 5,
        "at most SIGN_IN_MAX_FAILURES passwords checked, not {checked}"
    );
    assert_eq!(checked + throttled, 40);
    let counted = sign_in_failure::Entity::find().count(&db).await.unwrap();
    assert_eq!(
        counted,
        3 * checked as u64,
        "only checked guesses count (three rows each: pair, account, address)"
    );
    // The guesses left, one by one, then the lock: five in all, burst or not.
    for n in checked..5 {
        let answer = sign_in(&router, EMAIL, &format!("nog-een-gok-{n}"), "").await;
        assert_eq!(
            answer.header("location"),
            "/inloggen?fout=onjuist",
            "guess {n}"
        );
    }
    let answer = sign_in(&router, EMAIL, PASSWORD, "").await;
    assert_eq!(
        answer.header("location"),
        "/inloggen?fout=te-veel",
        "locked after five guesses, for the right password too"
    );
}

async fn a_sign_in_finding_every_check_busy_is_asked_to_try_again(db: DatabaseConnection) {
    create_admin(&db).await;
    let policy = AuthPolicy {
        password_checks: PasswordChecks::new(1, Duration::from_millis(20)),
        ..AuthPolicy::default()
    };
    // Another sign-in holds the only slot until released.
    let (release, held) = std::sync::mpsc::channel::<()>();
    let busy = policy.password_checks.clone();
    let holder = tokio::spawn(async move { busy.run(move || held.recv().is_ok()).await });
    while policy.password_checks.run(|| ()).await.is_some() {
        tokio::task::yield_now().await;
    }
    let attempt = |password: &str| {
        check_sign_in(
            &db,
            &policy,
            EMAIL,
            SecretString::from(password.to_string()),
            "203.0.113.9",
            Utc::now(),
        )
    };
    let outcome = attempt(PASSWORD).await.unwrap();
    assert!(
        matches!(outcome, SignInOutcome::Refused(SignInError::Busy)),
        "{outcome:?}"
    );
    let counted = sign_in_failure::Entity::find().count(&db).await.unwrap();
    assert_eq!(counted, 0, "a password never checked is no failed attempt");

    release.send(()).unwrap();
    assert_eq!(holder.await.unwrap(), Some(true));
    let outcome = attempt(PASSWORD).await.unwrap();
    assert!(
        matches!(outcome, SignInOutcome::SignedIn { .. }),
        "{outcome:?}"
    );

    let router = anonymous_router(db.clone());
    let (_, page) = get(&router, "/inloggen?fout=druk").await;
    assert!(page.contains("probeer het zo opnieuw"), "{page}");
}

on_every_database!(
    parallel_guesses_get_no_more_than_sequential_ones,
    a_sign_in_finding_every_check_busy_is_asked_to_try_again,
);
