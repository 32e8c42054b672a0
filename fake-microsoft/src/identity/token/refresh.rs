//! The refresh_token grant: revocation, inactivity, MFA, consent, and rotation.

use uuid::Uuid;

use super::TokenForm;
use crate::directory::TenantScope;
use crate::identity::aadsts;
use crate::identity::error::AadError;
use crate::identity::issue::{Issuer, TokenResponse, UserGrant};
use crate::identity::scopes::{self, parse_scope};
use crate::state::FakeState;

pub(super) fn redeem_refresh_token(
    state: &mut FakeState,
    issuer: &Issuer<'_>,
    scope: TenantScope,
    client_id: Uuid,
    form: &TokenForm,
) -> Result<TokenResponse, AadError> {
    let now = state.clock.now();
    let token = form
        .refresh_token
        .as_deref()
        .ok_or_else(|| aadsts::missing_parameter("refresh_token"))?;
    let grant = state
        .grants
        .refresh_tokens
        .get(token)
        .cloned()
        .ok_or_else(aadsts::malformed_grant)?;
    if grant.client_id != client_id || scope.tenant_id().is_some_and(|t| t != grant.tenant_id) {
        return Err(aadsts::grant_for_other_client());
    }
    let (_, user) = state
        .directory
        .user(grant.user)
        .ok_or_else(aadsts::malformed_grant)?;
    let user = user.clone();
    if let Some(valid_from) = user.tokens_valid_from.filter(|v| *v > grant.issued_at) {
        return Err(aadsts::grant_revoked(grant.issued_at, valid_from));
    }
    if grant.is_inactive(now) {
        return Err(aadsts::refresh_token_expired(grant.issued_at));
    }
    if user.sign_in_blocked {
        return Err(aadsts::account_disabled());
    }
    if user.mfa_required && !grant.mfa {
        return Err(aadsts::mfa_required());
    }
    let (_, app) = state
        .directory
        .application(client_id)
        .ok_or_else(aadsts::malformed_grant)?;
    let consented = app.consented_scopes(user.object_id).to_vec();
    let requested = match form.scope.as_deref() {
        Some(s) if !s.trim().is_empty() => parse_scope(s),
        _ => grant.scopes.clone(),
    };
    if !scopes::missing_consent(&requested, &consented).is_empty() {
        return Err(aadsts::consent_missing(client_id, &app.display_name));
    }
    let mut granted = scopes::effective_scopes(&requested, &consented);
    // The new refresh token keeps offline access even when the refresh asked only for Graph
    // scopes (Microsoft always rotates).
    if !scopes::contains(&granted, "offline_access") {
        granted.push("offline_access".to_owned());
    }
    let app_name = app.display_name.clone();
    if let Some(stored) = state.grants.refresh_tokens.get_mut(token) {
        stored.uses += 1;
    }
    let user_grant = UserGrant {
        client_id,
        app_name: &app_name,
        tenant_id: grant.tenant_id,
        scopes: granted,
        nonce: None,
        mfa: grant.mfa,
    };
    Ok(issuer.issue_for_user(state, &user, user_grant, now))
}
