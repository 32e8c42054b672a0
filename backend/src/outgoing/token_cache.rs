//! The app's own Graph token (client credentials, docs/microsoft.md §3), cached per app
//! registration *and credential* until less than 5 minutes remain (as MSAL does), so a burst
//! of sends and syncs asks Microsoft once, and a replaced or revoked secret takes effect at
//! once: the new secret is another key, so no token fetched with the old one is used for it.
//! Fetching happens under a per-key lock: concurrent callers wait for one token request
//! instead of each making their own.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};

use crate::microsoft::identity::ClientCredential;

/// A token with less left than this is treated as expired.
pub const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// Which app registration and credential a token belongs to: tenant and client ID,
/// compared without case or surrounding spaces (the same registration however it was
/// typed), and a fingerprint of the secret (a SHA-256, never the secret; `Debug` does not
/// show it either).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AppRegistration {
    tenant_id: String,
    client_id: String,
    credential: [u8; 32],
}

impl fmt::Debug for AppRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppRegistration")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("credential", &"[fingerprint]")
            .finish()
    }
}

impl AppRegistration {
    pub fn new(tenant_id: &str, client_id: &str, credential: &ClientCredential) -> Self {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        // Domain-separated, so the fingerprint is of use for nothing but this cache.
        hash.update(b"mailboxen app token cache\0");
        match credential {
            ClientCredential::Secret(secret) => {
                hash.update(b"secret\0");
                hash.update(secret.expose_secret().as_bytes());
            }
            ClientCredential::Certificate(certificate) => {
                hash.update(b"certificate\0");
                hash.update(certificate.certificate_der());
            }
        }
        Self {
            tenant_id: tenant_id.trim().to_ascii_lowercase(),
            client_id: client_id.trim().to_ascii_lowercase(),
            credential: hash.finalize().into(),
        }
    }

    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

/// A fetched token and when it expires.
#[derive(Clone)]
pub struct AppToken {
    pub access_token: SecretString,
    pub expires_at: DateTime<Utc>,
}

impl fmt::Debug for AppToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppToken")
            .field("access_token", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// True while a token expiring at `expires_at` may still be used at `now`.
pub fn is_usable(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    expires_at - now >= REFRESH_MARGIN
}

type Slot = Arc<tokio::sync::Mutex<Option<AppToken>>>;

/// The cache (AppState field `app_tokens`). Cloning shares it. `Debug` shows how many
/// registrations it holds, never a token.
#[derive(Clone, Default)]
pub struct AppTokens {
    slots: Arc<Mutex<HashMap<AppRegistration, Slot>>>,
}

impl fmt::Debug for AppTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppTokens")
            .field("registrations", &self.len())
            .finish()
    }
}

