//! "Test app-registratie" on the server: the four checks against Microsoft (docs/microsoft.md §6,
//! preflight), run on demand and before every redirect to Microsoft, each run stored as an
//! attempt of kind `preflight` so it shows in the mailbox's history.
//!
//! Pure classification in [`classify`]; the HTTP calls and storage here.

pub mod classify;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use secrecy::{ExposeSecret, SecretString};

use crate::cipher::SecretColumn;
use crate::connect::attempts_store::{self, ErrorRecord, NewAttempt};
use crate::connect::{AttemptKind, Outcome, StartError};
use crate::entities::{connection_attempt as attempt, mailbox_microsoft_settings as settings};
use crate::microsoft::graph::{user_url, GraphClient, GraphFailure, NoRenewal, RetryPolicy};
use crate::microsoft::identity::discovery::discover_tenant_guid;
use crate::microsoft::identity::token_client::TokenEndpoint;
use crate::AppState;
use rules::preflight::{Check, CheckResult, PreflightReport, Verdict};

/// Runs the four checks for mailbox `mailbox_id` and stores the report.
pub async fn run_preflight(
    state: &AppState,
    mailbox_id: i32,
    started_by_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<PreflightReport, StartError> {
    let settings = settings::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .ok_or(StartError::NotConfigured)?;
    let stored_secret = settings
        .client_secret_encrypted
        .as_deref()
        .ok_or(StartError::NotConfigured)?;
    let secret = state
        .cipher
        .decrypt(stored_secret, SecretColumn::ClientSecret)?
        .secret;
    let results = checks(state, &settings, &secret).await;
    store(state, mailbox_id, started_by_user_id, results, now).await
}

async fn checks(
    state: &AppState,
    settings: &settings::Model,
    secret: &SecretString,
) -> Vec<CheckResult> {
    let login = &state.microsoft.login_url;
    let tenant_id = settings.tenant_id.trim();
    let tenant = classify::tenant(
        tenant_id,
        discover_tenant_guid(&state.http, login, tenant_id)
            .await
            .as_ref()
            .map(Clone::clone),
    );
    let (credentials, token) = if tenant.verdict == Verdict::Passed {
        let answer = TokenEndpoint::app(login, tenant_id, settings.client_id.trim())
            .client_credentials(&state.http, secret)
            .await;
        let row = classify::credentials(answer.as_ref().map(|_| ()), secret.expose_secret());
        (row, answer.ok())
    } else {
        (CheckResult::skipped(Check::Credentials), None)
    };
    let mailbox = match token {
        Some(token) => {
            use oauth2::TokenResponse as _;
            inbox(state, settings, token.access_token().secret()).await
        }
        None => CheckResult::skipped(Check::Mailbox),
    };
    let redirect_uri = classify::redirect_uri(&state.redirect_uri());
    vec![tenant, credentials, mailbox, redirect_uri]
}

/// Row 3's call: the inbox of the Object ID's user, with the app's own token, once: the
/// check reports what Graph says, it does not wait it out.
async fn inbox(state: &AppState, settings: &settings::Model, access_token: &str) -> CheckResult {
    let object_id = settings.object_id.trim();
    let mut url = match user_url(
        &state.microsoft.graph_url,
        object_id,
        &["mailFolders", "inbox"],
    ) {
        Ok(url) => url,
        Err(error) => return classify::mailbox_unreachable(error.to_string()),
    };
    url.query_pairs_mut()
        .append_pair("$select", "id,displayName");
    let once = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    let token = SecretString::from(access_token.to_string());
    let pause = state.mail.pause.as_ref();
    let id = settings.mailbox_id;
    let mut graph = GraphClient::new(&state.http, once, pause, id, token, NoRenewal);
    match graph.check(url.as_str()).await {
        Ok(()) => classify::mailbox_passed(),
        Err(GraphFailure::Answered(error)) => classify::mailbox_error(&error),
        Err(GraphFailure::NoAnswer { error, .. }) if error.is_timeout() => {
            classify::mailbox_unreachable("no answer within the configured timeout".into())
        }
        Err(GraphFailure::NoAnswer { error, .. }) => {
            classify::mailbox_unreachable(error.without_url().to_string())
        }
        Err(GraphFailure::Malformed { detail, .. }) => classify::mailbox_unreachable(detail),
        Err(GraphFailure::Token(never)) => match never {},
    }
}

/// Stores a report as a finished `preflight` attempt; the first failure's codes and IDs go
/// in the attempt's error columns so history and support see them like any attempt's.
async fn store(
    state: &AppState,
    mailbox_id: i32,
    started_by_user_id: Option<i32>,
    results: Vec<CheckResult>,
    now: DateTime<Utc>,
) -> Result<PreflightReport, StartError> {
    let new = NewAttempt {
        mailbox_id,
        kind: AttemptKind::Preflight,
        state_hash: None,
        pkce_verifier_encrypted: None,
        prompt: None,
        started_by_user_id,
    };
    let attempt_id = attempts_store::insert(&state.db, new, now).await?;
    let mut report = PreflightReport {
        attempt_id,
        at: now.to_rfc3339(),
        results,
    };
    let (outcome, mut record) = match report.first_failure() {
        None => (Outcome::Success, ErrorRecord::default()),
        Some(failure) => (Outcome::Failed, record_of(failure)),
    };
    record.details = serde_json::to_string(&report.results).ok();
    attempts_store::finish(&state.db, attempt_id, outcome, record, now).await?;
    tracing::info!(
        mailbox_id,
        attempt_id,
        passed = report.passed(),
        failed_check = ?report.first_failure().map(|f| f.check),
        "preflight ran"
    );
    report.at = now.to_rfc3339();
    Ok(report)
}

fn record_of(failure: &CheckResult) -> ErrorRecord {
    ErrorRecord {
        error: failure.error.clone(),
        error_description: failure.description.clone(),
        error_codes: failure.aadsts.map(|code| code.to_string()),
        trace_id: failure.trace_id.clone(),
        correlation_id: failure.correlation_id.clone(),
        error_timestamp: failure.timestamp.clone(),
        ..ErrorRecord::default()
    }
}

/// The mailbox's latest preflight.
pub async fn latest_preflight(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
) -> Result<Option<PreflightReport>, DbErr> {
    let row = attempt::Entity::find()
        .filter(attempt::Column::MailboxId.eq(mailbox_id))
        .filter(attempt::Column::Kind.eq(AttemptKind::Preflight.as_str()))
        .order_by_desc(attempt::Column::Id)
        .one(db)
        .await?;
    Ok(row.and_then(|row| report_of(&row)))
}

/// The report stored on a preflight attempt; None for other attempts (or unreadable JSON).
pub fn report_of(row: &attempt::Model) -> Option<PreflightReport> {
    let results = serde_json::from_str(row.details.as_deref()?).ok()?;
    Some(PreflightReport {
        attempt_id: row.id,
        at: row.created_at.to_rfc3339(),
        results,
    })
}
