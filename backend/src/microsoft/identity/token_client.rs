//! The token endpoint over HTTP (the I/O edge, docs/microsoft.md §3): the one place the
//! oauth2 client is built, with Microsoft's error type, the secret in the request body (or,
//! for a certificate, a client assertion instead: §11), timeouts and no redirects.
//! Every request to Microsoft runs in a debug-level span named `microsoft_request`, so the
//! time spent waiting on Microsoft can be told apart from our own (the benchmark does).

use std::fmt;
use std::time::Duration;

use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, EndpointNotSet, EndpointSet,
    ExtraTokenFields, HttpClientError, PkceCodeVerifier, RedirectUrl, RefreshToken,
    RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse, TokenUrl,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use super::authorize::{delegated_scope, token_url};
use super::credential::{ClientCredential, CredentialError, CLIENT_ASSERTION_TYPE};
use super::microsoft_error::MicrosoftError;
use crate::entities::mailbox_microsoft_settings as settings;
use crate::AppState;

/// The `id_token` next to the standard fields. `Debug` does not show it.
#[derive(Clone, Default, Deserialize, Serialize)]
pub struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl fmt::Debug for IdTokenField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdTokenField([redacted])")
    }
}

impl ExtraTokenFields for IdTokenField {}

/// A successful token response.
pub type TokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;

type MicrosoftClient = oauth2::Client<
    MicrosoftError,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Why no tokens came back. Carries no secret.
#[derive(Debug, thiserror::Error)]
pub enum TokenFailure {
    /// Microsoft refused, with its whole error body.
    #[error("Microsoft refused: {0}")]
    Microsoft(Box<MicrosoftError>),
    #[error("no answer within the configured timeout")]
    Timeout,
    #[error("request failed: {0}")]
    Unreachable(String),
    /// An answer that is no token response; `body` only when it holds no token.
    #[error("unreadable answer: {detail}")]
    Malformed {
        detail: String,
        body: Option<String>,
    },
    #[error("invalid endpoint URL: {0}")]
    BadUrl(#[from] url::ParseError),
    /// The certificate credential could not sign an assertion (nothing was sent).
    #[error("client credential unusable: {0}")]
    Credential(#[from] CredentialError),
}

/// The client for every Microsoft call: a timeout on each request and redirects disabled.
pub fn http_client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        // Redirects disabled: a redirect from a token endpoint would carry our request (and
        // the client secret) to wherever it points — server-side request forgery.
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// Where and as whom to ask for tokens: the one way the token endpoint's client is built.
#[derive(Clone, Debug)]
pub struct TokenEndpoint<'a> {
    pub login_url: &'a str,
    pub tenant_id: &'a str,
    pub client_id: &'a str,
    /// The callback an authorization code was issued for; None for the app's own token.
    pub redirect_uri: Option<String>,
}

impl<'a> TokenEndpoint<'a> {
    /// A mailbox's app registration, redeeming what this deployment's callback received.
    pub fn of_mailbox(state: &'a AppState, settings: &'a settings::Model) -> Self {
        Self {
            login_url: &state.microsoft.login_url,
            tenant_id: &settings.tenant_id,
            client_id: &settings.client_id,
            redirect_uri: Some(state.redirect_uri()),
        }
    }

    /// An app registration asking for its own token (client credentials: no redirect).
    pub fn app(login_url: &'a str, tenant_id: &'a str, client_id: &'a str) -> Self {
        Self {
            login_url,
            tenant_id,
            client_id,
            redirect_uri: None,
        }
    }

    fn client(&self, credential: &ClientCredential) -> Result<MicrosoftClient, TokenFailure> {
        let client = oauth2::Client::new(ClientId::new(self.client_id.to_string()));
        let client = match credential {
            ClientCredential::Secret(secret) => {
                client.set_client_secret(ClientSecret::new(secret.expose_secret().to_string()))
            }
            // No secret: with AuthType::RequestBody oauth2-rs then sends the client_id only,
            // and the assertion goes along as two extra parameters (`assertion`).
            ClientCredential::Certificate(_) => client,
        }
        .set_token_uri(TokenUrl::new(token_url(self.login_url, self.tenant_id)?)?)
        // Microsoft wants the secret in the body (oauth2-rs defaults to HTTP Basic).
        .set_auth_type(AuthType::RequestBody);
        Ok(match &self.redirect_uri {
            Some(uri) => client.set_redirect_uri(RedirectUrl::new(uri.clone())?),
            None => client,
        })
    }

