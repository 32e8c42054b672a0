//! What the mailbox page shows about attempts, pure: the history's outcome filter and the
//! text "Kopieer technische details" copies for support (codes and IDs, never a token,
//! code, verifier or secret: none of those is in an [`AttemptProblem`]).

use crate::connection::{AttemptProblem, NOT_RETURNED, NOT_RETURNED_YET};
use crate::i18n::{ConnectMsg, DiagMsg, Lang, PasswordlessMsg};
use crate::preflight::PreflightReport;

/// A failed preflight as the latest outcome: its first failed check, with the codes and
/// IDs Microsoft gave for it. None when every check passed.
pub fn problem_of_report(report: &PreflightReport) -> Option<AttemptProblem> {
    let failure = report.first_failure()?;
    Some(AttemptProblem {
        attempt_id: report.attempt_id,
        kind: "preflight".into(),
        outcome: "failed".into(),
        advice: failure.advice,
        at: report.at.clone(),
        error: failure.error.clone(),
        aadsts: failure.aadsts,
        error_description: failure.description.clone(),
        trace_id: failure.trace_id.clone(),
        correlation_id: failure.correlation_id.clone(),
        timestamp: failure.timestamp.clone(),
        signed_in_upn: None,
    })
}

/// Outcome displayed for an attempt still under way.
pub const PENDING: &str = "pending";

/// The history's filter, carried in the URL as `?uitkomst=…` so the server renders the
/// same rows the browser filters to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HistoryFilter {
    #[default]
    All,
    Succeeded,
    Failed,
    NotReturned,
    Pending,
}

impl HistoryFilter {
    /// The URL parameter.
    pub const PARAM: &'static str = "uitkomst";

    pub const ALL: [HistoryFilter; 5] = [
        HistoryFilter::All,
        HistoryFilter::Succeeded,
        HistoryFilter::Failed,
        HistoryFilter::NotReturned,
        HistoryFilter::Pending,
    ];

    /// Reads the parameter; anything unexpected means "Alle".
    pub fn from_param(value: Option<&str>) -> Self {
        let value = value.map(str::trim).unwrap_or_default();
        Self::ALL
            .into_iter()
            .find(|filter| filter.param() == value)
            .unwrap_or_default()
    }

    pub fn param(self) -> &'static str {
        match self {
            HistoryFilter::All => "alle",
            HistoryFilter::Succeeded => "gelukt",
            HistoryFilter::Failed => "mislukt",
            HistoryFilter::NotReturned => "niet-teruggekomen",
            HistoryFilter::Pending => "bezig",
        }
    }

    pub fn label(self) -> DiagMsg {
        match self {
            HistoryFilter::All => DiagMsg::FilterAll,
            HistoryFilter::Succeeded => DiagMsg::FilterSucceeded,
            HistoryFilter::Failed => DiagMsg::FilterFailed,
            HistoryFilter::NotReturned => DiagMsg::FilterNotReturned,
            HistoryFilter::Pending => DiagMsg::FilterPending,
        }
    }

    /// Whether an entry with this displayed outcome is shown.
    pub fn matches(self, outcome: &str) -> bool {
        let succeeded = outcome == "success";
        let pending = outcome == PENDING;
        let not_returned = outcome == NOT_RETURNED || outcome == NOT_RETURNED_YET;
        match self {
            HistoryFilter::All => true,
            HistoryFilter::Succeeded => succeeded,
            HistoryFilter::NotReturned => not_returned,
            HistoryFilter::Pending => pending,
            HistoryFilter::Failed => !succeeded && !pending && !not_returned,
        }
    }
}

/// The kind of an attempt, as the history names it.
pub fn kind_label(kind: &str) -> DiagMsg {
    match kind {
        "refresh" => DiagMsg::KindRefresh,
        "admin_consent" => DiagMsg::KindAdminConsent,
        "preflight" => DiagMsg::KindPreflight,
        "callback" => DiagMsg::KindCallback,
        "mail_sync" => DiagMsg::KindMailSync,
        _ => DiagMsg::KindConnect,
    }
}

/// What happened, in words.
pub fn outcome_text(outcome: &str, lang: Lang) -> &'static str {
    let connect = |msg: ConnectMsg| msg.text(lang);
    let diag = |msg: DiagMsg| msg.text(lang);
    match outcome {
        "success" => diag(DiagMsg::OutcomeSuccess),
        PENDING => diag(DiagMsg::OutcomePending),
        "failed" => diag(DiagMsg::OutcomePreflightFailed),
        "expired" | "not_returned" => diag(DiagMsg::NotReturnedTitle),
        "callback_expired" => diag(DiagMsg::OutcomeCallbackExpired),
        "callback_used" => diag(DiagMsg::OutcomeCallbackUsed),
        "callback_other_user" => diag(DiagMsg::OutcomeCallbackOtherUser),
        "sync_failed" => diag(DiagMsg::OutcomeSyncFailed),
        "outside_scope" => PasswordlessMsg::OutcomeOutsideScope.text(lang),
        "not_found_by_address" => PasswordlessMsg::OutcomeNotFoundByAddress.text(lang),
        "app_token_refused" => PasswordlessMsg::OutcomeAppTokenRefused.text(lang),
        "denied" => connect(ConnectMsg::OutcomeDenied),
        "unreachable" => connect(ConnectMsg::OutcomeUnreachable),
        "malformed" => connect(ConnectMsg::OutcomeMalformed),
        "wrong_account" => connect(ConnectMsg::OutcomeWrongAccount),
        "wrong_address" => connect(ConnectMsg::OutcomeWrongAddress),
        "invalid_id_token" => connect(ConnectMsg::OutcomeInvalidIdToken),
        _ => connect(ConnectMsg::OutcomeTokenFailed),
    }
}

