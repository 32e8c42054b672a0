//! `GET /api/oauth/ms-azure/callback`: where Microsoft sends the browser back, for sign-ins
//! and admin consent alike (the attempt's kind tells them apart). All state is in the
//! database, so any server instance completes a callback another one started.

mod page;

use axum::extract::RawQuery;
use axum::response::{Html, IntoResponse, Response};
use backend::audit::record_audit;
use backend::auth::Actor;
use backend::connect::{complete_callback, Completed};
use backend::AppState;
use chrono::Utc;
use http::{header, HeaderValue, StatusCode};
use rules::audit_log::AuditAction;
use rules::mailbox_form::MailboxTarget;

/// The path registered in Azure as Redirect URI (under `PUBLIC_BASE_URL`).
pub const CALLBACK_PATH: &str = "/api/oauth/ms-azure/callback";

/// Completes the callback and answers with a 303 to the mailbox, or a Dutch error page.
pub async fn handle(state: AppState, actor: Option<Actor>, RawQuery(query): RawQuery) -> Response {
    let query = query.as_deref().unwrap_or_default();
    let signed_in_user_id = actor.as_ref().map(|actor| actor.user_id);
    let result = complete_callback(&state, query, signed_in_user_id, Utc::now()).await;
    if let (
        Ok(Completed::Connected {
            mailbox_id,
            object_id_learned,
        }),
        Some(actor),
    ) = (&result, &actor)
    {
        // Who connected the mailbox, in its Wijzigingslog (with the Object ID when the
        // sign-in filled it in); a failure here must not undo a connection that succeeded.
        let fields: &[&str] = if *object_id_learned {
            &["object_id"]
        } else {
            &[]
        };
        let recorded = record_audit(
            &state.db,
            actor,
            Some(*mailbox_id),
            AuditAction::Connected,
            fields,
        )
        .await;
        if let Err(error) = recorded {
            tracing::error!(mailbox_id, %error, "could not record the connection in the audit log");
        }
    }
    let mut response = match result {
        // A fixed internal path: never a URL taken from the request (no open redirect).
        Ok(Completed::Connected { mailbox_id, .. } | Completed::AdminConsented { mailbox_id }) => {
            let location = MailboxTarget::Existing(mailbox_id).path();
            (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
        }
        Err(error) => {
            tracing::warn!(
                code = error.code(),
                mailbox_id = error.mailbox_id(),
                attempt_id = error.attempt_id(),
                %error,
                "callback refused"
            );
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Html(page::render(&error))).into_response()
        }
    };
    let headers = response.headers_mut();
    // The URL carried a code and state: no Referer to anyone, no copy in any cache.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'",
        ),
    );
    response
}
