//! Admin routes that change the directory: tenants, users, messages, apps, secrets,
//! certificates and consent.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::admin::{control_error, done, handle};
use crate::control::{ApplicationPatch, NewClientCertificate, NewClientSecret, UserPatch};
use crate::directory::{Application, Directory, Message, Tenant, User};
use crate::state::Fake;

/// The directory routes.
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route("/directory", get(get_directory).put(put_directory))
        .route("/tenants", post(add_tenant))
        .route("/tenants/{tenant}/users", post(add_user))
        .route("/tenants/{tenant}/applications", post(add_application))
        .route("/users/{user}", patch(update_user))
        .route(
            "/users/{user}/revoke-refresh-tokens",
            post(revoke_refresh_tokens),
        )
        .route("/users/{user}/messages", post(add_message))
        .route("/users/{user}/messages/{message}", delete(delete_message))
        .route("/users/{user}/sent-messages", get(sent_messages))
        .route("/users/{user}/concurrency", get(concurrency))
        .route(
            "/users/{user}/invalidate-delta-tokens",
            post(invalidate_delta_tokens),
        )
        .route("/applications/{client_id}", patch(update_application))
        .route(
            "/applications/{client_id}/service-principal",
            get(service_principal),
        )
        .route("/applications/{client_id}/secrets", post(add_secret))
        .route(
            "/applications/{client_id}/secrets/{secret_id}",
            delete(remove_secret),
        )
        .route(
            "/applications/{client_id}/certificates",
            post(add_certificate),
        )
        .route(
            "/applications/{client_id}/certificates/{key_id}",
            delete(remove_certificate),
        )
        .route(
            "/applications/{client_id}/consents/{user}",
            put(set_consent).delete(revoke_consent),
        )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scopes {
    scopes: Vec<String>,
}

async fn get_directory(State(fake): State<Arc<Fake>>) -> Response {
    Json(handle(fake).directory()).into_response()
}

async fn put_directory(State(fake): State<Arc<Fake>>, body: String) -> Response {
    match Directory::from_json(&body) {
        Ok(directory) => done(handle(fake).replace_directory(directory)),
        Err(e) => control_error(&e.into()),
    }
}

async fn add_tenant(State(fake): State<Arc<Fake>>, Json(tenant): Json<Tenant>) -> Response {
    done(handle(fake).add_tenant(tenant))
}

async fn add_user(
    State(fake): State<Arc<Fake>>,
    Path(tenant): Path<String>,
    Json(user): Json<User>,
) -> Response {
    done(handle(fake).add_user(&tenant, user))
}

async fn add_application(
    State(fake): State<Arc<Fake>>,
    Path(tenant): Path<String>,
    Json(app): Json<Application>,
) -> Response {
    done(handle(fake).add_application(&tenant, app))
}

async fn update_user(
    State(fake): State<Arc<Fake>>,
    Path(user): Path<String>,
    Json(patch): Json<UserPatch>,
) -> Response {
    done(handle(fake).update_user(&user, patch))
}

async fn revoke_refresh_tokens(
    State(fake): State<Arc<Fake>>,
    Path(user): Path<String>,
) -> Response {
    done(handle(fake).revoke_refresh_tokens(&user))
}

async fn add_message(
    State(fake): State<Arc<Fake>>,
    Path(user): Path<String>,
    Json(message): Json<Message>,
) -> Response {
    match handle(fake).add_message(&user, message) {
        Ok(id) => Json(json!({"id": id})).into_response(),
        Err(e) => control_error(&e),
    }
}

async fn delete_message(
    State(fake): State<Arc<Fake>>,
    Path((user, message)): Path<(String, String)>,
) -> Response {
    done(handle(fake).delete_message(&user, &message))
}

async fn sent_messages(State(fake): State<Arc<Fake>>, Path(user): Path<String>) -> Response {
    match handle(fake).sent_messages(&user) {
        Ok(messages) => Json(json!({"messages": messages})).into_response(),
        Err(e) => control_error(&e),
    }
}

async fn concurrency(State(fake): State<Arc<Fake>>, Path(user): Path<String>) -> Response {
    match handle(fake).mailbox_concurrency(&user) {
        Ok(c) => Json(c).into_response(),
        Err(e) => control_error(&e),
    }
}

async fn invalidate_delta_tokens(
    State(fake): State<Arc<Fake>>,
    Path(user): Path<String>,
) -> Response {
    done(handle(fake).invalidate_delta_tokens(&user))
}

async fn update_application(
    State(fake): State<Arc<Fake>>,
    Path(client_id): Path<Uuid>,
    Json(patch): Json<ApplicationPatch>,
) -> Response {
    done(handle(fake).update_application(client_id, patch))
}

async fn service_principal(State(fake): State<Arc<Fake>>, Path(client_id): Path<Uuid>) -> Response {
    match handle(fake).service_principal_id(client_id) {
        Ok(object_id) => Json(json!({ "object_id": object_id })).into_response(),
        Err(e) => control_error(&e),
    }
}

async fn add_secret(
    State(fake): State<Arc<Fake>>,
    Path(client_id): Path<Uuid>,
    body: Option<Json<NewClientSecret>>,
) -> Response {
    let secret = body.map(|Json(s)| s).unwrap_or_default();
    match handle(fake).add_client_secret(client_id, secret) {
        Ok(secret) => Json(secret).into_response(),
        Err(e) => control_error(&e),
    }
}

async fn remove_secret(
    State(fake): State<Arc<Fake>>,
    Path((client_id, secret_id)): Path<(Uuid, Uuid)>,
) -> Response {
    done(handle(fake).remove_client_secret(client_id, secret_id))
}

async fn add_certificate(
    State(fake): State<Arc<Fake>>,
    Path(client_id): Path<Uuid>,
    Json(upload): Json<NewClientCertificate>,
) -> Response {
    match handle(fake).add_client_certificate(client_id, upload) {
        Ok(certificate) => Json(certificate).into_response(),
        Err(e) => control_error(&e),
    }
}

async fn remove_certificate(
    State(fake): State<Arc<Fake>>,
    Path((client_id, key_id)): Path<(Uuid, Uuid)>,
) -> Response {
    done(handle(fake).remove_client_certificate(client_id, key_id))
}

async fn set_consent(
    State(fake): State<Arc<Fake>>,
    Path((client_id, user)): Path<(Uuid, String)>,
    Json(body): Json<Scopes>,
) -> Response {
    let scopes: Vec<&str> = body.scopes.iter().map(String::as_str).collect();
    done(handle(fake).set_delegated_consent(client_id, &user, &scopes))
}

async fn revoke_consent(
    State(fake): State<Arc<Fake>>,
    Path((client_id, user)): Path<(Uuid, String)>,
) -> Response {
    done(handle(fake).set_delegated_consent(client_id, &user, &[]))
}
