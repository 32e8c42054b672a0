//! "Test app-registratie" on the server: the five checks against Microsoft (docs/microsoft.md §6,
//! preflight; §9 for the fifth, the app's reach), run on demand and before every redirect to Microsoft, each run stored as an
//! attempt of kind `preflight` so it shows in the mailbox's history.
//!
//! Pure classification in [`classify`]; the HTTP calls and storage here.

pub mod classify;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use secrecy::{ExposeSecret, SecretString};

use crate::connect::app_only::{self, AppTokenClaims, MailboxKey};
use crate::connect::attempts_store::{self, ErrorRecord, NewAttempt};
use crate::connect::{AttemptKind, Outcome, StartError};
use crate::entities::{
    connection_attempt as attempt, mailbox, mailbox_microsoft_settings as settings,
};
use crate::microsoft::graph::{user_url, GraphClient, GraphFailure, NoRenewal, RetryPolicy};
use crate::microsoft::identity::discovery::discover_tenant_guid;
use crate::microsoft::identity::token_client::TokenEndpoint;
use crate::microsoft::identity::ClientCredential;
use crate::AppState;
use rules::passwordless::ConnectionMethod;
use rules::preflight::{Check, CheckResult, PreflightReport, Verdict};

/// How long a preflight may be under way before the page stops waiting for it: four checks,
/// each bounded by `MICROSOFT_HTTP_TIMEOUT_SECS` (at most 300 s). A run whose instance died
/// shows as stopped after this.
pub const PREFLIGHT_RUN_LIMIT: chrono::TimeDelta = chrono::TimeDelta::minutes(21);

