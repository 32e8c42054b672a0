//! The shapes of admin changes: patches for users and apps, new secrets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::directory::{ExchangeRoleAssignment, RedirectUri};
use crate::ids::random_bytes;

/// Fields of a user to change; absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// Display name.
    pub display_name: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// Exchange Online mailbox present.
    pub mailbox_enabled: Option<bool>,
    /// MFA required (refresh tokens without MFA then fail with AADSTS50076).
    pub mfa_required: Option<bool>,
    /// Global Administrator.
    pub admin: Option<bool>,
    /// Sign-in blocked (AADSTS50057 on the sign-in page; app-only Graph unaffected).
    pub sign_in_blocked: Option<bool>,
    /// Primary SMTP address when it differs from the UPN; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub mail: Option<Option<String>>,
}

/// Fields of an app registration to change; absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationPatch {
    /// Display name.
    pub display_name: Option<String>,
    /// Multitenant.
    pub multitenant: Option<bool>,
    /// Redirect URIs (replaces the list).
    pub redirect_uris: Option<Vec<RedirectUri>>,
    /// Application permissions (replaces the list).
    pub application_permissions: Option<Vec<String>>,
    /// Admin consent in the home tenant.
    pub admin_consent_granted: Option<bool>,
    /// Admin consent in other tenants (replaces the list).
    pub admin_consent_other_tenants: Option<Vec<Uuid>>,
    /// Assignment required.
    pub assignment_required: Option<bool>,
    /// Assigned users (replaces the list).
    pub assigned_users: Option<Vec<Uuid>>,
    /// Application access policy; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub mailbox_access_policy: Option<Option<Vec<Uuid>>>,
    /// Exchange RBAC for Applications role assignments (replaces the list).
    pub exchange_role_assignments: Option<Vec<ExchangeRoleAssignment>>,
}

/// A secret to add; absent fields are generated (value in the current 40-character
/// `xxx8Q~…` format, expiry in two years).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClientSecret {
    /// Secret ID.
    pub secret_id: Option<Uuid>,
    /// Value.
    pub value: Option<String>,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A certificate to upload (its public part, PEM); start and end default to the
/// certificate's own validity, the key ID is generated when absent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClientCertificate {
    /// Key ID.
    pub key_id: Option<Uuid>,
    /// The certificate, PEM (`-----BEGIN CERTIFICATE-----`).
    pub certificate_pem: String,
    /// Valid from.
    pub start_at: Option<DateTime<Utc>>,
    /// Valid until.
    pub end_at: Option<DateTime<Utc>>,
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A secret value in Microsoft's current format: 3 characters, `8Q~`, 34 characters.
pub fn new_secret_value() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-";
    let chars: Vec<char> = random_bytes(3)
        .iter()
        .take(37)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    let (head, tail) = chars.split_at(3);
    format!(
        "{}8Q~{}",
        head.iter().collect::<String>(),
        tail[..34].iter().collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_have_the_current_format() {
        let value = new_secret_value();
        assert_eq!(value.len(), 40);
        assert_eq!(&value[3..6], "8Q~");
    }
}
