//! `POST /inloggen` and `POST /uitloggen`: plain form posts, so they work without
//! JavaScript; the answer is always a redirect (303), never a page with the password.

use std::net::SocketAddr;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use http::{header, HeaderValue, StatusCode};
use secrecy::SecretString;
use serde::Deserialize;

use backend::auth::client_address::TrustedProxies;
use backend::auth::sessions;
use backend::auth::sign_in::{sign_in, SignInOutcome};
use backend::AppState;
use rules::access::{
    encode_query_value, safe_next_path, SignInError, DEFAULT_NEXT, ERROR_PARAM, NEXT_PARAM,
    SIGN_IN_PATH,
};

use super::cookie;

/// The sign-in form. No `Debug`: it holds the password.
#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Signs in and redirects to `next`, or back to the sign-in page with the reason.
pub async fn post_sign_in(state: AppState, request: Request) -> Response {
    let address = client_address(&request, &state.auth.trusted_proxies);
    let old_token = cookie::session_token(request.headers());
    let Ok(Form(form)) = Form::<SignInForm>::from_request(request, &()).await else {
        return back_to_sign_in(SignInError::Rejected, "");
    };
    let SignInForm {
        email,
        password,
        next,
    } = form;
    let password = SecretString::from(password);
    let now = Utc::now();
    let outcome = sign_in(&state.db, &state.auth, &email, password, &address, now).await;
    crate::metrics::sign_in_finished(&outcome);
    match outcome {
        Ok(SignInOutcome::SignedIn { token, .. }) => {
            // A fresh session id on every sign-in; the old one (if any) ends.
            if let Some(old) = old_token {
                let _ = sessions::end(&state.db, &old).await;
            }
            let target = safe_next_path(&next).unwrap_or(DEFAULT_NEXT);
            let mut response = Redirect::to(target).into_response();
            set_cookie(
                &mut response,
                &cookie::session_cookie(&token, state.auth.secure_cookie),
            );
            response
        }
        Ok(SignInOutcome::Refused(error)) => back_to_sign_in(error, &next),
        Err(error) => {
            tracing::error!(%error, "sign-in failed on the database");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Ends the session and clears the cookie.
pub async fn post_sign_out(state: AppState, request: Request) -> Response {
    if let Some(token) = cookie::session_token(request.headers()) {
        if let Err(error) = sessions::end(&state.db, &token).await {
            tracing::error!(%error, "ending the session failed");
        }
    }
    let mut response = Redirect::to(SIGN_IN_PATH).into_response();
    set_cookie(
        &mut response,
        &cookie::cleared_cookie(state.auth.secure_cookie),
    );
    response
}

fn back_to_sign_in(error: SignInError, next: &str) -> Response {
    let mut url = format!("{SIGN_IN_PATH}?{ERROR_PARAM}={}", error.param());
    if let Some(next) = safe_next_path(next) {
        url.push_str(&format!("&{NEXT_PARAM}={}", encode_query_value(next)));
    }
    Redirect::to(&url).into_response()
}

fn set_cookie(response: &mut Response, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The client's IP address: the socket's peer, or behind a trusted proxy the client it
/// names; "unknown" when the server runs without connection info (tests).
fn client_address(request: &Request, trusted: &TrustedProxies) -> String {
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return "unknown".to_string();
    };
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok());
    trusted.client_ip(peer.ip(), forwarded).to_string()
}
