//! A faithful fake of Microsoft's identity platform (Entra ID, OAuth 2.0 / OpenID Connect)
//! and Graph mail, for tests and demos. See `README.md` for the fixture format and the admin
//! API; `docs/microsoft.md` is the specification it follows.
//!
//! The core (`directory`, `identity`, `graph`, `faults`) makes every decision without I/O;
//! `http` puts it on axum; [`FakeMicrosoft`] runs it on a loopback port for tests.

pub mod browser;
pub mod clock;
pub mod control;
pub mod directory;
pub mod faults;
pub mod graph;
mod http;
pub mod identity;
pub mod ids;
pub mod records;
pub mod server;
pub mod state;

pub use browser::{BrowserError, ConsentChoice, SignInBrowser, SignInPage, SignInStep};
pub use control::{
    ApplicationPatch, ControlError, FakeHandle, NewClientCertificate, NewClientSecret, UserPatch,
};
pub use directory::Directory;
pub use faults::{Endpoint, Fault, FaultSpec};
pub use http::SESSION_COOKIE;
pub use server::{serve, FakeMicrosoft, StartError};
