//! Downloading a stored attachment: `GET` [`rules::mail::ATTACHMENT_ROUTE`], an axum route (a
//! file is no server-function answer). The access edge already requires a session with the
//! mail permission; this checks both again and that the attachment belongs to that message
//! of that mailbox.
//!
//! Always served as `application/octet-stream` with `Content-Disposition: attachment`: a
//! file someone mailed in (HTML, SVG) must never render as a page of this site.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::EntityTrait;

use backend::auth::Actor;
use backend::entities::{mail_attachment, mail_message};
use backend::AppState;
use rules::access::{encode_query_value, Access};
use rules::i18n::{AccessMsg, Lang, MailMsg};

/// The handler; `actor` is the signed-in user from the request's extensions.
pub async fn download_attachment(
    state: AppState,
    actor: Option<Actor>,
    Path((mailbox_id, message_id, attachment_id)): Path<(i32, i32, i32)>,
) -> Response {
    let Some(actor) = actor else {
        let text = AccessMsg::NotSignedIn.text(Lang::default());
        return (StatusCode::UNAUTHORIZED, text).into_response();
    };
    if !actor.role.allows(Access::ReadMail.required_role()) {
        let text = AccessMsg::MailForbidden.text(Lang::default());
        return (StatusCode::FORBIDDEN, text).into_response();
    }
    match find(&state, mailbox_id, message_id, attachment_id).await {
        Ok(Some((name, content))) => file_response(&name, content),
        Ok(None) => {
            let text = MailMsg::AttachmentNotFound.text(Lang::default());
            (StatusCode::NOT_FOUND, text).into_response()
        }
        Err(error) => {
            tracing::error!(%error, mailbox_id, message_id, attachment_id, "loading an attachment failed");
            let text = MailMsg::LoadFailed.text(Lang::default());
            (StatusCode::INTERNAL_SERVER_ERROR, text).into_response()
        }
    }
}

/// The attachment's name and content, when it exists, is stored, and belongs to that
/// message of that mailbox.
async fn find(
    state: &AppState,
    mailbox_id: i32,
    message_id: i32,
    attachment_id: i32,
) -> Result<Option<(String, Vec<u8>)>, sea_orm::DbErr> {
    let Some(attachment) = mail_attachment::Entity::find_by_id(attachment_id)
        .one(&state.db)
        .await?
        .filter(|a| a.message_id == message_id)
    else {
        return Ok(None);
    };
    let belongs = mail_message::Entity::find_by_id(message_id)
        .one(&state.db)
        .await?
        .is_some_and(|m| m.mailbox_id == mailbox_id);
    Ok(belongs
        .then_some(attachment.content.map(|content| (attachment.name, content)))
        .flatten())
}

fn file_response(name: &str, content: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, Body::from(content)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(value) = HeaderValue::from_str(&content_disposition(name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if !matches!(c, '"' | '\\' | '/') => c,
            _ => '_',
        })
        .collect();
    let fallback = if fallback.trim().is_empty() {
        "bijlage".to_string()
    } else {
        fallback
    };
    let encoded = encode_query_value(name).replace('/', "%2F");
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_safely() {
        assert_eq!(
            content_disposition("ledenlijst.csv"),
            "attachment; filename=\"ledenlijst.csv\"; filename*=UTF-8''ledenlijst.csv"
        );
        assert_eq!(
            content_disposition("a\"b\r\n/é.txt"),
            "attachment; filename=\"a_b____.txt\"; filename*=UTF-8''a%22b%0D%0A%2F%C3%A9.txt"
        );
        assert!(content_disposition("").contains("filename=\"bijlage\""));
    }
}
