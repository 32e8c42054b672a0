//! Every validation rule surfaces through `save_mailbox`, with the field it belongs to.

use rules::mailbox_form::SaveOutcome;
use rules::validation::{Field, IssueCode};
use sea_orm::DatabaseConnection;

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{signed_in_router, Fields};

const NIL: &str = "00000000-0000-0000-0000-000000000000";
const CONSUMER_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";
const SECRET_ID: &str = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
const OTHER_CLIENT: &str = "22222222-5f60-7182-93a4-b5c6d7e8f901";
const OTHER_TENANT: &str = "bbbbbbbb-1111-2222-3333-444455556666";

/// (field, code, the form that breaks exactly that rule).
fn cases() -> Vec<(Field, IssueCode, Fields)> {
    let ms = microsoft_fields;
    let imap = imap_smtp_fields;
    let long = "x".repeat(256);
    let long_email = format!("{}@zonnecoop.nl", "a".repeat(250));
    // Warnings do not block saving: a missing name makes the save fail so they come back.
    let unnamed = || ms().set("name", "");
    vec![
        (
            Field::Name,
            IssueCode::Required(Field::Name),
            ms().set("name", " "),
        ),
        (Field::Name, IssueCode::TooLong, ms().set("name", &long)),
        (
            Field::OutgoingType,
            IssueCode::UnknownChoice,
            ms().set("outgoing_type", "mailgun"),
        ),
        (
            Field::IncomingType,
            IssueCode::IncomingNoneNeedsOnlyOutgoing,
            ms().set("incoming_type", "none"),
        ),
        (
            Field::Email,
            IssueCode::EmailWhitespace,
            ms().set("email", "info @zonnecoop.nl"),
        ),
        (
            Field::Email,
            IssueCode::EmailTooLong,
            ms().set("email", &long_email),
        ),
        (
            Field::Email,
            IssueCode::EmailAtSign,
            ms().set("email", "info.zonnecoop.nl"),
        ),
        (
            Field::Email,
            IssueCode::EmailLocalPart,
            ms().set("email", ".info@zonnecoop.nl"),
        ),
        (
            Field::Email,
            IssueCode::EmailDomain,
            ms().set("email", "info@zonnecoop"),
        ),
        (
            Field::ImapHost,
            IssueCode::HostInvalid,
            imap().set("imap_host", "https://imap.zonnecoop.nl"),
        ),
        (
            Field::SmtpPort,
            IssueCode::PortNotNumber,
            imap().set("smtp_port", "58a"),
        ),
        (
            Field::ImapPort,
            IssueCode::PortOutOfRange,
            imap().set("imap_port", "70000"),
        ),
        (
            Field::ClientId,
            IssueCode::ClientIdNotGuid,
            ms().set("client_id", "econobis-app"),
        ),
        (
            Field::ObjectId,
            IssueCode::ObjectIdNotGuid,
            ms().set("object_id", "info@zonnecoop.nl"),
        ),
        (
            Field::TenantId,
            IssueCode::TenantIdInvalid,
            ms().set("tenant_id", "zonnecoop"),
        ),
        (
            Field::ClientId,
            IssueCode::NilGuid,
            ms().set("client_id", NIL),
        ),
        (
            Field::TenantId,
            IssueCode::TenantIsConsumerTenant,
            ms().set("tenant_id", CONSUMER_TENANT),
        ),
        (
            Field::TenantId,
            IssueCode::TenantIsCommon,
            ms().set("tenant_id", "common"),
        ),
        (
            Field::TenantId,
            IssueCode::TenantIsOrganizations,
            ms().set("tenant_id", "organizations"),
        ),
        (
            Field::TenantId,
            IssueCode::TenantIsConsumers,
            ms().set("tenant_id", "consumers"),
        ),
        (
            Field::ClientId,
            IssueCode::ClientIdEqualsTenantId,
            ms().set("tenant_id", CLIENT),
        ),
        (
            Field::ObjectId,
            IssueCode::ClientIdEqualsObjectId,
            ms().set("object_id", CLIENT),
        ),
        (
            Field::ObjectId,
            IssueCode::ObjectIdEqualsTenantId,
            ms().set("object_id", TENANT),
        ),
        (Field::ObjectId, IssueCode::ObjectIdInUse, ms()),
        (
            Field::ClientId,
            IssueCode::ClientIdDiffersFromOthers,
            unnamed()
                .set("client_id", OTHER_CLIENT)
                .set("object_id", OTHER_OBJECT),
        ),
        (
            Field::TenantId,
            IssueCode::TenantIdDiffersFromOthers,
            unnamed()
                .set("tenant_id", OTHER_TENANT)
                .set("object_id", OTHER_OBJECT),
        ),
        (
            Field::ClientSecret,
            IssueCode::SecretIsSecretId,
            ms().set("client_secret", SECRET_ID),
        ),
        (
            Field::ClientSecret,
            IssueCode::SecretEqualsClientId,
            ms().set("client_secret", CLIENT),
        ),
        (
            Field::ClientSecret,
            IssueCode::SecretEqualsTenantId,
            ms().set("client_secret", TENANT),
        ),
        (
            Field::ClientSecret,
            IssueCode::SecretLength,
            ms().set("client_secret", "te-kort-geheim"),
        ),
        (
            Field::ClientSecret,
            IssueCode::SecretUnknownShape,
            unnamed()
                .set("client_secret", "geen-microsoft-vorm-123")
                .set("object_id", OTHER_OBJECT),
        ),
        (
            Field::ClientSecret,
            IssueCode::Required(Field::ClientSecret),
            // Another app: the registration of the first mailbox would lend its secret.
            ms().set("client_secret", "")
                .set("client_id", "2b2c3d4e-5f60-7182-93a4-b5c6d7e8f902"),
        ),
    ]
}

async fn every_rule_is_reported_by_the_server(db: DatabaseConnection) {
    let router = signed_in_router(db).await;
    // The mailbox the cross-mailbox rules compare with.
    create(&router, &microsoft_fields()).await;
    let mut seen = std::collections::HashSet::new();
    for (field, code, fields) in cases() {
        let SaveOutcome::Invalid { issues } = save(&router, &fields).await else {
            panic!("{code:?} was saved");
        };
        assert!(
            issues
                .iter()
                .any(|issue| issue.field == field && issue.code == code),
            "{field:?} {code:?} not in {issues:?}"
        );
        seen.insert(code.as_str());
    }
    // One case per rule: 31 rules (Required counted once).
    assert_eq!(seen.len(), 31);
}

on_every_database!(every_rule_is_reported_by_the_server);
