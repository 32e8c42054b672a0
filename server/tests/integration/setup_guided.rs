//! "Microsoft 365 koppelen" (issue 19) without JavaScript: from nothing (an app that exists
//! only in the fake's tenant) through every step's check to a mailbox connected without
//! its password that authenticates with a certificate made here; each refusal and each
//! failed check shown in its step, nothing typed lost, a step that is not open refused,
//! and an unfinished setup listed to resume.

use backend::entities::{
    app_credential as credential, mailbox_microsoft_settings as settings, microsoft_setup,
};
use backend::mail::sync_now;
use fake_microsoft::directory::{ExchangeRoleAssignment, User};
use fake_microsoft::{ApplicationPatch, NewClientCertificate};
use http::StatusCode;
use rules::setup::SETUP_PATH;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::mail_sync::mail;
use crate::on_every_database;
use crate::passwordless::setup;
use crate::support::microsoft::*;
use crate::support::{get, post, Answer, Fields, Poster};

const SHARED: &str = "secretariaat@energiedemo.onmicrosoft.com";
const SHARED_ID: &str = "5c1e0f3a-2d4b-4e6f-8a9b-0c1d2e3f4a5b";

/// A form of the setup's page posted without JavaScript.
async fn submit(router: &axum::Router, function: &str, fields: Fields) -> Answer {
    let answer = post(router, function, &fields, Poster::PlainForm, SETUP_PATH).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{function}: {}",
        answer.body
    );
    answer
}

/// Where the 303 went, and that page.
async fn follow(router: &axum::Router, answer: &Answer) -> (String, String) {
    let location = answer.location.clone().expect("a 303 has a location");
    let (status, body) = get(router, &location).await;
    assert_eq!(status, StatusCode::OK, "{location}");
    (location, body)
}

fn setup_id(location: &str) -> i32 {
    location
        .trim_start_matches(SETUP_PATH)
        .trim_start_matches('/')
        .split(['?', '#'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no setup id in {location}"))
}

/// The step's `<li>` in the page, to the next step.
fn step<'a>(body: &'a str, name: &str) -> &'a str {
    let start = body
        .find(&format!("data-testid=\"step-{name}\""))
        .unwrap_or_else(|| panic!("step {name} not on the page"));
    let rest = &body[start..];
    let end = rest[1..]
        .find("data-testid=\"step-")
        .map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

fn state_of<'a>(body: &'a str, name: &str) -> &'a str {
    let part = step(body, name);
    let start = part.find("data-state=\"").expect("a state") + 12;
    &part[start..start + part[start..].find('"').unwrap()]
}

fn verdict_of<'a>(part: &'a str, check: &str) -> &'a str {
    let start = part
        .find(&format!("data-testid=\"check-{check}\""))
        .unwrap_or_else(|| panic!("no check {check} in {part}"));
    let rest = &part[start..];
    let at = rest.find("data-verdict=\"").unwrap() + 14;
    &rest[at..at + rest[at..].find('"').unwrap()]
}

/// An app that exists only in Azure (the fake's tenant): no credential, no permissions.
fn new_app(fake: &fake_microsoft::FakeMicrosoft) -> Uuid {
    let client = Uuid::new_v4();
    let app = serde_json::from_value(json!({
        "client_id": client,
        "display_name": "CRM mailboxen",
    }))
    .unwrap();
    fake.add_application(DOMAIN, app).unwrap();
    client
}

fn shared_mailbox() -> User {
    serde_json::from_value(json!({
        "object_id": SHARED_ID,
        "user_principal_name": SHARED,
        "display_name": "Secretariaat",
        "password": "niemand-kent-dit",
        "sign_in_blocked": true,
    }))
    .unwrap()
}

