//! Graph delta pages on the inbox (docs/microsoft.md §6), pure: the first URL and what a page
//! says — messages, `@removed` ids, and the `@odata.nextLink` or `@odata.deltaLink`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The properties a sync stores; `$select` keeps pages small.
pub const SELECT: &str = "internetMessageId,subject,from,toRecipients,ccRecipients,\
receivedDateTime,body,hasAttachments,isRead";

/// The first request of a round: the inbox's delta, bounded to mail received since `since`.
pub fn first_url(graph_url: &str, object_id: &str, since: DateTime<Utc>) -> String {
    let filter = format!(
        "receivedDateTime ge {}",
        since.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    format!(
        "{graph_url}/v1.0/users/{}/mailFolders/inbox/messages/delta?$select={}&$filter={}",
        encode(object_id),
        encode(SELECT),
        encode(&filter)
    )
}

/// Whether `link` (a next or delta link from a Graph answer, or stored from one) points at
/// the configured Graph: the bearer token goes wherever it points.
pub fn is_graph_link(link: &str, graph_url: &str) -> bool {
    link.strip_prefix(graph_url)
        .is_some_and(|rest| rest.starts_with("/v1.0/"))
}

/// Percent-encoding for a query value, spaces as `%20` (not every server reads `+`).
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// One page of a delta round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeltaPage {
    pub messages: Vec<IncomingMessage>,
    /// Graph ids reported `@removed`.
    pub removed: Vec<String>,
    pub next: NextLink,
}

/// Where the round goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextLink {
    /// `@odata.nextLink`: more pages of this round.
    More(String),
    /// `@odata.deltaLink`: the round is done; the link returns later changes.
    Done(String),
}

/// A message as Graph listed it (body not yet sanitised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingMessage {
    /// The immutable id (the sync asks for it, `Prefer: IdType="ImmutableId"`): the
    /// duplicate key.
    pub graph_id: String,
    /// The sender's Message-ID as stored: see [`message_key`]. Information, not a key: a
    /// sender can choose one another message already has.
    pub internet_message_id: String,
    pub from_address: String,
    pub from_name: Option<String>,
    /// "Name <address>" (or the address alone).
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    /// None when Graph's `receivedDateTime` is missing or unreadable (see
    /// `normalise::received_at` for what is stored then).
    pub received_at: Option<DateTime<Utc>>,
    pub is_read: bool,
    /// `html` or `text`.
    pub body_content_type: String,
    pub body: String,
    pub has_attachments: bool,
}

/// Reads a page; an error names what is missing.
pub fn parse_page(page: &Value) -> Result<DeltaPage, String> {
    let next = match (
        page["@odata.nextLink"].as_str(),
        page["@odata.deltaLink"].as_str(),
    ) {
        (Some(link), _) => NextLink::More(link.to_string()),
        (None, Some(link)) => NextLink::Done(link.to_string()),
        (None, None) => return Err("a delta page without nextLink or deltaLink".into()),
    };
    let items = page["value"]
        .as_array()
        .ok_or("a delta page without value")?;
    let mut messages = Vec::new();
    let mut removed = Vec::new();
    for item in items {
        // An empty id is no id: a message is fetched, marked read and kept apart by it.
        let id = item["id"]
            .as_str()
            .filter(|id| !id.is_empty())
            .ok_or("a delta item without id")?;
        if item.get("@removed").is_some() {
            removed.push(id.to_string());
        } else {
            messages.push(parse_message(id, item)?);
        }
    }
    Ok(DeltaPage {
        messages,
        removed,
        next,
    })
}

fn parse_message(id: &str, item: &Value) -> Result<IncomingMessage, String> {
    // An unreadable date does not make the page unreadable: the message is stored with a
    // fallback (`normalise::received_at`).
    let received = item["receivedDateTime"]
        .as_str()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map(|at| at.with_timezone(&Utc));
    let from = &item["from"]["emailAddress"];
    let text = |value: &Value| value.as_str().unwrap_or_default().to_string();
    Ok(IncomingMessage {
        graph_id: id.to_string(),
        internet_message_id: message_key(item["internetMessageId"].as_str(), id),
        from_address: text(&from["address"]),
        from_name: from["name"]
            .as_str()
            .filter(|name| !name.is_empty())
            .map(str::to_string),
        to: recipients(&item["toRecipients"]),
        cc: recipients(&item["ccRecipients"]),
        subject: text(&item["subject"]),
        received_at: received,
        is_read: item["isRead"].as_bool().unwrap_or(false),
        body_content_type: item["body"]["contentType"]
            .as_str()
            .unwrap_or("text")
            .to_ascii_lowercase(),
        body: text(&item["body"]["content"]),
        has_attachments: item["hasAttachments"].as_bool().unwrap_or(false),
    })
}

