//! Loads of the list as the admin meets them: every load gets its own account's page in its
//! own language with its own CSP nonce, also when many arrive at once, and any change, made
//! in the app or elsewhere, shows on the next load.

use axum::body::Body;
use axum::Router;
use backend::mailboxes::insert;
use http::{header, Request, StatusCode};
use rules::access::Role;
use rules::mailbox_form::SaveOutcome;
use sea_orm::DatabaseConnection;

use crate::mailboxes_repo::mailbox;
use crate::support::microsoft::demo_fields;
use crate::support::{
    anonymous_router, get, post, send_full, session_as, with_session, Backend, FullAnswer, Poster,
    TestDatabase,
};

const LIST: &str = "/instellingen/mailboxen";

async fn load(router: &Router, cookie: Option<String>) -> FullAnswer {
    let mut request = Request::get(LIST);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let answer = send_full(router, request.body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer
}

/// The router as a signed-in admin uses it.
async fn as_admin(db: &DatabaseConnection) -> Router {
    let token = session_as(db, Role::Beheerder).await;
    with_session(anonymous_router(db.clone()), &token)
}

/// The nonce the response's Content-Security-Policy allows.
fn policy_nonce(answer: &FullAnswer) -> String {
    let policy = answer.header("content-security-policy");
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    let end = policy[start..].find('\'').expect("nonce closed");
    policy[start..start + end].to_string()
}

#[tokio::test]
async fn every_load_carries_its_own_nonce_in_header_and_scripts() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connection();
    insert(&db, mailbox("Info", "ms-oauth", "ms-oauth", true))
        .await
        .unwrap();
    let router = as_admin(&db).await;

    let first = load(&router, None).await;
    let second = load(&router, None).await;
    let (one, two) = (policy_nonce(&first), policy_nonce(&second));
    assert_ne!(one, two, "a nonce is never reused");
    for (answer, own, other) in [(&first, &one, &two), (&second, &two, &one)] {
        assert!(
            answer.body.contains(&format!("nonce=\"{own}\"")),
            "the inline scripts carry the header's nonce"
        );
        assert!(!answer.body.contains(other.as_str()));
    }
    assert_eq!(
        first.body.replace(&one, "N"),
        second.body.replace(&two, "N"),
        "the same page"
    );
    assert!(second.body.contains("info@energiedemo.nl"));
    database.drop_database().await;
}

#[tokio::test]
async fn a_mailbox_saved_in_the_app_is_listed_on_the_next_load() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connection();
    let router = as_admin(&db).await;
    let before = load(&router, None).await;
    assert!(before.body.contains("Er zijn nog geen mailboxen"));

    let fields = demo_fields(
        "leden@energiedemo.nl",
        "7d0c2f0e-4b6a-4f2e-9c1d-2b3a4c5d6e7f",
    );
    let saved = post(&router, "save_mailbox", &fields, Poster::Script, "/").await;
    let Ok(SaveOutcome::Saved { id, .. }) = serde_json::from_str(&saved.body) else {
        panic!("not saved: {}", saved.body);
    };

    let after = load(&router, None).await;
    assert!(
        after.body.contains(&format!("href=\"{LIST}/{id}\"")),
        "the saved mailbox is listed at once"
    );
    database.drop_database().await;
}

#[tokio::test]
async fn each_account_role_and_language_gets_its_own_page() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connection();
    insert(&db, mailbox("Info", "ms-oauth", "ms-oauth", true))
        .await
        .unwrap();
    let admin = session_as(&db, Role::Beheerder).await;
    let reader = session_as(&db, Role::Lezer).await;
    let router = with_session(anonymous_router(db), &admin);
    let as_admin = load(&router, None).await;
    assert!(as_admin.body.contains("data-testid=\"add-mailbox\""));

    let as_reader = load(&router, Some(format!("sessie={}", reader.cookie_value()))).await;
    assert!(
        !as_reader.body.contains("data-testid=\"add-mailbox\""),
        "a reader never gets the admin's page"
    );
    let english = load(
        &router,
        Some(format!("taal=en; sessie={}", admin.cookie_value())),
    )
    .await;
    assert!(english.body.contains("<html lang=\"en\""));
    let dutch_again = load(&router, None).await;
    assert!(dutch_again.body.contains("<html lang=\"nl\""));
    database.drop_database().await;
}

#[tokio::test]
async fn a_change_made_elsewhere_shows_on_the_next_load() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connection();
    let router = as_admin(&db).await;
    let (_, before) = get(&router, LIST).await;
    assert!(before.contains("Er zijn nog geen mailboxen"));

    // Another instance (or the mail scheduler) writes; this server hears nothing of it.
    insert(&db, mailbox("Leden", "imap", "smtp", true))
        .await
        .unwrap();

    let (_, after) = get(&router, LIST).await;
    assert!(after.contains("leden@energiedemo.nl"));
    database.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_loads_at_once_each_get_their_accounts_page_and_their_own_nonce() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connection();
    insert(&db, mailbox("Info", "ms-oauth", "ms-oauth", true))
        .await
        .unwrap();
    let admin = session_as(&db, Role::Beheerder).await;
    let reader = session_as(&db, Role::Lezer).await;
    let router = anonymous_router(db);
    let mut loads = tokio::task::JoinSet::new();
    for n in 0..24 {
        let (role, token) = match n % 2 {
            0 => (Role::Beheerder, &admin),
            _ => (Role::Lezer, &reader),
        };
        let cookie = format!("sessie={}", token.cookie_value());
        let router = router.clone();
        loads.spawn(async move { (role, load(&router, Some(cookie)).await) });
    }
    let answers = loads.join_all().await;
    let mut nonces = std::collections::HashSet::new();
    for (role, answer) in &answers {
        let nonce = policy_nonce(answer);
        assert!(answer.body.contains(&format!("nonce=\"{nonce}\"")));
        assert!(nonces.insert(nonce), "a nonce is never reused");
        assert!(answer.body.contains("info@energiedemo.nl"));
        assert_eq!(
            answer.body.contains("data-testid=\"add-mailbox\""),
            *role == Role::Beheerder,
            "each gets the page of its own role"
        );
    }
    database.drop_database().await;
}
