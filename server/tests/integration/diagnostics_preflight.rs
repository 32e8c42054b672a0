//! "Test app-registratie" against the fake Microsoft over real HTTP: each of the four checks
//! failing the way Microsoft fails it, and passing; the report stored as an attempt; and the
//! preflight keeping the browser from Microsoft unless the admin presses "toch doorgaan".

use std::time::Duration;

use axum::Router;
use backend::entities::mailbox_microsoft_settings as settings;
use backend::preflight::run_preflight;
use backend::AppState;
use chrono::Utc;
use fake_microsoft::{ApplicationPatch, FakeMicrosoft, NewClientSecret};
use http::StatusCode;
use rules::advice::Advice;
use rules::connection::{StartOutcome, TestOutcome};
use rules::mailbox_form::SaveOutcome;
use rules::preflight::{Check, PreflightReport, Verdict};
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{post, replace_client_secret, Fields, Poster};

const SECRET_ID: &str = "8fbe0b52-acbf-4691-b6e1-4ae2a073c19b";
const OTHER_GUID: &str = "0f4c2a1e-9a7b-4c55-8d1e-2b3c4d5e6f70";

struct Setup {
    fake: FakeMicrosoft,
    state: AppState,
    router: Router,
}

async fn setup(db: DatabaseConnection) -> Setup {
    let fake = fake().await;
    let state = state_with(db, &fake, Duration::from_secs(5));
    let router = router_of(state.clone()).await;
    Setup {
        fake,
        state,
        router,
    }
}