async fn from_nothing_to_a_mailbox_connected_with_a_certificate(db: DatabaseConnection) {
    let s = setup(&db).await;
    let router = &s.router;
    let client = new_app(&s.fake);
    s.fake.add_user(DOMAIN, shared_mailbox()).unwrap();
    s.fake
        .add_message(SHARED, mail("Vraag via de koppeling", 4))
        .unwrap();

    // Step 1: nothing typed is refused before Microsoft is asked; a tenant that does not
    // exist is checked and shown, and corrected in the same setup.
    let (_, body) = get(router, SETUP_PATH).await;
    assert!(body.contains("data-testid=\"step-tenant\""), "{body}");
    assert!(body.contains("<label for=\"setup-tenant\">Tenant ID</label>"));
    let refused = submit(
        router,
        "setup_tenant",
        Fields::default().set("tenant_id", "geen tenant"),
    )
    .await;
    let (location, body) = follow(router, &refused).await;
    assert!(location.contains("melding=tenant-ongeldig"), "{location}");
    assert!(body.contains("data-testid=\"setup-refused\""), "{body}");
    assert!(
        body.contains("value=\"geen tenant\""),
        "what was typed is kept: {body}"
    );
    assert_eq!(
        microsoft_setup::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .len(),
        0,
        "nothing stored"
    );

    let answer = submit(
        router,
        "setup_tenant",
        Fields::default().set("tenant_id", "nergens.onmicrosoft.com"),
    )
    .await;
    let (location, body) = follow(router, &answer).await;
    let id = setup_id(&location);
    assert_eq!(state_of(&body, "tenant"), "current");
    assert_eq!(verdict_of(step(&body, "tenant"), "tenant"), "failed");
    assert!(step(&body, "tenant").contains("AADSTS90002"), "{body}");
    // Left and resumed: the start page lists it.
    let (_, start) = get(router, SETUP_PATH).await;
    assert!(
        start.contains(&format!("href=\"{SETUP_PATH}/{id}\"")),
        "{start}"
    );

    let answer = submit(
        router,
        "setup_tenant",
        Fields::default()
            .set("id", &id.to_string())
            .set("tenant_id", DOMAIN),
    )
    .await;
    let (_, body) = follow(router, &answer).await;
    assert_eq!(state_of(&body, "tenant"), "done");
    assert!(
        body.contains(&format!("data-testid=\"setup-tenant-id\">{TENANT}<")),
        "{body}"
    );
    assert_eq!(state_of(&body, "app"), "current");
    assert!(
        body.contains("data-testid=\"value-redirect-uri\""),
        "the exact values to copy: {body}"
    );

    // Step 2: not a GUID (kept in its field), an app the tenant does not have (700016), the app.
    let with_id = || Fields::default().set("id", &id.to_string());
    let answer = submit(
        router,
        "setup_app",
        with_id().set("client_id", "CRM mailboxen"),
    )
    .await;
    let (location, body) = follow(router, &answer).await;
    assert!(
        location.contains("melding=client-id-ongeldig"),
        "{location}"
    );
    assert!(body.contains("value=\"CRM mailboxen\""), "{body}");
    let answer = submit(
        router,
        "setup_app",
        with_id().set("client_id", &Uuid::new_v4().to_string()),
    )
    .await;
    let (_, body) = follow(router, &answer).await;
    assert_eq!(verdict_of(step(&body, "app"), "app"), "failed");
    assert!(step(&body, "app").contains("AADSTS700016"), "{body}");
    let answer = submit(
        router,
        "setup_app",
        with_id().set("client_id", &client.to_string()),
    )
    .await;
    let (_, body) = follow(router, &answer).await;
    assert_eq!(verdict_of(step(&body, "app"), "app"), "passed");
    assert_eq!(state_of(&body, "credential"), "current");
    let registration = microsoft_setup::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .app_registration_id
        .expect("the app registration is made at step 2");
    let made = backend::entities::app_registration::Entity::find_by_id(registration)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        made.display_name,
        format!("CRM mailboxen ({DOMAIN})"),
        "named as in Azure"
    );

    // Step 3: a certificate made here, refused before its upload (700027), accepted after.
    let answer = submit(
        router,
        "make_app_certificate",
        Fields::default()
            .set("registration_id", &registration.to_string())
            .set("terug", &format!("{SETUP_PATH}/{id}")),
    )
    .await;
    let (location, body) = follow(router, &answer).await;
    assert!(
        location.starts_with(&format!("{SETUP_PATH}/{id}?melding=certificaat-gemaakt")),
        "{location}"
    );
    assert!(
        body.contains("data-testid=\"certificate-download\""),
        "{body}"
    );
    let certificate = credential::Entity::find()
        .filter(credential::Column::AppRegistrationId.eq(registration))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let check = || {
        Fields::default()
            .set("id", &certificate.id.to_string())
            .set("terug", &format!("{SETUP_PATH}/{id}"))
    };
    let answer = submit(router, "check_app_credential", check()).await;
    let (location, body) = follow(router, &answer).await;
    assert!(
        location.contains("melding=geweigerd&aadsts=700027"),
        "{location}"
    );
    assert_eq!(state_of(&body, "credential"), "current");
    s.fake
        .add_client_certificate(
            client,
            NewClientCertificate {
                key_id: None,
                certificate_pem: certificate.certificate_pem.clone().unwrap(),
                start_at: None,
                end_at: None,
            },
        )
        .unwrap();
    let answer = submit(router, "check_app_credential", check()).await;
    let (_, body) = follow(router, &answer).await;
    assert_eq!(state_of(&body, "credential"), "done");
    assert!(
        step(&body, "credential").contains("data-accepted=\"true\""),
        "{body}"
    );
    assert_eq!(state_of(&body, "consent"), "current");

    // Step 4: no consent yet (the token has no roles), then granted.
    let answer = submit(router, "setup_consent", with_id()).await;
    let (_, body) = follow(router, &answer).await;
    assert_eq!(verdict_of(step(&body, "consent"), "consent"), "failed");
    assert!(step(&body, "consent").contains("roles: —"), "{body}");
    s.fake
        .update_application(
            client,
            ApplicationPatch {
                application_permissions: Some(vec!["Mail.ReadWrite".into(), "Mail.Send".into()]),
                admin_consent_granted: Some(true),
                ..ApplicationPatch::default()
            },
        )
        .unwrap();
    let answer = submit(router, "setup_consent", with_id()).await;
    let (_, body) = follow(router, &answer).await;
    assert_eq!(verdict_of(step(&body, "consent"), "consent"), "passed");
    assert_eq!(state_of(&body, "scope"), "current");

    // Step 5: a typing error is refused and kept; with the tenant-wide grant every mailbox
    // is reachable, which the check says, with the script limiting the app to the address.
    let typed = format!("{SHARED}\nniet-een-adres");
    let answer = submit(router, "setup_scope", with_id().set("addresses", &typed)).await;
    let (location, body) = follow(router, &answer).await;
    assert!(location.contains("melding=adres-ongeldig"), "{location}");
    assert!(body.contains("niet-een-adres</textarea>"), "{body}");
    let answer = submit(router, "setup_scope", with_id().set("addresses", SHARED)).await;
    let (_, body) = follow(router, &answer).await;
    let scope = step(&body, "scope");
    assert_eq!(verdict_of(scope, "scope"), "warning", "{scope}");
    let principal = s.fake.service_principal_id(client).unwrap();
    assert!(
        scope.contains(&format!(
            "New-ServicePrincipal -AppId &#x27;{client}&#x27; -ObjectId &#x27;{principal}&#x27;"
        )) || scope.contains(&format!(
            "New-ServicePrincipal -AppId '{client}' -ObjectId '{principal}'"
        )),
        "{scope}"
    );

    // The script run: Exchange RBAC for the shared mailbox only, the Entra grant removed.
    // A mailbox outside the scope is then refused and named; the shared one passes.
    s.fake
        .update_application(
            client,
            ApplicationPatch {
                application_permissions: Some(vec![]),
                exchange_role_assignments: Some(vec![
                    ExchangeRoleAssignment {
                        role: "Application Mail.ReadWrite".into(),
                        scope_name: "CRM-mailboxen".into(),
                        mailboxes: vec![SHARED_ID.parse().unwrap()],
                    },
                    ExchangeRoleAssignment {
                        role: "Application Mail.Send".into(),
                        scope_name: "CRM-mailboxen".into(),
                        mailboxes: vec![SHARED_ID.parse().unwrap()],
                    },
                ]),
                ..ApplicationPatch::default()
            },
        )
        .unwrap();
    let both = format!("{SHARED}\n{INFO}");
    let answer = submit(router, "setup_scope", with_id().set("addresses", &both)).await;
    let (_, body) = follow(router, &answer).await;
    let scope = step(&body, "scope");
    assert_eq!(verdict_of(scope, "scope"), "failed", "{scope}");
    assert_eq!(state_of(&body, "scope"), "current");
    assert!(
        scope.contains(&format!("{INFO} — 403 ErrorAccessDenied")),
        "{scope}"
    );
    let answer = submit(router, "setup_scope", with_id().set("addresses", SHARED)).await;
    let (_, body) = follow(router, &answer).await;
    assert_eq!(verdict_of(step(&body, "scope"), "scope"), "passed");
    assert_eq!(state_of(&body, "mailboxes"), "current");

    // Step 6: the mailbox is added without password, with the certificate, and fetches.
    let answer = submit(router, "setup_mailboxes", with_id()).await;
    let (_, body) = follow(router, &answer).await;
    assert!(body.contains("data-testid=\"setup-done\""), "{body}");
    assert!(
        body.contains("data-testid=\"setup-mailbox-link\""),
        "{body}"
    );
    let added = settings::Entity::find()
        .filter(settings::Column::AppRegistrationId.eq(registration))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].app_credential_id, Some(certificate.id));
    assert_eq!(added[0].connection_method, "app_only");
    let report = sync_now(&s.state, added[0].mailbox_id).await.unwrap();
    // The app has no secret in Azure: only the certificate can have fetched this.
    assert_eq!(report.new_messages, 1, "{report:?}");
    // Done: no longer offered to resume; a second "Mailboxen toevoegen" adds nothing.
    let (_, start) = get(router, SETUP_PATH).await;
    assert!(
        !start.contains(&format!("href=\"{SETUP_PATH}/{id}\"")),
        "{start}"
    );
    let answer = submit(router, "setup_mailboxes", with_id()).await;
    let (_, body) = follow(router, &answer).await;
    assert!(body.contains("data-testid=\"setup-done\""), "{body}");
    assert_eq!(settings::Entity::find().all(&db).await.unwrap().len(), 1);
}

