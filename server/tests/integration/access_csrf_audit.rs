//! Cross-site requests are refused; saves and deletes land in the Wijzigingslog with field
//! names only.

use axum::body::Body;
use backend::entities::{audit_log, mailbox};
use http::{header, Request, StatusCode};
use rules::audit_log::{AuditAction, AuditEntry};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{
    anonymous_router, post, send_full, session_as, signed_in_router, with_session, Fields, Poster,
};

async fn cross_site_posts_are_refused(db: DatabaseConnection) {
    let token = session_as(&db, rules::access::Role::Beheerder).await;
    let cookie = format!("sessie={}", token.cookie_value());
    let router = anonymous_router(db.clone());
    let body = microsoft_fields().encode();
    let cases: [(&str, Option<&str>, Option<&str>); 4] = [
        ("/api/save_mailbox", Some("https://evil.example"), None),
        ("/api/save_mailbox", None, None),
        ("/api/save_mailbox", None, Some("cross-site")),
        (
            "/inloggen",
            Some("https://evil.example"),
            Some("cross-site"),
        ),
    ];
    for (path, origin, fetch_site) in cases {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, &cookie);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(fetch_site) = fetch_site {
            request = request.header("sec-fetch-site", fetch_site);
        }
        let answer = send_full(&router, request.body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{path} {origin:?} {fetch_site:?}"
        );
        assert!(answer.body.contains("komt niet van deze site"));
    }
    assert_eq!(
        mailbox::Entity::find().count(&db).await.unwrap(),
        0,
        "nothing saved"
    );
    // The same request from this site goes through.
    let same = with_session(anonymous_router(db.clone()), &token);
    assert!(matches!(
        save(&same, &microsoft_fields()).await,
        rules::mailbox_form::SaveOutcome::Saved { .. }
    ));
    // GET never changes anything: it passes whatever the origin.
    let get = Request::get("/instellingen/mailboxen")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send_full(&router, get).await.status, StatusCode::OK);
}

async fn audit_entries(router: &axum::Router, id: i32) -> Vec<AuditEntry> {
    let fields = Fields::default().set("id", &id.to_string());
    let answer = post(router, "list_audit_log", &fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

async fn saves_and_deletes_are_logged_with_field_names(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let edited = edit(microsoft_fields(), id, 1)
        .set("name", "Info nieuw")
        .set("client_secret", "Abc8Q~eenAnderGeheimVanDertigTekens.0");
    assert!(matches!(
        save(&router, &edited).await,
        rules::mailbox_form::SaveOutcome::Saved { .. }
    ));
    let unchanged = edit(microsoft_fields(), id, 2)
        .set("name", "Info nieuw")
        .set("client_secret", "");
    assert!(matches!(
        save(&router, &unchanged).await,
        rules::mailbox_form::SaveOutcome::Saved { .. }
    ));

    let entries = audit_entries(&router, id).await;
    let summary: Vec<(AuditAction, Vec<String>)> = entries
        .iter()
        .map(|e| (e.action, e.fields.clone()))
        .collect();
    assert_eq!(summary[0], (AuditAction::Updated, vec![]));
    assert_eq!(
        summary[1],
        (
            AuditAction::Updated,
            vec!["name".into(), "client_secret".into()]
        )
    );
    assert_eq!(summary[2].0, AuditAction::Created);
    assert!(
        summary[2].1.contains(&"client_secret".to_string())
            && summary[2].1.contains(&"object_id".to_string())
    );
    assert_eq!(entries[0].user_email, "beheerder@example.org");

    let page = send_full(
        &router,
        Request::get(format!("/instellingen/mailboxen/{id}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        page.body.contains("Wijzigingslog")
            && page.body.contains("Weergave naam, Client secret waarde")
    );

    let fields = Fields::default().set("id", &id.to_string());
    post(&router, "delete_mailbox", &fields, Poster::Script, "/").await;
    let entries = audit_entries(&router, id).await;
    assert_eq!(
        entries[0].action,
        AuditAction::Deleted,
        "the log outlives the mailbox"
    );
    for row in audit_log::Entity::find().all(&db).await.unwrap() {
        assert!(
            !row.fields.contains(SECRET) && !row.fields.contains("Info"),
            "{}",
            row.fields
        );
    }
}

on_every_database!(
    cross_site_posts_are_refused,
    saves_and_deletes_are_logged_with_field_names
);