/// Runs the four checks for mailbox `mailbox_id` and stores the report: the gate before
/// every redirect to Microsoft, which waits for the answer.
pub async fn run_preflight(
    state: &AppState,
    mailbox_id: i32,
    started_by_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<PreflightReport, StartError> {
    let (settings, secret) = credentials_of(state, mailbox_id).await?;
    let attempt_id = begin(state, mailbox_id, started_by_user_id, now).await?;
    let results = checks(state, attempt_id, &settings, &secret).await;
    store(state, attempt_id, mailbox_id, results, now).await
}

/// "Test app-registratie": records the preflight and runs its checks in the background,
/// each result stored as it comes, so the mailbox page can show which check is running
/// (also without JavaScript). The attempt's id.
pub async fn start_preflight(
    state: &AppState,
    mailbox_id: i32,
    started_by_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<i32, StartError> {
    let (settings, secret) = credentials_of(state, mailbox_id).await?;
    let attempt_id = begin(state, mailbox_id, started_by_user_id, now).await?;
    let state = state.clone();
    tokio::spawn(async move {
        let results = checks(&state, attempt_id, &settings, &secret).await;
        if let Err(error) = store(&state, attempt_id, mailbox_id, results, now).await {
            tracing::error!(%error, mailbox_id, attempt_id, "storing a preflight failed");
        }
    });
    Ok(attempt_id)
}

/// The mailbox's Microsoft settings with its address and "mark as read", as the checks need.
struct Checked {
    settings: settings::Model,
    email: String,
    mark_as_read: bool,
}

async fn credentials_of(
    state: &AppState,
    mailbox_id: i32,
) -> Result<(Checked, ClientCredential), StartError> {
    let settings = settings::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .ok_or(StartError::NotConfigured)?;
    let (email, mark_as_read) = mailbox::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .map(|m| (m.email, m.email_mark_as_seen))
        .unwrap_or_default();
    let secret = crate::app_registrations::credential_of(&state.db, &state.cipher, &settings)
        .await?
        .ok_or(StartError::NotConfigured)?;
    let checked = Checked {
        settings,
        email,
        mark_as_read,
    };
    Ok((checked, secret))
}

/// The preflight's attempt, under way with no results yet.
pub(crate) async fn begin(
    state: &AppState,
    mailbox_id: i32,
    started_by_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<i32, StartError> {
    let new = NewAttempt {
        mailbox_id,
        kind: AttemptKind::Preflight,
        state_hash: None,
        pkce_verifier_encrypted: None,
        prompt: None,
        started_by_user_id,
    };
    let attempt_id = attempts_store::insert(&state.db, new, now).await?;
    save_progress(state, attempt_id, &[]).await;
    Ok(attempt_id)
}

/// The results so far on the attempt, for the page that follows the run. A failure to
/// store them only costs the page its progress; the run goes on.
async fn save_progress(state: &AppState, attempt_id: i32, results: &[CheckResult]) {
    let details = serde_json::to_string(results).ok();
    if let Err(error) = attempts_store::set_details(&state.db, attempt_id, details).await {
        tracing::warn!(%error, attempt_id, "preflight progress not stored");
    }
}

async fn checks(
    state: &AppState,
    attempt_id: i32,
    checked: &Checked,
    credential: &ClientCredential,
) -> Vec<CheckResult> {
    let settings = &checked.settings;
    let login = &state.microsoft.login_url;
    let tenant_id = settings.tenant_id.trim();
    let mut results = Vec::with_capacity(5);
    let tenant = classify::tenant(
        tenant_id,
        discover_tenant_guid(&state.http, login, tenant_id)
            .await
            .as_ref()
            .map(Clone::clone),
    );
    let tenant_passed = tenant.verdict == Verdict::Passed;
    results.push(tenant);
    save_progress(state, attempt_id, &results).await;
    let (credentials, token) = if tenant_passed {
        let answer = TokenEndpoint::app(login, tenant_id, settings.client_id.trim())
            .client_credentials(&state.http, credential)
            .await;
        let secret = match credential {
            ClientCredential::Secret(secret) => Some(secret.expose_secret()),
            ClientCredential::Certificate(_) => None,
        };
        let row = classify::credentials(answer.as_ref().map(|_| ()), secret);
        (row, answer.ok())
    } else {
        (CheckResult::skipped(Check::Credentials), None)
    };
    results.push(credentials);
    save_progress(state, attempt_id, &results).await;
    let key = MailboxKey::of(&settings.object_id, &checked.email);
    let claims = token.as_ref().map(|token| {
        use oauth2::TokenResponse as _;
        app_only::read_claims(token.access_token().secret())
    });
    let mailbox = match &token {
        Some(token) => {
            use oauth2::TokenResponse as _;
            let tenant_wide = claims
                .as_ref()
                .and_then(Option::as_ref)
                .is_some_and(AppTokenClaims::tenant_wide);
            let app_only = app_only::method_of(settings) == ConnectionMethod::AppOnly;
            let target = InboxTarget {
                key: &key,
                app_only,
                tenant_wide,
            };
            inbox(
                state,
                settings.mailbox_id,
                &target,
                token.access_token().secret(),
            )
            .await
        }
        None => CheckResult::skipped(Check::Mailbox),
    };
    let scope = classify::scope(&classify::ScopeFacts {
        claims: claims.as_ref().and_then(Option::as_ref),
        mailbox: &mailbox,
        client_id: settings.client_id.trim(),
        mailbox_address: checked.email.trim(),
        mark_as_read: checked.mark_as_read,
    });
    results.push(mailbox);
    results.push(classify::redirect_uri(&state.redirect_uri()));
    results.push(scope);
    results
}

/// How row 3 addresses the mailbox and names a refusal.
pub(crate) struct InboxTarget<'a> {
    pub key: &'a MailboxKey,
    pub app_only: bool,
    pub tenant_wide: bool,
}

/// Row 3's call (and each address of the guided setup's scope step): the inbox of the Object ID's user (or, without one, of the mailbox's
/// address), with the app's own token, once: the check reports what Graph says, it does
/// not wait it out.
pub(crate) async fn inbox(
    state: &AppState,
    mailbox_id: i32,
    target: &InboxTarget<'_>,
    access_token: &str,
) -> CheckResult {
    let mut url = match user_url(
        &state.microsoft.graph_url,
        &target.key.key,
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
    let mut graph = GraphClient::new(&state.http, once, pause, mailbox_id, token, NoRenewal);
    match graph.check(url.as_str()).await {
        Ok(()) => classify::mailbox_passed(),
        Err(GraphFailure::Answered(error)) if target.app_only => {
            classify::mailbox_error_app_only(&error, target.key.by_address, target.tenant_wide)
        }
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

/// Finishes the preflight's attempt with its report; the first failure's codes and IDs go
/// in the attempt's error columns so history and support see them like any attempt's.
pub(crate) async fn store(
    state: &AppState,
    attempt_id: i32,
    mailbox_id: i32,
    results: Vec<CheckResult>,
    started_at: DateTime<Utc>,
) -> Result<PreflightReport, StartError> {
    let report = PreflightReport {
        attempt_id,
        at: started_at.to_rfc3339(),
        results,
        running: false,
    };
    let (outcome, mut record) = match report.first_failure() {
        None => (Outcome::Success, ErrorRecord::default()),
        Some(failure) => (Outcome::Failed, record_of(failure)),
    };
    record.details = serde_json::to_string(&report.results).ok();
    attempts_store::finish(&state.db, attempt_id, outcome, record, Utc::now()).await?;
    tracing::info!(
        mailbox_id,
        attempt_id,
        passed = report.passed(),
        failed_check = ?report.first_failure().map(|f| f.check),
        "preflight ran"
    );
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

/// The mailbox's latest preflight, as it stands at `now`.
pub async fn latest_preflight(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<PreflightReport>, DbErr> {
    let row = attempt::Entity::find()
        .filter(attempt::Column::MailboxId.eq(mailbox_id))
        .filter(attempt::Column::Kind.eq(AttemptKind::Preflight.as_str()))
        .order_by_desc(attempt::Column::Id)
        .one(db)
        .await?;
    Ok(row.and_then(|row| report_of(&row, now)))
}

/// The report stored on a preflight attempt; None for other attempts (or unreadable JSON).
/// One still under way (and not older than [`PREFLIGHT_RUN_LIMIT`]) holds the checks done
/// so far and says it is running.
pub fn report_of(row: &attempt::Model, now: DateTime<Utc>) -> Option<PreflightReport> {
    let results = serde_json::from_str(row.details.as_deref()?).ok()?;
    let pending = row.outcome == Outcome::Pending.as_str();
    Some(PreflightReport {
        attempt_id: row.id,
        at: row.created_at.to_rfc3339(),
        results,
        running: pending && now < row.created_at + PREFLIGHT_RUN_LIMIT,
    })
}
