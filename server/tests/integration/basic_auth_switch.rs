//! "Overstappen naar Microsoft Api" (issue 23), on every database, against the fake
//! Microsoft: an IMAP/SMTP mailbox on a password at Microsoft 365 is marked on the list and
//! its page, and switches to Microsoft Api keeping its history, fetched mail and audit log;
//! its IMAP position is cleared, the Azure section is filled in from another mailbox's app
//! registration (the secret never reaching the page), and the first Graph sync takes over
//! the mail fetched over IMAP instead of storing it twice. A `lezer` cannot switch.

use std::sync::Arc;
use std::time::Duration;

use backend::entities::{
    audit_log, connection_attempt as attempt, mail_imap_state as imap_state,
    mail_message as message, mail_sync_state as sync_state, mailbox,
    mailbox_microsoft_settings as settings,
};
use backend::mail::{sync_now, MailSettings, RecordedPause};
use backend::AppState;
use chrono::{TimeZone, Utc};
use http::StatusCode;
use rules::access::Role;
use rules::basic_auth::SwitchOutcome;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::mailbox_form_fixtures::{create, edit, form_data, imap_smtp_fields};
use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{post, router_as, stored_client_secret, Fields, Poster};

on_every_database!(
    switching_keeps_history_mail_and_audit_and_graph_takes_over_imap_mail,
    only_an_admin_switches_and_only_a_microsoft_365_mailbox,
);

/// Test settings for the sync: mail since 2026-01-01, waits recorded.
fn with_mail_settings(mut state: AppState) -> AppState {
    state.mail = MailSettings {
        sync_interval: Duration::ZERO,
        first_sync_since: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
        pause: Arc::new(RecordedPause::default()),
        ..MailSettings::default()
    };
    state
}

/// info@'s mailbox as an IMAP/SMTP mailbox on a password at Microsoft 365, saved through
/// the form (the host in mixed case: host names are case-insensitive).
fn microsoft_365_imap_fields() -> Fields {
    imap_smtp_fields()
        .set("name", "Info")
        .set("email", INFO)
        .set("imap_host", "Outlook.Office365.com")
        .set("smtp_host", "smtp.office365.com")
        .set("username", INFO)
}

