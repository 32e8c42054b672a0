//! Graph routes around messages: the user, a mail folder, sendMail (attachments: in
//! `graph_attachments`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use super::graph::{folder_of, mailbox, request, run, Reply};
use crate::faults::Endpoint;
use crate::graph::access::Permission;
use crate::graph::message_json::{folder_json, user_json};
use crate::graph::send;
use crate::state::Fake;

/// The routes.
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route("/v1.0/users/{user}", get(get_user))
        .route("/v1.0/users/{user}/mailFolders/{folder}", get(get_folder))
        .route(
            "/v1.0/users/{user}/sendMail",
            post(send_mail).layer(DefaultBodyLimit::max(SEND_MAIL_BODY_LIMIT)),
        )
}

/// Graph takes a sendMail request with up to 3 MB of inline attachments, which base64
/// makes 4 MiB plus the JSON around it; axum's default limit (2 MB) would refuse those.
pub const SEND_MAIL_BODY_LIMIT: usize = 5 * 1024 * 1024;

async fn get_user(
    State(fake): State<Arc<Fake>>,
    Path(user): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = request(
        Endpoint::GraphUser,
        Permission::ReadUser,
        user,
        method,
        uri,
        headers,
    );
    run(fake, req, |state, caller| {
        Ok(Reply::Json(user_json(
            mailbox(state, caller)?,
            caller.base_url,
        )))
    })
    .await
}

async fn get_folder(
    State(fake): State<Arc<Fake>>,
    Path((user, folder)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = request(
        Endpoint::GraphMailFolder,
        Permission::ReadMail,
        user,
        method,
        uri,
        headers,
    );
    run(fake, req, |state, caller| {
        let user = mailbox(state, caller)?;
        Ok(Reply::Json(folder_json(
            user,
            folder_of(user, &folder)?,
            caller.base_url,
        )))
    })
    .await
}

async fn send_mail(
    State(fake): State<Arc<Fake>>,
    Path(user): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req = request(
        Endpoint::GraphSend,
        Permission::SendMail,
        user,
        method,
        uri,
        headers,
    );
    run(fake, req, move |state, caller| {
        send::send_mail(state, caller.user, &body)?;
        Ok(Reply::Accepted)
    })
    .await
}
