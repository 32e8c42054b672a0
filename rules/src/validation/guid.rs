//! GUIDs as Microsoft shows them (tenant, client and object IDs) and the tenant reference.
//!
//! Accepted text: `8-4-4-4-12` hexadecimal digits in any case, optionally wrapped in `{}`
//! (the registry/.NET "B" form some tools copy). Braces are accepted because the value is
//! stored in canonical form anyway, so nothing of the typed text reaches Microsoft.
//! Version and variant nibbles are not checked: Microsoft's own example GUIDs are not v4
//! (docs/microsoft.md §1 in the project notes).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::domain::is_dns_name;

/// A GUID parsed from text; displays as lowercase `8-4-4-4-12`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Guid(u128);

/// The text is not a GUID in `8-4-4-4-12` form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuidError;

impl fmt::Display for GuidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a GUID in 8-4-4-4-12 form")
    }
}

impl std::error::Error for GuidError {}

/// Offsets of the hyphens in the 36-character form.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];

impl Guid {
    /// The all-zero GUID, a placeholder that is never a real ID.
    pub const NIL: Guid = Guid(0);

    /// The tenant of personal Microsoft accounts (outlook.com, hotmail.com).
    pub const CONSUMER_TENANT: Guid = Guid(0x9188040d_6c67_4c5b_b112_36a304b66dad);

    /// Parses `8-4-4-4-12` hex, any case, optionally in `{}`; no trimming here.
    ///
    /// # Errors
    ///
    /// [`GuidError`] for any other text.
    pub fn parse(text: &str) -> Result<Guid, GuidError> {
        let inner = text
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(text);
        if inner.len() != 36 {
            return Err(GuidError);
        }
        let mut value: u128 = 0;
        for (index, byte) in inner.bytes().enumerate() {
            if HYPHENS.contains(&index) {
                if byte != b'-' {
                    return Err(GuidError);
                }
                continue;
            }
            let digit = char::from(byte).to_digit(16).ok_or(GuidError)?;
            value = (value << 4) | u128::from(digit);
        }
        Ok(Guid(value))
    }

    /// True for `00000000-0000-0000-0000-000000000000`.
    pub fn is_nil(self) -> bool {
        self == Guid::NIL
    }
}

impl FromStr for Guid {
    type Err = GuidError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Guid::parse(text)
    }
}

impl TryFrom<String> for Guid {
    type Error = GuidError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Guid::parse(&text)
    }
}

impl From<Guid> for String {
    fn from(guid: Guid) -> String {
        guid.to_string()
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            v >> 96,
            (v >> 80) & 0xffff,
            (v >> 64) & 0xffff,
            (v >> 48) & 0xffff,
            v & 0xffff_ffff_ffff
        )
    }
}

/// The tenant part of Microsoft's login URLs: a directory GUID or a verified domain.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TenantRef {
    /// Directory (tenant) ID.
    Guid(Guid),
    /// A domain of the tenant, lowercase, e.g. `contoso.onmicrosoft.com`.
    Domain(String),
}

impl TenantRef {
    /// Reads a trimmed tenant value as a GUID or, failing that, as a domain name.
    /// Rejecting `common`, the nil and the consumer tenant is the rules' job, not this one.
    pub fn parse(text: &str) -> Option<TenantRef> {
        if let Ok(guid) = Guid::parse(text) {
            return Some(TenantRef::Guid(guid));
        }
        is_dns_name(text, true).then(|| TenantRef::Domain(text.to_ascii_lowercase()))
    }
}

impl fmt::Display for TenantRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TenantRef::Guid(guid) => guid.fmt(f),
            TenantRef::Domain(domain) => f.write_str(domain),
        }
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SAMPLE: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

    #[test]
    fn parses_and_displays_lowercase() {
        let cases = [
            (SAMPLE, SAMPLE),
            ("9188040D-6C67-4C5B-B112-36A304B66DAD", SAMPLE),
            ("{9188040d-6c67-4c5b-b112-36a304b66dad}", SAMPLE),
            (
                "00000000-0000-0000-0000-000000000000",
                "00000000-0000-0000-0000-000000000000",
            ),
            (
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
            ),
            // Not v4 and that is fine.
            (
                "12345678-1234-1234-1234-123456789abc",
                "12345678-1234-1234-1234-123456789abc",
            ),
        ];
        for (input, shown) in cases {
            assert_eq!(Guid::parse(input).unwrap().to_string(), shown, "{input}");
        }
        assert_eq!(Guid::parse(SAMPLE).unwrap(), Guid::CONSUMER_TENANT);
    }

    #[test]
    fn refuses_other_shapes() {
        let cases = [
            "",
            "9188040d6c674c5bb11236a304b66dad",
            "9188040d-6c67-4c5b-b112-36a304b66da",
            "9188040d-6c67-4c5b-b112-36a304b66dadd",
            "9188040d_6c67-4c5b-b112-36a304b66dad",
            "9188040g-6c67-4c5b-b112-36a304b66dad",
            "{9188040d-6c67-4c5b-b112-36a304b66dad",
            "9188040d-6c67-4c5b-b112-36a304b66dad}",
            " 9188040d-6c67-4c5b-b112-36a304b66dad",
            "9188040d-6c67-4c5b-b112-36a304b66dé",
            "+188040d-6c67-4c5b-b112-36a304b66dad",
        ];
        for input in cases {
            assert_eq!(Guid::parse(input), Err(GuidError), "{input:?}");
        }
    }

    #[test]
    fn nil_is_recognised() {
        assert!(Guid::parse("00000000-0000-0000-0000-000000000000")
            .unwrap()
            .is_nil());
        assert!(!Guid::CONSUMER_TENANT.is_nil());
    }

    #[test]
    fn serde_uses_the_text_form() {
        let guid = Guid::CONSUMER_TENANT;
        let text: String = guid.into();
        assert_eq!(Guid::try_from(text).unwrap(), guid);
        assert!(Guid::try_from("nope".to_owned()).is_err());
    }

    #[test]
    fn tenant_ref_reads_guid_or_domain() {
        let cases = [
            (SAMPLE, Some(TenantRef::Guid(Guid::CONSUMER_TENANT))),
            (
                "Contoso.onmicrosoft.com",
                Some(TenantRef::Domain("contoso.onmicrosoft.com".into())),
            ),
            (
                "energie-cooperatie.nl",
                Some(TenantRef::Domain("energie-cooperatie.nl".into())),
            ),
            ("contoso", None),
            ("https://login.microsoftonline.com/contoso.nl", None),
            ("info@contoso.nl", None),
            ("coöperatie.nl", None),
        ];
        for (input, expected) in cases {
            assert_eq!(TenantRef::parse(input), expected, "{input}");
        }
        assert_eq!(
            TenantRef::parse("CONTOSO.NL").unwrap().to_string(),
            "contoso.nl"
        );
    }
}
