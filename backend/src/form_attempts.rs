//! Failed saves without JavaScript, kept briefly in memory so the page the browser is
//! redirected to can show the submitted values and their issues.
//!
//! Only non-secret values are kept (password and client secret are cleared), and the URL
//! carries nothing but a random token. Kept in this process: a server restart or a second
//! instance only loses the redisplay, never data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rules::mailbox_form::MailboxTarget;
use rules::validation::{Issue, MailboxForm};

/// How long a failed attempt can be shown (and reloaded).
const KEEP_FOR: Duration = Duration::from_secs(15 * 60);
/// At most this many attempts are kept; the oldest go first.
const CAPACITY: usize = 1_000;

/// A save that did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormAttempt {
    /// The page it was submitted from.
    pub target: MailboxTarget,
    /// The version the form carried.
    pub version: i32,
    /// The submitted values, secrets cleared.
    pub form: MailboxForm,
    /// Why it was not saved.
    pub issues: Vec<Issue>,
    /// It was not saved because of a conflicting change.
    pub conflict: bool,
    /// It was not saved because the server failed (database unavailable).
    pub failed: bool,
}

/// The store; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct FormAttempts {
    entries: Arc<Mutex<HashMap<String, (Instant, FormAttempt)>>>,
}

impl FormAttempts {
    /// Keeps `attempt` (secrets cleared) and returns its token.
    pub fn keep(&self, mut attempt: FormAttempt) -> String {
        attempt.form.password.clear();
        attempt.form.client_secret.clear();
        let token = uuid::Uuid::new_v4().simple().to_string();
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|_, (at, _)| now.duration_since(*at) < KEEP_FOR);
        if entries.len() >= CAPACITY {
            if let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(token, _)| token.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(token.clone(), (now, attempt));
        token
    }

    /// The attempt behind `token`, if it is still kept and belongs to `target`.
    pub fn find(&self, token: &str, target: MailboxTarget) -> Option<FormAttempt> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(token)
            .filter(|(at, attempt)| at.elapsed() < KEEP_FOR && attempt.target == target)
            .map(|(_, attempt)| attempt.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_attempts_without_secrets_for_their_own_page() {
        let attempts = FormAttempts::default();
        let form = MailboxForm {
            name: "Info".into(),
            password: "geheim".into(),
            client_secret: "abc8Q~x".into(),
            ..MailboxForm::default()
        };
        let token = attempts.keep(FormAttempt {
            target: MailboxTarget::Existing(3),
            version: 2,
            form,
            issues: Vec::new(),
            conflict: true,
            failed: false,
        });
        assert_eq!(token.len(), 32);
        assert_eq!(attempts.find(&token, MailboxTarget::New), None);
        let found = attempts.find(&token, MailboxTarget::Existing(3));
        let found = found.map(|attempt| (attempt.form, attempt.conflict));
        let (form, conflict) = found.unwrap_or_default();
        assert!(conflict);
        assert_eq!(form.name, "Info");
        assert!(form.password.is_empty() && form.client_secret.is_empty());
        assert_eq!(attempts.find("unknown", MailboxTarget::New), None);
    }
}
