//! What an action on the app registrations page did, carried back to the page in the
//! query of the 303 that answers a plain form post (`?melding=…&credential=…&aadsts=…`).

use serde::{Deserialize, Serialize};

use super::ExpiryDateError;

/// Why a typed secret value was not added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecretProblem {
    /// Nothing typed.
    Missing,
    /// A GUID: the Secret ID, which Azure shows beside the Value (the manual's most common
    /// mistake).
    SecretId,
}

/// The outcome of one action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationAnswer {
    ExpirySaved,
    ExpiryRefused(ExpiryDateError),
    /// A new secret is stored and Microsoft accepted it: it can be taken into use.
    SecretVerified,
    SecretRefused(SecretProblem),
    /// A new certificate is made: upload it in Azure, then "Controleren".
    CertificateMade,
    /// Microsoft issued a token with the credential.
    Verified,
    /// Microsoft refused it (its AADSTS code when it gave one) or did not answer.
    VerifyFailed {
        aadsts: Option<u32>,
    },
    /// Every mailbox of the registration now uses it.
    TakenIntoUse,
    /// Only a credential Microsoft accepted can be taken into use.
    NotVerified,
    Removed,
    /// Mailboxes still use it: nothing removed.
    StillInUse,
    RegistrationDeleted,
    Renamed,
    /// The name is empty or longer than 255 characters.
    NameInvalid,
    /// Another admin changed the registration since the page was loaded: nothing saved.
    Conflict,
    NotFound,
}

/// Where a credential form may send its answer instead of the registrations page: a guided
/// setup's page or a mailbox's page (`/instellingen/mailboxen/{id}`) of this site. None for
/// anything else, so a posted value cannot send the browser elsewhere.
pub fn return_path(path: &str) -> Option<&str> {
    crate::setup::setup_return(path).or_else(|| {
        let id = path.strip_prefix("/instellingen/mailboxen/")?;
        let digits = !id.is_empty() && id.len() <= 9 && id.bytes().all(|b| b.is_ascii_digit());
        digits.then_some(path)
    })
}

/// The query parameter with the outcome's name.
pub const ANSWER_PARAM: &str = "melding";

impl RegistrationAnswer {
    /// The outcome's name in the query.
    pub fn name(self) -> &'static str {
        use RegistrationAnswer::*;
        match self {
            ExpirySaved => "verloopdatum-opgeslagen",
            ExpiryRefused(ExpiryDateError::NotADate) => "geen-datum",
            ExpiryRefused(ExpiryDateError::InThePast) => "datum-voorbij",
            ExpiryRefused(ExpiryDateError::TooFar) => "datum-te-ver",
            SecretVerified => "geheim-toegevoegd",
            SecretRefused(SecretProblem::Missing) => "geheim-leeg",
            SecretRefused(SecretProblem::SecretId) => "geheim-id",
            CertificateMade => "certificaat-gemaakt",
            Verified => "gecontroleerd",
            VerifyFailed { .. } => "geweigerd",
            TakenIntoUse => "in-gebruik",
            NotVerified => "niet-gecontroleerd",
            Removed => "verwijderd",
            StillInUse => "nog-in-gebruik",
            RegistrationDeleted => "registratie-verwijderd",
            Renamed => "naam-opgeslagen",
            NameInvalid => "naam-ongeldig",
            Conflict => "intussen-gewijzigd",
            NotFound => "onbekend",
        }
    }

    /// `melding=…` and, for a refusal, `&aadsts=…`.
    pub fn to_query(self) -> String {
        match self {
            RegistrationAnswer::VerifyFailed { aadsts: Some(code) } => {
                format!("{ANSWER_PARAM}={}&aadsts={code}", self.name())
            }
            _ => format!("{ANSWER_PARAM}={}", self.name()),
        }
    }

    /// From the query's values; None for a name it does not know.
    pub fn from_query(name: &str, aadsts: Option<&str>) -> Option<RegistrationAnswer> {
        use RegistrationAnswer::*;
        let aadsts = aadsts.and_then(|code| code.parse().ok());
        [
            ExpirySaved,
            ExpiryRefused(ExpiryDateError::NotADate),
            ExpiryRefused(ExpiryDateError::InThePast),
            ExpiryRefused(ExpiryDateError::TooFar),
            SecretVerified,
            SecretRefused(SecretProblem::Missing),
            SecretRefused(SecretProblem::SecretId),
            CertificateMade,
            Verified,
            VerifyFailed { aadsts },
            TakenIntoUse,
            NotVerified,
            Removed,
            StillInUse,
            RegistrationDeleted,
            Renamed,
            NameInvalid,
            Conflict,
            NotFound,
        ]
        .into_iter()
        .find(|answer| answer.name() == name)
    }

    /// A success (shown as such) rather than a refusal.
    pub fn succeeded(self) -> bool {
        use RegistrationAnswer::*;
        matches!(
            self,
            ExpirySaved
                | SecretVerified
                | CertificateMade
                | Verified
                | TakenIntoUse
                | Removed
                | RegistrationDeleted
                | Renamed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_return_only_to_a_setup_or_a_mailbox_page() {
        for kept in [
            "/instellingen/mailboxen/7",
            "/instellingen/microsoft-365-koppelen/3",
        ] {
            assert_eq!(return_path(kept), Some(kept));
        }
        for refused in [
            "/instellingen/mailboxen/nieuw",
            "/instellingen/mailboxen/7/berichten",
            "/instellingen/mailboxen/",
            "https://elders.example/instellingen/mailboxen/7",
            "//elders.example/instellingen/mailboxen/7",
        ] {
            assert_eq!(return_path(refused), None, "{refused}");
        }
    }

    #[test]
    fn every_answer_comes_back_from_its_query() {
        let all = [
            RegistrationAnswer::ExpirySaved,
            RegistrationAnswer::ExpiryRefused(ExpiryDateError::TooFar),
            RegistrationAnswer::SecretRefused(SecretProblem::SecretId),
            RegistrationAnswer::VerifyFailed {
                aadsts: Some(7000215),
            },
            RegistrationAnswer::VerifyFailed { aadsts: None },
            RegistrationAnswer::StillInUse,
        ];
        for answer in all {
            let query = answer.to_query();
            let mut name = None;
            let mut code = None;
            for pair in query.split('&') {
                match pair.split_once('=') {
                    Some((ANSWER_PARAM, value)) => name = Some(value),
                    Some(("aadsts", value)) => code = Some(value),
                    _ => {}
                }
            }
            assert_eq!(
                name.and_then(|name| RegistrationAnswer::from_query(name, code)),
                Some(answer)
            );
        }
        assert_eq!(RegistrationAnswer::from_query("iets", None), None);
    }
}
