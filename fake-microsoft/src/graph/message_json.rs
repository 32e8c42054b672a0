//! Graph's JSON for users, mail folders, messages and attachments.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::clock::graph_time;
use crate::directory::{Attachment, EmailAddress, Folder, Message, User};
use crate::ids::{base64url, immutable_id};

/// `GET /users/{id}`.
pub fn user_json(user: &User, base_url: &str) -> Value {
    json!({
        "@odata.context": format!("{base_url}/v1.0/$metadata#users/$entity"),
        "businessPhones": [],
        "displayName": user.display_name,
        "givenName": null,
        "jobTitle": null,
        "mail": user.mail(),
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": null,
        "surname": null,
        "userPrincipalName": user.user_principal_name,
        "id": user.object_id,
    })
}

/// The stable ID of a user's well-known folder.
pub fn folder_id(user: &User, folder: Folder) -> String {
    let mut bytes = user.object_id.as_bytes().to_vec();
    bytes.extend_from_slice(folder.well_known_name().as_bytes());
    format!(
        "AAMkAF{}",
        base64::engine::general_purpose::URL_SAFE.encode(bytes)
    )
}

/// `GET /users/{id}/mailFolders/{folder}`.
pub fn folder_json(user: &User, folder: Folder, base_url: &str) -> Value {
    let in_folder = user.messages.iter().filter(|m| m.folder == folder);
    let total = in_folder.clone().count();
    let unread = in_folder.filter(|m| !m.is_read).count();
    json!({
        "@odata.context": format!("{base_url}/v1.0/$metadata#users('{}')/mailFolders/$entity", user.object_id),
        "id": folder_id(user, folder),
        "displayName": folder.display_name(),
        "parentFolderId": format!("AAMkAFroot{}", base64url(user.object_id.as_bytes())),
        "childFolderCount": 0,
        "unreadItemCount": unread,
        "totalItemCount": total,
        "sizeInBytes": 0,
        "isHidden": false,
    })
}

/// A message with every property Graph returns by default.
pub fn message_json(message: &Message, owner: &User) -> Value {
    let modified = message.last_modified_at.unwrap_or(message.received_at);
    json!({
        "@odata.etag": etag(message),
        "id": message.id,
        "createdDateTime": graph_time(message.received_at),
        "lastModifiedDateTime": graph_time(modified),
        "changeKey": change_key(message),
        "categories": [],
        "receivedDateTime": graph_time(message.received_at),
        "sentDateTime": graph_time(message.received_at),
        "hasAttachments": !message.attachments.is_empty(),
        "internetMessageId": message.internet_message_id.clone().unwrap_or_else(|| format!("<{}@fake-microsoft.local>", &message.id[message.id.len().saturating_sub(16)..])),
        "subject": message.subject,
        "bodyPreview": message.body_preview(),
        "importance": "normal",
        "parentFolderId": folder_id(owner, message.folder),
        "conversationId": format!("AAQk{}", base64url(message.id.as_bytes())),
        "isDeliveryReceiptRequested": false,
        "isReadReceiptRequested": false,
        "isRead": message.is_read,
        "isDraft": false,
        "webLink": format!("https://outlook.office365.com/owa/?ItemID={}&exvsurl=1&viewmodel=ReadMessageItem", message.id),
        "inferenceClassification": "focused",
        "body": {"contentType": message.body.content_type, "content": message.body.content},
        "sender": recipient(&message.from),
        "from": recipient(&message.from),
        "toRecipients": message.to.iter().map(recipient).collect::<Vec<_>>(),
        "ccRecipients": message.cc.iter().map(recipient).collect::<Vec<_>>(),
        "bccRecipients": [],
        "replyTo": [],
        "flag": {"flagStatus": "notFlagged"},
    })
}

