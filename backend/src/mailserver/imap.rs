//! An IMAP session with a mailbox's server: connected as configured (TLS from the first
//! byte, STARTTLS, or none), logged in, the folder selected. Each step's failure is a
//! [`MailServerError`] that names what to change.

use std::fmt::Debug;

use async_imap::{Client, Session};
use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncRead, AsyncWrite};

use super::error::{MailServerError, Problem};
use super::tls::{connect_tcp, TlsRoots};
use super::{Endpoint, GREETING_TIMEOUT, STEP_TIMEOUT};
use rules::validation::Encryption;

/// Any stream an IMAP session runs over (TCP, or TLS over it).
pub trait MailStream: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> MailStream for T {}

pub type ImapSession = Session<Box<dyn MailStream>>;

/// The folder a mailbox reads: its inbox prefix (Econobis opens `{host:port}` + prefix), or
/// `INBOX`.
pub fn folder_of(inbox_prefix: Option<&str>) -> String {
    match inbox_prefix.map(str::trim) {
        Some(prefix) if !prefix.is_empty() => prefix.to_string(),
        _ => "INBOX".to_string(),
    }
}

/// Connected and greeted, not yet logged in.
pub async fn connect(
    endpoint: &Endpoint,
    roots: &TlsRoots,
) -> Result<Client<Box<dyn MailStream>>, MailServerError> {
    let Endpoint { host, port, .. } = endpoint;
    let (host, port) = (host.as_str(), *port);
    let tcp = connect_tcp(host, port).await?;
    match endpoint.encryption {
        Some(Encryption::Ssl) => {
            let tls = roots.handshake(tcp, host, port).await?;
            let mut client = Client::new(Box::new(tls) as Box<dyn MailStream>);
            greeting(&mut client, host, port, STEP_TIMEOUT).await?;
            Ok(client)
        }
        Some(Encryption::Tls) => {
            let mut client = Client::new(Box::new(tcp) as Box<dyn MailStream>);
            greeting(&mut client, host, port, GREETING_TIMEOUT).await?;
            step(
                host,
                port,
                client.run_command_and_check_ok("STARTTLS", None),
            )
            .await
            .map_err(|error| match error {
                Refusal::No(text) | Refusal::Bad(text) => MailServerError::new(
                    Problem::StarttlsMissing,
                    format!("{host}:{port} does not offer STARTTLS: {text}"),
                ),
                Refusal::Failed(error) => error,
            })?;
            let plain = client.into_inner();
            let tls = roots.handshake(plain, host, port).await?;
            Ok(Client::new(Box::new(tls) as Box<dyn MailStream>))
        }
        None => {
            let mut client = Client::new(Box::new(tcp) as Box<dyn MailStream>);
            greeting(&mut client, host, port, GREETING_TIMEOUT).await?;
            Ok(client)
        }
    }
}

/// The server's first line. Silence on a connection without TLS: the port expects TLS from
/// the first byte.
async fn greeting(
    client: &mut Client<Box<dyn MailStream>>,
    host: &str,
    port: u16,
    limit: std::time::Duration,
) -> Result<(), MailServerError> {
    let tls_expected = || {
        MailServerError::new(
            Problem::TlsExpected,
            format!("port {port} expects TLS from the first byte (SSL), not STARTTLS or none"),
        )
    };
    match tokio::time::timeout(limit, client.read_response()).await {
        Ok(Ok(Some(_))) => Ok(()),
        Ok(Ok(None)) => Err(MailServerError::new(
            Problem::Protocol,
            format!("{host}:{port} closed the connection without a greeting"),
        )),
        Ok(Err(error)) => {
            let error = MailServerError::io(&error, host, port);
            // Bytes that are no IMAP greeting on a plain connection: most likely TLS.
            Err(
                if error.problem == Problem::Unreachable && limit == GREETING_TIMEOUT {
                    tls_expected()
                } else {
                    error
                },
            )
        }
        Err(_) if limit == GREETING_TIMEOUT => Err(tls_expected()),
        Err(_) => Err(MailServerError::new(
            Problem::Timeout,
            format!("{host}:{port} sent no greeting in time"),
        )),
    }
}

/// A command's failure: the server said NO or BAD, or the connection failed.
pub enum Refusal {
    No(String),
    Bad(String),
    Failed(MailServerError),
}

/// Runs one command under [`STEP_TIMEOUT`].
pub async fn step<T>(
    host: &str,
    port: u16,
    command: impl std::future::Future<Output = async_imap::error::Result<T>>,
) -> Result<T, Refusal> {
    match tokio::time::timeout(STEP_TIMEOUT, command).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(refusal(error, host, port)),
        Err(_) => Err(Refusal::Failed(MailServerError::new(
            Problem::Timeout,
            format!("{host}:{port} did not answer in time"),
        ))),
    }
}

fn refusal(error: async_imap::error::Error, host: &str, port: u16) -> Refusal {
    use async_imap::error::Error as E;
    match error {
        E::No(text) => Refusal::No(text),
        E::Bad(text) => Refusal::Bad(text),
        E::Io(error) => Refusal::Failed(MailServerError::io(&error, host, port)),
        E::ConnectionLost => Refusal::Failed(MailServerError::new(
            Problem::Unreachable,
            format!("{host}:{port} closed the connection"),
        )),
        other => Refusal::Failed(MailServerError::new(
            Problem::Protocol,
            format!("{host}:{port}: {other}"),
        )),
    }
}

impl Refusal {
    /// As a failure of `problem` when the server refused.
    pub fn or(self, problem: Problem, what: &str) -> MailServerError {
        match self {
            Refusal::No(text) | Refusal::Bad(text) => {
                MailServerError::new(problem, format!("{what}: {text}"))
            }
            Refusal::Failed(error) => error,
        }
    }
}

/// Logged in with the mailbox's username and password.
pub async fn login(
    client: Client<Box<dyn MailStream>>,
    endpoint: &Endpoint,
    username: &str,
    password: &SecretString,
) -> Result<ImapSession, MailServerError> {
    let (host, port) = (endpoint.host.as_str(), endpoint.port);
    let login = async {
        client
            .login(username, password.expose_secret())
            .await
            .map_err(|(error, _client)| error)
    };
    step(host, port, login)
        .await
        .map_err(|refused| refused.or(Problem::LoginRefused, "login refused"))
}

/// Connected, logged in and with `folder` selected: the session and the folder's state.
pub async fn open(
    endpoint: &Endpoint,
    roots: &TlsRoots,
    username: &str,
    password: &SecretString,
    folder: &str,
) -> Result<(ImapSession, async_imap::types::Mailbox), MailServerError> {
    let client = connect(endpoint, roots).await?;
    let mut session = login(client, endpoint, username, password).await?;
    let (host, port) = (endpoint.host.as_str(), endpoint.port);
    let selected = step(host, port, session.select(folder))
        .await
        .map_err(|refused| refused.or(Problem::FolderMissing, &format!("folder {folder}")))?;
    Ok((session, selected))
}
