//! Whole-form tests of `validate_mailbox`/`validate_field` (the unit tests of `mod.rs`).

use super::*;

// In the browser build these run under wasm-bindgen-test: this stands in for `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

pub(crate) const CLIENT: &str = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901";
pub(crate) const TENANT: &str = "aaaaaaaa-1111-2222-3333-444455556666";
pub(crate) const OBJECT: &str = "0f0e0d0c-0b0a-0908-0706-050403020100";
pub(crate) const SECRET: &str = "abc8Q~defghijklmnopqrstuvwxyz0123456789.";

/// A complete Microsoft Api mailbox, as the manual fills it in.
pub(crate) fn microsoft_form() -> MailboxForm {
    MailboxForm {
        name: "Info".into(),
        email: "info@zonnecoop.nl".into(),
        is_active: true,
        incoming_type: "ms-oauth".into(),
        outgoing_type: "ms-oauth".into(),
        client_id: CLIENT.into(),
        tenant_id: TENANT.into(),
        client_secret: SECRET.into(),
        object_id: OBJECT.into(),
        ..MailboxForm::default()
    }
}

/// A complete IMAP + SMTP mailbox.
pub(crate) fn imap_smtp_form() -> MailboxForm {
    MailboxForm {
        name: "Leden".into(),
        email: "leden@zonnecoop.nl".into(),
        incoming_type: "imap".into(),
        outgoing_type: "smtp".into(),
        imap_host: "imap.zonnecoop.nl".into(),
        imap_port: "993".into(),
        imap_encryption: "ssl".into(),
        smtp_host: "smtp.zonnecoop.nl".into(),
        smtp_port: "587".into(),
        smtp_encryption: "tls".into(),
        username: "leden@zonnecoop.nl".into(),
        password: "geheim wachtwoord".into(),
        ..MailboxForm::default()
    }
}

fn codes(validation: &Validation) -> Vec<(Field, IssueCode)> {
    let issues = validation.issues.iter();
    issues.map(|issue| (issue.field, issue.code)).collect()
}

fn required(fields: &[Field]) -> Vec<(Field, IssueCode)> {
    let fields = fields.iter();
    fields
        .map(|field| (*field, IssueCode::Required(*field)))
        .collect()
}

#[test]
fn complete_forms_have_no_issues() {
    let ctx = ValidationContext::default();
    for form in [microsoft_form(), imap_smtp_form()] {
        assert_eq!(
            validate_mailbox(&form, &ctx),
            Validation::default(),
            "{form:?}"
        );
    }
}

#[test]
fn required_fields_depend_on_the_types() {
    use Field::*;
    let blank = |incoming: &str, outgoing: &str, only_outgoing: bool| MailboxForm {
        incoming_type: incoming.into(),
        outgoing_type: outgoing.into(),
        only_outgoing,
        ..MailboxForm::default()
    };
    // The Object ID may stay empty for either method (issue 18).
    let microsoft = [ClientId, TenantId, ClientSecret];
    let cases: [(MailboxForm, Vec<Field>); 6] = [
        (
            blank("", "", false),
            vec![Name, Email, IncomingType, OutgoingType],
        ),
        (blank("", "", true), vec![Name, Email, OutgoingType]),
        (
            blank("imap", "smtp", true),
            [
                &[Name, Email, SmtpHost, SmtpPort][..],
                &[Username, Password],
            ]
            .concat(),
        ),
        (
            blank("imap", "smtp", false),
            vec![
                Name, Email, ImapHost, ImapPort, SmtpHost, SmtpPort, Username, Password,
            ],
        ),
        (
            blank("ms-oauth", "ms-oauth", false),
            [&[Name, Email][..], &microsoft].concat(),
        ),
        (
            blank("imap", "ms-oauth", false),
            [
                &[Name, Email, ImapHost, ImapPort, Username, Password][..],
                &microsoft,
            ]
            .concat(),
        ),
    ];
    for (form, fields) in cases {
        let validation = validate_mailbox(&form, &ValidationContext::default());
        assert_eq!(codes(&validation), required(&fields), "{form:?}");
    }
}

#[test]
fn unused_fields_are_ignored() {
    let mut form = microsoft_form();
    form.imap_port = "not a port".into();
    form.smtp_host = "https://x".into();
    form.password = String::new();
    assert!(!validate_mailbox(&form, &ValidationContext::default()).has_errors());
    let mut form = imap_smtp_form();
    form.client_id = "nonsense".into();
    form.only_outgoing = true;
    form.imap_host = String::new();
    assert!(!validate_mailbox(&form, &ValidationContext::default()).has_errors());
}

