//! Every code of docs/microsoft.md §7 and every Graph error of §6, entry by entry: the advice it
//! gets and the manual's step that advice names.
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use super::*;

fn aadsts(code: u32) -> Option<Advice> {
    advise(Facts {
        aadsts: Some(code),
        outcome: "token_failed",
        ..Facts::default()
    })
}

fn steps(advice: Advice) -> Option<(ManualPart, &'static str)> {
    advice.step().map(|step| (step.part, step.steps))
}

use ManualPart::{AppRegistration as App, Mailbox};

type Row = (&'static [u32], Advice, Option<(ManualPart, &'static str)>);

/// §7, row by row: (codes, advice, manual part and steps).
const SECTION_7: &[Row] = &[
    (&[50011], Advice::RedirectUriMismatch, Some((App, "7"))),
    (&[500113, 900971], Advice::NoReplyAddress, Some((App, "7"))),
    (&[9002325], Advice::SpaPlatform, Some((App, "7"))),
    (&[500112], Advice::RedirectUriChanged, Some((App, "7"))),
    (&[700016], Advice::AppNotInTenant, Some((App, "15"))),
    (&[90002, 900023], Advice::TenantNotFound, Some((App, "15"))),
    (&[90112], Advice::ClientIdNotGuid, Some((App, "15"))),
    (&[50194], Advice::SingleTenantOnCommon, Some((App, "6"))),
    (&[7000215], Advice::SecretWrong, Some((App, "14"))),
    (&[7000222], Advice::SecretExpired, Some((App, "13–14"))),
    (&[7000218], Advice::SecretMissing, Some((App, "14"))),
    (&[700027], Advice::CertificateNotAccepted, None),
    (&[700024], Advice::AssertionClock, None),
    (&[700021, 700023, 50027], Advice::AssertionInvalid, None),
    (&[65001], Advice::ConsentMissing, Some((App, "12"))),
    (&[65004], Advice::ConsentDeclined, Some((App, "12"))),
    (
        &[90094, 90095],
        Advice::AdminApprovalRequired,
        Some((App, "12")),
    ),
    (
        &[650057, 650056, 65005],
        Advice::PermissionMissing,
        Some((App, "9–12")),
    ),
    (&[50020], Advice::OtherTenantAccount, Some((Mailbox, "13"))),
    (&[50105], Advice::UserNotAssigned, None),
    (&[53003], Advice::ConditionalAccess, None),
    (
        &[50076, 50079, 50078],
        Advice::MfaReconnect,
        Some((Mailbox, "13–15")),
    ),
    (
        &[70008, 700082],
        Advice::TokenExpired,
        Some((Mailbox, "13–15")),
    ),
    (&[50173], Advice::GrantRevoked, Some((Mailbox, "13–15"))),
    (&[70043], Advice::SignInFrequency, Some((Mailbox, "13–15"))),
    (&[54005], Advice::CodeReused, Some((Mailbox, "13–15"))),
    (&[700005], Advice::CodeOtherTenant, Some((App, "15"))),
    (&[70011, 1002012], Advice::AppBug, None),
    (&[50058], Advice::InteractiveNeeded, Some((Mailbox, "13"))),
];

#[test]
fn every_aadsts_code_of_section_7_gets_its_advice_and_step() {
    for (codes, advice, step) in SECTION_7 {
        for code in *codes {
            assert_eq!(aadsts(*code), Some(*advice), "AADSTS{code}");
            assert_eq!(steps(*advice), *step, "step for AADSTS{code}");
        }
    }
}

#[test]
fn certificate_advice_names_what_to_do_in_both_languages() {
    let not_accepted = Advice::CertificateNotAccepted;
    assert!(not_accepted.text(Lang::Nl).contains("Upload certificate"));
    assert!(not_accepted.text(Lang::Nl).contains("verlopen"));
    assert!(not_accepted.text(Lang::En).contains("expired"));
    assert!(Advice::AssertionClock.text(Lang::Nl).contains("klok"));
    assert!(Advice::AssertionClock.text(Lang::En).contains("clock"));
    assert!(Advice::AssertionInvalid
        .text(Lang::En)
        .contains("bug in this app"));
    // A certificate refusal is no secret problem, whatever its OAuth error says.
    let facts = Facts {
        aadsts: Some(700027),
        error: Some("invalid_client"),
        outcome: "token_failed",
        ..Facts::default()
    };
    assert_eq!(advise(facts), Some(not_accepted));
}