async fn a_step_not_open_or_a_setup_that_does_not_exist_changes_nothing(db: DatabaseConnection) {
    let s = setup(&db).await;
    let router = &s.router;
    let answer = submit(
        router,
        "setup_tenant",
        Fields::default().set("tenant_id", DOMAIN),
    )
    .await;
    let id = setup_id(&answer.location.clone().unwrap());
    let with_id = || Fields::default().set("id", &id.to_string());
    for (function, fields) in [
        ("setup_consent", with_id()),
        ("setup_skip_consent", with_id()),
        ("setup_scope", with_id().set("addresses", INFO)),
        ("setup_mailboxes", with_id()),
    ] {
        let answer = submit(router, function, fields).await;
        let location = answer.location.unwrap();
        assert!(
            location.contains("melding=stap-niet-open"),
            "{function}: {location}"
        );
    }
    let row = microsoft_setup::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.addresses, None);
    assert!(
        !row.checks.contains("consent_skipped\":true"),
        "{}",
        row.checks
    );

    let answer = submit(
        router,
        "setup_consent",
        Fields::default().set("id", "999999"),
    )
    .await;
    assert!(answer
        .location
        .unwrap()
        .contains("melding=koppeling-onbekend"));
    let (status, _) = get(router, &format!("{SETUP_PATH}/999999")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(router, &format!("{SETUP_PATH}/niet-een-nummer")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Only a setup's page is returned to from a credential form.
    let answer = submit(
        router,
        "make_app_certificate",
        Fields::default().set("registration_id", "999999").set(
            "terug",
            "https://elders.example/instellingen/microsoft-365-koppelen/1",
        ),
    )
    .await;
    assert!(answer
        .location
        .unwrap()
        .starts_with("/instellingen/app-registraties?"));
}

on_every_database!(
    from_nothing_to_a_mailbox_connected_with_a_certificate,
    a_step_not_open_or_a_setup_that_does_not_exist_changes_nothing,
);
