//! Discovery over HTTP (docs/microsoft.md §5): the GUID of a tenant given as a domain.

use serde::Deserialize;

use super::authorize::discovery_url;
use super::id_token::tenant_of_issuer;
use super::microsoft_error::MicrosoftError;
use super::token_client::{describe, keepable_body, TokenFailure};

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
}

/// The GUID of a tenant given as a domain: discovery's `issuer` is `{login}/{guid}/v2.0`.
#[tracing::instrument(name = "microsoft_request", level = "debug", skip_all)]
pub async fn discover_tenant_guid(
    http: &reqwest::Client,
    login_url: &str,
    tenant_id: &str,
) -> Result<String, TokenFailure> {
    let response = http
        .get(discovery_url(login_url, tenant_id)?)
        .send()
        .await
        .map_err(|error| match error.is_timeout() {
            true => TokenFailure::Timeout,
            false => TokenFailure::Unreachable(describe(&error)),
        })?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|error| TokenFailure::Unreachable(describe(&error)))?;
    if !status.is_success() {
        return Err(match serde_json::from_slice::<MicrosoftError>(&body) {
            Ok(error) => TokenFailure::Microsoft(Box::new(error)),
            Err(_) => TokenFailure::Unreachable(format!("discovery answered {status}")),
        });
    }
    let malformed = |detail: &str| TokenFailure::Malformed {
        detail: detail.to_string(),
        body: keepable_body(&body),
    };
    let discovery: Discovery =
        serde_json::from_slice(&body).map_err(|_| malformed("discovery is not JSON"))?;
    tenant_of_issuer(&discovery.issuer).ok_or_else(|| malformed("issuer names no tenant GUID"))
}
