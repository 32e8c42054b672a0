//! Injected faults: latency, 500, 503 with Retry-After, malformed JSON, hangs, throttling —
//! for N requests or until cleared.

use std::time::{Duration, Instant};

use fake_microsoft::{Endpoint, Fault, FaultSpec};

use crate::support::*;

fn client_credentials_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
        ("scope", "https://graph.microsoft.com/.default"),
    ]
}

#[tokio::test]
async fn token_server_error_for_one_request_then_normal() {
    let fake = demo().await;
    fake.fail(Endpoint::Token, Fault::ServerError, Some(1));
    let (status, body) = token(&fake, TENANT, &client_credentials_form()).await;
    assert_aad_error(status, &body, 500, "server_error", 50000);
    assert_eq!(
        token(&fake, TENANT, &client_credentials_form()).await.0,
        200
    );
    assert_eq!(
        fake.token_request_count("client_credentials"),
        2,
        "faulted requests count too"
    );
    assert!(fake.active_faults().is_empty());
}

#[tokio::test]
async fn token_service_unavailable_carries_retry_after() {
    let fake = demo().await;
    fake.fail(
        Endpoint::Token,
        Fault::ServiceUnavailable {
            retry_after_seconds: Some(7),
        },
        Some(2),
    );
    for _ in 0..2 {
        let response = http()
            .post(format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url()))
            .form(&client_credentials_form())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "7");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_aad_error(503, &body, 503, "temporarily_unavailable", 90033);
    }
    assert_eq!(
        token(&fake, TENANT, &client_credentials_form()).await.0,
        200
    );
}

#[tokio::test]
async fn malformed_json_is_unparseable() {
    let fake = demo().await;
    fake.fail(Endpoint::Token, Fault::MalformedJson, Some(1));
    let response = http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url()))
        .form(&client_credentials_form())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(serde_json::from_slice::<serde_json::Value>(&response.bytes().await.unwrap()).is_err());
}

#[tokio::test]
async fn a_hung_connection_lasts_until_cleared() {
    let fake = demo().await;
    fake.fail(Endpoint::Token, Fault::Hang, None);
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    for _ in 0..2 {
        let result = impatient
            .post(format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url()))
            .form(&client_credentials_form())
            .send()
            .await;
        assert!(result.is_err_and(|e| e.is_timeout()));
    }
    fake.clear_faults_for("token");
    assert_eq!(
        token(&fake, TENANT, &client_credentials_form()).await.0,
        200
    );
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let fake = demo().await;
    fake.fail(Endpoint::Discovery, Fault::Latency { millis: 400 }, Some(1));
    let url = format!(
        "{}/{TENANT}/v2.0/.well-known/openid-configuration",
        fake.base_url()
    );
    let started = Instant::now();
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(400));
    let started = Instant::now();
    http().get(&url).send().await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn authorize_server_error_is_an_html_page() {
    let fake = demo().await;
    fake.fail(Endpoint::Authorize, Fault::ServerError, Some(1));
    let response = http()
        .get(authorize_url(&fake, TENANT, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert!(response.text().await.unwrap().contains("AADSTS50000"));
    assert_eq!(
        http()
            .get(authorize_url(&fake, TENANT, &[]))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn graph_throttling_is_429_with_retry_after() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    fake.throttle(Endpoint::GraphMessages, 3, Some(2));
    let path = format!("/v1.0/users/{INFO_ID}/mailFolders/inbox/messages");
    for _ in 0..2 {
        let (status, body, headers) = graph_get(&fake, &token, &path).await;
        assert_graph_error(
            status,
            &body,
            429,
            "TooManyRequests",
            "Application is over its MailboxConcurrency limit.",
        );
        assert_eq!(headers["retry-after"], "3");
    }
    assert_eq!(graph_get(&fake, &token, &path).await.0, 200);
    // Throttling another endpoint leaves this one alone.
    fake.throttle(Endpoint::GraphSend, 3, None);
    assert_eq!(graph_get(&fake, &token, &path).await.0, 200);
}

#[tokio::test]
async fn graph_wildcard_faults_hit_every_graph_endpoint_only() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    fake.inject_fault(FaultSpec {
        endpoint: "graph".into(),
        fault: Fault::ServiceUnavailable {
            retry_after_seconds: None,
        },
        count: None,
    })
    .unwrap();
    let (status, body, headers) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{INFO}/mailFolders/inbox"),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert!(!headers.contains_key("retry-after"));
    assert_eq!(
        graph_get(
            &fake,
            &token,
            &format!("/v1.0/users/{INFO}/mailFolders/inbox/messages/delta")
        )
        .await
        .0,
        503
    );
    assert_eq!(token_status(&fake).await, 200);
    fake.fail(Endpoint::GraphUser, Fault::MalformedJson, None);
    fake.clear_faults();
    assert_eq!(
        graph_get(
            &fake,
            &token,
            &format!("/v1.0/users/{INFO}/mailFolders/inbox")
        )
        .await
        .0,
        200
    );
    let unknown = fake.inject_fault(FaultSpec {
        endpoint: "graph_mesages".into(),
        fault: Fault::Hang,
        count: None,
    });
    assert!(unknown.is_err());
}

async fn token_status(fake: &fake_microsoft::FakeMicrosoft) -> u16 {
    token(fake, TENANT, &client_credentials_form()).await.0
}

#[tokio::test]
async fn graph_malformed_json_and_server_error() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    fake.fail(Endpoint::GraphDelta, Fault::MalformedJson, Some(1));
    fake.fail(Endpoint::GraphDelta, Fault::ServerError, Some(1));
    let url = format!(
        "{}/v1.0/users/{INFO}/mailFolders/inbox/messages/delta",
        fake.base_url()
    );
    let response = http().get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&response.bytes().await.unwrap()).is_err());
    let (status, body, _) = graph_get(&fake, &token, &url).await;
    assert_graph_error(
        status,
        &body,
        500,
        "ErrorInternalServerError",
        "An internal server error occurred. The operation failed.",
    );
    assert_eq!(graph_get(&fake, &token, &url).await.0, 200);
}
