//! What wraps the router when it serves for real (`main`), outermost first: the request's id,
//! one log line per request, the request metrics, compression, the limit on a request's
//! time. Kept apart from
//! [`crate::router`] so the tests of the pages need not carry it, and so its own tests can
//! wrap a router with a deliberately slow route.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use backend::auth::client_address::TrustedProxies;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The header that carries a request's id, in the request (from a trusted proxy) and in
/// the response (always).
pub const REQUEST_ID: &str = "x-request-id";

/// What the serving layers need.
#[derive(Clone, Debug)]
pub struct Serving {
    /// `HTTP_REQUEST_TIMEOUT_SECS`.
    pub request_timeout: Duration,
    /// `TRUSTED_PROXIES`: whose `X-Forwarded-For` and `X-Request-Id` are believed.
    pub trusted_proxies: TrustedProxies,
}

/// The serving layers around `router`.
pub fn service(router: Router, serving: &Serving) -> Router {
    let proxies = serving.trusted_proxies.clone();
    let layers = ServiceBuilder::new()
        .layer(from_fn_with_state(
            serving.trusted_proxies.clone(),
            keep_request_id_of_trusted_proxy,
        ))
        .layer(SetRequestIdLayer::new(
            http::HeaderName::from_static(REQUEST_ID),
            MakeRequestUuid,
        ))
        .layer(PropagateRequestIdLayer::new(http::HeaderName::from_static(
            REQUEST_ID,
        )))
        .layer(
            // One line per request, when its response starts: the id, the client's real
            // address, the method and the path. Never the query (the callback's `code` and
            // `state`), never a header (the session cookie).
            TraceLayer::new_for_http()
                .make_span_with(move |request: &Request| {
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!(
                        "request",
                        id,
                        client = %client_address(request, &proxies),
                        method = %request.method(),
                        path = request.uri().path(),
                    )
                })
                .on_request(())
                .on_response(
                    |response: &Response, latency: Duration, _span: &tracing::Span| {
                        tracing::info!(
                            status = response.status().as_u16(),
                            ms = latency.as_millis() as u64,
                            "answered"
                        );
                    },
                )
                // A 5xx is in the one line already (its status); an aborted body needs none.
                .on_failure(())
                .on_eos(()),
        )
        .layer(axum::middleware::from_fn(crate::metrics::count_request))
        // Pages and answers compressed as they are sent (the bundle comes precompressed),
        // except the fetched mail (see `keep_mail_uncompressed`).
        .layer(
            CompressionLayer::new().compress_when(DefaultPredicate::new().and(
                |_: StatusCode,
                 _: http::Version,
                 _: &http::HeaderMap,
                 extensions: &http::Extensions| {
                    extensions.get::<Uncompressed>().is_none()
                },
            )),
        )
        .layer(axum::middleware::from_fn(keep_mail_uncompressed))
        // A handler still without a response after the limit (a hung database, a Microsoft
        // call that neither answers nor fails) is answered 503, so the client and the proxy
        // get an answer instead of waiting, and the handler's work is dropped.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            serving.request_timeout,
        ));
    router.layer(layers)
}

/// Marks a response that is sent uncompressed.
#[derive(Clone, Copy, Debug)]
struct Uncompressed;

/// The fetched mail (message list, message, attachment) is sent uncompressed. Compression
/// lets a network observer learn a secret in a response from its length if an attacker can
/// put guesses into the same response (BREACH); mail is exactly where someone else's text
/// (an incoming message) sits beside secrets (a password-reset link in another message).
/// The other pages hold no such secret: no CSRF token (the cross-site check uses `Origin`),
/// no stored secret (a client secret shows only its first three characters), and the CSP
/// nonce changes with every response.
async fn keep_mail_uncompressed(request: Request, next: Next) -> Response {
    let mail = request.uri().path().contains("/berichten");
    let mut response = next.run(request).await;
    if mail {
        response.extensions_mut().insert(Uncompressed);
    }
    response
}

/// A request id from a trusted proxy (nginx's `$request_id`) is kept, so the proxy's log
/// and ours name a request alike; from anyone else it is dropped and a new one made, so a
/// client cannot write into our log lines nor pass itself off as another request. A trusted
/// one is kept only when it is short and plain (letters, digits, `-`, `_`, `.`).
async fn keep_request_id_of_trusted_proxy(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let from_proxy = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| proxies.trusts(peer.ip()));
    let plain = request.headers().get(REQUEST_ID).is_some_and(is_plain_id);
    if !(from_proxy && plain) {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

fn is_plain_id(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}

/// The client's address as the log names it: the socket's peer, or behind a trusted proxy
/// the client it names; `-` without connection info (tests through the router alone).
fn client_address(request: &Request, proxies: &TrustedProxies) -> String {
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return "-".to_string();
    };
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok());
    proxies.client_ip(peer.ip(), forwarded).to_string()
}
