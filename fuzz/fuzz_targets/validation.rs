//! The mailbox form as posted, through the entry the server uses: `parse_mailbox` (which runs
//! `validate_mailbox`), plus `validate_field` as the page calls it while typing.
//!
//! Input: the form body as a browser posts it (`name=Info&email=…`), optionally a newline and
//! the context as a query: `secret_stored=1&password_stored=1&other=<object>,<client>,<tenant>`
//! (one `other` per other mailbox). The body is decoded both as server functions decode it
//! (`serde_qs`, which may refuse it, e.g. a checkbox `ja`) and leniently field by field, so
//! every input reaches the rules.
//!
//! Invariants, each from the rules' docs: no panic; whole-form and per-field validation agree;
//! at most one error per field; every issue has a message in both languages; a form saves
//! exactly when it has no errors, with trimmed values, ports 1–65535 and the settings its
//! types need; a GUID (the secret *ID*) is never saved as the secret value; `Debug` never
//! shows the password or the client secret.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rules::validation::{
    needs_imap, needs_microsoft, needs_smtp, parse_mailbox, validate_field, validate_mailbox,
    Field, Guid, Issue, Lang, MailboxForm, OtherMailbox, SecretUpdate, ValidationContext, MAX_TEXT,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (body, context) = text.split_once('\n').unwrap_or((text, ""));
    let ctx = context_of(context);
    if let Ok(form) = serde_qs::Config::new(5, false).deserialize_str::<MailboxForm>(body) {
        check(&form, &ctx);
    }
    check(&lenient(body), &ctx);
});

/// Every known field name sets its field; checkboxes are on for `on`/`true`/`1`.
fn lenient(body: &str) -> MailboxForm {
    let mut form = MailboxForm::default();
    for (name, value) in url::form_urlencoded::parse(body.as_bytes()) {
        let Some(field) = Field::from_name(&name) else {
            continue;
        };
        if let Some(text) = form.text_mut(field) {
            *text = value.into_owned();
        } else if let Some(flag) = form.flag_mut(field) {
            *flag = matches!(&*value, "on" | "true" | "1");
        }
    }
    form
}

fn context_of(query: &str) -> ValidationContext {
    let mut ctx = ValidationContext::default();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*name {
            "secret_stored" => ctx.secret_stored = true,
            "password_stored" => ctx.password_stored = true,
            "other" => {
                let mut ids = value.splitn(3, ',').map(str::to_owned);
                ctx.other_mailboxes.push(OtherMailbox {
                    object_id: ids.next().unwrap_or_default(),
                    client_id: ids.next().unwrap_or_default(),
                    tenant_id: ids.next().unwrap_or_default(),
                });
            }
            _ => {}
        }
    }
    ctx
}

fn check(form: &MailboxForm, ctx: &ValidationContext) {
    let validation = validate_mailbox(form, ctx);
    for field in Field::ALL {
        let of_field: Vec<Issue> = validation
            .issues
            .iter()
            .filter(|issue| issue.field == field)
            .copied()
            .collect();
        assert_eq!(validate_field(field, form, ctx), of_field, "{field}");
        assert!(validation.errors_for(field).count() <= 1, "{field}");
    }
    for issue in &validation.issues {
        assert_eq!(issue.severity, issue.code.severity());
        assert!(!issue.message(Lang::Nl).is_empty() && !issue.message(Lang::En).is_empty());
    }

    let parsed = parse_mailbox(form, ctx);
    match &parsed {
        Err(invalid) => {
            assert!(validation.has_errors());
            assert_eq!(invalid, &validation);
        }
        Ok(valid) => {
            assert!(!validation.has_errors());
            assert_eq!(valid.warnings, validation.issues);
            assert_eq!(valid.imap.is_some(), needs_imap(form));
            assert_eq!(valid.smtp.is_some(), needs_smtp(form));
            assert_eq!(valid.login.is_some(), needs_imap(form) || needs_smtp(form));
            assert_eq!(valid.microsoft.is_some(), needs_microsoft(form));
            for kept in [&valid.name, &valid.email] {
                assert_eq!(kept.trim(), kept.as_str());
                assert!(!kept.is_empty() && kept.chars().count() <= MAX_TEXT);
            }
            let ports = [
                valid.imap.as_ref().map(|i| i.port),
                valid.smtp.as_ref().map(|s| s.port),
            ];
            assert!(!ports.contains(&Some(0)));
            if let Some(microsoft) = &valid.microsoft {
                match &microsoft.client_secret {
                    SecretUpdate::Keep => assert!(ctx.secret_stored),
                    SecretUpdate::Replace(secret) => {
                        assert_eq!(secret, form.client_secret.trim());
                        assert!(Guid::parse(secret).is_err(), "a secret ID saved as secret");
                        assert!((16..=64).contains(&secret.chars().count()));
                    }
                }
            }
            if let Some(login) = &valid.login {
                match &login.password {
                    SecretUpdate::Keep => assert!(ctx.password_stored),
                    SecretUpdate::Replace(password) => {
                        assert_eq!(password, form.password.trim());
                        assert!(!password.is_empty());
                    }
                }
            }
        }
    }

    // Secrets stay out of Debug. Only `~` values without quotes are looked for: `~` appears in
    // no type or variant name, so such a value can show up only inside one quoted string of the
    // output, which is a leak unless another field's value holds it.
    let shown = [format!("{form:?}"), format!("{parsed:?}")];
    for secret in [form.password.trim(), form.client_secret.trim()] {
        if secret.len() < 8 || !secret.contains('~') || secret.contains('"') {
            continue;
        }
        let lower = secret.to_lowercase();
        let elsewhere = Field::ALL
            .into_iter()
            .filter(|field| !matches!(field, Field::Password | Field::ClientSecret))
            .filter_map(|field| form.text(field))
            .any(|value| format!("{value:?}").to_lowercase().contains(&lower));
        if !elsewhere {
            for text in &shown {
                assert!(!text.contains(secret), "a secret in Debug: {text}");
            }
        }
    }
}
