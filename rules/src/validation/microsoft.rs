//! Rules for the "Microsoft Azure api instellingen" fields (docs/microsoft.md §1 in the project
//! notes), including the comparisons between the IDs and with the other mailboxes.

use super::form::{Field, MailboxForm};
use super::general::required;
use super::guid::{Guid, TenantRef};
use super::issue::IssueCode;
use super::others;
use super::ValidationContext;

/// The GUID typed in another field, if it is one; used only for comparisons.
fn typed_guid(form: &MailboxForm, field: Field) -> Option<Guid> {
    Guid::parse(form.trimmed(field)).ok()
}

fn guid_field(form: &MailboxForm, field: Field, not_guid: IssueCode) -> Result<Guid, IssueCode> {
    let guid = Guid::parse(required(form, field)?).map_err(|_| not_guid)?;
    if guid.is_nil() {
        return Err(IssueCode::NilGuid);
    }
    Ok(guid)
}

/// Client id: the Application (client) ID, different from the tenant and object IDs.
pub(crate) fn client_id(form: &MailboxForm) -> Result<Guid, IssueCode> {
    let client_id = guid_field(form, Field::ClientId, IssueCode::ClientIdNotGuid)?;
    if typed_guid(form, Field::TenantId) == Some(client_id) {
        return Err(IssueCode::ClientIdEqualsTenantId);
    }
    if typed_guid(form, Field::ObjectId) == Some(client_id) {
        return Err(IssueCode::ClientIdEqualsObjectId);
    }
    Ok(client_id)
}

/// Tenant ID: a specific tenant, as GUID or domain; never a multi-tenant alias.
pub(crate) fn tenant(form: &MailboxForm) -> Result<TenantRef, IssueCode> {
    let text = required(form, Field::TenantId)?;
    let aliases = [
        ("common", IssueCode::TenantIsCommon),
        ("organizations", IssueCode::TenantIsOrganizations),
        ("consumers", IssueCode::TenantIsConsumers),
    ];
    if let Some((_, code)) = aliases
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(text))
    {
        return Err(*code);
    }
    let tenant = TenantRef::parse(text).ok_or(IssueCode::TenantIdInvalid)?;
    if let TenantRef::Guid(guid) = tenant {
        if guid.is_nil() {
            return Err(IssueCode::NilGuid);
        }
        if guid == Guid::CONSUMER_TENANT {
            return Err(IssueCode::TenantIsConsumerTenant);
        }
        if typed_guid(form, Field::ClientId) == Some(guid) {
            return Err(IssueCode::ClientIdEqualsTenantId);
        }
        if typed_guid(form, Field::ObjectId) == Some(guid) {
            return Err(IssueCode::ObjectIdEqualsTenantId);
        }
    }
    Ok(tenant)
}

