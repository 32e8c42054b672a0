//! The guided setup's checks against Microsoft, each giving the rows its step shows. The
//! rows are the preflight's (`rules::preflight::CheckResult`), so a refusal carries the same
//! codes and advice as everywhere else.

use oauth2::TokenResponse as _;
use secrecy::SecretString;

use rules::advice::Advice;
use rules::passwordless::tenant_wide_mail_roles;
use rules::preflight::{Check, CheckResult, Verdict};
use rules::setup::scope_script;

use crate::connect::app_only::{read_claims, AppTokenClaims, MailboxKey};
use crate::microsoft::identity::discovery::discover_tenant_guid;
use crate::microsoft::identity::token_client::{TokenEndpoint, TokenFailure};
use crate::microsoft::identity::ClientCredential;
use crate::preflight::{classify, inbox, InboxTarget};
use crate::AppState;

/// The Graph client's mailbox id in logs for requests that belong to no mailbox yet.
const NO_MAILBOX: i32 = 0;

/// Step 1: discovery of `input` (a GUID or a domain); the tenant's GUID when it exists.
pub async fn tenant(state: &AppState, input: &str) -> (CheckResult, Option<String>) {
    let found = discover_tenant_guid(&state.http, &state.microsoft.login_url, input).await;
    let guid = found.as_ref().ok().map(|g| g.to_ascii_lowercase());
    (
        classify::tenant(input, found.as_ref().map(Clone::clone)),
        guid,
    )
}

/// A value that is no secret of any app: asking for a token with it tells whether the app
/// exists (the secret is wrong) or not (no such application) without knowing a credential.
const PROBE_SECRET: &str = "probe-not-a-secret-of-this-app";

/// Step 2: the app `client_id` is registered in tenant `tenant_id`. Microsoft answers a
/// token request with a made-up secret with AADSTS7000215 (wrong secret: the app exists)
/// or 700016 (no such app in this tenant).
pub async fn app(state: &AppState, tenant_id: &str, client_id: &str) -> CheckResult {
    let probe = ClientCredential::Secret(SecretString::from(PROBE_SECRET));
    let answer = TokenEndpoint::app(&state.microsoft.login_url, tenant_id, client_id)
        .client_credentials(&state.http, &probe)
        .await;
    app_row(answer.as_ref().map(|_| ()))
}

/// Step 2's row from the probe's answer. Pure.
pub fn app_row(answer: Result<(), &TokenFailure>) -> CheckResult {
    // The credential codes: Microsoft found the app and judged the credential.
    const APP_FOUND: [u32; 4] = [7000215, 7000222, 700027, 7000218];
    match answer {
        Ok(()) => CheckResult::passed(Check::App, None),
        Err(TokenFailure::Microsoft(error))
            if error.aadsts().is_some_and(|c| APP_FOUND.contains(&c)) =>
        {
            CheckResult::passed(Check::App, None)
        }
        Err(failure) => classify::token_failure(Check::App, failure),
    }
}

/// A new app-only token with `credential` (never the cache: a grant made a minute ago must
/// show), and what it says of the app's access.
pub async fn fresh_claims(
    state: &AppState,
    tenant_id: &str,
    client_id: &str,
    credential: &ClientCredential,
) -> Result<(SecretString, AppTokenClaims), TokenFailure> {
    let token = TokenEndpoint::app(&state.microsoft.login_url, tenant_id, client_id)
        .client_credentials(&state.http, credential)
        .await?;
    let secret = token.access_token().secret().clone();
    let claims = read_claims(&secret).unwrap_or_default();
    Ok((SecretString::from(secret), claims))
}

/// The row for a token request refused with the setup's credential.
pub fn refused(failure: &TokenFailure) -> CheckResult {
    classify::credentials(Err(failure), None)
}

/// Step 4's row: the token's `roles` hold a permission to read mail and Mail.Send. Pure.
pub fn consent_row(claims: &AppTokenClaims) -> CheckResult {
    let has = |wanted: &str| {
        claims
            .roles
            .iter()
            .any(|r| r.trim().eq_ignore_ascii_case(wanted))
    };
    let read = has("Mail.ReadWrite") || has("Mail.Read");
    let shown = if claims.roles.is_empty() {
        "roles: —".to_string()
    } else {
        format!("roles: {}", claims.roles.join(", "))
    };
    if read && has("Mail.Send") {
        return CheckResult::passed(Check::Consent, Some(shown));
    }
    let mut row = CheckResult::failed(Check::Consent, Some(Advice::PermissionMissing));
    row.detail = Some(shown);
    row
}

