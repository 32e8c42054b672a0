//! Delta queries: paging, the delta link, `@removed`, and 410 `SyncStateNotFound`.

use chrono::Duration;
use fake_microsoft::directory::{EmailAddress, Folder, Message, MessageBody};

use crate::support::*;

async fn delta_get(
    fake: &fake_microsoft::FakeMicrosoft,
    token: &str,
    url: &str,
) -> (u16, serde_json::Value) {
    let response = http()
        .get(url)
        .bearer_auth(token)
        .header("Prefer", "odata.maxpagesize=2")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let _ = fake;
    (status, response.json().await.unwrap())
}

/// Runs a whole round; returns its items and the delta link.
async fn round(
    fake: &fake_microsoft::FakeMicrosoft,
    token: &str,
    start: &str,
) -> (Vec<serde_json::Value>, String) {
    let mut items = Vec::new();
    let mut url = start.to_owned();
    for _ in 0..10 {
        let (status, body) = delta_get(fake, token, &url).await;
        assert_eq!(status, 200, "{body}");
        items.extend(body["value"].as_array().unwrap().iter().cloned());
        if let Some(next) = body["@odata.nextLink"].as_str() {
            url = next.to_owned();
        } else {
            return (
                items,
                body["@odata.deltaLink"]
                    .as_str()
                    .expect("delta link")
                    .to_owned(),
            );
        }
    }
    panic!("delta did not finish")
}

fn new_message(subject: &str) -> Message {
    Message {
        id: fake_microsoft::ids::new_message_id(),
        internet_message_id: None,
        subject: subject.into(),
        from: EmailAddress {
            name: "Nieuw Lid".into(),
            address: "nieuw@example.nl".into(),
        },
        to: Vec::new(),
        cc: Vec::new(),
        received_at: chrono::Utc::now(),
        body: MessageBody::default(),
        is_read: false,
        folder: Folder::Inbox,
        attachments: Vec::new(),
        change_seq: 0,
        last_modified_at: None,
    }
}

#[tokio::test]
async fn delta_pages_then_reports_new_changed_and_removed_messages() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let start = format!(
        "{}/v1.0/users/{INFO_ID}/mailFolders/inbox/messages/delta?$select=subject,isRead",
        fake.base_url()
    );
    let (first, delta_link) = round(&fake, &token, &start).await;
    assert_eq!(first.len(), 3);
    assert!(first[0].get("body").is_none(), "$select honoured");
    assert!(delta_link.contains("$deltatoken="), "{delta_link}");
    let (empty, delta_link) = round(&fake, &token, &delta_link).await;
    assert!(empty.is_empty());

    let added = fake
        .add_message(INFO, new_message("Aanmelding als lid"))
        .unwrap();
    let removed = first[1]["id"].as_str().unwrap().to_owned();
    fake.delete_message(INFO, &removed).unwrap();
    let changed = first[2]["id"].as_str().unwrap().to_owned();
    let url = format!(
        "{}/v1.0/users/{INFO_ID}/messages/{changed}",
        fake.base_url()
    );
    let patched = http()
        .patch(url)
        .bearer_auth(&token)
        .json(&serde_json::json!({"isRead": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);

    let (changes, _) = round(&fake, &token, &delta_link).await;
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(changes[0]["id"], added.as_str());
    assert_eq!(changes[0]["subject"], "Aanmelding als lid");
    assert_eq!(changes[1]["id"], removed.as_str());
    assert_eq!(changes[1]["@removed"]["reason"], "deleted");
    assert_eq!(changes[2]["id"], changed.as_str());
    assert_eq!(changes[2]["isRead"], true);
}

#[tokio::test]
async fn unknown_delta_token_is_410_sync_state_not_found() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let url = format!(
        "{}/v1.0/users/{INFO_ID}/mailFolders/inbox/messages/delta?$deltatoken=forgotten",
        fake.base_url()
    );
    let (status, body) = delta_get(&fake, &token, &url).await;
    assert_eq!(status, 410);
    assert_eq!(body["error"]["code"], "SyncStateNotFound");
}

#[tokio::test]
async fn invalidated_and_expired_delta_tokens_need_a_resync() {
    let fake = demo().await;
    let token = app_token(&fake).await;
    let start = format!(
        "{}/v1.0/users/{INFO}/mailFolders/inbox/messages/delta",
        fake.base_url()
    );
    let (_, delta_link) = round(&fake, &token, &start).await;
    fake.invalidate_delta_tokens(INFO).unwrap();
    assert_eq!(delta_get(&fake, &token, &delta_link).await.0, 410);
    let (_, delta_link) = round(&fake, &token, &start).await;
    fake.advance_clock(Duration::days(8));
    let token = app_token(&fake).await;
    let (status, body) = delta_get(&fake, &token, &delta_link).await;
    assert_eq!(status, 410, "{body}");
    // A delta link of one mailbox does not work for another.
    let (_, delta_link) = round(&fake, &token, &start).await;
    let other = delta_link.replace(INFO, LEDEN);
    assert_eq!(delta_get(&fake, &token, &other).await.0, 410);
}
