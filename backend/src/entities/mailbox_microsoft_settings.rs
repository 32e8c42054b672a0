//! `mailbox_microsoft_settings`: see migrations' `m20261128_000002_mailbox_form`.

use sea_orm::entity::prelude::*;

/// The Microsoft Azure api instellingen of one mailbox.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailbox_microsoft_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: i32,
    /// Application (client) ID, canonical lower-case GUID.
    pub client_id: String,
    /// Directory (tenant) ID or a domain of the tenant.
    pub tenant_id: String,
    /// Object ID of the mailbox's user, canonical lower-case GUID.
    pub object_id: String,
    /// `[nonce][ciphertext]` of the client secret value, for a mailbox saved before app
    /// registrations existed and not yet adopted; None afterwards.
    pub client_secret_encrypted: Option<Vec<u8>>,
    /// The first 3 characters of the secret, shown instead of it.
    pub client_secret_hint: Option<String>,
    /// Set when an Azure field changed: the stored connection no longer fits.
    pub reconnect_needed: bool,
    /// `delegated` (signed in as the mailbox) or `app_only` (the app's own token, no
    /// password): `rules::passwordless::ConnectionMethod`.
    pub connection_method: String,
    /// Why it has that method: `auto_app_only`, `auto_delegated` (chosen when the mailbox
    /// was saved with "Automatisch"), or None (chosen by an administrator):
    /// `rules::passwordless::MethodReason`.
    pub connection_method_reason: Option<String>,
    /// The app registration (tenant + client ID) this mailbox uses; None until the server
    /// adopted a mailbox saved before registrations existed (`app_registrations::adopt`).
    pub app_registration_id: Option<i32>,
    /// The registration's credential this mailbox authenticates with. When set,
    /// `client_secret_encrypted` is None: the secret lives in `app_credentials`.
    pub app_credential_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::mailbox::Entity",
        from = "Column::MailboxId",
        to = "super::mailbox::Column::Id",
        on_delete = "Cascade"
    )]
    Mailbox,
}

impl Related<super::mailbox::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mailbox.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
