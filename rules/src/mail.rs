//! What the mail server functions return and the paths of the mail pages: shared by server
//! and browser, no I/O.

use serde::{Deserialize, Serialize};

use crate::access::encode_query_value;
use crate::advice::{advise, Advice, Facts};
use crate::mailbox_form::MailboxTarget;

/// Messages per page of the list.
pub const MESSAGES_PER_PAGE: u64 = 25;
/// The list's page number (1-based) in its URL.
pub const PAGE_PARAM: &str = "pagina";
/// After "Nu ophalen" without JavaScript: `bezig` (asked; the page follows the sync until
/// it is done), or `fout` with the problem; `ok` with [`NEW_PARAM`] is still read.
pub const FETCH_PARAM: &str = "ophalen";
/// [`FETCH_PARAM`]'s value while the page follows a requested sync.
pub const FETCH_RUNNING: &str = "bezig";
/// Seconds between the reloads of a page that follows a running sync.
pub const PROGRESS_REFRESH_SECS: u32 = 2;
/// Counts those reloads: each reload goes to a URL that differs from the page's own, as a
/// reload to the same URL with `#mail` would only scroll to the section, not load it again.
pub const RELOAD_PARAM: &str = "herladen";

/// Where a page following mailbox `mailbox_id`'s fetch reloads to after `reloads` reloads:
/// back to its Mail section.
pub fn progress_reload_url(mailbox_id: i32, reloads: u32) -> String {
    format!(
        "{}?{FETCH_PARAM}={FETCH_RUNNING}&{RELOAD_PARAM}={}#mail",
        MailboxTarget::Existing(mailbox_id).path(),
        reloads.saturating_add(1)
    )
}
/// After "Stuur testmail" without JavaScript: `ok` or `fout`, with [`TO_PARAM`] or the problem.
pub const TEST_MAIL_PARAM: &str = "testmail";
pub const NEW_PARAM: &str = "nieuw";
pub const TO_PARAM: &str = "aan";
pub const CODE_PARAM: &str = "code";
pub const DESCRIPTION_PARAM: &str = "melding";
/// A description carried in a URL is cut to this many characters.
const MAX_DESCRIPTION_IN_URL: usize = 300;

/// `/instellingen/mailboxen/{id}/berichten`.
pub fn messages_path(mailbox_id: i32) -> String {
    format!("{}/berichten", MailboxTarget::Existing(mailbox_id).path())
}

/// `/instellingen/mailboxen/{id}/berichten/{message_id}`.
pub fn message_path(mailbox_id: i32, message_id: i32) -> String {
    format!("{}/{message_id}", messages_path(mailbox_id))
}

/// The attachment download (an axum route, access-checked like the pages).
pub fn attachment_path(mailbox_id: i32, message_id: i32, attachment_id: i32) -> String {
    format!(
        "{}/bijlagen/{attachment_id}",
        message_path(mailbox_id, message_id)
    )
}

/// The same path as an axum route.
pub const ATTACHMENT_ROUTE: &str =
    "/instellingen/mailboxen/{id}/berichten/{message_id}/bijlagen/{attachment_id}";

/// A failure to fetch or send, as the admin sees it: the code, Microsoft's own words, the
/// advice, and the IDs support asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailProblem {
    /// Graph's error code, `AADSTS<n>`, an HTTP status, or this app's own
    /// (`attachment_too_large`, `not_configured`, `timeout`, `unreachable`, `busy`, …).
    pub code: String,
    pub status: Option<u16>,
    pub advice: Option<Advice>,
    pub description: Option<String>,
    pub request_id: Option<String>,
    pub date: Option<String>,
    pub retry_after_seconds: Option<u64>,
}

impl MailProblem {
    /// A problem known only by its code and description (after a redirect without
    /// JavaScript): the advice is chosen again from them.
    pub fn from_code(code: &str, description: Option<String>) -> MailProblem {
        MailProblem {
            code: code.to_string(),
            advice: advice_for(code, description.as_deref(), None),
            description,
            ..MailProblem::default()
        }
    }