fn recipients(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|entry| {
                    let address = entry["emailAddress"]["address"].as_str().unwrap_or("");
                    match entry["emailAddress"]["name"].as_str() {
                        Some(name) if !name.is_empty() && name != address => {
                            format!("{name} <{address}>")
                        }
                        _ => address.to_string(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The stored Message-ID: its `internetMessageId`, without NUL; one longer than the indexed
/// column as `sha256:<hex>`; a message without one (a draft) by its Graph id.
pub fn message_key(internet_message_id: Option<&str>, graph_id: &str) -> String {
    let cleaned = internet_message_id.map(|id| id.replace('\0', ""));
    match cleaned
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
    {
        Some(id) if id.len() <= 255 => id.to_string(),
        Some(id) => hashed(id),
        None => {
            let key = format!("graph:{graph_id}");
            if key.len() <= 255 {
                key
            } else {
                hashed(&key)
            }
        }
    }
}

fn hashed(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use serde_json::json;

    use super::*;

    #[test]
    fn a_page_with_messages_removals_and_a_next_link() {
        let page = json!({
            "@odata.nextLink": "https://graph/next?$skiptoken=a",
            "value": [
                {"id": "m1", "internetMessageId": "<a@x>", "subject": "Hallo",
                 "receivedDateTime": "2026-01-05T09:14:00Z", "isRead": false,
                 "hasAttachments": true,
                 "body": {"contentType": "HTML", "content": "<p>Hi</p>"},
                 "from": {"emailAddress": {"name": "Piet", "address": "piet@x.nl"}},
                 "toRecipients": [{"emailAddress": {"name": "Info", "address": "info@y.nl"}},
                                  {"emailAddress": {"name": "", "address": "b@y.nl"}}],
                 "ccRecipients": []},
                {"id": "m0", "@removed": {"reason": "deleted"}}
            ]
        });
        let parsed = parse_page(&page).unwrap();
        assert_eq!(
            parsed.next,
            NextLink::More("https://graph/next?$skiptoken=a".into())
        );
        assert_eq!(parsed.removed, ["m0"]);
        let m = &parsed.messages[0];
        assert_eq!(m.internet_message_id, "<a@x>");
        assert_eq!(m.from_name.as_deref(), Some("Piet"));
        assert_eq!(m.to, ["Info <info@y.nl>", "b@y.nl"]);
        assert_eq!(m.body_content_type, "html");
        assert!(m.has_attachments && !m.is_read);
    }

    #[test]
    fn the_last_page_carries_the_delta_link() {
        let page = json!({"@odata.deltaLink": "https://graph/d?$deltatoken=z", "value": []});
        assert_eq!(
            parse_page(&page).unwrap().next,
            NextLink::Done("https://graph/d?$deltatoken=z".into())
        );
        assert!(parse_page(&json!({"value": []})).is_err());
        // A message without a readable date is listed, its date left to the store.
        let no_date = json!({"@odata.deltaLink": "d", "value": [{"id": "m"},
            {"id": "n", "receivedDateTime": "gisteren"}]});
        let listed = parse_page(&no_date).unwrap().messages;
        assert_eq!(listed.len(), 2);
        assert!(listed.iter().all(|m| m.received_at.is_none()));
    }

    #[test]
    fn keys_fit_the_indexed_column() {
        assert_eq!(message_key(Some(" <a@b> "), "g"), "<a@b>");
        assert_eq!(message_key(None, "g1"), "graph:g1");
        assert_eq!(message_key(Some("<a\0@b>"), "g"), "<a@b>");
        let long = format!("<{}@x>", "a".repeat(300));
        let key = message_key(Some(&long), "g");
        assert!(key.starts_with("sha256:") && key.len() == 71);
        assert_eq!(key, message_key(Some(&long), "other"), "stable");
    }

    #[test]
    fn the_first_url_is_bounded_by_the_start_date() {
        let since = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let url = first_url("http://g", "oid", since);
        assert!(url.starts_with("http://g/v1.0/users/oid/mailFolders/inbox/messages/delta?"));
        assert!(url.contains("$filter=receivedDateTime%20ge%202026-01-01T00%3A00%3A00Z"));
        assert!(url.contains("$select=internetMessageId%2Csubject"));
        assert!(is_graph_link(&url, "http://g"));
        assert!(!is_graph_link("http://g.evil/v1.0/x", "http://g"));
        assert!(!is_graph_link("https://elders/v1.0/x", "http://g"));
    }

    /// Found by the graph_page fuzz target (`make fuzz`): an empty `id` was read as a message
    /// with no id.
    #[test]
    fn an_empty_id_is_no_id() {
        let at = "2026-01-05T09:14:00Z";
        for item in [
            json!({"id": "", "receivedDateTime": at}),
            json!({"id": "", "@removed": {"reason": "deleted"}}),
        ] {
            let page = json!({"@odata.deltaLink": "d", "value": [item]});
            assert_eq!(
                parse_page(&page).unwrap_err(),
                "a delta item without id",
                "{page}"
            );
        }
    }
}
