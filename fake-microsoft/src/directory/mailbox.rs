//! A user's mailbox: messages in Inbox and Sent Items, with the change sequence numbers and
//! tombstones that Graph delta queries are computed from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Directory, User};
use crate::ids::{default_id, new_attachment_id, new_message_id};

/// A mail message.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Graph message ID (generated when the fixture leaves it out).
    #[serde(default = "new_message_id")]
    pub id: String,
    /// `internetMessageId`, the Message-ID header: chosen by the sender, so two messages
    /// may share one. Derived from the Graph ID when the fixture leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_message_id: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Sender.
    pub from: EmailAddress,
    /// To recipients.
    #[serde(default)]
    pub to: Vec<EmailAddress>,
    /// Cc recipients.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<EmailAddress>,
    /// When the message arrived (`receivedDateTime`).
    pub received_at: DateTime<Utc>,
    /// Body.
    #[serde(default)]
    pub body: MessageBody,
    /// Whether the message has been read.
    #[serde(default)]
    pub is_read: bool,
    /// Folder holding the message.
    #[serde(default)]
    pub folder: Folder,
    /// File attachments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Last change sequence number (assigned by the directory).
    #[serde(skip)]
    pub change_seq: u64,
    /// Last modification (`lastModifiedDateTime`); the receive time until changed.
    #[serde(skip)]
    pub last_modified_at: Option<DateTime<Utc>>,
}

/// A name and address, as Graph's `emailAddress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailAddress {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// SMTP address.
    pub address: String,
}

/// A message body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// `text` or `html`.
    pub content_type: String,
    /// The content.
    pub content: String,
}

impl Default for MessageBody {
    fn default() -> Self {
        Self {
            content_type: "text".to_owned(),
            content: String::new(),
        }
    }
}

/// A mail folder (well-known names only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Folder {
    /// `inbox`.
    #[default]
    Inbox,
    /// `sentitems`.
    SentItems,
}

impl Folder {
    /// Parses a Graph well-known folder name (case-insensitive).
    pub fn from_well_known_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "inbox" => Some(Self::Inbox),
            "sentitems" => Some(Self::SentItems),
            _ => None,
        }
    }

    /// The well-known name.
    pub fn well_known_name(self) -> &'static str {
        match self {
            Self::Inbox => "inbox",
            Self::SentItems => "sentitems",
        }
    }

    /// The English display name.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Inbox => "Inbox",
            Self::SentItems => "Sent Items",
        }
    }
}

/// A file attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Graph attachment ID.
    #[serde(default = "new_attachment_id")]
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// The content, base64 (Graph's `contentBytes`); empty when it is generated.
    #[serde(default)]
    pub content_base64: String,
    /// Content made up as it is served instead: this many bytes of a fixed pattern
    /// ([`crate::graph::attachment_value`]), never held whole, so tests and the benchmark
    /// can attach files of tens of megabytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_bytes: Option<u64>,
    /// The `size` the attachment list reports when it is not the content's: a sender's
    /// lie, as a hostile message may carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_size: Option<u64>,
}

impl Attachment {
    /// A file attachment with this content.
    pub fn file(name: &str, content_type: &str, content_base64: String) -> Self {
        Self {
            id: new_attachment_id(),
            name: name.to_owned(),
            content_type: content_type.to_owned(),
            content_base64,
            generated_bytes: None,
            listed_size: None,
        }
    }

    /// The length of its content in bytes.
    pub fn content_length(&self) -> u64 {
        match self.generated_bytes {
            Some(length) => length,
            None => base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                &self.content_base64,
            )
            .map_or(0, |bytes| bytes.len() as u64),
        }
    }

    /// The `size` Graph lists for it.
    pub fn listed_size(&self) -> u64 {
        self.listed_size.unwrap_or_else(|| self.content_length())
    }
}

/// A message that left a folder: reported by delta queries as `@removed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedMessage {
    /// The former message ID.
    pub id: String,
    /// The folder it left.
    pub folder: Folder,
    /// Sequence number of the removal.
    pub change_seq: u64,
}

impl Directory {
    /// Hands out the next change sequence number.
    pub fn next_change_seq(&mut self) -> u64 {
        self.change_counter += 1;
        self.change_counter
    }
}

impl User {
    /// The message with `id` (either form, see [`crate::ids::immutable_id`]) in any folder.
    pub fn message(&self, id: &str) -> Option<&Message> {
        let id = default_id(id);
        self.messages.iter().find(|m| m.id == id)
    }

