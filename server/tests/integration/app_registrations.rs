//! App registrations as records (issue 19): a secret typed for many mailboxes is stored
//! once, mailboxes saved before registrations existed are moved onto them at start (each
//! distinct secret kept), and a registration in use is not deleted.

use backend::app_registrations::{self, adopt, Adopted, DeleteOutcome};
use backend::cipher::SecretColumn;
use backend::entities::{
    app_credential as credential, app_registration as registration,
    mailbox_microsoft_settings as settings,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait,
};

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{
    get, post, signed_in_router, stored_client_secret, test_cipher, Fields, Poster,
};
use rules::mailbox_form::{MailboxFormData, SaveOutcome};
use rules::validation::{Field, IssueCode};

const OTHER_SECRET: &str = "Abc8Q~eenAnderGeheimVanDezelfdeApp.0002";
const OTHER_CLIENT: &str = "2b2c3d4e-5f60-7182-93a4-b5c6d7e8f902";

/// Mailbox `n` of the manual's app registration: its own address and Object ID.
fn mailbox_of(n: u8, client: &str, secret: &str) -> Fields {
    microsoft_fields()
        .set("name", &format!("Mailbox {n}"))
        .set("email", &format!("mailbox{n}@zonnecoop.nl"))
        .set(
            "object_id",
            &format!("0f0e0d0c-0b0a-0908-0706-0504030201{n:02x}"),
        )
        .set("client_id", client)
        .set("client_secret", secret)
}

async fn settings_of(db: &DatabaseConnection, id: i32) -> settings::Model {
    settings::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn a_secret_typed_for_many_mailboxes_is_stored_once(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let first = create(&router, &mailbox_of(1, CLIENT, SECRET)).await;
    let second = create(&router, &mailbox_of(2, CLIENT, SECRET)).await;
    assert_eq!(registration::Entity::find().count(&db).await.unwrap(), 1);
    assert_eq!(credential::Entity::find().count(&db).await.unwrap(), 1);
    let (a, b) = (
        settings_of(&db, first).await,
        settings_of(&db, second).await,
    );
    assert_eq!(a.app_registration_id, b.app_registration_id);
    assert_eq!(a.app_credential_id, b.app_credential_id);
    assert!(a.app_credential_id.is_some());
    // The secret lives in the registration's credential, not on the mailbox.
    assert_eq!(a.client_secret_encrypted, None);
    assert_eq!(
        stored_client_secret(&db, &test_cipher(), second)
            .await
            .as_deref(),
        Some(SECRET)
    );

    // Another value for a third mailbox: kept beside the first, and the list says the
    // registration's mailboxes use different secrets.
    let third = create(&router, &mailbox_of(3, CLIENT, OTHER_SECRET)).await;
    assert_eq!(credential::Entity::find().count(&db).await.unwrap(), 2);
    assert_eq!(
        stored_client_secret(&db, &test_cipher(), third)
            .await
            .as_deref(),
        Some(OTHER_SECRET)
    );
    assert_eq!(
        stored_client_secret(&db, &test_cipher(), first)
            .await
            .as_deref(),
        Some(SECRET)
    );
    let listed = app_registrations::list(&db).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].mailboxes.len(), 3);
    assert!(listed[0].secrets_differ());

    // A different client ID is another registration.
    create(&router, &mailbox_of(4, OTHER_CLIENT, SECRET)).await;
    let listed = app_registrations::list(&db).await.unwrap();
    assert_eq!(listed.len(), 2);
    let other = listed
        .iter()
        .find(|r| r.registration.client_id == OTHER_CLIENT)
        .unwrap();
    assert!(!other.secrets_differ());
    assert_eq!(other.credentials.len(), 1);
    assert_eq!(other.credentials[0].hint.as_deref(), Some(&SECRET[..3]));
    assert_eq!(other.credentials[0].expires_at, None);
}

