//! Mailboxes connected without their passwords (issue 18), on every database, against the
//! fake Microsoft: a shared mailbox with sign-in blocked fetched with the app's own token,
//! the three outcomes of the scope check, a secret replaced while a token is cached, the
//! refusals named in the history, and a method switch that keeps history and mail.

use std::sync::Arc;
use std::time::Duration;

use backend::connect::connection_view;
use backend::entities::{audit_log, mailbox_microsoft_settings as settings};
use backend::mail::{sync_now, MailSettings, RecordedPause, SyncError};
use backend::AppState;
use chrono::{TimeZone, Utc};
use fake_microsoft::directory::{ExchangeRoleAssignment, User};
use fake_microsoft::{ApplicationPatch, FakeMicrosoft, SignInBrowser};
use http::StatusCode;
use rules::advice::Advice;
use rules::passwordless::{AppPermission, ConnectionMethod};
use rules::preflight::{Check, PreflightReport, Verdict};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::mail_sync::{mail, stored};
use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{post, replace_client_secret, Fields, Poster};

const SHARED: &str = "secretariaat@energiedemo.onmicrosoft.com";
const SHARED_ID: &str = "5c7a1e32-9d0b-4f6e-8a41-2b3c4d5e6f70";

fn client_id() -> Uuid {
    Uuid::parse_str(CLIENT_ID).unwrap()
}

/// A shared mailbox whose account has sign-in blocked, as Microsoft advises.
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

/// The app scoped as the issue asks: no tenant-wide Entra mail grant, Exchange RBAC roles on
/// `mailboxes` only.
fn scope_app_to(fake: &FakeMicrosoft, mailboxes: &[&str]) {
    let mailboxes: Vec<Uuid> = mailboxes
        .iter()
        .map(|m| Uuid::parse_str(m).unwrap())
        .collect();
    let assignment = |role: &str| ExchangeRoleAssignment {
        role: role.into(),
        scope_name: "CRM-mailboxen".into(),
        mailboxes: mailboxes.clone(),
    };
    fake.update_application(
        client_id(),
        ApplicationPatch {
            application_permissions: Some(Vec::new()),
            exchange_role_assignments: Some(vec![
                assignment("Application Mail.ReadWrite"),
                assignment("Application Mail.Send"),
            ]),
            ..ApplicationPatch::default()
        },
    )
    .unwrap();
}

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

