//! Signing in and out through the real routes: the cookie, the generic refusal, throttling,
//! `next`, idle expiry, and what a `lezer` sees.

use axum::body::Body;
use axum::Router;
use backend::auth::users;
use backend::entities::session;
use chrono::{TimeDelta, Utc};
use http::{header, Request, StatusCode};
use rules::access::Role;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, Set};
use secrecy::SecretString;

use crate::on_every_database;
use crate::support::{anonymous_router, router_as, send_full, Fields, FullAnswer, SITE_ORIGIN};

const EMAIL: &str = "Beheerder@Zonnecoop.nl";
const PASSWORD: &str = "Een-lang-beheerderswachtwoord-9";

pub async fn create_admin(db: &DatabaseConnection) {
    let password = SecretString::from(PASSWORD);
    users::create(db, EMAIL, Role::Beheerder, &password, Utc::now())
        .await
        .expect("admin created");
}

/// POSTs the sign-in form as a browser on this site does.
pub async fn sign_in(router: &Router, email: &str, password: &str, next: &str) -> FullAnswer {
    let body = Fields::default()
        .set("email", email)
        .set("password", password)
        .set("next", next)
        .encode();
    let request = Request::post("/inloggen")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, SITE_ORIGIN)
        .body(Body::from(body))
        .expect("request");
    send_full(router, request).await
}

/// The `name=value` part of the session cookie a response sets.
pub fn cookie_of(answer: &FullAnswer) -> String {
    let set_cookie = answer.header("set-cookie");
    set_cookie.split(';').next().unwrap_or_default().to_string()
}

pub async fn get_with(router: &Router, path: &str, cookie: &str) -> FullAnswer {
    let request = Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    send_full(router, request).await
}

async fn signing_in_and_out(db: DatabaseConnection) {
    create_admin(&db).await;
    let router = anonymous_router(db.clone());
    let answer = sign_in(
        &router,
        "beheerder@ZONNECOOP.nl",
        PASSWORD,
        "/instellingen/mailboxen/nieuw",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.header("location"), "/instellingen/mailboxen/nieuw");
    let set_cookie = answer.header("set-cookie");
    assert!(
        set_cookie.contains("; HttpOnly; SameSite=Lax; Path=/"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "plain http in tests");
    let cookie = cookie_of(&answer);

    let page = get_with(&router, "/instellingen/mailboxen", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("beheerder@zonnecoop.nl") && page.body.contains("Uitloggen"));
    assert!(page.body.contains("data-testid=\"add-mailbox\""));
    assert_eq!(page.header("cache-control"), "no-store");
    let csp = page.header("content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry it"
    );
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("referrer-policy"), "no-referrer");

    let request = Request::post("/uitloggen")
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, SITE_ORIGIN)
        .body(Body::empty())
        .expect("request");
    let out = send_full(&router, request).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.header("location"), "/inloggen");
    assert!(out.header("set-cookie").starts_with("sessie=; Max-Age=0"));
    assert_eq!(session::Entity::find().count(&db).await.unwrap(), 0);
    let after = get_with(&router, "/instellingen/mailboxen", &cookie).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the old cookie is worthless"
    );
}

async fn wrong_passwords_get_one_generic_message_then_a_lock(db: DatabaseConnection) {
    create_admin(&db).await;
    let router = anonymous_router(db);
    let wrong = sign_in(
        &router,
        EMAIL,
        "fout-wachtwoord-123",
        "/instellingen/mailboxen/7",
    )
    .await;
    let unknown = sign_in(
        &router,
        "niemand@zonnecoop.nl",
        PASSWORD,
        "/instellingen/mailboxen/7",
    )
    .await;
    let expected = "/inloggen?fout=onjuist&next=/instellingen/mailboxen/7";
    assert_eq!(wrong.header("location"), expected);
    assert_eq!(
        unknown.header("location"),
        expected,
        "no hint which accounts exist"
    );
    assert!(wrong.header("set-cookie").is_empty());
    let page = send_full(&router, Request::get(expected).body(Body::empty()).unwrap()).await;
    assert!(page.body.contains("E-mailadres of wachtwoord onjuist."));
    assert!(
        page.body.contains("value=\"/instellingen/mailboxen/7\""),
        "next kept"
    );

    for _ in 0..4 {
        sign_in(&router, EMAIL, "fout-wachtwoord-123", "").await;
    }
    // Five failures for this account at this address: even the right password is refused
    // from here for a while.
    let locked = sign_in(&router, EMAIL, PASSWORD, "").await;
    assert_eq!(locked.header("location"), "/inloggen?fout=te-veel");
    let page = send_full(
        &router,
        Request::get("/inloggen?fout=te-veel")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page
        .body
        .contains("Te veel pogingen, probeer het over enkele minuten opnieuw."));
}

async fn only_internal_next_paths_are_followed(db: DatabaseConnection) {
    create_admin(&db).await;
    let router = anonymous_router(db);
    for next in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
        "",
    ] {
        let answer = sign_in(&router, EMAIL, PASSWORD, next).await;
        assert_eq!(
            answer.header("location"),
            "/instellingen/mailboxen",
            "{next}"
        );
    }
    let page = send_full(
        &router,
        Request::get("/instellingen/mailboxen/3?opgeslagen=1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        page.header("location"),
        "/inloggen?next=/instellingen/mailboxen/3%3Fopgeslagen%3D1"
    );
}

async fn idle_sessions_end_and_every_sign_in_gets_a_new_session(db: DatabaseConnection) {
    create_admin(&db).await;
    let router = anonymous_router(db.clone());
    let first = cookie_of(&sign_in(&router, EMAIL, PASSWORD, "").await);
    let second = cookie_of(&sign_in(&router, EMAIL, PASSWORD, "").await);
    assert_ne!(first, second);
    for row in session::Entity::find().all(&db).await.unwrap() {
        let mut active: session::ActiveModel = row.into();
        active.last_seen_at = Set(Utc::now() - TimeDelta::minutes(31));
        session::Entity::update(active).exec(&db).await.unwrap();
    }
    let page = get_with(&router, "/instellingen/mailboxen", &second).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "idle for 31 minutes");
    assert_eq!(
        session::Entity::find().count(&db).await.unwrap(),
        1,
        "the idle one is gone"
    );
}

async fn a_lezer_sees_no_mutating_controls(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let id = crate::mailbox_form_fixtures::create(
        &beheerder,
        &crate::mailbox_form_fixtures::microsoft_fields(),
    )
    .await;
    let lezer = router_as(db, Role::Lezer).await;
    let list = send_full(
        &lezer,
        Request::get("/instellingen/mailboxen")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        list.body.contains("lezer@example.org") && list.body.contains("(lezer)"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("data-testid=\"add-mailbox\""));
    let page = send_full(
        &lezer,
        Request::get(format!("/instellingen/mailboxen/{id}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.body.contains("data-testid=\"read-only\""));
    assert!(
        page.body
            .contains("<fieldset disabled class=\"form-fieldset\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("data-testid=\"save\"")
            && !page.body.contains("data-testid=\"delete\"")
    );
}

on_every_database!(
    signing_in_and_out,
    wrong_passwords_get_one_generic_message_then_a_lock,
    only_internal_next_paths_are_followed,
    idle_sessions_end_and_every_sign_in_gets_a_new_session,
    a_lezer_sees_no_mutating_controls,
);
