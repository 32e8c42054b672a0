//! The preflight's classification of each answer Microsoft gives, with the bodies it sends.
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use super::*;
use rules::preflight::Verdict;

fn microsoft_error(code: u32, error: &str) -> TokenFailure {
    let body = format!(
        r#"{{"error":"{error}","error_description":"AADSTS{code}: Something. Trace ID: 0b1f Correlation ID: 7c2e Timestamp: 2026-11-27 10:00:00Z","error_codes":[{code}],"timestamp":"2026-11-27 10:00:00Z","trace_id":"0b1f","correlation_id":"7c2e"}}"#
    );
    TokenFailure::Microsoft(Box::new(serde_json::from_str(&body).unwrap()))
}

#[test]
fn a_tenant_guid_passes_and_a_domain_shows_what_it_resolved_to() {
    let guid = "8c10395e-14fe-46db-a8b6-699ac4a65109";
    let row = tenant(guid, Ok(guid.to_string()));
    assert_eq!(row.verdict, Verdict::Passed);
    assert_eq!(row.detail.as_deref(), Some(guid));
    let row = tenant("energiedemo.onmicrosoft.com", Ok(guid.to_string()));
    assert_eq!(
        row.detail.as_deref(),
        Some("energiedemo.onmicrosoft.com → 8c10395e-14fe-46db-a8b6-699ac4a65109")
    );
}

#[test]
fn an_unknown_tenant_fails_with_its_code_ids_and_advice() {
    let row = tenant(
        "nergens.onmicrosoft.com",
        Err(&microsoft_error(90002, "invalid_tenant")),
    );
    assert_eq!(row.verdict, Verdict::Failed);
    assert_eq!(row.advice, Some(Advice::TenantNotFound));
    assert_eq!(row.aadsts, Some(90002));
    assert_eq!(row.detail.as_deref(), Some("AADSTS90002"));
    assert_eq!(row.trace_id.as_deref(), Some("0b1f"));
    assert_eq!(row.correlation_id.as_deref(), Some("7c2e"));
}

#[test]
fn no_answer_is_a_transient_failure() {
    let row = tenant("x", Err(&TokenFailure::Timeout));
    assert_eq!(row.advice, Some(Advice::Transient));
    let row = credentials(
        Err(&TokenFailure::Unreachable("connection refused".into())),
        Some("s"),
    );
    assert_eq!(row.advice, Some(Advice::Transient));
    assert!(row.detail.unwrap().contains("connection refused"));
}

#[test]
fn each_credentials_failure_gets_its_own_advice() {
    let cases = [
        (7000215, "invalid_client", Advice::SecretWrong),
        (7000222, "invalid_client", Advice::SecretExpired),
        (700016, "unauthorized_client", Advice::AppNotInTenant),
        (7000218, "invalid_request", Advice::SecretMissing),
        (90002, "invalid_tenant", Advice::TenantNotFound),
        (700027, "invalid_client", Advice::CertificateNotAccepted),
        (700024, "invalid_client", Advice::AssertionClock),
        (700023, "invalid_client", Advice::AssertionInvalid),
    ];
    for (code, error, advice) in cases {
        let row = credentials(
            Err(&microsoft_error(code, error)),
            Some("dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF"),
        );
        assert_eq!(row.verdict, Verdict::Failed, "{code}");
        assert_eq!(row.advice, Some(advice), "{code}");
    }
    assert_eq!(credentials(Ok(()), Some("x")).verdict, Verdict::Passed);
}

#[test]
fn a_wrong_secret_shaped_like_a_guid_is_called_a_secret_id() {
    let row = credentials(
        Err(&microsoft_error(7000215, "invalid_client")),
        Some("8fbe0b52-acbf-4691-b6e1-4ae2a073c19b"),
    );
    assert_eq!(row.advice, Some(Advice::SecretLooksLikeSecretId));
    assert_eq!(row.aadsts, Some(7000215));
    // A certificate has no secret text to mistake for a Secret ID.
    let row = credentials(Err(&microsoft_error(7000215, "invalid_client")), None);
    assert_eq!(row.advice, Some(Advice::SecretWrong));
}

fn graph_body(code: &str, message: &str) -> Vec<u8> {
    format!(
        r#"{{"error":{{"code":"{code}","message":"{message}","innerError":{{"date":"2026-11-27T10:00:00","request-id":"5f0a","client-request-id":"5f0a"}}}}}}"#
    )
    .into_bytes()
}

#[test]
fn each_inbox_answer_is_classified() {
    assert_eq!(mailbox(200, b"{}").verdict, Verdict::Passed);
    let cases = [
        (
            403,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
            Some(Advice::GraphAccessDenied),
        ),
        (
            403,
            "ErrorAccessDenied",
            "Access to OData is disabled.",
            Some(Advice::GraphAccessPolicy),
        ),
        (
            404,
            "ErrorInvalidUser",
            "The requested user 'x' is invalid.",
            Some(Advice::GraphInvalidUser),
        ),
        (
            404,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
            Some(Advice::GraphNoMailbox),
        ),
        (
            401,
            "InvalidAuthenticationToken",
            "Access token has expired or is not yet valid.",
            Some(Advice::GraphTokenInvalid),
        ),
        (
            429,
            "TooManyRequests",
            "Application is over its MailboxConcurrency limit.",
            Some(Advice::GraphThrottled),
        ),
        (500, "UnknownError", "", Some(Advice::Transient)),
        (400, "SomethingNew", "Unheard of.", None),
    ];
    for (status, code, message, advice) in cases {
        let row = mailbox(status, &graph_body(code, message));
        assert_eq!(row.verdict, Verdict::Failed, "{code}");
        assert_eq!(row.advice, advice, "{status} {code} {message}");
        assert_eq!(
            row.detail.as_deref(),
            Some(format!("{status} {code}").as_str())
        );
        assert_eq!(row.trace_id.as_deref(), Some("5f0a"));
        assert_eq!(row.timestamp.as_deref(), Some("2026-11-27T10:00:00"));
    }
    // An unknown code keeps Graph's own message for the page.
    let row = mailbox(400, &graph_body("SomethingNew", "Unheard of."));
    assert_eq!(row.description.as_deref(), Some("Unheard of."));
}

#[test]
fn an_inbox_answer_that_is_no_graph_error_is_transient() {
    let row = mailbox(502, b"<html>Bad gateway</html>");
    assert_eq!(row.advice, Some(Advice::Transient));
    assert_eq!(row.detail.as_deref(), Some("HTTP 502"));
}

#[test]
fn the_redirect_uri_row() {
    let ok = redirect_uri("https://crm.example.org/api/oauth/ms-azure/callback");
    assert_eq!(ok.verdict, Verdict::Passed);
    let bad = redirect_uri("http://crm.example.org/api/oauth/ms-azure/callback");
    assert_eq!(bad.verdict, Verdict::Failed);
    assert_eq!(bad.advice, Some(Advice::RedirectUriNotHttps));
    assert_eq!(
        bad.detail.as_deref(),
        Some("http://crm.example.org/api/oauth/ms-azure/callback")
    );
}
