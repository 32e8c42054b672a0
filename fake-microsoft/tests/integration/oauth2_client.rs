//! The `oauth2` crate (v5, `AuthType::RequestBody`, reqwest without redirects) against the
//! fake: it must parse the fake's token responses and error bodies.

use std::fmt;

use fake_microsoft::{ConsentChoice, SignInBrowser, SignInStep};
use oauth2::basic::{
    BasicClient, BasicErrorResponseType, BasicRevocationErrorResponse,
    BasicTokenIntrospectionResponse, BasicTokenResponse,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    StandardRevocableToken, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};

use crate::support::*;

/// Microsoft's error body with every field it sends (codes, trace and correlation IDs,
/// timestamp), so parsing loses nothing support would ask for.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct MicrosoftError {
    error: String,
    error_description: Option<String>,
    #[serde(default)]
    error_codes: Vec<u32>,
    trace_id: Option<String>,
    correlation_id: Option<String>,
    timestamp: Option<String>,
    error_uri: Option<String>,
    suberror: Option<String>,
}

impl fmt::Display for MicrosoftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            self.error,
            self.error_description.as_deref().unwrap_or_default()
        )
    }
}

impl oauth2::ErrorResponse for MicrosoftError {}

type MicrosoftClient = oauth2::Client<
    MicrosoftError,
    BasicTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

fn client(fake: &fake_microsoft::FakeMicrosoft, secret: &str) -> MicrosoftClient {
    oauth2::Client::new(ClientId::new(CLIENT_ID.into()))
        .set_client_secret(ClientSecret::new(secret.into()))
        .set_auth_uri(
            AuthUrl::new(format!(
                "{}/{TENANT}/oauth2/v2.0/authorize",
                fake.base_url()
            ))
            .unwrap(),
        )
        .set_token_uri(
            TokenUrl::new(format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url())).unwrap(),
        )
        .set_redirect_uri(RedirectUrl::new(REDIRECT_URI.into()).unwrap())
        .set_auth_type(AuthType::RequestBody)
}

fn no_redirects() -> reqwest::Client {
    // Redirects disabled: following them from the token endpoint would open SSRF.
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn authorization_code(client: &MicrosoftClient) -> (String, oauth2::PkceCodeVerifier) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(
            [
                "openid",
                "profile",
                "offline_access",
                "https://graph.microsoft.com/Mail.Read",
            ]
            .map(|s| Scope::new(s.into())),
        )
        .add_extra_param("prompt", "select_account")
        .add_extra_param("login_hint", INFO)
        .set_pkce_challenge(challenge)
        .url();
    let mut browser = SignInBrowser::new().unwrap();
    let SignInStep::Redirect(callback) = browser
        .sign_in(url.as_str(), INFO, INFO_PASSWORD, ConsentChoice::Accept)
        .await
        .unwrap()
    else {
        panic!("no redirect")
    };
    let params = query(&callback);
    assert_eq!(&params["state"], csrf.secret());
    (params["code"].clone(), verifier)
}

#[tokio::test]
async fn code_exchange_and_refresh_parse() {
    let fake = demo().await;
    let client = client(&fake, SECRET);
    let http = no_redirects();
    let (code, verifier) = authorization_code(&client).await;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .unwrap();
    assert!(!tokens.access_token().secret().is_empty());
    assert_eq!(tokens.expires_in().map(|d| d.as_secs()), Some(3599));
    let scopes: Vec<String> = tokens
        .scopes()
        .unwrap()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        scopes.contains(&"https://graph.microsoft.com/Mail.Read".to_owned()),
        "{scopes:?}"
    );
    let refresh_token = tokens.refresh_token().unwrap().secret().clone();
    let refreshed = client
        .exchange_refresh_token(&RefreshToken::new(refresh_token.clone()))
        .request_async(&http)
        .await
        .unwrap();
    assert_ne!(refreshed.refresh_token().unwrap().secret(), &refresh_token);
    assert_eq!(fake.token_request_count("authorization_code"), 1);
    assert_eq!(fake.token_request_count("refresh_token"), 1);
}

#[tokio::test]
async fn client_credentials_parse() {
    let fake = demo().await;
    let tokens = client(&fake, SECRET)
        .exchange_client_credentials()
        .add_scope(Scope::new("https://graph.microsoft.com/.default".into()))
        .request_async(&no_redirects())
        .await
        .unwrap();
    assert!(tokens.refresh_token().is_none());
    assert!(tokens.scopes().is_none());
}

#[tokio::test]
async fn error_bodies_parse_into_a_custom_error_type() {
    let fake = demo().await;
    let result = client(&fake, SECRET_ID)
        .exchange_client_credentials()
        .add_scope(Scope::new("https://graph.microsoft.com/.default".into()))
        .request_async(&no_redirects())
        .await;
    let Err(RequestTokenError::ServerResponse(error)) = result else {
        panic!("expected a server error: {result:?}")
    };
    assert_eq!(error.error, "invalid_client");
    assert_eq!(error.error_codes, [7000215]);
    assert!(error
        .trace_id
        .as_deref()
        .is_some_and(|t| uuid::Uuid::parse_str(t).is_ok()));
    assert!(error.correlation_id.is_some() && error.timestamp.is_some());
    assert_eq!(
        error.error_uri.as_deref(),
        Some("https://login.microsoftonline.com/error?code=7000215")
    );

    let client = client(&fake, SECRET);
    let http = no_redirects();
    let (code, verifier) = authorization_code(&client).await;
    let verifier_secret = verifier.secret().clone();
    client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .unwrap();
    let again = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(oauth2::PkceCodeVerifier::new(verifier_secret))
        .request_async(&http)
        .await;
    let Err(RequestTokenError::ServerResponse(error)) = again else {
        panic!("expected a server error")
    };
    assert_eq!(
        (error.error.as_str(), error.error_codes.as_slice()),
        ("invalid_grant", [54005].as_slice())
    );
}

#[tokio::test]
async fn error_bodies_parse_into_the_standard_error_response() {
    let fake = demo().await;
    let client = BasicClient::new(ClientId::new(CLIENT_ID.into()))
        .set_client_secret(ClientSecret::new("wrong".into()))
        .set_token_uri(
            TokenUrl::new(format!("{}/{TENANT}/oauth2/v2.0/token", fake.base_url())).unwrap(),
        )
        .set_auth_type(AuthType::RequestBody);
    let result = client
        .exchange_client_credentials()
        .add_scope(Scope::new("https://graph.microsoft.com/.default".into()))
        .request_async(&no_redirects())
        .await;
    let Err(RequestTokenError::ServerResponse(error)) = result else {
        panic!("expected a server error")
    };
    assert_eq!(*error.error(), BasicErrorResponseType::InvalidClient);
    assert!(error
        .error_description()
        .is_some_and(|d| d.starts_with("AADSTS7000215: ")));
    assert_eq!(
        error.error_uri().map(String::as_str),
        Some("https://login.microsoftonline.com/error?code=7000215")
    );
}
