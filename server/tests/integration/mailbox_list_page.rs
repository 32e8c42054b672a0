//! `/instellingen/mailboxen` rendered by the real router over a real database.

use axum::body::Body;
use backend::mailboxes::{insert, NewMailbox};
use http::{Request, StatusCode};
use sea_orm::DatabaseConnection;

use crate::mailboxes_repo::mailbox;
use crate::on_every_database;
use crate::support::{get, send, signed_in_router};

async fn renders_rows_from_the_database(db: DatabaseConnection) {
    let info = NewMailbox {
        is_primary: true,
        ..mailbox("Info", "ms-oauth", "ms-oauth", true)
    };
    let id = insert(&db, info).await.unwrap();
    insert(&db, mailbox("Leden", "imap", "smtp", false))
        .await
        .unwrap();
    let router = signed_in_router(db).await;

    let (status, html) = get(&router, "/instellingen/mailboxen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"nl\""), "Dutch document");
    for heading in [
        "Status",
        "Laatste fout",
        "Weergavenaam",
        "Inkomend",
        "Uitgaand",
        "Berichten",
    ] {
        assert!(
            html.contains(&format!("<th scope=\"col\">{heading}</th>")),
            "column {heading}"
        );
    }
    // Primair and Actief are marks beside the name.
    assert!(html.contains("mailbox-primary\" class=\"mark\">Primair<"));
    assert!(html.contains("mailbox-inactive\" class=\"mark mark--off\">Niet actief<"));
    assert!(html.contains(&format!("href=\"/instellingen/mailboxen/{id}\"")));
    assert!(html.contains("info@energiedemo.nl"));
    assert!(html.contains("leden@energiedemo.nl"));
    assert!(html.contains("Niet verbonden"));
    assert_eq!(html.matches("data-testid=\"mailbox-row\"").count(), 2);
}

async fn filters_on_the_server_without_javascript(db: DatabaseConnection) {
    insert(&db, mailbox("Info", "ms-oauth", "ms-oauth", true))
        .await
        .unwrap();
    insert(&db, mailbox("Leden", "imap", "smtp", false))
        .await
        .unwrap();
    let router = signed_in_router(db).await;

    let (_, html) = get(&router, "/instellingen/mailboxen?naam=LED&actief=alle").await;
    let table = rendered_table(&html);
    assert_eq!(table.matches("data-testid=\"mailbox-row\"").count(), 1);
    assert!(table.contains("leden@energiedemo.nl") && !table.contains("info@energiedemo.nl"));

    let (_, html) = get(&router, "/instellingen/mailboxen?actief=ja").await;
    let table = rendered_table(&html);
    assert!(table.contains("info@energiedemo.nl") && !table.contains("leden@energiedemo.nl"));

    let (_, html) = get(&router, "/instellingen/mailboxen?naam=onbekend").await;
    let table = rendered_table(&html);
    assert!(table.contains("Geen mailboxen gevonden"));
    assert_eq!(table.matches("data-testid=\"mailbox-row\"").count(), 0);
}

/// The rendered table only: the rows the filter leaves out follow it in a `<template>`, for
/// the island to show when the filter changes in the browser.
fn rendered_table(html: &str) -> &str {
    let start = html
        .find("data-testid=\"mailbox-table\"")
        .expect("table rendered");
    let end = html[start..].find("</table>").expect("table closed");
    &html[start..start + end]
}

async fn shows_the_empty_state(db: DatabaseConnection) {
    let (status, html) = get(&signed_in_router(db).await, "/instellingen/mailboxen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Er zijn nog geen mailboxen"));
}

async fn list_server_function_answers_json(db: DatabaseConnection) {
    insert(&db, mailbox("Info", "ms-oauth", "smtp", true))
        .await
        .unwrap();
    let request = Request::post("/api/list_mailboxes")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&signed_in_router(db).await, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(rows[0]["name"], "Info");
    assert_eq!(rows[0]["outgoing"], "Smtp");
}

on_every_database!(
    renders_rows_from_the_database,
    filters_on_the_server_without_javascript,
    shows_the_empty_state,
    list_server_function_answers_json,
);

#[tokio::test]
async fn unknown_pages_get_a_dutch_404() {
    let database = crate::support::TestDatabase::create(crate::support::Backend::Sqlite)
        .await
        .unwrap();
    let (status, html) = get(
        &signed_in_router(database.connection()).await,
        "/instellingen/mailboxen/999",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Pagina niet gevonden"));
    database.drop_database().await;
}
