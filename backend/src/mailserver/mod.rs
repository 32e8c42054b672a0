//! IMAP and SMTP servers with a username and password (issue 23): the connection (TCP, then
//! TLS from the first byte, STARTTLS, or none, as the mailbox says), what a failure means for
//! the admin ([`MailServerError`], each kind named with what to change), and the IMAP session
//! the fetch and "Test verbinding" use. SMTP sending is in [`crate::outgoing::smtp`].

pub mod check;
pub mod error;
pub mod imap;
pub mod tls;

use std::time::Duration;

pub use error::{MailServerError, Problem};
pub use tls::TlsRoots;

use rules::validation::Encryption;

/// Where and how to reach one server of a mailbox.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    /// None: no encryption at all (the form offers it, as Econobis does).
    pub encryption: Option<Encryption>,
}

impl Endpoint {
    /// From the stored columns; None when host or port is missing.
    pub fn from_columns(
        host: Option<&str>,
        port: Option<i32>,
        encryption: Option<&str>,
    ) -> Option<Endpoint> {
        let host = host.map(str::trim).filter(|h| !h.is_empty())?.to_string();
        let port = u16::try_from(port?).ok()?;
        let encryption = encryption.and_then(|code| code.parse().ok());
        Some(Endpoint {
            host,
            port,
            encryption,
        })
    }
}

/// How long one step (connect, greeting, handshake, a command) may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the greeting of a server reached without TLS may take: a port that expects TLS
/// from the first byte says nothing and waits for our handshake.
pub const GREETING_TIMEOUT: Duration = Duration::from_secs(5);
