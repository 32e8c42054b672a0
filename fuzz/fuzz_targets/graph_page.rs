//! What Microsoft Graph answers a sync, read by the pure parsers: a delta page
//! (`backend::mail::delta::parse_page`), an attachments list
//! (`backend::mail::attachments::parse_list`, then planned against the cap and budgets) and an
//! error body
//! (`backend::microsoft::graph::GraphError::from_body`), all fed the same bytes; the same text
//! as a `Retry-After` value too.
//!
//! Invariants, each from the parsers' docs: no panic; a page either fails or accounts for every
//! item, as a message or a removal, under the id Graph gave; every message has a non-empty
//! Graph id and a Message-ID key that fits the indexed column (1–255 bytes); the next link is the
//! one the page names; a listed attachment is downloaded only within the cap and the budgets.

#![no_main]

use std::time::Duration;

use backend::mail::attachments::{parse_list, MessageBudget, Plan, RunBudget};
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
    let (listed, next) = parse_list(json);
    assert_eq!(listed.len(), json["value"].as_array().map_or(0, Vec::len));
    assert_eq!(next.as_deref(), json["@odata.nextLink"].as_str());
    let run = RunBudget { left: cap * 3 };
    let mut message = MessageBudget { cap, left: cap * 2 };
    for attachment in listed {
        assert!(attachment.size >= 0, "a listed size is never negative");
        match message.plan(attachment.size, &run) {
            Plan::Skip(_) => {}
            Plan::Download { limit, .. } => {
                // Never more than any of the three allows, and never less than the listed size.
                assert!(limit <= cap && limit <= message.left && limit <= run.left);
                assert!(attachment.size as u64 <= limit);
                let mut spent = run;
                message.spend(&mut spent, limit, true);
            }
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
