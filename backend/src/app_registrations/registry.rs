//! Registrations as records: found or created by tenant + client ID, listed with their
//! credentials and mailboxes, deleted only when no mailbox uses them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};

use super::CredentialKind;
use crate::entities::{
    app_credential as credential, app_registration as registration, mailbox,
    mailbox_microsoft_settings as settings,
};

/// The registration of `tenant_id` + `client_id` (as the mailbox form stores them), created
/// when there is none yet. Two saves creating the same one at once: the unique key lets one
/// insert win and the other reads it.
pub async fn find_or_create(
    db: &impl ConnectionTrait,
    tenant_id: &str,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<registration::Model, DbErr> {
    let name = default_name(tenant_id, client_id);
    find_or_create_named(db, tenant_id, client_id, &name, now).await
}

/// As [`find_or_create`], a new one called `display_name` (the name the guided setup had
/// the admin give the app in Azure).
pub async fn find_or_create_named(
    db: &impl ConnectionTrait,
    tenant_id: &str,
    client_id: &str,
    display_name: &str,
    now: DateTime<Utc>,
) -> Result<registration::Model, DbErr> {
    if let Some(found) = find(db, tenant_id, client_id).await? {
        return Ok(found);
    }
    let row = registration::ActiveModel {
        tenant_id: Set(tenant_id.to_string()),
        client_id: Set(client_id.to_string()),
        display_name: Set(display_name.to_string()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    match row.insert(db).await {
        Ok(model) => Ok(model),
        Err(error) => find(db, tenant_id, client_id).await?.ok_or(error),
    }
}

async fn find(
    db: &impl ConnectionTrait,
    tenant_id: &str,
    client_id: &str,
) -> Result<Option<registration::Model>, DbErr> {
    registration::Entity::find()
        .filter(registration::Column::TenantId.eq(tenant_id))
        .filter(registration::Column::ClientId.eq(client_id))
        .one(db)
        .await
}

/// "App 1b2c3d4e (contoso.onmicrosoft.com)": until an admin names it, the client ID's
/// first group and the tenant say which app it is.
fn default_name(tenant_id: &str, client_id: &str) -> String {
    let short = client_id.split('-').next().unwrap_or(client_id);
    format!("App {short} ({tenant_id})")
}

/// One credential as the registration's page shows it: never its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedCredential {
    pub id: i32,
    pub kind: CredentialKind,
    /// A secret's first characters.
    pub hint: Option<String>,
    /// A certificate's SHA-1 thumbprint.
    pub thumbprint: Option<String>,
    /// A certificate as PEM (public).
    pub certificate_pem: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub verified_at: Option<DateTime<Utc>>,
    /// Ids of the mailboxes that authenticate with it.
    pub mailbox_ids: Vec<i32>,
}

/// A registration with its credentials and the mailboxes that use it (id, name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedRegistration {
    pub registration: registration::Model,
    pub credentials: Vec<ListedCredential>,
    pub mailboxes: Vec<(i32, String)>,
}

impl ListedRegistration {
    /// Its mailboxes authenticate with more than one secret: they were saved with different
    /// values before registrations existed (each kept, none lost), or a new secret was
    /// typed for one mailbox only.
    pub fn secrets_differ(&self) -> bool {
        self.credentials
            .iter()
            .filter(|c| !c.mailbox_ids.is_empty())
            .count()
            > 1
    }
}

/// Every registration, by name, in three queries.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<ListedRegistration>, DbErr> {
    let registrations = registration::Entity::find()
        .order_by_asc(registration::Column::DisplayName)
        .order_by_asc(registration::Column::Id)
        .all(db)
        .await?;
    let credentials = credential::Entity::find()
        .order_by_asc(credential::Column::Id)
        .all(db)
        .await?;
    let users: Vec<(settings::Model, Option<mailbox::Model>)> = settings::Entity::find()
        .filter(settings::Column::AppRegistrationId.is_not_null())
        .find_also_related(mailbox::Entity)
        .order_by_asc(settings::Column::MailboxId)
        .all(db)
        .await?;
    Ok(registrations
        .into_iter()
        .map(|registration| {
            let id = registration.id;
            let mine = users
                .iter()
                .filter(|(s, _)| s.app_registration_id == Some(id));
            let mailboxes = mine
                .clone()
                .filter_map(|(s, m)| m.as_ref().map(|m| (s.mailbox_id, m.name.clone())))
                .collect();
            let credentials = credentials
                .iter()
                .filter(|c| c.app_registration_id == id)
                .map(|c| ListedCredential {
                    id: c.id,
                    kind: CredentialKind::parse(&c.kind),
                    hint: c.secret_hint.clone(),
                    thumbprint: c.thumbprint.clone(),
                    certificate_pem: c.certificate_pem.clone(),
                    expires_at: c.expires_at,
                    verified_at: c.verified_at,
                    mailbox_ids: mine
                        .clone()
                        .filter(|(s, _)| s.app_credential_id == Some(c.id))
                        .map(|(s, _)| s.mailbox_id)
                        .collect(),
                })
                .collect();
            ListedRegistration {
                registration,
                credentials,
                mailboxes,
            }
        })
        .collect())
}

