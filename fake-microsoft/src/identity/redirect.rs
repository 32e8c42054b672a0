//! Building the URLs the browser is sent back to: the code on success, the error otherwise
//! (docs/microsoft.md §2, §5).

use url::Url;
use uuid::Uuid;

use super::error::{AadError, Trace};

/// An error that goes back to the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRedirect {
    /// The registered redirect URI.
    pub redirect_uri: String,
    /// `state` of the request.
    pub state: Option<String>,
    /// The error.
    pub error: AadError,
    /// `error_subcode` (`cancel` when the user cancelled).
    pub subcode: Option<&'static str>,
    /// Admin consent responses carry `admin_consent=True` even on failure.
    pub admin_consent: bool,
}

impl ErrorRedirect {
    /// An error for an authorize request.
    pub fn new(redirect_uri: &str, state: Option<String>, error: AadError) -> Self {
        Self {
            redirect_uri: redirect_uri.to_owned(),
            state,
            error,
            subcode: None,
            admin_consent: false,
        }
    }

    /// The redirect URL: `?error=…&error_description=…&error_uri=…&state=…`.
    pub fn url(&self, trace: &Trace) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.admin_consent {
            pairs.push(("admin_consent", "True".to_owned()));
        }
        pairs.push(("error", self.error.error.to_owned()));
        if let Some(subcode) = self.subcode {
            pairs.push(("error_subcode", subcode.to_owned()));
        }
        pairs.push(("error_description", self.error.description(trace)));
        pairs.push(("error_uri", self.error.error_uri()));
        if let Some(state) = &self.state {
            pairs.push(("state", state.clone()));
        }
        with_query(&self.redirect_uri, &pairs)
    }
}

/// `?code=…&state=…&session_state=…`.
pub fn code_url(
    redirect_uri: &str,
    code: &str,
    state: Option<&str>,
    session_state: Uuid,
) -> String {
    let mut pairs = vec![("code", code.to_owned())];
    if let Some(state) = state {
        pairs.push(("state", state.to_owned()));
    }
    pairs.push(("session_state", session_state.to_string()));
    with_query(redirect_uri, &pairs)
}

/// `?admin_consent=True&tenant=…&scope=…&state=…`.
pub fn admin_consent_url(
    redirect_uri: &str,
    tenant: Uuid,
    scope: &str,
    state: Option<&str>,
) -> String {
    let mut pairs = vec![
        ("admin_consent", "True".to_owned()),
        ("tenant", tenant.to_string()),
        ("scope", scope.to_owned()),
    ];
    if let Some(state) = state {
        pairs.push(("state", state.to_owned()));
    }
    with_query(redirect_uri, &pairs)
}

/// Appends percent-encoded pairs to a URI, keeping any query it already has.
fn with_query(uri: &str, pairs: &[(&str, String)]) -> String {
    match Url::parse(uri) {
        Ok(mut url) => {
            url.query_pairs_mut()
                .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            url.to_string()
        }
        // Registered URIs are absolute; should one not parse, encode by hand.
        Err(_) => {
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
                .finish();
            let separator = if uri.contains('?') { '&' } else { '?' };
            format!("{uri}{separator}{query}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::aadsts;
    use chrono::Utc;

    fn query(url: &str) -> Vec<(String, String)> {
        Url::parse(url)
            .map(|u| u.query_pairs().into_owned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn code_redirect_is_percent_encoded() {
        let url = code_url(
            "http://127.0.0.1:3000/cb",
            "0.A+b/c",
            Some("s t&u"),
            Uuid::nil(),
        );
        assert!(url.starts_with("http://127.0.0.1:3000/cb?code=0.A%2Bb%2Fc&state=s+t%26u"));
        assert_eq!(query(&url)[1], ("state".into(), "s t&u".into()));
    }

    #[test]
    fn cancel_redirect_has_subcode_and_ids() {
        let trace = Trace::new(None, Utc::now());
        let mut redirect = ErrorRedirect::new(
            "https://app/cb",
            Some("xyz".into()),
            aadsts::consent_declined(),
        );
        redirect.subcode = Some("cancel");
        let pairs = query(&redirect.url(&trace));
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "error",
                "error_subcode",
                "error_description",
                "error_uri",
                "state"
            ]
        );
        assert_eq!(pairs[0].1, "access_denied");
        assert!(pairs[2].1.starts_with("AADSTS65004: User declined"));
        assert!(pairs[2].1.contains(&trace.correlation_id.to_string()));
    }

    #[test]
    fn admin_consent_error_keeps_admin_consent_true() {
        let trace = Trace::new(None, Utc::now());
        let mut redirect = ErrorRedirect::new("https://app/cb", None, aadsts::consent_declined());
        redirect.admin_consent = true;
        let pairs = query(&redirect.url(&trace));
        assert_eq!(pairs[0], ("admin_consent".into(), "True".into()));
        assert_eq!(pairs[1].0, "error");
    }
}
