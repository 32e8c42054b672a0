//! Creating, editing and deleting mailboxes through the server functions, on every
//! database.

use backend::cipher::SecretColumn;
use backend::entities::{mailbox, mailbox_microsoft_settings as settings};
use backend::mailboxes::list_rows;
use http::StatusCode;
use rules::mailbox_form::SaveOutcome;
use rules::mailbox_list::MailboxStatus;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use secrecy::ExposeSecret;

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{
    get, post, signed_in_router, stored_client_secret, test_cipher, Fields, Poster,
};

async fn stored_secret(db: &DatabaseConnection, id: i32) -> String {
    stored_client_secret(db, &test_cipher(), id)
        .await
        .expect("a secret stored")
}

async fn creates_and_loads_a_microsoft_mailbox(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;

    let (data, body) = form_data(&router, &id.to_string()).await;
    let data = data.unwrap();
    assert_eq!(data.id, Some(id));
    assert_eq!(data.version, 1);
    assert_eq!(data.form.name, "Info");
    assert_eq!(data.form.client_id, CLIENT);
    assert_eq!(data.form.object_id, OBJECT);
    assert!(data.form.is_active && !data.form.is_primary);
    assert!(data.context.secret_stored);
    assert_eq!(data.client_secret_hint.as_deref(), Some("Xyz"));
    assert_eq!(
        data.redirect_uri,
        "http://127.0.0.1:3000/api/oauth/ms-azure/callback"
    );
    assert!(!body.contains(SECRET));
    assert_eq!(stored_secret(&db, id).await, SECRET);

    // Saving tested the app registration against Microsoft, unreachable here (a closed port).
    let rows = list_rows(&db).await.unwrap();
    assert_eq!(
        rows[0].status,
        MailboxStatus::Error(Some("unreachable".into()))
    );
}

async fn edits_keep_the_secret_when_left_empty(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let renamed = edit(microsoft_fields(), id, 1)
        .set("name", "Info (algemeen)")
        .set("client_secret", "")
        .without("is_active");
    assert_eq!(saved_id(save(&router, &renamed).await), Some(id));

    let (data, _) = form_data(&router, &id.to_string()).await;
    let data = data.unwrap();
    assert_eq!(
        (data.form.name.as_str(), data.version),
        ("Info (algemeen)", 2)
    );
    assert!(!data.form.is_active, "deactivated");
    assert_eq!(stored_secret(&db, id).await, SECRET);
    assert!(!data.reconnect_needed, "nothing Azure changed");
}

async fn changing_azure_settings_needs_a_reconnect(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    // Re-typing the same secret is no change.
    let same = edit(microsoft_fields(), id, 1);
    assert_eq!(saved_id(save(&router, &same).await), Some(id));
    assert!(
        !form_data(&router, &id.to_string())
            .await
            .0
            .unwrap()
            .reconnect_needed
    );

    let new_object = edit(microsoft_fields(), id, 2)
        .set("client_secret", "")
        .set("object_id", OTHER_OBJECT);
    assert_eq!(saved_id(save(&router, &new_object).await), Some(id));
    assert!(
        form_data(&router, &id.to_string())
            .await
            .0
            .unwrap()
            .reconnect_needed
    );
    let rows = list_rows(&db).await.unwrap();
    assert_eq!(rows[0].status, MailboxStatus::ReconnectNeeded);
    let (_, html) = get(&router, "/instellingen/mailboxen").await;
    assert!(html.contains("Opnieuw verbinden nodig"));
    let (_, page) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    assert!(page.contains("data-testid=\"reconnect-needed\""));
}

async fn a_stale_version_is_a_conflict_not_an_overwrite(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let first = edit(microsoft_fields(), id, 1).set("name", "Eerste");
    assert_eq!(saved_id(save(&router, &first).await), Some(id));
    let second = edit(microsoft_fields(), id, 1).set("name", "Tweede");
    assert_eq!(save(&router, &second).await, SaveOutcome::Conflict);
    let model = mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((model.name.as_str(), model.version), ("Eerste", 2));

    let missing = edit(microsoft_fields(), id + 100, 1);
    assert_eq!(save(&router, &missing).await, SaveOutcome::NotFound);
}

