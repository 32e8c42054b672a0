//! `POST /users/{id}/sendMail`: record the message for tests, copy it to Sent Items when
//! `saveToSentItems` (default true), and deliver it to recipients that are mailboxes of the
//! fake.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::error::GraphError;
use crate::directory::{Attachment, EmailAddress, Folder, Message, MessageBody};
use crate::ids::{new_attachment_id, new_message_id};
use crate::records::SentMessage;
use crate::state::FakeState;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SendMailBody {
    message: OutgoingMessage,
    save_to_sent_items: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutgoingMessage {
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    body: Option<ItemBody>,
    #[serde(default)]
    to_recipients: Vec<Recipient>,
    #[serde(default)]
    cc_recipients: Vec<Recipient>,
    #[serde(default)]
    bcc_recipients: Vec<Recipient>,
    #[serde(default)]
    attachments: Vec<OutgoingAttachment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemBody {
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    content: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    email_address: GraphAddress,
}

#[derive(Debug, Deserialize)]
struct GraphAddress {
    address: String,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutgoingAttachment {
    name: String,
    #[serde(default)]
    content_type: Option<String>,
    content_bytes: String,
}

/// Sends mail as `sender` (already authorised); Graph answers 202 with an empty body.
pub fn send_mail(state: &mut FakeState, sender: Uuid, body: &[u8]) -> Result<(), GraphError> {
    let raw: Value = serde_json::from_slice(body).map_err(|_| unreadable())?;
    let request: SendMailBody = serde_json::from_value(raw.clone()).map_err(|e| {
        GraphError::new(
            400,
            "ErrorInvalidRequest",
            format!("Cannot process input: {e}"),
        )
    })?;
    let message = request.message;
    let to = addresses(&message.to_recipients);
    let cc = addresses(&message.cc_recipients);
    let bcc = addresses(&message.bcc_recipients);
    if to.is_empty() && cc.is_empty() && bcc.is_empty() {
        return Err(GraphError::new(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients."));
    }
    let now = state.now();
    let (_, user) = state
        .directory
        .user(sender)
        .ok_or_else(GraphError::item_not_found)?;
    let from = EmailAddress {
        name: user.display_name.clone(),
        address: user.mail().to_owned(),
    };
    let body = message.body.unwrap_or(ItemBody {
        content_type: None,
        content: None,
    });
    let attachments: Vec<Attachment> = message
        .attachments
        .into_iter()
        .map(|a| Attachment {
            id: new_attachment_id(),
            name: a.name,
            content_type: a
                .content_type
                .unwrap_or_else(|| "application/octet-stream".into()),
            content_base64: a.content_bytes,
            generated_bytes: None,
            listed_size: None,
        })
        .collect();
    let save_to_sent_items = request.save_to_sent_items.unwrap_or(true);
    let sent = SentMessage {
        from_user: sender,
        from_address: from.address.clone(),
        subject: message.subject.unwrap_or_default(),
        body_content_type: body
            .content_type
            .unwrap_or_else(|| "text".into())
            .to_ascii_lowercase(),
        body: body.content.unwrap_or_default(),
        to,
        cc,
        bcc,
        attachments,
        save_to_sent_items,
        sent_at: now,
        raw: raw.get("message").cloned().unwrap_or_default(),
    };
    let stored = |folder: Folder, recipients: &[Recipient]| Message {
        id: new_message_id(),
        internet_message_id: None,
        subject: sent.subject.clone(),
        from: from.clone(),
        to: recipients.iter().map(to_address).collect(),
        cc: message.cc_recipients.iter().map(to_address).collect(),
        received_at: now,
        body: MessageBody {
            content_type: sent.body_content_type.clone(),
            content: sent.body.clone(),
        },
        is_read: folder == Folder::SentItems,
        folder,
        attachments: sent.attachments.clone(),
        change_seq: 0,
        last_modified_at: None,
    };
    let mut deliveries = vec![(sender, stored(Folder::SentItems, &message.to_recipients))];
    if !save_to_sent_items {
        deliveries.clear();
    }
    for address in sent.to.iter().chain(&sent.cc).chain(&sent.bcc) {
        let local = state
            .directory
            .user_by_key(address)
            .map(|(_, u)| (u.object_id, u.mailbox_enabled));
        if let Some((recipient, true)) = local {
            deliveries.push((recipient, stored(Folder::Inbox, &message.to_recipients)));
        }
    }
    for (owner, message) in deliveries {
        let seq = state.directory.next_change_seq();
        if let Some(user) = state.directory.user_by_key_mut(&owner.to_string()) {
            user.add_message(message, seq);
        }
    }
    state.records.sent.push(sent);
    Ok(())
}

fn unreadable() -> GraphError {
    GraphError::bad_request("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
}

fn addresses(recipients: &[Recipient]) -> Vec<String> {
    recipients
        .iter()
        .map(|r| r.email_address.address.clone())
        .collect()
}

fn to_address(recipient: &Recipient) -> EmailAddress {
    EmailAddress {
        name: recipient.email_address.name.clone().unwrap_or_default(),
        address: recipient.email_address.address.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;

    fn demo() -> (FakeState, Uuid, Uuid) {
        let state = FakeState::new(Directory::demo().unwrap_or_default());
        let info = state.directory.tenants[0].users[0].object_id;
        let leden = state.directory.tenants[0].users[1].object_id;
        (state, info, leden)
    }

    fn inbox_len(state: &FakeState, user: Uuid) -> usize {
        state.directory.user(user).map_or(0, |(_, u)| {
            u.messages
                .iter()
                .filter(|m| m.folder == Folder::Inbox)
                .count()
        })
    }

    #[test]
    fn records_saves_and_delivers() {
        let (mut state, info, leden) = demo();
        let before = inbox_len(&state, leden);
        let body = br##"{"message":{"subject":"Welkom","body":{"contentType":"HTML","content":"<p>Hoi</p>"},
            "toRecipients":[{"emailAddress":{"address":"ledenadministratie@energiedemo.onmicrosoft.com"}}],
            "attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.txt","contentType":"text/plain","contentBytes":"aGFsbG8="}]}}"##;
        assert!(send_mail(&mut state, info, body).is_ok());
        let sent = &state.records.sent[0];
        assert_eq!(sent.subject, "Welkom");
        assert_eq!(sent.body_content_type, "html");
        assert!(sent.save_to_sent_items);
        assert_eq!(sent.attachments[0].name, "a.txt");
        assert_eq!(inbox_len(&state, leden), before + 1);
        let sent_items = state.directory.user(info).map_or(0, |(_, u)| {
            u.messages
                .iter()
                .filter(|m| m.folder == Folder::SentItems)
                .count()
        });
        assert_eq!(sent_items, 1);
    }

    #[test]
    fn save_to_sent_items_false_is_honoured() {
        let (mut state, info, _) = demo();
        let body = br#"{"message":{"subject":"x","toRecipients":[{"emailAddress":{"address":"someone@example.nl"}}]},"saveToSentItems":false}"#;
        assert!(send_mail(&mut state, info, body).is_ok());
        assert!(!state.records.sent[0].save_to_sent_items);
        let sent_items = state.directory.user(info).map_or(0, |(_, u)| {
            u.messages
                .iter()
                .filter(|m| m.folder == Folder::SentItems)
                .count()
        });
        assert_eq!(sent_items, 0);
    }

    #[test]
    fn bad_bodies_are_400() {
        let (mut state, info, _) = demo();
        let code = |state: &mut FakeState, body: &[u8]| {
            send_mail(state, info, body)
                .err()
                .map(|e| (e.status, e.code))
        };
        assert_eq!(code(&mut state, b"{"), Some((400, "BadRequest")));
        assert_eq!(
            code(&mut state, br#"{"message":{"subject":"x"}}"#),
            Some((400, "ErrorInvalidRecipients"))
        );
    }
}
