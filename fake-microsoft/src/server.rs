//! Running the fake: [`FakeMicrosoft`] for tests (loopback, random port) and [`serve`] for
//! the binary.

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::control::FakeHandle;
use crate::directory::{Directory, FixtureError};
use crate::identity::jwt::{KeyError, SigningKey};
use crate::state::{Fake, FakeState};

/// Why the fake could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Binding the listener failed.
    #[error("cannot listen: {0}")]
    Bind(#[from] std::io::Error),
    /// The signing key did not load.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The fixture did not load.
    #[error(transparent)]
    Fixture(#[from] FixtureError),
}

/// A fake Microsoft running on `127.0.0.1:<random port>` until dropped. Derefs to
/// [`FakeHandle`] for changing and observing it.
#[derive(Debug)]
pub struct FakeMicrosoft {
    handle: FakeHandle,
    address: SocketAddr,
    task: JoinHandle<()>,
}

impl FakeMicrosoft {
    /// Starts a fake over `directory` on a loopback port.
    pub async fn start(directory: Directory) -> Result<Self, StartError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Self::start_on(listener, directory, None)
    }

    /// Starts a fake over the demo fixture (`fixtures/demo.json`).
    pub async fn start_demo() -> Result<Self, StartError> {
        Self::start(Directory::demo()?).await
    }

    /// Starts a fake on an existing listener; it advertises `public_url`, or
    /// `http://<listener address>`.
    pub fn start_on(
        listener: TcpListener,
        directory: Directory,
        public_url: Option<String>,
    ) -> Result<Self, StartError> {
        let address = listener.local_addr()?;
        let base_url = public_url.unwrap_or_else(|| format!("http://{address}"));
        let fake = Arc::new(Fake::new(
            FakeState::new(directory),
            SigningKey::load()?,
            base_url,
        ));
        let task = tokio::spawn(serve(listener, fake.clone()));
        Ok(Self {
            handle: FakeHandle::new(fake),
            address,
            task,
        })
    }

    /// The base URL: point both `MICROSOFT_LOGIN_URL` and `MICROSOFT_GRAPH_URL` here.
    pub fn base_url(&self) -> &str {
        self.handle.base_url()
    }

    /// The socket address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// A handle that outlives borrows of this value (e.g. to move into tasks).
    pub fn handle(&self) -> FakeHandle {
        self.handle.clone()
    }
}

impl Deref for FakeMicrosoft {
    type Target = FakeHandle;

    fn deref(&self) -> &FakeHandle {
        &self.handle
    }
}

impl Drop for FakeMicrosoft {
    fn drop(&mut self) {
        // Aborting rather than a graceful shutdown: an injected hang would never finish.
        self.task.abort();
    }
}

/// Serves the fake on `listener` until the task is aborted or the listener fails.
pub async fn serve(listener: TcpListener, fake: Arc<Fake>) {
    let app = crate::http::router(fake);
    if let Err(error) = axum::serve(listener, app).await {
        tracing::error!(%error, "fake-microsoft stopped serving");
    }
}
