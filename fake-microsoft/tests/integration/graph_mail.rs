//! Graph mail with app-only and delegated tokens (docs/microsoft.md §6).

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn user_endpoint_needs_user_read_all() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let (status, body, _) = graph_get(&fake, &token, &format!("/v1.0/users/{INFO_ID}")).await;
    assert_graph_error(
        status,
        &body,
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    );
    let permissions = vec!["Mail.Read".into(), "User.Read.All".into()];
    fake.update_application(
        CLIENT_ID.parse().unwrap(),
        fake_microsoft::ApplicationPatch {
            application_permissions: Some(permissions),
            ..Default::default()
        },
    )
    .unwrap();
    let token = app_token(&fake).await;
    for key in [INFO_ID, INFO] {
        let (status, body, _) = graph_get(&fake, &token, &format!("/v1.0/users/{key}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["id"], INFO_ID);
        assert_eq!(body["mail"], INFO);
        assert_eq!(body["userPrincipalName"], INFO);
    }
}

#[tokio::test]
async fn inbox_preflight_by_object_id_and_upn() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    for key in [INFO_ID, INFO, &INFO.to_uppercase()] {
        let (status, body, headers) = graph_get(
            &fake,
            &token,
            &format!("/v1.0/users/{key}/mailFolders/inbox"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["displayName"], "Inbox");
        assert_eq!(body["totalItemCount"], 3);
        assert_eq!(body["unreadItemCount"], 2);
        assert!(headers.contains_key("request-id"));
    }
}

#[tokio::test]
async fn messages_page_with_top_and_next_link() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let (status, first, _) = graph_get(&fake, &token, &format!("/v1.0/users/{INFO_ID}/mailFolders/inbox/messages?$top=2&$select=subject,receivedDateTime")).await;
    assert_eq!(status, 200, "{first}");
    let subjects: Vec<&str> = first["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        ["Zonnepanelen op het dorpshuis", "Aanmelding nieuwsbrief"]
    );
    let mut keys: Vec<&String> = first["value"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["@odata.etag", "id", "receivedDateTime", "subject"]);
    let next = first["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(fake.base_url()), "{next}");
    let (status, second, _) = graph_get(&fake, &token, next).await;
    assert_eq!(status, 200);
    assert_eq!(second["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        second["value"][0]["subject"],
        "Vraag over mijn jaarafrekening"
    );
    assert!(
        second["value"][0].get("body").is_none(),
        "$select carries over to the next page"
    );
    assert!(second.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn messages_filter_and_orderby() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let path = format!("/v1.0/users/{INFO}/mailFolders/inbox/messages?$filter=receivedDateTime%20ge%202026-01-06T00:00:00Z&$orderby=receivedDateTime%20asc");
    let (status, body, _) = graph_get(&fake, &token, &path).await;
    assert_eq!(status, 200, "{body}");
    let subjects: Vec<&str> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        ["Aanmelding nieuwsbrief", "Zonnepanelen op het dorpshuis"]
    );
    let full = &body["value"][0];
    for field in [
        "receivedDateTime",
        "from",
        "toRecipients",
        "body",
        "bodyPreview",
        "isRead",
        "hasAttachments",
        "conversationId",
        "internetMessageId",
    ] {
        assert!(full.get(field).is_some(), "{field}");
    }
    let (status, body, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{INFO}/mailFolders/inbox/messages?$filter=subject%20eq%20'x'"),
    )
    .await;
    assert_graph_error(
        status,
        &body,
        400,
        "ErrorInvalidUrlQueryFilter",
        "The query filter contains one or more invalid nodes.",
    );
}

#[tokio::test]
async fn patch_is_read_needs_mail_read_write() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let (_, list, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{INFO_ID}/mailFolders/inbox/messages"),
    )
    .await;
    let id = list["value"][0]["id"].as_str().unwrap().to_owned();
    let url = format!("{}/v1.0/users/{INFO_ID}/messages/{id}", fake.base_url());
    let response = http()
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"isRead": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["isRead"], true);
    let (_, again, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{INFO_ID}/messages/{id}"),
    )
    .await;
    assert_eq!(again["isRead"], true);

    fake.update_application(
        CLIENT_ID.parse().unwrap(),
        fake_microsoft::ApplicationPatch {
            application_permissions: Some(vec!["Mail.Read".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    let read_only = app_token(&fake).await;
    let response = http()
        .patch(&url)
        .bearer_auth(&read_only)
        .json(&json!({"isRead": false}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_graph_error(
        status,
        &response.json().await.unwrap(),
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    );
}

#[tokio::test]
async fn attachments_are_file_attachments_with_content_bytes() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let (_, list, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{LEDEN}/mailFolders/inbox/messages?$select=subject,hasAttachments"),
    )
    .await;
    let with_attachment = list["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["hasAttachments"] == true)
        .unwrap();
    let id = with_attachment["id"].as_str().unwrap();
    let (status, body, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{LEDEN}/messages/{id}/attachments"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let attachment = &body["value"][0];
    assert_eq!(attachment["@odata.type"], "#microsoft.graph.fileAttachment");
    assert_eq!(attachment["name"], "ledenlijst.csv");
    assert_eq!(attachment["contentType"], "text/csv");
    assert_eq!(
        attachment["contentBytes"],
        "TGVkZW5saWpzdApOYWFtO0xpZG51bW1lcgpKYW5zZW47MTAwMQo="
    );
    assert_eq!(attachment["size"], 38);
}

#[tokio::test]
async fn delegated_tokens_read_only_their_own_mailbox() {
    let fake = demo().await;
    let code = code_for(&fake, INFO, INFO_PASSWORD).await;
    let (_, tokens) = redeem(&fake, &code).await;
    let token = tokens["access_token"].as_str().unwrap();
    let (status, _, _) = graph_get(
        &fake,
        token,
        &format!("/v1.0/users/{INFO_ID}/mailFolders/inbox/messages"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body, _) = graph_get(
        &fake,
        token,
        &format!("/v1.0/users/{LEDEN_ID}/mailFolders/inbox/messages"),
    )
    .await;
    assert_graph_error(
        status,
        &body,
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    );
    // Mail.Send was not in the token's scope.
    let message = json!({"message": {"subject": "x", "toRecipients": [{"emailAddress": {"address": "a@example.nl"}}]}});
    let response = http()
        .post(format!("{}/v1.0/users/{INFO_ID}/sendMail", fake.base_url()))
        .bearer_auth(token)
        .json(&message)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}
