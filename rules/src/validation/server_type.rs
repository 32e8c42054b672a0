//! The select fields' choices, with the string codes Econobis stores (`ms-oauth` for
//! Microsoft Api).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The text is none of a select field's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownCode;

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown option code")
    }
}

impl std::error::Error for UnknownCode {}

/// Generates `as_str`, `ALL`, `FromStr` (ASCII case-insensitive) and `Display` from one
/// table, so the codes cannot drift apart.
macro_rules! coded_enum {
    ($name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every choice, in the order the form offers them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and sent by the form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|choice| choice.as_str().eq_ignore_ascii_case(text))
                    .ok_or(UnknownCode)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// "Inkomende mail type".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IncomingType {
    /// IMAP with username and password.
    #[serde(rename = "imap")]
    Imap,
    /// Microsoft Graph through OAuth ("Microsoft Api").
    #[serde(rename = "ms-oauth")]
    MicrosoftApi,
    /// N.v.t.: only for a mailbox for outgoing mail only.
    #[serde(rename = "none")]
    None,
}

coded_enum!(IncomingType { Imap => "imap", MicrosoftApi => "ms-oauth", None => "none" });

/// "Uitgaande mail type".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutgoingType {
    /// SMTP with username and password.
    #[serde(rename = "smtp")]
    Smtp,
    /// Microsoft Graph `sendMail` ("Microsoft Api").
    #[serde(rename = "ms-oauth")]
    MicrosoftApi,
}

coded_enum!(OutgoingType { Smtp => "smtp", MicrosoftApi => "ms-oauth" });

/// "Versleutelde verbinding". No encryption is the empty choice, parsed as `Option::None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Encryption {
    /// TLS from the first byte (IMAPS 993, SMTPS 465).
    #[serde(rename = "ssl")]
    Ssl,
    /// STARTTLS upgrade (SMTP 587, IMAP 143), as Econobis/Laravel call it.
    #[serde(rename = "tls")]
    Tls,
}

coded_enum!(Encryption { Ssl => "ssl", Tls => "tls" });

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn codes_round_trip() {
        for choice in IncomingType::ALL {
            assert_eq!(choice.as_str().parse::<IncomingType>(), Ok(*choice));
        }
        for choice in OutgoingType::ALL {
            assert_eq!(choice.as_str().parse::<OutgoingType>(), Ok(*choice));
        }
        for choice in Encryption::ALL {
            assert_eq!(choice.as_str().parse::<Encryption>(), Ok(*choice));
        }
    }

    #[test]
    fn codes_are_the_stored_ones() {
        let cases = [
            ("imap", Ok(IncomingType::Imap)),
            ("ms-oauth", Ok(IncomingType::MicrosoftApi)),
            ("MS-OAUTH", Ok(IncomingType::MicrosoftApi)),
            ("none", Ok(IncomingType::None)),
            ("mailgun", Err(UnknownCode)),
            ("", Err(UnknownCode)),
        ];
        for (input, expected) in cases {
            assert_eq!(input.parse::<IncomingType>(), expected, "{input}");
        }
        assert_eq!("smtp".parse::<OutgoingType>(), Ok(OutgoingType::Smtp));
        assert_eq!("mailgun".parse::<OutgoingType>(), Err(UnknownCode));
        assert_eq!("none".parse::<OutgoingType>(), Err(UnknownCode));
        assert_eq!("tls".parse::<Encryption>(), Ok(Encryption::Tls));
        assert_eq!("starttls".parse::<Encryption>(), Err(UnknownCode));
        assert_eq!(OutgoingType::MicrosoftApi.to_string(), "ms-oauth");
    }

    #[test]
    fn serde_reads_the_codes() {
        use serde::de::value::{Error, StrDeserializer};
        use serde::de::IntoDeserializer;
        let read = |code: &'static str| {
            let deserializer: StrDeserializer<'_, Error> = code.into_deserializer();
            IncomingType::deserialize(deserializer)
        };
        assert_eq!(read("ms-oauth").unwrap(), IncomingType::MicrosoftApi);
        assert_eq!(read("none").unwrap(), IncomingType::None);
        assert!(read("MicrosoftApi").is_err());
        let deserializer: StrDeserializer<'_, Error> = "smtp".into_deserializer();
        assert_eq!(
            OutgoingType::deserialize(deserializer).unwrap(),
            OutgoingType::Smtp
        );
        let deserializer: StrDeserializer<'_, Error> = "tls".into_deserializer();
        assert_eq!(
            Encryption::deserialize(deserializer).unwrap(),
            Encryption::Tls
        );
    }
}
