//! Managing an app registration's credentials from its page (issue 19): a new secret (with
//! the "Verloopt" date Azure shows, required), a generated certificate, checking one with a
//! token request, taking a checked one into use for all the registration's mailboxes, and
//! removing one no mailbox uses. Each answers with a [`RegistrationAnswer`] for the page.

use chrono::Utc;
use sea_orm::DbErr;
use secrecy::SecretString;

use rules::app_registrations::answer::{RegistrationAnswer, SecretProblem};
use rules::app_registrations::parse_expiry_date;
use rules::time::Clock;
use rules::validation::Guid;

use crate::app_registrations::rotation::{self, Removed, TakenIntoUse, Verified};
use crate::app_registrations::{self as store, CredentialLoadError, DeleteOutcome};
use crate::entities::app_registration as registration;
use crate::microsoft::identity::token_client::TokenFailure;
use crate::AppState;
use sea_orm::EntityTrait;

/// How long a certificate made here is valid: a year, so it is renewed yearly, with the
/// page's warning a month before.
pub const CERTIFICATE_VALIDITY_DAYS: i64 = 365;

/// Failed for a reason the admin cannot fix; the detail goes to the log only.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("credential: {0}")]
    Credential(#[from] CredentialLoadError),
}

/// Adds `value` as a secret of registration `registration_id`, ending on `expires_on`, and
/// checks it with Microsoft at once. A value already stored for it is the same credential.
pub async fn add_secret(
    state: &AppState,
    registration_id: i32,
    value: &str,
    expires_on: &str,
    clock: Clock,
) -> Result<RegistrationAnswer, ActionError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(RegistrationAnswer::SecretRefused(SecretProblem::Missing));
    }
    if Guid::parse(value).is_ok() {
        return Ok(RegistrationAnswer::SecretRefused(SecretProblem::SecretId));
    }
    // Required: without it the page cannot warn before the secret stops working.
    let expires_at = match parse_expiry_date(expires_on, &clock) {
        Ok(at) => at,
        Err(error) => return Ok(RegistrationAnswer::ExpiryRefused(error)),
    };
    if registration::Entity::find_by_id(registration_id)
        .one(&state.db)
        .await?
        .is_none()
    {
        return Ok(RegistrationAnswer::NotFound);
    }
    let secret = SecretString::from(value.to_string());
    let id = store::secret_credential(
        &state.db,
        &state.cipher,
        registration_id,
        &secret,
        Some(expires_at),
        clock.now,
    )
    .await?;
    Ok(match verify(state, id).await? {
        RegistrationAnswer::Verified => RegistrationAnswer::SecretVerified,
        other => other,
    })
}

/// Generates a key pair and a certificate for registration `registration_id`; the admin
/// downloads it from the page and uploads it in Azure, then checks it.
pub async fn add_certificate(
    state: &AppState,
    registration_id: i32,
) -> Result<RegistrationAnswer, ActionError> {
    let Some(owner) = registration::Entity::find_by_id(registration_id)
        .one(&state.db)
        .await?
    else {
        return Ok(RegistrationAnswer::NotFound);
    };
    store::add_certificate(
        &state.db,
        &state.cipher,
        registration_id,
        &owner.display_name,
        chrono::Duration::days(CERTIFICATE_VALIDITY_DAYS),
        Utc::now(),
    )
    .await?;
    Ok(RegistrationAnswer::CertificateMade)
}

/// "Controleren": a token request with credential `id`.
pub async fn verify(state: &AppState, id: i32) -> Result<RegistrationAnswer, ActionError> {
    Ok(match rotation::verify(state, id, Utc::now()).await? {
        Verified::Accepted => RegistrationAnswer::Verified,
        Verified::NotFound => RegistrationAnswer::NotFound,
        Verified::Refused(failure) => {
            let aadsts = match &failure {
                TokenFailure::Microsoft(error) => error.error_codes.first().copied(),
                _ => None,
            };
            tracing::info!(credential_id = id, %failure, "a credential was refused when checked");
            RegistrationAnswer::VerifyFailed { aadsts }
        }
    })
}

/// "In gebruik nemen": every mailbox of the registration authenticates with credential
/// `id` from their next token request on.
pub async fn take_into_use(state: &AppState, id: i32) -> Result<RegistrationAnswer, DbErr> {
    Ok(match rotation::take_into_use(&state.db, id).await? {
        TakenIntoUse::Done(mailboxes) => {
            tracing::info!(credential_id = id, mailboxes, "credential taken into use");
            RegistrationAnswer::TakenIntoUse
        }
        TakenIntoUse::NotVerified => RegistrationAnswer::NotVerified,
        TakenIntoUse::NotFound => RegistrationAnswer::NotFound,
    })
}

/// "Verwijderen" of a credential: refused while a mailbox uses it.
pub async fn remove(state: &AppState, id: i32) -> Result<RegistrationAnswer, DbErr> {
    Ok(match rotation::remove(&state.db, id).await? {
        Removed::Done => RegistrationAnswer::Removed,
        Removed::InUse(_) => RegistrationAnswer::StillInUse,
        Removed::NotFound => RegistrationAnswer::NotFound,
    })
}

/// "Verwijderen" of a registration: refused while a mailbox uses it.
pub async fn delete_registration(state: &AppState, id: i32) -> Result<RegistrationAnswer, DbErr> {
    Ok(match store::delete(&state.db, id).await? {
        DeleteOutcome::Deleted => RegistrationAnswer::RegistrationDeleted,
        DeleteOutcome::InUse(_) => RegistrationAnswer::StillInUse,
        DeleteOutcome::NotFound => RegistrationAnswer::NotFound,
    })
}

/// "Naam opslaan": registration `id` is called `name` from now on, if nobody changed it
/// since `version` was read.
pub async fn rename(
    state: &AppState,
    id: i32,
    version: i32,
    name: &str,
) -> Result<RegistrationAnswer, DbErr> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > rules::validation::MAX_TEXT {
        return Ok(RegistrationAnswer::NameInvalid);
    }
    Ok(
        match store::rename(&state.db, id, version, name, Utc::now()).await? {
            store::RenameOutcome::Renamed => RegistrationAnswer::Renamed,
            store::RenameOutcome::Conflict => RegistrationAnswer::Conflict,
            store::RenameOutcome::NotFound => RegistrationAnswer::NotFound,
        },
    )
}
