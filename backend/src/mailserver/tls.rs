//! The certificates a mail server's may chain to: the public roots (webpki-roots), and the
//! authorities in `MAIL_EXTRA_CA_FILE` (a company CA, or the test servers' own). Verification
//! is never switched off.

use std::sync::Arc;

use rustls_pki_types::{pem::PemObject, CertificateDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::error::{MailServerError, Problem};
use super::STEP_TIMEOUT;

/// The extra authorities, read once at start-up.
#[derive(Clone, Debug, Default)]
pub struct TlsRoots {
    pub extra: Arc<Vec<CertificateDer<'static>>>,
}

impl TlsRoots {
    /// Reads the PEM certificates of `path`; an error names the file's problem.
    pub fn from_pem_file(path: &str) -> Result<TlsRoots, String> {
        let certificates = CertificateDer::pem_file_iter(path)
            .map_err(|error| format!("{path}: {error}"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| format!("{path}: {error}"))?;
        if certificates.is_empty() {
            return Err(format!("{path}: no PEM certificate in it"));
        }
        Ok(TlsRoots {
            extra: Arc::new(certificates),
        })
    }

    /// A client configuration that trusts the public roots and the extra ones.
    pub fn client_config(&self) -> Arc<ClientConfig> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let (_added, _ignored) = roots.add_parsable_certificates(self.extra.iter().cloned());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|builder| {
                builder
                    .with_root_certificates(roots.clone())
                    .with_no_client_auth()
            })
            // The ring provider supports the default versions; this is never taken.
            .unwrap_or_else(|_| {
                ClientConfig::builder()
                    .with_root_certificates(roots)
                    .with_no_client_auth()
            });
        Arc::new(config)
    }

    /// The TLS handshake over `stream` with `host`'s certificate checked.
    pub async fn handshake<S>(
        &self,
        stream: S,
        host: &str,
        port: u16,
    ) -> Result<tokio_rustls::client::TlsStream<S>, MailServerError>
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    {
        let name = ServerName::try_from(host.to_string()).map_err(|_| {
            MailServerError::new(Problem::HostUnknown, format!("{host} is not a host name"))
        })?;
        let connector = TlsConnector::from(self.client_config());
        match tokio::time::timeout(STEP_TIMEOUT, connector.connect(name, stream)).await {
            Ok(Ok(tls)) => Ok(tls),
            Ok(Err(error)) => Err(MailServerError::io(&error, host, port)),
            Err(_) => Err(MailServerError::new(
                Problem::Timeout,
                format!("no TLS handshake with {host}:{port} in time"),
            )),
        }
    }
}

/// A TCP connection to `host:port`: a name that does not resolve and a port that refuses are
/// told apart.
pub async fn connect_tcp(host: &str, port: u16) -> Result<TcpStream, MailServerError> {
    let lookup = tokio::time::timeout(STEP_TIMEOUT, tokio::net::lookup_host((host, port))).await;
    let addresses: Vec<_> = match lookup {
        Ok(Ok(addresses)) => addresses.collect(),
        Ok(Err(error)) => {
            return Err(MailServerError::new(
                Problem::HostUnknown,
                format!("{host}: {error}"),
            ))
        }
        Err(_) => {
            return Err(MailServerError::new(
                Problem::Timeout,
                format!("{host}: no DNS answer in time"),
            ))
        }
    };
    if addresses.is_empty() {
        return Err(MailServerError::new(
            Problem::HostUnknown,
            format!("{host}: no address"),
        ));
    }
    let mut last = None;
    for address in addresses {
        match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => return Ok(stream),
            Ok(Err(error)) => last = Some(MailServerError::io(&error, host, port)),
            Err(_) => {
                last = Some(MailServerError::new(
                    Problem::Timeout,
                    format!("{host}:{port}: no connection in time"),
                ))
            }
        }
    }
    Err(last.unwrap_or_else(|| MailServerError::new(Problem::Unreachable, host.to_string())))
}