/// What an IMAP fetch leaves behind: a message stored under its IMAP key.
async fn fetched_over_imap(db: &DatabaseConnection, id: i32, uid: u32, message_id: &str) -> i32 {
    let now = Utc::now();
    message::ActiveModel {
        mailbox_id: Set(id),
        graph_id: Set(format!("imap:INBOX:77:{uid}")),
        graph_id_immutable: Set(true),
        internet_message_id: Set(message_id.to_string()),
        from_address: Set("afzender@example.nl".into()),
        from_name: Set(Some("Afzender".into())),
        to_addresses: Set("[]".into()),
        cc_addresses: Set("[]".into()),
        subject: Set(format!("Over IMAP {uid}")),
        // Dovecot's time, not Exchange's: the take-over matches the Message-ID only.
        received_at: Set(Utc.with_ymd_and_hms(2026, 1, 20, 8, 0, uid).unwrap()),
        body_is_html: Set(false),
        body: Set("Tekst".into()),
        has_attachments: Set(false),
        removed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

/// The IMAP position and history of mailbox `id` as an IMAP fetch and "Test verbinding"
/// leave them: `mail_imap_states`, the `imap:` marker as the delta link, an attempt.
async fn imap_position_and_history(state: &AppState, id: i32) {
    let db = &state.db;
    let now = Utc::now();
    imap_state::ActiveModel {
        mailbox_id: Set(id),
        folder: Set("INBOX".into()),
        uid_validity: Set(77),
        last_uid: Set(3),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    backend::mail::progress::request(db, id, now).await.unwrap();
    sync_state::Entity::update_many()
        .col_expr(sync_state::Column::DeltaLink, Expr::value("imap:INBOX:77"))
        .filter(sync_state::Column::MailboxId.eq(id))
        .exec(db)
        .await
        .unwrap();
    attempt::ActiveModel {
        mailbox_id: Set(id),
        kind: Set("mail_sync".into()),
        created_at: Set(now),
        expires_at: Set(now),
        completed_at: Set(Some(now)),
        outcome: Set("mail_login_refused".into()),
        error: Set(Some("AUTHENTICATE failed".into())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

fn graph_mail(subject: &str, day: u32, message_id: &str) -> fake_microsoft::directory::Message {
    serde_json::from_value(json!({
        "subject": subject,
        "internet_message_id": message_id,
        "from": {"name": "Afzender", "address": "afzender@example.nl"},
        "to": [{"name": "Info", "address": INFO}],
        "received_at": format!("2026-01-{day:02}T10:00:00Z"),
        "body": {"content_type": "text", "content": format!("Tekst van {subject}")},
    }))
    .unwrap()
}

async fn messages_of(db: &DatabaseConnection, id: i32) -> Vec<message::Model> {
    message::Entity::find()
        .filter(message::Column::MailboxId.eq(id))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn audit_of(db: &DatabaseConnection, id: i32) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::MailboxId.eq(id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn switch(router: &axum::Router, id: i32, poster: Poster) -> crate::support::Answer {
    let fields = Fields::default().set("id", &id.to_string());
    let page = format!("/instellingen/mailboxen/{id}");
    post(router, "switch_to_microsoft_api", &fields, poster, &page).await
}

async fn switching_keeps_history_mail_and_audit_and_graph_takes_over_imap_mail(
    db: DatabaseConnection,
) {
    let fake = fake().await;
    let state = with_mail_settings(state_with(db.clone(), &fake, Duration::from_secs(2)));
    let router = router_of(state.clone()).await;
    // Another mailbox with the organisation's app registration.
    let (leden, _) = save_new(&router, &demo_fields(LEDEN, LEDEN_ID)).await;
    let id = create(&router, &microsoft_365_imap_fields()).await;

    // The list and the page say basic authentication ends, for this mailbox only.
    let list = backend::mailboxes::list(&db).await.unwrap();
    let row = |id: i32| list.rows.iter().find(|r| r.id == id).unwrap().clone();
    assert!(row(id).basic_auth_ending);
    assert!(!row(leden).basic_auth_ending);
    let (page, _) = form_data(&router, &id.to_string()).await;
    assert!(page.unwrap().basic_auth_ending);

    let een = fetched_over_imap(&db, id, 1, "<een@zonnecoop.nl>").await;
    let twee = fetched_over_imap(&db, id, 2, "<twee@zonnecoop.nl>").await;
    fetched_over_imap(&db, id, 3, "<alleen-imap@zonnecoop.nl>").await;
    imap_position_and_history(&state, id).await;
    let history_before = backend::flows::connect::history(&state, id).await.unwrap();
    let audit_before = audit_of(&db, id).await;
    let version_before = mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .version;

    // The button: a plain form post, answered with the page and what happened.
    let answer = switch(&router, id, Poster::PlainForm).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        answer.location.as_deref(),
        Some(format!("/instellingen/mailboxen/{id}?overgestapt=2").as_str())
    );

    let switched = mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(switched.incoming_server_type, "ms-oauth");
    assert_eq!(switched.outgoing_server_type, "ms-oauth");
    assert_eq!(switched.imap_host, None);
    assert_eq!(
        switched.password_encrypted, None,
        "the password is not kept"
    );
    assert_eq!(switched.version, version_before + 1);
    assert_eq!(switched.email, INFO);
    // The IMAP position is gone, also as the sync's delta link.
    assert!(imap_state::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .is_none());
    let sync = sync_state::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sync.delta_link, None);
    assert_eq!(sync.resume_link, None);
    // Mail, history and audit log kept; the switch audited.
    assert_eq!(messages_of(&db, id).await.len(), 3);
    let history = backend::flows::connect::history(&state, id).await.unwrap();
    assert_eq!(history.len(), history_before.len());
    assert_eq!(history[0].kind, "mail_sync");
    let audit = audit_of(&db, id).await;
    assert_eq!(audit.len(), audit_before.len() + 1);
    let entry = audit.last().unwrap();
    assert_eq!(entry.action, "updated");
    for field in [
        "incoming_type",
        "outgoing_type",
        "imap_host",
        "password",
        "client_id",
    ] {
        assert!(
            entry.fields.split(',').any(|f| f == field),
            "{field} in {}",
            entry.fields
        );
    }
    // Prefilled from leden@'s app registration: the secret copied encrypted.
    let azure = settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .expect("the Azure section filled in");
    assert_eq!(azure.client_id, CLIENT_ID);
    assert_eq!(azure.tenant_id, TENANT);
    assert_eq!(azure.object_id, "");
    let secret = stored_client_secret(&db, &state.cipher, id).await;
    assert_eq!(secret.as_deref(), Some(SECRET));
    // The page: no warning any more, the Azure section filled in, the secret never sent.
    let (page, body) = form_data(&router, &id.to_string()).await;
    let page = page.unwrap();
    assert!(!page.basic_auth_ending);
    assert_eq!(page.form.incoming_type, "ms-oauth");
    assert_eq!(page.form.client_id, CLIENT_ID);
    assert_eq!(page.form.tenant_id, TENANT);
    assert!(page.context.secret_stored);
    assert!(!body.contains(SECRET), "the secret reached the page");
    // Once switched there is nothing to switch.
    let again = switch(&router, id, Poster::Script).await;
    let again: SwitchOutcome = serde_json::from_str(&again.body).unwrap();
    assert_eq!(again, SwitchOutcome::NotApplicable);

    // The admin completes it (the Object ID, without password) and Graph fetches: the two
    // messages fetched over IMAP are taken over, not stored again; the new one is stored.
    fake.add_message(INFO, graph_mail("Een", 3, "<een@zonnecoop.nl>"))
        .unwrap();
    fake.add_message(INFO, graph_mail("Twee", 4, "<twee@zonnecoop.nl>"))
        .unwrap();
    fake.add_message(INFO, graph_mail("Drie", 5, "<drie@zonnecoop.nl>"))
        .unwrap();
    let fields = edit(
        demo_fields(INFO, INFO_ID)
            .set("name", "Info")
            .set("client_secret", "")
            .set("connection_method", "app_only"),
        id,
        switched.version,
    );
    let saved = post(&router, "save_mailbox", &fields, Poster::Script, "/").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let before_graph = messages_of(&db, id).await.len();
    let report = sync_now(&state, id).await.unwrap();
    let after = messages_of(&db, id).await;
    assert_eq!(report.new_messages, after.len() - before_graph);
    assert!(report.new_messages >= 1, "Drie is new");
    let mut message_ids: Vec<&str> = after
        .iter()
        .map(|m| m.internet_message_id.as_str())
        .collect();
    message_ids.sort_unstable();
    let listed = message_ids.len();
    message_ids.dedup();
    assert_eq!(message_ids.len(), listed, "a message stored twice");
    for (row, message_id) in [(een, "<een@zonnecoop.nl>"), (twee, "<twee@zonnecoop.nl>")] {
        let taken = after.iter().find(|m| m.id == row).unwrap();
        assert!(
            !taken.graph_id.starts_with("imap:"),
            "{message_id} keeps its row under Graph's id"
        );
        let same: Vec<_> = after
            .iter()
            .filter(|m| m.internet_message_id == message_id)
            .collect();
        assert_eq!(same.len(), 1, "{message_id} stored once");
    }
    assert!(after
        .iter()
        .any(|m| m.internet_message_id == "<alleen-imap@zonnecoop.nl>"));
    assert!(after.iter().any(|m| m.subject == "Drie"));
    // And again: nothing new.
    assert_eq!(sync_now(&state, id).await.unwrap().new_messages, 0);
}

async fn only_an_admin_switches_and_only_a_microsoft_365_mailbox(db: DatabaseConnection) {
    let fake = fake().await;
    let state = with_mail_settings(state_with(db.clone(), &fake, Duration::from_secs(2)));
    let router = router_of(state.clone()).await;
    let id = create(&router, &microsoft_365_imap_fields()).await;
    let elsewhere = create(&router, &imap_smtp_fields().set("name", "Elders")).await;

    for role in [Role::Lezer, Role::Postlezer] {
        let reader = router_as(db.clone(), role).await;
        let answer = switch(&reader, id, Poster::Script).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{role:?}: {}",
            answer.body
        );
    }
    let unchanged = mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.incoming_server_type, "imap");
    assert!(unchanged.password_encrypted.is_some());

    // A mailbox on another server has nothing to switch from.
    let answer = switch(&router, elsewhere, Poster::Script).await;
    let outcome: SwitchOutcome = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(outcome, SwitchOutcome::NotApplicable);
    assert!(
        !form_data(&router, &elsewhere.to_string())
            .await
            .0
            .unwrap()
            .basic_auth_ending
    );

    // Without another app registration: switched, the Azure section left to fill in.
    let answer = switch(&router, id, Poster::Script).await;
    let outcome: SwitchOutcome = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(outcome, SwitchOutcome::Switched { prefilled: false });
    assert!(settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .is_none());
    let missing = switch(&router, 999_999, Poster::Script).await;
    let outcome: SwitchOutcome = serde_json::from_str(&missing.body).unwrap();
    assert_eq!(outcome, SwitchOutcome::NotFound);
}
