//! Each preflight check's answer from Microsoft, classified into ✓ or ✗ with advice. Pure:
//! the I/O that produced the answers is in `run`.

use crate::connect::app_only::{name_refusal, AppTokenClaims};
use crate::microsoft::graph::GraphError;
use crate::microsoft::identity::microsoft_error::MicrosoftError;
use crate::microsoft::identity::token_client::TokenFailure;
use rules::advice::{advise, Advice, Facts};
use rules::passwordless::{add_to_scope_script, scope_script, tenant_wide_mail_roles, ScopeScript};
use rules::preflight::{redirect_uri_allowed, Check, CheckResult, Verdict};
use rules::validation::Guid;

/// Row 1: discovery answered with the tenant's GUID, or failed.
pub fn tenant(given: &str, result: Result<String, &TokenFailure>) -> CheckResult {
    match result {
        Ok(guid) if guid.eq_ignore_ascii_case(given.trim()) => {
            CheckResult::passed(Check::Tenant, Some(guid))
        }
        // A domain (or a GUID in other letters) resolved: show what it resolved to.
        Ok(guid) => CheckResult::passed(Check::Tenant, Some(format!("{} → {guid}", given.trim()))),
        Err(failure) => token_failure(Check::Tenant, failure),
    }
}

/// Row 2: a client-credentials token came back, or Microsoft said why not. A wrong secret
/// that has the shape of a GUID is most likely the Secret ID: that advice is more precise.
pub fn credentials(result: Result<(), &TokenFailure>, secret: Option<&str>) -> CheckResult {
    let Err(failure) = result else {
        return CheckResult::passed(Check::Credentials, None);
    };
    let mut row = token_failure(Check::Credentials, failure);
    if row.aadsts == Some(7000215) && secret.is_some_and(|s| Guid::parse(s.trim()).is_ok()) {
        row.advice = Some(Advice::SecretLooksLikeSecretId);
    }
    row
}

/// Row 3: `GET /users/{object-id}/mailFolders/inbox` with the app's token.
pub fn mailbox(status: u16, body: &[u8]) -> CheckResult {
    if (200..300).contains(&status) {
        return mailbox_passed();
    }
    mailbox_error(&GraphError::from_body(status, body))
}

/// Row 3 when Graph gave the inbox.
pub fn mailbox_passed() -> CheckResult {
    CheckResult::passed(Check::Mailbox, None)
}

/// Row 3 when Graph answered with an error.
pub fn mailbox_error(error: &GraphError) -> CheckResult {
    let status = error.status;
    if !error.has_graph_body() {
        let mut row = CheckResult::failed(Check::Mailbox, Some(Advice::Transient));
        row.detail = Some(format!("HTTP {status}"));
        row.error = Some("malformed_response".into());
        return row;
    }
    let advice = advise(Facts {
        error: Some(&error.code),
        description: Some(&error.message),
        outcome: "failed",
        ..Facts::default()
    })
    .or((status >= 500).then_some(Advice::Transient));
    let mut row = CheckResult::failed(Check::Mailbox, advice);
    row.detail = Some(format!("{status} {}", error.code));
    row.error = Some(error.code.clone());
    row.description = Some(error.message.clone());
    row.trace_id = error.request_id.clone();
    row.correlation_id = error.client_request_id.clone();
    row.timestamp = error.date.clone();
    row
}

/// Row 3 when Graph did not answer at all.
pub fn mailbox_unreachable(detail: String) -> CheckResult {
    let mut row = CheckResult::failed(Check::Mailbox, Some(Advice::Transient));
    row.detail = Some(detail);
    row.error = Some("unreachable".into());
    row
}

/// Row 3 for a mailbox connected without its password: a refusal the app-only method
/// explains better (outside the app's scope, not found by its address) gets that advice.
pub fn mailbox_error_app_only(
    error: &GraphError,
    by_address: bool,
    tenant_wide: bool,
) -> CheckResult {
    let mut row = mailbox_error(error);
    if let Some(refusal) = name_refusal(error, by_address, tenant_wide) {
        row.advice = advise(Facts {
            error: Some(&error.code),
            description: Some(&error.message),
            outcome: refusal.outcome(),
            ..Facts::default()
        });
    }
    row
}

