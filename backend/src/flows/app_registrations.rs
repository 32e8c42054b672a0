//! The app registrations page's use cases (issue 19): the list with each credential's
//! expiry, and an admin entering the "Verloopt" date Azure shows for a secret.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

use rules::app_registrations::answer::RegistrationAnswer;
use rules::app_registrations::{
    parse_expiry_date, CredentialView, Expiry, MailboxLink, RegistrationView,
};
use rules::i18n::Lang;
use rules::time::Clock;

use crate::app_registrations::{self as store, CredentialKind, ListedRegistration};
use crate::entities::app_credential as credential;
use crate::AppState;

/// Every app registration as the page shows it, worded against `clock`.
pub async fn list(
    db: &impl ConnectionTrait,
    clock: Clock,
    lang: Lang,
) -> Result<Vec<RegistrationView>, DbErr> {
    Ok(store::list(db)
        .await?
        .into_iter()
        .map(|listed| view(listed, clock, lang))
        .collect())
}

fn view(listed: ListedRegistration, clock: Clock, lang: Lang) -> RegistrationView {
    let secrets_differ = listed.secrets_differ();
    let ListedRegistration {
        registration,
        credentials,
        mailboxes,
    } = listed;
    RegistrationView {
        id: registration.id,
        version: registration.version,
        display_name: registration.display_name,
        tenant_id: registration.tenant_id,
        client_id: registration.client_id,
        credentials: credentials
            .into_iter()
            .map(|c| {
                let certificate = c.kind == CredentialKind::Certificate;
                let label = if certificate {
                    c.thumbprint.unwrap_or_default()
                } else {
                    format!("{}…", c.hint.unwrap_or_default())
                };
                CredentialView {
                    id: c.id,
                    certificate,
                    label,
                    expires: c.expires_at.map(|at| clock.show_date(at, lang)),
                    expiry: Expiry::at(c.expires_at, clock.now),
                    verified: c.verified_at.map(|at| clock.show(at, lang)),
                    mailboxes: u32::try_from(c.mailbox_ids.len()).unwrap_or(u32::MAX),
                    certificate_base64: c.certificate_pem.map(|pem| {
                        use base64::Engine as _;
                        base64::engine::general_purpose::STANDARD.encode(pem)
                    }),
                }
            })
            .collect(),
        mailboxes: mailboxes
            .into_iter()
            .map(|(id, name)| MailboxLink { id, name })
            .collect(),
        secrets_differ,
    }
}

/// Records `text` (a date, `2027-06-30`) as credential `id`'s end: the end of that day in
/// the installation's zone. A date already past or beyond Azure's 24 months is refused and
/// nothing changes.
pub async fn set_expiry(
    db: &impl ConnectionTrait,
    id: i32,
    text: &str,
    clock: Clock,
) -> Result<RegistrationAnswer, DbErr> {
    let expires_at = match parse_expiry_date(text, &clock) {
        Ok(at) => at,
        Err(error) => return Ok(RegistrationAnswer::ExpiryRefused(error)),
    };
    let Some(row) = credential::Entity::find_by_id(id).one(db).await? else {
        return Ok(RegistrationAnswer::NotFound);
    };
    let mut row: credential::ActiveModel = row.into();
    row.expires_at = Set(Some(expires_at));
    row.update(db).await?;
    Ok(RegistrationAnswer::ExpirySaved)
}

/// A credential that needs the admin's attention, for the daily log line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expiring {
    pub registration: String,
    pub credential_id: i32,
    pub expiry: Expiry,
    pub expires_at: Option<DateTime<Utc>>,
    pub mailboxes: usize,
}

/// Every credential that mailboxes use and that ends within 30 days or has ended, as of
/// `now`.
pub async fn expiring(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<Expiring>, DbErr> {
    let mut found = Vec::new();
    for listed in store::list(db).await? {
        for c in &listed.credentials {
            let expiry = Expiry::at(c.expires_at, now);
            if c.mailbox_ids.is_empty() || !expiry.needs_attention() {
                continue;
            }
            found.push(Expiring {
                registration: listed.registration.display_name.clone(),
                credential_id: c.id,
                expiry,
                expires_at: c.expires_at,
                mailboxes: c.mailbox_ids.len(),
            });
        }
    }
    Ok(found)
}

/// Logs each credential [`expiring`] finds: the server does this every day, so an operator
/// watching the log hears of it as early as the page says it.
pub async fn log_expiring(state: &AppState, now: DateTime<Utc>) {
    match expiring(&state.db, now).await {
        Ok(found) => {
            for e in found {
                let days_left = match e.expiry {
                    Expiry::Soon { days_left } | Expiry::Urgent { days_left } => days_left,
                    _ => 0,
                };
                tracing::warn!(
                    app_registration = %e.registration,
                    credential_id = e.credential_id,
                    expired = e.expiry == Expiry::Expired,
                    days_left,
                    expires_at = ?e.expires_at,
                    mailboxes = e.mailboxes,
                    "an app registration's secret or certificate expires soon or has expired: \
                     add a new one under Instellingen > App-registraties"
                );
            }
        }
        Err(error) => tracing::warn!(%error, "checking credential expiry failed"),
    }
}