    /// `code=…&melding=…` for the redirect after a form post without JavaScript.
    pub fn to_query(&self) -> String {
        let mut query = format!("{CODE_PARAM}={}", encode_query_value(&self.code));
        if let Some(description) = &self.description {
            let cut: String = description.chars().take(MAX_DESCRIPTION_IN_URL).collect();
            query.push_str(&format!(
                "&{DESCRIPTION_PARAM}={}",
                encode_query_value(&cut)
            ));
        }
        query
    }
}

/// The advice for a failure by its code: AADSTS numbers and Graph codes from the table
/// (`crate::advice`), and a temporary problem for what Graph calls a server error.
pub fn advice_for(code: &str, description: Option<&str>, status: Option<u16>) -> Option<Advice> {
    if let Some(number) = code.strip_prefix("AADSTS").and_then(|n| n.parse().ok()) {
        return advise(Facts {
            aadsts: Some(number),
            description,
            outcome: "failed",
            ..Facts::default()
        });
    }
    let server_error = matches!(
        code,
        "ErrorInternalServerError"
            | "InternalServerError"
            | "ServiceUnavailable"
            | "busy"
            | "token_unreachable"
    ) || status.is_some_and(|s| s >= 500)
        || code.parse::<u16>().is_ok_and(|s| s >= 500);
    advise(Facts {
        error: Some(code),
        description,
        outcome: "failed",
        ..Facts::default()
    })
    .or_else(|| (code == "429").then_some(Advice::GraphThrottled))
    .or_else(|| server_error.then_some(Advice::Transient))
}

/// "Nu ophalen".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FetchOutcome {
    /// The scheduler was asked to fetch now; [`MailStatus::progress`] follows it.
    Requested,
    Fetched {
        new_messages: u64,
        removed: u64,
    },
    Failed {
        problem: MailProblem,
    },
    /// Incoming mail of this mailbox does not go through Microsoft Api.
    NotMicrosoft,
    NotFound,
}

/// "Stuur testmail".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestMailOutcome {
    Sent { to: String },
    InvalidAddress { to: String },
    Failed { problem: MailProblem },
    NotFound,
}

/// The mailbox page's "Mail" section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailStatus {
    pub mailbox_id: i32,
    pub email: String,
    pub incoming_microsoft: bool,
    pub outgoing_microsoft: bool,
    /// RFC 3339, UTC.
    pub last_fetched_at: Option<String>,
    pub message_count: u64,
    pub last_error: Option<String>,
    pub failing: bool,
    /// The signed-in user may use "Nu ophalen" and "Stuur testmail".
    pub can_change: bool,
    /// The signed-in user may read the fetched messages (the link to them shows).
    pub can_read_mail: bool,
    /// Whether a fetch is asked for or running, and how far it is.
    pub progress: FetchProgress,
    /// What the last finished fetch did: shown once the one "Nu ophalen" asked for is done.
    pub last_outcome: Option<FetchOutcome>,
    /// The messages fetching skipped (issue 21): how many, and the last few.
    pub quarantine: QuarantineView,
}

/// How many messages of a mailbox its fetches skipped, and the last seen of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantineView {
    pub count: u64,
    pub latest: Vec<QuarantinedRow>,
}

/// One skipped message as the mailbox page lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantinedRow {
    /// As listed by Microsoft, shortened; None when it had none.
    pub subject: Option<String>,
    /// The reason's code (`backend::mail::quarantine::Reason`); see [`quarantine_reason`].
    pub reason: String,
    /// When a fetch last skipped it: RFC 3339, UTC.
    pub last_seen_at: String,
    /// How often fetches skipped it.
    pub seen_count: i32,
}

