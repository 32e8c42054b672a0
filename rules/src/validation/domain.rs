//! Domain names (e-mail domains, tenant domains) and server host names.

/// Longest domain name DNS allows, in characters of its text form.
const MAX_DOMAIN: usize = 253;
/// Longest label (the part between dots) DNS allows.
const MAX_LABEL: usize = 63;

/// A DNS name with at least one dot: labels of letters, digits and inner hyphens, at most
/// 63 characters each, and a top-level label that is not all digits (so `10.0.0.1` is not a
/// domain). `ascii_only` refuses non-ASCII letters: Microsoft's login URLs take the ASCII
/// (punycode `xn--`) form, while an e-mail address may be typed with `ö`.
pub(crate) fn is_dns_name(text: &str, ascii_only: bool) -> bool {
    if text.chars().count() > MAX_DOMAIN || !text.contains('.') {
        return false;
    }
    let mut labels = text.split('.').peekable();
    while let Some(label) = labels.next() {
        if !is_label(label, ascii_only) {
            return false;
        }
        let is_top_level = labels.peek().is_none();
        if is_top_level && (label.chars().count() < 2 || label.chars().all(|c| c.is_ascii_digit()))
        {
            return false;
        }
    }
    true
}

fn is_label(label: &str, ascii_only: bool) -> bool {
    let letter_or_digit = |c: char| {
        if ascii_only {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        }
    };
    !label.is_empty()
        && label.chars().count() <= MAX_LABEL
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| letter_or_digit(c) || c == '-')
}

/// A server name as typed in "IMAP host"/"SMTP host": no whitespace, no scheme or path,
/// no user and no `:port` (IPv6 literals, with two or more colons, are let through).
pub(crate) fn is_plain_host(text: &str) -> bool {
    !text.is_empty()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && !text.contains(['/', '\\', '@', '?', '#'])
        && text.matches(':').count() != 1
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn dns_names() {
        let cases = [
            ("contoso.onmicrosoft.com", true, true),
            ("energie-cooperatie.nl", true, true),
            ("a.b.c.d.nl", true, true),
            ("xn--energiecoperatie-hwb.nl", true, true),
            ("coöperatie.nl", true, false),
            ("coöperatie.nl", false, true),
            ("localhost", true, false),
            ("contoso.", true, false),
            (".contoso.nl", true, false),
            ("contoso..nl", true, false),
            ("-contoso.nl", true, false),
            ("contoso-.nl", true, false),
            ("contoso.n", true, false),
            ("10.0.0.1", true, false),
            ("contoso.nl/", true, false),
            ("con toso.nl", true, false),
            ("con_toso.nl", true, false),
            ("", true, false),
        ];
        for (input, ascii_only, expected) in cases {
            assert_eq!(
                is_dns_name(input, ascii_only),
                expected,
                "{input} {ascii_only}"
            );
        }
    }

    #[test]
    fn long_names() {
        let label = "a".repeat(63);
        assert!(is_dns_name(&format!("{label}.nl"), true));
        assert!(!is_dns_name(&format!("{label}a.nl"), true));
        let long = format!("{label}.{label}.{label}.{label}.nl");
        assert!(!is_dns_name(&long, true));
    }

    #[test]
    fn plain_hosts() {
        let cases = [
            ("imap.example.nl", true),
            ("outlook.office365.com", true),
            ("192.168.1.10", true),
            ("::1", true),
            ("mail", true),
            ("", false),
            ("imap.example.nl:993", false),
            ("https://imap.example.nl", false),
            ("imap .example.nl", false),
            ("user@imap.example.nl", false),
            ("imap.example.nl/inbox", false),
        ];
        for (input, expected) in cases {
            assert_eq!(is_plain_host(input), expected, "{input}");
        }
    }
}
