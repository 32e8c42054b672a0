//! The demo fixture's identities and small HTTP helpers.

use std::collections::HashMap;

use fake_microsoft::{ConsentChoice, FakeMicrosoft, SignInBrowser, SignInStep};
use reqwest::redirect::Policy;
use serde_json::Value;
use url::Url;

pub const TENANT: &str = "8c10395e-14fe-46db-a8b6-699ac4a65109";
pub const DOMAIN: &str = "energiedemo.onmicrosoft.com";
pub const OTHER_TENANT: &str = "2058a89d-5f1a-45a1-b6b9-ce39759cdca5";
pub const CLIENT_ID: &str = "80aef83a-368f-4a54-a387-8c794cf71106";
pub const SECRET: &str = "dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF";
pub const SECRET_ID: &str = "8fbe0b52-acbf-4691-b6e1-4ae2a073c19b";
pub const REDIRECT_URI: &str = "http://127.0.0.1:3000/api/oauth/ms-azure/callback";
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
/// RFC 7636 appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const SCOPE: &str = "openid profile offline_access https://graph.microsoft.com/Mail.Read";

pub async fn demo() -> FakeMicrosoft {
    FakeMicrosoft::start_demo().await.expect("demo fake starts")
}

/// reqwest without redirects (as the product uses it).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// An authorize URL with the usual code-flow parameters plus `extra` (which override).
pub fn authorize_url(fake: &FakeMicrosoft, tenant: &str, extra: &[(&str, &str)]) -> String {
    let mut params: Vec<(&str, &str)> = vec![
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT_URI),
        ("response_mode", "query"),
        ("scope", SCOPE),
        ("state", "state-123"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    for (key, value) in extra {
        params.retain(|(k, _)| k != key);
        if !value.is_empty() {
            params.push((key, value));
        }
    }
    let mut url = Url::parse(&format!(
        "{}/{tenant}/oauth2/v2.0/authorize",
        fake.base_url()
    ))
    .unwrap();
    url.query_pairs_mut().extend_pairs(params);
    url.to_string()
}

pub fn query(url: &Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

/// Signs `login` in through the pages (accepting consent) and returns the callback URL.
pub async fn sign_in(
    fake: &FakeMicrosoft,
    login: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> Url {
    let mut browser = SignInBrowser::new().unwrap();
    match browser
        .sign_in(
            &authorize_url(fake, TENANT, extra),
            login,
            password,
            ConsentChoice::Accept,
        )
        .await
        .unwrap()
    {
        SignInStep::Redirect(url) => url,
        SignInStep::Page(page) => {
            panic!("sign-in stopped on a {} page: {}", page.kind(), page.html)
        }
    }
}

/// Signs in and returns the authorization code.
pub async fn code_for(fake: &FakeMicrosoft, login: &str, password: &str) -> String {
    let callback = sign_in(fake, login, password, &[]).await;
    query(&callback).remove("code").expect("code in callback")
}

/// POSTs the token endpoint.
pub async fn token(fake: &FakeMicrosoft, tenant: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http()
        .post(format!("{}/{tenant}/oauth2/v2.0/token", fake.base_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Redeems a code with the RFC verifier.
pub async fn redeem(fake: &FakeMicrosoft, code: &str) -> (u16, Value) {
    token(
        fake,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
            ("scope", SCOPE),
        ],
    )
    .await
}

/// An app-only Graph token for the demo app.
pub async fn app_token(fake: &FakeMicrosoft) -> String {
    let (status, body) = token(
        fake,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// GET on Graph with a bearer token.
pub async fn graph_get(
    fake: &FakeMicrosoft,
    token: &str,
    path: &str,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let url = if path.starts_with("http") {
        path.to_owned()
    } else {
        format!("{}{path}", fake.base_url())
    };
    let response = http().get(url).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, headers)
}

fn is_guid(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| uuid::Uuid::parse_str(s).is_ok())
}

/// Checks a token-endpoint error body against docs/microsoft.md §3.
pub fn assert_aad_error(status: u16, body: &Value, expected_status: u16, error: &str, code: u32) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"], serde_json::json!([code]), "{body}");
    assert!(
        is_guid(&body["trace_id"]) && is_guid(&body["correlation_id"]),
        "{body}"
    );
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    let trace = body["trace_id"].as_str().unwrap();
    let correlation = body["correlation_id"].as_str().unwrap();
    let timestamp = body["timestamp"].as_str().unwrap();
    assert!(
        description.ends_with(&format!(
            "Trace ID: {trace} Correlation ID: {correlation} Timestamp: {timestamp}"
        )),
        "{description}"
    );
    assert!(
        chrono::NaiveDateTime::parse_from_str(timestamp, "%Y-%m-%d %H:%M:%SZ").is_ok(),
        "{timestamp}"
    );
    assert_eq!(
        body["error_uri"],
        format!("https://login.microsoftonline.com/error?code={code}")
    );
}

/// Checks an error redirect (docs/microsoft.md §2).
pub fn assert_error_redirect(url: &Url, error: &str, code: u32) -> HashMap<String, String> {
    assert!(url.as_str().starts_with(REDIRECT_URI), "{url}");
    let params = query(url);
    assert_eq!(
        params.get("error").map(String::as_str),
        Some(error),
        "{url}"
    );
    let description = &params["error_description"];
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    assert!(
        description.contains(" Trace ID: ")
            && description.contains(" Correlation ID: ")
            && description.contains(" Timestamp: "),
        "{description}"
    );
    assert_eq!(
        params["error_uri"],
        format!("https://login.microsoftonline.com/error?code={code}")
    );
    params
}

/// Checks a Graph error body.
pub fn assert_graph_error(
    status: u16,
    body: &Value,
    expected_status: u16,
    code: &str,
    message: &str,
) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["message"], message, "{body}");
    assert!(
        is_guid(&body["error"]["innerError"]["request-id"]),
        "{body}"
    );
    assert!(
        is_guid(&body["error"]["innerError"]["client-request-id"]),
        "{body}"
    );
    assert!(body["error"]["innerError"]["date"].is_string(), "{body}");
}
