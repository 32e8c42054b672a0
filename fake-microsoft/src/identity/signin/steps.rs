//! The step decisions: prompts and signed-in accounts first, then tenant, assignment and
//! consent checks once a user is known.

use uuid::Uuid;

use super::{FlowKind, SignInFlow, Step};
use crate::directory::{Directory, TenantScope};
use crate::identity::aadsts;
use crate::identity::authorize::Prompt;
use crate::identity::error::AadError;
use crate::identity::scopes;

/// The first page of a flow, given the accounts signed in to this browser.
pub fn first_step(directory: &Directory, flow: &SignInFlow, signed_in: &[Uuid]) -> Step {
    let hint = flow.kind.login_hint();
    let hinted = hint.and_then(|h| {
        signed_in.iter().copied().find(|id| {
            directory
                .user(*id)
                .is_some_and(|(_, u)| u.user_principal_name.eq_ignore_ascii_case(h))
        })
    });
    let login = || Step::Login {
        login_hint: hint.map(str::to_owned),
        error: None,
    };
    match flow.kind.prompt() {
        Prompt::Login => login(),
        Prompt::SelectAccount if signed_in.is_empty() => login(),
        Prompt::SelectAccount => Step::Picker {
            accounts: signed_in.to_vec(),
        },
        Prompt::None => match (hinted, signed_in) {
            (Some(user), _) => after_sign_in(directory, flow, user),
            (None, [only]) if hint.is_none() => after_sign_in(directory, flow, *only),
            (None, [_, _, ..]) if hint.is_none() => Step::Redirect(Box::new(
                flow.kind.error_redirect(aadsts::interaction_required()),
            )),
            _ => Step::Redirect(Box::new(flow.kind.error_redirect(aadsts::login_required()))),
        },
        Prompt::Unspecified | Prompt::Consent => match (hinted, signed_in) {
            (Some(user), _) => after_sign_in(directory, flow, user),
            (None, _) if hint.is_some() => login(),
            (None, [only]) => after_sign_in(directory, flow, *only),
            (None, []) => login(),
            (None, accounts) => Step::Picker {
                accounts: accounts.to_vec(),
            },
        },
    }
}

/// What follows once `user` is signed in: tenant membership (50020), assignment (50105),
/// then consent (or 65001 for `prompt=none`, 90094 when users may not consent).
pub fn after_sign_in(directory: &Directory, flow: &SignInFlow, user_id: Uuid) -> Step {
    let Some((user_tenant, user)) = directory.user(user_id) else {
        return Step::Login {
            login_hint: None,
            error: Some(aadsts::user_not_found()),
        };
    };
    // Checked once the password is right, on Microsoft's own page: the browser never
    // comes back to the app.
    if user.sign_in_blocked {
        return Step::Page(aadsts::account_disabled());
    }
    let Some((home, app)) = directory.application(flow.kind.client_id()) else {
        return Step::Page(aadsts::flow_not_found());
    };
    if let TenantScope::Specific(tenant_id) = flow.kind.tenant() {
        if tenant_id != user_tenant.id {
            let tenant_name = directory
                .tenant(tenant_id)
                .map_or("", |t| t.display_name.as_str());
            return Step::Page(aadsts::account_from_other_tenant(
                &user.user_principal_name,
                user_tenant.id,
                tenant_name,
                app.client_id,
                &app.display_name,
            ));
        }
    }
    if user_tenant.id == home.id
        && app.assignment_required
        && !app.assigned_users.contains(&user_id)
    {
        return Step::Page(aadsts::user_not_assigned(
            &user.user_principal_name,
            app.client_id,
            &app.display_name,
        ));
    }
    let request = match &flow.kind {
        FlowKind::AdminConsent(_) if user.admin => return Step::AdminConsent { user: user_id },
        FlowKind::AdminConsent(_) => return Step::Page(aadsts::admin_approval_required()),
        FlowKind::Authorize(request) => request,
    };
    let missing = scopes::missing_consent(&request.scopes, app.consented_scopes(user_id));
    let wants_consent =
        (request.prompt == Prompt::Consent && !flow.consented) || !missing.is_empty();
    if !wants_consent {
        return Step::Complete { user: user_id };
    }
    if request.prompt == Prompt::None {
        let error = aadsts::consent_missing(app.client_id, &app.display_name)
            .with_error("consent_required");
        return Step::Redirect(Box::new(flow.kind.error_redirect(error)));
    }
    if !user_tenant.user_consent_allowed && !user.admin {
        return Step::Page(aadsts::admin_approval_required());
    }
    Step::Consent { user: user_id }
}