/// What became of a delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    NotFound,
    /// Mailboxes use it (their names): nothing was deleted.
    InUse(Vec<String>),
}

/// Deletes registration `id` with its credentials, unless a mailbox uses it: the DELETE
/// itself checks, in one transaction with its credentials.
pub async fn delete<C>(db: &C, id: i32) -> Result<DeleteOutcome, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    let unused = Query::select()
        .expr(Expr::val(1))
        .from(settings::Entity)
        .and_where(Expr::col((settings::Entity, settings::Column::AppRegistrationId)).eq(id))
        .to_owned();
    let txn = db.begin().await?;
    let deleted = registration::Entity::delete_many()
        .filter(registration::Column::Id.eq(id))
        .filter(Expr::exists(unused).not())
        .exec(&txn)
        .await?;
    if deleted.rows_affected > 0 {
        // The foreign key cascades too; SQLite only with its `foreign_keys` pragma.
        credential::Entity::delete_many()
            .filter(credential::Column::AppRegistrationId.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Ok(DeleteOutcome::Deleted);
    }
    txn.rollback().await?;
    let users = settings::Entity::find()
        .filter(settings::Column::AppRegistrationId.eq(id))
        .find_also_related(mailbox::Entity)
        .order_by_asc(settings::Column::MailboxId)
        .all(db)
        .await?;
    if users.is_empty() {
        return Ok(DeleteOutcome::NotFound);
    }
    let names = users
        .into_iter()
        .map(|(s, m)| m.map_or_else(|| format!("#{}", s.mailbox_id), |m| m.name))
        .collect();
    Ok(DeleteOutcome::InUse(names))
}

/// The credential a mailbox newly added to registration `id` uses: the newest one a token
/// request has succeeded with, else the newest one.
pub async fn current_credential(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<credential::Model>, DbErr> {
    let all = credential::Entity::find()
        .filter(credential::Column::AppRegistrationId.eq(id))
        .order_by_desc(credential::Column::Id)
        .all(db)
        .await?;
    let verified = all.iter().position(|c| c.verified_at.is_some());
    Ok(match verified {
        Some(index) => all.into_iter().nth(index),
        None => all.into_iter().next(),
    })
}

/// Registration `id` with the credential a new mailbox of it would use; None when it does
/// not exist.
pub async fn with_current_credential(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(registration::Model, Option<credential::Model>)>, DbErr> {
    let Some(found) = registration::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let current = current_credential(db, id).await?;
    Ok(Some((found, current)))
}

/// The registration of `tenant_id` + `client_id` (as stored) exists and has a credential.
pub async fn has_current_credential(
    db: &impl ConnectionTrait,
    tenant_id: &str,
    client_id: &str,
) -> Result<bool, DbErr> {
    match find(db, tenant_id, client_id).await? {
        Some(found) => Ok(current_credential(db, found.id).await?.is_some()),
        None => Ok(false),
    }
}

/// What became of a rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameOutcome {
    Renamed,
    /// Stored at another version: another admin changed it first; nothing written.
    Conflict,
    NotFound,
}

/// Names registration `id` `display_name` if it is still at `version`.
pub async fn rename(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    display_name: &str,
    now: DateTime<Utc>,
) -> Result<RenameOutcome, DbErr> {
    let updated = registration::Entity::update_many()
        .set(registration::ActiveModel {
            display_name: Set(display_name.to_string()),
            version: Set(version + 1),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(registration::Column::Id.eq(id))
        .filter(registration::Column::Version.eq(version))
        .exec(db)
        .await?;
    if updated.rows_affected > 0 {
        return Ok(RenameOutcome::Renamed);
    }
    let exists = registration::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some();
    Ok(if exists {
        RenameOutcome::Conflict
    } else {
        RenameOutcome::NotFound
    })
}