/// Object ID of the mailbox's user: differs from the app's IDs and from other mailboxes'.
/// Optional for either method (issue 18): without it, app-only Graph addresses the mailbox
/// by its e-mail address (docs/microsoft.md §9), and signing in checks the account against
/// that address and stores the Object ID Microsoft returns (§4).
pub(crate) fn object_id(
    form: &MailboxForm,
    ctx: &ValidationContext,
) -> Result<Option<Guid>, IssueCode> {
    if form.trimmed(Field::ObjectId).is_empty() {
        return Ok(None);
    }
    let object_id = guid_field(form, Field::ObjectId, IssueCode::ObjectIdNotGuid)?;
    if typed_guid(form, Field::ClientId) == Some(object_id) {
        return Err(IssueCode::ClientIdEqualsObjectId);
    }
    if typed_guid(form, Field::TenantId) == Some(object_id) {
        return Err(IssueCode::ObjectIdEqualsTenantId);
    }
    if others::object_id_in_use(object_id, ctx) {
        return Err(IssueCode::ObjectIdInUse);
    }
    Ok(Some(object_id))
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const CLIENT: &str = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901";
    const TENANT: &str = "aaaaaaaa-1111-2222-3333-444455556666";
    const OBJECT: &str = "0f0e0d0c-0b0a-0908-0706-050403020100";
    const NIL: &str = "00000000-0000-0000-0000-000000000000";
    const SECRET: &str = "abc8Q~defghijklmnopqrstuvwxyz0123456789.";

    fn form(client_id: &str, tenant_id: &str, object_id: &str) -> MailboxForm {
        MailboxForm {
            client_id: client_id.into(),
            tenant_id: tenant_id.into(),
            object_id: object_id.into(),
            client_secret: SECRET.into(),
            ..MailboxForm::default()
        }
    }

    fn guid(text: &str) -> Guid {
        Guid::parse(text).unwrap_or(Guid::NIL)
    }

    #[test]
    fn client_id_rules() {
        let upper = format!(" {{{}}} ", CLIENT.to_uppercase());
        let cases = [
            (form(CLIENT, TENANT, OBJECT), Ok(guid(CLIENT))),
            (form(&upper, TENANT, OBJECT), Ok(guid(CLIENT))),
            (
                form(" ", TENANT, OBJECT),
                Err(IssueCode::Required(Field::ClientId)),
            ),
            (
                form("econobis-app", TENANT, OBJECT),
                Err(IssueCode::ClientIdNotGuid),
            ),
            (form(NIL, TENANT, OBJECT), Err(IssueCode::NilGuid)),
            (
                form(CLIENT, CLIENT, OBJECT),
                Err(IssueCode::ClientIdEqualsTenantId),
            ),
            (
                form(CLIENT, TENANT, CLIENT),
                Err(IssueCode::ClientIdEqualsObjectId),
            ),
        ];
        for (form, expected) in cases {
            assert_eq!(client_id(&form), expected, "{form:?}");
        }
    }

    #[test]
    fn tenant_rules() {
        let domain = |d: &str| Ok(TenantRef::Domain(d.into()));
        let cases = [
            (
                form(CLIENT, TENANT, OBJECT),
                Ok(TenantRef::Guid(guid(TENANT))),
            ),
            (
                form(CLIENT, " Contoso.onmicrosoft.com ", OBJECT),
                domain("contoso.onmicrosoft.com"),
            ),
            (form(CLIENT, "zonnecoop.nl", OBJECT), domain("zonnecoop.nl")),
            (
                form(CLIENT, "", OBJECT),
                Err(IssueCode::Required(Field::TenantId)),
            ),
            (
                form(CLIENT, "common", OBJECT),
                Err(IssueCode::TenantIsCommon),
            ),
            (
                form(CLIENT, "Organizations", OBJECT),
                Err(IssueCode::TenantIsOrganizations),
            ),
            (
                form(CLIENT, "CONSUMERS", OBJECT),
                Err(IssueCode::TenantIsConsumers),
            ),
            (
                form(CLIENT, "contoso", OBJECT),
                Err(IssueCode::TenantIdInvalid),
            ),
            (
                form(CLIENT, "aaaaaaaa-1111-2222-3333", OBJECT),
                Err(IssueCode::TenantIdInvalid),
            ),
            (form(CLIENT, NIL, OBJECT), Err(IssueCode::NilGuid)),
            (
                form(CLIENT, "9188040D-6C67-4C5B-B112-36A304B66DAD", OBJECT),
                Err(IssueCode::TenantIsConsumerTenant),
            ),
            (
                form(CLIENT, CLIENT, OBJECT),
                Err(IssueCode::ClientIdEqualsTenantId),
            ),
            (
                form(CLIENT, OBJECT, OBJECT),
                Err(IssueCode::ObjectIdEqualsTenantId),
            ),
        ];
        for (form, expected) in cases {
            assert_eq!(tenant(&form), expected, "{form:?}");
        }
    }

    #[test]
    fn object_id_rules() {
        let none = ValidationContext::default();
        let taken = ValidationContext {
            other_mailboxes: vec![super::super::OtherMailbox {
                object_id: OBJECT.to_uppercase(),
                ..Default::default()
            }],
            ..ValidationContext::default()
        };
        let cases = [
            (form(CLIENT, TENANT, OBJECT), &none, Ok(Some(guid(OBJECT)))),
            // Signing in as the mailbox: the sign-in is checked against its address.
            (form(CLIENT, TENANT, " "), &none, Ok(None)),
            (
                form(CLIENT, TENANT, "user@coop.nl"),
                &none,
                Err(IssueCode::ObjectIdNotGuid),
            ),
            (form(CLIENT, TENANT, NIL), &none, Err(IssueCode::NilGuid)),
            (
                form(CLIENT, TENANT, CLIENT),
                &none,
                Err(IssueCode::ClientIdEqualsObjectId),
            ),
            (
                form(CLIENT, TENANT, TENANT),
                &none,
                Err(IssueCode::ObjectIdEqualsTenantId),
            ),
            (
                form(CLIENT, TENANT, OBJECT),
                &taken,
                Err(IssueCode::ObjectIdInUse),
            ),
        ];
        for (form, ctx, expected) in cases {
            assert_eq!(object_id(&form, ctx), expected, "{form:?}");
        }
        let app_only = |object_id: &str| MailboxForm {
            connection_method: "app_only".into(),
            ..form(CLIENT, TENANT, object_id)
        };
        assert_eq!(object_id(&app_only(""), &none), Ok(None));
        assert_eq!(object_id(&app_only(OBJECT), &none), Ok(Some(guid(OBJECT))));
        assert_eq!(
            object_id(&app_only("user@coop.nl"), &none),
            Err(IssueCode::ObjectIdNotGuid)
        );
    }
}