/// Saves an app-only mailbox for `email` (Object ID `object_id`, may be empty) through the
/// form's server function: saved, and nobody is sent to Microsoft.
pub(crate) async fn save_app_only(router: &axum::Router, email: &str, object_id: &str) -> i32 {
    let fields = demo_fields(email, object_id).set("connection_method", "app_only");
    let answer = post(router, "save_mailbox", &fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let outcome: rules::mailbox_form::SaveOutcome = serde_json::from_str(&answer.body).unwrap();
    match outcome {
        rules::mailbox_form::SaveOutcome::Saved {
            id,
            connect_url: None,
        } => id,
        other => panic!("not saved without a sign-in: {other:?}"),
    }
}

pub(crate) struct Setup {
    pub(crate) fake: FakeMicrosoft,
    pub(crate) state: AppState,
    pub(crate) router: axum::Router,
}

pub(crate) async fn setup(db: &DatabaseConnection) -> Setup {
    let fake = fake().await;
    let state = with_mail_settings(state_with(db.clone(), &fake, Duration::from_secs(2)));
    let router = router_of(state.clone()).await;
    Setup {
        fake,
        state,
        router,
    }
}

async fn preflight(state: &AppState, id: i32) -> PreflightReport {
    backend::preflight::run_preflight(state, id, None, Utc::now())
        .await
        .unwrap()
}

fn row(report: &PreflightReport, check: Check) -> &rules::preflight::CheckResult {
    report.results.iter().find(|r| r.check == check).unwrap()
}

async fn a_shared_mailbox_with_sign_in_blocked_is_fetched_without_its_password(
    db: DatabaseConnection,
) {
    let s = setup(&db).await;
    s.fake.add_user(DOMAIN, shared_mailbox()).unwrap();
    s.fake
        .add_message(SHARED, mail("Vraag aan het secretariaat", 5))
        .unwrap();
    s.fake
        .add_message(SHARED, mail("Nog een vraag", 6))
        .unwrap();
    scope_app_to(&s.fake, &[SHARED_ID]);
    // Microsoft's own sign-in page refuses the account: the delegated flow cannot work.
    let mut browser = SignInBrowser::new().unwrap();
    let authorize = format!(
        "{}/{TENANT}/oauth2/v2.0/authorize?client_id={CLIENT_ID}&response_type=code&redirect_uri={}&scope=openid%20profile%20offline_access%20https%3A%2F%2Fgraph.microsoft.com%2FMail.ReadWrite&state=s",
        s.fake.base_url(),
        "http%3A%2F%2F127.0.0.1%3A3000%2Fapi%2Foauth%2Fms-azure%2Fcallback"
    );
    let step = browser
        .sign_in(
            &authorize,
            SHARED,
            "niemand-kent-dit",
            fake_microsoft::ConsentChoice::Accept,
        )
        .await
        .unwrap();
    match step {
        fake_microsoft::SignInStep::Page(page) => assert_eq!(page.error_code(), Some(50057)),
        other => panic!("a blocked account got through: {other:?}"),
    }
    s.fake.clear_records();

    // Only its address: no Object ID, no password, no sign-in.
    let id = save_app_only(&s.router, SHARED, "").await;
    let report = sync_now(&s.state, id).await.unwrap();
    assert_eq!(report.new_messages, 2);
    let subjects: Vec<String> = stored(&db).await.into_iter().map(|m| m.subject).collect();
    assert!(
        subjects.contains(&"Vraag aan het secretariaat".to_string()),
        "{subjects:?}"
    );
    assert_eq!(s.fake.token_request_count("client_credentials"), 1);
    assert_eq!(s.fake.token_request_count("authorization_code"), 0);
    assert_eq!(s.fake.token_request_count("refresh_token"), 0);
    // Addressed by its address, which Graph takes as the user principal name.
    assert!(s
        .fake
        .graph_requests()
        .iter()
        .all(|r| r.path.contains("secretariaat%40") || r.path.contains("secretariaat@")));

    let view = connection_view(&db, id, Utc::now()).await.unwrap();
    assert!(view.connected);
    assert_eq!(view.method, ConnectionMethod::AppOnly);
    let list = backend::mailboxes::list(&db).await.unwrap();
    let listed = list.rows.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        listed.status.text(rules::i18n::Lang::Nl),
        "Verbonden (zonder wachtwoord)"
    );
    // The scope check: limited to designated mailboxes, and shown as the permission in use.
    let report = preflight(&s.state, id).await;
    assert_eq!(row(&report, Check::Mailbox).verdict, Verdict::Passed);
    assert_eq!(row(&report, Check::Scope).verdict, Verdict::Passed);
    let view = connection_view(&db, id, Utc::now()).await.unwrap();
    assert_eq!(view.permission, Some(AppPermission::Scoped));
}

async fn the_scope_check_warns_passes_or_names_the_mailbox_outside(db: DatabaseConnection) {
    let s = setup(&db).await;
    let id = save_app_only(&s.router, INFO, INFO_ID).await;
    let service_principal = s.fake.service_principal_id(client_id()).unwrap();

    // The demo app holds tenant-wide Entra grants: a warning with the script filled in.
    let report = preflight(&s.state, id).await;
    assert!(
        report.passed(),
        "a warning does not fail the test: {report:#?}"
    );
    let scope = row(&report, Check::Scope);
    assert_eq!(scope.verdict, Verdict::Warning);
    assert_eq!(scope.advice, Some(Advice::AppOnlyTenantWide));
    let script = scope.script.as_deref().unwrap();
    assert!(
        script.contains(&format!(
            "New-ServicePrincipal -AppId '{CLIENT_ID}' -ObjectId '{service_principal}'"
        )),
        "{script}"
    );
    assert!(
        script.contains(&format!("PrimarySmtpAddress -eq '{INFO}'")),
        "{script}"
    );
    assert!(
        script.contains("New-ManagementRoleAssignment -App"),
        "{script}"
    );
    assert!(
        script.contains("Mail.Read, Mail.ReadWrite, Mail.Send"),
        "{script}"
    );

    // Scoped to info@: limited to designated mailboxes.
    scope_app_to(&s.fake, &[INFO_ID]);
    let report = preflight(&s.state, id).await;
    assert_eq!(row(&report, Check::Scope).verdict, Verdict::Passed);
    assert!(report.passed());

    // Scoped to another mailbox: Graph's 403, named as outside the scope.
    scope_app_to(&s.fake, &[LEDEN_ID]);
    let report = preflight(&s.state, id).await;
    let mailbox = row(&report, Check::Mailbox);
    assert_eq!(mailbox.verdict, Verdict::Failed);
    assert_eq!(mailbox.error.as_deref(), Some("ErrorAccessDenied"));
    assert_eq!(mailbox.advice, Some(Advice::AppOnlyOutsideScope));
    assert!(mailbox.trace_id.is_some(), "Graph's request id");
    let scope = row(&report, Check::Scope);
    assert_eq!(scope.verdict, Verdict::Failed);
    assert!(scope
        .script
        .as_deref()
        .unwrap()
        .contains("Set-ManagementScope"));

    // The sync names it too, with Graph's code and request id, in the history.
    let error = sync_now(&s.state, id).await.unwrap_err();
    assert!(
        matches!(error, SyncError::AppOnlyRefused { .. }),
        "{error:?}"
    );
    let history = backend::flows::connect::history(&s.state, id)
        .await
        .unwrap();
    let latest = &history[0];
    assert_eq!(latest.kind, "mail_sync");
    assert_eq!(latest.outcome, "outside_scope");
    assert_eq!(latest.error.as_deref(), Some("ErrorAccessDenied"));
    assert!(latest.trace_id.is_some());
    assert_eq!(latest.advice, Some(Advice::AppOnlyOutsideScope));
}

