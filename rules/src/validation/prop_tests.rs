//! Property tests: no input makes validation panic, and its parts agree with each other.

use proptest::prelude::*;

use super::tests::{CLIENT, OBJECT, SECRET, TENANT};
use super::*;

/// Arbitrary unicode, mixed with values that reach the deeper rules.
fn field_value() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "",
        " ",
        "imap",
        "smtp",
        "ms-oauth",
        "none",
        "ssl",
        "tls",
        "993",
        "0",
        "65536",
        CLIENT,
        TENANT,
        OBJECT,
        SECRET,
        "common",
        "contoso.onmicrosoft.com",
        "info@coop.nl",
        "00000000-0000-0000-0000-000000000000",
        "9188040d-6c67-4c5b-b112-36a304b66dad",
    ]);
    prop_oneof![
        any::<String>(),
        known.prop_map(str::to_owned),
        "[ \t]{0,2}[0-9a-fA-F{}.@~:-]{0,40}[ \n]{0,2}",
    ]
}

fn form() -> impl Strategy<Value = MailboxForm> {
    let texts = prop::collection::vec(field_value(), 17);
    let flags = prop::collection::vec(any::<bool>(), 6);
    (texts, flags).prop_map(|(texts, flags)| {
        let mut text = texts.into_iter();
        let mut next = move || text.next().unwrap_or_default();
        let mut flag = flags.into_iter();
        let mut on = move || flag.next().unwrap_or_default();
        MailboxForm {
            name: next(),
            email: next(),
            only_outgoing: on(),
            is_active: on(),
            is_primary: on(),
            incoming_type: next(),
            outgoing_type: next(),
            imap_host: next(),
            imap_port: next(),
            imap_encryption: next(),
            imap_inbox_prefix: next(),
            smtp_host: next(),
            smtp_port: next(),
            smtp_encryption: next(),
            username: next(),
            password: next(),
            email_mark_as_seen: on(),
            client_id: next(),
            tenant_id: next(),
            client_secret: next(),
            object_id: next(),
            // Either method, or left open (a form without the choice).
            connection_method: ["", "delegated", "app_only"][usize::from(on()) + usize::from(on())]
                .to_string(),
        }
    })
}

fn context() -> impl Strategy<Value = ValidationContext> {
    let other = (field_value(), field_value(), field_value()).prop_map(
        |(object_id, client_id, tenant_id)| OtherMailbox {
            object_id,
            client_id,
            tenant_id,
        },
    );
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(other, 0..3),
    )
        .prop_map(
            |(secret_stored, registration_secret, password_stored, other_mailboxes)| {
                ValidationContext {
                    secret_stored,
                    registration_secret,
                    password_stored,
                    other_mailboxes,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validation_never_panics_and_agrees_with_itself(form in form(), ctx in context()) {
        let validation = validate_mailbox(&form, &ctx);
        for field in Field::ALL {
            let of_field: Vec<Issue> =
                validation.issues.iter().filter(|i| i.field == field).copied().collect();
            prop_assert_eq!(validate_field(field, &form, &ctx), of_field);
            prop_assert!(validation.errors_for(field).count() <= 1);
        }
        for issue in &validation.issues {
            prop_assert_eq!(issue.severity, issue.code.severity());
            prop_assert!(!issue.message(Lang::Nl).is_empty());
        }
        match parse_mailbox(&form, &ctx) {
            Ok(valid) => {
                prop_assert!(!validation.has_errors());
                prop_assert_eq!(valid.warnings, validation.issues);
                prop_assert_eq!(valid.imap.is_some(), needs_imap(&form));
                prop_assert_eq!(valid.smtp.is_some(), needs_smtp(&form));
                prop_assert_eq!(valid.microsoft.is_some(), needs_microsoft(&form));
                prop_assert_eq!(valid.name.trim(), valid.name.as_str());
            }
            Err(invalid) => prop_assert_eq!(invalid, validation),
        }
    }

    #[test]
    fn guid_parse_round_trips(text in "[{]?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[}]?") {
        let braces_match = text.starts_with('{') == text.ends_with('}');
        match Guid::parse(&text) {
            Ok(guid) => {
                prop_assert!(braces_match);
                let shown = guid.to_string();
                prop_assert_eq!(shown.to_lowercase(), shown.clone());
                prop_assert_eq!(Guid::parse(&shown), Ok(guid));
                prop_assert!(text.to_lowercase().contains(&shown));
            }
            Err(_) => prop_assert!(!braces_match),
        }
    }

    #[test]
    fn secrets_are_never_altered_beyond_trimming(secret in "[ \t]{0,2}[A-Za-z0-9._~-]{3}8Q~[A-Za-z0-9._~-]{34}[ \n]{0,2}") {
        let form = MailboxForm { client_secret: secret.clone(), ..tests::microsoft_form() };
        let valid = parse_mailbox(&form, &ValidationContext::default());
        let kept = valid.ok().and_then(|valid| valid.microsoft).map(|ms| ms.client_secret);
        prop_assert_eq!(kept, Some(SecretUpdate::Replace(secret.trim().to_owned())));
    }
}
