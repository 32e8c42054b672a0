//! Graph's errors: 401, 403 (both messages), 404 (both codes) (docs/microsoft.md §6).

use chrono::Duration;

use crate::support::*;

const INBOX: &str = "/mailFolders/inbox";

#[tokio::test]
async fn expired_token_is_401_invalid_authentication_token() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    fake.advance_clock(Duration::minutes(61));
    let (status, body, headers) =
        graph_get(&fake, &token, &format!("/v1.0/users/{INFO_ID}{INBOX}")).await;
    assert_graph_error(
        status,
        &body,
        401,
        "InvalidAuthenticationToken",
        "Lifetime validation failed, the token is expired.",
    );
    assert!(headers.contains_key("www-authenticate"));
}

#[tokio::test]
async fn missing_and_unknown_tokens_are_401() {
    let fake = demo().await;
    let response = http()
        .get(format!("{}/v1.0/users/{INFO_ID}{INBOX}", fake.base_url()))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_graph_error(
        status,
        &response.json().await.unwrap(),
        401,
        "InvalidAuthenticationToken",
        "Access token is empty.",
    );
    let (status, body, _) = graph_get(
        &fake,
        "eyJ.not.issued",
        &format!("/v1.0/users/{INFO_ID}{INBOX}"),
    )
    .await;
    assert_graph_error(
        status,
        &body,
        401,
        "InvalidAuthenticationToken",
        "Access token validation failure.",
    );
}

#[tokio::test]
async fn client_request_id_is_echoed() {
    let fake = demo().await;
    let id = uuid::Uuid::new_v4().to_string();
    let response = http()
        .get(format!("{}/v1.0/users/{INFO_ID}{INBOX}", fake.base_url()))
        .header("client-request-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["client-request-id"], id.as_str());
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["error"]["innerError"]["client-request-id"],
        id.as_str()
    );
}

#[tokio::test]
async fn token_without_consent_is_403_even_after_consent_is_granted() {
    let fake = demo().await;
    fake.set_admin_consent(CLIENT_ID.parse().unwrap(), false)
        .unwrap();
    let token = app_token(&fake).await;
    let (status, body, _) =
        graph_get(&fake, &token, &format!("/v1.0/users/{INFO_ID}{INBOX}")).await;
    assert_graph_error(
        status,
        &body,
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    );
    fake.set_admin_consent(CLIENT_ID.parse().unwrap(), true)
        .unwrap();
    let (status, _, _) = graph_get(&fake, &token, &format!("/v1.0/users/{INFO_ID}{INBOX}")).await;
    assert_eq!(
        status, 403,
        "a token obtained before consent lacks the roles"
    );
    let fresh = app_token(&fake).await;
    assert_eq!(
        graph_get(&fake, &fresh, &format!("/v1.0/users/{INFO_ID}{INBOX}"))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn application_access_policy_is_403_odata_disabled() {
    let fake = demo().await;
    let policy = fake_microsoft::ApplicationPatch {
        mailbox_access_policy: Some(Some(vec![INFO_ID.parse().unwrap()])),
        ..Default::default()
    };
    fake.update_application(CLIENT_ID.parse().unwrap(), policy)
        .unwrap();
    let token = app_token(&fake).await;
    assert_eq!(
        graph_get(&fake, &token, &format!("/v1.0/users/{INFO_ID}{INBOX}"))
            .await
            .0,
        200
    );
    let (status, body, _) =
        graph_get(&fake, &token, &format!("/v1.0/users/{LEDEN_ID}{INBOX}")).await;
    assert_graph_error(
        status,
        &body,
        403,
        "ErrorAccessDenied",
        "Access to OData is disabled.",
    );
}

#[tokio::test]
async fn unknown_or_foreign_user_is_404_error_invalid_user() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    for user in ["00000000-1111-2222-3333-444444444444", JAN, CLIENT_ID] {
        let (status, body, _) =
            graph_get(&fake, &token, &format!("/v1.0/users/{user}{INBOX}")).await;
        assert_graph_error(
            status,
            &body,
            404,
            "ErrorInvalidUser",
            &format!("The requested user '{user}' is invalid."),
        );
    }
}

#[tokio::test]
async fn user_without_mailbox_is_404_mailbox_not_enabled() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let (status, body, _) = graph_get(&fake, &token, &format!("/v1.0/users/{ADMIN}{INBOX}")).await;
    assert_graph_error(
        status,
        &body,
        404,
        "MailboxNotEnabledForRESTAPI",
        "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
    );
    fake.set_mailbox_enabled(INFO, false).unwrap();
    let (status, _, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{INFO}{INBOX}/messages"),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unknown_message_is_404_item_not_found() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let (status, body, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{INFO}/messages/AAMkNope/attachments"),
    )
    .await;
    assert_graph_error(
        status,
        &body,
        404,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    );
}