    /// The message with `id` and its position, searched from position `from` on first and
    /// then from the start: lookups in mailbox order take constant time.
    pub fn message_from(&self, id: &str, from: usize) -> Option<(usize, &Message)> {
        let from = from.min(self.messages.len());
        let (before, after) = self.messages.split_at(from);
        after
            .iter()
            .position(|m| m.id == id)
            .map(|i| from + i)
            .or_else(|| before.iter().position(|m| m.id == id))
            .map(|i| (i, &self.messages[i]))
    }

    /// Stores a message under change `seq`.
    pub fn add_message(&mut self, mut message: Message, seq: u64) {
        message.change_seq = seq;
        self.messages.push(message);
    }

    /// Deletes a message, leaving a tombstone for delta queries; false when absent.
    pub fn remove_message(&mut self, id: &str, seq: u64) -> bool {
        let id = default_id(id);
        let Some(index) = self.messages.iter().position(|m| m.id == id) else {
            return false;
        };
        let removed = self.messages.remove(index);
        self.removed_messages.push(RemovedMessage {
            id: removed.id,
            folder: removed.folder,
            change_seq: seq,
        });
        true
    }

    /// Marks a message read or unread under change `seq`.
    pub fn set_read(
        &mut self,
        id: &str,
        is_read: bool,
        seq: u64,
        now: DateTime<Utc>,
    ) -> Option<&Message> {
        let id = default_id(id);
        let message = self.messages.iter_mut().find(|m| m.id == id)?;
        message.is_read = is_read;
        message.change_seq = seq;
        message.last_modified_at = Some(now);
        Some(message)
    }
}

impl Message {
    /// A short plain-text preview, as Graph's `bodyPreview` (at most 255 characters).
    pub fn body_preview(&self) -> String {
        let text = if self.body.content_type.eq_ignore_ascii_case("html") {
            strip_tags(&self.body.content)
        } else {
            self.body.content.clone()
        };
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        collapsed.chars().take(255).collect()
    }
}

fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn user() -> User {
        User {
            object_id: Uuid::nil(),
            user_principal_name: "a@b.nl".into(),
            display_name: "A".into(),
            password: "p".into(),
            mailbox_enabled: true,
            mfa_required: false,
            sign_in_blocked: false,
            mail: None,
            admin: false,
            tokens_valid_from: None,
            messages: Vec::new(),
            removed_messages: Vec::new(),
        }
    }

    fn message(id: &str) -> Message {
        Message {
            id: id.into(),
            internet_message_id: None,
            subject: "Hallo".into(),
            from: EmailAddress {
                name: "X".into(),
                address: "x@y.nl".into(),
            },
            to: Vec::new(),
            cc: Vec::new(),
            received_at: Utc::now(),
            body: MessageBody {
                content_type: "html".into(),
                content: "<p>Beste   lid,</p><p>welkom</p>".into(),
            },
            is_read: false,
            folder: Folder::Inbox,
            attachments: Vec::new(),
            change_seq: 0,
            last_modified_at: None,
        }
    }

    #[test]
    fn removing_leaves_a_tombstone() {
        let mut user = user();
        user.add_message(message("m1"), 1);
        assert!(user.remove_message("m1", 2));
        assert!(!user.remove_message("m1", 3));
        assert_eq!(user.removed_messages.len(), 1);
        assert_eq!(user.removed_messages[0].change_seq, 2);
    }

    #[test]
    fn set_read_bumps_the_change_sequence() {
        let mut user = user();
        user.add_message(message("m1"), 1);
        let changed = user
            .set_read("m1", true, 7, Utc::now())
            .map(|m| m.change_seq);
        assert_eq!(changed, Some(7));
        assert!(user.set_read("nope", true, 8, Utc::now()).is_none());
    }

    #[test]
    fn preview_strips_html_and_whitespace() {
        assert_eq!(message("m").body_preview(), "Beste lid, welkom");
    }

    #[test]
    fn folders_parse_case_insensitively() {
        assert_eq!(Folder::from_well_known_name("Inbox"), Some(Folder::Inbox));
        assert_eq!(
            Folder::from_well_known_name("SentItems"),
            Some(Folder::SentItems)
        );
        assert_eq!(Folder::from_well_known_name("drafts"), None);
    }
}
