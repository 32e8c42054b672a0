//! Microsoft Graph mail: access checks, message listing and delta, updates, attachments and
//! sendMail — the decisions, without HTTP.

pub mod access;
pub mod delta;
pub mod error;
pub mod message_json;
pub mod query;
pub mod send;

pub use error::GraphError;
