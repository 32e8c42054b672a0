//! The token endpoint's decisions (docs/microsoft.md §3): client checks, then one function per
//! grant type (`code`, `refresh`, client credentials here). No I/O: the HTTP handler passes
//! the form and the state.

mod code;
mod refresh;

use serde::Deserialize;
use uuid::Uuid;

use super::aadsts;
use super::client::{
    authenticate_client, find_client, is_installed_in, resolve_tenant, token_audiences, Presented,
};
use super::error::AadError;
use super::issue::{Issuer, TokenResponse};
use super::scopes::{parse_scope, DEFAULT_SCOPE};
use crate::directory::TenantScope;
use crate::state::FakeState;

/// The form posted to `/{tenant}/oauth2/v2.0/token`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenForm {
    /// `authorization_code`, `refresh_token` or `client_credentials`.
    pub grant_type: Option<String>,
    /// Application (client) ID.
    pub client_id: Option<String>,
    /// Client secret value (or from HTTP Basic).
    pub client_secret: Option<String>,
    /// `urn:ietf:params:oauth:client-assertion-type:jwt-bearer` with a certificate.
    pub client_assertion_type: Option<String>,
    /// The signed JWT proving the client (instead of a secret).
    pub client_assertion: Option<String>,
    /// Authorization code.
    pub code: Option<String>,
    /// Redirect URI (must equal the authorize request's).
    pub redirect_uri: Option<String>,
    /// PKCE verifier.
    pub code_verifier: Option<String>,
    /// Refresh token.
    pub refresh_token: Option<String>,
    /// Requested scopes.
    pub scope: Option<String>,
}

/// Answers a token request: the success body or the AADSTS error.
pub fn exchange(
    state: &mut FakeState,
    issuer: &Issuer<'_>,
    tenant_segment: &str,
    form: &TokenForm,
) -> Result<TokenResponse, AadError> {
    let now = state.clock.now();
    let scope = resolve_tenant(&state.directory, tenant_segment)?;
    let grant_type = form
        .grant_type
        .as_deref()
        .ok_or_else(|| aadsts::missing_parameter("grant_type"))?;
    if !matches!(
        grant_type,
        "authorization_code" | "refresh_token" | "client_credentials"
    ) {
        return Err(aadsts::unsupported_grant_type(grant_type));
    }
    let (home, app) = find_client(
        &state.directory,
        scope,
        tenant_segment,
        form.client_id.as_deref(),
    )?;
    let presented = Presented {
        secret: form.client_secret.as_deref(),
        assertion_type: form.client_assertion_type.as_deref(),
        assertion: form.client_assertion.as_deref(),
    };
    let audiences = token_audiences(issuer.base_url, tenant_segment, scope.tenant_id());
    authenticate_client(app, presented, &audiences, now)?;
    let client_id = app.client_id;
    match grant_type {
        "authorization_code" => code::redeem_code(state, issuer, scope, client_id, form),
        "refresh_token" => refresh::redeem_refresh_token(state, issuer, scope, client_id, form),
        _ => client_credentials(state, issuer, scope, home, client_id, form),
    }
}

