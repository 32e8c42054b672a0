//! "Automatisch" (issue 18): a new Microsoft Api mailbox is connected without its password
//! when the save's preflight reads it with the app's own token, and signs in as the mailbox
//! otherwise; an explicit choice is kept, and an existing mailbox keeps its method. The
//! mailbox page says which method was chosen and why. And the mailbox page of a mailbox
//! whose sign-in never came back (or never started) offers the switch with the advice about
//! blocked sign-in.

use std::time::Duration;

use backend::entities::{
    audit_log, connection_attempt as attempt, mailbox_microsoft_settings as settings,
};
use fake_microsoft::{ApplicationPatch, FakeMicrosoft};
use http::StatusCode;
use rules::mailbox_form::SaveOutcome;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{get, post, Fields, Poster};

/// Saves a new mailbox through the form's server function (as the hydrated page does).
async fn save(router: &axum::Router, fields: &Fields) -> (i32, Option<String>) {
    let answer = post(router, "save_mailbox", fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    match serde_json::from_str(&answer.body).expect("a SaveOutcome") {
        SaveOutcome::Saved { id, connect_url } => (id, connect_url),
        other => panic!("not saved: {other:?}"),
    }
}

async fn settings_of(db: &DatabaseConnection, id: i32) -> settings::Model {
    settings::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .expect("settings stored")
}

async fn attempt_kinds(db: &DatabaseConnection, id: i32) -> Vec<String> {
    attempt::Entity::find()
        .filter(attempt::Column::MailboxId.eq(id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.kind)
        .collect()
}

/// The app without any mail permission: no Entra grant, no Exchange role.
fn app_without_mail_access(fake: &FakeMicrosoft) {
    fake.update_application(
        Uuid::parse_str(CLIENT_ID).unwrap(),
        ApplicationPatch {
            application_permissions: Some(Vec::new()),
            exchange_role_assignments: Some(Vec::new()),
            ..ApplicationPatch::default()
        },
    )
    .unwrap();
}

async fn automatic_connects_without_password_when_the_app_reads_the_mailbox(
    db: DatabaseConnection,
) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    // "Automatisch" as the new-mailbox form sends it, and a form without the choice.
    for (email, method) in [(INFO, Some("auto")), (LEDEN, None)] {
        let mut fields = demo_fields(email, "");
        fields = match method {
            Some(method) => fields.set("connection_method", method),
            None => fields.without("connection_method"),
        };
        let (id, connect_url) = save(&router, &fields).await;
        assert_eq!(connect_url, None, "nobody is sent to Microsoft");
        let stored = settings_of(&db, id).await;
        assert_eq!(stored.connection_method, "app_only");
        assert_eq!(
            stored.connection_method_reason.as_deref(),
            Some("auto_app_only")
        );
        assert_eq!(attempt_kinds(&db, id).await, ["preflight"], "no sign-in");
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::MailboxId.eq(id))
            .filter(audit_log::Column::Fields.eq("connection_method"))
            .all(&db)
            .await
            .unwrap();
        assert_eq!(audited.len(), 1, "the choice is in the Wijzigingslog");
        let (status, html) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("data-reason=\"auto_app_only\""), "{html}");
        assert!(html.contains("automatisch gekozen: de test van de app-registratie kon deze mailbox met de eigen toestemming van de app lezen"));
        assert!(
            html.contains("connection-method-name\">Zonder wachtwoord (toepassingsmachtigingen)<")
        );
    }
}