async fn an_empty_secret_field_keeps_the_credential(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &mailbox_of(1, CLIENT, SECRET)).await;
    let before = settings_of(&db, id).await;
    let kept = edit(mailbox_of(1, CLIENT, "").set("name", "Info 2"), id, 1);
    assert!(saved_id(save(&router, &kept).await).is_some());
    let after = settings_of(&db, id).await;
    assert_eq!(after.app_credential_id, before.app_credential_id);
    assert!(
        !after.reconnect_needed,
        "the same secret is no reason to sign in again"
    );
    // Re-typing the same value is no change either; a new value is.
    let retyped = edit(mailbox_of(1, CLIENT, SECRET), id, 2);
    assert!(saved_id(save(&router, &retyped).await).is_some());
    assert!(!settings_of(&db, id).await.reconnect_needed);
    let replaced = edit(mailbox_of(1, CLIENT, OTHER_SECRET), id, 3);
    assert!(saved_id(save(&router, &replaced).await).is_some());
    let replaced = settings_of(&db, id).await;
    assert_ne!(replaced.app_credential_id, before.app_credential_id);
    assert!(replaced.reconnect_needed);

    // Moved to another app: its secret goes along to that registration.
    let moved = edit(mailbox_of(1, OTHER_CLIENT, ""), id, 4);
    assert!(saved_id(save(&router, &moved).await).is_some());
    let moved = settings_of(&db, id).await;
    assert_ne!(moved.app_registration_id, before.app_registration_id);
    assert_eq!(
        stored_client_secret(&db, &test_cipher(), id)
            .await
            .as_deref(),
        Some(OTHER_SECRET)
    );
}

/// Turns mailbox `id` back into a row saved before app registrations existed: its secret on
/// the row itself, no registration.
async fn as_before_registrations(db: &DatabaseConnection, id: i32, secret: &str) {
    let mut row: settings::ActiveModel = settings_of(db, id).await.into();
    row.app_registration_id = Set(None);
    row.app_credential_id = Set(None);
    row.client_secret_encrypted = Set(Some(
        test_cipher()
            .encrypt(secret, SecretColumn::ClientSecret)
            .unwrap(),
    ));
    row.update(db).await.unwrap();
}

async fn mailboxes_from_before_are_grouped_by_tenant_and_client(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let shared_a = create(&router, &mailbox_of(1, CLIENT, SECRET)).await;
    let shared_b = create(&router, &mailbox_of(2, CLIENT, SECRET)).await;
    let differing = create(&router, &mailbox_of(3, CLIENT, SECRET)).await;
    let other_app = create(&router, &mailbox_of(4, OTHER_CLIENT, SECRET)).await;
    as_before_registrations(&db, shared_a, SECRET).await;
    as_before_registrations(&db, shared_b, SECRET).await;
    as_before_registrations(&db, differing, OTHER_SECRET).await;
    as_before_registrations(&db, other_app, SECRET).await;
    credential::Entity::delete_many().exec(&db).await.unwrap();
    registration::Entity::delete_many().exec(&db).await.unwrap();

    // Before adoption each still authenticates with its own secret.
    let cipher = test_cipher();
    assert_eq!(
        stored_client_secret(&db, &cipher, differing)
            .await
            .as_deref(),
        Some(OTHER_SECRET)
    );

    let done = adopt(&db, &cipher).await.unwrap();
    assert_eq!(
        done,
        Adopted {
            mailboxes: 4,
            undecryptable: 0
        }
    );
    let listed = app_registrations::list(&db).await.unwrap();
    assert_eq!(listed.len(), 2, "one per tenant + client ID");
    let manual = listed
        .iter()
        .find(|r| r.registration.client_id == CLIENT)
        .unwrap();
    assert_eq!(manual.mailboxes.len(), 3);
    assert_eq!(manual.credentials.len(), 2, "each distinct secret kept");
    assert!(manual.secrets_differ());
    let shared = settings_of(&db, shared_a).await;
    assert_eq!(
        shared.app_credential_id,
        settings_of(&db, shared_b).await.app_credential_id
    );
    assert_ne!(
        shared.app_credential_id,
        settings_of(&db, differing).await.app_credential_id
    );
    assert_eq!(shared.client_secret_encrypted, None, "moved, not copied");
    for (id, secret) in [
        (shared_a, SECRET),
        (shared_b, SECRET),
        (differing, OTHER_SECRET),
        (other_app, SECRET),
    ] {
        assert_eq!(
            stored_client_secret(&db, &cipher, id).await.as_deref(),
            Some(secret),
            "{id}"
        );
    }
    let other = listed
        .iter()
        .find(|r| r.registration.client_id == OTHER_CLIENT)
        .unwrap();
    assert!(!other.secrets_differ());

    // Once is enough: a second start finds nothing to do.
    assert_eq!(adopt(&db, &cipher).await.unwrap(), Adopted::default());
    assert_eq!(credential::Entity::find().count(&db).await.unwrap(), 3);
}