/// Keeps only the `$select`ed properties (case-insensitive); `@odata.etag` and `id` always
/// stay, as in Graph.
pub fn select(full: Value, selected: Option<&[String]>) -> Value {
    let (Some(selected), Value::Object(map)) = (selected, &full) else {
        return full;
    };
    let kept: Map<String, Value> = map
        .iter()
        .filter(|(key, _)| {
            key.as_str() == "@odata.etag"
                || key.as_str() == "id"
                || selected.iter().any(|s| s.eq_ignore_ascii_case(key))
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(kept)
}

/// A file attachment as listed: every property, `contentBytes` included, unless `$select`
/// names others (`@odata.type` and `@odata.mediaContentType` stay, as in Graph: the list
/// holds several kinds). The content is rendered only when it is listed.
pub fn attachment_json(
    attachment: &Attachment,
    modified: &str,
    selected: Option<&[String]>,
) -> Value {
    let wants = |name: &str| {
        selected.is_none_or(|names| names.iter().any(|s| s.eq_ignore_ascii_case(name)))
    };
    let mut item = json!({
        "@odata.type": "#microsoft.graph.fileAttachment",
        "@odata.mediaContentType": attachment.content_type,
        "id": attachment.id,
        "lastModifiedDateTime": modified,
        "name": attachment.name,
        "contentType": attachment.content_type,
        "size": attachment.listed_size(),
        "isInline": false,
        "contentId": null,
        "contentLocation": null,
    });
    if wants("contentBytes") {
        item["contentBytes"] = json!(match attachment.generated_bytes {
            Some(length) => STANDARD.encode(generated(0, length)),
            None => attachment.content_base64.clone(),
        });
    }
    match (selected, item) {
        (Some(names), Value::Object(map)) => Value::Object(
            map.into_iter()
                .filter(|(key, _)| {
                    key.starts_with("@odata.")
                        || key == "id"
                        || names.iter().any(|s| s.eq_ignore_ascii_case(key))
                })
                .collect(),
        ),
        (_, item) => item,
    }
}

/// Bytes `offset..offset + length` of generated content: a fixed pattern, so a test can
/// tell what it got.
pub fn generated(offset: u64, length: u64) -> Vec<u8> {
    (offset..offset + length).map(|n| (n % 251) as u8).collect()
}

/// Whether a request asked for immutable IDs (`Prefer: IdType="ImmutableId"`, alone or
/// beside other preferences): the preference applies to that request only.
pub fn wants_immutable_ids(headers: &http::HeaderMap) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| {
            p.trim()
                .replace(' ', "")
                .eq_ignore_ascii_case("IdType=\"ImmutableId\"")
        })
}

/// A message or `@removed` entry with its `id` in the form the request asked for.
pub fn with_id_form(mut entry: Value, immutable: bool) -> Value {
    if immutable {
        if let Some(id) = entry.get("id").and_then(Value::as_str).map(immutable_id) {
            entry["id"] = Value::String(id);
        }
    }
    entry
}

/// A delta entry for a message that is gone.
pub fn removed_json(id: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.message",
        "id": id,
        "@removed": {"reason": "deleted"},
    })
}

fn recipient(address: &EmailAddress) -> Value {
    json!({"emailAddress": {"name": address.name, "address": address.address}})
}

fn change_key(message: &Message) -> String {
    STANDARD.encode(format!("CQAAABYAAA{}", message.change_seq))
}

fn etag(message: &Message) -> String {
    format!("W/\"{}\"", change_key(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;

    #[test]
    fn select_keeps_id_and_etag() {
        let demo = Directory::demo().unwrap_or_default();
        let user = &demo.tenants[0].users[0];
        let full = message_json(&user.messages[0], user);
        assert_eq!(full["hasAttachments"], false);
        let selected = select(full, Some(&["subject".to_owned(), "ISREAD".to_owned()]));
        let mut keys: Vec<&String> = selected
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        keys.sort();
        assert_eq!(keys, ["@odata.etag", "id", "isRead", "subject"]);
    }

    #[test]
    fn attachment_size_is_decoded_length() {
        let attachment = Attachment::file("x.txt", "text/plain", STANDARD.encode("hallo"));
        assert_eq!(attachment_json(&attachment, "", None)["size"], 5);
        assert_eq!(
            attachment_json(&attachment, "", None)["contentBytes"],
            "aGFsbG8="
        );
    }

    #[test]
    fn a_selected_list_leaves_the_content_out() {
        let mut attachment = Attachment::file("groot.bin", "application/pdf", String::new());
        attachment.generated_bytes = Some(300);
        attachment.listed_size = Some(10);
        let names = ["id".to_owned(), "size".to_owned(), "name".to_owned()];
        let listed = attachment_json(&attachment, "", Some(&names));
        assert_eq!(listed["size"], 10, "the listed size, not the content's");
        assert_eq!(listed["@odata.type"], "#microsoft.graph.fileAttachment");
        assert!(listed.get("contentBytes").is_none());
        assert!(listed.get("isInline").is_none());
        let whole = attachment_json(&attachment, "", None);
        assert_eq!(whole["contentBytes"], STANDARD.encode(generated(0, 300)));
        assert_eq!(generated(250, 3), [250, 0, 1]);
    }
}
