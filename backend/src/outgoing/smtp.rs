//! Sending over SMTP with the mailbox's username and password (issue 23): TLS from the first
//! byte (SSL, port 465) or STARTTLS (TLS, port 587) — or none, when the mailbox says so —
//! through lettre on tokio with rustls, the certificate checked against the public roots and
//! `MAIL_EXTRA_CA_FILE`. A send is never repeated: an SMTP server that took the message may
//! have delivered it.

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;

use super::message::{OutgoingBody, OutgoingMail};
use super::SendError;
use crate::cipher::SecretColumn;
use crate::entities::mailbox;
use crate::mailserver::tls::connect_tcp;
use crate::mailserver::{Endpoint, MailServerError, Problem, TlsRoots, GREETING_TIMEOUT};
use crate::AppState;
use rules::validation::Encryption;

/// Econobis' code for the outgoing type SMTP.
pub const SMTP: &str = "smtp";

/// How long one SMTP step may take: the admin waits for "Stuur testmail".
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// The SMTP side of a mailbox. `Debug` never shows the password.
#[derive(Clone, Debug)]
pub struct SmtpAccount {
    pub endpoint: Endpoint,
    pub username: String,
    pub password: SecretString,
    pub from: String,
    pub from_name: String,
}

impl SmtpAccount {
    /// From the stored mailbox; [`SendError::NotConfigured`] without host, port, username or
    /// password.
    pub fn of(state: &AppState, mailbox: &mailbox::Model) -> Result<SmtpAccount, SendError> {
        let endpoint = Endpoint::from_columns(
            mailbox.smtp_host.as_deref(),
            mailbox.smtp_port,
            mailbox.smtp_encryption.as_deref(),
        )
        .ok_or(SendError::NotConfigured)?;
        let username = mailbox
            .username
            .clone()
            .filter(|u| !u.trim().is_empty())
            .ok_or(SendError::NotConfigured)?;
        let stored = mailbox
            .password_encrypted
            .as_deref()
            .ok_or(SendError::NotConfigured)?;
        let password = state
            .cipher
            .decrypt(stored, SecretColumn::MailboxPassword)
            .map_err(|error| {
                tracing::error!(mailbox_id = mailbox.id, %error, "the stored mail password cannot be decrypted");
                SendError::Secret
            })?
            .secret;
        Ok(SmtpAccount {
            endpoint,
            username,
            password,
            from: mailbox.email.trim().to_string(),
            from_name: mailbox.name.trim().to_string(),
        })
    }
}

/// The transport for `account`, logging in with its username and password.
fn transport(
    account: &SmtpAccount,
    roots: &TlsRoots,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailServerError> {
    let Endpoint {
        host,
        port,
        encryption,
    } = &account.endpoint;
    let parameters = || {
        let mut builder = TlsParameters::builder(host.clone());
        for der in roots.extra.iter() {
            if let Ok(certificate) = Certificate::from_der(der.to_vec()) {
                builder = builder.add_root_certificate(certificate);
            }
        }
        builder
            .build_rustls()
            .map_err(|error| MailServerError::new(Problem::Protocol, error.to_string()))
    };
    let tls = match encryption {
        Some(Encryption::Ssl) => Tls::Wrapper(parameters()?),
        Some(Encryption::Tls) => Tls::Required(parameters()?),
        None => Tls::None,
    };
    Ok(
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str())
            .port(*port)
            .tls(tls)
            .credentials(Credentials::new(
                account.username.clone(),
                account.password.expose_secret().to_string(),
            ))
            .timeout(Some(SMTP_TIMEOUT))
            .build(),
    )
}

/// Without TLS from the first byte, the server must greet first. A port that expects TLS
/// from the first byte (465) says nothing and waits for our handshake, which lettre would
/// notice only when its timeout for the whole session ends; a short connection of our own
/// reads the first bytes and names the mistake within [`GREETING_TIMEOUT`].
async fn expect_greeting(endpoint: &Endpoint) -> Result<(), MailServerError> {
    if endpoint.encryption == Some(Encryption::Ssl) {
        return Ok(());
    }
    let (host, port) = (endpoint.host.as_str(), endpoint.port);
    let mut tcp = connect_tcp(host, port).await?;
    let mut first = [0u8; 64];
    match tokio::time::timeout(GREETING_TIMEOUT, tcp.read(&mut first)).await {
        Ok(Ok(read)) if read > 0 => {
            // Said goodbye, so the server logs a quit and not a lost connection.
            let _ = tokio::time::timeout(GREETING_TIMEOUT, tcp.write_all(b"QUIT\r\n")).await;
            Ok(())
        }
        Ok(Ok(_)) => Err(MailServerError::new(
            Problem::Protocol,
            format!("{host}:{port} closed the connection without a greeting"),
        )),
        Ok(Err(error)) => Err(MailServerError::io(&error, host, port)),
        Err(_) => Err(tls_expected(port)),
    }
}

