//! Callbacks that must not connect: wrong account, another tenant, reused code, double
//! callback, expired/unknown/used state, PKCE mismatch, broken token endpoint. Each leaves
//! the right attempt record and loses no earlier tokens.

use std::time::Duration;

use backend::cipher::SecretColumn;
use backend::entities::connection_attempt as attempt;
use chrono::Utc;
use fake_microsoft::{Endpoint, Fault, SignInBrowser, SignInStep};
use http::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::ExposeSecret;

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{post, test_cipher, Fields, Poster};

async fn another_account_is_refused_and_both_are_named(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let back = signed_in_as(&url, LEDEN, LEDEN_PASSWORD).await;
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        answer.body.contains("U bent ingelogd als"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(LEDEN) && answer.body.contains(INFO));
    assert!(answer.body.contains("name=\"prompt\" value=\"login\""));
    assert_eq!(answer.referrer_policy.as_deref(), Some("no-referrer"));
    assert!(tokens_of(&db, id).await.is_none(), "no tokens stored");
    let attempt = last_attempt(&db).await;
    assert_eq!(attempt.outcome, "wrong_account");
    assert_eq!(attempt.signed_in_upn.as_deref(), Some(LEDEN));
    assert_eq!(attempt.signed_in_oid.as_deref(), Some(LEDEN_ID));
}

async fn an_account_of_another_tenant_never_comes_back(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let mut browser = SignInBrowser::new().unwrap();
    let step = browser
        .sign_in(
            &url,
            JAN,
            JAN_PASSWORD,
            fake_microsoft::ConsentChoice::Accept,
        )
        .await
        .unwrap();
    let SignInStep::Page(page) = step else {
        panic!("expected Microsoft's error page")
    };
    assert_eq!(page.error_code(), Some(50020));
    assert_eq!(last_attempt(&db).await.outcome, "pending");
    assert!(tokens_of(&db, id).await.is_none());
    expire_attempts(&db).await;
    let view = backend::connect::connection_view(&db, id, Utc::now())
        .await
        .unwrap();
    let problem = view
        .last_problem
        .expect("the abandoned attempt is reported");
    assert_eq!(problem.outcome, "expired");
}

async fn a_code_redeemed_elsewhere_is_recorded_with_its_code(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    redeem_first(&fake, &db, &back).await;
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::BAD_GATEWAY);
    assert!(answer.body.contains("AADSTS54005"), "{}", answer.body);
    let attempt = last_attempt(&db).await;
    assert_eq!(attempt.outcome, "token_failed");
    assert_eq!(attempt.error.as_deref(), Some("invalid_grant"));
    assert_eq!(attempt.error_codes.as_deref(), Some("54005"));
    assert!(attempt.trace_id.is_some() && attempt.correlation_id.is_some());
    assert!(attempt
        .error_body
        .unwrap()
        .contains("\"error_codes\":[54005]"));
    assert!(tokens_of(&db, id).await.is_none());
}

/// Redeems the code of `back` at the fake directly, as if someone else got there first.
pub(crate) async fn redeem_first(
    fake: &fake_microsoft::FakeMicrosoft,
    db: &DatabaseConnection,
    back: &str,
) {
    let code = url::form_urlencoded::parse(back.split_once('?').unwrap().1.as_bytes())
        .find(|(name, _)| name == "code")
        .unwrap()
        .1
        .into_owned();
    let stored = last_attempt(db).await.pkce_verifier_encrypted.unwrap();
    let verifier = test_cipher()
        .decrypt(&stored, SecretColumn::PkceVerifier)
        .unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
        ("code", &code),
        ("code_verifier", verifier.secret.expose_secret()),
        (
            "redirect_uri",
            "http://127.0.0.1:3000/api/oauth/ms-azure/callback",
        ),
    ];
    let token_url = format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url());
    let response = reqwest::Client::new()
        .post(token_url)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn a_double_callback_redeems_the_code_once(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    let (a, b) = tokio::join!(callback(&router, &back), callback(&router, &back));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    assert_eq!(fake.token_request_count("authorization_code"), 1);
    assert!(tokens_of(&db, id).await.is_some());
    // Reloading the callback later: used.
    let again = callback(&router, &back).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("al afgerond"), "{}", again.body);
    assert_eq!(fake.token_request_count("authorization_code"), 1);
}