fn client_credentials(
    state: &mut FakeState,
    issuer: &Issuer<'_>,
    scope: TenantScope,
    home: Uuid,
    client_id: Uuid,
    form: &TokenForm,
) -> Result<TokenResponse, AadError> {
    let now = state.clock.now();
    let tenant_id = scope.tenant_id().ok_or_else(aadsts::no_tenant_identified)?;
    let requested = form
        .scope
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| aadsts::missing_parameter("scope"))?;
    if parse_scope(requested) != [DEFAULT_SCOPE] {
        return Err(aadsts::scope_must_be_default(requested));
    }
    let (_, app) = state
        .directory
        .application(client_id)
        .ok_or_else(aadsts::malformed_grant)?;
    if !is_installed_in(&state.directory, home, app, tenant_id) {
        let tenant_name = state
            .directory
            .tenant(tenant_id)
            .map(|t| t.display_name.clone())
            .unwrap_or_default();
        return Err(aadsts::application_not_found(
            &client_id.to_string(),
            &tenant_name,
        ));
    }
    let roles = if app.admin_consented_in(home, tenant_id) {
        app.application_permissions.clone()
    } else {
        Vec::new()
    };
    let app_name = app.display_name.clone();
    Ok(issuer.issue_for_app(state, client_id, &app_name, tenant_id, roles, now))
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use uuid::Uuid;

    use super::*;
    use crate::directory::Directory;
    use crate::identity::grants::AuthorizationCode;
    use crate::identity::jwt::SigningKey;
    use crate::identity::pkce::{s256_challenge, PkceChallenge, PkceMethod};

    const TENANT: &str = "8c10395e-14fe-46db-a8b6-699ac4a65109";
    const CLIENT: &str = "80aef83a-368f-4a54-a387-8c794cf71106";
    const SECRET: &str = "dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF";
    const REDIRECT: &str = "http://127.0.0.1:3000/api/oauth/ms-azure/callback";
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    fn form(pairs: &[(&str, &str)]) -> TokenForm {
        let map: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
        serde_json::to_value(map)
            .and_then(serde_json::from_value)
            .unwrap_or_default()
    }

    fn run(state: &mut FakeState, pairs: &[(&str, &str)]) -> Result<TokenResponse, u32> {
        let Ok(keys) = SigningKey::load() else {
            panic!("key loads")
        };
        let issuer = Issuer {
            keys: &keys,
            base_url: "http://fake",
        };
        exchange(state, &issuer, TENANT, &form(pairs)).map_err(|e| e.code)
    }

    fn state_with_code(code: &str) -> FakeState {
        let mut state = FakeState::new(Directory::demo().unwrap_or_default());
        let (Ok(client_id), Ok(tenant_id)) = (Uuid::parse_str(CLIENT), Uuid::parse_str(TENANT))
        else {
            panic!("GUIDs")
        };
        let user = state.directory.tenants[0].users[0].object_id;
        let now = state.now();
        state.grants.codes.insert(
            code.into(),
            AuthorizationCode {
                client_id,
                tenant_id,
                user,
                redirect_uri: REDIRECT.into(),
                scopes: vec!["openid".into(), "offline_access".into(), "Mail.Read".into()],
                pkce: Some(PkceChallenge {
                    challenge: s256_challenge(VERIFIER),
                    method: PkceMethod::S256,
                }),
                nonce: None,
                issued_at: now,
                redeemed_at: None,
                mfa: false,
            },
        );
        state
    }

    fn redeem<'a>(code: &'a str, verifier: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ]
    }

    #[test]
    fn client_credentials_roles_follow_admin_consent() {
        let mut state = FakeState::new(Directory::demo().unwrap_or_default());
        let pairs = [
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("scope", "https://graph.microsoft.com/.default"),
        ];
        let token = run(&mut state, &pairs).map(|t| t.access_token);
        let roles = token
            .ok()
            .and_then(|t| crate::identity::issue::claims(&t))
            .map(|c| c["roles"].clone());
        assert_eq!(
            roles,
            Some(serde_json::json!([
                "Mail.Read",
                "Mail.ReadWrite",
                "Mail.Send"
            ]))
        );
        assert_eq!(run(&mut state, &pairs[..3]).err(), Some(900144));
    }

    #[test]
    fn codes_check_verifier_then_burn_on_success() {
        let mut state = state_with_code("c1");
        assert_eq!(
            run(&mut state, &redeem("c1", "x".repeat(43).as_str())).err(),
            Some(501481)
        );
        let tokens = run(&mut state, &redeem("c1", VERIFIER));
        assert!(tokens
            .as_ref()
            .is_ok_and(|t| t.refresh_token.is_some() && t.id_token.is_some()));
        assert_eq!(run(&mut state, &redeem("c1", VERIFIER)).err(), Some(54005));
    }

    #[test]
    fn codes_expire() {
        let mut state = state_with_code("c2");
        state.clock.advance(Duration::minutes(11));
        assert_eq!(run(&mut state, &redeem("c2", VERIFIER)).err(), Some(70008));
    }

    #[test]
    fn refresh_tokens_rotate_and_honour_mfa_and_revocation() {
        let mut state = state_with_code("c3");
        let Ok(first) = run(&mut state, &redeem("c3", VERIFIER)) else {
            panic!("redeems")
        };
        let first_refresh = first.refresh_token.unwrap_or_default();
        let refresh = |token: &str| -> Vec<(&str, String)> {
            vec![
                ("grant_type", "refresh_token".into()),
                ("client_id", CLIENT.into()),
                ("client_secret", SECRET.into()),
                ("refresh_token", token.into()),
            ]
        };
        let pairs = refresh(&first_refresh);
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let second = run(&mut state, &borrowed).map(|t| t.refresh_token);
        assert!(matches!(&second, Ok(Some(new)) if *new != first_refresh));
        state.directory.tenants[0].users[0].mfa_required = true;
        assert_eq!(run(&mut state, &borrowed).err(), Some(50076));
        state.directory.tenants[0].users[0].mfa_required = false;
        state.clock.advance(Duration::seconds(1));
        state.directory.tenants[0].users[0].tokens_valid_from = Some(state.now());
        assert_eq!(run(&mut state, &borrowed).err(), Some(50173));
    }
}
