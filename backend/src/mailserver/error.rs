//! What went wrong talking to an IMAP or SMTP server, named by what the admin changes.

use std::io;

use tokio_rustls::rustls::{self, CertificateError};

/// The kind of failure; its code selects the advice (`rules::advice`, codes `mail_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The host name does not resolve.
    HostUnknown,
    /// Nothing accepts a connection on host and port (refused, or no route).
    Unreachable,
    /// No answer in time.
    Timeout,
    /// The port expects TLS from the first byte, and STARTTLS or none was configured.
    TlsExpected,
    /// SSL (TLS from the first byte) was configured, and the port speaks plain text.
    NotTls,
    /// STARTTLS was configured and the server does not offer it.
    StarttlsMissing,
    /// The certificate is for another name than the host.
    CertificateName,
    /// The certificate has expired (or is not valid yet).
    CertificateExpired,
    /// The certificate is not signed by a trusted authority.
    CertificateUntrusted,
    /// The server refused the username and password.
    LoginRefused,
    /// The folder (inbox prefix) does not exist.
    FolderMissing,
    /// The server refused the message or a recipient.
    MessageRefused,
    /// An answer that is not IMAP or SMTP as expected.
    Protocol,
}

impl Problem {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Problem::HostUnknown => "mail_host_unknown",
            Problem::Unreachable => "mail_unreachable",
            Problem::Timeout => "mail_timeout",
            Problem::TlsExpected => "mail_tls_expected",
            Problem::NotTls => "mail_not_tls",
            Problem::StarttlsMissing => "mail_starttls_missing",
            Problem::CertificateName => "mail_certificate_name",
            Problem::CertificateExpired => "mail_certificate_expired",
            Problem::CertificateUntrusted => "mail_certificate_untrusted",
            Problem::LoginRefused => "mail_login_refused",
            Problem::FolderMissing => "mail_folder_missing",
            Problem::MessageRefused => "mail_message_refused",
            Problem::Protocol => "mail_protocol",
        }
    }

    /// Whether trying again later may help.
    pub fn is_transient(self) -> bool {
        matches!(self, Problem::Unreachable | Problem::Timeout)
    }
}

/// A failure with what the server or the TLS library said (never a password).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct MailServerError {
    pub problem: Problem,
    pub detail: String,
}

impl MailServerError {
    pub fn new(problem: Problem, detail: impl Into<String>) -> Self {
        Self {
            problem,
            detail: detail.into(),
        }
    }

    /// A failed connect, read or write: a TLS verdict when rustls gave one.
    pub fn io(error: &io::Error, host: &str, port: u16) -> Self {
        if let Some(tls) = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Self::tls(tls, host, port);
        }
        let problem = match error.kind() {
            io::ErrorKind::TimedOut => Problem::Timeout,
            _ => Problem::Unreachable,
        };
        Self::new(problem, format!("{host}:{port}: {error}"))
    }

    /// What rustls found wrong with the handshake.
    pub fn tls(error: &rustls::Error, host: &str, port: u16) -> Self {
        use rustls::Error as E;
        let (problem, detail) = match error {
            E::InvalidCertificate(certificate) => match certificate {
                CertificateError::NotValidForNameContext {
                    expected,
                    presented,
                } => (
                    Problem::CertificateName,
                    format!(
                        "the certificate is for {}, not for {}",
                        presented.join(", "),
                        expected.to_str()
                    ),
                ),
                CertificateError::NotValidForName => (
                    Problem::CertificateName,
                    format!("the certificate is not for {host}"),
                ),
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. } => (
                    Problem::CertificateExpired,
                    format!("the certificate of {host}: {certificate}"),
                ),
                other => (
                    Problem::CertificateUntrusted,
                    format!("the certificate of {host}: {other}"),
                ),
            },
            // Plain text where a TLS record was expected.
            E::InvalidMessage(_) => (Problem::NotTls, format!("port {port} answered without TLS")),
            other => (
                Problem::Protocol,
                format!("TLS with {host}:{port}: {other}"),
            ),
        };
        Self::new(problem, detail)
    }
}
