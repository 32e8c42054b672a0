//! Sending an admin to Microsoft ("Verbinden", "Account opnieuw kiezen", "Forceer reconnect",
//! "Beheerderstoestemming geven"), "Test app-registratie" and the connection history. The
//! preflight gate lives here once: every start, and the save that starts a sign-in, pass it.

use chrono::Utc;
use sea_orm::DbErr;

use rules::connection::{AttemptProblem, ConnectPrompt, StartOutcome, TestOutcome};
use rules::preflight::Purpose;

use crate::audit::record_audit;
use crate::auth::Actor;
use crate::connect::{attempts_store, start_admin_consent, start_connection, StartError};
use crate::connect::{start::ensure_mailbox, status::history_entry};
use crate::entities::mailbox_microsoft_settings as settings;
use crate::preflight::{run_preflight, start_preflight};
use crate::AppState;
use rules::audit_log::AuditAction;
use rules::passwordless::{ConnectionMethod, MethodReason};
use sea_orm::TransactionTrait;

/// What to start.
#[derive(Clone, Copy, Debug)]
pub enum Start {
    SignIn(ConnectPrompt),
    AdminConsent,
}

impl Start {
    fn purpose(self) -> Purpose {
        match self {
            Start::SignIn(_) => Purpose::Connect,
            Start::AdminConsent => Purpose::AdminConsent,
        }
    }
}

/// Tests the app registration (unless `force`, "toch doorgaan"), then creates the attempt
/// and the URL to send the browser to. A failing test stops it with the report.
pub async fn start(
    state: &AppState,
    id: i32,
    what: Start,
    force: bool,
    started_by_user_id: Option<i32>,
) -> Result<StartOutcome, StartError> {
    let outcome = preflight_then_start(state, id, what, force, started_by_user_id).await;
    match outcome {
        Err(StartError::NotFound) => Ok(StartOutcome::NotFound),
        Err(StartError::NotConfigured) => Ok(StartOutcome::NotConfigured),
        other => other,
    }
}

async fn preflight_then_start(
    state: &AppState,
    id: i32,
    what: Start,
    force: bool,
    started_by_user_id: Option<i32>,
) -> Result<StartOutcome, StartError> {
    if !force {
        ensure_mailbox(state, id).await?;
        let report = run_preflight(state, id, started_by_user_id, Utc::now()).await?;
        if report.blocks(what.purpose()) {
            return Ok(StartOutcome::PreflightFailed { report });
        }
    }
    let now = Utc::now();
    let url = match what {
        Start::SignIn(prompt) => {
            start_connection(state, id, prompt, started_by_user_id, now).await?
        }
        Start::AdminConsent => start_admin_consent(state, id, started_by_user_id, now).await?,
    };
    Ok(StartOutcome::Redirect { url })
}

/// "Test app-registratie": the four checks against Microsoft, stored as an attempt. They run
/// in the background; the mailbox page follows them ([`crate::preflight::start_preflight`]).
pub async fn test(
    state: &AppState,
    id: i32,
    started_by_user_id: Option<i32>,
) -> Result<TestOutcome, StartError> {
    // An IMAP or SMTP mailbox (issue 23): "Test verbinding" against its own servers.
    if uses_mail_servers(state, id).await? {
        return match crate::mailserver::check::test_connection(state, id, started_by_user_id).await
        {
            Ok(report) => Ok(TestOutcome::Started {
                attempt_id: report.attempt_id,
            }),
            Err(StartError::NotFound) => Ok(TestOutcome::NotFound),
            Err(StartError::NotConfigured) => Ok(TestOutcome::NotConfigured),
            Err(error) => Err(error),
        };
    }
    let result = match ensure_mailbox(state, id).await {
        Ok(()) => start_preflight(state, id, started_by_user_id, Utc::now()).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(attempt_id) => Ok(TestOutcome::Started { attempt_id }),
        Err(StartError::NotFound) => Ok(TestOutcome::NotFound),
        Err(StartError::NotConfigured) => Ok(TestOutcome::NotConfigured),
        Err(error) => Err(error),
    }
}

