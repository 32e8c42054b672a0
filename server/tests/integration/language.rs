//! Dutch by default; English once chosen, remembered in a cookie.

use axum::body::Body;
use http::{Request, StatusCode};

use crate::support::{get, send, signed_in_router, Backend, TestDatabase};

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_the_page_follows_it() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let router = signed_in_router(database.connection()).await;

    let request = Request::post("/taal")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            "taal=en&terug=%2Finstellingen%2Fmailboxen%3Fnaam%3Dx",
        ))
        .unwrap();
    let response = tower::ServiceExt::oneshot(router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/instellingen/mailboxen?naam=x"
    );
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("taal=en;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let english = Request::get("/instellingen/mailboxen")
        .header("cookie", "taal=en")
        .body(Body::empty())
        .unwrap();
    let (status, html) = send(&router, english).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("<h1>Mailboxes</h1>") && html.contains(">Settings<"));

    let (_, dutch) = get(&router, "/instellingen/mailboxen").await;
    assert!(dutch.contains("<html lang=\"nl\"") && dutch.contains("<h1>Mailboxen</h1>"));
    database.drop_database().await;
}

#[tokio::test]
async fn the_switch_never_redirects_off_site() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let router = signed_in_router(database.connection()).await;
    for back in [
        "https%3A%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let request = Request::post("/taal")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("taal=en&terug={back}")))
            .unwrap();
        let response = tower::ServiceExt::oneshot(router.clone(), request)
            .await
            .unwrap();
        assert_eq!(
            response.headers()["location"],
            "/instellingen/mailboxen",
            "{back}"
        );
    }
    database.drop_database().await;
}
