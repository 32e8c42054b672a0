//! "Test verbinding" for an IMAP and SMTP mailbox (issue 23), like the Microsoft preflight:
//! the IMAP check connects (DNS, TCP, TLS with the certificate's name and validity checked),
//! logs in and selects the folder; the SMTP check connects and logs in. Each failure is named
//! with what to change (`rules::advice`, codes `mail_*`), and the run is stored as a
//! `preflight` attempt, so it shows in the mailbox's history like Microsoft's.

use chrono::Utc;
use sea_orm::EntityTrait;

use super::imap::{folder_of, open};
use super::{Endpoint, MailServerError};
use crate::connect::StartError;
use crate::entities::mailbox;
use crate::mail::imap_fetch::IMAP;
use crate::outgoing::smtp::{self, SmtpAccount, SMTP};
use crate::AppState;
use rules::advice::Advice;
use rules::mail::advice_for;
use rules::preflight::{Check, CheckResult, PreflightReport, Verdict};

/// Runs the checks of mailbox `mailbox_id`'s IMAP and SMTP sides and stores the report;
/// [`StartError::NotConfigured`] when it has neither.
pub async fn test_connection(
    state: &AppState,
    mailbox_id: i32,
    started_by_user_id: Option<i32>,
) -> Result<PreflightReport, StartError> {
    let mailbox = mailbox::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .ok_or(StartError::NotFound)?;
    let imap = mailbox.incoming_server_type == IMAP;
    let smtp = mailbox.outgoing_server_type == SMTP;
    if !imap && !smtp {
        return Err(StartError::NotConfigured);
    }
    let now = Utc::now();
    let attempt_id = crate::preflight::begin(state, mailbox_id, started_by_user_id, now).await?;
    let mut results = Vec::new();
    if imap {
        results.push(imap_check(state, &mailbox).await);
    }
    if smtp {
        results.push(smtp_check(state, &mailbox).await);
    }
    crate::preflight::store(state, attempt_id, mailbox_id, results, now).await
}

async fn imap_check(state: &AppState, mailbox: &mailbox::Model) -> CheckResult {
    let Some(endpoint) = Endpoint::from_columns(
        mailbox.imap_host.as_deref(),
        mailbox.imap_port,
        mailbox.imap_encryption.as_deref(),
    ) else {
        return not_configured(Check::Imap);
    };
    let Ok(account) = credentials(state, mailbox) else {
        return not_configured(Check::Imap);
    };
    let folder = folder_of(mailbox.imap_inbox_prefix.as_deref());
    match open(
        &endpoint,
        &state.mail.tls_roots,
        &account.username,
        &account.password,
        &folder,
    )
    .await
    {
        Ok((mut session, selected)) => {
            let _ = tokio::time::timeout(super::STEP_TIMEOUT, session.logout()).await;
            CheckResult::passed(
                Check::Imap,
                Some(format!(
                    "{}:{}, {folder}: {} messages",
                    endpoint.host, endpoint.port, selected.exists
                )),
            )
        }
        Err(error) => failed(Check::Imap, &error),
    }
}

async fn smtp_check(state: &AppState, mailbox: &mailbox::Model) -> CheckResult {
    let Ok(account) = credentials(state, mailbox) else {
        return not_configured(Check::Smtp);
    };
    match smtp::check(&account, &state.mail.tls_roots).await {
        Ok(()) => CheckResult::passed(
            Check::Smtp,
            Some(format!(
                "{}:{}",
                account.endpoint.host, account.endpoint.port
            )),
        ),
        Err(error) => failed(Check::Smtp, &error),
    }
}

/// Username and password as SMTP needs them (IMAP uses the same two fields).
fn credentials(state: &AppState, mailbox: &mailbox::Model) -> Result<SmtpAccount, ()> {
    let mut for_smtp = mailbox.clone();
    if for_smtp.smtp_host.is_none() {
        // An IMAP-only mailbox: the SMTP endpoint is not used.
        for_smtp.smtp_host = Some("localhost".into());
        for_smtp.smtp_port = Some(25);
    }
    SmtpAccount::of(state, &for_smtp).map_err(|_| ())
}

fn not_configured(check: Check) -> CheckResult {
    CheckResult {
        error: Some("not_configured".into()),
        description: Some("host, port, username or password missing".into()),
        ..CheckResult::failed(check, None)
    }
}

fn failed(check: Check, error: &MailServerError) -> CheckResult {
    let code = error.problem.code();
    let advice: Option<Advice> = advice_for(code, Some(&error.detail), None);
    CheckResult {
        verdict: Verdict::Failed,
        error: Some(code.to_string()),
        description: Some(error.detail.clone()),
        detail: Some(format!("{code}: {}", error.detail)),
        ..CheckResult::failed(check, advice)
    }
}