#[test]
fn the_errors_without_a_number_of_section_7() {
    let by_error = |error: &str| {
        advise(Facts {
            error: Some(error),
            outcome: "denied",
            ..Facts::default()
        })
    };
    assert_eq!(by_error("access_denied"), Some(Advice::Cancelled));
    assert_eq!(by_error("server_error"), Some(Advice::Transient));
    assert_eq!(by_error("temporarily_unavailable"), Some(Advice::Transient));
    assert_eq!(by_error("timeout"), Some(Advice::Transient));
    assert_eq!(by_error("invalid_grant"), Some(Advice::StartAgain));
    assert_eq!(steps(Advice::Cancelled), Some((Mailbox, "13–15")));
}

/// §6, row by row: (status, code, message, advice).
const SECTION_6: &[(u16, &str, &str, Advice)] = &[
    (
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
        Advice::GraphAccessDenied,
    ),
    (
        403,
        "ErrorAccessDenied",
        "Access to OData is disabled.",
        Advice::GraphAccessPolicy,
    ),
    (
        404,
        "ErrorInvalidUser",
        "The requested user 'x' is invalid.",
        Advice::GraphInvalidUser,
    ),
    (
        404,
        "MailboxNotEnabledForRESTAPI",
        "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        Advice::GraphNoMailbox,
    ),
    (
        401,
        "InvalidAuthenticationToken",
        "Access token has expired or is not yet valid.",
        Advice::GraphTokenInvalid,
    ),
    (
        429,
        "TooManyRequests",
        "Application is over its MailboxConcurrency limit.",
        Advice::GraphThrottled,
    ),
    (
        503,
        "ServiceUnavailable",
        "Service unavailable",
        Advice::Transient,
    ),
];

#[test]
fn every_graph_error_of_section_6_gets_its_advice() {
    for (status, code, message, advice) in SECTION_6 {
        let found = advise(Facts {
            error: Some(code),
            description: Some(message),
            outcome: "failed",
            ..Facts::default()
        });
        assert_eq!(found, Some(*advice), "{status} {code} {message}");
    }
    assert_eq!(steps(Advice::GraphAccessDenied), Some((App, "9–12")));
    assert_eq!(steps(Advice::GraphInvalidUser), Some((App, "17–18")));
}

#[test]
fn this_apps_own_outcomes() {
    let by_outcome = |outcome: &str| {
        advise(Facts {
            outcome,
            ..Facts::default()
        })
    };
    assert_eq!(by_outcome("wrong_account"), Some(Advice::WrongAccount));
    assert_eq!(by_outcome("wrong_address"), Some(Advice::WrongAddress));
    assert_eq!(by_outcome("expired"), Some(Advice::NotReturned));
    assert_eq!(by_outcome("not_returned"), Some(Advice::NotReturned));
    assert_eq!(by_outcome("invalid_id_token"), Some(Advice::InvalidIdToken));
    assert_eq!(by_outcome("success"), None);
}

#[test]
fn not_returned_names_every_error_microsoft_shows_only_on_its_own_page() {
    for lang in [Lang::Nl, Lang::En] {
        let text = Advice::NotReturned.text(lang);
        for code in ["AADSTS50011", "AADSTS700016", "AADSTS90002", "AADSTS50194"] {
            assert!(text.contains(code), "{lang:?} misses {code}");
        }
    }
}

#[test]
fn a_number_decides_over_the_error_and_an_unknown_number_gets_no_generic_advice() {
    let facts = |code| Facts {
        aadsts: Some(code),
        error: Some("access_denied"),
        outcome: "denied",
        ..Facts::default()
    };
    assert_eq!(advise(facts(65004)), Some(Advice::ConsentDeclined));
    // Unknown: the page shows Microsoft's own description instead.
    assert_eq!(advise(facts(99_999_999)), None);
}

