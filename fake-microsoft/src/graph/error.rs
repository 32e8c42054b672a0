//! Graph's error body: `{"error":{"code","message","innerError":{…}}}` (docs/microsoft.md §6).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::clock::graph_time;

/// A Graph error before the request IDs are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// HTTP status.
    pub status: u16,
    /// `error.code`.
    pub code: &'static str,
    /// `error.message`.
    pub message: String,
    /// `Retry-After` seconds (429, 503).
    pub retry_after_seconds: Option<u64>,
}

impl GraphError {
    /// An error with this status, code and message.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after_seconds: None,
        }
    }

    /// The JSON body; `request_id` and `client_request_id` also go into response headers.
    pub fn body(&self, request_id: Uuid, client_request_id: Uuid, now: DateTime<Utc>) -> Value {
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "innerError": {
                    "date": graph_time(now),
                    "request-id": request_id,
                    "client-request-id": client_request_id,
                }
            }
        })
    }

    /// 401: no bearer token.
    pub fn token_missing() -> Self {
        Self::new(401, "InvalidAuthenticationToken", "Access token is empty.")
    }

    /// 401: a token the fake never issued.
    pub fn token_invalid() -> Self {
        Self::new(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        )
    }

    /// 401: an expired token.
    pub fn token_expired() -> Self {
        Self::new(
            401,
            "InvalidAuthenticationToken",
            "Lifetime validation failed, the token is expired.",
        )
    }

    /// 403: permission missing or not consented.
    pub fn access_denied() -> Self {
        Self::new(
            403,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        )
    }

    /// 403: an application access policy excludes the mailbox.
    pub fn odata_disabled() -> Self {
        Self::new(403, "ErrorAccessDenied", "Access to OData is disabled.")
    }

    /// 404: no such user in the token's tenant (mail endpoints).
    pub fn invalid_user(user: &str) -> Self {
        Self::new(
            404,
            "ErrorInvalidUser",
            format!("The requested user '{user}' is invalid."),
        )
    }

    /// 404: the user has no Exchange Online mailbox.
    pub fn mailbox_not_enabled() -> Self {
        Self::new(
            404,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        )
    }

    /// 404: no such message or attachment.
    pub fn item_not_found() -> Self {
        Self::new(
            404,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        )
    }

    /// 404: no such user (directory endpoint `/users/{id}`).
    pub fn resource_not_found(user: &str) -> Self {
        Self::new(404, "Request_ResourceNotFound", format!(
            "Resource '{user}' does not exist or one of its queried reference-property objects are not present."
        ))
    }

    /// 403: directory permission missing (`/users/{id}` needs User.Read.All).
    pub fn insufficient_privileges() -> Self {
        Self::new(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    /// 400 with Graph's generic code.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// 410: a delta or skip token that is unknown or expired ("resync required").
    pub fn sync_state_not_found() -> Self {
        // Likely wording: Outlook answers delta tokens it no longer knows with 410 and
        // `SyncStateNotFound`; clients must start a fresh delta without a token.
        Self::new(
            410,
            "SyncStateNotFound",
            "The sync state was not found or has expired. Start a new delta query without a token.",
        )
    }

    /// 429 with `Retry-After`.
    pub fn throttled(retry_after_seconds: u64) -> Self {
        Self {
            retry_after_seconds: Some(retry_after_seconds),
            ..Self::new(
                429,
                "TooManyRequests",
                "Application is over its MailboxConcurrency limit.",
            )
        }
    }

    /// 500.
    pub fn internal_server_error() -> Self {
        Self::new(
            500,
            "ErrorInternalServerError",
            "An internal server error occurred. The operation failed.",
        )
    }

    /// 503, optionally with `Retry-After`.
    pub fn service_unavailable(retry_after_seconds: Option<u64>) -> Self {
        Self {
            retry_after_seconds,
            ..Self::new(
                503,
                "ServiceUnavailable",
                "The service is temporarily unavailable. Please retry later.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_inner_error_ids() {
        let request_id = Uuid::new_v4();
        let client_request_id = Uuid::new_v4();
        let body = GraphError::access_denied().body(request_id, client_request_id, Utc::now());
        assert_eq!(body["error"]["code"], "ErrorAccessDenied");
        assert_eq!(
            body["error"]["message"],
            "Access is denied. Check credentials and try again."
        );
        assert_eq!(
            body["error"]["innerError"]["request-id"],
            request_id.to_string()
        );
        assert_eq!(
            body["error"]["innerError"]["client-request-id"],
            client_request_id.to_string()
        );
    }
}
