//! Minting tokens: id_tokens and Graph access tokens as RS256 JWTs, refresh tokens as opaque
//! strings, and the token endpoint's success body (docs/microsoft.md §3–§4).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use super::aadsts::GRAPH_APP_ID;
use super::grants::{AccessGrant, AccessSubject, RefreshGrant, ACCESS_TOKEN_SECONDS};
use super::jwt::SigningKey;
use super::scopes::{self, response_scope};
use crate::directory::User;
use crate::ids::{base64url, opaque_token};
use crate::state::FakeState;

/// The token endpoint's success body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// Always `Bearer`.
    pub token_type: String,
    /// Granted scopes (absent for client credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Seconds the access token lives.
    pub expires_in: i64,
    /// Seconds the access token lives during an outage.
    pub ext_expires_in: i64,
    /// The Graph access token.
    pub access_token: String,
    /// A new refresh token (with `offline_access`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The id_token (with `openid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

/// Signs tokens on behalf of one fake server (its key and base URL).
#[derive(Debug, Clone, Copy)]
pub struct Issuer<'a> {
    /// The signing key.
    pub keys: &'a SigningKey,
    /// The fake's base URL, e.g. `http://127.0.0.1:9000`.
    pub base_url: &'a str,
}

/// A delegated token request that passed every check.
#[derive(Debug, Clone)]
pub struct UserGrant<'a> {
    /// The client.
    pub client_id: Uuid,
    /// The client's display name.
    pub app_name: &'a str,
    /// The user's tenant.
    pub tenant_id: Uuid,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// OpenID Connect nonce.
    pub nonce: Option<String>,
    /// Whether the sign-in satisfied MFA (carried by the refresh token).
    pub mfa: bool,
}