async fn expired_and_unknown_states_are_refused(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (_, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    let unknown = callback(
        &router,
        "/api/oauth/ms-azure/callback?code=x&state=onbekend",
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown.body.contains("Deze aanmelding is onbekend"),
        "{}",
        unknown.body
    );
    expire_attempts(&db).await;
    let expired = callback(&router, &back).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("verlopen"), "{}", expired.body);
    assert_eq!(fake.token_request_count("authorization_code"), 0);
    for bad in ["code=a&code=b&state=s", "code=a", "state=s"] {
        let answer = callback(&router, &format!("/api/oauth/ms-azure/callback?{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(answer.body.contains("geen geldig antwoord"), "{bad}");
        assert_eq!(answer.cache_control.as_deref(), Some("no-store"));
    }
}

async fn a_pkce_mismatch_is_recorded(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(5))).await;
    let (_, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let back = signed_in_as(&url, INFO, INFO_PASSWORD).await;
    let other = test_cipher()
        .encrypt(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            SecretColumn::PkceVerifier,
        )
        .unwrap();
    attempt::Entity::update_many()
        .col_expr(attempt::Column::PkceVerifierEncrypted, Expr::value(other))
        .filter(attempt::Column::Outcome.eq("pending"))
        .exec(&db)
        .await
        .unwrap();
    let answer = callback(&router, &back).await;
    assert_eq!(answer.status, StatusCode::BAD_GATEWAY);
    let attempt = last_attempt(&db).await;
    assert_eq!(attempt.outcome, "token_failed");
    assert_eq!(attempt.error_codes.as_deref(), Some("501481"));
}

async fn a_broken_token_endpoint_loses_no_earlier_tokens(db: DatabaseConnection) {
    let fake = fake().await;
    let router = router_of(state_with(db.clone(), &fake, Duration::from_secs(1))).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let mut browser = SignInBrowser::new().unwrap();
    let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;
    assert_eq!(callback(&router, &back).await.status, StatusCode::SEE_OTHER);
    let before = tokens_of(&db, id).await.unwrap();
    let cases = [
        (
            Fault::ServerError,
            StatusCode::BAD_GATEWAY,
            "token_failed",
            "server_error",
        ),
        (
            Fault::Hang,
            StatusCode::GATEWAY_TIMEOUT,
            "unreachable",
            "timeout",
        ),
        (
            Fault::MalformedJson,
            StatusCode::BAD_GATEWAY,
            "malformed",
            "malformed_response",
        ),
    ];
    for (fault, status, outcome, error) in cases {
        let fields = Fields::default()
            .set("id", &id.to_string())
            .set("prompt", "login");
        let page = format!("/instellingen/mailboxen/{id}");
        let started = post(
            &router,
            "start_microsoft_login",
            &fields,
            Poster::PlainForm,
            &page,
        )
        .await;
        let url = started.location.unwrap();
        let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;
        fake.fail(Endpoint::Token, fault.clone(), Some(1));
        let answer = callback(&router, &back).await;
        assert_eq!(answer.status, status, "{fault:?}: {}", answer.body);
        let attempt = last_attempt(&db).await;
        assert_eq!(attempt.outcome, outcome, "{fault:?}");
        assert_eq!(attempt.error.as_deref(), Some(error), "{fault:?}");
        if let Some(body) = &attempt.error_body {
            assert!(!body.contains("access_token"), "no token kept: {body}");
        }
        assert_eq!(
            tokens_of(&db, id).await.unwrap(),
            before,
            "{fault:?}: tokens kept"
        );
        fake.clear_faults();
    }
}

async fn expire_attempts(db: &DatabaseConnection) {
    attempt::Entity::update_many()
        .col_expr(
            attempt::Column::ExpiresAt,
            Expr::value(Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(db)
        .await
        .unwrap();
}

on_every_database!(
    another_account_is_refused_and_both_are_named,
    an_account_of_another_tenant_never_comes_back,
    a_code_redeemed_elsewhere_is_recorded_with_its_code,
    a_double_callback_redeems_the_code_once,
    expired_and_unknown_states_are_refused,
    a_pkce_mismatch_is_recorded,
    a_broken_token_endpoint_loses_no_earlier_tokens,
);
