//! Sending mail through Graph against the fake Microsoft (issue 8): a message with an
//! attachment read back from the fake, the app-only token cached per app registration, a
//! 401 answered with one new token, 429 `Retry-After` honoured, a too-large attachment
//! refused before anything is sent, and every Graph refusal with its code and advice.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use backend::entities::mailbox_microsoft_settings as settings;
use backend::mail::RecordedPause;
use backend::outgoing::message::MessageProblem;
use backend::outgoing::{
    send_mail, OutgoingAttachment, OutgoingBody, OutgoingMail, SendError, MAX_INLINE_ATTACHMENT,
};
use backend::AppState;
use base64::Engine;
use fake_microsoft::{ApplicationPatch, Endpoint, FakeMicrosoft, Fault};
use http::StatusCode;
use rules::advice::Advice;
use rules::mail::TestMailOutcome;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{post, replace_client_secret, Fields, Poster};

pub struct Setup {
    pub fake: FakeMicrosoft,
    pub state: AppState,
    pub router: Router,
    /// The demo mailbox info@…, saved with the demo app registration.
    pub id: i32,
    /// Waits between retries, recorded instead of slept.
    pub pause: Arc<RecordedPause>,
}

/// The fake, a state talking to it, a `beheerder`'s router, and the info@ mailbox saved;
/// the fake's records cleared (saving tested the app registration).
pub async fn setup(db: DatabaseConnection) -> Setup {
    let fake = fake().await;
    let mut state = state_with(db, &fake, Duration::from_secs(5));
    let pause = Arc::new(RecordedPause::default());
    state.mail.pause = pause.clone();
    let router = router_of(state.clone()).await;
    let answer = post(
        &router,
        "save_mailbox",
        &demo_fields(INFO, INFO_ID),
        Poster::Script,
        "/",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let id = match serde_json::from_str(&answer.body).expect("a SaveOutcome") {
        rules::mailbox_form::SaveOutcome::Saved { id, .. } => id,
        other => panic!("not saved: {other:?}"),
    };
    fake.clear_records();
    Setup {
        fake,
        state,
        router,
        id,
        pause,
    }
}

fn mail_to(to: &str, attachments: Vec<OutgoingAttachment>) -> OutgoingMail {
    OutgoingMail {
        to: vec![to.to_string()],
        subject: "Ledenlijst".to_string(),
        body: OutgoingBody::Text("Zie de bijlage.".to_string()),
        attachments,
    }
}

fn csv(size: usize) -> OutgoingAttachment {
    OutgoingAttachment {
        name: "ledenlijst.csv".to_string(),
        content_type: "text/csv".to_string(),
        content: b"lidnummer;naam\n"
            .iter()
            .copied()
            .cycle()
            .take(size)
            .collect(),
    }
}

fn sends(fake: &FakeMicrosoft) -> Vec<u16> {
    fake.graph_requests()
        .into_iter()
        .filter(|r| r.endpoint == Endpoint::GraphSend)
        .map(|r| r.status)
        .collect()
}

async fn a_message_with_an_attachment_arrives(db: DatabaseConnection) {
    let setup = setup(db).await;
    let attachment = csv(2_000);
    let expected = attachment.content.clone();
    let sent = send_mail(&setup.state, setup.id, &mail_to(LEDEN, vec![attachment]))
        .await
        .expect("sent");
    assert_eq!(sent.attempts, 1);

    let messages = setup.fake.sent_messages(INFO_ID).unwrap();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.subject, "Ledenlijst");
    assert_eq!(message.to, vec![LEDEN.to_string()]);
    assert_eq!(message.body, "Zie de bijlage.");
    assert!(message.save_to_sent_items, "saved to Sent Items");
    assert_eq!(message.attachments.len(), 1);
    let file = &message.attachments[0];
    assert_eq!(file.name, "ledenlijst.csv");
    assert_eq!(file.content_type, "text/csv");
    let content = base64::engine::general_purpose::STANDARD
        .decode(&file.content_base64)
        .unwrap();
    assert_eq!(content, expected);
    assert_eq!(
        message.raw["attachments"][0]["@odata.type"],
        "#microsoft.graph.fileAttachment"
    );
}

