//! Sign-in behind a reverse proxy: the client address comes from `X-Forwarded-For` only when
//! a trusted proxy sent it, and a guesser at one address does not lock the admin out of
//! their own sign-in at another. The growing delays for one account guessed from many
//! addresses are checked on the throttle itself, with explicit times.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use backend::auth::client_address::TrustedProxies;
use backend::auth::throttle::{self, ThrottlePolicy};
use chrono::{TimeDelta, Timelike, Utc};
use http::{header, Request, StatusCode};
use sea_orm::DatabaseConnection;

use crate::access_sign_in::create_admin;
use crate::on_every_database;
use crate::support::{send_full, test_state, Fields, FullAnswer, SITE_ORIGIN};

const EMAIL: &str = "Beheerder@Zonnecoop.nl";
const PASSWORD: &str = "Een-lang-beheerderswachtwoord-9";
const NGINX: &str = "127.0.0.1:40000";
const TOO_MANY: &str = "/inloggen?fout=te-veel";

fn behind_nginx(db: DatabaseConnection) -> Router {
    let mut state = test_state(db);
    state.auth.trusted_proxies = TrustedProxies::parse("127.0.0.1").expect("proxies");
    let config =
        server::config::Config::from_lookup(|name| (name == "APP_ENV").then(|| "test".to_string()))
            .expect("default config");
    server::router(state, server::leptos_options(&config))
}

/// A sign-in arriving on a socket from `peer`, with `forwarded_for` if given.
async fn sign_in_from(
    router: &Router,
    peer: &str,
    forwarded_for: Option<&str>,
    password: &str,
) -> FullAnswer {
    let body = Fields::default()
        .set("email", EMAIL)
        .set("password", password)
        .encode();
    let mut request = Request::post("/inloggen")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, SITE_ORIGIN);
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    let mut request = request.body(Body::from(body)).expect("request");
    let peer: SocketAddr = peer.parse().expect("peer address");
    request.extensions_mut().insert(ConnectInfo(peer));
    send_full(router, request).await
}

fn signed_in(answer: &FullAnswer) -> bool {
    answer.status == StatusCode::SEE_OTHER && answer.header("set-cookie").starts_with("sessie=")
}

/// Past the one-second delay five failures put on the account from everywhere.
async fn wait_out_the_account_delay() {
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
}

async fn a_guesser_behind_the_proxy_does_not_lock_out_the_admin(db: DatabaseConnection) {
    create_admin(&db).await;
    let router = behind_nginx(db);
    for _ in 0..5 {
        let refused = sign_in_from(&router, NGINX, Some("203.0.113.7"), "geraden-123").await;
        assert_eq!(refused.header("location"), "/inloggen?fout=onjuist");
    }
    let guesser = sign_in_from(&router, NGINX, Some("203.0.113.7"), PASSWORD).await;
    assert_eq!(
        guesser.header("location"),
        TOO_MANY,
        "the guesser's address is locked"
    );
    wait_out_the_account_delay().await;
    // The same proxy, another client: the admin at the office.
    let admin = sign_in_from(&router, NGINX, Some("198.51.100.20"), PASSWORD).await;
    assert!(
        signed_in(&admin),
        "the admin signs in: {:?}",
        admin.header("location")
    );
    // Even after the admin signed in, the guesser stays locked.
    let guesser = sign_in_from(&router, NGINX, Some("203.0.113.7"), PASSWORD).await;
    assert_eq!(guesser.header("location"), TOO_MANY);
}

async fn a_forwarded_for_header_from_anyone_else_is_ignored(db: DatabaseConnection) {
    create_admin(&db).await;
    let router = behind_nginx(db);
    // Straight to the server, pretending to be the admin's address.
    for _ in 0..5 {
        sign_in_from(
            &router,
            "192.0.2.66:5000",
            Some("198.51.100.20"),
            "geraden-123",
        )
        .await;
    }
    let spoofer = sign_in_from(&router, "192.0.2.66:5000", Some("198.51.100.20"), PASSWORD).await;
    assert_eq!(
        spoofer.header("location"),
        TOO_MANY,
        "counted at its own address"
    );
    wait_out_the_account_delay().await;
    let admin = sign_in_from(&router, NGINX, Some("198.51.100.20"), PASSWORD).await;
    assert!(signed_in(&admin), "the admin's address was never charged");
    // And through the proxy, what a client wrote itself is not its address either.
    for _ in 0..5 {
        sign_in_from(
            &router,
            NGINX,
            Some("198.51.100.20, 203.0.113.99"),
            "geraden-123",
        )
        .await;
    }
    wait_out_the_account_delay().await;
    let admin = sign_in_from(&router, NGINX, Some("198.51.100.20"), PASSWORD).await;
    assert!(signed_in(&admin), "failures were counted at 203.0.113.99");
}

async fn one_account_guessed_from_many_addresses_waits_longer_each_time(db: DatabaseConnection) {
    let policy = ThrottlePolicy::default();
    let account = "beheerder@zonnecoop.nl";
    // Whole seconds: MariaDB keeps failure times to the second.
    let start = Utc::now().with_nanosecond(0).expect("a whole second");
    let at = |millis: i64| start + TimeDelta::milliseconds(millis);
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"] {
        throttle::count_attempt(&db, account, address, at(0), &policy)
            .await
            .unwrap();
    }
    let locked = |address: &'static str, millis: i64| {
        let db = db.clone();
        async move {
            throttle::is_locked(&db, account, address, at(millis), &policy)
                .await
                .unwrap()
        }
    };
    assert!(
        !locked("198.51.100.20", 500).await,
        "four failures: no delay yet"
    );
    throttle::count_attempt(&db, account, "203.0.113.5", at(10_000), &policy)
        .await
        .unwrap();
    assert!(
        locked("198.51.100.20", 10_500).await,
        "five: one second after the latest"
    );
    assert!(!locked("198.51.100.20", 11_200).await);
    throttle::count_attempt(&db, account, "203.0.113.6", at(12_000), &policy)
        .await
        .unwrap();
    assert!(locked("198.51.100.20", 13_500).await, "six: two seconds");
    assert!(!locked("198.51.100.20", 14_200).await);
    // Each guessing address has its own five, and is not locked by the others' failures.
    assert!(!locked("203.0.113.1", 14_200).await);
    // The window forgets: a quarter of an hour later nothing remains of any count.
    assert!(!locked("198.51.100.20", 15 * 60 * 1000 + 12_500).await);
}

on_every_database!(
    a_guesser_behind_the_proxy_does_not_lock_out_the_admin,
    a_forwarded_for_header_from_anyone_else_is_ignored,
    one_account_guessed_from_many_addresses_waits_longer_each_time,
);
