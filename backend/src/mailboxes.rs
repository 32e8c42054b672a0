//! Data access for mailboxes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, Set};

use super::connect::status::problem_of;
use super::entities::{connection_attempt as attempt, mailbox};
use super::mail::summary::{last_error_text, MailSummary};
use super::mail::SyncStatus;
use read::{ListedMailbox, StatusAttempt};
use rules::connection::AttemptProblem;
use rules::mail::MailSummaryRow;
use rules::mailbox_list::{MailboxRow, MailboxStatus, ServerType};
use rules::passwordless::ConnectionMethod;

mod read;

/// What is needed to create a mailbox; the full form comes with the mailbox screen.
#[derive(Clone, Debug)]
pub struct NewMailbox {
    pub name: String,
    pub email: String,
    pub incoming_server_type: String,
    pub outgoing_server_type: String,
    pub is_active: bool,
    pub is_primary: bool,
}

/// Inserts a mailbox and returns its id.
pub async fn insert(db: &DatabaseConnection, new: NewMailbox) -> Result<i32, DbErr> {
    let now = Utc::now();
    let model = mailbox::ActiveModel {
        name: Set(new.name),
        email: Set(new.email),
        only_outgoing: Set(new.incoming_server_type == "none"),
        incoming_server_type: Set(new.incoming_server_type),
        outgoing_server_type: Set(new.outgoing_server_type),
        is_active: Set(new.is_active),
        is_primary: Set(new.is_primary),
        email_mark_as_seen: Set(false),
        valid: Set(false),
        login_tries: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Everything the Mailboxen page shows, read in one go: the list rows and the mail columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListData {
    /// Ordered by name (case-insensitively, the same on every database) and then id.
    pub rows: Vec<MailboxRow>,
    /// The mail columns of the mailboxes whose incoming mail comes over Graph, in the same
    /// order; other mailboxes have none ("–": "Nog nooit" would be wrong for them).
    pub mail: Vec<MailSummaryRow>,
}

/// All mailboxes as list rows, ordered by name (case-insensitively, the same on every
/// database) and then id.
pub async fn list_rows(db: &DatabaseConnection) -> Result<Vec<MailboxRow>, DbErr> {
    Ok(list(db).await?.rows)
}

/// The list rows and their mail columns: the mailboxes joined with their Microsoft
/// settings, their mail sync state and their message count, and each mailbox's latest
/// connection attempt (`read`: two queries, or one on SQLite).
pub async fn list(db: &DatabaseConnection) -> Result<ListData, DbErr> {
    let now = Utc::now();
    let (mut listed, attempts) = read::read(db).await?;
    let mut problems: HashMap<i32, AttemptProblem> = attempts
        .into_iter()
        .map(StatusAttempt::into_model)
        .filter_map(|row| Some((row.mailbox_id, problem_of(row, now)?)))
        .collect();
    // Sorted here, not in SQL: collations differ between SQLite, PostgreSQL and MariaDB.
    listed.sort_by_cached_key(|listed| (listed.name.to_lowercase(), listed.id));
    let mut data = ListData {
        rows: Vec::with_capacity(listed.len()),
        mail: Vec::new(),
    };
    for listed in listed {
        let problem = problems.remove(&listed.id);
        let (row, mail) = listed.into_row(problem, now);
        data.rows.push(row);
        data.mail.extend(mail);
    }
    Ok(data)
}

impl ListedMailbox {
    fn into_row(
        self,
        problem: Option<AttemptProblem>,
        now: DateTime<Utc>,
    ) -> (MailboxRow, Option<MailSummaryRow>) {
        let incoming = ServerType::from_code(&self.incoming_server_type);
        let outgoing = ServerType::from_code(&self.outgoing_server_type);
        let failing = self.sync_status.as_deref() == Some(SyncStatus::Failing.as_str());
        let mail = (incoming == ServerType::MicrosoftApi).then(|| {
            MailSummary {
                last_fetched_at: self.last_success_at,
                message_count: u64::try_from(self.message_count).unwrap_or(0),
                last_error: (self.consecutive_failures.unwrap_or(0) > 0).then(|| {
                    last_error_text(
                        self.last_error_code.clone(),
                        self.last_error_message.clone(),
                    )
                }),
                failing,
            }
            .row(self.id)
        });
        let uses_microsoft =
            incoming == ServerType::MicrosoftApi || outgoing == ServerType::MicrosoftApi;
        let mail_error = failing.then_some(self.last_error_code);
        let app_only = self
            .connection_method
            .as_deref()
            .is_some_and(|m| ConnectionMethod::parse(m) == ConnectionMethod::AppOnly);
        let status = if app_only {
            app_only_status(
                self.last_success_at.is_some(),
                problem.as_ref(),
                mail_error.as_ref(),
            )
        } else {
            status_of(
                uses_microsoft,
                self.reconnect_needed.unwrap_or(false),
                self.valid,
                problem.as_ref(),
                mail_error.as_ref(),
            )
        };
        let basic_auth_ending = basic_auth_ending(
            incoming,
            outgoing,
            self.imap_host.as_deref(),
            self.smtp_host.as_deref(),
        );
        let credential_expiry = Some(rules::app_registrations::Expiry::at(
            self.credential_expires_at,
            now,
        ))
        .filter(|expiry| expiry.needs_attention());
        let row = MailboxRow {
            status,
            basic_auth_ending,
            credential_expiry,
            id: self.id,
            name: self.name,
            email: self.email,
            incoming,
            outgoing,
            is_primary: self.is_primary,
            is_active: self.is_active,
        };
        (row, mail)
    }
}

/// Whether a mailbox with these types and hosts fetches or sends with a password at Microsoft
/// 365 (issue 23): a host counts only for the type that uses it.
pub fn basic_auth_ending(
    incoming: ServerType,
    outgoing: ServerType,
    imap_host: Option<&str>,
    smtp_host: Option<&str>,
) -> bool {
    rules::basic_auth::basic_auth_ending(
        imap_host.filter(|_| incoming == ServerType::Imap),
        smtp_host.filter(|_| outgoing == ServerType::Smtp),
    )
}

impl ListData {
    /// How many active mailboxes need an admin's attention (the menu marks Mailboxen).
    pub fn needing_attention(&self) -> u32 {
        let count = self
            .rows
            .iter()
            .filter(|row| row.is_active && row.status.needs_attention())
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

impl StatusAttempt {
    /// The attempt for [`problem_of`], the columns not read left empty: they only word the
    /// advice and the details, which the list does not show.
    fn into_model(self) -> attempt::Model {
        attempt::Model {
            id: self.id,
            mailbox_id: self.mailbox_id,
            kind: self.kind,
            state_hash: None,
            pkce_verifier_encrypted: None,
            prompt: None,
            started_by_user_id: None,
            created_at: self.created_at,
            expires_at: self.expires_at,
            completed_at: None,
            outcome: self.outcome,
            error: self.error,
            error_description: None,
            error_codes: self.error_codes,
            error_subcode: None,
            suberror: None,
            trace_id: None,
            correlation_id: None,
            error_timestamp: None,
            error_uri: None,
            error_body: None,
            signed_in_upn: None,
            signed_in_oid: None,
            details: None,
        }
    }
}

/// The Status column: Verbonden / Opnieuw verbinden nodig / Fout (code) / Niet verbonden.
/// A failed sign-in on a connected mailbox leaves its earlier tokens working, so only a
/// failed refresh or preflight turns a connected mailbox into "Fout" — or a mail sync that
/// failed `MAIL_MAX_CONSECUTIVE_FAILURES` times in a row (`mail_error`: its last code).
fn status_of(
    uses_microsoft: bool,
    reconnect_needed: bool,
    connected: bool,
    problem: Option<&AttemptProblem>,
    mail_error: Option<&Option<String>>,
) -> MailboxStatus {
    let breaks_connection = |problem: &&AttemptProblem| {
        !connected || matches!(problem.kind.as_str(), "refresh" | "preflight")
    };
    match (
        uses_microsoft,
        reconnect_needed,
        problem.filter(breaks_connection),
        mail_error,
    ) {
        (false, ..) => MailboxStatus::Unchecked,
        (true, true, ..) => MailboxStatus::ReconnectNeeded,
        (true, false, Some(problem), _) => MailboxStatus::Error(problem.code()),
        (true, false, None, Some(code)) => MailboxStatus::Error(code.clone()),
        (true, false, None, None) if connected => MailboxStatus::Connected,
        (true, false, None, None) => MailboxStatus::NotConnected,
    }
}

/// The Status column of a mailbox connected without its password: connected once a sync
/// succeeded. Before that, its latest failed attempt (a sync, a test) is the error with
/// Microsoft's code, never a silent "Niet verbonden"; after it, as for signed-in mailboxes,
/// a failed test or `MAIL_MAX_CONSECUTIVE_FAILURES` failed syncs in a row.
fn app_only_status(
    fetched: bool,
    problem: Option<&AttemptProblem>,
    mail_error: Option<&Option<String>>,
) -> MailboxStatus {
    match (fetched, problem, mail_error) {
        (_, _, Some(code)) => MailboxStatus::Error(code.clone()),
        (false, Some(problem), None) => MailboxStatus::Error(problem.code()),
        (true, Some(problem), None) if problem.kind == "preflight" => {
            MailboxStatus::Error(problem.code())
        }
        (true, _, None) => MailboxStatus::ConnectedAppOnly,
        (false, None, None) => MailboxStatus::NotConnected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(kind: &str, aadsts: Option<u32>, error: Option<&str>) -> AttemptProblem {
        AttemptProblem {
            kind: kind.into(),
            aadsts,
            error: error.map(Into::into),
            ..AttemptProblem::default()
        }
    }

    #[test]
    fn the_status_column() {
        use MailboxStatus::*;
        let secret = problem("preflight", Some(7000215), Some("invalid_client"));
        let declined = problem("connect", Some(65004), Some("access_denied"));
        let graph = problem("preflight", None, Some("ErrorInvalidUser"));
        assert_eq!(
            status_of(false, false, false, Some(&secret), None),
            Unchecked
        );
        assert_eq!(
            status_of(true, true, true, Some(&secret), None),
            ReconnectNeeded
        );
        assert_eq!(status_of(true, false, false, None, None), NotConnected);
        assert_eq!(status_of(true, false, true, None, None), Connected);
        assert_eq!(
            status_of(true, false, false, Some(&secret), None),
            Error(Some("AADSTS7000215".into()))
        );
        assert_eq!(
            status_of(true, false, false, Some(&graph), None),
            Error(Some("ErrorInvalidUser".into()))
        );
        // Mail sync failing repeatedly ("fout") shows as an error with its last code.
        let failing = Some("ErrorAccessDenied".to_string());
        assert_eq!(
            status_of(true, false, true, None, Some(&failing)),
            Error(Some("ErrorAccessDenied".into()))
        );
        // A declined re-sign-in leaves the earlier connection working.
        assert_eq!(
            status_of(true, false, true, Some(&declined), None),
            Connected
        );
        assert_eq!(
            status_of(true, false, true, Some(&secret), None),
            Error(Some("AADSTS7000215".into()))
        );
    }
}
