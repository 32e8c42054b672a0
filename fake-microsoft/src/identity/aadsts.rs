//! The AADSTS errors the fake produces, with Microsoft's wording (docs/microsoft.md §7).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::AadError;
use crate::clock::aad_timestamp;

/// Graph's application ID, named in AADSTS50076.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// 90002: a well-formed tenant that does not exist.
pub fn tenant_not_found(tenant: &str) -> AadError {
    AadError::new(90002, "invalid_request", format!(
        "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
    ))
}

/// 900023: a tenant segment that is neither a GUID nor a domain.
pub fn tenant_invalid(tenant: &str) -> AadError {
    AadError::new(900023, "invalid_request", format!(
        "Specified tenant identifier '{tenant}' is neither a valid DNS name, nor a valid external domain."
    ))
}

/// 900144: a required parameter is missing.
pub fn missing_parameter(name: &str) -> AadError {
    AadError::new(
        900144,
        "invalid_request",
        format!("The request body must contain the following parameter: '{name}'."),
    )
}

/// 90112: the client ID is not a GUID.
pub fn client_id_not_guid() -> AadError {
    AadError::new(
        90112,
        "invalid_request",
        "Application identifier is expected to be a GUID.",
    )
}

/// 700016: no such application in the tenant.
pub fn application_not_found(client_id: &str, tenant_name: &str) -> AadError {
    AadError::new(700016, "unauthorized_client", format!(
        "Application with identifier '{client_id}' was not found in the directory '{tenant_name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
    ))
}

/// 50194: a single-tenant app on `/common` or `/organizations`.
pub fn not_multitenant(client_id: Uuid, app_name: &str) -> AadError {
    AadError::new(50194, "invalid_request", format!(
        "Application '{client_id}'({app_name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant."
    ))
}

/// 50011: the redirect URI is not registered.
pub fn redirect_uri_mismatch(redirect_uri: &str, client_id: Uuid) -> AadError {
    AadError::new(50011, "invalid_request", format!(
        "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this."
    ))
}

/// 500113: the app has no redirect URI at all.
pub fn no_reply_address() -> AadError {
    AadError::new(
        500113,
        "invalid_request",
        "No reply address is registered for the application.",
    )
}

/// 500112: the token request's redirect URI differs from the authorize request's.
pub fn redirect_uri_differs(sent: &str, expected: &str) -> AadError {
    AadError::new(500112, "invalid_grant", format!(
        "The reply address '{sent}' does not match the reply address '{expected}' provided when requesting Authorization code."
    ))
}

/// 9002325: a code issued to a redirect URI registered as "Single-page application".
pub fn spa_redirect_uri() -> AadError {
    AadError::new(
        9002325,
        "invalid_request",
        "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
    )
}

/// 7000215: wrong secret (often the secret ID pasted instead of its value); 401.
pub fn invalid_client_secret(client_id: Uuid) -> AadError {
    AadError::new(7000215, "invalid_client", format!(
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
    ))
    .with_status(401)
}

/// 7000222: the secret has expired; 401.
pub fn expired_client_secret(client_id: Uuid) -> AadError {
    AadError::new(7000222, "invalid_client", format!(
        "The provided client secret keys for app '{client_id}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds."
    ))
    .with_status(401)
}

/// 7000218: no client secret sent; 401.
pub fn missing_client_secret() -> AadError {
    AadError::new(
        7000218,
        "invalid_client",
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    )
    .with_status(401)
}

/// 65001: the user (or admin) has not consented.
pub fn consent_missing(client_id: Uuid, app_name: &str) -> AadError {
    AadError::new(65001, "invalid_grant", format!(
        "The user or administrator has not consented to use the application with ID '{client_id}' named '{app_name}'. Send an interactive authorization request for this user and resource."
    ))
    .with_suberror("consent_required")
}

/// 65004: the user declined (or cancelled) consent.
pub fn consent_declined() -> AadError {
    AadError::new(
        65004,
        "access_denied",
        "User declined to consent to access the app.",
    )
}

/// 50020: an account from another tenant.
pub fn account_from_other_tenant(
    upn: &str,
    home_tenant: Uuid,
    tenant_name: &str,
    client_id: Uuid,
    app_name: &str,
) -> AadError {
    AadError::new(50020, "invalid_request", format!(
        "User account '{upn}' from identity provider 'https://sts.windows.net/{home_tenant}/' does not exist in tenant '{tenant_name}' and cannot access the application '{client_id}'({app_name}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account."
    ))
}

/// 50105: assignment required and the user is not assigned.
pub fn user_not_assigned(upn: &str, client_id: Uuid, app_name: &str) -> AadError {
    AadError::new(50105, "invalid_request", format!(
        "Your administrator has configured the application {app_name} ('{client_id}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '{upn}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application."
    ))
}

/// 90094: consent needs an administrator.
pub fn admin_approval_required() -> AadError {
    AadError::new(
        90094,
        "invalid_request",
        "The grant requires admin permission.",
    )
}

/// 50076: MFA required (on refresh).
pub fn mfa_required() -> AadError {
    AadError::new(50076, "invalid_grant", format!(
        "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{GRAPH_APP_ID}'."
    ))
    .with_suberror("basic_action")
}