async fn a_secret_no_key_opens_is_left_where_it_is(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &mailbox_of(1, CLIENT, SECRET)).await;
    as_before_registrations(&db, id, SECRET).await;
    let other_key = backend::cipher::EncryptionKey::from_bytes([3; 32]);
    let wrong = backend::cipher::Cipher::new(&other_key, None);
    let done = adopt(&db, &wrong).await.unwrap();
    assert_eq!(
        done,
        Adopted {
            mailboxes: 0,
            undecryptable: 1
        }
    );
    let row = settings_of(&db, id).await;
    assert_eq!(row.app_registration_id, None);
    assert!(row.client_secret_encrypted.is_some(), "nothing lost");
}

async fn a_registration_in_use_is_not_deleted(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let first = create(&router, &mailbox_of(1, CLIENT, SECRET)).await;
    create(&router, &mailbox_of(2, CLIENT, SECRET)).await;
    let id = settings_of(&db, first).await.app_registration_id.unwrap();
    assert_eq!(
        app_registrations::delete(&db, id).await.unwrap(),
        DeleteOutcome::InUse(vec!["Mailbox 1".to_string(), "Mailbox 2".to_string()])
    );
    assert_eq!(
        credential::Entity::find().count(&db).await.unwrap(),
        1,
        "nothing deleted"
    );
    settings::Entity::delete_many().exec(&db).await.unwrap();
    assert_eq!(
        app_registrations::delete(&db, id).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(credential::Entity::find().count(&db).await.unwrap(), 0);
    assert_eq!(
        app_registrations::delete(&db, id).await.unwrap(),
        DeleteOutcome::NotFound
    );
}

async fn a_new_mailbox_of_a_registration_needs_no_secret(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let first = create(&router, &mailbox_of(1, CLIENT, SECRET)).await;
    let registration = settings_of(&db, first).await.app_registration_id.unwrap();

    // The page of a new mailbox of that registration: its IDs filled in, the secret optional.
    let fields = Fields::default()
        .set("segment", "nieuw")
        .set("registration", &registration.to_string());
    let answer = post(&router, "get_mailbox_form", &fields, Poster::Script, "/").await;
    let data: Option<MailboxFormData> = serde_json::from_str(&answer.body).unwrap();
    let data = data.unwrap();
    assert_eq!(
        (data.form.client_id.as_str(), data.form.tenant_id.as_str()),
        (CLIENT, TENANT)
    );
    assert!(data.context.registration_secret);
    assert!(!data.context.secret_stored);
    assert_eq!(data.client_secret_hint.as_deref(), Some(&SECRET[..3]));
    assert!(!answer.body.contains(SECRET));
    let (status, page) = get(
        &router,
        &format!("/instellingen/mailboxen/nieuw?registratie={registration}"),
    )
    .await;
    assert_eq!(status, http::StatusCode::OK);
    assert!(page.contains(CLIENT) && page.contains(TENANT));

    // Saved with the field empty: it uses the registration's secret, stored once.
    let second = create(&router, &mailbox_of(2, CLIENT, "")).await;
    assert_eq!(
        settings_of(&db, second).await.app_credential_id,
        settings_of(&db, first).await.app_credential_id
    );
    assert_eq!(credential::Entity::find().count(&db).await.unwrap(), 1);
    assert_eq!(
        stored_client_secret(&db, &test_cipher(), second)
            .await
            .as_deref(),
        Some(SECRET)
    );

    // The IDs of an app without a secret here and an empty field: refused at the field.
    match save(&router, &mailbox_of(3, OTHER_CLIENT, "")).await {
        SaveOutcome::Invalid { issues } => assert!(
            issues
                .iter()
                .any(|i| i.code == IssueCode::Required(Field::ClientSecret)),
            "{issues:?}"
        ),
        other => panic!("saved without a secret: {other:?}"),
    }
    assert_eq!(registration::Entity::find().count(&db).await.unwrap(), 1);
}

on_every_database!(
    a_new_mailbox_of_a_registration_needs_no_secret,
    a_secret_typed_for_many_mailboxes_is_stored_once,
    an_empty_secret_field_keeps_the_credential,
    mailboxes_from_before_are_grouped_by_tenant_and_client,
    a_secret_no_key_opens_is_left_where_it_is,
    a_registration_in_use_is_not_deleted,
);
