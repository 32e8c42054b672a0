//! `connection_attempts` data access: create, find by state, claim once, record the end.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::attempt::{same_hash, state_hash, AttemptKind, Outcome, ATTEMPT_LIFETIME};
use super::callback_query::RedirectError;
use crate::entities::connection_attempt as attempt;
use crate::microsoft::identity::id_token::SignedInAccount;
use crate::microsoft::identity::microsoft_error::{Diagnostics, MicrosoftError};
use crate::microsoft::identity::token_client::TokenFailure;

/// A new attempt. The state is given only as its hash; the verifier only encrypted.
#[derive(Clone, Debug)]
pub struct NewAttempt {
    pub mailbox_id: i32,
    pub kind: AttemptKind,
    pub state_hash: Option<String>,
    pub pkce_verifier_encrypted: Option<Vec<u8>>,
    pub prompt: Option<String>,
    pub started_by_user_id: Option<i32>,
}

/// Inserts a pending attempt that expires 10 minutes after `now`; returns its id.
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewAttempt,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let model = attempt::ActiveModel {
        mailbox_id: Set(new.mailbox_id),
        kind: Set(new.kind.as_str().to_string()),
        state_hash: Set(new.state_hash),
        pkce_verifier_encrypted: Set(new.pkce_verifier_encrypted),
        prompt: Set(new.prompt),
        started_by_user_id: Set(new.started_by_user_id),
        created_at: Set(now),
        expires_at: Set(now + ATTEMPT_LIFETIME),
        outcome: Set(Outcome::Pending.as_str().to_string()),
        ..Default::default()
    };
    Ok(model.insert(db).await?.id)
}

/// The attempt a returning `state` belongs to. Looked up by its SHA-256, then compared in
/// constant time.
pub async fn find_by_state(
    db: &impl ConnectionTrait,
    state: &str,
) -> Result<Option<attempt::Model>, DbErr> {
    let hash = state_hash(state);
    let found = attempt::Entity::find()
        .filter(attempt::Column::StateHash.eq(hash.as_str()))
        .one(db)
        .await?;
    Ok(found.filter(|row| {
        row.state_hash
            .as_deref()
            .is_some_and(|stored| same_hash(stored, &hash))
    }))
}