async fn the_app_token_is_cached_per_app_registration(db: DatabaseConnection) {
    let setup = setup(db).await;
    for _ in 0..3 {
        send_mail(&setup.state, setup.id, &mail_to(LEDEN, Vec::new()))
            .await
            .expect("sent");
    }
    assert_eq!(setup.fake.token_request_count("client_credentials"), 1);
    assert_eq!(setup.fake.sent_messages(INFO_ID).unwrap().len(), 3);
    // Another mailbox of the same app registration uses the same token.
    let answer = post(
        &setup.router,
        "save_mailbox",
        &demo_fields(LEDEN, LEDEN_ID),
        Poster::Script,
        "/",
    )
    .await;
    let leden = match serde_json::from_str(&answer.body).expect("a SaveOutcome") {
        rules::mailbox_form::SaveOutcome::Saved { id, .. } => id,
        other => panic!("not saved: {other:?}"),
    };
    setup.fake.clear_records();
    send_mail(&setup.state, leden, &mail_to(INFO, Vec::new()))
        .await
        .expect("sent");
    assert_eq!(setup.fake.token_request_count("client_credentials"), 0);
    // Never in the state's debug output.
    assert!(!format!("{:?}", setup.state).contains("eyJ"));
}

async fn a_refused_token_is_renewed_once(db: DatabaseConnection) {
    let setup = setup(db).await;
    send_mail(&setup.state, setup.id, &mail_to(LEDEN, Vec::new()))
        .await
        .expect("sent");
    // At the fake the cached token has now expired; this app still thinks it is good.
    setup.fake.advance_clock(chrono::Duration::minutes(61));
    let sent = send_mail(&setup.state, setup.id, &mail_to(LEDEN, Vec::new()))
        .await
        .expect("sent after renewing the token");
    assert_eq!(
        sent.attempts, 1,
        "the 401's retry is not a retry of a failure"
    );
    assert_eq!(setup.fake.token_request_count("client_credentials"), 2);
    assert_eq!(sends(&setup.fake), vec![202, 401, 202]);
    assert_eq!(setup.fake.sent_messages(INFO_ID).unwrap().len(), 2);
}

async fn a_token_refused_twice_is_reported(db: DatabaseConnection) {
    let setup = setup(db).await;
    // Tokens from another identity platform: Graph (the first fake) knows none of them.
    let other = fake().await;
    let mut state = setup.state.clone();
    state.microsoft.login_url = other.base_url().to_string();
    let error = send_mail(&state, setup.id, &mail_to(LEDEN, Vec::new()))
        .await
        .expect_err("refused");
    assert_eq!(error.code(), "InvalidAuthenticationToken");
    assert_eq!(error.advice(), Some(Advice::GraphTokenInvalid));
    assert_eq!(
        other.token_request_count("client_credentials"),
        2,
        "renewed once"
    );
    assert_eq!(sends(&setup.fake), vec![401, 401]);
}

async fn throttling_waits_for_retry_after(db: DatabaseConnection) {
    let setup = setup(db).await;
    setup.fake.throttle(Endpoint::GraphSend, 1, Some(1));
    let sent = send_mail(&setup.state, setup.id, &mail_to(LEDEN, Vec::new()))
        .await
        .expect("sent after waiting");
    assert_eq!(
        setup.pause.waits(),
        vec![Duration::from_secs(1)],
        "waited as asked"
    );
    assert_eq!(sent.attempts, 2);
    assert_eq!(sends(&setup.fake), vec![429, 202]);
    // 503 with Retry-After likewise; a bare 500 backs off.
    setup.fake.clear_records();
    setup.fake.fail(
        Endpoint::GraphSend,
        Fault::ServiceUnavailable {
            retry_after_seconds: Some(1),
        },
        Some(1),
    );
    setup
        .fake
        .fail(Endpoint::GraphSend, Fault::ServerError, Some(1));
    let sent = send_mail(&setup.state, setup.id, &mail_to(LEDEN, Vec::new()))
        .await
        .expect("sent after two retries");
    assert_eq!(sent.attempts, 3);
    assert_eq!(sends(&setup.fake), vec![503, 500, 202]);
    let waits = setup.pause.waits();
    assert_eq!(waits.len(), 3, "{waits:?}");
    assert_eq!(waits[1], Duration::from_secs(1), "503's Retry-After");
    assert!(
        waits[2] >= Duration::from_millis(500) && waits[2] <= Duration::from_secs(1),
        "the 500 backs off half to all of the second step: {waits:?}"
    );
    assert_eq!(
        setup.fake.sent_messages(INFO_ID).unwrap().len(),
        1,
        "sent once"
    );
}

