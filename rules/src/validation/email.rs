//! Pragmatic e-mail address syntax: what a mailbox address in Microsoft 365 or at a hosting
//! provider looks like, not the full RFC 5322 grammar (no quoted local parts, no comments,
//! no IP-literal domains).

use super::domain::is_dns_name;
use super::issue::IssueCode;

/// Longest address that fits in SMTP's forward path (RFC 5321 §4.5.3.1.3).
const MAX_ADDRESS: usize = 254;
/// Longest local part (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL: usize = 64;

/// Checks a trimmed, non-empty address; the first problem found is returned.
pub fn check_email(address: &str) -> Result<(), IssueCode> {
    if address.chars().any(char::is_whitespace) {
        return Err(IssueCode::EmailWhitespace);
    }
    if address.chars().count() > MAX_ADDRESS {
        return Err(IssueCode::EmailTooLong);
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err(IssueCode::EmailAtSign);
    };
    if domain.contains('@') {
        return Err(IssueCode::EmailAtSign);
    }
    if !is_local_part(local) {
        return Err(IssueCode::EmailLocalPart);
    }
    if !is_dns_name(domain, false) {
        return Err(IssueCode::EmailDomain);
    }
    Ok(())
}

fn is_local_part(local: &str) -> bool {
    // RFC 5322 "atext" plus dots between atoms; letters beyond ASCII are allowed because
    // Exchange Online accepts internationalised addresses.
    let allowed = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    !local.is_empty()
        && local.chars().count() <= MAX_LOCAL
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(allowed)
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn accepts_ordinary_addresses() {
        let cases = [
            "info@energiecooperatie.nl",
            "Info@EnergieCooperatie.NL",
            "ledenadministratie@contoso.onmicrosoft.com",
            "jan.de.vries+mailbox@zon-op-dak.nl",
            "o'brien@example.co.uk",
            "info@coöperatie.nl",
            "x@a.io",
        ];
        for input in cases {
            assert_eq!(check_email(input), Ok(()), "{input}");
        }
    }

    #[test]
    fn refuses_with_the_specific_reason() {
        let long_local = format!("{}@example.nl", "a".repeat(65));
        let long_address = format!("a@{}.nl", "b.".repeat(130));
        let cases = [
            ("info @example.nl", IssueCode::EmailWhitespace),
            ("info@example.nl\u{a0}x", IssueCode::EmailWhitespace),
            ("info@exam\tple.nl", IssueCode::EmailWhitespace),
            ("info.example.nl", IssueCode::EmailAtSign),
            ("info@@example.nl", IssueCode::EmailAtSign),
            ("info@example@nl.nl", IssueCode::EmailAtSign),
            ("@example.nl", IssueCode::EmailLocalPart),
            (".info@example.nl", IssueCode::EmailLocalPart),
            ("info.@example.nl", IssueCode::EmailLocalPart),
            ("in..fo@example.nl", IssueCode::EmailLocalPart),
            ("\"info\"@example.nl", IssueCode::EmailLocalPart),
            ("in,fo@example.nl", IssueCode::EmailLocalPart),
            (long_local.as_str(), IssueCode::EmailLocalPart),
            ("info@", IssueCode::EmailDomain),
            ("info@localhost", IssueCode::EmailDomain),
            ("info@example.", IssueCode::EmailDomain),
            ("info@example..nl", IssueCode::EmailDomain),
            ("info@[10.0.0.1]", IssueCode::EmailDomain),
            ("info@10.0.0.1", IssueCode::EmailDomain),
            ("info@exa_mple.nl", IssueCode::EmailDomain),
            (long_address.as_str(), IssueCode::EmailTooLong),
        ];
        for (input, expected) in cases {
            assert_eq!(check_email(input), Err(expected), "{input}");
        }
    }
}