fn tls_expected(port: u16) -> MailServerError {
    MailServerError::new(
        Problem::TlsExpected,
        format!("port {port} expects TLS from the first byte (SSL), not STARTTLS or none"),
    )
}

/// Sends `mail` from the account's address.
pub async fn send(
    account: &SmtpAccount,
    roots: &TlsRoots,
    mail: &OutgoingMail,
) -> Result<(), SendError> {
    let message = build(account, mail)?;
    expect_greeting(&account.endpoint)
        .await
        .map_err(SendError::MailServer)?;
    let transport = transport(account, roots).map_err(SendError::MailServer)?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|error| SendError::MailServer(classify(&error, &account.endpoint)))
}

/// Connects and logs in without sending: "Test verbinding".
pub async fn check(account: &SmtpAccount, roots: &TlsRoots) -> Result<(), MailServerError> {
    expect_greeting(&account.endpoint).await?;
    let transport = transport(account, roots)?;
    match transport.test_connection().await {
        Ok(true) => Ok(()),
        Ok(false) => Err(MailServerError::new(
            Problem::Protocol,
            "the server did not answer NOOP",
        )),
        Err(error) => Err(classify(&error, &account.endpoint)),
    }
}

fn build(account: &SmtpAccount, mail: &OutgoingMail) -> Result<Message, SendError> {
    let invalid = |what: &str| {
        SendError::MailServer(MailServerError::new(
            Problem::MessageRefused,
            format!("invalid address: {what}"),
        ))
    };
    let from: Mailbox = format!("{} <{}>", account.from_name, account.from)
        .parse()
        .or_else(|_| account.from.parse())
        .map_err(|_| invalid(&account.from))?;
    let mut builder = Message::builder().from(from).subject(mail.subject.clone());
    for to in &mail.to {
        builder = builder.to(to.parse().map_err(|_| invalid(to))?);
    }
    let body = match &mail.body {
        OutgoingBody::Text(text) => SinglePart::plain(text.clone()),
        OutgoingBody::Html(html) => SinglePart::html(html.clone()),
    };
    let message = if mail.attachments.is_empty() {
        builder.singlepart(body)
    } else {
        let mut parts = MultiPart::mixed().singlepart(body);
        for file in &mail.attachments {
            let kind = ContentType::parse(&file.content_type).unwrap_or(
                ContentType::parse("application/octet-stream")
                    .map_err(|_| invalid("content type"))?,
            );
            parts = parts
                .singlepart(Attachment::new(file.name.clone()).body(file.content.clone(), kind));
        }
        builder.multipart(parts)
    };
    message.map_err(|error| {
        SendError::MailServer(MailServerError::new(
            Problem::MessageRefused,
            error.to_string(),
        ))
    })
}

/// What a lettre error means: a TLS verdict when rustls gave one, a refused login (535), a
/// refused message, or an unreachable server.
fn classify(error: &lettre::transport::smtp::Error, endpoint: &Endpoint) -> MailServerError {
    let (host, port) = (endpoint.host.as_str(), endpoint.port);
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(inner) = source {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return MailServerError::tls(tls, host, port);
        }
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            if let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
                return MailServerError::tls(tls, host, port);
            }
        }
        source = inner.source();
    }
    if error.is_timeout() {
        return match endpoint.encryption {
            // Silence where a greeting belongs: the port waits for a TLS handshake.
            Some(Encryption::Tls) | None => tls_expected(port),
            Some(Encryption::Ssl) => {
                MailServerError::new(Problem::Timeout, format!("{host}:{port}: {error}"))
            }
        };
    }
    if let Some(code) = error.status() {
        let code = code.to_string();
        let problem = match code.as_str() {
            "535" | "534" | "530" => Problem::LoginRefused,
            _ if error.is_transient() => Problem::Unreachable,
            _ => Problem::MessageRefused,
        };
        return MailServerError::new(problem, format!("{host}:{port} answered {error}"));
    }
    let text = error.to_string();
    if text.contains("STARTTLS") || text.to_ascii_lowercase().contains("starttls") {
        return MailServerError::new(Problem::StarttlsMissing, format!("{host}:{port}: {text}"));
    }
    MailServerError::new(Problem::Unreachable, format!("{host}:{port}: {text}"))
}
