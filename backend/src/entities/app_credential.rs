//! `app_credentials`: see migrations' `m20261219_000013_app_registrations`.

use sea_orm::entity::prelude::*;

/// One credential of an app registration: a client secret or a certificate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_credentials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub app_registration_id: i32,
    /// `secret` or `certificate`: `crate::app_registrations::CredentialKind`.
    pub kind: String,
    /// `[nonce][ciphertext]` of the secret's Value.
    pub secret_encrypted: Option<Vec<u8>>,
    /// The first 3 characters of the secret, shown instead of it.
    pub secret_hint: Option<String>,
    /// The certificate as PEM (public: what is uploaded to Azure).
    pub certificate_pem: Option<String>,
    /// `[nonce][ciphertext]` of the certificate's private key (PKCS#8 PEM).
    pub private_key_encrypted: Option<Vec<u8>>,
    /// SHA-1 thumbprint (hex), as the Azure portal shows it.
    pub thumbprint: Option<String>,
    /// None: not known.
    pub expires_at: Option<DateTimeUtc>,
    pub verified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::app_registration::Entity",
        from = "Column::AppRegistrationId",
        to = "super::app_registration::Column::Id",
        on_delete = "Cascade"
    )]
    Registration,
}

impl Related<super::app_registration::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Registration.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