    /// `client_assertion_type` and `client_assertion` for a certificate, signed now for this
    /// tenant's token endpoint; nothing for a secret.
    fn assertion(
        &self,
        credential: &ClientCredential,
    ) -> Result<Vec<(&'static str, String)>, TokenFailure> {
        let ClientCredential::Certificate(certificate) = credential else {
            return Ok(Vec::new());
        };
        let audience = token_url(self.login_url, self.tenant_id)?;
        let assertion =
            certificate.client_assertion(&audience, self.client_id, chrono::Utc::now())?;
        Ok(vec![
            ("client_assertion_type", CLIENT_ASSERTION_TYPE.to_string()),
            ("client_assertion", assertion.expose_secret().to_string()),
        ])
    }

    /// Redeems an authorization code with its PKCE verifier.
    #[tracing::instrument(name = "microsoft_request", level = "debug", skip_all)]
    pub async fn redeem_code(
        &self,
        http: &reqwest::Client,
        credential: &ClientCredential,
        code: AuthorizationCode,
        verifier: PkceCodeVerifier,
    ) -> Result<TokenResponse, TokenFailure> {
        let client = self.client(credential)?;
        let mut request = client
            .exchange_code(code)
            .set_pkce_verifier(verifier)
            .add_extra_param("scope", delegated_scope());
        for (name, value) in self.assertion(credential)? {
            request = request.add_extra_param(name, value);
        }
        request.request_async(http).await.map_err(failure)
    }

    /// Redeems a refresh token; Microsoft answers with a new one.
    #[tracing::instrument(name = "microsoft_request", level = "debug", skip_all)]
    pub async fn redeem_refresh_token(
        &self,
        http: &reqwest::Client,
        credential: &ClientCredential,
        refresh_token: &RefreshToken,
    ) -> Result<TokenResponse, TokenFailure> {
        let scopes = delegated_scope();
        let client = self.client(credential)?;
        let mut request = client
            .exchange_refresh_token(refresh_token)
            .add_scopes(scopes.split(' ').map(|s| Scope::new(s.to_string())));
        for (name, value) in self.assertion(credential)? {
            request = request.add_extra_param(name, value);
        }
        request.request_async(http).await.map_err(failure)
    }

    /// The app's own token (client credentials, `https://graph.microsoft.com/.default`):
    /// what the preflight tests the client ID and credential with, and what sending mail uses.
    #[tracing::instrument(name = "microsoft_request", level = "debug", skip_all)]
    pub async fn client_credentials(
        &self,
        http: &reqwest::Client,
        credential: &ClientCredential,
    ) -> Result<TokenResponse, TokenFailure> {
        let client = self.client(credential)?;
        let mut request = client
            .exchange_client_credentials()
            .add_scope(Scope::new(APP_ONLY_SCOPE.to_string()));
        for (name, value) in self.assertion(credential)? {
            request = request.add_extra_param(name, value);
        }
        request.request_async(http).await.map_err(failure)
    }
}

/// Every application permission the app registration was granted.
pub const APP_ONLY_SCOPE: &str = "https://graph.microsoft.com/.default";

fn failure(
    error: RequestTokenError<HttpClientError<reqwest::Error>, MicrosoftError>,
) -> TokenFailure {
    match error {
        RequestTokenError::ServerResponse(error) => TokenFailure::Microsoft(Box::new(error)),
        RequestTokenError::Request(HttpClientError::Reqwest(error)) if error.is_timeout() => {
            TokenFailure::Timeout
        }
        RequestTokenError::Request(error) => TokenFailure::Unreachable(describe(&error)),
        RequestTokenError::Parse(error, body) => TokenFailure::Malformed {
            detail: error.to_string(),
            body: keepable_body(&body),
        },
        RequestTokenError::Other(detail) => TokenFailure::Malformed { detail, body: None },
    }
}

/// The error and its sources, e.g. "client error: error sending request: connection refused".
pub(super) fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

const MAX_KEPT_BODY: usize = 8 * 1024;

/// A malformed answer is kept for support only when it cannot hold a token (a truncated
/// success body can), and only its first 8 KiB.
pub(super) fn keepable_body(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    if text.contains("token") {
        return None;
    }
    let end = text
        .char_indices()
        .map(|(at, c)| at + c.len_utf8())
        .take_while(|end| *end <= MAX_KEPT_BODY)
        .last()
        .unwrap_or(0);
    Some(text[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_that_may_hold_tokens_are_not_kept() {
        assert_eq!(
            keepable_body(br#"{"token_type":"Bearer","access_token":"ey"#),
            None
        );
        assert_eq!(
            keepable_body(b"<html>bad gateway</html>").as_deref(),
            Some("<html>bad gateway</html>")
        );
        assert_eq!(
            keepable_body(&vec![b'a'; MAX_KEPT_BODY + 10]).map(|b| b.len()),
            Some(MAX_KEPT_BODY)
        );
    }

    #[test]
    fn the_id_token_is_not_in_debug_output() {
        let field = IdTokenField {
            id_token: Some("eyJ.geheim.x".into()),
        };
        assert!(!format!("{field:?}").contains("geheim"));
    }
}
