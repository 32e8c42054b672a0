//! No secret leaks: a whole session (sign in, save a mailbox with a client secret and a
//! password, look at it, sign out), with the log captured at debug level. None of the
//! secret values (client secret, mailbox password, admin password, session token) may
//! appear in the log, a page, a JSON answer or an error.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use http::{header, Request};
use sea_orm::{DatabaseConnection, EntityTrait};
use tracing_subscriber::fmt::MakeWriter;

use crate::access_sign_in::{cookie_of, create_admin, get_with, sign_in};
use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{
    anonymous_router, post, send_full, with_session, Fields, Poster, SITE_ORIGIN,
};

const ADMIN_PASSWORD: &str = "Een-lang-beheerderswachtwoord-9";

/// Everything the subscriber writes, kept in memory.
#[derive(Clone, Default)]
pub(crate) struct LogBuffer(pub(crate) Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The log of the whole test process at debug level. Global, not per test: a thread-local
/// subscriber misses events when tests on other threads change tracing's callsite cache.
pub(crate) fn captured_log() -> LogBuffer {
    static BUFFER: OnceLock<LogBuffer> = OnceLock::new();
    BUFFER
        .get_or_init(|| {
            let buffer = LogBuffer::default();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::DEBUG)
                .with_ansi(false)
                .with_writer(buffer.clone())
                .finish();
            let _ = tracing::subscriber::set_global_default(subscriber);
            // sqlx logs through `log`: forward it so its statements are captured too.
            let _ = tracing_log::LogTracer::init();
            buffer
        })
        .clone()
}

/// A second secret of the app registration, entered on its page.
const ROTATED_SECRET: &str = "Rot8Q~hetTweedeGeheimVanDezelfdeApp.0042";

async fn no_secret_reaches_a_log_or_a_response(db: DatabaseConnection) {
    let buffer = captured_log();

    create_admin(&db).await;
    let router = anonymous_router(db.clone());
    let mut bodies = Vec::new();
    let signed_in = sign_in(&router, "beheerder@zonnecoop.nl", ADMIN_PASSWORD, "").await;
    let cookie = cookie_of(&signed_in);
    let token = cookie.trim_start_matches("sessie=").to_string();
    assert_eq!(token.len(), 43);
    let wrong = sign_in(
        &router,
        "beheerder@zonnecoop.nl",
        "Bijna-het-wachtwoord-9",
        "",
    )
    .await;
    bodies.push(wrong.body.clone());

    let token_value = backend::auth::sessions::SessionToken::from_cookie(&token).unwrap();
    let session = with_session(anonymous_router(db.clone()), &token_value);
    let ms = create(&session, &microsoft_fields()).await;
    let imap = create(
        &session,
        &imap_smtp_fields().set("email", "leden2@zonnecoop.nl"),
    )
    .await;
    // A failed save without JavaScript, and one with a server-function error message.
    let invalid = microsoft_fields().set("name", "").set("password", PASSWORD);
    bodies.push(
        post(&session, "save_mailbox", &invalid, Poster::PlainForm, "/")
            .await
            .body,
    );
    bodies.push(
        post(&session, "save_mailbox", &invalid, Poster::Script, "/")
            .await
            .body,
    );
    for id in [ms, imap] {
        for path in ["", "?opgeslagen=1", "?verwijderen=1"] {
            let page = get_with(
                &router,
                &format!("/instellingen/mailboxen/{id}{path}"),
                &cookie,
            )
            .await;
            bodies.push(page.body);
        }
        bodies.push(form_data(&session, &id.to_string()).await.1);
    }
    bodies.push(
        get_with(&router, "/instellingen/mailboxen", &cookie)
            .await
            .body,
    );
    // A new secret for the app registration, with and without JavaScript, and its page.
    let registration = backend::entities::app_registration::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let new_secret = Fields::default()
        .set("registration_id", &registration.to_string())
        .set("value", ROTATED_SECRET)
        .set("expires_on", "niet-een-datum");
    for poster in [Poster::PlainForm, Poster::Script] {
        let answer = post(&session, "add_app_secret", &new_secret, poster, "/").await;
        bodies.push(answer.body);
        bodies.push(answer.location.unwrap_or_default());
    }
    let dated = new_secret.clone().set(
        "expires_on",
        &(chrono::Utc::now() + chrono::Duration::days(90))
            .format("%Y-%m-%d")
            .to_string(),
    );
    bodies.push(
        post(&session, "add_app_secret", &dated, Poster::Script, "/")
            .await
            .body,
    );
    bodies.push(
        get_with(&router, "/instellingen/app-registraties", &cookie)
            .await
            .body,
    );
    let out = Request::post("/uitloggen")
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, SITE_ORIGIN)
        .body(Body::empty())
        .unwrap();
    let out = send_full(&router, out).await;
    bodies.push(out.body);
    bodies.push(
        get_with(&router, "/instellingen/mailboxen", &cookie)
            .await
            .body,
    );

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("signed in"), "the log was captured");
    assert!(log.contains("mailbox created"), "the log was captured");
    let secrets = [
        SECRET,
        &SECRET[3..],
        PASSWORD,
        ADMIN_PASSWORD,
        "Bijna-het-wachtwoord-9",
        &token,
        ROTATED_SECRET,
        &ROTATED_SECRET[3..],
    ];
    for secret in secrets {
        assert!(!log.contains(secret), "the log holds a secret: {secret}");
        for body in &bodies {
            assert!(
                !body.contains(secret),
                "a response holds a secret: {secret}"
            );
        }
    }
}

on_every_database!(no_secret_reaches_a_log_or_a_response);
