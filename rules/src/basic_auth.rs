//! Basic authentication ending at Microsoft 365 (issue 23): which IMAP/SMTP mailboxes are
//! Microsoft 365 mailboxes on a password, and so about to stop (docs/microsoft.md §10).
//! Pure: the hosts are compared, nothing is looked up.

/// Microsoft 365's IMAP and SMTP AUTH hosts (docs/microsoft.md §10).
pub const MICROSOFT_365_HOSTS: [&str; 2] = ["outlook.office365.com", "smtp.office365.com"];

/// When SMTP AUTH with basic authentication is switched off by default for existing tenants:
/// "end of December 2026" in Microsoft's announcement (docs/microsoft.md §10).
pub const SMTP_BASIC_AUTH_OFF: &str = "2026-12";

/// Where Microsoft announced it: the Exchange Team's blog post of 27 January 2026.
pub const ANNOUNCEMENT_URL: &str = "https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835";

/// Whether `host` is one of Microsoft 365's IMAP or SMTP hosts: case-insensitive, with or
/// without the trailing dot of a fully qualified name, surrounding spaces ignored.
pub fn is_microsoft_365_host(host: &str) -> bool {
    let host = host.trim();
    let host = host.strip_suffix('.').unwrap_or(host);
    MICROSOFT_365_HOSTS
        .iter()
        .any(|known| known.eq_ignore_ascii_case(host))
}

/// Whether a mailbox fetches over IMAP or sends over SMTP with a password at Microsoft 365:
/// `imap_host` counts only when it fetches over IMAP, `smtp_host` only when it sends over
/// SMTP (a host left in an unused column stops nothing).
pub fn basic_auth_ending(imap_host: Option<&str>, smtp_host: Option<&str>) -> bool {
    imap_host.is_some_and(is_microsoft_365_host) || smtp_host.is_some_and(is_microsoft_365_host)
}

/// The answer of "Overstappen naar Microsoft Api".
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SwitchOutcome {
    /// Incoming and outgoing are Microsoft Api now; `prefilled` when another mailbox's app
    /// registration was filled in.
    Switched {
        prefilled: bool,
    },
    /// The mailbox uses no Microsoft 365 server with a password: nothing changed.
    NotApplicable,
    NotFound,
}

/// Query parameter on the mailbox page after a switch: `1`, or `2` when prefilled.
pub const SWITCHED_PARAM: &str = "overgestapt";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_365_hosts_in_any_case_with_a_trailing_dot() {
        for host in [
            "outlook.office365.com",
            "smtp.office365.com",
            "Outlook.Office365.COM",
            "SMTP.OFFICE365.COM.",
            " outlook.office365.com ",
        ] {
            assert!(is_microsoft_365_host(host), "{host}");
        }
        for host in [
            "",
            ".",
            "office365.com",
            "imap.office365.com.example.nl",
            "outlook.office365.com..",
            "mail.example.nl",
            "xoutlook.office365.com",
            "smtp-mail.outlook.com",
        ] {
            assert!(!is_microsoft_365_host(host), "{host}");
        }
    }

    #[test]
    fn either_server_makes_the_mailbox_one_on_basic_auth() {
        assert!(basic_auth_ending(Some("outlook.office365.com"), None));
        assert!(basic_auth_ending(
            Some("mail.example.nl"),
            Some("smtp.office365.com")
        ));
        assert!(!basic_auth_ending(
            Some("mail.example.nl"),
            Some("mail.example.nl")
        ));
        assert!(!basic_auth_ending(None, None));
    }
}
