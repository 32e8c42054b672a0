//! Rules across mailboxes, from the other mailboxes' IDs in the [`ValidationContext`].

use super::guid::{Guid, TenantRef};
use super::issue::IssueCode;
use super::ValidationContext;

/// The Object ID differs per mailbox address (manual, "Mailbox verbinden" step 1d), so no
/// other mailbox may use it.
pub(crate) fn object_id_in_use(object_id: Guid, ctx: &ValidationContext) -> bool {
    ctx.other_mailboxes
        .iter()
        .any(|other| Guid::parse(other.object_id.trim()) == Ok(object_id))
}

/// Warning when another Microsoft mailbox uses a different client ID: the manual uses one
/// app registration for all mailboxes.
pub(crate) fn client_id_warnings(client_id: Guid, ctx: &ValidationContext) -> Vec<IssueCode> {
    let differs = ctx
        .other_mailboxes
        .iter()
        .filter_map(|other| Guid::parse(other.client_id.trim()).ok())
        .any(|other| other != client_id);
    differs
        .then_some(IssueCode::ClientIdDiffersFromOthers)
        .into_iter()
        .collect()
}

/// Warning when another Microsoft mailbox uses a different tenant. A GUID and a domain
/// cannot be compared without asking Microsoft, so only like is compared with like.
pub(crate) fn tenant_warnings(tenant: &TenantRef, ctx: &ValidationContext) -> Vec<IssueCode> {
    let differs = ctx
        .other_mailboxes
        .iter()
        .filter_map(|other| TenantRef::parse(other.tenant_id.trim()))
        .any(|other| match (&other, tenant) {
            (TenantRef::Guid(a), TenantRef::Guid(b)) => a != b,
            (TenantRef::Domain(a), TenantRef::Domain(b)) => a != b,
            _ => false,
        });
    differs
        .then_some(IssueCode::TenantIdDiffersFromOthers)
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::super::OtherMailbox;
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const CLIENT: &str = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901";
    const TENANT: &str = "aaaaaaaa-1111-2222-3333-444455556666";
    const OBJECT: &str = "0f0e0d0c-0b0a-0908-0706-050403020100";

    fn guid(text: &str) -> Guid {
        Guid::parse(text).unwrap_or(Guid::NIL)
    }

    fn others(ids: &[(&str, &str, &str)]) -> ValidationContext {
        let other_mailboxes = ids
            .iter()
            .map(|(client_id, tenant_id, object_id)| OtherMailbox {
                client_id: (*client_id).into(),
                tenant_id: (*tenant_id).into(),
                object_id: (*object_id).into(),
            })
            .collect();
        ValidationContext {
            other_mailboxes,
            ..ValidationContext::default()
        }
    }

    #[test]
    fn object_id_in_use_compares_guids() {
        let ctx = others(&[
            ("", "", &format!(" {{{}}} ", OBJECT.to_uppercase())),
            ("", "", "x"),
        ]);
        assert!(object_id_in_use(guid(OBJECT), &ctx));
        assert!(!object_id_in_use(guid(CLIENT), &ctx));
        assert!(!object_id_in_use(
            guid(OBJECT),
            &ValidationContext::default()
        ));
    }

    #[test]
    fn warnings_against_other_mailboxes() {
        let other_client = "22222222-5f60-7182-93a4-b5c6d7e8f901";
        let same = others(&[(CLIENT, TENANT, "x"), ("", "", "")]);
        let differ = others(&[(CLIENT, TENANT, "x"), (other_client, "contoso.nl", "y")]);
        let client = guid(CLIENT);
        assert!(client_id_warnings(client, &same).is_empty());
        assert!(client_id_warnings(client, &ValidationContext::default()).is_empty());
        assert_eq!(
            client_id_warnings(client, &differ),
            [IssueCode::ClientIdDiffersFromOthers]
        );

        let by_guid = TenantRef::Guid(guid(TENANT));
        let by_domain = TenantRef::Domain("contoso.nl".into());
        let other_domain = TenantRef::Domain("zonnecoop.nl".into());
        assert!(tenant_warnings(&by_guid, &same).is_empty());
        assert!(tenant_warnings(&by_guid, &differ).is_empty());
        assert!(tenant_warnings(&by_domain, &differ).is_empty());
        assert_eq!(
            tenant_warnings(&other_domain, &differ),
            [IssueCode::TenantIdDiffersFromOthers]
        );
        let other_guid = TenantRef::Guid(guid(OBJECT));
        assert_eq!(
            tenant_warnings(&other_guid, &same),
            [IssueCode::TenantIdDiffersFromOthers]
        );
    }
}
