//! Identifiers the fake hands out: GUIDs, opaque codes and tokens, Graph-style message IDs.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use uuid::Uuid;

/// A fresh random GUID.
pub fn new_guid() -> Uuid {
    Uuid::new_v4()
}

/// `n` × 16 random bytes from the operating system's generator (through `uuid`).
pub fn random_bytes(blocks: usize) -> Vec<u8> {
    (0..blocks)
        .flat_map(|_| *Uuid::new_v4().as_bytes())
        .collect()
}

/// An opaque, unguessable token such as an authorization code or refresh token, shaped like
/// Microsoft's (`0.A…`, base64url).
pub fn opaque_token(blocks: usize) -> String {
    format!("0.A{}", base64url(&random_bytes(blocks)))
}

/// A Graph message ID: Exchange IDs are long base64url strings starting `AAMk` (URL-safe,
/// padded, so they fit in a path segment as Graph's do).
pub fn new_message_id() -> String {
    format!("AAMk{}", URL_SAFE.encode(random_bytes(4)))
}

/// A Graph attachment ID (same shape as message IDs).
pub fn new_attachment_id() -> String {
    format!("AAMkAtt{}", URL_SAFE.encode(random_bytes(3)))
}

/// The prefix of the immutable form of a message ID (Exchange's start `AAkALg`).
const IMMUTABLE_PREFIX: &str = "AAkALg";

/// The immutable form of a message ID, as Graph returns it to a request with
/// `Prefer: IdType="ImmutableId"`: another string than the default (REST) ID, stable for
/// the message's life in the mailbox. The fake never moves messages between mailboxes, so
/// it derives it from the default ID, reversibly.
pub fn immutable_id(id: &str) -> String {
    format!("{IMMUTABLE_PREFIX}{}", base64url(id.as_bytes()))
}

/// The default form of a message ID given in either form: Graph accepts both in a request,
/// with or without the header.
pub fn default_id(id: &str) -> std::borrow::Cow<'_, str> {
    id.strip_prefix(IMMUTABLE_PREFIX)
        .and_then(|rest| URL_SAFE_NO_PAD.decode(rest).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map_or(std::borrow::Cow::Borrowed(id), std::borrow::Cow::Owned)
}

/// Base64url without padding, as JWTs and PKCE use it.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_url_safe() {
        let a = opaque_token(4);
        let b = opaque_token(4);
        assert_ne!(a, b);
        assert!(a.starts_with("0.A"));
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    }

    #[test]
    fn immutable_ids_differ_and_resolve_to_the_message() {
        let id = new_message_id();
        let immutable = immutable_id(&id);
        assert_ne!(immutable, id);
        assert_eq!(immutable, immutable_id(&id), "stable");
        assert_eq!(default_id(&immutable), id.as_str());
        assert_eq!(default_id(&id), id.as_str());
        assert!(!immutable.contains('/') && !immutable.contains('+'));
    }

    #[test]
    fn message_ids_look_like_exchange_ids() {
        let id = new_message_id();
        assert!(id.starts_with("AAMk"));
        assert!(id.len() > 60);
        assert!(!id.contains('/') && !id.contains('+'));
    }
}
