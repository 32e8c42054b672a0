//! Connecting mailboxes against the real fake Microsoft over HTTP: save → Microsoft's sign-in
//! → callback → tokens stored encrypted → "Verbonden".

use std::collections::HashMap;
use std::time::Duration;

use backend::cipher::SecretColumn;
use backend::entities::mailbox_microsoft_settings as settings;
use fake_microsoft::SignInBrowser;
use http::StatusCode;
use rules::mailbox_list::MailboxStatus;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait};
use secrecy::ExposeSecret;

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{get, post, test_cipher, Fields, Poster};

fn params(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

async fn saving_a_mailbox_connects_it(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    assert!(url.starts_with(&format!(
        "{}/{TENANT}/oauth2/v2.0/authorize?",
        fake.base_url()
    )));
    let sent = params(&url);
    assert_eq!(sent["login_hint"], INFO);
    assert_eq!(sent["prompt"], "select_account");
    assert_eq!(sent["code_challenge_method"], "S256");
    assert_eq!(sent["response_mode"], "query");
    let attempt = last_attempt(&db).await;
    assert_eq!(
        (attempt.kind.as_str(), attempt.outcome.as_str()),
        ("connect", "pending")
    );
    assert_ne!(
        attempt.state_hash.as_deref(),
        Some(sent["state"].as_str()),
        "only the hash is stored"
    );
    let verifier = attempt.pkce_verifier_encrypted.clone().unwrap();
    assert!(test_cipher()
        .decrypt(&verifier, SecretColumn::PkceVerifier)
        .is_ok());

    let mut browser = SignInBrowser::new().unwrap();
    let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        answer.location.as_deref(),
        Some(format!("/instellingen/mailboxen/{id}").as_str())
    );
    assert_eq!(answer.referrer_policy.as_deref(), Some("no-referrer"));
    assert_eq!(answer.cache_control.as_deref(), Some("no-store"));

    let tokens = tokens_of(&db, id).await.expect("tokens stored");
    let access = test_cipher()
        .decrypt(&tokens.access_token_encrypted, SecretColumn::AccessToken)
        .unwrap();
    assert!(
        access.secret.expose_secret().starts_with("ey"),
        "a JWT, encrypted at rest"
    );
    let refresh = tokens.refresh_token_encrypted.clone().unwrap();
    assert!(test_cipher()
        .decrypt(&refresh, SecretColumn::RefreshToken)
        .is_ok());
    assert_eq!(tokens.signed_in_oid, INFO_ID);
    assert_eq!(tokens.signed_in_upn.as_deref(), Some(INFO));
    assert!(
        tokens.scopes.contains("Mail.ReadWrite"),
        "{}",
        tokens.scopes
    );
    assert_eq!(last_attempt(&db).await.outcome, "success");
    assert_eq!(fake.token_request_count("authorization_code"), 1);

    let rows = backend::mailboxes::list_rows(&db).await.unwrap();
    assert_eq!(rows[0].status, MailboxStatus::Connected);
    let (status, html) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let at = html
        .find("connection-state")
        .expect("connection status shown");
    assert!(
        html[at..].starts_with("connection-state\" class=\"status status--ok\">Verbonden<"),
        "{}",
        &html[at..at + 300]
    );
    assert!(html.contains(INFO));
    assert!(
        !html.contains(access.secret.expose_secret()),
        "no token on the page"
    );
}

async fn two_mailboxes_connect_one_after_another_in_one_browser(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let mut browser = SignInBrowser::new().unwrap();
    let (info, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;
    assert_eq!(callback(&router, &back).await.status, StatusCode::SEE_OTHER);
    // Same browser, still signed in as info@: select_account offers "another account".
    let (leden, url) = save_new(&router, &demo_fields(LEDEN, LEDEN_ID)).await;
    let back = sign_in(&mut browser, &url, LEDEN, LEDEN_PASSWORD).await;
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(tokens_of(&db, info).await.unwrap().signed_in_oid, INFO_ID);
    assert_eq!(tokens_of(&db, leden).await.unwrap().signed_in_oid, LEDEN_ID);
    let rows = backend::mailboxes::list_rows(&db).await.unwrap();
    assert!(
        rows.iter()
            .all(|row| row.status == MailboxStatus::Connected),
        "{rows:?}"
    );
}

async fn another_instance_completes_the_callback(db: DatabaseConnection) {
    let fake = fake().await;
    let first = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let second = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&first, &demo_fields(INFO, INFO_ID)).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    let answer = callback(&second, &back).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(tokens_of(&db, id).await.is_some());
}

