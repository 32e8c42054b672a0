//! `connection_attempts`: see migrations' `m20261201_000003_microsoft_connection`.

use sea_orm::entity::prelude::*;

/// One attempt to connect (or refresh, or grant admin consent for) a mailbox, with what
/// Microsoft answered. Never holds a secret in clear.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connection_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub mailbox_id: i32,
    /// `connect`, `refresh`, `admin_consent`, `preflight` or `callback` ([`crate::connect::AttemptKind`]).
    pub kind: String,
    /// SHA-256 (hex) of the `state` sent to Microsoft; None for refreshes.
    pub state_hash: Option<String>,
    /// `[nonce][ciphertext]` of the PKCE code verifier.
    pub pkce_verifier_encrypted: Option<Vec<u8>>,
    /// `select_account` or `login`.
    pub prompt: Option<String>,
    /// The app user who started it, once sign-in exists.
    pub started_by_user_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    /// [`crate::connect::Outcome`].
    pub outcome: String,
    pub error: Option<String>,
    pub error_description: Option<String>,
    /// Microsoft's `error_codes`, comma separated.
    pub error_codes: Option<String>,
    /// `error_subcode` of a redirect (e.g. `cancel`).
    pub error_subcode: Option<String>,
    pub suberror: Option<String>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    /// Microsoft's `timestamp` of the error, as sent.
    pub error_timestamp: Option<String>,
    pub error_uri: Option<String>,
    /// Microsoft's whole error body (JSON), size-capped.
    pub error_body: Option<String>,
    /// Who actually signed in, when it was the wrong account.
    pub signed_in_upn: Option<String>,
    pub signed_in_oid: Option<String>,
    /// A preflight's results ([`rules::preflight::CheckResult`]s as JSON).
    pub details: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