async fn a_too_large_attachment_is_refused_before_sending(db: DatabaseConnection) {
    let setup = setup(db).await;
    let error = send_mail(
        &setup.state,
        setup.id,
        &mail_to(LEDEN, vec![csv(MAX_INLINE_ATTACHMENT + 1)]),
    )
    .await
    .expect_err("refused");
    assert!(
        matches!(error, SendError::Message(MessageProblem::AttachmentTooLarge { ref name, .. }) if name == "ledenlijst.csv"),
        "{error:?}"
    );
    assert_eq!(error.code(), "attachment_too_large");
    assert!(setup.fake.token_requests().is_empty(), "no token asked for");
    assert!(sends(&setup.fake).is_empty(), "nothing sent");
    // An attachment of exactly the limit goes inline and arrives whole.
    send_mail(
        &setup.state,
        setup.id,
        &mail_to(LEDEN, vec![csv(MAX_INLINE_ATTACHMENT)]),
    )
    .await
    .expect("3 MB is sent");
    let messages = setup.fake.sent_messages(INFO_ID).unwrap();
    assert_eq!(messages.len(), 1, "sent once");
    let content = base64::engine::general_purpose::STANDARD
        .decode(&messages[0].attachments[0].content_base64)
        .unwrap();
    assert_eq!(content.len(), MAX_INLINE_ATTACHMENT);
}

/// "Stuur testmail" as the hydrated page calls it.
async fn test_mail(router: &Router, id: i32, to: &str) -> TestMailOutcome {
    let fields = Fields::default().set("id", &id.to_string()).set("to", to);
    let answer = post(router, "send_test_mail", &fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        !answer.body.contains(SECRET) && !answer.body.contains("eyJ"),
        "{}",
        answer.body
    );
    serde_json::from_str(&answer.body).expect("a TestMailOutcome")
}

/// The problem of a failed test mail; a fresh token cache first, so the fake's current
/// permissions apply.
async fn failure(setup: &mut Setup, to: &str) -> rules::mail::MailProblem {
    setup.state.app_tokens = Default::default();
    setup.router = router_of(setup.state.clone()).await;
    match test_mail(&setup.router, setup.id, to).await {
        TestMailOutcome::Failed { problem } => problem,
        other => panic!("not failed: {other:?}"),
    }
}

fn demo_app() -> uuid::Uuid {
    CLIENT_ID.parse().unwrap()
}

