//! The "Client secret waarde" field, and the redacted type that carries secrets (client
//! secret, password) out of validation.
//!
//! Shapes from docs/microsoft.md §1 (project notes): current secrets are 40 characters
//! `[A-Za-z0-9._~-]{3}8Q~[A-Za-z0-9._~-]{34}`, the previous generation 37 characters
//! `{3}7Q~{31}`, legacy secrets 32–44 characters; Graph accepts 16–64 characters at all.

use std::fmt;

use super::form::{Field, MailboxForm};
use super::guid::Guid;
use super::issue::IssueCode;
use super::ValidationContext;

/// Shortest and longest client secret Microsoft accepts.
const SECRET_LENGTHS: std::ops::RangeInclusive<usize> = 16..=64;
/// Length range of legacy (pre-2021) secrets.
const LEGACY_LENGTHS: std::ops::RangeInclusive<usize> = 32..=44;

/// Which generation of Microsoft client secret a value looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretShape {
    /// 40 characters with `8Q~` at positions 4–6.
    Current,
    /// 37 characters with `7Q~` at positions 4–6.
    Previous,
    /// 32–44 visible ASCII characters.
    Legacy,
    /// None of the above.
    Unknown,
}

/// Classifies a (trimmed) secret value.
pub fn secret_shape(value: &str) -> SecretShape {
    let marker = value.get(3..6);
    let url_safe = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._~-".contains(c));
    match (value.len(), marker) {
        (40, Some("8Q~")) if url_safe => SecretShape::Current,
        (37, Some("7Q~")) if url_safe => SecretShape::Previous,
        (len, _)
            if LEGACY_LENGTHS.contains(&len) && value.chars().all(|c| c.is_ascii_graphic()) =>
        {
            SecretShape::Legacy
        }
        _ => SecretShape::Unknown,
    }
}

/// A secret from the form: a new value, or "keep what is stored" when left empty on an
/// existing mailbox. `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub enum SecretUpdate {
    /// The field was left empty and a value is already stored.
    Keep,
    /// A new value, trimmed of surrounding whitespace and otherwise exactly as typed.
    Replace(String),
}

impl fmt::Debug for SecretUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretUpdate::Keep => f.write_str("Keep"),
            SecretUpdate::Replace(_) => f.write_str("Replace([redacted])"),
        }
    }
}

/// Client secret waarde; empty keeps the stored secret on an existing mailbox.
pub(crate) fn client_secret(
    form: &MailboxForm,
    ctx: &ValidationContext,
) -> Result<SecretUpdate, IssueCode> {
    match form.trimmed(Field::ClientSecret) {
        "" if ctx.secret_stored || ctx.registration_secret => Ok(SecretUpdate::Keep),
        "" => Err(IssueCode::Required(Field::ClientSecret)),
        value => {
            let client_id = form.trimmed(Field::ClientId);
            check_client_secret(value, client_id, form.trimmed(Field::TenantId))?;
            Ok(SecretUpdate::Replace(value.to_owned()))
        }
    }
}

/// Warning when the secret fits none of Microsoft's shapes.
pub(crate) fn client_secret_warnings(secret: &SecretUpdate) -> Vec<IssueCode> {
    match secret {
        SecretUpdate::Keep => Vec::new(),
        SecretUpdate::Replace(value) => shape_warnings(value),
    }
}

/// Errors for a trimmed, non-empty secret value, compared with the trimmed client and
/// tenant IDs as typed. The first problem found is returned.
fn check_client_secret(value: &str, client_id: &str, tenant_id: &str) -> Result<(), IssueCode> {
    if same_id(value, client_id) {
        return Err(IssueCode::SecretEqualsClientId);
    }
    if same_id(value, tenant_id) {
        return Err(IssueCode::SecretEqualsTenantId);
    }
    if Guid::parse(value).is_ok() {
        // Secret IDs are GUIDs, secret values never are (AADSTS7000215).
        return Err(IssueCode::SecretIsSecretId);
    }
    if !SECRET_LENGTHS.contains(&value.chars().count()) {
        return Err(IssueCode::SecretLength);
    }
    Ok(())
}

/// The warning for a secret that passed [`check_client_secret`] but fits no known shape.
fn shape_warnings(value: &str) -> Vec<IssueCode> {
    match secret_shape(value) {
        SecretShape::Unknown => vec![IssueCode::SecretUnknownShape],
        _ => Vec::new(),
    }
}