/// Saves `fields` (as the hydrated page does) and returns the id and the sign-in URL, if
/// the save went on to Microsoft.
async fn save(router: &Router, fields: &Fields) -> (i32, Option<String>) {
    let answer = post(router, "save_mailbox", fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    match serde_json::from_str(&answer.body).expect("a SaveOutcome") {
        SaveOutcome::Saved { id, connect_url } => (id, connect_url),
        other => panic!("not saved: {other:?}"),
    }
}

/// Removes the mailboxes saved so far: an Object ID may be used by one mailbox only.
async fn forget_mailboxes(db: &DatabaseConnection) {
    use backend::entities::{audit_log, connection_attempt, mailbox, mailbox_token};
    audit_log::Entity::delete_many().exec(db).await.unwrap();
    connection_attempt::Entity::delete_many()
        .exec(db)
        .await
        .unwrap();
    mailbox_token::Entity::delete_many().exec(db).await.unwrap();
    settings::Entity::delete_many().exec(db).await.unwrap();
    mailbox::Entity::delete_many().exec(db).await.unwrap();
}

async fn preflight_of(setup: &Setup, fields: Fields) -> PreflightReport {
    forget_mailboxes(&setup.state.db).await;
    let (id, _) = save(&setup.router, &fields).await;
    run_preflight(&setup.state, id, None, Utc::now())
        .await
        .expect("the preflight runs")
}

fn row(report: &PreflightReport, check: Check) -> &rules::preflight::CheckResult {
    report
        .results
        .iter()
        .find(|r| r.check == check)
        .expect("every check has a row")
}

fn demo_app() -> Uuid {
    CLIENT_ID.parse().unwrap()
}

async fn every_check_passes_for_a_good_registration(db: DatabaseConnection) {
    let setup = setup(db.clone()).await;
    let report = preflight_of(&setup, demo_fields(INFO, INFO_ID)).await;
    assert!(report.passed(), "{report:#?}");
    assert_eq!(
        report.results.iter().map(|r| r.check).collect::<Vec<_>>(),
        [
            Check::Tenant,
            Check::Credentials,
            Check::Mailbox,
            Check::RedirectUri,
            Check::Scope
        ]
    );
    assert_eq!(row(&report, Check::Tenant).detail.as_deref(), Some(TENANT));
    assert_eq!(
        row(&report, Check::RedirectUri).detail.as_deref(),
        Some("http://127.0.0.1:3000/api/oauth/ms-azure/callback")
    );
    assert_eq!(
        setup.fake.token_request_count("client_credentials"),
        2,
        "save + test"
    );
    let stored = last_attempt(&db).await;
    assert_eq!(
        (stored.kind.as_str(), stored.outcome.as_str()),
        ("preflight", "success")
    );
    assert_eq!(stored.id, report.attempt_id);
}

async fn a_domain_tenant_is_resolved_to_its_guid(db: DatabaseConnection) {
    let setup = setup(db).await;
    let report = preflight_of(&setup, demo_fields(INFO, INFO_ID).set("tenant_id", DOMAIN)).await;
    assert!(report.passed(), "{report:#?}");
    assert_eq!(
        row(&report, Check::Tenant).detail.as_deref(),
        Some(format!("{DOMAIN} → {TENANT}").as_str())
    );
}

async fn an_unknown_tenant_fails_the_first_check_and_skips_the_next_two(db: DatabaseConnection) {
    let setup = setup(db.clone()).await;
    let report = preflight_of(
        &setup,
        demo_fields(INFO, INFO_ID).set("tenant_id", OTHER_GUID),
    )
    .await;
    let tenant = row(&report, Check::Tenant);
    assert_eq!(tenant.verdict, Verdict::Failed);
    assert_eq!(tenant.aadsts, Some(90002));
    assert_eq!(tenant.advice, Some(Advice::TenantNotFound));
    assert!(tenant.trace_id.is_some() && tenant.correlation_id.is_some());
    assert_eq!(row(&report, Check::Credentials).verdict, Verdict::Skipped);
    assert_eq!(row(&report, Check::Mailbox).verdict, Verdict::Skipped);
    assert_eq!(row(&report, Check::RedirectUri).verdict, Verdict::Passed);
    assert_eq!(setup.fake.token_request_count("client_credentials"), 0);
    let stored = last_attempt(&db).await;
    assert_eq!(stored.outcome, "failed");
    assert_eq!(stored.error_codes.as_deref(), Some("90002"));
    assert_eq!(stored.trace_id, tenant.trace_id);
}

async fn credentials_fail_with_microsofts_code_for_each_mistake(db: DatabaseConnection) {
    let setup = setup(db).await;
    let expired = setup
        .fake
        .add_client_secret(
            demo_app(),
            NewClientSecret {
                expires_at: Some(Utc::now() - chrono::Duration::days(1)),
                ..NewClientSecret::default()
            },
        )
        .unwrap();
    let cases = [
        (
            "Wrong8Q~secretvalue000000000000000000000",
            7000215,
            Advice::SecretWrong,
        ),
        (expired.value.as_str(), 7000222, Advice::SecretExpired),
    ];
    for (secret, code, advice) in cases {
        let report = preflight_of(
            &setup,
            demo_fields(INFO, INFO_ID).set("client_secret", secret),
        )
        .await;
        let credentials = row(&report, Check::Credentials);
        assert_eq!(credentials.verdict, Verdict::Failed, "{code}");
        assert_eq!(credentials.aadsts, Some(code));
        assert_eq!(credentials.advice, Some(advice));
        assert_eq!(row(&report, Check::Mailbox).verdict, Verdict::Skipped);
    }
    // The Secret ID, which the form refuses, stored anyway (an older version, an import).
    forget_mailboxes(&setup.state.db).await;
    let (id, _) = save(&setup.router, &demo_fields(INFO, INFO_ID)).await;
    replace_client_secret(&setup.state.db, &setup.state.cipher, id, SECRET_ID).await;
    let report = run_preflight(&setup.state, id, None, Utc::now())
        .await
        .unwrap();
    let credentials = row(&report, Check::Credentials);
    assert_eq!(credentials.aadsts, Some(7000215));
    assert_eq!(credentials.advice, Some(Advice::SecretLooksLikeSecretId));

    let report = preflight_of(
        &setup,
        demo_fields(INFO, INFO_ID).set("client_id", OTHER_GUID),
    )
    .await;
    let credentials = row(&report, Check::Credentials);
    assert_eq!(credentials.aadsts, Some(700016));
    assert_eq!(credentials.advice, Some(Advice::AppNotInTenant));
}

async fn the_mailbox_check_tells_each_graph_refusal_apart(db: DatabaseConnection) {
    let setup = setup(db).await;
    // Wrong Object ID.
    let report = preflight_of(&setup, demo_fields(INFO, OTHER_GUID)).await;
    let mailbox = row(&report, Check::Mailbox);
    assert_eq!(
        mailbox.advice,
        Some(Advice::GraphInvalidUser),
        "{mailbox:#?}"
    );
    assert_eq!(mailbox.detail.as_deref(), Some("404 ErrorInvalidUser"));
    assert!(mailbox.trace_id.is_some(), "Graph's request-id is kept");
    // No Exchange Online licence.
    setup.fake.set_mailbox_enabled(LEDEN, false).unwrap();
    let report = preflight_of(&setup, demo_fields(LEDEN, LEDEN_ID)).await;
    assert_eq!(
        row(&report, Check::Mailbox).advice,
        Some(Advice::GraphNoMailbox)
    );
    // An application access policy that leaves this mailbox out.
    setup
        .fake
        .update_application(
            demo_app(),
            ApplicationPatch {
                mailbox_access_policy: Some(Some(vec![LEDEN_ID.parse().unwrap()])),
                ..ApplicationPatch::default()
            },
        )
        .unwrap();
    let report = preflight_of(&setup, demo_fields(INFO, INFO_ID)).await;
    assert_eq!(
        row(&report, Check::Mailbox).advice,
        Some(Advice::GraphAccessPolicy)
    );
    // No admin consent for the application permissions.
    setup
        .fake
        .update_application(
            demo_app(),
            ApplicationPatch {
                mailbox_access_policy: Some(None),
                admin_consent_granted: Some(false),
                ..ApplicationPatch::default()
            },
        )
        .unwrap();
    let report = preflight_of(&setup, demo_fields(INFO, INFO_ID)).await;
    let mailbox = row(&report, Check::Mailbox);
    assert_eq!(mailbox.detail.as_deref(), Some("403 ErrorAccessDenied"));
    assert_eq!(mailbox.advice, Some(Advice::GraphAccessDenied));
    assert_eq!(row(&report, Check::Credentials).verdict, Verdict::Passed);
}

async fn a_plain_http_redirect_uri_fails_the_last_check(db: DatabaseConnection) {
    let setup = setup(db).await;
    let (id, _) = save(&setup.router, &demo_fields(INFO, INFO_ID)).await;
    let mut state = setup.state.clone();
    state.public_base_url = "http://crm.example.org".into();
    let report = run_preflight(&state, id, None, Utc::now()).await.unwrap();
    let redirect = row(&report, Check::RedirectUri);
    assert_eq!(redirect.verdict, Verdict::Failed);
    assert_eq!(redirect.advice, Some(Advice::RedirectUriNotHttps));
    assert_eq!(
        redirect.detail.as_deref(),
        Some("http://crm.example.org/api/oauth/ms-azure/callback")
    );
    state.public_base_url = "https://crm.example.org".into();
    let report = run_preflight(&state, id, None, Utc::now()).await.unwrap();
    assert_eq!(row(&report, Check::RedirectUri).verdict, Verdict::Passed);
    assert!(report.passed());
}

async fn a_failing_registration_is_never_sent_to_microsoft_unless_forced(db: DatabaseConnection) {
    let setup = setup(db.clone()).await;
    let fields =
        demo_fields(INFO, INFO_ID).set("client_secret", "Wrong8Q~secretvalue000000000000000000000");
    let (id, connect_url) = save(&setup.router, &fields).await;
    assert_eq!(connect_url, None, "saving does not go on to Microsoft");
    let start = |force: bool| {
        let fields = Fields::default()
            .set("id", &id.to_string())
            .set("force", if force { "true" } else { "false" });
        let router = setup.router.clone();
        async move {
            post(
                &router,
                "start_microsoft_login",
                &fields,
                Poster::Script,
                "/",
            )
            .await
        }
    };
    let answer = start(false).await;
    match serde_json::from_str(&answer.body).expect("a StartOutcome") {
        StartOutcome::PreflightFailed { report } => {
            assert_eq!(
                row(&report, Check::Credentials).advice,
                Some(Advice::SecretWrong)
            )
        }
        other => panic!("went on: {other:?}"),
    }
    let stored = last_attempt(&db).await;
    assert_eq!(stored.kind, "preflight", "no sign-in attempt was started");
    // Without JavaScript the form post comes back to the mailbox page, which shows it.
    let fields = Fields::default().set("id", &id.to_string());
    let plain = post(
        &setup.router,
        "start_microsoft_login",
        &fields,
        Poster::PlainForm,
        "/",
    )
    .await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    assert_eq!(
        plain.location.as_deref(),
        Some(format!("/instellingen/mailboxen/{id}").as_str())
    );
    // "Toch doorgaan".
    let answer = start(true).await;
    match serde_json::from_str(&answer.body).expect("a StartOutcome") {
        StartOutcome::Redirect { url } => assert!(url.contains("/oauth2/v2.0/authorize"), "{url}"),
        other => panic!("not forced: {other:?}"),
    }
    assert_eq!(last_attempt(&db).await.kind, "connect");
}

async fn missing_admin_consent_does_not_stop_granting_it(db: DatabaseConnection) {
    let setup = setup(db.clone()).await;
    setup.fake.set_admin_consent(demo_app(), false).unwrap();
    let (id, connect_url) = save(&setup.router, &demo_fields(INFO, INFO_ID)).await;
    assert_eq!(connect_url, None);
    let fields = Fields::default().set("id", &id.to_string());
    let answer = post(
        &setup.router,
        "grant_admin_consent",
        &fields,
        Poster::Script,
        "/",
    )
    .await;
    match serde_json::from_str(&answer.body).expect("a StartOutcome") {
        StartOutcome::Redirect { url } => assert!(url.contains("/v2.0/adminconsent"), "{url}"),
        other => panic!("consent stopped: {other:?}"),
    }
}

/// The mailbox's latest preflight once `wanted` holds for it (within 30 s).
async fn preflight_when(
    state: &AppState,
    mailbox_id: i32,
    wanted: impl Fn(&PreflightReport) -> bool,
) -> PreflightReport {
    for _ in 0..1500 {
        let latest = backend::preflight::latest_preflight(&state.db, mailbox_id, Utc::now())
            .await
            .expect("read");
        match latest {
            Some(report) if wanted(&report) => return report,
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    panic!("the preflight of mailbox {mailbox_id} never got there in 30 s");
}

/// The mailbox's latest preflight once it is no longer running.
async fn finished_preflight(state: &AppState, mailbox_id: i32) -> PreflightReport {
    preflight_when(state, mailbox_id, |report| !report.running).await
}

/// Presses "Test app-registratie" as the page's script does: the id of the attempt started.
async fn press_test(setup: &Setup, mailbox_id: i32) -> i32 {
    let fields = Fields::default().set("id", &mailbox_id.to_string());
    let answer = post(
        &setup.router,
        "test_app_registration",
        &fields,
        Poster::Script,
        "/",
    )
    .await;
    match serde_json::from_str(&answer.body).expect("a TestOutcome") {
        TestOutcome::Started { attempt_id } => attempt_id,
        other => panic!("{other:?}"),
    }
}

async fn a_test_runs_in_the_background_and_shows_each_check_as_it_finishes(db: DatabaseConnection) {
    let setup = setup(db).await;
    let (id, _) = save(&setup.router, &demo_fields(INFO, INFO_ID)).await;
    // Microsoft's token endpoint answers slowly: the tenant is checked, the secret not yet.
    setup.fake.fail(
        fake_microsoft::Endpoint::Token,
        fake_microsoft::Fault::Latency { millis: 1500 },
        None,
    );
    press_test(&setup, id).await;
    // Seen with the tenant checked and the secret under way.
    let running = preflight_when(&setup.state, id, |report| {
        report.running && report.results.len() == 1
    })
    .await;
    assert_eq!(running.results[0].verdict, Verdict::Passed);
    assert_eq!(running.running_check(), Some(Check::Credentials));
    assert!(!running.passed());
    let finished = finished_preflight(&setup.state, id).await;
    assert_eq!(finished.results.len(), 5);
    assert!(finished.passed(), "{finished:?}");
}

async fn the_test_button_and_the_history_show_every_attempt_newest_first(db: DatabaseConnection) {
    let setup = setup(db).await;
    let (id, connect_url) = save(&setup.router, &demo_fields(INFO, INFO_ID)).await;
    assert!(connect_url.is_some());
    let attempt_id = press_test(&setup, id).await;
    let fields = Fields::default().set("id", &id.to_string());
    // The checks run in the background, their results stored as they come.
    let report = finished_preflight(&setup.state, id).await;
    assert_eq!(report.attempt_id, attempt_id);
    assert!(report.passed(), "{report:?}");
    let answer = post(
        &setup.router,
        "list_connection_history",
        &fields,
        Poster::Script,
        "/",
    )
    .await;
    let history: Vec<rules::connection::AttemptProblem> =
        serde_json::from_str(&answer.body).unwrap();
    let kinds: Vec<(&str, &str)> = history
        .iter()
        .map(|entry| (entry.kind.as_str(), entry.outcome.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("preflight", "success"),
            ("connect", "pending"),
            ("preflight", "success")
        ]
    );
    // Nothing secret in the answer.
    assert!(!answer.body.contains(SECRET));
}

on_every_database!(
    every_check_passes_for_a_good_registration,
    a_domain_tenant_is_resolved_to_its_guid,
    an_unknown_tenant_fails_the_first_check_and_skips_the_next_two,
    credentials_fail_with_microsofts_code_for_each_mistake,
    the_mailbox_check_tells_each_graph_refusal_apart,
    a_plain_http_redirect_uri_fails_the_last_check,
    a_failing_registration_is_never_sent_to_microsoft_unless_forced,
    missing_admin_consent_does_not_stop_granting_it,
    the_test_button_and_the_history_show_every_attempt_newest_first,
    a_test_runs_in_the_background_and_shows_each_check_as_it_finishes,
);