async fn every_graph_refusal_has_its_code_and_advice(db: DatabaseConnection) {
    let mut setup = setup(db).await;
    // The default recipient is the mailbox's own address.
    assert_eq!(
        test_mail(&setup.router, setup.id, "").await,
        TestMailOutcome::Sent {
            to: INFO.to_string()
        }
    );
    let sent = setup.fake.sent_messages(INFO_ID).unwrap();
    assert_eq!(sent[0].to, vec![INFO.to_string()]);
    assert!(sent[0].subject.contains("Testmail"), "{}", sent[0].subject);
    assert_eq!(
        test_mail(&setup.router, setup.id, "geen adres").await,
        TestMailOutcome::InvalidAddress {
            to: "geen adres".to_string()
        }
    );

    // Mail.Send not granted.
    let patch = |permissions: &[&str]| ApplicationPatch {
        application_permissions: Some(permissions.iter().map(|p| p.to_string()).collect()),
        ..ApplicationPatch::default()
    };
    setup
        .fake
        .update_application(demo_app(), patch(&["Mail.Read"]))
        .unwrap();
    let problem = failure(&mut setup, INFO).await;
    assert_eq!(
        (problem.status, problem.code.as_str()),
        (Some(403), "ErrorAccessDenied")
    );
    assert_eq!(problem.advice, Some(Advice::GraphAccessDenied));
    assert!(problem.request_id.is_some(), "Graph's request-id is kept");
    setup
        .fake
        .update_application(
            demo_app(),
            patch(&["Mail.Read", "Mail.ReadWrite", "Mail.Send"]),
        )
        .unwrap();

    // An application access policy without this mailbox.
    let policy = |allowed: Option<Vec<uuid::Uuid>>| ApplicationPatch {
        mailbox_access_policy: Some(allowed),
        ..ApplicationPatch::default()
    };
    setup
        .fake
        .update_application(demo_app(), policy(Some(vec![LEDEN_ID.parse().unwrap()])))
        .unwrap();
    let problem = failure(&mut setup, INFO).await;
    assert_eq!(problem.advice, Some(Advice::GraphAccessPolicy));
    assert_eq!(
        problem.description.as_deref(),
        Some("Access to OData is disabled.")
    );
    setup
        .fake
        .update_application(demo_app(), policy(None))
        .unwrap();

    // No Exchange Online mailbox.
    setup.fake.set_mailbox_enabled(INFO, false).unwrap();
    let problem = failure(&mut setup, LEDEN).await;
    assert_eq!(problem.code, "MailboxNotEnabledForRESTAPI");
    assert_eq!(problem.advice, Some(Advice::GraphNoMailbox));
    setup.fake.set_mailbox_enabled(INFO, true).unwrap();

    // A wrong Object ID.
    set_object_id(&setup, "0f4c2a1e-9a7b-4c55-8d1e-2b3c4d5e6f70").await;
    let problem = failure(&mut setup, LEDEN).await;
    assert_eq!(
        (problem.status, problem.code.as_str()),
        (Some(404), "ErrorInvalidUser")
    );
    assert_eq!(problem.advice, Some(Advice::GraphInvalidUser));
    set_object_id(&setup, INFO_ID).await;

    // Throttled for longer than this app waits: the wait time is reported.
    setup.fake.throttle(Endpoint::GraphSend, 600, Some(1));
    let problem = failure(&mut setup, LEDEN).await;
    assert_eq!(problem.code, "TooManyRequests");
    assert_eq!(problem.advice, Some(Advice::GraphThrottled));
    assert_eq!(problem.retry_after_seconds, Some(600));

    // Graph keeps failing: retried within bounds, then a temporary problem.
    setup
        .fake
        .fail(Endpoint::GraphSend, Fault::ServerError, None);
    let problem = failure(&mut setup, LEDEN).await;
    assert_eq!(problem.code, "ErrorInternalServerError");
    assert_eq!(problem.advice, Some(Advice::Transient));
    assert_eq!(sends(&setup.fake).iter().filter(|s| **s == 500).count(), 4);
    setup.fake.clear_faults();

    // A wrong client secret: Microsoft's AADSTS code and the advice for it.
    set_secret(&setup, "abc8Q~geenGeldigSecretVoorDezeAppReg.012").await;
    let problem = failure(&mut setup, LEDEN).await;
    assert_eq!(problem.code, "AADSTS7000215");
    assert_eq!(problem.advice, Some(Advice::SecretWrong));
    set_secret(&setup, SECRET).await;

    // Without JavaScript the outcome travels in the redirect.
    setup
        .fake
        .update_application(demo_app(), patch(&["Mail.Read"]))
        .unwrap();
    setup.state.app_tokens = Default::default();
    setup.router = router_of(setup.state.clone()).await;
    let fields = Fields::default()
        .set("id", &setup.id.to_string())
        .set("to", LEDEN);
    let answer = post(
        &setup.router,
        "send_test_mail",
        &fields,
        Poster::PlainForm,
        "/",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let location = answer.location.unwrap_or_default();
    assert!(
        location.starts_with(&format!(
            "/instellingen/mailboxen/{}?testmail=fout&code=ErrorAccessDenied",
            setup.id
        )),
        "{location}"
    );
    let page = location.split('#').next().unwrap_or_default();
    let (status, html) = crate::support::get(&setup.router, page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-testid=\"test-mail-failed\""),
        "the failure is shown"
    );
    assert!(html.contains("Grant admin consent"), "with the advice");
}

async fn set_object_id(setup: &Setup, object_id: &str) {
    let stored = settings::Entity::find_by_id(setup.id)
        .one(&setup.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: settings::ActiveModel = stored.into();
    active.object_id = Set(object_id.to_string());
    active.update(&setup.state.db).await.unwrap();
}

async fn set_secret(setup: &Setup, secret: &str) {
    replace_client_secret(&setup.state.db, &setup.state.cipher, setup.id, secret).await;
}

on_every_database!(
    a_message_with_an_attachment_arrives,
    the_app_token_is_cached_per_app_registration,
    a_refused_token_is_renewed_once,
    a_token_refused_twice_is_reported,
    throttling_waits_for_retry_after,
    a_too_large_attachment_is_refused_before_sending,
    every_graph_refusal_has_its_code_and_advice,
);