/// Step 5: each address's inbox read with the app's token (one row per address, its
/// address as the detail), then how far the app reaches: every mail role the token holds
/// reaches every mailbox (a warning with the script that scopes it to `addresses`); a
/// refused mailbox is outside the scope (the same script, which names them all).
pub async fn scope(
    state: &AppState,
    token: &SecretString,
    claims: &AppTokenClaims,
    client_id: &str,
    addresses: &[String],
) -> Vec<CheckResult> {
    use secrecy::ExposeSecret as _;
    let tenant_wide = claims.tenant_wide();
    let mut rows = Vec::with_capacity(addresses.len() + 1);
    for address in addresses {
        let key = MailboxKey::of("", address);
        let target = InboxTarget {
            key: &key,
            app_only: true,
            tenant_wide,
        };
        let mut row = inbox(state, NO_MAILBOX, &target, token.expose_secret()).await;
        row.detail = Some(match row.detail.take() {
            Some(found) => format!("{address} — {found}"),
            None => address.clone(),
        });
        rows.push(row);
    }
    let script = scope_script(
        client_id,
        claims.oid.as_deref().unwrap_or("<object id>"),
        addresses,
    );
    rows.push(reach_row(claims, &rows, script));
    rows
}

/// Step 5's last row from the address rows. Pure.
pub fn reach_row(
    claims: &AppTokenClaims,
    mailboxes: &[CheckResult],
    script: String,
) -> CheckResult {
    let wide = tenant_wide_mail_roles(&claims.roles);
    if !wide.is_empty() {
        let mut row = CheckResult::failed(Check::Scope, Some(Advice::AppOnlyTenantWide));
        row.verdict = Verdict::Warning;
        row.detail = Some(wide.join(", "));
        row.script = Some(script);
        return row;
    }
    let denied = |r: &&CheckResult| r.error.as_deref() == Some("ErrorAccessDenied");
    if mailboxes.iter().all(|r| r.verdict == Verdict::Passed) {
        CheckResult::passed(Check::Scope, None)
    } else if mailboxes.iter().any(|r| denied(&r)) {
        let mut row = CheckResult::failed(Check::Scope, Some(Advice::AppOnlyOutsideScope));
        row.detail = Some("403 ErrorAccessDenied".into());
        row.script = Some(script);
        row
    } else {
        CheckResult::skipped(Check::Scope)
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "a failed expect is a failed test")]
mod tests {
    use super::*;
    use crate::microsoft::identity::microsoft_error::MicrosoftError;

    fn refused(code: u32) -> TokenFailure {
        let body = format!(
            r#"{{"error":"invalid_client","error_description":"AADSTS{code}: refused.","error_codes":[{code}]}}"#
        );
        TokenFailure::Microsoft(Box::new(
            serde_json::from_str::<MicrosoftError>(&body).expect("an error body"),
        ))
    }

    #[test]
    fn a_wrong_secret_proves_the_app_exists_and_no_such_app_does_not() {
        assert_eq!(app_row(Err(&refused(7000215))).verdict, Verdict::Passed);
        let missing = app_row(Err(&refused(700016)));
        assert_eq!(missing.verdict, Verdict::Failed);
        assert_eq!(missing.check, Check::App);
        assert_eq!(missing.aadsts, Some(700016));
        assert_eq!(missing.advice, Some(Advice::AppNotInTenant));
    }

    #[test]
    fn consent_needs_a_read_role_and_send() {
        let claims = |roles: &[&str]| AppTokenClaims {
            roles: roles.iter().map(|r| (*r).to_string()).collect(),
            oid: None,
        };
        assert_eq!(
            consent_row(&claims(&["Mail.ReadWrite", "Mail.Send"])).verdict,
            Verdict::Passed
        );
        assert_eq!(
            consent_row(&claims(&["Mail.Read", "Mail.Send"])).verdict,
            Verdict::Passed
        );
        let none = consent_row(&claims(&[]));
        assert_eq!(none.verdict, Verdict::Failed);
        assert_eq!(none.detail.as_deref(), Some("roles: —"));
        assert_eq!(
            consent_row(&claims(&["Mail.ReadWrite"])).verdict,
            Verdict::Failed
        );
    }

    #[test]
    fn the_reach_row_warns_on_tenant_wide_roles_and_names_refused_mailboxes() {
        let reachable = CheckResult::passed(Check::Mailbox, Some("a@example.org".into()));
        let mut denied = CheckResult::failed(Check::Mailbox, None);
        denied.error = Some("ErrorAccessDenied".into());
        let wide = AppTokenClaims {
            roles: vec!["Mail.ReadWrite".into()],
            oid: None,
        };
        let scoped = AppTokenClaims::default();
        let script = || "script".to_string();
        assert_eq!(
            reach_row(&wide, std::slice::from_ref(&reachable), script()).verdict,
            Verdict::Warning
        );
        assert_eq!(
            reach_row(&scoped, std::slice::from_ref(&reachable), script()).verdict,
            Verdict::Passed
        );
        let outside = reach_row(&scoped, &[reachable, denied], script());
        assert_eq!(outside.verdict, Verdict::Failed);
        assert_eq!(outside.advice, Some(Advice::AppOnlyOutsideScope));
        assert_eq!(outside.script.as_deref(), Some("script"));
    }
}
