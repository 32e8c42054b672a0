//! What Microsoft Graph answers a sync, read by the pure parsers: a delta page
//! (`backend::mail::delta::parse_page`), an attachments list
//! (`backend::mail::attachments::parse_attachments`) and an error body
//! (`backend::microsoft::graph::GraphError::from_body`), all fed the same bytes; the same text
//! as a `Retry-After` value too.
//!
//! Invariants, each from the parsers' docs: no panic; a page either fails or accounts for every
//! item, as a message or a removal, under the id Graph gave; every message has a non-empty
//! Graph id and a Message-ID key that fits the indexed column (1–255 bytes); the next link is the
//! one the page names; an attachment either has content within the cap or a reason it has none.

#![no_main]

use std::time::Duration;

use backend::mail::attachments::parse_attachments;
use backend::mail::delta::{message_key, parse_page, NextLink};
use backend::microsoft::graph::retry::parse_retry_after;
use backend::microsoft::graph::GraphError;
use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The configured cap is 10 MB; a small one makes "too large" reachable from small inputs.
const CAPS: [u64; 2] = [16, 10 * 1024 * 1024];

fuzz_target!(|data: &[u8]| {
    error_body(data);
    if let Ok(text) = std::str::from_utf8(data) {
        retry_after(text);
    }
    let Ok(json) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    delta_page(&json);
    for cap in CAPS {
        attachments(&json, cap);
    }
});

fn delta_page(json: &Value) {
    let Ok(page) = parse_page(json) else {
        return;
    };
    let items = json["value"]
        .as_array()
        .expect("a parsed page has a value array");
    assert_eq!(page.messages.len() + page.removed.len(), items.len());
    let mut messages = page.messages.iter();
    let mut removed = page.removed.iter();
    for item in items {
        let id = item["id"].as_str().expect("every parsed item has an id");
        if item.get("@removed").is_some() {
            assert_eq!(removed.next().map(String::as_str), Some(id));
        } else {
            let message = messages.next().expect("one message per item");
            assert_eq!(message.graph_id, id);
            assert!(!message.graph_id.is_empty(), "a message without a Graph id");
            let key = message_key(item["internetMessageId"].as_str(), id);
            assert!((1..=255).contains(&key.len()), "key {key:?}");
            assert_eq!(
                message.body_content_type,
                message.body_content_type.to_ascii_lowercase()
            );
        }
    }
    match (&page.next, json["@odata.nextLink"].as_str()) {
        (NextLink::More(link), Some(next)) => assert_eq!(link, next),
        (NextLink::Done(link), None) => {
            assert_eq!(Some(link.as_str()), json["@odata.deltaLink"].as_str())
        }
        (next, named) => panic!("next {next:?} for nextLink {named:?}"),
    }
}

fn attachments(json: &Value, cap: u64) {
    let parsed = parse_attachments(json, cap);
    let listed = json["value"].as_array().map_or(0, Vec::len);
    assert_eq!(parsed.len(), listed);
    for attachment in &parsed {
        match (&attachment.content, attachment.skipped) {
            (Some(content), None) => {
                assert!(content.len() as u64 <= cap, "content over the cap");
                assert!(attachment.size >= content.len() as i64);
            }
            (None, Some(_)) => {}
            (content, skipped) => panic!(
                "content {:?} with skipped {skipped:?}",
                content.as_ref().map(Vec::len)
            ),
        }
    }
}

fn error_body(data: &[u8]) {
    let error = GraphError::from_body(503, data);
    assert_eq!(error.status, 503);
    assert_eq!(error.body, String::from_utf8_lossy(data));
    if let Ok(json) = serde_json::from_slice::<Value>(data) {
        assert_eq!(
            error.code,
            json["error"]["code"].as_str().unwrap_or_default()
        );
        assert_eq!(error.has_graph_body(), !error.code.is_empty());
    }
    let _ = (error.transience(), error.sync_state_gone());
}

fn retry_after(text: &str) {
    let now = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).expect("a valid instant");
    let waited = parse_retry_after(text, now);
    if let Ok(seconds) = text.trim().parse::<u64>() {
        assert_eq!(waited, Some(Duration::from_secs(seconds)));
    }
}
