//! The fake's whole mutable state behind one lock, and the server context around it.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::directory::Directory;
use crate::faults::FaultPlan;
use crate::graph::delta::DeltaCursor;
use crate::identity::grants::Grants;
use crate::identity::issue::Issuer;
use crate::identity::jwt::SigningKey;
use crate::identity::signin::SignInState;
use crate::records::Records;

/// Everything that changes while the fake runs.
#[derive(Debug, Default)]
pub struct FakeState {
    /// Tenants, apps, users and mailboxes.
    pub directory: Directory,
    /// The injectable clock.
    pub clock: Clock,
    /// Issued codes and tokens.
    pub grants: Grants,
    /// Browser sessions and sign-in flows.
    pub sign_in: SignInState,
    /// Injected faults.
    pub faults: FaultPlan,
    /// Delta and skip tokens handed out by Graph delta queries.
    pub delta_cursors: HashMap<String, DeltaCursor>,
    /// Observations for tests.
    pub records: Records,
}

impl FakeState {
    /// A fresh state over `directory`.
    pub fn new(directory: Directory) -> Self {
        Self {
            directory,
            ..Self::default()
        }
    }

    /// The fake's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// One running fake: its state, signing key and public base URL.
#[derive(Debug)]
pub struct Fake {
    state: Mutex<FakeState>,
    keys: SigningKey,
    base_url: String,
}

impl Fake {
    /// A fake answering as `base_url` (no trailing slash).
    pub fn new(state: FakeState, keys: SigningKey, base_url: String) -> Self {
        Self {
            state: Mutex::new(state),
            keys,
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Locks the state. Never held across an `.await`. A panic while locked (a bug) leaves
    /// the state as it was, so later requests may go on.
    pub fn lock(&self) -> MutexGuard<'_, FakeState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The base URL, e.g. `http://127.0.0.1:9000`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token issuer.
    pub fn issuer(&self) -> Issuer<'_> {
        Issuer {
            keys: &self.keys,
            base_url: &self.base_url,
        }
    }

    /// The signing key.
    pub fn keys(&self) -> &SigningKey {
        &self.keys
    }
}