/// Checks the password form: the user's object ID, or the inline error (50034 unknown
/// account, 50126 wrong password).
pub fn check_password(
    directory: &Directory,
    login: &str,
    password: &str,
) -> Result<Uuid, AadError> {
    let (_, user) = directory
        .user_by_key(login.trim())
        .filter(|(_, u)| u.user_principal_name.eq_ignore_ascii_case(login.trim()))
        .ok_or_else(aadsts::user_not_found)?;
    if user.password == password {
        Ok(user.object_id)
    } else {
        Err(aadsts::invalid_credentials())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::identity::authorize::AuthorizeRequest;

    const INFO: &str = "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5";
    const LEDEN: &str = "4b2b0927-3782-4a8a-a3bf-c627a9e9cf77";
    const JAN: &str = "fbf33707-abe7-4000-8b86-12c685f4048d";

    fn id(guid: &str) -> Uuid {
        Uuid::parse_str(guid).unwrap_or_default()
    }

    fn flow(prompt: Prompt, login_hint: Option<&str>) -> (Directory, SignInFlow) {
        let directory = Directory::demo().unwrap_or_default();
        let request = AuthorizeRequest {
            tenant: TenantScope::Specific(directory.tenants[0].id),
            client_id: directory.tenants[0].applications[0].client_id,
            redirect_uri: "http://127.0.0.1:3000/api/oauth/ms-azure/callback".into(),
            scopes: vec!["openid".into(), "Mail.Read".into()],
            state: None,
            pkce: None,
            prompt,
            login_hint: login_hint.map(str::to_owned),
            nonce: None,
        };
        let flow = SignInFlow {
            kind: FlowKind::Authorize(request),
            consented: false,
            consenting_user: None,
            started_at: Utc::now(),
        };
        (directory, flow)
    }

    fn redirect_error(step: &Step) -> Option<(&'static str, u32)> {
        match step {
            Step::Redirect(r) => Some((r.error.error, r.error.code)),
            _ => None,
        }
    }

    #[test]
    fn prompts_decide_the_first_page() {
        let (dir, none) = flow(Prompt::Unspecified, None);
        assert_eq!(
            first_step(&dir, &none, &[]),
            Step::Login {
                login_hint: None,
                error: None
            }
        );
        assert_eq!(
            first_step(&dir, &none, &[id(INFO)]),
            Step::Complete { user: id(INFO) }
        );
        assert_eq!(
            first_step(&dir, &none, &[id(INFO), id(LEDEN)]),
            Step::Picker {
                accounts: vec![id(INFO), id(LEDEN)]
            }
        );
        let (dir, select) = flow(Prompt::SelectAccount, None);
        assert_eq!(
            first_step(&dir, &select, &[id(INFO)]),
            Step::Picker {
                accounts: vec![id(INFO)]
            }
        );
        let (dir, login) = flow(Prompt::Login, Some("info@energiedemo.onmicrosoft.com"));
        assert!(matches!(
            first_step(&dir, &login, &[id(INFO)]),
            Step::Login {
                login_hint: Some(_),
                ..
            }
        ));
        let (dir, silent) = flow(Prompt::None, None);
        assert_eq!(
            redirect_error(&first_step(&dir, &silent, &[])),
            Some(("login_required", 50058))
        );
        assert_eq!(
            redirect_error(&first_step(&dir, &silent, &[id(INFO), id(LEDEN)])),
            Some(("interaction_required", 16000))
        );
    }

    #[test]
    fn a_login_hint_picks_the_signed_in_account() {
        let (dir, hinted) = flow(
            Prompt::Unspecified,
            Some("INFO@energiedemo.onmicrosoft.com"),
        );
        assert_eq!(
            first_step(&dir, &hinted, &[id(LEDEN), id(INFO)]),
            Step::Complete { user: id(INFO) }
        );
    }

    #[test]
    fn consent_and_tenant_checks_after_sign_in() {
        let (dir, plain) = flow(Prompt::Unspecified, None);
        assert_eq!(
            after_sign_in(&dir, &plain, id(LEDEN)),
            Step::Consent { user: id(LEDEN) }
        );
        assert!(matches!(after_sign_in(&dir, &plain, id(JAN)), Step::Page(e) if e.code == 50020));
        let (dir, silent) = flow(Prompt::None, None);
        assert_eq!(
            redirect_error(&after_sign_in(&dir, &silent, id(LEDEN))),
            Some(("consent_required", 65001))
        );
        let (dir, mut forced) = flow(Prompt::Consent, None);
        assert_eq!(
            after_sign_in(&dir, &forced, id(INFO)),
            Step::Consent { user: id(INFO) }
        );
        forced.consented = true;
        assert_eq!(
            after_sign_in(&dir, &forced, id(INFO)),
            Step::Complete { user: id(INFO) }
        );
    }

    #[test]
    fn passwords() {
        let dir = Directory::demo().unwrap_or_default();
        assert_eq!(
            check_password(
                &dir,
                " Info@energiedemo.onmicrosoft.com ",
                "Zonnepaneel-2026"
            ),
            Ok(id(INFO))
        );
        assert_eq!(
            check_password(&dir, "info@energiedemo.onmicrosoft.com", "nope").map_err(|e| e.code),
            Err(50126)
        );
        assert_eq!(
            check_password(&dir, "x@energiedemo.onmicrosoft.com", "nope").map_err(|e| e.code),
            Err(50034)
        );
        assert_eq!(
            check_password(&dir, INFO, "Zonnepaneel-2026").map_err(|e| e.code),
            Err(50034),
            "object IDs are not sign-in names"
        );
    }

    #[test]
    fn a_blocked_account_stops_on_microsofts_page_with_50057() {
        let (mut dir, flow) = flow(Prompt::Unspecified, None);
        dir.tenants[0].users[1].sign_in_blocked = true;
        let step = after_sign_in(&dir, &flow, id(LEDEN));
        assert!(
            matches!(&step, Step::Page(error) if error.code == 50057),
            "{step:?}"
        );
        assert_eq!(
            after_sign_in(&dir, &flow, id(INFO)),
            Step::Complete { user: id(INFO) }
        );
    }
}