/// What the scope check knows: the token's claims (None: no token, or unreadable), row 3's
/// result, and what the script is filled in with.
pub struct ScopeFacts<'a> {
    pub claims: Option<&'a AppTokenClaims>,
    pub mailbox: &'a CheckResult,
    pub client_id: &'a str,
    pub mailbox_address: &'a str,
    pub mark_as_read: bool,
}

/// Row 5: how far the app's access reaches (docs/microsoft.md §9). A tenant-wide mail role
/// in the token warns, with the PowerShell that scopes the app; without one, a reachable
/// mailbox shows the access is limited to designated mailboxes; a 403 puts this mailbox
/// outside the scope, with the PowerShell that adds it.
pub fn scope(facts: &ScopeFacts<'_>) -> CheckResult {
    let Some(claims) = facts.claims else {
        return CheckResult::skipped(Check::Scope);
    };
    let wide = tenant_wide_mail_roles(&claims.roles);
    if !wide.is_empty() {
        let mut row = CheckResult::failed(Check::Scope, Some(Advice::AppOnlyTenantWide));
        row.verdict = Verdict::Warning;
        row.detail = Some(wide.join(", "));
        row.script = Some(scope_script(&ScopeScript {
            app_id: facts.client_id,
            service_principal_id: claims.oid.as_deref().unwrap_or("<object id>"),
            mailbox: facts.mailbox_address,
            tenant_wide_roles: &wide,
            mark_as_read: facts.mark_as_read,
        }));
        return row;
    }
    match facts.mailbox.verdict {
        Verdict::Passed => CheckResult::passed(Check::Scope, None),
        Verdict::Failed if facts.mailbox.error.as_deref() == Some("ErrorAccessDenied") => {
            let mut row = CheckResult::failed(Check::Scope, Some(Advice::AppOnlyOutsideScope));
            row.detail = Some(format!("403 {}", "ErrorAccessDenied"));
            row.script = Some(add_to_scope_script(facts.mailbox_address));
            row
        }
        _ => CheckResult::skipped(Check::Scope),
    }
}

/// Row 4: the redirect URI this deployment sends.
pub fn redirect_uri(uri: &str) -> CheckResult {
    if redirect_uri_allowed(uri) {
        CheckResult::passed(Check::RedirectUri, Some(uri.to_string()))
    } else {
        let mut row = CheckResult::failed(Check::RedirectUri, Some(Advice::RedirectUriNotHttps));
        row.detail = Some(uri.to_string());
        row
    }
}

/// A failed token or discovery request as a ✗ with Microsoft's codes.
pub fn token_failure(check: Check, failure: &TokenFailure) -> CheckResult {
    match failure {
        TokenFailure::Microsoft(error) => microsoft(check, error),
        other => {
            let mut row = CheckResult::failed(check, Some(Advice::Transient));
            row.detail = Some(other.to_string());
            row.error = Some(
                match other {
                    TokenFailure::Timeout => "timeout",
                    TokenFailure::Malformed { .. } => "malformed_response",
                    _ => "unreachable",
                }
                .into(),
            );
            row
        }
    }
}

fn microsoft(check: Check, error: &MicrosoftError) -> CheckResult {
    let aadsts = error.aadsts();
    let advice = advise(Facts {
        aadsts,
        error: Some(&error.error),
        description: error.error_description.as_deref(),
        outcome: "failed",
    });
    let mut row = CheckResult::failed(check, advice);
    row.detail = Some(match aadsts {
        Some(code) => format!("AADSTS{code}"),
        None => error.error.clone(),
    });
    row.aadsts = aadsts;
    row.error = Some(error.error.clone());
    row.description = error.error_description.clone();
    row.trace_id = error.trace_id.clone();
    row.correlation_id = error.correlation_id.clone();
    row.timestamp = error.timestamp.clone();
    row
}

#[cfg(test)]
mod tests;
