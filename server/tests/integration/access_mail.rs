//! The fetched mail is readable by a `postlezer` and a `beheerder` only: a `lezer` (settings
//! and diagnostics) gets 403 on the message pages, an attachment and the mail server
//! functions, and none of the mail's words reach it; the diagnostics (message count) stay.

use axum::body::Body;
use backend::entities::mail_quarantine;
use http::{Request, StatusCode};
use rules::access::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};

use crate::mail_views::{insert_attachment, insert_message};
use crate::mailbox_form_fixtures::{create, microsoft_fields};
use crate::on_every_database;
use crate::support::{get, post, router_as, send_full, Fields, Poster};

async fn a_lezer_reads_no_mail(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let postlezer = router_as(db.clone(), Role::Postlezer).await;
    let id = create(&beheerder, &microsoft_fields()).await;
    let message = insert_message(&db, id, "Vertrouwelijk", 1).await;
    let attachment = insert_attachment(&db, message, "loonstrook.pdf", Some(b"geheim"), None).await;
    let list = format!("/instellingen/mailboxen/{id}/berichten");
    let one = format!("{list}/{message}");
    let file = format!("{one}/bijlagen/{attachment}");
    let list_fields = Fields::default().set("mailbox_id", &id.to_string());
    let one_fields = list_fields.clone().set("message_id", &message.to_string());

    for path in [&list, &one, &file] {
        let answer = send_full(&lezer, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "lezer {path}");
        assert!(
            answer.body.contains("geen opgehaalde berichten"),
            "{}",
            answer.body
        );
        assert!(!answer.body.contains("Vertrouwelijk") && !answer.body.contains("geheim"));

        let answer = send_full(&postlezer, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::OK, "postlezer {path}");
    }
    for (function, fields) in [
        ("list_mail_messages", &list_fields),
        ("get_mail_message", &one_fields),
    ] {
        let answer = post(&lezer, function, fields, Poster::Script, "/").await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "lezer {function}");
        assert!(!answer.body.contains("Vertrouwelijk"), "{}", answer.body);
        let answer = post(&postlezer, function, fields, Poster::Script, "/").await;
        assert_eq!(answer.status, StatusCode::OK, "postlezer {function}");
        assert!(answer.body.contains("Vertrouwelijk"), "{}", answer.body);
    }

    // The diagnostics stay: the lezer still sees that mail arrives, and that a message was
    // skipped and why, but not its subject.
    let now = chrono::Utc::now();
    mail_quarantine::ActiveModel {
        mailbox_id: Set(id),
        graph_id: Set("AAMk-overgeslagen".to_string()),
        subject: Set(Some("Geheim overgeslagen onderwerp".to_string())),
        reason: Set("gone".to_string()),
        detail: Set(None),
        first_seen_at: Set(now),
        last_seen_at: Set(now),
        seen_count: Set(1),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let (status, html) = get(&lezer, &format!("/instellingen/mailboxen/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"section-mail\""));
    assert!(!html.contains("Vertrouwelijk"));
    assert!(!html.contains("Geheim overgeslagen onderwerp"), "{html}");
    let (_, html) = get(&postlezer, &format!("/instellingen/mailboxen/{id}")).await;
    assert!(html.contains("Geheim overgeslagen onderwerp"));
}

on_every_database!(a_lezer_reads_no_mail);