async fn a_domain_tenant_is_resolved_through_discovery(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let fields = demo_fields(INFO, INFO_ID).set("tenant_id", DOMAIN);
    let (id, url) = save_new(&router, &fields).await;
    assert!(
        url.contains(&format!("/{DOMAIN}/oauth2/v2.0/authorize?")),
        "{url}"
    );
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(tokens_of(&db, id).await.is_some());
}

async fn the_buttons_start_with_their_prompt_and_admin_consent_uses_the_same_callback(
    db: DatabaseConnection,
) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, _) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let page = format!("/instellingen/mailboxen/{id}");
    let fields = Fields::default()
        .set("id", &id.to_string())
        .set("prompt", "login");
    let answer = post(
        &router,
        "start_microsoft_login",
        &fields,
        Poster::PlainForm,
        &page,
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(
        params(answer.location.as_deref().unwrap())["prompt"],
        "login"
    );
    assert_eq!(last_attempt(&db).await.prompt.as_deref(), Some("login"));

    let fields = Fields::default().set("id", &id.to_string());
    let answer = post(
        &router,
        "grant_admin_consent",
        &fields,
        Poster::PlainForm,
        &page,
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let url = answer.location.unwrap();
    assert!(
        url.starts_with(&format!("{}/{TENANT}/v2.0/adminconsent?", fake.base_url())),
        "{url}"
    );
    assert_eq!(
        params(&url)["scope"],
        "https://graph.microsoft.com/.default"
    );
    let back = signed_in_as(&url, ADMIN, ADMIN_PASSWORD).await;
    assert!(back.contains("admin_consent=True"), "{back}");
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some(page.as_str()));
    let attempt = last_attempt(&db).await;
    assert_eq!(
        (attempt.kind.as_str(), attempt.outcome.as_str()),
        ("admin_consent", "success")
    );
    assert!(
        tokens_of(&db, id).await.is_none(),
        "admin consent stores no tokens"
    );
    let stored = settings::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.reconnect_needed);
}

/// Refuses marking any connection attempt a success, as a failing write would.
async fn refuse_successful_attempts(db: &DatabaseConnection) {
    let statements: &[&str] = match db.get_database_backend() {
        DbBackend::Sqlite => &[
            "CREATE TRIGGER refuse_success BEFORE UPDATE ON connection_attempts \
             WHEN NEW.outcome = 'success' BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
        DbBackend::Postgres => &[
            "CREATE FUNCTION refuse_success() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_success BEFORE UPDATE ON connection_attempts FOR EACH ROW \
             WHEN (NEW.outcome = 'success') EXECUTE FUNCTION refuse_success()",
        ],
        DbBackend::MySql => &[
            "CREATE TRIGGER refuse_success BEFORE UPDATE ON connection_attempts \
             FOR EACH ROW BEGIN IF NEW.outcome = 'success' THEN \
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END",
        ],
    };
    for statement in statements {
        db.execute_unprepared(statement).await.unwrap();
    }
}

/// The tokens are stored and the attempt finished together or not at all: when the attempt
/// cannot be marked a success, the mailbox is not connected and the attempt says it failed.
async fn tokens_are_stored_only_with_the_finished_attempt(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let mut browser = SignInBrowser::new().unwrap();
    let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;
    refuse_successful_attempts(&db).await;

    let answer = callback(&router, &back).await;
    assert_eq!(
        answer.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        answer.body
    );
    assert!(
        tokens_of(&db, id).await.is_none(),
        "no tokens without a finished attempt"
    );
    assert_eq!(last_attempt(&db).await.outcome, "token_failed");
    let rows = backend::mailboxes::list_rows(&db).await.unwrap();
    assert_ne!(rows[0].status, MailboxStatus::Connected);
}

on_every_database!(
    tokens_are_stored_only_with_the_finished_attempt,
    saving_a_mailbox_connects_it,
    two_mailboxes_connect_one_after_another_in_one_browser,
    another_instance_completes_the_callback,
    a_domain_tenant_is_resolved_through_discovery,
    the_buttons_start_with_their_prompt_and_admin_consent_uses_the_same_callback,
);
