//! sendMail (202, recorded, Sent Items, delivery) and per-mailbox concurrency.

use std::time::Duration;

use fake_microsoft::{Endpoint, Fault};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn send_mail_is_202_and_recorded() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let message = json!({
        "message": {
            "subject": "Bevestiging adreswijziging",
            "body": {"contentType": "Text", "content": "Uw adres is gewijzigd."},
            "toRecipients": [{"emailAddress": {"address": "henk.jansen@example.nl", "name": "Henk Jansen"}}],
            "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment", "name": "bevestiging.txt", "contentType": "text/plain", "contentBytes": "aGFsbG8="}]
        },
        "saveToSentItems": false
    });
    let response = http()
        .post(format!("{}/v1.0/users/{LEDEN}/sendMail", fake.base_url()))
        .bearer_auth(&token)
        .json(&message)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert!(response.bytes().await.unwrap().is_empty());
    let sent = fake.sent_messages(LEDEN).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].subject, "Bevestiging adreswijziging");
    assert_eq!(sent[0].to, ["henk.jansen@example.nl"]);
    assert!(!sent[0].save_to_sent_items);
    assert_eq!(sent[0].attachments[0].name, "bevestiging.txt");
    let (_, sent_items, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{LEDEN}/mailFolders/sentitems/messages"),
    )
    .await;
    assert_eq!(
        sent_items["value"].as_array().unwrap().len(),
        0,
        "saveToSentItems=false honoured"
    );

    let internal = json!({"message": {"subject": "Intern", "toRecipients": [{"emailAddress": {"address": INFO}}]}});
    let response = http()
        .post(format!("{}/v1.0/users/{LEDEN}/sendMail", fake.base_url()))
        .bearer_auth(&token)
        .json(&internal)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let (_, sent_items, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{LEDEN}/mailFolders/sentitems/messages"),
    )
    .await;
    assert_eq!(
        sent_items["value"][0]["subject"], "Intern",
        "saved to Sent Items by default"
    );
    let (_, inbox, _) = graph_get(
        &fake,
        &token,
        &format!("/v1.0/users/{INFO}/mailFolders/inbox/messages?$top=1"),
    )
    .await;
    assert_eq!(
        inbox["value"][0]["subject"], "Intern",
        "delivered to the fake's own mailbox"
    );
}

#[tokio::test]
async fn send_mail_needs_mail_send() {
    let fake = demo().await;
    fake.update_application(
        CLIENT_ID.parse().unwrap(),
        fake_microsoft::ApplicationPatch {
            application_permissions: Some(vec!["Mail.ReadWrite".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    let token = app_token(&fake).await;
    let message = json!({"message": {"subject": "x", "toRecipients": [{"emailAddress": {"address": "a@example.nl"}}]}});
    let response = http()
        .post(format!("{}/v1.0/users/{INFO}/sendMail", fake.base_url()))
        .bearer_auth(&token)
        .json(&message)
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
    assert!(fake.all_sent_messages().is_empty());
}

#[tokio::test]
async fn max_concurrency_per_mailbox_is_recorded() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    fake.fail(
        Endpoint::GraphMessages,
        Fault::Latency { millis: 300 },
        None,
    );
    let info = format!("/v1.0/users/{INFO_ID}/mailFolders/inbox/messages");
    let info_by_upn = format!("/v1.0/users/{INFO}/mailFolders/inbox/messages");
    let (a, b) = tokio::join!(
        graph_get(&fake, &token, &info),
        graph_get(&fake, &token, &info_by_upn)
    );
    assert_eq!((a.0, b.0), (200, 200));
    let leden = format!("/v1.0/users/{LEDEN}/mailFolders/inbox/messages");
    graph_get(&fake, &token, &leden).await;
    graph_get(&fake, &token, &leden).await;
    let info_concurrency = fake.mailbox_concurrency(INFO).unwrap();
    assert_eq!(
        (info_concurrency.in_flight, info_concurrency.max_in_flight),
        (0, 2)
    );
    assert_eq!(fake.mailbox_concurrency(LEDEN_ID).unwrap().max_in_flight, 1);
    // A request the client abandons leaves the mailbox too.
    fake.clear_faults();
    fake.fail(Endpoint::GraphMessages, Fault::Hang, Some(1));
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    assert!(impatient
        .get(format!("{}{leden}", fake.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .is_err());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(fake.mailbox_concurrency(LEDEN).unwrap().in_flight, 0);
}