async fn a_mailbox_not_found_by_its_address_asks_for_the_object_id(db: DatabaseConnection) {
    let s = setup(&db).await;
    // An alias: a primary SMTP address that is not the user principal name.
    s.fake
        .update_user(
            INFO,
            fake_microsoft::UserPatch {
                mail: Some(Some("contact@energiedemo.nl".into())),
                ..fake_microsoft::UserPatch::default()
            },
        )
        .unwrap();
    let id = save_app_only(&s.router, "contact@energiedemo.nl", "").await;
    let error = sync_now(&s.state, id).await.unwrap_err();
    assert!(
        matches!(error, SyncError::AppOnlyRefused { .. }),
        "{error:?}"
    );
    let history = backend::flows::connect::history(&s.state, id)
        .await
        .unwrap();
    assert_eq!(history[0].outcome, "not_found_by_address");
    assert_eq!(history[0].error.as_deref(), Some("ErrorInvalidUser"));
    assert_eq!(history[0].advice, Some(Advice::AppOnlyNotFoundByAddress));
    let list = backend::mailboxes::list(&db).await.unwrap();
    let listed = list.rows.iter().find(|r| r.id == id).unwrap();
    assert!(
        listed.status.needs_attention(),
        "never a silent Niet verbonden"
    );
}

async fn a_replaced_secret_takes_effect_while_a_token_is_cached(db: DatabaseConnection) {
    let s = setup(&db).await;
    let id = save_app_only(&s.router, INFO, INFO_ID).await;
    s.fake.add_message(INFO, mail("Eerste", 2)).unwrap();
    sync_now(&s.state, id).await.unwrap();
    assert_eq!(s.fake.token_request_count("client_credentials"), 1);
    sync_now(&s.state, id).await.unwrap();
    assert_eq!(
        s.fake.token_request_count("client_credentials"),
        1,
        "the token is cached"
    );

    // A wrong secret is stored (the old one revoked): the next sync asks Microsoft with it
    // at once instead of going on with the token of the old secret.
    let store_secret = |value: &'static str| {
        let state = s.state.clone();
        async move { replace_client_secret(&state.db, &state.cipher, id, value).await }
    };
    store_secret("abc8Q~dit-is-niet-het-geheim-van-de-app00").await;
    let error = sync_now(&s.state, id).await.unwrap_err();
    assert_eq!(error.code(), "AADSTS7000215", "{error:?}");
    let history = backend::flows::connect::history(&s.state, id)
        .await
        .unwrap();
    assert_eq!(history[0].outcome, "app_token_refused");
    assert_eq!(history[0].aadsts, Some(7000215));
    assert!(history[0].trace_id.is_some());
    assert_eq!(history[0].advice, Some(Advice::SecretWrong));

    // The right one again: fetched anew and fetching works.
    store_secret(SECRET).await;
    sync_now(&s.state, id).await.unwrap();
}

