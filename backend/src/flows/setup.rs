//! "Microsoft 365 koppelen" (issue 19): the use cases behind the guided setup's page. Each
//! step's form runs its check against Microsoft and stores the result with the setup; the
//! step a setup stands at is derived from what it holds (`rules::setup::Progress`), so it
//! can be left and resumed, and a step opens only when the ones before it hold.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use rules::i18n::Lang;
use rules::mailbox_form::{new_mailbox_form, SaveOutcome};
use rules::passwordless::ConnectionMethod;
use rules::setup::answer::SetupAnswer;
use rules::setup::{
    parse_addresses, scope_script, AddressError, AddressView, Progress, SetupChecks, SetupStart,
    SetupSummary, SetupView, Step, StepCheck, SUGGESTED_APP_NAME,
};
use rules::time::Clock;
use rules::validation::{Guid, MailboxForm, TenantRef};

use crate::app_registrations::{self as registrations, CredentialLoadError};
use crate::auth::Actor;
use crate::entities::{app_credential as credential, mailbox, microsoft_setup as setup};
use crate::mailbox_store::StoreError;
use crate::microsoft::identity::ClientCredential;
use crate::setup::{checks, store};
use crate::AppState;

/// Failed for a reason the admin cannot fix; the detail goes to the log only.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("credential: {0}")]
    Credential(#[from] CredentialLoadError),
    #[error("saving a mailbox: {0}")]
    Store(#[from] StoreError),
}

/// Where the page goes after a form: the setup (its id), or back with a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Setup(i32),
    Refused(Option<i32>, SetupAnswer),
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339()
}

/// Step 1: a new setup for the tenant typed, checked with discovery.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    tenant_input: &str,
    now: DateTime<Utc>,
) -> Result<Answer, SetupError> {
    let input = tenant_input.trim();
    if TenantRef::parse(input).is_none() || input.chars().count() > 255 {
        return Ok(Answer::Refused(None, SetupAnswer::TenantInvalid));
    }
    let (row, guid) = checks::tenant(state, input).await;
    let setup_checks = SetupChecks {
        tenant: Some(StepCheck {
            at: stamp(now),
            results: vec![row],
        }),
        ..SetupChecks::default()
    };
    let id = store::create(
        &state.db,
        input,
        guid,
        &setup_checks,
        Some(actor.user_id),
        now,
    )
    .await?;
    tracing::info!(
        setup_id = id,
        user_id = actor.user_id,
        "guided setup started"
    );
    Ok(Answer::Setup(id))
}

/// Step 1 again on setup `id` whose tenant was not found: the corrected value.
pub async fn retry_tenant(
    state: &AppState,
    id: i32,
    tenant_input: &str,
    now: DateTime<Utc>,
) -> Result<Answer, SetupError> {
    let Some((row, mut setup_checks, progress)) = load(state, id).await? else {
        return Ok(Answer::Refused(None, SetupAnswer::NotFound));
    };
    if progress.tenant || row.tenant_id.is_some() {
        return Ok(Answer::Refused(Some(id), SetupAnswer::StepNotOpen));
    }
    let input = tenant_input.trim();
    if TenantRef::parse(input).is_none() || input.chars().count() > 255 {
        return Ok(Answer::Refused(Some(id), SetupAnswer::TenantInvalid));
    }
    let (result, guid) = checks::tenant(state, input).await;
    setup_checks.tenant = Some(StepCheck {
        at: stamp(now),
        results: vec![result],
    });
    let change = store::Change {
        tenant: Some((input.to_string(), guid)),
        ..store::Change::default()
    };
    store::save(&state.db, id, &setup_checks, change, now).await?;
    Ok(Answer::Setup(id))
}