/// The text of a skipped message's reason code.
pub fn quarantine_reason(code: &str) -> crate::i18n::MailMsg {
    use crate::i18n::MailMsg;
    match code {
        "gone" => MailMsg::QuarantineGone,
        "id_too_long" => MailMsg::QuarantineIdTooLong,
        _ => MailMsg::QuarantineRefused,
    }
}

/// A fetch of one mailbox's mail as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FetchProgress {
    #[default]
    Idle,
    /// "Nu ophalen" was pressed; the fetch has not started yet.
    Waiting,
    /// Running since `started_at` (RFC 3339, UTC), `stored` new messages so far.
    Running { started_at: String, stored: u64 },
}

impl FetchProgress {
    /// Asked for or running: a page following it reloads until it is done.
    pub fn is_active(&self) -> bool {
        !matches!(self, FetchProgress::Idle)
    }
}

/// The list page's mail columns for one mailbox.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSummaryRow {
    pub mailbox_id: i32,
    /// RFC 3339, UTC.
    pub last_fetched_at: Option<String>,
    pub message_count: u64,
    pub last_error: Option<String>,
    pub failing: bool,
}

/// One page of a mailbox's messages, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageList {
    pub mailbox_id: i32,
    pub mailbox_name: String,
    pub mailbox_email: String,
    pub messages: Vec<MessageRow>,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    pub total: u64,
}

/// One row of the list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub id: i32,
    pub from: String,
    pub subject: String,
    /// RFC 3339, UTC.
    pub received_at: String,
    pub has_attachments: bool,
}

/// One message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDetail {
    pub id: i32,
    pub mailbox_id: i32,
    pub mailbox_name: String,
    pub from: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub received_at: String,
    /// True: `body` is HTML already made safe; shown in a sandboxed frame all the same.
    pub body_is_html: bool,
    pub body: String,
    pub removed: bool,
    pub attachments: Vec<AttachmentRow>,
}

/// One attachment: downloadable, or skipped with a reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRow {
    pub id: i32,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub skipped_reason: Option<String>,
    pub download_path: Option<String>,
}

/// The outcome of "Nu ophalen" from the query after a redirect without JavaScript.
pub fn fetch_outcome_from_query(get: impl Fn(&str) -> Option<String>) -> Option<FetchOutcome> {
    match get(FETCH_PARAM)?.as_str() {
        FETCH_RUNNING => Some(FetchOutcome::Requested),
        "ok" => Some(FetchOutcome::Fetched {
            new_messages: get(NEW_PARAM).and_then(|n| n.parse().ok()).unwrap_or(0),
            removed: 0,
        }),
        "fout" => {
            let code = get(CODE_PARAM).unwrap_or_else(|| "unknown".to_string());
            Some(match code.as_str() {
                "not_microsoft" => FetchOutcome::NotMicrosoft,
                _ => FetchOutcome::Failed {
                    problem: MailProblem::from_code(&code, get(DESCRIPTION_PARAM)),
                },
            })
        }
        _ => None,
    }
}

/// The outcome of "Stuur testmail" from the query after a redirect without JavaScript.
pub fn test_mail_outcome_from_query(
    get: impl Fn(&str) -> Option<String>,
) -> Option<TestMailOutcome> {
    let to = get(TO_PARAM).unwrap_or_default();
    match get(TEST_MAIL_PARAM)?.as_str() {
        "ok" => Some(TestMailOutcome::Sent { to }),
        "fout" => {
            let code = get(CODE_PARAM).unwrap_or_else(|| "unknown".to_string());
            Some(match code.as_str() {
                "invalid_address" => TestMailOutcome::InvalidAddress { to },
                _ => TestMailOutcome::Failed {
                    problem: MailProblem::from_code(&code, get(DESCRIPTION_PARAM)),
                },
            })
        }
        _ => None,
    }
}

/// "Name <address>", or the address alone.
pub fn display_address(name: Option<&str>, address: &str) -> String {
    match name
        .map(str::trim)
        .filter(|n| !n.is_empty() && *n != address)
    {
        Some(name) => format!("{name} <{address}>"),
        None => address.to_string(),
    }
}

