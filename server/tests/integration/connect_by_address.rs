//! Signing in as a mailbox saved without its Object ID (issue 18): the account is checked
//! against the mailbox's address, and the `oid` Microsoft returns becomes its Object ID in
//! the transaction that stores the tokens. Another account is refused (`wrong_address`,
//! CB13) and nothing is stored. With an Object ID, nothing changes.

use std::time::Duration;

use backend::entities::{audit_log, mailbox, mailbox_microsoft_settings as settings};
use http::StatusCode;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{get, post, Fields, Poster};

/// "Verbinden" on the mailbox page (a plain form): where the browser is sent.
async fn start_sign_in(router: &axum::Router, id: i32) -> String {
    let fields = Fields::default()
        .set("id", &id.to_string())
        .set("prompt", "login");
    let page = format!("/instellingen/mailboxen/{id}");
    let answer = post(
        router,
        "start_microsoft_login",
        &fields,
        Poster::PlainForm,
        &page,
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    answer.location.expect("sent to Microsoft")
}

async fn object_id_of(db: &DatabaseConnection, id: i32) -> String {
    settings::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .expect("settings stored")
        .object_id
}

async fn version_of(db: &DatabaseConnection, id: i32) -> i32 {
    mailbox::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .expect("mailbox stored")
        .version
}

/// The fields of the `connected` audit entries of mailbox `id`.
async fn connected_audit(db: &DatabaseConnection, id: i32) -> Vec<String> {
    audit_log::Entity::find()
        .filter(audit_log::Column::MailboxId.eq(id))
        .filter(audit_log::Column::Action.eq("connected"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.fields)
        .collect()
}

async fn signing_in_without_object_id_stores_the_oid(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, "")).await;
    assert_eq!(
        object_id_of(&db, id).await,
        "",
        "saved without an Object ID"
    );
    let version = version_of(&db, id).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        object_id_of(&db, id).await,
        INFO_ID,
        "the oid Microsoft returned"
    );
    assert_eq!(
        version_of(&db, id).await,
        version + 1,
        "a form opened before cannot clear it unnoticed"
    );
    let tokens = tokens_of(&db, id).await.expect("tokens stored");
    assert_eq!(tokens.signed_in_oid, INFO_ID);
    assert_eq!(last_attempt(&db).await.outcome, "success");
    assert_eq!(connected_audit(&db, id).await, ["object_id"]);
    // The page shows it connected, with the Object ID in the form.
    let (status, html) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("status status--ok\">Verbonden<"), "{html}");
    assert!(html.contains(INFO_ID));
    // A second sign-in now checks the stored Object ID, as for any mailbox.
    let url = start_sign_in(&router, id).await;
    let back = signed_in_as(&url, LEDEN, LEDEN_PASSWORD).await;
    refused_at_callback(&router, &back, "CB10").await;
    assert_eq!(last_attempt(&db).await.outcome, "wrong_account");
}

async fn another_account_is_refused_by_address_and_nothing_stored(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, "")).await;
    let version = version_of(&db, id).await;
    let back = signed_in_as(&url, LEDEN, LEDEN_PASSWORD).await;
    let answer = refused_at_callback(&router, &back, "CB13").await;
    assert!(answer.body.contains("data-testid=\"wrong-address\""));
    assert!(
        answer.body.contains(LEDEN) && answer.body.contains(INFO),
        "both accounts named: {}",
        answer.body
    );
    assert!(answer.body.contains("data-testid=\"callback-advice\""));
    assert!(answer.body.contains("name=\"prompt\" value=\"login\""));
    assert!(tokens_of(&db, id).await.is_none(), "no tokens stored");
    assert_eq!(object_id_of(&db, id).await, "", "no Object ID stored");
    assert_eq!(version_of(&db, id).await, version);
    assert!(connected_audit(&db, id).await.is_empty());
    let attempt = last_attempt(&db).await;
    assert_eq!(attempt.outcome, "wrong_address");
    assert_eq!(attempt.signed_in_upn.as_deref(), Some(LEDEN));
    assert_eq!(attempt.signed_in_oid.as_deref(), Some(LEDEN_ID));
    // In the mailbox's history and on its page, with the advice.
    let (_, html) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    assert!(html.contains("data-outcome=\"wrong_address\""), "{html}");
    assert!(html.contains("Zonder Object ID herkent de app de mailbox aan dat adres"));
    assert!(html.contains(LEDEN));
    // The right account still connects afterwards.
    let url = start_sign_in(&router, id).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    assert_eq!(callback(&router, &back).await.status, StatusCode::SEE_OTHER);
    assert_eq!(object_id_of(&db, id).await, INFO_ID);
}

async fn with_an_object_id_nothing_changes(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let version = version_of(&db, id).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    assert_eq!(callback(&router, &back).await.status, StatusCode::SEE_OTHER);
    assert_eq!(object_id_of(&db, id).await, INFO_ID);
    assert_eq!(version_of(&db, id).await, version, "nothing learned");
    assert_eq!(connected_audit(&db, id).await, [""]);
    // Another account with the mailbox's Object ID set: the Object ID decides (CB10).
    let (other, url) = save_new(&router, &demo_fields(LEDEN, LEDEN_ID)).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    refused_at_callback(&router, &back, "CB10").await;
    assert_eq!(last_attempt(&db).await.outcome, "wrong_account");
    assert!(tokens_of(&db, other).await.is_none());
    assert_eq!(object_id_of(&db, other).await, LEDEN_ID);
}

on_every_database!(
    signing_in_without_object_id_stores_the_oid,
    another_account_is_refused_by_address_and_nothing_stored,
    with_an_object_id_nothing_changes,
);