impl AppTokens {
    fn slot(&self, registration: &AppRegistration) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.entry(registration.clone()).or_default().clone()
    }

    /// How many registrations have a slot.
    pub fn len(&self) -> usize {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when nothing was ever cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cached token of `registration` when still usable at `now`; otherwise `fetch`es
    /// one (holding the registration's lock, so concurrent callers wait for it) and keeps it.
    /// A failed fetch is not cached.
    pub async fn get_or_fetch<F, Fut, E>(
        &self,
        registration: &AppRegistration,
        now: DateTime<Utc>,
        fetch: F,
    ) -> Result<AppToken, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AppToken, E>>,
    {
        let slot = self.slot(registration);
        let mut cached = slot.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| is_usable(t.expires_at, now)) {
            return Ok(token.clone());
        }
        let token = fetch().await?;
        *cached = Some(token.clone());
        Ok(token)
    }

    /// Drops `rejected` (Graph answered 401 to it). A token another sender already replaced
    /// it with is kept.
    pub async fn forget(&self, registration: &AppRegistration, rejected: &AppToken) {
        let slot = self.slot(registration);
        let mut cached = slot.lock().await;
        let same = cached.as_ref().is_some_and(|t| {
            t.access_token.expose_secret() == rejected.access_token.expose_secret()
        });
        if same {
            *cached = None;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
    use super::*;

    fn token(value: &str, expires_at: DateTime<Utc>) -> AppToken {
        AppToken {
            access_token: SecretString::from(value),
            expires_at,
        }
    }

    #[test]
    fn a_token_is_due_five_minutes_before_it_expires() {
        let now = Utc::now();
        assert!(is_usable(now + Duration::minutes(60), now));
        assert!(is_usable(now + Duration::minutes(5), now));
        assert!(!is_usable(now + Duration::minutes(4), now));
        assert!(!is_usable(now - Duration::minutes(1), now));
    }

    fn secret(value: &str) -> ClientCredential {
        ClientCredential::Secret(SecretString::from(value))
    }

    fn app(tenant: &str, client: &str) -> AppRegistration {
        AppRegistration::new(tenant, client, &secret("s"))
    }

    #[test]
    fn registrations_compare_without_case_or_spaces() {
        assert_eq!(app(" ABC ", "Def"), app("abc", "def"));
        assert_ne!(app("abc", "def"), app("abc", "xyz"));
    }

    #[tokio::test]
    async fn a_replaced_secret_never_gets_the_old_secrets_token() {
        let cache = AppTokens::default();
        let old = AppRegistration::new("t", "c", &secret("oud-geheim"));
        let new = AppRegistration::new("t", "c", &secret("nieuw-geheim"));
        assert_ne!(old, new);
        let now = Utc::now();
        let later = now + Duration::minutes(60);
        cache
            .get_or_fetch(&old, now, || async { Ok::<_, ()>(token("a", later)) })
            .await
            .unwrap();
        let fresh = cache
            .get_or_fetch(&new, now, || async { Ok::<_, ()>(token("b", later)) })
            .await
            .unwrap();
        assert_eq!(fresh.access_token.expose_secret(), "b");
        assert!(!format!("{new:?}").contains("geheim"));
    }

    #[tokio::test]
    async fn cached_until_due_then_fetched_again() {
        let cache = AppTokens::default();
        let app = app("t", "c");
        let now = Utc::now();
        let fetched = std::sync::atomic::AtomicUsize::new(0);
        let fetch = |value: &'static str, expires_at| {
            fetched.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok::<_, ()>(token(value, expires_at)) }
        };
        let first = cache
            .get_or_fetch(&app, now, || fetch("a", now + Duration::minutes(60)))
            .await
            .unwrap();
        let second = cache
            .get_or_fetch(&app, now + Duration::minutes(50), || {
                fetch("b", now + Duration::minutes(120))
            })
            .await
            .unwrap();
        assert_eq!(second.access_token.expose_secret(), "a");
        let third = cache
            .get_or_fetch(&app, now + Duration::minutes(56), || {
                fetch("c", now + Duration::minutes(120))
            })
            .await
            .unwrap();
        assert_eq!(third.access_token.expose_secret(), "c");
        assert_eq!(fetched.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert_eq!(first.access_token.expose_secret(), "a");
    }

    #[tokio::test]
    async fn forgetting_drops_only_the_rejected_token() {
        let cache = AppTokens::default();
        let app = app("t", "c");
        let now = Utc::now();
        let later = now + Duration::minutes(60);
        let a = cache
            .get_or_fetch(&app, now, || async { Ok::<_, ()>(token("a", later)) })
            .await
            .unwrap();
        cache.forget(&app, &token("other", later)).await;
        let still = cache
            .get_or_fetch(&app, now, || async { Ok::<_, ()>(token("b", later)) })
            .await
            .unwrap();
        assert_eq!(still.access_token.expose_secret(), "a");
        cache.forget(&app, &a).await;
        let fresh = cache
            .get_or_fetch(&app, now, || async { Ok::<_, ()>(token("b", later)) })
            .await
            .unwrap();
        assert_eq!(fresh.access_token.expose_secret(), "b");
        assert!(!format!("{cache:?} {fresh:?}").contains("\"b\""));
    }

    #[test]
    fn debug_output_shows_no_token() {
        let shown = format!("{:?}", token("geheim-token", Utc::now()));
        assert!(!shown.contains("geheim"), "{shown}");
    }

    #[tokio::test]
    async fn a_failed_fetch_is_not_cached() {
        let cache = AppTokens::default();
        let app = app("t", "c");
        let now = Utc::now();
        let failed = cache
            .get_or_fetch(&app, now, || async { Err::<AppToken, _>("nee") })
            .await;
        assert!(failed.is_err());
        let later = now + Duration::minutes(60);
        let ok = cache
            .get_or_fetch(&app, now, || async { Ok::<_, ()>(token("a", later)) })
            .await;
        assert!(ok.is_ok());
    }
}