/// Step 2: the app `client_id` exists in the setup's tenant; then its app registration is
/// found or made here, so the credential step has somewhere to keep the certificate.
pub async fn check_app(
    state: &AppState,
    id: i32,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<Answer, SetupError> {
    let Some((row, mut setup_checks, progress)) = load(state, id).await? else {
        return Ok(Answer::Refused(None, SetupAnswer::NotFound));
    };
    let (Some(tenant_id), false) = (row.tenant_id.clone(), progress.app) else {
        return Ok(Answer::Refused(Some(id), SetupAnswer::StepNotOpen));
    };
    let Ok(client) = Guid::parse(client_id.trim()) else {
        return Ok(Answer::Refused(Some(id), SetupAnswer::ClientIdInvalid));
    };
    let client = client.to_string();
    let result = checks::app(state, &tenant_id, &client).await;
    let found = result.verdict == rules::preflight::Verdict::Passed;
    setup_checks.app = Some(StepCheck {
        at: stamp(now),
        results: vec![result],
    });
    let registration = if found {
        // Named as step 2 had the admin name it in Azure; an existing one keeps its name.
        let name = format!("{SUGGESTED_APP_NAME} ({})", row.tenant_input);
        let found = registrations::find_or_create_named(&state.db, &tenant_id, &client, &name, now);
        Some(found.await?.id)
    } else {
        None
    };
    let change = store::Change {
        app: Some((found.then_some(client), registration)),
        ..store::Change::default()
    };
    store::save(&state.db, id, &setup_checks, change, now).await?;
    Ok(Answer::Setup(id))
}

/// The registration's credential Microsoft accepted most recently, decrypted.
async fn accepted_credential(
    state: &AppState,
    registration_id: i32,
) -> Result<Option<ClientCredential>, SetupError> {
    let Some(row) = registrations::current_credential(&state.db, registration_id).await? else {
        return Ok(None);
    };
    if row.verified_at.is_none() {
        return Ok(None);
    }
    Ok(Some(registrations::decrypt(&state.cipher, &row)?))
}

/// The setup's tenant, app and accepted credential, when steps 1–3 hold.
async fn app_of(
    state: &AppState,
    row: &setup::Model,
) -> Result<Option<(String, String, ClientCredential)>, SetupError> {
    let (Some(tenant), Some(client), Some(registration)) =
        (&row.tenant_id, &row.client_id, row.app_registration_id)
    else {
        return Ok(None);
    };
    Ok(accepted_credential(state, registration)
        .await?
        .map(|credential| (tenant.clone(), client.clone(), credential)))
}

/// Step 4: a new token's `roles` hold the permissions to read and send mail.
pub async fn check_consent(
    state: &AppState,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Answer, SetupError> {
    let (row, mut setup_checks) = match opened(state, id, Step::Consent).await? {
        Ok(open) => open,
        Err(refused) => return Ok(refused),
    };
    let Some((tenant, client, credential)) = app_of(state, &row).await? else {
        return Ok(Answer::Refused(Some(id), SetupAnswer::StepNotOpen));
    };
    let result = match checks::fresh_claims(state, &tenant, &client, &credential).await {
        Ok((_, claims)) => {
            if claims.oid.is_some() {
                setup_checks.service_principal_id = claims.oid.clone();
            }
            checks::consent_row(&claims)
        }
        Err(failure) => checks::refused(&failure),
    };
    setup_checks.consent = Some(StepCheck {
        at: stamp(now),
        results: vec![result],
    });
    setup_checks.consent_skipped = false;
    store::save(&state.db, id, &setup_checks, store::Change::default(), now).await?;
    Ok(Answer::Setup(id))
}

/// Step 4 skipped: the admin grants access in Exchange only (RBAC for Applications), so
/// the token carries no roles; step 5 checks that the app reaches the mailboxes.
pub async fn skip_consent(
    state: &AppState,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Answer, SetupError> {
    let (_, mut setup_checks) = match opened(state, id, Step::Consent).await? {
        Ok(open) => open,
        Err(refused) => return Ok(refused),
    };
    setup_checks.consent_skipped = true;
    store::save(&state.db, id, &setup_checks, store::Change::default(), now).await?;
    Ok(Answer::Setup(id))
}

/// Step 5: each typed address's inbox read with the app's own token, and how far the
/// app's access reaches.
pub async fn check_scope(
    state: &AppState,
    id: i32,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Answer, SetupError> {
    let (row, mut setup_checks) = match opened(state, id, Step::Scope).await? {
        Ok(open) => open,
        Err(refused) => return Ok(refused),
    };
    let addresses = match parse_addresses(typed) {
        Ok(addresses) => addresses,
        Err(AddressError::None) => return Ok(Answer::Refused(Some(id), SetupAnswer::NoAddresses)),
        Err(AddressError::Invalid(_)) => {
            return Ok(Answer::Refused(Some(id), SetupAnswer::AddressInvalid))
        }
        Err(AddressError::TooMany) => {
            return Ok(Answer::Refused(Some(id), SetupAnswer::TooManyAddresses))
        }
    };
    let Some((tenant, client, credential)) = app_of(state, &row).await? else {
        return Ok(Answer::Refused(Some(id), SetupAnswer::StepNotOpen));
    };
    let results = match checks::fresh_claims(state, &tenant, &client, &credential).await {
        Ok((token, claims)) => {
            if claims.oid.is_some() {
                setup_checks.service_principal_id = claims.oid.clone();
            }
            checks::scope(state, &token, &claims, &client, &addresses).await
        }
        Err(failure) => vec![checks::refused(&failure)],
    };
    setup_checks.scope = Some(StepCheck {
        at: stamp(now),
        results,
    });
    let change = store::Change {
        addresses: Some(addresses.join("\n")),
        ..store::Change::default()
    };
    store::save(&state.db, id, &setup_checks, change, now).await?;
    Ok(Answer::Setup(id))
}

/// Step 6: a Microsoft Api mailbox without password for every checked address that has
/// none yet, saved through the mailbox form's own save (validation, audit entry, first
/// sync). An address the save refuses is logged and stays listed without its mailbox.
pub async fn add_mailboxes(state: &AppState, actor: &Actor, id: i32) -> Result<Answer, SetupError> {
    let (row, _) = match opened(state, id, Step::Mailboxes).await? {
        Ok(open) => open,
        Err(refused) => return Ok(refused),
    };
    let (Some(tenant), Some(client)) = (&row.tenant_id, &row.client_id) else {
        return Ok(Answer::Refused(Some(id), SetupAnswer::StepNotOpen));
    };
    for view in addresses_of(&state.db, &row, &store::checks_of(&row)).await? {
        if view.mailbox_id.is_some() || !view.reachable {
            continue;
        }
        let form = MailboxForm {
            name: view.address.clone(),
            email: view.address.clone(),
            client_id: client.clone(),
            tenant_id: tenant.clone(),
            connection_method: ConnectionMethod::AppOnly.as_str().to_string(),
            ..new_mailbox_form()
        };
        match super::mailbox_form::save(state, actor, None, 0, &form).await? {
            SaveOutcome::Saved { id: mailbox_id, .. } => {
                tracing::info!(setup_id = id, mailbox_id, "guided setup added a mailbox")
            }
            other => {
                tracing::warn!(setup_id = id, outcome = ?other, "guided setup could not add a mailbox")
            }
        }
    }
    Ok(Answer::Setup(id))
}

/// Setup `id` when step `step` is open (every step before it holds): its row and checks;
/// else the refusal to answer with.
async fn opened(
    state: &AppState,
    id: i32,
    step: Step,
) -> Result<Result<(setup::Model, SetupChecks), Answer>, DbErr> {
    Ok(match load(state, id).await? {
        None => Err(Answer::Refused(None, SetupAnswer::NotFound)),
        Some((_, _, progress)) if progress.current() < step => {
            Err(Answer::Refused(Some(id), SetupAnswer::StepNotOpen))
        }
        Some((row, setup_checks, _)) => Ok((row, setup_checks)),
    })
}

/// The setup's row, its checks and where it stands.
async fn load(
    state: &AppState,
    id: i32,
) -> Result<Option<(setup::Model, SetupChecks, Progress)>, DbErr> {
    let Some(row) = store::load(&state.db, id).await? else {
        return Ok(None);
    };
    let setup_checks = store::checks_of(&row);
    let progress = progress_of(&state.db, &row, &setup_checks).await?;
    Ok(Some((row, setup_checks, progress)))
}

async fn progress_of(
    db: &impl ConnectionTrait,
    row: &setup::Model,
    setup_checks: &SetupChecks,
) -> Result<Progress, DbErr> {
    let credential = match row.app_registration_id {
        Some(registration) => credential::Entity::find()
            .filter(credential::Column::AppRegistrationId.eq(registration))
            .filter(credential::Column::VerifiedAt.is_not_null())
            .one(db)
            .await?
            .is_some(),
        None => false,
    };
    let addresses = addresses_of(db, row, setup_checks).await?;
    let scope = setup_checks.scope.as_ref().is_some_and(StepCheck::holds) && !addresses.is_empty();
    Ok(Progress {
        tenant: row.tenant_id.is_some(),
        app: row.app_registration_id.is_some() && row.client_id.is_some(),
        credential,
        consent: setup_checks.consent_skipped
            || setup_checks.consent.as_ref().is_some_and(StepCheck::holds),
        scope,
        mailboxes: !addresses.is_empty() && addresses.iter().all(|a| a.mailbox_id.is_some()),
    })
}

/// The setup's addresses, whether the latest scope check reached each, and the mailbox
/// with that address once there is one.
async fn addresses_of(
    db: &impl ConnectionTrait,
    row: &setup::Model,
    setup_checks: &SetupChecks,
) -> Result<Vec<AddressView>, DbErr> {
    let addresses: Vec<String> = row
        .addresses
        .as_deref()
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .filter(|a| !a.is_empty())
        .collect();
    if addresses.is_empty() {
        return Ok(Vec::new());
    }
    let existing: Vec<(i32, String)> = mailbox::Entity::find()
        .select_only()
        .column(mailbox::Column::Id)
        .column(mailbox::Column::Email)
        .into_tuple()
        .all(db)
        .await?;
    let reached = |address: &str| {
        setup_checks.scope.as_ref().is_some_and(|check| {
            check.results.iter().any(|r| {
                r.check == rules::preflight::Check::Mailbox
                    && r.verdict == rules::preflight::Verdict::Passed
                    && r.detail.as_deref() == Some(address)
            })
        })
    };
    Ok(addresses
        .into_iter()
        .map(|address| AddressView {
            reachable: reached(&address),
            mailbox_id: existing
                .iter()
                .find(|(_, email)| email.trim().eq_ignore_ascii_case(&address))
                .map(|(id, _)| *id),
            address,
        })
        .collect())
}

/// Setup `id` as its page shows it; None when it does not exist.
pub async fn view(
    state: &AppState,
    id: i32,
    clock: Clock,
    lang: Lang,
) -> Result<Option<SetupView>, DbErr> {
    let Some((row, setup_checks, progress)) = load(state, id).await? else {
        return Ok(None);
    };
    let registration = match row.app_registration_id {
        Some(registration) => super::app_registrations::list(&state.db, clock, lang)
            .await?
            .into_iter()
            .find(|r| r.id == registration),
        None => None,
    };
    let addresses = addresses_of(&state.db, &row, &setup_checks).await?;
    let scope_script = match (&row.client_id, addresses.is_empty()) {
        (Some(client), false) => {
            let listed: Vec<String> = addresses.iter().map(|a| a.address.clone()).collect();
            let sp = setup_checks
                .service_principal_id
                .as_deref()
                .unwrap_or("<object id>");
            Some(scope_script(client, sp, &listed))
        }
        _ => None,
    };
    Ok(Some(SetupView {
        id,
        tenant_input: row.tenant_input,
        tenant_id: row.tenant_id,
        client_id: row.client_id,
        checks: setup_checks,
        registration,
        addresses,
        current: progress.current(),
        redirect_uri: state.redirect_uri(),
        scope_script,
        updated: clock.show(row.updated_at, lang),
        can_change: false,
    }))
}

/// The start page: the setups not finished yet, newest first.
pub async fn start_page(
    state: &AppState,
    clock: Clock,
    lang: Lang,
    can_change: bool,
) -> Result<SetupStart, DbErr> {
    let mut unfinished = Vec::new();
    for row in store::recent(&state.db).await? {
        let setup_checks = store::checks_of(&row);
        let current = progress_of(&state.db, &row, &setup_checks).await?.current();
        if current != Step::Done {
            unfinished.push(SetupSummary {
                id: row.id,
                tenant_input: row.tenant_input,
                current,
                updated: clock.show(row.updated_at, lang),
            });
        }
    }
    Ok(SetupStart {
        unfinished,
        can_change,
    })
}
