//! Integration tests: the fake over real HTTP on a loopback port, driven by reqwest, the
//! fake's own `SignInBrowser`, and the `oauth2` crate.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

mod admin_api;
mod authorize_errors;
mod binary;
mod discovery;
mod faults;
mod graph_delta;
mod graph_errors;
mod graph_mail;
mod graph_send;
mod oauth2_client;
mod sign_in;
mod sign_in_errors;
mod support;
mod token_client_assertion;
mod token_client_credentials;
mod token_code;
mod token_refresh;