async fn imap_smtp_password_is_encrypted_and_kept(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &imap_smtp_fields()).await;
    let model = mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let stored = model.password_encrypted.clone().unwrap();
    assert!(!stored
        .windows(PASSWORD.len())
        .any(|w| w == PASSWORD.as_bytes()));
    let decrypted = test_cipher()
        .decrypt(&stored, SecretColumn::MailboxPassword)
        .unwrap();
    assert_eq!(decrypted.secret.expose_secret(), PASSWORD);
    assert_eq!((model.imap_port, model.smtp_port), (Some(993), Some(587)));
    assert_eq!(model.imap_encryption.as_deref(), Some("ssl"));

    let kept = edit(imap_smtp_fields(), id, 1).set("password", "");
    assert_eq!(saved_id(save(&router, &kept).await), Some(id));
    let model = mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(model.password_encrypted, Some(stored));
    let (data, body) = form_data(&router, &id.to_string()).await;
    assert!(data.unwrap().context.password_stored);
    assert!(!body.contains(PASSWORD));

    // Switching to Microsoft Api drops the IMAP/SMTP settings and the password.
    let switched = edit(microsoft_fields(), id, 2);
    assert_eq!(saved_id(save(&router, &switched).await), Some(id));
    let model = mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((model.imap_host, model.password_encrypted), (None, None));
}

async fn deletes_after_confirmation(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let page = format!("/instellingen/mailboxen/{id}");
    let (_, html) = get(&router, &format!("{page}?verwijderen=1")).await;
    assert!(html.contains("data-testid=\"delete-confirmation\""));
    assert!(html.contains("Ja, verwijderen"));

    let fields = Fields::default().set("id", &id.to_string());
    let answer = post(&router, "delete_mailbox", &fields, Poster::PlainForm, &page).await;
    assert_eq!(answer.status, http::StatusCode::FOUND, "{}", answer.body);
    assert_eq!(
        answer.location.as_deref(),
        Some("/instellingen/mailboxen?verwijderd=1")
    );
    assert!(mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .is_none());
    assert!(settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .is_none());
    let (status, _) = get(&router, &page).await;
    assert_eq!(status, http::StatusCode::NOT_FOUND);
    let (_, list) = get(&router, "/instellingen/mailboxen?verwijderd=1").await;
    assert!(list.contains("De mailbox is verwijderd."));

    let again = post(&router, "delete_mailbox", &fields, Poster::Script, &page).await;
    assert_eq!(again.body, "\"NotFound\"");
}

/// A save is stored with its Wijzigingslog entry or not at all: when the entry cannot be
/// written, the admin gets an error and neither a new mailbox nor an edit is kept.
async fn a_save_without_its_audit_entry_stores_nothing(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &imap_smtp_fields()).await;
    db.execute_unprepared("DROP TABLE audit_log").await.unwrap();

    let renamed = edit(imap_smtp_fields(), id, 1).set("name", "Hernoemd");
    let answer = post(&router, "save_mailbox", &renamed, Poster::Script, "/").await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.body
    );
    let another = imap_smtp_fields()
        .set("name", "Tweede")
        .set("email", "tweede@zonnecoop.nl");
    let answer = post(&router, "save_mailbox", &another, Poster::Script, "/").await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.body
    );

    let rows = mailbox::Entity::find().all(&db).await.unwrap();
    assert_eq!(rows.len(), 1, "no second mailbox");
    assert_eq!(
        (rows[0].name.as_str(), rows[0].version),
        ("Leden", 1),
        "the edit was rolled back"
    );
}

on_every_database!(
    a_save_without_its_audit_entry_stores_nothing,
    creates_and_loads_a_microsoft_mailbox,
    edits_keep_the_secret_when_left_empty,
    changing_azure_settings_needs_a_reconnect,
    a_stale_version_is_a_conflict_not_an_overwrite,
    imap_smtp_password_is_encrypted_and_kept,
    deletes_after_confirmation,
);
