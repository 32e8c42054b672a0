//! A message's attachments: the list (every property, or what `$select` names, so a client
//! can leave `contentBytes` out) and one attachment's raw content (`…/{id}/$value`, with the
//! attachment's own `Content-Type`). Generated content is streamed as it is made, in
//! chunks, never held whole; every content served is recorded (`attachment_downloads`).

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http_body::Frame;
use serde_json::{json, Value};

use super::graph::{mailbox, request, run, Params, Reply};
use crate::clock::graph_time;
use crate::faults::Endpoint;
use crate::graph::access::Permission;
use crate::graph::message_json::{attachment_json, generated};
use crate::graph::GraphError;
use crate::records::AttachmentDownload;
use crate::state::{Fake, FakeState};

/// Generated content goes out in chunks this long.
const CHUNK: u64 = 64 * 1024;

/// The routes.
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route(
            "/v1.0/users/{user}/messages/{message}/attachments",
            get(list),
        )
        .route(
            "/v1.0/users/{user}/messages/{message}/attachments/{attachment}/$value",
            get(value),
        )
}

async fn list(
    State(fake): State<Arc<Fake>>,
    Path((user_key, id)): Path<(String, String)>,
    Query(params): Params,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = request(
        Endpoint::GraphAttachments,
        Permission::ReadMail,
        user_key.clone(),
        method,
        uri,
        headers,
    );
    let selected: Option<Vec<String>> = params.get("$select").map(|names| {
        names
            .split(',')
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .collect()
    });
    run(fake, req, move |state, caller| {
        let user = mailbox(state, caller)?;
        let message = user.message(&id).ok_or_else(GraphError::item_not_found)?;
        let modified = graph_time(message.last_modified_at.unwrap_or(message.received_at));
        let value: Vec<Value> = message
            .attachments
            .iter()
            .map(|a| attachment_json(a, &modified, selected.as_deref()))
            .collect();
        let served: Vec<(String, u64)> = message
            .attachments
            .iter()
            .zip(&value)
            .filter(|(_, item)| item.get("contentBytes").is_some())
            .map(|(a, _)| (a.id.clone(), a.content_length()))
            .collect();
        for (attachment_id, bytes) in served {
            record(state, &id, attachment_id, "contentBytes", bytes);
        }
        Ok(Reply::Json(json!({
            "@odata.context": format!("{}/v1.0/$metadata#users('{user_key}')/messages('{id}')/attachments", caller.base_url),
            "value": value,
        })))
    })
    .await
}

async fn value(
    State(fake): State<Arc<Fake>>,
    Path((user_key, id, attachment_id)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = request(
        Endpoint::GraphAttachmentValue,
        Permission::ReadMail,
        user_key,
        method,
        uri,
        headers,
    );
    let streaming = fake.clone();
    run(fake, req, move |state, caller| {
        let user = mailbox(state, caller)?;
        let message = user.message(&id).ok_or_else(GraphError::item_not_found)?;
        let attachment = message
            .attachments
            .iter()
            .find(|a| a.id == attachment_id)
            .ok_or_else(GraphError::item_not_found)?
            .clone();
        let body = match attachment.generated_bytes {
            Some(length) => {
                let index = record(state, &id, attachment_id.clone(), "$value", 0);
                Body::new(Generated {
                    fake: streaming,
                    record: index,
                    attachment_id,
                    offset: 0,
                    length,
                })
            }
            None => {
                let content = STANDARD
                    .decode(&attachment.content_base64)
                    .unwrap_or_default();
                record(state, &id, attachment_id, "$value", content.len() as u64);
                Body::from(content)
            }
        };
        Ok(Reply::Raw {
            content_type: attachment.content_type,
            body,
        })
    })
    .await
}

/// Records content served; its index.
fn record(
    state: &mut FakeState,
    message_id: &str,
    attachment_id: String,
    via: &str,
    bytes_served: u64,
) -> usize {
    let at = state.now();
    let downloads = &mut state.records.attachment_downloads;
    downloads.push(AttachmentDownload {
        message_id: message_id.to_owned(),
        attachment_id,
        via: via.to_owned(),
        bytes_served,
        at,
    });
    downloads.len() - 1
}

/// Generated content as a body of unannounced length (sent chunked), made chunk by chunk
/// as the connection takes it; when it ends or the client goes away, what was handed over
/// is recorded.
struct Generated {
    fake: Arc<Fake>,
    record: usize,
    attachment_id: String,
    offset: u64,
    length: u64,
}

impl http_body::Body for Generated {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.offset >= this.length {
            return Poll::Ready(None);
        }
        let length = (this.length - this.offset).min(CHUNK);
        let chunk = generated(this.offset, length);
        this.offset += length;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))))
    }
}

impl Drop for Generated {
    fn drop(&mut self) {
        let mut state = self.fake.lock();
        if let Some(download) = state.records.attachment_downloads.get_mut(self.record) {
            if download.attachment_id == self.attachment_id {
                download.bytes_served = self.offset;
            }
        }
    }
}
