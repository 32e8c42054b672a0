//! The mail views over the real router and database (issue 8): the message list and one
//! message render for a `postlezer`, attachments download only where they belong, the
//! actions are refused to a `lezer` (mail itself too: `access_mail`), the list page shows the mail columns, and nothing secret ever
//! reaches a response.

use axum::body::Body;
use backend::entities::{mail_attachment, mail_message};
use chrono::{Duration, TimeZone, Utc};
use http::{Request, StatusCode};
use rules::access::Role;
use rules::mail::{FetchOutcome, MailStatus, MailSummaryRow, MessageDetail, MessageList};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};

use crate::mailbox_form_fixtures::{create, imap_smtp_fields, microsoft_fields, SECRET};
use crate::on_every_database;
use crate::support::{get, post, router_as, send_full, Fields, Poster};

/// Stores a fetched message as mail-sync would; returns its id.
pub async fn insert_message(
    db: &DatabaseConnection,
    mailbox_id: i32,
    subject: &str,
    minutes_ago: i64,
) -> i32 {
    let received =
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap() - Duration::minutes(minutes_ago);
    mail_message::ActiveModel {
        mailbox_id: Set(mailbox_id),
        graph_id: Set(format!("AAMk-{subject}-{minutes_ago}")),
        internet_message_id: Set(format!("<{minutes_ago}.{subject}@example.org>")),
        from_address: Set("jan@example.org".to_string()),
        from_name: Set(Some("Jan Jansen".to_string())),
        to_addresses: Set(r#"["Info <info@zonnecoop.nl>"]"#.to_string()),
        cc_addresses: Set("[]".to_string()),
        subject: Set(subject.to_string()),
        received_at: Set(received),
        body_is_html: Set(false),
        body: Set(format!("Tekst van {subject}")),
        has_attachments: Set(false),
        removed_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

/// Stores an attachment; `content` None means skipped with `reason`.
pub async fn insert_attachment(
    db: &DatabaseConnection,
    message_id: i32,
    name: &str,
    content: Option<&[u8]>,
    reason: Option<&str>,
) -> i32 {
    mail_attachment::ActiveModel {
        message_id: Set(message_id),
        name: Set(name.to_string()),
        content_type: Set("text/html".to_string()),
        size: Set(content.map_or(9_000_000, |c| c.len() as i64)),
        content: Set(content.map(<[u8]>::to_vec)),
        skipped_reason: Set(reason.map(str::to_string)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn call(router: &axum::Router, function: &str, fields: &Fields) -> (StatusCode, String) {
    let answer = post(router, function, fields, Poster::Script, "/").await;
    (answer.status, answer.body)
}

async fn the_message_pages_render_for_a_postlezer(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let reader = router_as(db.clone(), Role::Postlezer).await;
    let id = create(&beheerder, &microsoft_fields()).await;
    for n in 0..30 {
        insert_message(&db, id, &format!("Bericht {n:02}"), n).await;
    }
    let html_message = insert_message(&db, id, "Met opmaak", -10).await;
    let mut active: mail_message::ActiveModel = mail_message::Entity::find_by_id(html_message)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .into();
    active.body_is_html = Set(true);
    active.body = Set(r#"<p>Hallo "daar"</p>"#.to_string());
    active.has_attachments = Set(true);
    active.update(&db).await.unwrap();
    let stored = insert_attachment(
        &db,
        html_message,
        "factuur.html",
        Some(b"<script>x</script>"),
        None,
    )
    .await;
    insert_attachment(&db, html_message, "groot.pdf", None, Some("too_large")).await;
    insert_attachment(&db, html_message, "veel.pdf", None, Some("message_budget")).await;
    insert_attachment(&db, html_message, "later.pdf", None, Some("run_budget")).await;

    let (status, html) = get(&reader, &format!("/instellingen/mailboxen/{id}/berichten")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        html.matches("data-testid=\"message-row\"").count(),
        25,
        "one page"
    );
    let newest = html.find("Met opmaak").expect("the newest first");
    let older = html.find("Bericht 00").expect("then the older ones");
    assert!(newest < older);
    assert!(html.contains("Jan Jansen &lt;jan@example.org&gt;"), "from");
    assert!(html.contains("Pagina 1 van 2"));
    let (_, page_two) = get(
        &reader,
        &format!("/instellingen/mailboxen/{id}/berichten?pagina=2"),
    )
    .await;
    assert_eq!(page_two.matches("data-testid=\"message-row\"").count(), 6);
    assert!(page_two.contains("Bericht 29"));

    let (status, html) = get(
        &reader,
        &format!("/instellingen/mailboxen/{id}/berichten/{html_message}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("sandbox=\"\""),
        "HTML in a sandboxed frame: {html}"
    );
    assert!(
        !html.contains(r#"<p>Hallo "daar"</p>"#),
        "never inline in the page"
    );
    assert!(html.contains("factuur.html") && html.contains("groot.pdf"));
    assert!(html.contains(&format!(
        "/instellingen/mailboxen/{id}/berichten/{html_message}/bijlagen/{stored}"
    )));
    assert!(
        html.contains("groter dan de ingestelde limiet"),
        "the skip reason"
    );
    assert!(
        html.contains(
            "de bijlagen van dit bericht samen zijn groter dan de ingestelde limiet per bericht"
        ) && html.contains("de ingestelde limiet voor één keer ophalen was bereikt"),
        "the budgets' skip reasons"
    );

    // The same through the server functions.
    let fields = Fields::default()
        .set("mailbox_id", &id.to_string())
        .set("message_id", &html_message.to_string());
    let (status, body) = call(&reader, "get_mail_message", &fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let detail: Option<MessageDetail> = serde_json::from_str(&body).unwrap();
    let detail = detail.unwrap();
    assert_eq!(detail.to, vec!["Info <info@zonnecoop.nl>".to_string()]);
    assert_eq!(detail.attachments.len(), 4);
    assert!(detail.attachments[1..]
        .iter()
        .all(|a| a.download_path.is_none()));
    let fields = Fields::default()
        .set("mailbox_id", &id.to_string())
        .set("page", "2");
    let (_, body) = call(&reader, "list_mail_messages", &fields).await;
    let list: Option<MessageList> = serde_json::from_str(&body).unwrap();
    assert_eq!(list.map(|l| (l.page, l.pages, l.total)), Some((2, 2, 31)));

    // A message of another mailbox, or no mailbox at all: not found.
    let other = create(&beheerder, &imap_smtp_fields()).await;
    let (status, _) = get(
        &reader,
        &format!("/instellingen/mailboxen/{other}/berichten/{html_message}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&reader, "/instellingen/mailboxen/9999/berichten").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn attachments_download_only_where_they_belong(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let reader = router_as(db.clone(), Role::Postlezer).await;
    let anonymous = crate::support::anonymous_router(db.clone());
    let id = create(&beheerder, &microsoft_fields()).await;
    let other = create(&beheerder, &imap_smtp_fields()).await;
    let message = insert_message(&db, id, "Factuur", 1).await;
    let stored = insert_attachment(
        &db,
        message,
        "factuur \"1\".html",
        Some(b"<script>x</script>"),
        None,
    )
    .await;
    let skipped = insert_attachment(&db, message, "groot.pdf", None, Some("too_large")).await;
    let path = |mailbox: i32, attachment: i32| {
        format!("/instellingen/mailboxen/{mailbox}/berichten/{message}/bijlagen/{attachment}")
    };
    let request = |path: String| Request::get(path).body(Body::empty()).unwrap();

    let answer = send_full(&reader, request(path(id, stored))).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, "<script>x</script>");
    assert_eq!(
        answer.header("content-type"),
        "application/octet-stream",
        "never rendered"
    );
    assert_eq!(answer.header("x-content-type-options"), "nosniff");
    assert!(answer
        .header("content-disposition")
        .starts_with("attachment; filename=\"factuur _1_.html\""));
    assert_eq!(answer.header("cache-control"), "no-store");

    for (mailbox, attachment) in [(other, stored), (id, skipped), (id, 9999)] {
        let answer = send_full(&reader, request(path(mailbox, attachment))).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{mailbox}/{attachment}"
        );
    }
    let answer = send_full(&anonymous, request(path(id, stored))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.header("location").starts_with("/inloggen"));
}

async fn the_mailbox_page_has_a_mail_section(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let id = create(&beheerder, &microsoft_fields()).await;
    insert_message(&db, id, "Hallo", 1).await;
    let imap = create(&beheerder, &imap_smtp_fields()).await;

    let (status, html) = get(&beheerder, &format!("/instellingen/mailboxen/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"section-mail\""));
    assert!(html.contains("data-testid=\"fetch-now\"") && html.contains("Nu ophalen"));
    assert!(html.contains("data-testid=\"send-test-mail\"") && html.contains("Stuur testmail"));
    assert!(
        html.contains("<label for=\"testmail-aan\""),
        "a visible label"
    );
    assert!(
        html.contains(r#"name="to" type="email" value="info@zonnecoop.nl""#),
        "defaults to the mailbox's address"
    );
    assert!(html.contains(&format!("href=\"/instellingen/mailboxen/{id}/berichten\"")));

    let (_, html) = get(&lezer, &format!("/instellingen/mailboxen/{id}")).await;
    assert!(
        html.contains("data-testid=\"section-mail\""),
        "a lezer sees the facts"
    );
    assert!(
        !html.contains("data-testid=\"fetch-now\"")
            && !html.contains("data-testid=\"send-test-mail\"")
    );
    assert!(
        !html.contains("data-testid=\"messages-link\""),
        "a lezer is not led to mail it may not read"
    );
    let reader = router_as(db.clone(), Role::Postlezer).await;
    let (_, html) = get(&reader, &format!("/instellingen/mailboxen/{id}")).await;
    assert!(html.contains("data-testid=\"messages-link\""));
    assert!(
        !html.contains("data-testid=\"fetch-now\""),
        "reads, never changes"
    );

    let (_, html) = get(&beheerder, &format!("/instellingen/mailboxen/{imap}")).await;
    // Issue 23: IMAP/SMTP mailboxes fetch and send too.
    assert!(
        html.contains("data-testid=\"section-mail\"")
            && html.contains("data-testid=\"fetch-now\"")
            && html.contains("data-testid=\"test-connection\""),
        "IMAP/SMTP mailboxes have the Mail section and Test verbinding"
    );

    let (status, body) = call(
        &lezer,
        "get_mail_status",
        &Fields::default().set("id", &id.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mail: Option<MailStatus> = serde_json::from_str(&body).unwrap();
    let mail = mail.unwrap();
    assert_eq!(mail.message_count, 1);
    assert!(!mail.can_change && mail.incoming_microsoft && mail.outgoing_microsoft);
}

async fn actions_are_refused_to_a_lezer(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let id = create(&beheerder, &microsoft_fields()).await;
    let fields = Fields::default().set("id", &id.to_string());
    for function in ["fetch_mail_now", "send_test_mail"] {
        let (status, body) = call(&lezer, function, &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{function}: {body}");
        assert!(body.contains("Alleen een beheerder"), "{body}");
        let answer = post(&lezer, function, &fields, Poster::PlainForm, "/").await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{function} without JavaScript"
        );
    }
    // A beheerder's "Nu ophalen" gets an outcome, also when it fails (Microsoft is closed
    // here): never an error page.
    let (status, body) = call(&beheerder, "fetch_mail_now", &fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let outcome: FetchOutcome = serde_json::from_str(&body).unwrap();
    assert!(
        matches!(
            outcome,
            FetchOutcome::Fetched { .. } | FetchOutcome::Failed { .. }
        ),
        "{outcome:?}"
    );
    let answer = post(
        &beheerder,
        "fetch_mail_now",
        &fields,
        Poster::PlainForm,
        "/",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let location = answer.location.unwrap_or_default();
    assert!(
        location.starts_with(&format!("/instellingen/mailboxen/{id}?ophalen=")),
        "{location}"
    );
    // The page it leads to shows the outcome: this mailbox was never connected.
    let page = location.split('#').next().unwrap_or_default();
    let (status, html) = get(&beheerder, page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"fetch-failed\""), "{html}");
    assert!(html.contains("niet verbonden met Microsoft"), "in words");
    // Cross-site posts are refused before anything runs.
    let request = Request::post("/api/send_test_mail")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .body(Body::from(format!("id={id}")))
        .unwrap();
    let answer = send_full(&beheerder, request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

async fn the_list_shows_the_mail_columns(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let id = create(&beheerder, &microsoft_fields()).await;
    for n in 0..3 {
        insert_message(&db, id, &format!("Bericht {n}"), n).await;
    }
    let (status, html) = get(&beheerder, "/instellingen/mailboxen").await;
    assert_eq!(status, StatusCode::OK);
    for heading in ["Laatst opgehaald", "Berichten", "Laatste fout"] {
        assert!(html.contains(heading), "column {heading}");
    }
    assert!(
        html.contains("data-testid=\"mailbox-message-count\">3<"),
        "{html}"
    );
    assert!(html.contains("Nog nooit"));
    // Mail of an IMAP mailbox is not fetched over Graph: "–", not "Nog nooit".
    create(&beheerder, &imap_smtp_fields()).await;
    let (_, html) = get(&beheerder, "/instellingen/mailboxen").await;
    assert_eq!(html.matches("data-testid=\"mailbox-row\"").count(), 2);
    // Counted in the cells: the island's props carry the same words once more.
    let never = "data-testid=\"mailbox-last-fetched\">Nog nooit<";
    assert_eq!(html.matches(never).count(), 1, "{html}");
    assert!(
        html.contains("data-testid=\"mailbox-message-count\">–<"),
        "{html}"
    );
    let (status, body) = call(&beheerder, "list_mail_summaries", &Fields::default()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let summaries: Vec<MailSummaryRow> = serde_json::from_str(&body).unwrap();
    assert_eq!(
        summaries,
        [MailSummaryRow {
            mailbox_id: id,
            last_fetched_at: None,
            message_count: 3,
            last_error: None,
            failing: false,
        }]
    );
}

async fn no_secret_or_token_in_any_response(db: DatabaseConnection) {
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let id = create(&beheerder, &microsoft_fields()).await;
    let message = insert_message(&db, id, "Hallo", 1).await;
    let mut bodies = Vec::new();
    for path in [
        "/instellingen/mailboxen".to_string(),
        format!("/instellingen/mailboxen/{id}"),
        format!("/instellingen/mailboxen/{id}/berichten"),
        format!("/instellingen/mailboxen/{id}/berichten/{message}"),
    ] {
        bodies.push(get(&beheerder, &path).await.1);
    }
    let id_field = Fields::default().set("id", &id.to_string());
    for (function, fields) in [
        ("get_mail_status", id_field.clone()),
        ("list_mail_summaries", Fields::default()),
        ("send_test_mail", id_field.clone()),
        ("fetch_mail_now", id_field),
        (
            "list_mail_messages",
            Fields::default().set("mailbox_id", &id.to_string()),
        ),
    ] {
        bodies.push(call(&beheerder, function, &fields).await.1);
    }
    for body in bodies {
        assert!(!body.contains(SECRET), "the client secret leaked");
        assert!(!body.contains("eyJ"), "a token leaked");
        assert!(!body.contains("client_secret_encrypted"));
    }
}

on_every_database!(
    the_message_pages_render_for_a_postlezer,
    attachments_download_only_where_they_belong,
    the_mailbox_page_has_a_mail_section,
    actions_are_refused_to_a_lezer,
    the_list_shows_the_mail_columns,
    no_secret_or_token_in_any_response,
);