async fn switching_the_method_keeps_history_mail_and_is_audited(db: DatabaseConnection) {
    let (fake, state, id) = connected_info(&db).await;
    let state = with_mail_settings(state);
    let router = router_of(state.clone()).await;
    fake.add_message(INFO, mail("Voor de overstap", 3)).unwrap();
    sync_now(&state, id).await.unwrap();
    let mail_before = stored(&db).await.len();
    assert!(mail_before >= 1);
    let history_before = backend::flows::connect::history(&state, id)
        .await
        .unwrap()
        .len();

    let fields = Fields::default()
        .set("id", &id.to_string())
        .set("method", "app_only");
    let answer = post(
        &router,
        "switch_connection_method",
        &fields,
        Poster::Script,
        "/",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    let switched = settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(switched.connection_method, "app_only");
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::MailboxId.eq(id))
        .filter(audit_log::Column::Fields.eq("connection_method"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(stored(&db).await.len(), mail_before, "fetched mail kept");
    let history = backend::flows::connect::history(&state, id).await.unwrap();
    assert!(history.len() >= history_before, "history kept");

    // Fetching goes on where it was, with the app's token: no message twice.
    fake.add_message(INFO, mail("Na de overstap", 4)).unwrap();
    let report = sync_now(&state, id).await.unwrap();
    assert_eq!(report.new_messages, 1);
    assert_eq!(stored(&db).await.len(), mail_before + 1);

    // And back: the stored sign-in is still there.
    let fields = Fields::default()
        .set("id", &id.to_string())
        .set("method", "delegated");
    post(
        &router,
        "switch_connection_method",
        &fields,
        Poster::Script,
        "/",
    )
    .await;
    let view = connection_view(&db, id, Utc::now()).await.unwrap();
    assert_eq!(view.method, ConnectionMethod::Delegated);
    assert!(view.connected);
}

/// A certificate the server generated for the app registration, stored with its private key
/// encrypted, authenticates the app's own token once the mailbox uses it: refused by name
/// until it is uploaded in Azure, then the mailbox fetches with it.
async fn a_stored_certificate_authenticates_the_app(db: DatabaseConnection) {
    let s = setup(&db).await;
    let id = save_app_only(&s.router, INFO, INFO_ID).await;
    s.fake.add_message(INFO, mail("Eerste", 2)).unwrap();
    sync_now(&s.state, id).await.unwrap();

    let stored = settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let registration = stored.app_registration_id.unwrap();
    let (credential_id, certificate) = backend::app_registrations::add_certificate(
        &db,
        &s.state.cipher,
        registration,
        "Mailboxen test",
        chrono::Duration::days(365),
        Utc::now(),
    )
    .await
    .unwrap();
    let mut row: settings::ActiveModel = stored.into();
    row.app_credential_id = sea_orm::Set(Some(credential_id));
    sea_orm::ActiveModelTrait::update(row, &db).await.unwrap();

    // Not uploaded in Azure yet: Microsoft does not know the key.
    let error = sync_now(&s.state, id).await.unwrap_err();
    assert_eq!(error.code(), "AADSTS700027", "{error:?}");
    let history = backend::flows::connect::history(&s.state, id)
        .await
        .unwrap();
    assert_eq!(history[0].advice, Some(Advice::CertificateNotAccepted));

    s.fake
        .add_client_certificate(
            client_id(),
            fake_microsoft::NewClientCertificate {
                certificate_pem: certificate.certificate_pem().to_string(),
                ..fake_microsoft::NewClientCertificate::default()
            },
        )
        .unwrap();
    s.fake.add_message(INFO, mail("Tweede", 1)).unwrap();
    let report = sync_now(&s.state, id).await.unwrap();
    assert!(report.new_messages >= 1, "{report:?}");

    // The page shows both: the certificate by thumbprint with its end, the secret unused.
    let clock = rules::time::Clock {
        zone: rules::time::DEFAULT_ZONE,
        now: Utc::now(),
    };
    let listed = backend::flows::app_registrations::list(&db, clock, rules::i18n::Lang::Nl)
        .await
        .unwrap();
    let credentials = &listed[0].credentials;
    assert_eq!(credentials.len(), 2);
    let cert = credentials.iter().find(|c| c.certificate).unwrap();
    assert_eq!(cert.label, certificate.sha1_thumbprint());
    assert_eq!(cert.mailboxes, 1);
    assert_eq!(cert.expiry, rules::app_registrations::Expiry::Valid);
    assert!(cert.expires.is_some());
    let secret = credentials.iter().find(|c| !c.certificate).unwrap();
    assert_eq!(secret.mailboxes, 0);
}

on_every_database!(
    a_stored_certificate_authenticates_the_app,
    a_shared_mailbox_with_sign_in_blocked_is_fetched_without_its_password,
    the_scope_check_warns_passes_or_names_the_mailbox_outside,
    a_mailbox_not_found_by_its_address_asks_for_the_object_id,
    a_replaced_secret_takes_effect_while_a_token_is_cached,
    switching_the_method_keeps_history_mail_and_is_audited,
);