impl Issuer<'_> {
    /// `{base}/{tid}/v2.0`: the id_token issuer.
    pub fn issuer(&self, tenant_id: Uuid) -> String {
        format!("{}/{tenant_id}/v2.0", self.base_url)
    }

    /// Issues access, refresh (with `offline_access`) and id (with `openid`) tokens for a
    /// user, recording them in `state`.
    pub fn issue_for_user(
        &self,
        state: &mut FakeState,
        user: &User,
        grant: UserGrant<'_>,
        now: DateTime<Utc>,
    ) -> TokenResponse {
        let access = AccessGrant {
            client_id: grant.client_id,
            tenant_id: grant.tenant_id,
            expires_at: now + Duration::seconds(ACCESS_TOKEN_SECONDS),
            subject: AccessSubject::User {
                object_id: user.object_id,
                scopes: grant.scopes.clone(),
            },
        };
        let access_token = self.access_token(&access, grant.app_name, Some(user), now);
        state
            .grants
            .access_tokens
            .insert(access_token.clone(), access);
        let refresh_token = scopes::contains(&grant.scopes, "offline_access").then(|| {
            let token = opaque_token(8);
            state.grants.refresh_tokens.insert(
                token.clone(),
                RefreshGrant {
                    client_id: grant.client_id,
                    tenant_id: grant.tenant_id,
                    user: user.object_id,
                    scopes: grant.scopes.clone(),
                    issued_at: now,
                    mfa: grant.mfa,
                    uses: 0,
                },
            );
            token
        });
        let id_token =
            scopes::contains(&grant.scopes, "openid").then(|| self.id_token(user, &grant, now));
        TokenResponse {
            token_type: "Bearer".into(),
            scope: Some(response_scope(&grant.scopes)),
            expires_in: ACCESS_TOKEN_SECONDS,
            ext_expires_in: ACCESS_TOKEN_SECONDS,
            access_token,
            refresh_token,
            id_token,
        }
    }

    /// Issues an app-only access token (client credentials); `roles` is empty without admin
    /// consent, and then the claim is left out, as Microsoft does.
    pub fn issue_for_app(
        &self,
        state: &mut FakeState,
        client_id: Uuid,
        app_name: &str,
        tenant_id: Uuid,
        roles: Vec<String>,
        now: DateTime<Utc>,
    ) -> TokenResponse {
        let access = AccessGrant {
            client_id,
            tenant_id,
            expires_at: now + Duration::seconds(ACCESS_TOKEN_SECONDS),
            subject: AccessSubject::App { roles },
        };
        let access_token = self.access_token(&access, app_name, None, now);
        state
            .grants
            .access_tokens
            .insert(access_token.clone(), access);
        TokenResponse {
            token_type: "Bearer".into(),
            scope: None,
            expires_in: ACCESS_TOKEN_SECONDS,
            ext_expires_in: ACCESS_TOKEN_SECONDS,
            access_token,
            refresh_token: None,
            id_token: None,
        }
    }

    fn id_token(&self, user: &User, grant: &UserGrant<'_>, now: DateTime<Utc>) -> String {
        let mut claims = json!({
            "aud": grant.client_id,
            "iss": self.issuer(grant.tenant_id),
            "iat": now.timestamp(),
            "nbf": now.timestamp(),
            "exp": now.timestamp() + 3600,
            "sub": pairwise_subject(grant.client_id, user.object_id),
            "tid": grant.tenant_id,
            "ver": "2.0",
            "uti": base64url(&crate::ids::random_bytes(1)),
        });
        // `oid`, `name` and `preferred_username` need the `profile` scope (docs/microsoft.md §4).
        if scopes::contains(&grant.scopes, "profile") {
            claims["oid"] = json!(user.object_id);
            claims["name"] = json!(user.display_name);
            claims["preferred_username"] = json!(user.user_principal_name);
        }
        if scopes::contains(&grant.scopes, "email") {
            claims["email"] = json!(user.mail());
        }
        if let Some(nonce) = &grant.nonce {
            claims["nonce"] = json!(nonce);
        }
        self.keys.sign(&claims)
    }

    fn access_token(
        &self,
        grant: &AccessGrant,
        app_name: &str,
        user: Option<&User>,
        now: DateTime<Utc>,
    ) -> String {
        let mut claims = json!({
            "aud": "https://graph.microsoft.com",
            "iss": format!("{}/{}/", self.base_url, grant.tenant_id),
            "iat": now.timestamp(),
            "nbf": now.timestamp(),
            "exp": grant.expires_at.timestamp(),
            "app_displayname": app_name,
            "appid": grant.client_id,
            "tid": grant.tenant_id,
            "uti": base64url(&crate::ids::random_bytes(1)),
            "ver": "1.0",
            "xms_resource": GRAPH_APP_ID,
        });
        match (&grant.subject, user) {
            (AccessSubject::User { scopes, .. }, Some(user)) => {
                claims["idtyp"] = json!("user");
                claims["oid"] = json!(user.object_id);
                claims["sub"] = json!(pairwise_subject(grant.client_id, user.object_id));
                claims["name"] = json!(user.display_name);
                claims["upn"] = json!(user.user_principal_name);
                claims["unique_name"] = json!(user.user_principal_name);
                claims["scp"] = json!(scopes::access_token_scp(scopes));
            }
            (AccessSubject::App { roles }, _) => {
                let service_principal = service_principal_id(grant.client_id, grant.tenant_id);
                claims["idtyp"] = json!("app");
                claims["oid"] = json!(service_principal);
                claims["sub"] = json!(service_principal);
                if !roles.is_empty() {
                    claims["roles"] = json!(roles);
                }
            }
            (AccessSubject::User { .. }, None) => {}
        }
        self.keys.sign(&claims)
    }
}

/// The id_token `sub`: stable per user and app, as Microsoft's pairwise subject.
fn pairwise_subject(client_id: Uuid, user: Uuid) -> String {
    let input = format!("{client_id}:{user}");
    base64url(ring::digest::digest(&ring::digest::SHA256, input.as_bytes()).as_ref())
}

/// The object ID of the app's service principal in a tenant (stable, derived).
pub fn service_principal_id(client_id: Uuid, tenant_id: Uuid) -> Uuid {
    let input = format!("{client_id}:{tenant_id}");
    let digest = ring::digest::digest(&ring::digest::SHA256, input.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    Uuid::from_bytes(bytes)
}

/// Claims of a token the fake issued (tests read `roles`, `scp`, `oid` with it).
pub fn claims(token: &str) -> Option<Value> {
    super::jwt::decode_claims(token)
}