/// One line of a failure's technical details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailRow {
    pub label: ConnectMsg,
    pub value: String,
    /// The value's `data-testid` in the pages.
    pub testid: &'static str,
}

/// The codes and IDs of a failure in the order the mailbox page, the callback page and the
/// text for support all show them; facts Microsoft did not give are left out. `operation`
/// names the attempt (its id is what support searches the log for).
pub fn detail_rows(problem: &AttemptProblem, operation: Option<String>) -> Vec<DetailRow> {
    [
        (ConnectMsg::DiagError, problem.error.clone(), "diag-error"),
        (
            ConnectMsg::DiagCode,
            problem.aadsts.map(|code| format!("AADSTS{code}")),
            "diag-code",
        ),
        (
            ConnectMsg::DiagSignedInAs,
            problem.signed_in_upn.clone(),
            "diag-signed-in",
        ),
        (
            ConnectMsg::DiagDescription,
            problem.error_description.clone(),
            "diag-description",
        ),
        (
            ConnectMsg::DiagTrace,
            problem.trace_id.clone(),
            "diag-trace-id",
        ),
        (
            ConnectMsg::DiagCorrelation,
            problem.correlation_id.clone(),
            "diag-correlation-id",
        ),
        (
            ConnectMsg::DiagTimestamp,
            problem.timestamp.clone(),
            "diag-timestamp",
        ),
        (ConnectMsg::DiagOperation, operation, "diag-attempt"),
    ]
    .into_iter()
    .filter_map(|(label, value, testid)| {
        let value = value.filter(|v| !v.trim().is_empty())?;
        Some(DetailRow {
            label,
            value,
            testid,
        })
    })
    .collect()
}

/// The text for support: one `label: value` line per known fact, in `lang`; `when` is the
/// attempt's time as the page words it exactly ([`crate::time::Shown::exact`]).
pub fn support_text(
    problem: &AttemptProblem,
    when: &str,
    context: &[(&str, String)],
    lang: Lang,
) -> String {
    let operation = format!(
        "#{} ({}, {when})",
        problem.attempt_id,
        kind_label(&problem.kind).text(lang),
    );
    let headline = format!(
        "{}: {}",
        DiagMsg::LatestOutcome.text(lang),
        outcome_text(&problem.outcome, lang)
    );
    let details = detail_rows(problem, Some(operation))
        .into_iter()
        .map(|row| format!("{}: {}", row.label.text(lang), row.value));
    let context = context
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(label, value)| format!("{label}: {value}"));
    std::iter::once(headline)
        .chain(details)
        .chain(context)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_sorts_every_outcome_into_one_group() {
        use HistoryFilter::*;
        let cases = [
            ("success", Succeeded),
            ("pending", Pending),
            ("expired", NotReturned),
            ("not_returned", NotReturned),
            ("denied", Failed),
            ("token_failed", Failed),
            ("failed", Failed),
            ("wrong_account", Failed),
            ("wrong_address", Failed),
            ("callback_used", Failed),
        ];
        for (outcome, group) in cases {
            for filter in HistoryFilter::ALL {
                let expected = filter == All || filter == group;
                assert_eq!(filter.matches(outcome), expected, "{outcome} {filter:?}");
            }
        }
    }

    #[test]
    fn the_filter_parameter_round_trips_and_tolerates_nonsense() {
        for filter in HistoryFilter::ALL {
            assert_eq!(HistoryFilter::from_param(Some(filter.param())), filter);
        }
        assert_eq!(
            HistoryFilter::from_param(Some("<script>")),
            HistoryFilter::All
        );
        assert_eq!(HistoryFilter::from_param(None), HistoryFilter::All);
    }

    #[test]
    fn the_support_text_has_the_codes_and_ids_support_asks_for() {
        let problem = AttemptProblem {
            attempt_id: 42,
            kind: "connect".into(),
            outcome: "token_failed".into(),
            at: "2026-11-27T10:00:00+00:00".into(),
            error: Some("invalid_client".into()),
            aadsts: Some(7000215),
            error_description: Some("AADSTS7000215: Invalid client secret provided.".into()),
            trace_id: Some("0b1f".into()),
            correlation_id: Some("7c2e".into()),
            timestamp: Some("2026-11-27 10:00:00Z".into()),
            ..AttemptProblem::default()
        };
        let text = support_text(
            &problem,
            "27 nov. 2026 11:00:00 CET",
            &[("Client id", "80aef83a".into())],
            Lang::Nl,
        );
        for expected in [
            "Poging: #42 (Verbinden, 27 nov. 2026 11:00:00 CET)",
            "Foutcode: AADSTS7000215",
            "Trace ID: 0b1f",
            "Correlation ID: 7c2e",
            "Tijdstip: 2026-11-27 10:00:00Z",
            "Client id: 80aef83a",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(!text.contains("Ingelogd als"), "empty facts are left out");
    }
}
