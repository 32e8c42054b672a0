//! `mailbox_tokens`: see migrations' `m20261201_000003_microsoft_connection`.

use sea_orm::entity::prelude::*;

/// The delegated tokens of a connected mailbox, encrypted, and the refresh lease.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailbox_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: i32,
    /// `[nonce][ciphertext]` of the access token.
    pub access_token_encrypted: Vec<u8>,
    /// `[nonce][ciphertext]` of the latest refresh token.
    pub refresh_token_encrypted: Option<Vec<u8>>,
    /// When the access token expires.
    pub expires_at: DateTimeUtc,
    /// The granted scopes, space separated, as Microsoft returned them.
    pub scopes: String,
    pub signed_in_upn: Option<String>,
    /// The `oid` of the account that signed in (equals the mailbox's Object ID).
    pub signed_in_oid: String,
    pub connected_at: DateTimeUtc,
    pub refreshed_at: DateTimeUtc,
    /// Who holds the refresh lease (random per refresher).
    pub refresh_lease_holder: Option<String>,
    /// Until when the lease holds; an expired lease may be taken over.
    pub refresh_lease_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
