//! The admin HTTP API that Playwright and demos use to change the fake mid-run.

use serde_json::{json, Value};

use crate::support::*;

async fn admin(
    fake: &fake_microsoft::FakeMicrosoft,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http().request(method, format!("{}/admin{path}", fake.base_url()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

use reqwest::Method;

#[tokio::test]
async fn faults_through_the_admin_api() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let fault = json!({"endpoint": "graph_send", "kind": "service_unavailable", "retry_after_seconds": 5, "count": 1});
    assert_eq!(
        admin(&fake, Method::POST, "/faults", Some(fault)).await.0,
        200
    );
    let (_, listed) = admin(&fake, Method::GET, "/faults", None).await;
    assert_eq!(listed["faults"][0]["kind"], "service_unavailable");
    let message = json!({"message": {"subject": "x", "toRecipients": [{"emailAddress": {"address": "a@example.nl"}}]}});
    let send = || {
        http()
            .post(format!("{}/v1.0/users/{INFO}/sendMail", fake.base_url()))
            .bearer_auth(&token)
            .json(&message)
            .send()
    };
    let response = send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    assert_eq!(send().await.unwrap().status(), 202);
    let (_, sent) = admin(
        &fake,
        Method::GET,
        &format!("/users/{INFO}/sent-messages"),
        None,
    )
    .await;
    assert_eq!(sent["messages"].as_array().unwrap().len(), 1);

    let hang = json!({"endpoint": "*", "kind": "hang"});
    assert_eq!(
        admin(&fake, Method::POST, "/faults", Some(hang)).await.0,
        200
    );
    assert_eq!(admin(&fake, Method::DELETE, "/faults", None).await.0, 200);
    assert_eq!(send().await.unwrap().status(), 202);
    let (status, body) = admin(
        &fake,
        Method::POST,
        "/faults",
        Some(json!({"endpoint": "tokens", "kind": "server_error"})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn clock_through_the_admin_api_expires_codes() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (status, clock) = admin(
        &fake,
        Method::POST,
        "/clock",
        Some(json!({"advance_seconds": 601})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(clock["offset_seconds"], 601);
    let (status, body) = redeem(&fake, &code).await;
    assert_aad_error(status, &body, 400, "invalid_grant", 70008);
    let (_, clock) = admin(&fake, Method::POST, "/clock", Some(json!({"reset": true}))).await;
    assert_eq!(clock["offset_seconds"], 0);
}

#[tokio::test]
async fn users_messages_and_consent_through_the_admin_api() {
    let fake = demo().await;
    let user = json!({
        "object_id": "5b0fd0b9-5a6e-4d36-9d55-3b0a2f7e6c11",
        "user_principal_name": "penningmeester@energiedemo.onmicrosoft.com",
        "display_name": "Penningmeester",
        "password": "Euro-2026"
    });
    assert_eq!(
        admin(
            &fake,
            Method::POST,
            &format!("/tenants/{DOMAIN}/users"),
            Some(user.clone())
        )
        .await
        .0,
        200
    );
    let (status, body) = admin(
        &fake,
        Method::POST,
        &format!("/tenants/{DOMAIN}/users"),
        Some(user),
    )
    .await;
    assert_eq!(status, 400, "duplicate rejected: {body}");
    let message = json!({"subject": "Contributie", "from": {"address": "lid@example.nl"}, "received_at": "2026-02-01T09:00:00Z"});
    let (status, added) = admin(
        &fake,
        Method::POST,
        "/users/penningmeester@energiedemo.onmicrosoft.com/messages",
        Some(message),
    )
    .await;
    assert_eq!(status, 200);
    let token = app_token(&fake).await;
    let (_, list, _) = graph_get(
        &fake,
        &token,
        "/v1.0/users/penningmeester@energiedemo.onmicrosoft.com/mailFolders/inbox/messages",
    )
    .await;
    assert_eq!(list["value"][0]["id"], added["id"]);
    let scopes = json!({"scopes": ["openid", "profile", "offline_access", "Mail.Read"]});
    let path =
        format!("/applications/{CLIENT_ID}/consents/penningmeester@energiedemo.onmicrosoft.com");
    assert_eq!(admin(&fake, Method::PUT, &path, Some(scopes)).await.0, 200);
    let code = code_for(
        &fake,
        "penningmeester@energiedemo.onmicrosoft.com",
        "Euro-2026",
    )
    .await;
    let (status, tokens) = redeem(&fake, &code).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(admin(&fake, Method::DELETE, &path, None).await.0, 200);
    assert_eq!(
        admin(&fake, Method::GET, "/users/nobody@x.nl/concurrency", None)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn mfa_revocation_and_secrets_through_the_admin_api() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (_, tokens) = redeem(&fake, &code).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
        ("refresh_token", refresh_token.as_str()),
    ];
    let refresh = || token(&fake, TENANT, &form);
    assert_eq!(
        admin(
            &fake,
            Method::PATCH,
            &format!("/users/{INFO}"),
            Some(json!({"mfa_required": true}))
        )
        .await
        .0,
        200
    );
    let (status, body) = refresh().await;
    assert_aad_error(status, &body, 400, "invalid_grant", 50076);
    assert_eq!(
        admin(
            &fake,
            Method::PATCH,
            &format!("/users/{INFO}"),
            Some(json!({"mfa_required": false}))
        )
        .await
        .0,
        200
    );
    assert_eq!(refresh().await.0, 200);
    fake.advance_clock(chrono::Duration::seconds(1));
    assert_eq!(
        admin(
            &fake,
            Method::POST,
            &format!("/users/{INFO}/revoke-refresh-tokens"),
            None
        )
        .await
        .0,
        200
    );
    let (status, body) = refresh().await;
    assert_aad_error(status, &body, 400, "invalid_grant", 50173);

    let (status, secret) = admin(
        &fake,
        Method::POST,
        &format!("/applications/{CLIENT_ID}/secrets"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);
    let value = secret["value"].as_str().unwrap();
    assert_eq!(&value[3..6], "8Q~");
    let credentials = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", value),
        ("scope", "https://graph.microsoft.com/.default"),
    ];
    assert_eq!(token(&fake, TENANT, &credentials).await.0, 200);
    let secret_id = secret["secret_id"].as_str().unwrap();
    assert_eq!(
        admin(
            &fake,
            Method::DELETE,
            &format!("/applications/{CLIENT_ID}/secrets/{secret_id}"),
            None
        )
        .await
        .0,
        200
    );
    assert_eq!(token(&fake, TENANT, &credentials).await.0, 401);
    let (_, counts) = admin(&fake, Method::GET, "/token-requests", None).await;
    assert_eq!(counts["counts"]["client_credentials"], 2);
    assert_eq!(counts["counts"]["refresh_token"], 3);
}

#[tokio::test]
async fn directory_round_trips() {
    let fake = demo().await;
    let (status, directory) = admin(&fake, Method::GET, "/directory", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        directory["tenants"][0]["display_name"],
        "Energie Coöperatie Demo"
    );
    let mut changed = directory.clone();
    changed["tenants"][0]["applications"][0]["admin_consent_granted"] = json!(false);
    let response = http()
        .put(format!("{}/admin/directory", fake.base_url()))
        .body(changed.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(!fake.directory().tenants[0].applications[0].admin_consent_granted);
    let (_, concurrency) = admin(
        &fake,
        Method::GET,
        &format!("/users/{INFO}/concurrency"),
        None,
    )
    .await;
    assert_eq!(concurrency, json!({"in_flight": 0, "max_in_flight": 0}));
    assert_eq!(admin(&fake, Method::POST, "/sign-out", None).await.0, 200);
    assert_eq!(admin(&fake, Method::DELETE, "/records", None).await.0, 200);
    assert_eq!(
        admin(&fake, Method::GET, "/graph-requests", None).await.1,
        json!({"requests": []})
    );
}
