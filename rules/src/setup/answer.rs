//! What a form of the guided setup refused, carried back to its page in the query of the
//! 303 that answers a plain form post (`?melding=…`). A check's outcome is not carried: it
//! is stored with the setup and shown in its step. The credential step's forms answer with
//! [`crate::app_registrations::answer::RegistrationAnswer`] under the same parameter.

use serde::{Deserialize, Serialize};

pub use crate::app_registrations::answer::ANSWER_PARAM;

/// A refused form of the setup: nothing was checked or stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetupAnswer {
    /// Neither a directory GUID nor a domain name.
    TenantInvalid,
    /// The Application (client) ID is not a GUID.
    ClientIdInvalid,
    /// No address typed.
    NoAddresses,
    /// One of the typed addresses is not an e-mail address (it is shown again in its field).
    AddressInvalid,
    /// More than [`super::MAX_ADDRESSES`] addresses.
    TooManyAddresses,
    /// That step is not open yet: an earlier one does not hold.
    StepNotOpen,
    /// No such setup.
    NotFound,
}

impl SetupAnswer {
    const ALL: [SetupAnswer; 7] = [
        SetupAnswer::TenantInvalid,
        SetupAnswer::ClientIdInvalid,
        SetupAnswer::NoAddresses,
        SetupAnswer::AddressInvalid,
        SetupAnswer::TooManyAddresses,
        SetupAnswer::StepNotOpen,
        SetupAnswer::NotFound,
    ];

    /// Its name in the query.
    pub fn name(self) -> &'static str {
        match self {
            SetupAnswer::TenantInvalid => "tenant-ongeldig",
            SetupAnswer::ClientIdInvalid => "client-id-ongeldig",
            SetupAnswer::NoAddresses => "geen-adressen",
            SetupAnswer::AddressInvalid => "adres-ongeldig",
            SetupAnswer::TooManyAddresses => "te-veel-adressen",
            SetupAnswer::StepNotOpen => "stap-niet-open",
            SetupAnswer::NotFound => "koppeling-onbekend",
        }
    }

    pub fn to_query(self) -> String {
        format!("{ANSWER_PARAM}={}", self.name())
    }

    pub fn from_query(name: &str) -> Option<SetupAnswer> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_registrations::answer::RegistrationAnswer;

    #[test]
    fn every_answer_round_trips_and_none_is_taken_for_a_credential_answer() {
        for answer in SetupAnswer::ALL {
            let query = answer.to_query();
            let name = query.trim_start_matches("melding=");
            assert_eq!(SetupAnswer::from_query(name), Some(answer));
            // The credential step's answers share the parameter: no name may mean both.
            assert_eq!(RegistrationAnswer::from_query(name, None), None, "{name}");
        }
    }
}
