//! [`FakeHandle`]: what tests (through the library) and the admin API (over HTTP) use to
//! change the fake's directory, clock and faults, and to read what it observed.

mod application_ops;
mod directory_ops;
mod observe;
mod patches;

pub use patches::{ApplicationPatch, NewClientCertificate, NewClientSecret, UserPatch};

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::faults::{Endpoint, Fault, FaultSpec, UnknownEndpoint};
use crate::state::Fake;

/// Why a change could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// No tenant with that GUID or domain.
    #[error("unknown tenant '{0}'")]
    UnknownTenant(String),
    /// No user with that object ID or UPN.
    #[error("unknown user '{0}'")]
    UnknownUser(String),
    /// No app registration with that client ID.
    #[error("unknown application '{0}'")]
    UnknownApplication(String),
    /// No message with that ID in the mailbox.
    #[error("unknown message '{0}'")]
    UnknownMessage(String),
    /// No secret with that secret ID.
    #[error("unknown secret '{0}'")]
    UnknownSecret(String),
    /// No certificate with that key ID.
    #[error("unknown certificate '{0}'")]
    UnknownCertificate(String),
    /// The uploaded file is no X.509 certificate (PEM).
    #[error("not a PEM X.509 certificate")]
    InvalidCertificate,
    /// The change would break the directory (e.g. a duplicate UPN).
    #[error(transparent)]
    Invalid(#[from] crate::directory::FixtureError),
    /// A fault names no endpoint.
    #[error(transparent)]
    UnknownEndpoint(#[from] UnknownEndpoint),
}

/// A cheap, cloneable handle on a running fake.
#[derive(Debug, Clone)]
pub struct FakeHandle {
    fake: Arc<Fake>,
}

impl FakeHandle {
    /// A handle on `fake`.
    pub fn new(fake: Arc<Fake>) -> Self {
        Self { fake }
    }

    /// The base URL the fake advertises.
    pub fn base_url(&self) -> &str {
        self.fake.base_url()
    }

    /// The fake's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.fake.lock().now()
    }

    /// Moves the fake's clock forward (codes expire after 10 minutes, access tokens after
    /// an hour, refresh tokens after 90 idle days, delta tokens after 7 days).
    pub fn advance_clock(&self, by: Duration) {
        self.fake.lock().clock.advance(by);
    }

    /// Sets the fake's clock.
    pub fn set_clock(&self, at: DateTime<Utc>) {
        self.fake.lock().clock.set(at);
    }

    /// Back to real time.
    pub fn reset_clock(&self) {
        self.fake.lock().clock.reset();
    }

    /// Injects a fault.
    pub fn inject_fault(&self, spec: FaultSpec) -> Result<(), ControlError> {
        Ok(self.fake.lock().faults.add(spec)?)
    }

    /// Injects `fault` on `endpoint` for `count` requests (`None`: until cleared).
    pub fn fail(&self, endpoint: Endpoint, fault: Fault, count: Option<u32>) {
        let spec = FaultSpec {
            endpoint: endpoint.name(),
            fault,
            count,
        };
        // A known endpoint's own name always matches.
        let _ = self.fake.lock().faults.add(spec);
    }

    /// Throttles a Graph endpoint: 429 with `Retry-After` for `count` requests.
    pub fn throttle(&self, endpoint: Endpoint, retry_after_seconds: u64, count: Option<u32>) {
        self.fail(
            endpoint,
            Fault::Throttle {
                retry_after_seconds,
            },
            count,
        );
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.fake.lock().faults.clear();
    }

    /// Removes the faults added for exactly this endpoint pattern (`token`, `graph`, `*`).
    pub fn clear_faults_for(&self, pattern: &str) {
        self.fake.lock().faults.clear_endpoint(pattern);
    }

    /// The faults still active.
    pub fn active_faults(&self) -> Vec<FaultSpec> {
        self.fake.lock().faults.active().to_vec()
    }

    /// Signs every browser out of the fake (forgets all sign-in sessions).
    pub fn sign_out_all_browsers(&self) {
        self.fake.lock().sign_in.sessions.clear();
    }
}