/// 54005: the code was already redeemed.
pub fn code_already_redeemed() -> AadError {
    AadError::new(54005, "invalid_grant", "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
}

/// 70008: the code (or refresh token) expired.
pub fn code_expired() -> AadError {
    AadError::new(70008, "invalid_grant", "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
}

/// 700005: a code redeemed against another tenant.
pub fn code_for_other_tenant() -> AadError {
    AadError::new(
        700005,
        "invalid_grant",
        "Provided Authorization Code is intended to use against other tenant, thus rejected.",
    )
}

/// 501481: PKCE verifier does not match the challenge.
pub fn pkce_mismatch() -> AadError {
    AadError::new(
        501481,
        "invalid_grant",
        "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    )
}

/// 50173: the grant was revoked (password reset, sessions revoked).
pub fn grant_revoked(issued_at: DateTime<Utc>, valid_from: DateTime<Utc>) -> AadError {
    AadError::new(50173, "invalid_grant", format!(
        "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{}'.",
        aad_timestamp(issued_at), aad_timestamp(valid_from)
    ))
    .with_suberror("bad_token")
}

/// 700082: the refresh token expired through 90 days of inactivity.
pub fn refresh_token_expired(issued_at: DateTime<Utc>) -> AadError {
    AadError::new(700082, "invalid_grant", format!(
        "The refresh token has expired due to inactivity. The token was issued on '{}' and was inactive for 90.00:00:00.",
        aad_timestamp(issued_at)
    ))
    .with_suberror("bad_token")
}

/// 9002313: a code or refresh token the fake never issued.
pub fn malformed_grant() -> AadError {
    AadError::new(
        9002313,
        "invalid_grant",
        "Invalid request. Request is malformed or invalid.",
    )
}

/// 70000: a grant issued to another client.
pub fn grant_for_other_client() -> AadError {
    AadError::new(
        70000,
        "invalid_grant",
        "Provided grant is invalid or malformed.",
    )
}

/// 70003: unknown `grant_type`.
pub fn unsupported_grant_type(grant_type: &str) -> AadError {
    AadError::new(
        70003,
        "unsupported_grant_type",
        format!("The app requested an unsupported grant type '{grant_type}'."),
    )
}

/// 1002012: client credentials need `<resource>/.default`.
pub fn scope_must_be_default(scope: &str) -> AadError {
    AadError::new(1002012, "invalid_scope", format!(
        "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
    ))
}

/// 50059: client credentials on `/common` or `/organizations`.
pub fn no_tenant_identified() -> AadError {
    AadError::new(50059, "invalid_request", "No tenant-identifying information found in either the request or implied by any provided credentials.")
}

/// 50126: wrong password (shown inline on the sign-in page).
pub fn invalid_credentials() -> AadError {
    AadError::new(
        50126,
        "invalid_grant",
        "Error validating credentials due to invalid username or password.",
    )
}

/// 50034: no such user (shown inline on the sign-in page).
pub fn user_not_found() -> AadError {
    AadError::new(50034, "invalid_grant", "The user account {EUII Hidden} does not exist in the directory. To sign into this application, the account must be added to the directory.")
}

/// 50057: the account's sign-in is blocked (`accountEnabled: false`), as Microsoft advises
/// for a shared mailbox's account.
pub fn account_disabled() -> AadError {
    AadError::new(
        50057,
        "invalid_grant",
        "The user account is disabled. The account has been disabled by an administrator.",
    )
}

/// 50058: `prompt=none` and nobody signed in.
pub fn login_required() -> AadError {
    AadError::new(
        50058,
        "login_required",
        "A silent sign-in request was sent but no user is signed in.",
    )
}

/// 16000: `prompt=none` with several signed-in accounts and no hint.
pub fn interaction_required() -> AadError {
    AadError::new(16000, "interaction_required", "Either multiple user identities are available for the current request or selected account is not supported for the scenario.")
}

/// 700054: a `response_type` other than `code`.
pub fn unsupported_response_type(response_type: &str) -> AadError {
    AadError::new(
        700054,
        "unsupported_response_type",
        format!("response_type '{response_type}' is not enabled for the application."),
    )
}

/// 90023: an invalid request parameter value (e.g. `prompt`, `code_challenge_method`).
pub fn invalid_parameter(name: &str, value: &str) -> AadError {
    AadError::new(
        90023,
        "invalid_request",
        format!("Invalid request. The value '{value}' of parameter '{name}' is not supported."),
    )
}

/// 90015: a sign-in page whose flow is unknown or finished (e.g. after the back button).
pub fn flow_not_found() -> AadError {
    AadError::new(90015, "invalid_request", "Requested query string is too long or the sign-in session has expired. Please start the sign-in again.")
}

/// 50000: injected server error.
pub fn server_error() -> AadError {
    AadError::new(
        50000,
        "server_error",
        "There was an error issuing a token or an issue with our sign-in service.",
    )
    .with_status(500)
}

/// 90033: injected "service unavailable".
pub fn temporarily_unavailable() -> AadError {
    AadError::new(
        90033,
        "temporarily_unavailable",
        "A transient error has occurred. Please try again.",
    )
    .with_status(503)
}
