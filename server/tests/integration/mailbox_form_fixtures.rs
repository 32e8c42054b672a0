//! Forms as the mailbox page submits them, and calling its server functions.

use axum::Router;
use http::StatusCode;
use rules::mailbox_form::{MailboxFormData, SaveOutcome};

use crate::support::{post, Fields, Poster};

pub const CLIENT: &str = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901";
pub const TENANT: &str = "aaaaaaaa-1111-2222-3333-444455556666";
pub const OBJECT: &str = "0f0e0d0c-0b0a-0908-0706-050403020100";
pub const OTHER_OBJECT: &str = "0f0e0d0c-0b0a-0908-0706-0504030201ff";
pub const SECRET: &str = "Xyz8Q~geheimeWaardeVanHetClientSecret.01";
pub const PASSWORD: &str = "Wachtwoord-van-de-mailserver-42";

/// A Microsoft Api mailbox as the manual fills it in.
pub fn microsoft_fields() -> Fields {
    Fields::default()
        .set("name", "Info")
        .set("email", "info@zonnecoop.nl")
        .set("is_active", "on")
        .set("incoming_type", "ms-oauth")
        .set("outgoing_type", "ms-oauth")
        .set("client_id", CLIENT)
        .set("tenant_id", TENANT)
        .set("client_secret", SECRET)
        .set("object_id", OBJECT)
}

/// An IMAP + SMTP mailbox.
pub fn imap_smtp_fields() -> Fields {
    Fields::default()
        .set("name", "Leden")
        .set("email", "leden@zonnecoop.nl")
        .set("is_active", "on")
        .set("incoming_type", "imap")
        .set("outgoing_type", "smtp")
        .set("imap_host", "imap.zonnecoop.nl")
        .set("imap_port", "993")
        .set("imap_encryption", "ssl")
        .set("smtp_host", "smtp.zonnecoop.nl")
        .set("smtp_port", "587")
        .set("smtp_encryption", "tls")
        .set("username", "leden@zonnecoop.nl")
        .set("password", PASSWORD)
}

/// Saves through `POST /api/save_mailbox` as the hydrated app does.
pub async fn save(router: &Router, fields: &Fields) -> SaveOutcome {
    let answer = post(router, "save_mailbox", fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("a SaveOutcome")
}

/// Creates a mailbox and returns its id.
pub async fn create(router: &Router, fields: &Fields) -> i32 {
    match save(router, fields).await {
        SaveOutcome::Saved { id, .. } => id,
        other => panic!("not saved: {other:?}"),
    }
}

/// The id of a saved mailbox (whether or not it is sent on to Microsoft).
pub fn saved_id(outcome: SaveOutcome) -> Option<i32> {
    match outcome {
        SaveOutcome::Saved { id, .. } => Some(id),
        _ => None,
    }
}

/// `fields` as an edit of mailbox `id` at `version`.
pub fn edit(fields: Fields, id: i32, version: i32) -> Fields {
    fields
        .set("id", &id.to_string())
        .set("version", &version.to_string())
}

/// The page data through `POST /api/get_mailbox_form`, and the raw body.
pub async fn form_data(router: &Router, segment: &str) -> (Option<MailboxFormData>, String) {
    let fields = Fields::default().set("segment", segment);
    let answer = post(router, "get_mailbox_form", &fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let data = serde_json::from_str(&answer.body).expect("form data");
    (data, answer.body)
}
