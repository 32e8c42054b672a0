//! Microsoft Graph (docs/microsoft.md §6): one client for every request, one reading of
//! Graph's error answer, one retry policy.
//!
//! Pure, unit-tested in place: [`retry`] (when and how long to wait), [`error`] (the error
//! answer). I/O: [`client`], which reads every body through `body`'s cap.

mod body;
pub mod client;
pub mod error;
pub mod retry;

pub use client::{user_url, GraphClient, NoRenewal, Renew, DEFAULT_RESPONSE_MAX_BYTES};
pub use error::{GraphError, GraphFailure};
pub use retry::{RetryPolicy, Transience};
