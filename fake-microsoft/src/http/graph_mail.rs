//! Graph message routes: list, delta, get, update, delete.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::graph::{folder_of, mailbox, request, run, Params, Reply};
use super::{graph_attachments, graph_user};
use crate::faults::Endpoint;
use crate::graph::access::Permission;
use crate::graph::delta::{delta_page, DeltaNext, DeltaOptions, DeltaRequest};
use crate::graph::message_json::{message_json, select, wants_immutable_ids, with_id_form};
use crate::graph::query::{parse_filter, ListQuery};
use crate::graph::GraphError;
use crate::state::Fake;

/// The Graph routes.
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route(
            "/v1.0/users/{user}/mailFolders/{folder}/messages",
            get(list_messages),
        )
        .route(
            "/v1.0/users/{user}/mailFolders/{folder}/messages/delta",
            get(delta),
        )
        .route(
            "/v1.0/users/{user}/messages/{message}",
            get(get_message).patch(patch_message).delete(delete_message),
        )
        .merge(graph_user::routes())
        .merge(graph_attachments::routes())
}

async fn list_messages(
    State(fake): State<Arc<Fake>>,
    Path((user_key, folder)): Path<(String, String)>,
    Query(params): Params,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let immutable = wants_immutable_ids(&headers);
    let req = request(
        Endpoint::GraphMessages,
        Permission::ReadMail,
        user_key.clone(),
        method,
        uri,
        headers,
    );
    run(fake, req, move |state, caller| {
        let user = mailbox(state, caller)?;
        let folder = folder_of(user, &folder)?;
        let query = ListQuery::parse(&params)?;
        let (page, more) = query.apply(user.messages.iter().filter(|m| m.folder == folder));
        let value: Vec<Value> = page.iter().map(|m| select(with_id_form(message_json(m, user), immutable), query.select.as_deref())).collect();
        let mut body = json!({
            "@odata.context": format!("{}/v1.0/$metadata#users('{user_key}')/mailFolders('{}')/messages", caller.base_url, folder.well_known_name()),
            "value": value,
        });
        if more {
            let mut next = params.clone();
            next.insert("$skip".into(), (query.skip + query.top).to_string());
            next.insert("$top".into(), query.top.to_string());
            let path = format!("{}/v1.0/users/{user_key}/mailFolders/{}/messages", caller.base_url, folder.well_known_name());
            body["@odata.nextLink"] = json!(link(&path, &next));
        }
        Ok(Reply::Json(body))
    })
    .await
}

async fn delta(
    State(fake): State<Arc<Fake>>,
    Path((user_key, folder)): Path<(String, String)>,
    Query(params): Params,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let page_size = max_page_size(&headers);
    let immutable = wants_immutable_ids(&headers);
    let req = request(
        Endpoint::GraphDelta,
        Permission::ReadMail,
        user_key.clone(),
        method,
        uri,
        headers,
    );
    run(fake, req, move |state, caller| {
        let folder = folder_of(mailbox(state, caller)?, &folder)?;
        let delta_request = match (params.get("$skiptoken"), params.get("$deltatoken")) {
            (Some(token), _) => DeltaRequest::Skip(token.clone()),
            (None, Some(token)) => DeltaRequest::Delta(token.clone()),
            (None, None) => DeltaRequest::Start,
        };
        let options = DeltaOptions {
            select: params
                .get("$select")
                .map(|s| s.split(',').map(|p| p.trim().to_owned()).collect()),
            filter: parse_filter(params.get("$filter").map(String::as_str))?,
            page_size,
        };
        let page = delta_page(state, caller.user, folder, &delta_request, options)?;
        let path = format!(
            "{}/v1.0/users/{user_key}/mailFolders/{}/messages/delta",
            caller.base_url,
            folder.well_known_name()
        );
        let (key, link_value) = match page.next {
            DeltaNext::SkipToken(token) => {
                ("@odata.nextLink", format!("{path}?$skiptoken={token}"))
            }
            DeltaNext::DeltaToken(token) => {
                ("@odata.deltaLink", format!("{path}?$deltatoken={token}"))
            }
        };
        Ok(Reply::Json(json!({
            "@odata.context": format!("{}/v1.0/$metadata#Collection(message)", caller.base_url),
            "value": page.value.into_iter().map(|entry| with_id_form(entry, immutable)).collect::<Vec<_>>(),
            key: link_value,
        })))
    })
    .await
}

async fn get_message(
    State(fake): State<Arc<Fake>>,
    Path((user, id)): Path<(String, String)>,
    Query(params): Params,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let immutable = wants_immutable_ids(&headers);
    let req = request(
        Endpoint::GraphMessage,
        Permission::ReadMail,
        user,
        method,
        uri,
        headers,
    );
    run(fake, req, move |state, caller| {
        let user = mailbox(state, caller)?;
        let message = user.message(&id).ok_or_else(GraphError::item_not_found)?;
        let selected: Option<Vec<String>> = params
            .get("$select")
            .map(|s| s.split(',').map(|p| p.trim().to_owned()).collect());
        Ok(Reply::Json(select(
            with_id_form(message_json(message, user), immutable),
            selected.as_deref(),
        )))
    })
    .await
}

async fn patch_message(
    State(fake): State<Arc<Fake>>,
    Path((user, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let immutable = wants_immutable_ids(&headers);
    let req = request(
        Endpoint::GraphMessage,
        Permission::WriteMail,
        user,
        method,
        uri,
        headers,
    );
    run(fake, req, move |state, caller| {
        let patch: Value = serde_json::from_slice(&body).map_err(|_| GraphError::bad_request("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."))?;
        let now = state.now();
        let seq = state.directory.next_change_seq();
        let user = state.directory.user_by_key_mut(&caller.user.to_string()).ok_or_else(GraphError::item_not_found)?;
        let is_read = match patch.get("isRead") {
            Some(Value::Bool(read)) => *read,
            _ => user.message(&id).ok_or_else(GraphError::item_not_found)?.is_read,
        };
        user.set_read(&id, is_read, seq, now).ok_or_else(GraphError::item_not_found)?;
        let user = mailbox(state, caller)?;
        let message = user.message(&id).ok_or_else(GraphError::item_not_found)?;
        Ok(Reply::Json(with_id_form(message_json(message, user), immutable)))
    })
    .await
}

async fn delete_message(
    State(fake): State<Arc<Fake>>,
    Path((user, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = request(
        Endpoint::GraphMessage,
        Permission::WriteMail,
        user,
        method,
        uri,
        headers,
    );
    run(fake, req, move |state, caller| {
        let seq = state.directory.next_change_seq();
        let user = state
            .directory
            .user_by_key_mut(&caller.user.to_string())
            .ok_or_else(GraphError::item_not_found)?;
        if user.remove_message(&id, seq) {
            Ok(Reply::NoContent)
        } else {
            Err(GraphError::item_not_found())
        }
    })
    .await
}

/// `Prefer: odata.maxpagesize=N`.
fn max_page_size(headers: &HeaderMap) -> Option<usize> {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|p| p.trim().strip_prefix("odata.maxpagesize="))
        .find_map(|n| n.trim().parse().ok())
}

/// `path?$a=…&$b=…` with values percent-encoded and keys sorted.
fn link(path: &str, params: &HashMap<String, String>) -> String {
    let mut pairs: Vec<(&String, &String)> = params.iter().collect();
    pairs.sort();
    let query: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            )
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}