async fn automatic_signs_in_when_the_app_cannot_read_the_mailbox(db: DatabaseConnection) {
    let fake = fake().await;
    app_without_mail_access(&fake);
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let fields = demo_fields(INFO, INFO_ID).set("connection_method", "auto");
    let (id, connect_url) = save(&router, &fields).await;
    // The same test stops the sign-in too (the app's permissions are missing): the page
    // shows it, with "Toch doorgaan".
    assert_eq!(connect_url, None);
    let stored = settings_of(&db, id).await;
    assert_eq!(stored.connection_method, "delegated");
    assert_eq!(
        stored.connection_method_reason.as_deref(),
        Some("auto_delegated")
    );
    let (_, html) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    assert!(html.contains("data-reason=\"auto_delegated\""), "{html}");
    assert!(html.contains("connection-method-name\">Inloggen als de mailbox<"));
    assert!(html.contains("data-testid=\"continue-anyway\""));
}

async fn an_explicit_choice_and_an_existing_method_are_kept(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    // Signing in, chosen although the app could read the mailbox itself.
    let (id, connect_url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    assert!(
        connect_url.contains("/oauth2/v2.0/authorize?"),
        "{connect_url}"
    );
    let stored = settings_of(&db, id).await;
    assert_eq!(stored.connection_method, "delegated");
    assert_eq!(stored.connection_method_reason, None);
    let (_, html) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    assert!(html.contains("data-reason=\"chosen\""), "{html}");
    assert!(html.contains("gekozen door een beheerder"));

    // Saved again with "Automatisch" (the form of an existing mailbox does not offer it):
    // it keeps its method.
    let version = backend::entities::mailbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .version;
    let fields = demo_fields(INFO, INFO_ID)
        .set("id", &id.to_string())
        .set("version", &version.to_string())
        .set("connection_method", "auto")
        .set("client_secret", "");
    let answer = post(&router, "save_mailbox", &fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let stored = settings_of(&db, id).await;
    assert_eq!(stored.connection_method, "delegated");
    assert_eq!(stored.connection_method_reason, None);
    // The form of a stored mailbox offers no "Automatisch".
    assert!(!html.contains("data-testid=\"method-auto\""));
    let (_, new_form) = get(&router, "/instellingen/mailboxen/nieuw").await;
    assert!(
        new_form.contains("data-testid=\"method-auto\""),
        "{new_form}"
    );
}

async fn a_sign_in_that_never_came_back_offers_the_switch_with_blocked_sign_in(
    db: DatabaseConnection,
) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    // Sent to Microsoft, never back (as with AADSTS50057 on Microsoft's own page).
    let (id, _) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let page = format!("/instellingen/mailboxen/{id}");
    let (_, html) = get(&router, &page).await;
    assert!(html.contains("data-outcome=\"not_returned\""), "{html}");
    assert!(
        html.contains("data-testid=\"blocked-sign-in-advice\""),
        "{html}"
    );
    assert!(html.contains("AADSTS50057"));
    assert!(html.contains("gedeelde mailbox"));
    assert!(html.contains("data-testid=\"switch-app-only\""));
    // Never started: no attempt at all.
    attempt::Entity::delete_many()
        .filter(attempt::Column::MailboxId.eq(id))
        .exec(&db)
        .await
        .unwrap();
    let (_, html) = get(&router, &page).await;
    assert!(
        html.contains("data-testid=\"blocked-sign-in-advice\""),
        "{html}"
    );
    // One step: switched, and the advice is gone.
    let fields = Fields::default()
        .set("id", &id.to_string())
        .set("method", "app_only");
    let answer = post(
        &router,
        "switch_connection_method",
        &fields,
        Poster::PlainForm,
        &page,
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(settings_of(&db, id).await.connection_method, "app_only");
    let (_, html) = get(&router, &page).await;
    assert!(!html.contains("data-testid=\"blocked-sign-in-advice\""));
    assert!(html.contains("data-reason=\"chosen\""));
}

on_every_database!(
    automatic_connects_without_password_when_the_app_reads_the_mailbox,
    automatic_signs_in_when_the_app_cannot_read_the_mailbox,
    an_explicit_choice_and_an_existing_method_are_kept,
    a_sign_in_that_never_came_back_offers_the_switch_with_blocked_sign_in,
);