/// "1,2 MB", "340 kB", "12 bytes".
pub fn human_size(size: i64) -> String {
    const KB: f64 = 1024.0;
    let bytes = size.max(0) as f64;
    if bytes >= KB * KB {
        format!("{:.1} MB", bytes / (KB * KB)).replace('.', ",")
    } else if bytes >= KB {
        format!("{:.0} kB", bytes / KB)
    } else {
        format!("{size} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(messages_path(3), "/instellingen/mailboxen/3/berichten");
        assert_eq!(message_path(3, 9), "/instellingen/mailboxen/3/berichten/9");
        assert_eq!(
            attachment_path(3, 9, 4),
            "/instellingen/mailboxen/3/berichten/9/bijlagen/4"
        );
        assert_eq!(
            ATTACHMENT_ROUTE
                .replace("{id}", "3")
                .replace("{message_id}", "9")
                .replace("{attachment_id}", "4"),
            attachment_path(3, 9, 4)
        );
    }

    #[test]
    fn advice_by_code() {
        assert_eq!(
            advice_for(
                "ErrorAccessDenied",
                Some("Access to OData is disabled."),
                None
            ),
            Some(Advice::GraphAccessPolicy)
        );
        assert_eq!(
            advice_for("AADSTS7000222", None, None),
            Some(Advice::SecretExpired)
        );
        assert_eq!(advice_for("429", None, None), Some(Advice::GraphThrottled));
        assert_eq!(
            advice_for("ErrorInternalServerError", None, None),
            Some(Advice::Transient)
        );
        assert_eq!(
            advice_for("unreachable", None, None),
            Some(Advice::Transient)
        );
        assert_eq!(advice_for("ErrorInvalidRecipients", None, Some(400)), None);
    }

    #[test]
    fn a_problem_survives_the_redirect() {
        let problem = MailProblem::from_code(
            "ErrorAccessDenied",
            Some("Access to OData is disabled.".into()),
        );
        assert_eq!(
            problem.to_query(),
            "code=ErrorAccessDenied&melding=Access%20to%20OData%20is%20disabled."
        );
        assert_eq!(problem.advice, Some(Advice::GraphAccessPolicy));
    }

    #[test]
    fn outcomes_from_the_query() {
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            fetch_outcome_from_query(query(&[("ophalen", "ok"), ("nieuw", "3")])),
            Some(FetchOutcome::Fetched {
                new_messages: 3,
                removed: 0
            })
        );
        assert_eq!(fetch_outcome_from_query(query(&[])), None);
        assert_eq!(
            fetch_outcome_from_query(query(&[("ophalen", "bezig"), ("herladen", "3")])),
            Some(FetchOutcome::Requested)
        );
        assert_eq!(
            progress_reload_url(7, 3),
            "/instellingen/mailboxen/7?ophalen=bezig&herladen=4#mail"
        );
        assert_eq!(
            test_mail_outcome_from_query(query(&[("testmail", "ok"), ("aan", "a@b.nl")])),
            Some(TestMailOutcome::Sent {
                to: "a@b.nl".into()
            })
        );
        match test_mail_outcome_from_query(query(&[
            ("testmail", "fout"),
            ("code", "ErrorAccessDenied"),
        ])) {
            Some(TestMailOutcome::Failed { problem }) => {
                assert_eq!(problem.advice, Some(Advice::GraphAccessDenied))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sizes_and_addresses() {
        assert_eq!(human_size(12), "12 bytes");
        assert_eq!(human_size(2048), "2 kB");
        assert_eq!(human_size(3 * 1024 * 1024 + 100_000), "3,1 MB");
        assert_eq!(display_address(Some("Jan"), "jan@x.nl"), "Jan <jan@x.nl>");
        assert_eq!(display_address(Some(" "), "jan@x.nl"), "jan@x.nl");
    }
}
