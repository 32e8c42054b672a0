//! Downloading a stored attachment: `GET` [`rules::mail::ATTACHMENT_ROUTE`], an axum route (a
//! file is no server-function answer). The access edge already requires a session with the
//! mail permission; this checks both again and that the attachment belongs to that message
//! of that mailbox.
//!
//! Always served as `application/octet-stream` with `Content-Disposition: attachment`: a
//! file someone mailed in (HTML, SVG) must never render as a page of this site.

use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::{EntityTrait, QuerySelect};

use backend::auth::Actor;
use backend::entities::{mail_attachment, mail_message};
use backend::mail::content;
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
        Ok(Some(file)) => file_response(&state, file),
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

/// A stored attachment to send.
struct StoredFile {
    id: i32,
    name: String,
    size: i64,
    /// Stored before chunks existed: the content itself. Otherwise it is read chunk by
    /// chunk as the client takes it.
    legacy: Option<Vec<u8>>,
}

/// The attachment, when it exists, is stored, and belongs to that message of that mailbox.
/// Never its content, unless it was stored whole (before chunks).
async fn find(
    state: &AppState,
    mailbox_id: i32,
    message_id: i32,
    attachment_id: i32,
) -> Result<Option<StoredFile>, sea_orm::DbErr> {
    let found: Option<(i32, String, i64, bool)> =
        mail_attachment::Entity::find_by_id(attachment_id)
            .select_only()
            .column(mail_attachment::Column::MessageId)
            .column(mail_attachment::Column::Name)
            .column(mail_attachment::Column::Size)
            .column(mail_attachment::Column::ContentInChunks)
            .into_tuple()
            .one(&state.db)
            .await?;
    let Some((owner, name, size, in_chunks)) = found.filter(|found| found.0 == message_id) else {
        return Ok(None);
    };
    let belongs = mail_message::Entity::find_by_id(owner)
        .select_only()
        .column(mail_message::Column::MailboxId)
        .into_tuple::<i32>()
        .one(&state.db)
        .await?
        .is_some_and(|owner| owner == mailbox_id);
    if !belongs {
        return Ok(None);
    }
    let legacy = if in_chunks {
        None
    } else {
        let content: Option<Option<Vec<u8>>> = mail_attachment::Entity::find_by_id(attachment_id)
            .select_only()
            .column(mail_attachment::Column::Content)
            .into_tuple()
            .one(&state.db)
            .await?;
        // Skipped: nothing to download.
        let Some(content) = content.flatten() else {
            return Ok(None);
        };
        Some(content)
    };
    Ok(Some(StoredFile {
        id: attachment_id,
        name,
        size,
        legacy,
    }))
}

fn file_response(state: &AppState, file: StoredFile) -> Response {
    let body = match file.legacy {
        Some(content) => Body::from(content),
        None => Body::from_stream(chunks(state.db.clone(), file.id)),
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The length is known before the first chunk is read: a download cut short by a
    // failing database is seen as incomplete by the browser, not saved as the whole file.
    if let Ok(length) = u64::try_from(file.size) {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&file.name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The attachment's chunks in order, each read when the client has taken the one before:
/// a slow or stalled client holds one chunk, not the file.
fn chunks(
    db: sea_orm::DatabaseConnection,
    attachment_id: i32,
) -> impl futures_util::Stream<Item = Result<Bytes, sea_orm::DbErr>> {
    futures_util::stream::try_unfold(0, move |seq| {
        let db = db.clone();
        async move {
            Ok(content::read_chunk(&db, attachment_id, seq)
                .await?
                .map(|bytes| (Bytes::from(bytes), seq + 1)))
        }
    })
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
