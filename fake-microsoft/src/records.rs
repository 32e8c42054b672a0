//! What the fake observed, for tests to assert on: token requests, Graph requests, sent mail
//! and per-mailbox concurrency.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::directory::Attachment;
use crate::faults::Endpoint;

/// One request to the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequestRecord {
    /// `grant_type` as sent (empty when missing).
    pub grant_type: String,
    /// `client_id` as sent.
    pub client_id: Option<String>,
    /// The `{tenant}` path segment.
    pub tenant: String,
    /// The AADSTS code when it failed.
    pub error_code: Option<u32>,
    /// When (fake clock).
    pub at: DateTime<Utc>,
}

/// One Graph request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphRequestRecord {
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Which endpoint.
    pub endpoint: Endpoint,
    /// The mailbox addressed, when it resolved.
    pub mailbox: Option<Uuid>,
    /// Response status (0 when the connection was left hanging).
    pub status: u16,
    /// When (fake clock).
    pub at: DateTime<Utc>,
}

/// A message sent through `POST /users/{id}/sendMail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    /// The sending mailbox's object ID.
    pub from_user: Uuid,
    /// The sending mailbox's address.
    pub from_address: String,
    /// Subject.
    pub subject: String,
    /// `text` or `html`.
    pub body_content_type: String,
    /// Body.
    pub body: String,
    /// To addresses.
    pub to: Vec<String>,
    /// Cc addresses.
    pub cc: Vec<String>,
    /// Bcc addresses.
    pub bcc: Vec<String>,
    /// File attachments.
    pub attachments: Vec<Attachment>,
    /// `saveToSentItems` as honoured.
    pub save_to_sent_items: bool,
    /// When (fake clock).
    pub sent_at: DateTime<Utc>,
    /// The `message` object exactly as posted.
    pub raw: serde_json::Value,
}

/// An attachment's content served: through `…/attachments/{id}/$value`, or as
/// `contentBytes` in a list that did not leave it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDownload {
    /// The message's ID.
    pub message_id: String,
    /// The attachment's ID.
    pub attachment_id: String,
    /// `$value` or `contentBytes`.
    pub via: String,
    /// Content bytes handed to the connection; for `$value`, known once the body ends or
    /// the client stops reading (then what the socket took, not what the client kept).
    pub bytes_served: u64,
    /// When (fake clock).
    pub at: DateTime<Utc>,
}

/// In-flight Graph requests for one mailbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxConcurrency {
    /// Requests being answered now.
    pub in_flight: u32,
    /// The most ever answered at once.
    pub max_in_flight: u32,
}

/// All observations.
#[derive(Debug, Default)]
pub struct Records {
    /// Token requests, oldest first.
    pub token_requests: Vec<TokenRequestRecord>,
    /// Graph requests, oldest first.
    pub graph_requests: Vec<GraphRequestRecord>,
    /// Sent mail, oldest first.
    pub sent: Vec<SentMessage>,
    /// Attachment contents served, oldest first.
    pub attachment_downloads: Vec<AttachmentDownload>,
    /// Concurrency per mailbox object ID.
    pub concurrency: HashMap<Uuid, MailboxConcurrency>,
}

impl Records {
    /// Counts a request starting on `mailbox`.
    pub fn enter(&mut self, mailbox: Uuid) {
        let entry = self.concurrency.entry(mailbox).or_default();
        entry.in_flight += 1;
        entry.max_in_flight = entry.max_in_flight.max(entry.in_flight);
    }

    /// Counts a request on `mailbox` finishing.
    pub fn leave(&mut self, mailbox: Uuid) {
        if let Some(entry) = self.concurrency.get_mut(&mailbox) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
        }
    }

    /// How many token requests had this `grant_type`.
    pub fn token_request_count(&self, grant_type: &str) -> usize {
        self.token_requests
            .iter()
            .filter(|r| r.grant_type == grant_type)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrency_keeps_the_maximum() {
        let mut records = Records::default();
        let mailbox = Uuid::new_v4();
        records.enter(mailbox);
        records.enter(mailbox);
        records.leave(mailbox);
        records.enter(mailbox);
        records.leave(mailbox);
        records.leave(mailbox);
        records.leave(mailbox);
        assert_eq!(
            records.concurrency[&mailbox],
            MailboxConcurrency {
                in_flight: 0,
                max_in_flight: 2
            }
        );
    }
}