/// Marks a pending, unexpired attempt as being redeemed. Exactly one caller gets `true`,
/// however many callbacks arrive at once: the condition is checked by the database.
pub async fn claim(db: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = attempt::Entity::update_many()
        .col_expr(
            attempt::Column::Outcome,
            Expr::value(Outcome::Redeeming.as_str()),
        )
        .filter(attempt::Column::Id.eq(id))
        .filter(attempt::Column::Outcome.eq(Outcome::Pending.as_str()))
        .filter(attempt::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// What an attempt ended with, beyond its outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorRecord {
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub error_codes: Option<String>,
    pub error_subcode: Option<String>,
    pub suberror: Option<String>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    pub error_timestamp: Option<String>,
    pub error_uri: Option<String>,
    pub error_body: Option<String>,
    pub signed_in_upn: Option<String>,
    pub signed_in_oid: Option<String>,
    /// A preflight's results as JSON.
    pub details: Option<String>,
}

const MAX_BODY: usize = 16 * 1024;

impl ErrorRecord {
    /// The token endpoint's error body, whole.
    pub fn from_microsoft(error: &MicrosoftError) -> Self {
        let codes: Vec<String> = error.error_codes.iter().map(u32::to_string).collect();
        ErrorRecord {
            error: Some(error.error.clone()),
            error_description: error.error_description.clone(),
            error_codes: (!codes.is_empty()).then(|| codes.join(",")),
            suberror: error.suberror.clone(),
            trace_id: error.trace_id.clone(),
            correlation_id: error.correlation_id.clone(),
            error_timestamp: error.timestamp.clone(),
            error_uri: error.error_uri.clone(),
            error_body: Some(error.to_json()),
            ..ErrorRecord::default()
        }
    }

    /// An error on the redirect: the IDs only exist inside the description.
    pub fn from_redirect(error: &RedirectError) -> Self {
        let diagnostics = error
            .error_description
            .as_deref()
            .map(Diagnostics::from_description)
            .unwrap_or_default();
        ErrorRecord {
            error: Some(error.error.clone()),
            error_description: error.error_description.clone(),
            error_codes: diagnostics.aadsts.map(|code| code.to_string()),
            error_subcode: error.error_subcode.clone(),
            trace_id: diagnostics.trace_id,
            correlation_id: diagnostics.correlation_id,
            error_timestamp: diagnostics.timestamp,
            error_uri: error.error_uri.clone(),
            ..ErrorRecord::default()
        }
    }

    /// A token request that failed, with whatever Microsoft (or the network) said.
    pub fn from_failure(failure: &TokenFailure) -> Self {
        let local = |error: &str, description: String, body: Option<String>| ErrorRecord {
            error: Some(error.to_string()),
            error_description: Some(description),
            error_body: body,
            ..ErrorRecord::default()
        };
        match failure {
            TokenFailure::Microsoft(error) => Self::from_microsoft(error),
            TokenFailure::Timeout => local("timeout", failure.to_string(), None),
            TokenFailure::Unreachable(detail) => local("unreachable", detail.clone(), None),
            TokenFailure::Malformed { detail, body } => {
                local("malformed_response", detail.clone(), body.clone())
            }
            TokenFailure::BadUrl(error) => local("bad_url", error.to_string(), None),
            TokenFailure::Credential(error) => local("credential", error.to_string(), None),
        }
    }

    /// Another account signed in.
    pub fn wrong_account(account: &SignedInAccount) -> Self {
        ErrorRecord {
            error: Some("wrong_account".into()),
            signed_in_upn: account.upn.clone(),
            signed_in_oid: Some(account.object_id.clone()),
            ..ErrorRecord::default()
        }
    }

    /// An account without the mailbox's address signed in (the mailbox has no Object ID).
    pub fn wrong_address(account: &SignedInAccount) -> Self {
        ErrorRecord {
            error: Some("wrong_address".into()),
            ..Self::wrong_account(account)
        }
    }

    /// A problem found by this app rather than by Microsoft.
    pub fn local(error: &str, description: String) -> Self {
        ErrorRecord {
            error: Some(error.to_string()),
            error_description: Some(description),
            ..ErrorRecord::default()
        }
    }
}

/// The details of attempt `id` while it is under way (a preflight's checks so far).
pub async fn set_details(
    db: &impl ConnectionTrait,
    id: i32,
    details: Option<String>,
) -> Result<(), DbErr> {
    attempt::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        details: Set(details),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Records how attempt `id` ended.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i32,
    outcome: Outcome,
    record: ErrorRecord,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let cap = |value: Option<String>, max: usize| {
        value.map(|text| match text.char_indices().nth(max) {
            Some((end, _)) => text[..end].to_string(),
            None => text,
        })
    };
    crate::telemetry::connection_attempt_finished(outcome, record.error_codes.as_deref());
    let row = attempt::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        outcome: Set(outcome.as_str().to_string()),
        completed_at: Set(Some(now)),
        error: Set(cap(record.error, 128)),
        error_description: Set(cap(record.error_description, 4000)),
        error_codes: Set(cap(record.error_codes, 255)),
        error_subcode: Set(cap(record.error_subcode, 64)),
        suberror: Set(cap(record.suberror, 64)),
        trace_id: Set(cap(record.trace_id, 64)),
        correlation_id: Set(cap(record.correlation_id, 64)),
        error_timestamp: Set(cap(record.error_timestamp, 64)),
        error_uri: Set(cap(record.error_uri, 512)),
        error_body: Set(cap(record.error_body, MAX_BODY)),
        signed_in_upn: Set(cap(record.signed_in_upn, 255)),
        signed_in_oid: Set(cap(record.signed_in_oid, 64)),
        details: Set(cap(record.details, MAX_BODY)),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// The mailbox's latest attempt of any kind.
pub async fn latest(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
) -> Result<Option<attempt::Model>, DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::MailboxId.eq(mailbox_id))
        .order_by_desc(attempt::Column::Id)
        .one(db)
        .await
}

/// The mailbox's latest attempt that says something about its connection: refused
/// callbacks (a reload, a second tab) only go in the history.
pub async fn latest_for_status(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
) -> Result<Option<attempt::Model>, DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::MailboxId.eq(mailbox_id))
        .filter(attempt::Column::Kind.ne(AttemptKind::Callback.as_str()))
        .order_by_desc(attempt::Column::Id)
        .one(db)
        .await
}

/// The mailbox's attempts, newest first, at most `limit`.
pub async fn history(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    limit: u64,
) -> Result<Vec<attempt::Model>, DbErr> {
    use sea_orm::QuerySelect;
    attempt::Entity::find()
        .filter(attempt::Column::MailboxId.eq(mailbox_id))
        .order_by_desc(attempt::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
