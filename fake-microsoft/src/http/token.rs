//! `POST /{tenant}/oauth2/v2.0/token`: parse the form (and HTTP Basic client
//! authentication), run the core, record the request.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::faults::{identity_response, take_and_wait, Family};
use super::{aad_error_json, identity_json, trace};
use crate::faults::Endpoint;
use crate::identity::token::{exchange, TokenForm};
use crate::records::TokenRequestRecord;
use crate::state::Fake;

/// The token endpoint.
pub async fn token(
    State(fake): State<Arc<Fake>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let trace = trace(&fake, &headers);
    let form = parse_form(&body, &headers);
    let record = |error_code| TokenRequestRecord {
        grant_type: form.grant_type.clone().unwrap_or_default(),
        client_id: form.client_id.clone(),
        tenant: tenant.clone(),
        error_code,
        at: trace.timestamp,
    };
    if let Some(fault) = take_and_wait(&fake, Endpoint::Token).await {
        fake.lock().records.token_requests.push(record(None));
        return identity_response(fault, Family::IdentityJson, &trace).await;
    }
    let mut state = fake.lock();
    let result = exchange(&mut state, &fake.issuer(), &tenant, &form);
    state
        .records
        .token_requests
        .push(record(result.as_ref().err().map(|e| e.code)));
    match result {
        Ok(response) => identity_json(200, &response, &trace),
        Err(error) => aad_error_json(&error, &trace),
    }
}

/// The form fields, with client credentials from `Authorization: Basic` when the body has
/// none (RFC 6749 §2.3.1: both parts form-urlencoded before base64).
fn parse_form(body: &[u8], headers: &HeaderMap) -> TokenForm {
    let fields: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let mut form: TokenForm = serde_json::to_value(&fields)
        .and_then(serde_json::from_value)
        .unwrap_or_default();
    if form.client_secret.is_none() {
        if let Some((id, secret)) = basic_credentials(headers) {
            form.client_id.get_or_insert(id);
            form.client_secret = Some(secret);
        }
    }
    form
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((decode(id)?, decode(secret)?))
}