/// Whether mailbox `id` fetches over IMAP or sends over SMTP, and nothing over Microsoft Api.
async fn uses_mail_servers(state: &AppState, id: i32) -> Result<bool, StartError> {
    use sea_orm::EntityTrait;
    let Some(mailbox) = crate::entities::mailbox::Entity::find_by_id(id)
        .one(&state.db)
        .await?
    else {
        return Ok(false);
    };
    let microsoft = "ms-oauth";
    let servers = mailbox.incoming_server_type == crate::mail::imap_fetch::IMAP
        || mailbox.outgoing_server_type == crate::outgoing::smtp::SMTP;
    Ok(servers
        && mailbox.incoming_server_type != microsoft
        && mailbox.outgoing_server_type != microsoft)
}

/// The history shows the latest attempts; older ones stay in the database.
const HISTORY_LIMIT: u64 = 200;

/// Every attempt of mailbox `id` (connect, refresh, preflight, admin consent, refused
/// callbacks), newest first.
pub async fn history(state: &AppState, id: i32) -> Result<Vec<AttemptProblem>, DbErr> {
    let now = Utc::now();
    let rows = attempts_store::history(&state.db, id, HISTORY_LIMIT).await?;
    Ok(rows
        .into_iter()
        .map(|row| history_entry(row, now))
        .collect())
}

/// Switches mailbox `id` between signing in as the mailbox and connecting without its
/// password (issue 18), in one step from the mailbox page. Its history, fetched mail, tokens
/// and audit log stay; the switch is audited. Connected without password, a sync is asked
/// for at once. False when the mailbox has no Microsoft settings.
pub async fn switch_method(
    state: &AppState,
    actor: &Actor,
    id: i32,
    method: ConnectionMethod,
) -> Result<bool, DbErr> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
    let txn = state.db.begin().await?;
    let Some(stored) = settings::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(false);
    };
    if stored.connection_method != method.as_str() {
        let mut row = stored.into_active_model();
        row.connection_method = Set(method.as_str().to_string());
        row.connection_method_reason = Set(MethodReason::Chosen.stored().map(str::to_string));
        row.updated_at = Set(Utc::now());
        row.update(&txn).await?;
        record_audit(
            &txn,
            actor,
            Some(id),
            AuditAction::Updated,
            &["connection_method"],
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(
        mailbox_id = id,
        user_id = actor.user_id,
        method = method.as_str(),
        "connection method switched"
    );
    if method == ConnectionMethod::AppOnly {
        if let Err(error) = crate::mail::request_sync(state, id).await {
            tracing::info!(mailbox_id = id, %error, "no sync requested after the switch");
        }
    }
    Ok(true)
}

/// "Automatisch" for a mailbox whose Microsoft settings were just saved (issue 18): without
/// password when `report` (the save's preflight) read the mailbox with the app's own token,
/// else signing in as the mailbox. The method and why are stored together, audited when the
/// method changes; connected without password, a sync is asked for at once.
pub async fn choose_method_automatically(
    state: &AppState,
    actor: &Actor,
    id: i32,
    report: &rules::preflight::PreflightReport,
) -> Result<ConnectionMethod, DbErr> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
    let (method, reason) = MethodReason::automatic(report.reads_mailbox_app_only());
    let txn = state.db.begin().await?;
    let Some(stored) = settings::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(method);
    };
    let changed = stored.connection_method != method.as_str();
    let mut row = stored.into_active_model();
    row.connection_method = Set(method.as_str().to_string());
    row.connection_method_reason = Set(reason.stored().map(str::to_string));
    row.update(&txn).await?;
    if changed {
        record_audit(
            &txn,
            actor,
            Some(id),
            AuditAction::Updated,
            &["connection_method"],
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(
        mailbox_id = id,
        method = method.as_str(),
        preflight = report.attempt_id,
        "connection method chosen automatically"
    );
    if method == ConnectionMethod::AppOnly {
        if let Err(error) = crate::mail::request_sync(state, id).await {
            tracing::info!(mailbox_id = id, %error, "no sync requested after the choice");
        }
    }
    Ok(method)
}
