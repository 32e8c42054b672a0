//! The authorization_code grant: single use, 10 minutes, same redirect URI, PKCE.

use uuid::Uuid;

use super::TokenForm;
use crate::directory::{Platform, TenantScope};
use crate::identity::aadsts;
use crate::identity::error::AadError;
use crate::identity::grants::AuthorizationCode;
use crate::identity::issue::{Issuer, TokenResponse, UserGrant};
use crate::identity::scopes;
use crate::state::FakeState;

pub(super) fn redeem_code(
    state: &mut FakeState,
    issuer: &Issuer<'_>,
    scope: TenantScope,
    client_id: Uuid,
    form: &TokenForm,
) -> Result<TokenResponse, AadError> {
    let now = state.clock.now();
    let code = form
        .code
        .as_deref()
        .ok_or_else(|| aadsts::missing_parameter("code"))?;
    let grant = state
        .grants
        .codes
        .get(code)
        .cloned()
        .ok_or_else(aadsts::malformed_grant)?;
    check_code(state, &grant, scope, client_id, form)?;
    let (_, app) = state
        .directory
        .application(client_id)
        .ok_or_else(aadsts::malformed_grant)?;
    let missing = scopes::missing_consent(&grant.scopes, app.consented_scopes(grant.user));
    if !missing.is_empty() {
        return Err(aadsts::consent_missing(client_id, &app.display_name));
    }
    let app_name = app.display_name.clone();
    let (_, user) = state
        .directory
        .user(grant.user)
        .ok_or_else(aadsts::malformed_grant)?;
    let user = user.clone();
    if let Some(stored) = state.grants.codes.get_mut(code) {
        stored.redeemed_at = Some(now);
    }
    let user_grant = UserGrant {
        client_id,
        app_name: &app_name,
        tenant_id: grant.tenant_id,
        scopes: grant.scopes,
        nonce: grant.nonce,
        mfa: grant.mfa,
    };
    Ok(issuer.issue_for_user(state, &user, user_grant, now))
}

/// The checks on a presented code, in Microsoft's order. A failed PKCE or redirect URI check
/// leaves the code unredeemed (likely: Microsoft does not document burning it).
fn check_code(
    state: &FakeState,
    grant: &AuthorizationCode,
    scope: TenantScope,
    client_id: Uuid,
    form: &TokenForm,
) -> Result<(), AadError> {
    if grant.client_id != client_id {
        return Err(aadsts::grant_for_other_client());
    }
    if grant.redeemed_at.is_some() {
        return Err(aadsts::code_already_redeemed());
    }
    if scope.tenant_id().is_some_and(|t| t != grant.tenant_id) {
        return Err(aadsts::code_for_other_tenant());
    }
    if grant.is_expired(state.clock.now()) {
        return Err(aadsts::code_expired());
    }
    let redirect_uri = form
        .redirect_uri
        .as_deref()
        .ok_or_else(|| aadsts::missing_parameter("redirect_uri"))?;
    if redirect_uri != grant.redirect_uri {
        return Err(aadsts::redirect_uri_differs(
            redirect_uri,
            &grant.redirect_uri,
        ));
    }
    let registered_as_spa = state
        .directory
        .application(client_id)
        .and_then(|(_, app)| app.redirect_uri(redirect_uri))
        .is_some_and(|r| r.platform == Platform::Spa);
    if registered_as_spa {
        return Err(aadsts::spa_redirect_uri());
    }
    if let Some(challenge) = &grant.pkce {
        let verifier = form
            .code_verifier
            .as_deref()
            .ok_or_else(|| aadsts::missing_parameter("code_verifier"))?;
        if !challenge.is_answered_by(verifier) {
            return Err(aadsts::pkce_mismatch());
        }
    }
    Ok(())
}