/// Equal as IDs: the same GUID however written, or the same text ignoring ASCII case
/// (tenant domains).
fn same_id(value: &str, id: &str) -> bool {
    if id.is_empty() {
        return false;
    }
    match (Guid::parse(value), Guid::parse(id)) {
        (Ok(a), Ok(b)) => a == b,
        _ => value.eq_ignore_ascii_case(id),
    }
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const CURRENT: &str = "abc8Q~defghijklmnopqrstuvwxyz0123456789.";
    const PREVIOUS: &str = "abc7Q~defghijklmnopqrstuvwxyz0123456-";
    const CLIENT: &str = "1b2c3d4e-0000-4000-8000-00000000abcd";
    const TENANT: &str = "aaaaaaaa-1111-2222-3333-444455556666";
    const OBJECT: &str = "0f0e0d0c-0b0a-0908-0706-050403020100";
    const SECRET: &str = CURRENT;

    #[test]
    fn shapes() {
        assert_eq!(CURRENT.len(), 40);
        assert_eq!(PREVIOUS.len(), 37);
        let cases = [
            (CURRENT, SecretShape::Current),
            (PREVIOUS, SecretShape::Previous),
            ("Zx+3/aB9=kLmN0pQrStUvWxYz12345678AbC", SecretShape::Legacy),
            (
                "abc8Q~defghijklmnopqrstuvwxyz012345678+",
                SecretShape::Legacy,
            ),
            ("abcdefghijklmnop", SecretShape::Unknown),
            (
                "abc8Q~defghijklmnopqrstuvwxyz0123456789.x",
                SecretShape::Legacy,
            ),
            (
                "abc8Q~defghijklm opqrstuvwxyz0123456789.",
                SecretShape::Unknown,
            ),
            (
                "éc8Q~defghijklmnopqrstuvwxyz0123456789.",
                SecretShape::Unknown,
            ),
            ("", SecretShape::Unknown),
        ];
        for (input, expected) in cases {
            assert_eq!(secret_shape(input), expected, "{input}");
        }
    }

    #[test]
    fn errors() {
        let cases = [
            (CLIENT, CLIENT, "", Err(IssueCode::SecretEqualsClientId)),
            (
                "{1B2C3D4E-0000-4000-8000-00000000ABCD}",
                CLIENT,
                "",
                Err(IssueCode::SecretEqualsClientId),
            ),
            (CLIENT, "", CLIENT, Err(IssueCode::SecretEqualsTenantId)),
            (
                "Contoso.nl",
                "",
                "contoso.nl",
                Err(IssueCode::SecretEqualsTenantId),
            ),
            (
                "d4c5b6a7-1111-2222-3333-444455556666",
                CLIENT,
                "contoso.nl",
                Err(IssueCode::SecretIsSecretId),
            ),
            ("short", CLIENT, "", Err(IssueCode::SecretLength)),
            (&"x".repeat(65), CLIENT, "", Err(IssueCode::SecretLength)),
            (CURRENT, CLIENT, "contoso.nl", Ok(())),
            ("abcdefghijklmnop", CLIENT, "", Ok(())),
        ];
        for (value, client, tenant, expected) in cases {
            assert_eq!(
                check_client_secret(value, client, tenant),
                expected,
                "{value}"
            );
        }
    }

    #[test]
    fn client_secret_rules() {
        let stored = ValidationContext {
            secret_stored: true,
            ..ValidationContext::default()
        };
        let fresh = ValidationContext::default();
        let of_registration = ValidationContext {
            registration_secret: true,
            ..ValidationContext::default()
        };
        let with_secret = |secret: &str| MailboxForm {
            client_secret: secret.into(),
            client_id: CLIENT.into(),
            tenant_id: TENANT.into(),
            ..MailboxForm::default()
        };
        let cases = [
            (with_secret(""), &stored, Ok(SecretUpdate::Keep)),
            (with_secret(""), &of_registration, Ok(SecretUpdate::Keep)),
            (
                with_secret(&format!(" {SECRET}\n")),
                &of_registration,
                Ok(SecretUpdate::Replace(SECRET.into())),
            ),
            (
                with_secret(" "),
                &fresh,
                Err(IssueCode::Required(Field::ClientSecret)),
            ),
            (
                with_secret(&format!(" {SECRET}\n")),
                &fresh,
                Ok(SecretUpdate::Replace(SECRET.into())),
            ),
            (
                with_secret(OBJECT),
                &stored,
                Err(IssueCode::SecretIsSecretId),
            ),
            (
                with_secret(CLIENT),
                &fresh,
                Err(IssueCode::SecretEqualsClientId),
            ),
            (
                with_secret(TENANT),
                &fresh,
                Err(IssueCode::SecretEqualsTenantId),
            ),
            (with_secret("geheim"), &fresh, Err(IssueCode::SecretLength)),
        ];
        for (form, ctx, expected) in cases {
            assert_eq!(client_secret(&form, ctx), expected, "{form:?}");
        }
        let odd = SecretUpdate::Replace("my own secret value".into());
        assert_eq!(
            client_secret_warnings(&odd),
            [IssueCode::SecretUnknownShape]
        );
        assert!(client_secret_warnings(&SecretUpdate::Replace(SECRET.into())).is_empty());
        let previous = SecretUpdate::Replace(PREVIOUS.into());
        assert!(client_secret_warnings(&previous).is_empty());
        assert!(client_secret_warnings(&SecretUpdate::Keep).is_empty());
    }

    #[test]
    fn debug_is_redacted() {
        let shown = format!("{:?}", SecretUpdate::Replace(CURRENT.to_owned()));
        assert!(!shown.contains("8Q~"), "{shown}");
        assert_eq!(format!("{:?}", SecretUpdate::Keep), "Keep");
    }
}