#[test]
fn needs_follow_the_types() {
    let cases = [
        ("imap", "smtp", false, (true, true, false)),
        ("imap", "smtp", true, (false, true, false)),
        ("ms-oauth", "smtp", false, (false, true, true)),
        ("ms-oauth", "smtp", true, (false, true, false)),
        ("none", "ms-oauth", true, (false, false, true)),
        ("imap", "ms-oauth", false, (true, false, true)),
        ("", "", false, (false, false, false)),
        ("IMAP", "mailgun", false, (true, false, false)),
    ];
    for (incoming, outgoing, only_outgoing, expected) in cases {
        let form = MailboxForm {
            incoming_type: incoming.into(),
            outgoing_type: outgoing.into(),
            only_outgoing,
            ..MailboxForm::default()
        };
        let actual = (needs_imap(&form), needs_smtp(&form), needs_microsoft(&form));
        assert_eq!(actual, expected, "{incoming} {outgoing} {only_outgoing}");
    }
}

#[test]
fn comparisons_report_at_every_field_involved() {
    let mut form = microsoft_form();
    form.tenant_id = CLIENT.to_uppercase();
    let validation = validate_mailbox(&form, &ValidationContext::default());
    assert_eq!(
        codes(&validation),
        [
            (Field::ClientId, IssueCode::ClientIdEqualsTenantId),
            (Field::TenantId, IssueCode::ClientIdEqualsTenantId),
        ]
    );
    form.tenant_id = TENANT.into();
    form.object_id = format!("{{{CLIENT}}}");
    let validation = validate_mailbox(&form, &ValidationContext::default());
    assert_eq!(validation.errors_for(Field::ClientId).count(), 1);
    assert_eq!(validation.errors_for(Field::ObjectId).count(), 1);
}

#[test]
fn warnings_do_not_block_and_are_found_per_field() {
    let mut form = microsoft_form();
    form.client_secret = "a custom secret of mine".into();
    let ctx = ValidationContext {
        other_mailboxes: vec![OtherMailbox {
            object_id: "99999999-0b0a-0908-0706-050403020100".into(),
            client_id: "22222222-5f60-7182-93a4-b5c6d7e8f901".into(),
            tenant_id: TENANT.into(),
        }],
        ..ValidationContext::default()
    };
    let validation = validate_mailbox(&form, &ctx);
    assert!(!validation.has_errors());
    assert_eq!(validation.errors().count(), 0);
    assert_eq!(validation.warnings().count(), 2);
    let secret: Vec<_> = validation.warnings_for(Field::ClientSecret).collect();
    assert_eq!(secret.len(), 1);
    assert_eq!(validation.warnings_for(Field::ClientId).count(), 1);
    assert_eq!(validation.warnings_for(Field::TenantId).count(), 0);
    assert!(secret
        .iter()
        .all(|issue| issue.severity == Severity::Warning));
}

#[test]
fn stored_secrets_may_stay_empty() {
    let mut form = microsoft_form();
    form.client_secret = "  ".into();
    let ctx = ValidationContext {
        secret_stored: true,
        ..ValidationContext::default()
    };
    assert!(validate_mailbox(&form, &ctx).issues.is_empty());
    let fresh = validate_mailbox(&form, &ValidationContext::default());
    let expected = [(
        Field::ClientSecret,
        IssueCode::Required(Field::ClientSecret),
    )];
    assert_eq!(codes(&fresh), expected);
}

#[test]
fn one_error_per_field_and_validate_field_agrees() {
    let mut broken = microsoft_form();
    broken.email = "info@@zonnecoop".into();
    broken.tenant_id = "common".into();
    broken.client_secret = OBJECT.into();
    broken.object_id = "{0F0E0D0C-0B0A-0908-0706-050403020100}".into();
    let ctx = ValidationContext {
        other_mailboxes: vec![OtherMailbox {
            object_id: OBJECT.into(),
            ..OtherMailbox::default()
        }],
        ..ValidationContext::default()
    };
    let validation = validate_mailbox(&broken, &ctx);
    assert_eq!(
        codes(&validation),
        [
            (Field::Email, IssueCode::EmailAtSign),
            (Field::TenantId, IssueCode::TenantIsCommon),
            (Field::ClientSecret, IssueCode::SecretIsSecretId),
            (Field::ObjectId, IssueCode::ObjectIdInUse),
        ]
    );
    for field in Field::ALL {
        let of_field: Vec<Issue> = validation
            .issues
            .iter()
            .filter(|i| i.field == field)
            .copied()
            .collect();
        assert_eq!(validate_field(field, &broken, &ctx), of_field, "{field:?}");
    }
}
