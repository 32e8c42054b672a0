//! What to do about a failed connection: one table from Microsoft's codes (AADSTS numbers,
//! OAuth `error` values, Graph error codes) and this app's own outcomes to advice in Dutch
//! and English that names the step of the manual to revisit (docs/microsoft.md §6 and §7).
//!
//! The codes are diagnostic data: they choose the advice shown and nothing else. A code not
//! in the table gets no advice here; the page then shows Microsoft's own description.

mod table;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
pub use table::TABLE;

/// One piece of advice. Stored (snake_case) in a preflight's results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    RedirectUriMismatch,
    NoReplyAddress,
    SpaPlatform,
    RedirectUriChanged,
    AppNotInTenant,
    TenantNotFound,
    ClientIdNotGuid,
    SingleTenantOnCommon,
    SecretWrong,
    SecretExpired,
    SecretMissing,
    // Certificate credentials (issue 19): the client assertion refused.
    CertificateNotAccepted,
    AssertionClock,
    AssertionInvalid,
    ConsentMissing,
    ConsentDeclined,
    AdminApprovalRequired,
    PermissionMissing,
    OtherTenantAccount,
    UserNotAssigned,
    ConditionalAccess,
    MfaReconnect,
    TokenExpired,
    GrantRevoked,
    SignInFrequency,
    CodeReused,
    CodeOtherTenant,
    AppBug,
    InteractiveNeeded,
    Cancelled,
    Transient,
    StartAgain,
    GraphAccessDenied,
    GraphAccessPolicy,
    GraphInvalidUser,
    GraphNoMailbox,
    GraphTokenInvalid,
    GraphThrottled,
    WrongAccount,
    WrongAddress,
    NotReturned,
    InvalidIdToken,
    RedirectUriNotHttps,
    SecretLooksLikeSecretId,
    AccountDisabled,
    AppOnlyOutsideScope,
    AppOnlyNotFoundByAddress,
    AppOnlyTenantWide,
    // IMAP and SMTP mailboxes (issue 23): codes `mail_*` of `backend::mailserver::Problem`.
    MailHostUnknown,
    MailUnreachable,
    MailTimeout,
    MailTlsExpected,
    MailNotTls,
    MailStarttlsMissing,
    MailCertificateName,
    MailCertificateExpired,
    MailCertificateUntrusted,
    MailLoginRefused,
    MailFolderMissing,
    MailMessageRefused,
    MailProtocol,
}

/// The part of the manual ("handleiding") an advice points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManualPart {
    /// "App registratie aanmaken" on portal.azure.com.
    AppRegistration,
    /// "Mailboxen verbinden in de app".
    Mailbox,
}

/// A step (or steps, "13–14") of the manual.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManualStep {
    pub part: ManualPart,
    pub steps: &'static str,
}

impl ManualStep {
    /// "Handleiding, app-registratie stap 7".
    pub fn text(self, lang: Lang) -> String {
        let plural = self.steps.contains(['–', ',']);
        match (lang, self.part) {
            (Lang::Nl, ManualPart::AppRegistration) => {
                format!(
                    "Handleiding, app-registratie aanmaken, {} {}",
                    if plural { "stappen" } else { "stap" },
                    self.steps
                )
            }
            (Lang::Nl, ManualPart::Mailbox) => {
                format!(
                    "Handleiding, mailboxen verbinden, {} {}",
                    if plural { "stappen" } else { "stap" },
                    self.steps
                )
            }
            (Lang::En, ManualPart::AppRegistration) => {
                format!(
                    "Manual, creating the app registration, {} {}",
                    if plural { "steps" } else { "step" },
                    self.steps
                )
            }
            (Lang::En, ManualPart::Mailbox) => {
                format!(
                    "Manual, connecting mailboxes, {} {}",
                    if plural { "steps" } else { "step" },
                    self.steps
                )
            }
        }
    }
}

/// What selects an entry of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// AADSTS numbers.
    Aadsts(&'static [u32]),
    /// OAuth `error` values (and this app's own transport errors), when no AADSTS number
    /// selected an entry.
    Error(&'static [&'static str]),
    /// A Graph error `code`, optionally only when the message contains a text.
    Graph {
        code: &'static str,
        message_contains: Option<&'static str>,
    },
    /// An attempt's outcome as this app records it.
    Outcome(&'static [&'static str]),
    /// An outcome that names what a Graph code alone cannot (app-only refusals, issue 18):
    /// it decides before the Graph code does.
    Named(&'static [&'static str]),
    /// Chosen by the preflight itself.
    Preflight,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub advice: Advice,
    pub trigger: Trigger,
    pub step: Option<ManualStep>,
    pub nl: &'static str,
    pub en: &'static str,
}

impl Advice {
    /// Its row; every advice has exactly one (tested).
    fn entry(self) -> Option<&'static Entry> {
        TABLE.iter().find(|entry| entry.advice == self)
    }

    /// The advice in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        self.entry().map_or("", |entry| match lang {
            Lang::Nl => entry.nl,
            Lang::En => entry.en,
        })
    }

    /// The manual's step to revisit, when there is one.
    pub fn step(self) -> Option<ManualStep> {
        self.entry()?.step
    }
}

/// What is known about a failure; every field optional but the outcome.
#[derive(Clone, Copy, Debug, Default)]
pub struct Facts<'a> {
    pub aadsts: Option<u32>,
    /// OAuth `error`, Graph error `code`, or this app's own error code.
    pub error: Option<&'a str>,
    /// Microsoft's description or Graph's message.
    pub description: Option<&'a str>,
    pub outcome: &'a str,
}

/// The advice for a failure: by AADSTS number first, then by Graph code, then by OAuth
/// error, then by how the attempt ended. None: show Microsoft's own description.
pub fn advise(facts: Facts<'_>) -> Option<Advice> {
    let matches = |trigger: &Trigger| match *trigger {
        Trigger::Aadsts(codes) => facts.aadsts.is_some_and(|code| codes.contains(&code)),
        _ => false,
    };
    let by = |pick: &dyn Fn(&Trigger) -> bool| {
        TABLE
            .iter()
            .find(|entry| pick(&entry.trigger))
            .map(|entry| entry.advice)
    };
    let graph = |trigger: &Trigger| match *trigger {
        Trigger::Graph {
            code,
            message_contains,
        } => {
            facts.error == Some(code)
                && message_contains.is_none_or(|text| {
                    facts
                        .description
                        .is_some_and(|message| message.contains(text))
                })
        }
        _ => false,
    };
    let error = |trigger: &Trigger| match *trigger {
        Trigger::Error(errors) => facts.error.is_some_and(|error| errors.contains(&error)),
        _ => false,
    };
    let outcome = |trigger: &Trigger| match *trigger {
        Trigger::Outcome(outcomes) => outcomes.contains(&facts.outcome),
        _ => false,
    };
    let named = |trigger: &Trigger| match *trigger {
        Trigger::Named(outcomes) => outcomes.contains(&facts.outcome),
        _ => false,
    };
    if facts.aadsts.is_some() {
        // A known number decides; an unknown one falls back to Microsoft's description
        // rather than to a generic advice chosen by its `error`.
        return by(&matches);
    }
    by(&named)
        .or_else(|| by(&graph))
        .or_else(|| by(&error))
        .or_else(|| by(&outcome))
}

/// `https://login.microsoftonline.com/error?code=<n>`: Microsoft's page on an AADSTS code.
pub fn aadsts_lookup_url(code: u32) -> String {
    format!("https://login.microsoftonline.com/error?code={code}")
}

#[cfg(test)]
mod tests;
