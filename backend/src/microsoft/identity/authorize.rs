//! The URLs the browser is sent to: the authorization request (docs/microsoft.md §2) and the
//! admin consent request (§5). Pure: every parameter is an argument.

use url::Url;

use rules::connection::{ConnectPrompt, GRAPH_MAIL_SCOPE};

/// `openid profile offline_access` + the Graph mail scope, space separated.
pub fn delegated_scope() -> String {
    format!("openid profile offline_access {GRAPH_MAIL_SCOPE}")
}

/// The scope of the admin consent request: every application permission registered.
pub const ADMIN_CONSENT_SCOPE: &str = "https://graph.microsoft.com/.default";

/// Everything an authorization request carries.
#[derive(Clone, Copy, Debug)]
pub struct AuthorizeRequest<'a> {
    /// `MICROSOFT_LOGIN_URL`.
    pub login_url: &'a str,
    /// Directory (tenant) ID or domain.
    pub tenant_id: &'a str,
    pub client_id: &'a str,
    /// `{PUBLIC_BASE_URL}/api/oauth/ms-azure/callback`.
    pub redirect_uri: &'a str,
    pub state: &'a str,
    /// BASE64URL(SHA-256(verifier)).
    pub code_challenge: &'a str,
    /// The mailbox's address, so the right account is preselected.
    pub login_hint: &'a str,
    pub prompt: ConnectPrompt,
}

impl AuthorizeRequest<'_> {
    /// `{login}/{tenant}/oauth2/v2.0/authorize?…`.
    pub fn url(&self) -> Result<String, url::ParseError> {
        let mut url = endpoint(
            self.login_url,
            self.tenant_id,
            &["oauth2", "v2.0", "authorize"],
        )?;
        url.query_pairs_mut()
            .append_pair("client_id", self.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", self.redirect_uri)
            .append_pair("response_mode", "query")
            .append_pair("scope", &delegated_scope())
            .append_pair("state", self.state)
            .append_pair("code_challenge", self.code_challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("login_hint", self.login_hint)
            .append_pair("prompt", self.prompt.as_str());
        Ok(url.into())
    }
}

/// `{login}/{tenant}/v2.0/adminconsent?client_id&scope=…/.default&redirect_uri&state`.
pub fn admin_consent_url(
    login_url: &str,
    tenant_id: &str,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
) -> Result<String, url::ParseError> {
    let mut url = endpoint(login_url, tenant_id, &["v2.0", "adminconsent"])?;
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("scope", ADMIN_CONSENT_SCOPE)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state);
    Ok(url.into())
}

/// `{login}/{tenant}/oauth2/v2.0/token`.
pub fn token_url(login_url: &str, tenant_id: &str) -> Result<String, url::ParseError> {
    endpoint(login_url, tenant_id, &["oauth2", "v2.0", "token"]).map(Into::into)
}

/// `{login}/{tenant}/v2.0/.well-known/openid-configuration`.
pub fn discovery_url(login_url: &str, tenant_id: &str) -> Result<String, url::ParseError> {
    endpoint(
        login_url,
        tenant_id,
        &["v2.0", ".well-known", "openid-configuration"],
    )
    .map(Into::into)
}

/// The tenant goes in as one path segment, percent-encoded: it can never add a path.
fn endpoint(login_url: &str, tenant_id: &str, rest: &[&str]) -> Result<Url, url::ParseError> {
    let mut url = Url::parse(login_url)?;
    {
        let mut segments = url
            .path_segments_mut()
            .map_err(|()| url::ParseError::RelativeUrlWithCannotBeABaseBase)?;
        segments.pop_if_empty().push(tenant_id).extend(rest);
    }
    Ok(url)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn params(url: &str) -> HashMap<String, String> {
        Url::parse(url)
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect()
    }

    fn request(prompt: ConnectPrompt) -> AuthorizeRequest<'static> {
        AuthorizeRequest {
            login_url: "https://login.microsoftonline.com",
            tenant_id: "8c10395e-14fe-46db-a8b6-699ac4a65109",
            client_id: "80aef83a-368f-4a54-a387-8c794cf71106",
            redirect_uri: "https://crm.example.org/api/oauth/ms-azure/callback",
            state: "c3RhdGU",
            code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            login_hint: "info@energiedemo.nl",
            prompt,
        }
    }

    #[test]
    fn the_authorize_url_carries_every_parameter() {
        let url = request(ConnectPrompt::SelectAccount).url().unwrap();
        assert!(url.starts_with(
            "https://login.microsoftonline.com/8c10395e-14fe-46db-a8b6-699ac4a65109/oauth2/v2.0/authorize?"
        ));
        let params = params(&url);
        let expected = [
            ("client_id", "80aef83a-368f-4a54-a387-8c794cf71106"),
            ("response_type", "code"),
            (
                "redirect_uri",
                "https://crm.example.org/api/oauth/ms-azure/callback",
            ),
            ("response_mode", "query"),
            (
                "scope",
                "openid profile offline_access https://graph.microsoft.com/Mail.ReadWrite",
            ),
            ("state", "c3RhdGU"),
            (
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ),
            ("code_challenge_method", "S256"),
            ("login_hint", "info@energiedemo.nl"),
            ("prompt", "select_account"),
        ];
        for (name, value) in expected {
            assert_eq!(params.get(name).map(String::as_str), Some(value), "{name}");
        }
        assert_eq!(params.len(), expected.len(), "nothing else: {params:?}");
        assert!(!url.contains("consent"));
    }

    #[test]
    fn a_forced_reconnect_asks_for_the_password() {
        let url = request(ConnectPrompt::Login).url().unwrap();
        assert_eq!(params(&url)["prompt"], "login");
    }

    #[test]
    fn the_tenant_cannot_escape_its_segment() {
        let mut req = request(ConnectPrompt::Login);
        req.tenant_id = "evil/../x?y";
        let url = req.url().unwrap();
        assert!(
            url.contains("/evil%2F..%2Fx%3Fy/oauth2/v2.0/authorize?"),
            "{url}"
        );
    }

    #[test]
    fn admin_consent_asks_for_default_scope() {
        let url = admin_consent_url(
            "http://127.0.0.1:3190/",
            "energiedemo.onmicrosoft.com",
            "80aef83a-368f-4a54-a387-8c794cf71106",
            "http://127.0.0.1:3100/api/oauth/ms-azure/callback",
            "s",
        )
        .unwrap();
        assert!(
            url.starts_with("http://127.0.0.1:3190/energiedemo.onmicrosoft.com/v2.0/adminconsent?")
        );
        let params = params(&url);
        assert_eq!(params["scope"], "https://graph.microsoft.com/.default");
        assert_eq!(params["state"], "s");
        assert_eq!(params.len(), 4);
    }

    #[test]
    fn token_and_discovery_urls() {
        assert_eq!(
            token_url("https://login.microsoftonline.com", "t").unwrap(),
            "https://login.microsoftonline.com/t/oauth2/v2.0/token"
        );
        assert_eq!(
            discovery_url("https://login.microsoftonline.com", "t").unwrap(),
            "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration"
        );
    }
}
