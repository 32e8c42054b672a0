//! Security headers on every response: a Content-Security-Policy that lets only the app's
//! own scripts (the hydration script carries a per-response nonce) and WASM run,
//! `X-Content-Type-Options`, `Referrer-Policy`, and HSTS when served over https.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};

/// The nonce of one response, in the request's extensions; the Leptos context gets it as
/// its `Nonce` so the inline scripts it renders carry the same value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits, base64url.
    pub fn generate() -> CspNonce {
        CspNonce(backend::auth::random_base64url::<16>())
    }
}

/// What the headers depend on, fixed at start-up.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    /// Origin of `MICROSOFT_LOGIN_URL`: forms may lead there (a POST that redirects to
    /// Microsoft's sign-in).
    pub microsoft_login_origin: String,
    /// `PUBLIC_BASE_URL` is https: add `Strict-Transport-Security`.
    pub https: bool,
}

impl SecurityHeaders {
    /// The policy for a response whose inline scripts carry `nonce`.
    pub fn content_security_policy(&self, nonce: &CspNonce) -> String {
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'self' {}",
            nonce.0, self.microsoft_login_origin
        )
    }
}

/// The middleware: makes the nonce, then sets the headers on whatever answered.
pub async fn set_security_headers(
    State(settings): State<SecurityHeaders>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&settings.content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if settings.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_nonce_and_microsofts_login() {
        let settings = SecurityHeaders {
            microsoft_login_origin: "https://login.microsoftonline.com".to_string(),
            https: true,
        };
        let nonce = CspNonce::generate();
        assert_eq!(nonce.0.len(), 22);
        assert_ne!(nonce, CspNonce::generate());
        let csp = settings.content_security_policy(&nonce);
        assert!(csp.contains(&format!(
            "script-src 'self' 'nonce-{}' 'wasm-unsafe-eval';",
            nonce.0
        )));
        assert!(csp.ends_with("form-action 'self' https://login.microsoftonline.com"));
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'"));
    }
}