#[test]
fn every_advice_has_one_row_and_both_languages() {
    let all = [
        Advice::RedirectUriMismatch,
        Advice::NoReplyAddress,
        Advice::SpaPlatform,
        Advice::RedirectUriChanged,
        Advice::AppNotInTenant,
        Advice::TenantNotFound,
        Advice::ClientIdNotGuid,
        Advice::SingleTenantOnCommon,
        Advice::SecretWrong,
        Advice::SecretExpired,
        Advice::SecretMissing,
        Advice::CertificateNotAccepted,
        Advice::AssertionClock,
        Advice::AssertionInvalid,
        Advice::ConsentMissing,
        Advice::ConsentDeclined,
        Advice::AdminApprovalRequired,
        Advice::PermissionMissing,
        Advice::OtherTenantAccount,
        Advice::UserNotAssigned,
        Advice::ConditionalAccess,
        Advice::MfaReconnect,
        Advice::TokenExpired,
        Advice::GrantRevoked,
        Advice::SignInFrequency,
        Advice::CodeReused,
        Advice::CodeOtherTenant,
        Advice::AppBug,
        Advice::InteractiveNeeded,
        Advice::Cancelled,
        Advice::Transient,
        Advice::StartAgain,
        Advice::GraphAccessDenied,
        Advice::GraphAccessPolicy,
        Advice::GraphInvalidUser,
        Advice::GraphNoMailbox,
        Advice::GraphTokenInvalid,
        Advice::GraphThrottled,
        Advice::WrongAccount,
        Advice::WrongAddress,
        Advice::NotReturned,
        Advice::InvalidIdToken,
        Advice::RedirectUriNotHttps,
        Advice::SecretLooksLikeSecretId,
        Advice::AccountDisabled,
        Advice::AppOnlyOutsideScope,
        Advice::AppOnlyNotFoundByAddress,
        Advice::AppOnlyTenantWide,
        Advice::MailHostUnknown,
        Advice::MailUnreachable,
        Advice::MailTimeout,
        Advice::MailTlsExpected,
        Advice::MailNotTls,
        Advice::MailStarttlsMissing,
        Advice::MailCertificateName,
        Advice::MailCertificateExpired,
        Advice::MailCertificateUntrusted,
        Advice::MailLoginRefused,
        Advice::MailFolderMissing,
        Advice::MailMessageRefused,
        Advice::MailProtocol,
    ];
    assert_eq!(all.len(), TABLE.len());
    for advice in all {
        assert_eq!(
            TABLE.iter().filter(|entry| entry.advice == advice).count(),
            1,
            "{advice:?}"
        );
        assert!(!advice.text(Lang::Nl).is_empty());
        assert_ne!(advice.text(Lang::Nl), advice.text(Lang::En), "{advice:?}");
    }
}

#[test]
fn steps_read_as_the_manual_numbers_them() {
    let step = Advice::SecretExpired.step().unwrap();
    assert_eq!(
        step.text(Lang::Nl),
        "Handleiding, app-registratie aanmaken, stappen 13–14"
    );
    assert_eq!(
        Advice::OtherTenantAccount.step().unwrap().text(Lang::En),
        "Manual, connecting mailboxes, step 13"
    );
}

#[test]
fn lookup_links_name_the_code() {
    assert_eq!(
        aadsts_lookup_url(50020),
        "https://login.microsoftonline.com/error?code=50020"
    );
}

#[test]
fn app_only_refusals_are_named_before_graphs_code() {
    let advise_for = |outcome, error| {
        advise(Facts {
            error: Some(error),
            description: Some("Access is denied. Check credentials and try again."),
            outcome,
            ..Facts::default()
        })
    };
    assert_eq!(
        advise_for("outside_scope", "ErrorAccessDenied"),
        Some(Advice::AppOnlyOutsideScope)
    );
    assert_eq!(
        advise_for("sync_failed", "ErrorAccessDenied"),
        Some(Advice::GraphAccessDenied)
    );
    assert_eq!(
        advise_for("not_found_by_address", "ErrorInvalidUser"),
        Some(Advice::AppOnlyNotFoundByAddress)
    );
    assert_eq!(aadsts(50057), Some(Advice::AccountDisabled));
}

#[test]
fn mail_server_codes_get_their_advice() {
    let of = |code| {
        advise(Facts {
            error: Some(code),
            outcome: "failed",
            ..Facts::default()
        })
    };
    assert_eq!(of("mail_login_refused"), Some(Advice::MailLoginRefused));
    assert_eq!(of("mail_tls_expected"), Some(Advice::MailTlsExpected));
    assert_eq!(
        of("mail_certificate_name"),
        Some(Advice::MailCertificateName)
    );
    assert!(Advice::MailLoginRefused
        .text(crate::i18n::Lang::Nl)
        .starts_with("Gebruikersnaam of wachtwoord onjuist"));
}
