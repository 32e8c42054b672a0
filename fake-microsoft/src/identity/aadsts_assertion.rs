//! The AADSTS errors of client assertions (certificate credentials), worded like Microsoft's
//! (docs/microsoft.md §11). All are `invalid_client` with status 401 except a token that is
//! no JWT at all.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::AadError;

const DOCS: &str = "Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .";

fn invalid_client(code: u32, message: String) -> AadError {
    AadError::new(code, "invalid_client", message).with_status(401)
}

/// `2026-12-05T09:00:00.0000000Z`: seven fractional digits, as Microsoft writes them.
fn instant(at: DateTime<Utc>) -> String {
    let ticks = at.timestamp_subsec_nanos() / 100;
    format!("{}.{ticks:07}Z", at.format("%Y-%m-%dT%H:%M:%S"))
}

/// 700027: no certificate with the assertion's thumbprint is registered on the app.
pub fn certificate_not_registered(thumbprint: &str, client_id: Uuid) -> AadError {
    invalid_client(700027, format!(
        "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{client_id}'.]"
    ))
}

/// 700027: the registered certificate is past its end date (or before its start).
pub fn certificate_expired(thumbprint: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> AadError {
    invalid_client(700027, format!(
        "Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '{thumbprint}', Found key 'Start={}, End={}']",
        start.format("%m/%d/%Y %H:%M:%S"),
        end.format("%m/%d/%Y %H:%M:%S"),
    ))
}

/// 700027: the signature does not verify with the registered certificate's key.
pub fn signature_invalid(thumbprint: &str) -> AadError {
    invalid_client(700027, format!(
        "Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '{thumbprint}']"
    ))
}

/// 700021: `iss` or `sub` is not the `client_id` of the request.
pub fn application_mismatch() -> AadError {
    invalid_client(
        700021,
        format!(
            "Client assertion application identifier doesn't match 'client_id' parameter. {DOCS}"
        ),
    )
}

/// 700023: `aud` is not this tenant's token endpoint.
pub fn audience_mismatch() -> AadError {
    invalid_client(
        700023,
        format!("Client assertion audience claim does not match Realm issuer. {DOCS}"),
    )
}

/// 700024: `nbf`/`exp` do not include now.
pub fn outside_time_range(
    now: DateTime<Utc>,
    valid_from: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> AadError {
    invalid_client(700024, format!(
        "Client assertion is not within its valid time range. Current time: {}, assertion valid from {}, expiry time of assertion {}. {DOCS}",
        instant(now), instant(valid_from), instant(expires)
    ))
}

/// 50027: the assertion is no readable JWT, or misses a claim.
pub fn malformed_assertion() -> AadError {
    AadError::new(
        50027,
        "invalid_request",
        "JWT token is invalid or malformed.",
    )
}

/// 9002313 (the fake's choice, see §11): a secret *and* an assertion in one request.
pub fn secret_and_assertion() -> AadError {
    AadError::new(
        9002313,
        "invalid_request",
        "Invalid request. Request is malformed or invalid: send either 'client_secret' or 'client_assertion', not both.",
    )
}
