//! The Prometheus endpoint as a scraper sees it: after a sign-in, a connect attempt that
//! Microsoft refused, a successful connect, a mail sync and a token refresh, their series
//! are there with their labels; without the token the endpoint answers 401.

use std::time::Duration;

use axum::body::Body;
use fake_microsoft::SignInBrowser;
use http::{header, Request, StatusCode};
use sea_orm::DatabaseConnection;
use secrecy::SecretString;

use crate::connect_failures::redeem_first;
use crate::mail_sync::{connected, mail};
use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{anonymous_router, send_full, Fields, SITE_ORIGIN};

const TOKEN: &str = "scrape-token-0123456789abcdef";

async fn scrape(token: Option<&str>) -> (StatusCode, String) {
    let handle = server::metrics::recorder().expect("recorder");
    let endpoint = server::metrics::router(handle, Some(SecretString::from(TOKEN)));
    let mut request = Request::get(server::metrics::METRICS_PATH);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let answer = send_full(&endpoint, request.body(Body::empty()).expect("request")).await;
    (answer.status, answer.body)
}

/// The value of the series named exactly `series` (name and labels), if present.
fn value(scraped: &str, series: &str) -> Option<f64> {
    scraped.lines().find_map(|line| {
        line.strip_prefix(series)
            .and_then(|rest| rest.trim().parse().ok())
    })
}

async fn the_series_appear_with_their_labels(db: DatabaseConnection) {
    server::metrics::recorder().expect("recorder");

    // A sign-in with a wrong password, through the serving layers.
    crate::access_sign_in::create_admin(&db).await;
    let serving = server::Serving {
        request_timeout: Duration::from_secs(30),
        trusted_proxies: Default::default(),
    };
    let app = server::service(anonymous_router(db.clone()), &serving);
    let body = Fields::default()
        .set("email", "beheerder@zonnecoop.nl")
        .set("password", "niet-het-wachtwoord")
        .encode();
    let answer = send_full(
        &app,
        Request::post("/inloggen")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, SITE_ORIGIN)
            .body(Body::from(body))
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);

    // A connect attempt whose code was redeemed before: Microsoft's AADSTS54005.
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (_, url) = save_new(&router, &demo_fields(LEDEN, LEDEN_ID)).await;
    let back = sign_in(
        &mut SignInBrowser::new().expect("browser"),
        &url,
        LEDEN,
        LEDEN_PASSWORD,
    )
    .await;
    redeem_first(&fake, &db, &back).await;
    assert_eq!(
        callback(&router, &back).await.status,
        StatusCode::BAD_GATEWAY
    );

    // A connected mailbox (another connect attempt, a success) and a sync of two messages.
    let c = connected(&db).await;
    c.fake.add_message(INFO, mail("Eerste", 2)).expect("mail");
    c.fake.add_message(INFO, mail("Tweede", 3)).expect("mail");
    backend::mail::sync_now(&c.state, c.id)
        .await
        .expect("synced");
    // A token refresh: the access token is due an hour later.
    let later = chrono::Utc::now() + chrono::Duration::minutes(56);
    backend::connect::ensure_fresh_access_token(&c.state, c.id, later)
        .await
        .expect("refreshed");

    let (status, _) = scrape(None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = scrape(Some("scrape-token-wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, scraped) = scrape(Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    for series in [
        r#"mailboxen_sign_ins_total{outcome="rejected"}"#,
        r#"mailboxen_http_requests_total{route="/inloggen",method="POST",status="3xx"}"#,
        r#"mailboxen_connection_attempts_total{outcome="token_failed",aadsts="AADSTS54005"}"#,
        r#"mailboxen_connection_attempts_total{outcome="success",aadsts="none"}"#,
        r#"mailboxen_mail_syncs_total{outcome="success"}"#,
        r#"mailboxen_token_refreshes_total{outcome="success"}"#,
        "mailboxen_mail_sync_duration_seconds_count",
    ] {
        assert!(
            value(&scraped, series).is_some_and(|count| count >= 1.0),
            "{series} missing from:\n{scraped}"
        );
    }
    assert!(
        value(&scraped, "mailboxen_mail_messages_stored_total").is_some_and(|count| count >= 2.0),
        "{scraped}"
    );
    assert!(
        scraped.contains("mailboxen_http_request_duration_seconds_bucket{route=\"/inloggen\""),
        "{scraped}"
    );
}

on_every_database!(the_series_appear_with_their_labels);
