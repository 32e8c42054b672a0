//! The real fake Microsoft over HTTP, the demo fixture's identities, and driving a sign-in
//! from the app's authorize URL to its callback.

use std::time::Duration;

use axum::body::Body;
use axum::Router;
use backend::entities::{connection_attempt as attempt, mailbox_token as token};
use backend::{AppState, MicrosoftEndpoints};
use fake_microsoft::{ConsentChoice, FakeMicrosoft, SignInBrowser, SignInStep};
use http::{Request, StatusCode};
use rules::mailbox_form::SaveOutcome;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use tower::ServiceExt;

use super::{post, test_state, Fields, Poster};

pub const TENANT: &str = "8c10395e-14fe-46db-a8b6-699ac4a65109";
pub const DOMAIN: &str = "energiedemo.onmicrosoft.com";
pub const CLIENT_ID: &str = "80aef83a-368f-4a54-a387-8c794cf71106";
pub const SECRET: &str = "dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF";
pub const INFO: &str = "info@energiedemo.onmicrosoft.com";
pub const INFO_ID: &str = "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5";
pub const INFO_PASSWORD: &str = "Zonnepaneel-2026";
pub const LEDEN: &str = "ledenadministratie@energiedemo.onmicrosoft.com";
pub const LEDEN_ID: &str = "4b2b0927-3782-4a8a-a3bf-c627a9e9cf77";
pub const LEDEN_PASSWORD: &str = "Windmolen-2026";
pub const ADMIN: &str = "beheer@energiedemo.onmicrosoft.com";
pub const ADMIN_PASSWORD: &str = "Beheer-2026";
pub const JAN: &str = "jan@andereorg.onmicrosoft.com";
pub const JAN_PASSWORD: &str = "Andere-2026";

pub async fn fake() -> FakeMicrosoft {
    FakeMicrosoft::start_demo()
        .await
        .expect("fake Microsoft starts")
}

/// The test state, talking to `fake` with a `timeout` on every request.
pub fn state_with(db: DatabaseConnection, fake: &FakeMicrosoft, timeout: Duration) -> AppState {
    let mut state = test_state(db);
    state.microsoft = MicrosoftEndpoints {
        login_url: fake.base_url().to_string(),
        graph_url: fake.base_url().to_string(),
        http_timeout: timeout,
    };
    state.http = backend::microsoft::identity::token_client::http_client(timeout).expect("client");
    state
}

/// The router over `state`, as a signed-in `beheerder` uses it.
pub async fn router_of(state: AppState) -> Router {
    let config =
        server::config::Config::from_lookup(|name| (name == "APP_ENV").then(|| "test".to_string()))
            .expect("default config");
    let token = super::session_as(&state.db, rules::access::Role::Beheerder).await;
    super::with_session(
        server::router(state, server::leptos_options(&config)),
        &token,
    )
}

/// A Microsoft Api mailbox of the demo tenant for the user `email` / `object_id`, signing in
/// as the mailbox (chosen explicitly: "Automatisch" would connect it without password, as
/// the demo app may read every mailbox).
pub fn demo_fields(email: &str, object_id: &str) -> Fields {
    Fields::default()
        .set("name", email.split('@').next().unwrap_or("mailbox"))
        .set("email", email)
        .set("is_active", "on")
        .set("incoming_type", "ms-oauth")
        .set("outgoing_type", "ms-oauth")
        .set("client_id", CLIENT_ID)
        .set("tenant_id", TENANT)
        .set("client_secret", SECRET)
        .set("object_id", object_id)
        .set("connection_method", "delegated")
}

/// Saves `fields` as the hydrated page does: the new id and the authorize URL to go to.
pub async fn save_new(router: &Router, fields: &Fields) -> (i32, String) {
    let answer = post(router, "save_mailbox", fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    match serde_json::from_str(&answer.body).expect("a SaveOutcome") {
        SaveOutcome::Saved {
            id,
            connect_url: Some(url),
        } => (id, url),
        other => panic!("not saved with a sign-in to start: {other:?}"),
    }
}

/// Signs in at `authorize_url` and returns where Microsoft sends the browser (path+query).
pub async fn sign_in(
    browser: &mut SignInBrowser,
    authorize_url: &str,
    upn: &str,
    password: &str,
) -> String {
    match browser
        .sign_in(authorize_url, upn, password, ConsentChoice::Accept)
        .await
        .expect("sign-in pages answer")
    {
        SignInStep::Redirect(url) => {
            assert!(
                url.as_str()
                    .starts_with("http://127.0.0.1:3000/api/oauth/ms-azure/callback?"),
                "{url}"
            );
            format!("{}?{}", url.path(), url.query().unwrap_or_default())
        }
        SignInStep::Page(page) => panic!(
            "stopped on a '{}' page: {:?}",
            page.kind(),
            page.error_code()
        ),
    }
}

/// [`sign_in`] in a browser of its own, with no Microsoft session yet: where Microsoft
/// sends it back (path+query).
pub async fn signed_in_as(authorize_url: &str, upn: &str, password: &str) -> String {
    let mut browser = SignInBrowser::new().expect("a sign-in browser");
    sign_in(&mut browser, authorize_url, upn, password).await
}

/// The callback `back` answered 403 with `code` (`CB10`, `CB13`) on its page.
pub async fn refused_at_callback(router: &Router, back: &str, code: &str) -> Callback {
    let answer = callback(router, back).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert!(
        answer.body.contains(&format!("data-code=\"{code}\"")),
        "{}",
        answer.body
    );
    answer
}

/// A callback's answer.
#[derive(Debug)]
pub struct Callback {
    pub status: StatusCode,
    pub location: Option<String>,
    pub referrer_policy: Option<String>,
    pub cache_control: Option<String>,
    pub body: String,
}

/// The demo mailbox info@ saved and connected (signed in, callback completed) against a
/// new fake: the fake, the state (2 s timeout) and the mailbox id.
pub async fn connected_info(db: &DatabaseConnection) -> (FakeMicrosoft, AppState, i32) {
    let fake = fake().await;
    let state = state_with(db.clone(), &fake, Duration::from_secs(2));
    let router = router_of(state.clone()).await;
    let (id, url) = save_new(&router, &demo_fields(INFO, INFO_ID)).await;
    let mut browser = SignInBrowser::new().expect("a sign-in browser");
    let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;
    assert_eq!(callback(&router, &back).await.status, StatusCode::SEE_OTHER);
    (fake, state, id)
}

/// GETs `path_and_query` (a callback) through `router`.
pub async fn callback(router: &Router, path_and_query: &str) -> Callback {
    let request = Request::get(path_and_query)
        .body(Body::empty())
        .expect("request");
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("router answers");
    let header = |name: http::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let location = header(http::header::LOCATION);
    let referrer_policy = header(http::header::REFERRER_POLICY);
    let cache_control = header(http::header::CACHE_CONTROL);
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1024 * 1024)
        .await
        .expect("body");
    Callback {
        status,
        location,
        referrer_policy,
        cache_control,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The mailbox's latest attempt.
pub async fn last_attempt(db: &DatabaseConnection) -> attempt::Model {
    attempt::Entity::find()
        .order_by_desc(attempt::Column::Id)
        .one(db)
        .await
        .expect("query")
        .expect("an attempt")
}

/// The stored tokens of mailbox `id`.
pub async fn tokens_of(db: &DatabaseConnection, id: i32) -> Option<token::Model> {
    token::Entity::find_by_id(id).one(db).await.expect("query")
}
