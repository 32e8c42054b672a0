//! When to refresh, who may, and whether a failed refresh means "reconnect" (docs/microsoft.md
//! §3, §7). Pure: `now` is an argument.

use chrono::{DateTime, Duration, Utc};

use crate::microsoft::identity::microsoft_error::MicrosoftError;

/// A token with less than this left counts as expired (as MSAL does).
pub const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// Whether an access token expiring at `expires_at` must be refreshed `now`.
pub fn refresh_due(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    expires_at - now < REFRESH_MARGIN
}

/// Whether the refresh lease may be taken `now`: nobody holds it, or the holder's time ran
/// out (it crashed or hung).
pub fn lease_free(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    until.is_none_or(|until| until <= now)
}

/// What a refresh failure means for the mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshVerdict {
    /// Only an interactive sign-in helps: set "Opnieuw verbinden nodig".
    ReconnectNeeded,
    /// Try again later; the stored tokens stay as they are.
    Transient,
}

/// AADSTS codes after which the refresh token is useless: expired code or token (70008,
/// 700082), revoked grant (50173), MFA or sign-in frequency (50076, 50078, 50079, 70043),
/// consent withdrawn (65001), secret invalid or expired (7000215, 7000222), app gone (700016).
const DEFINITIVE_CODES: [u32; 11] = [
    70008, 700082, 50173, 50076, 50078, 50079, 70043, 65001, 7000215, 7000222, 700016,
];

/// A client assertion outside its valid time range (700024): this server's clock is off.
/// It comes as `invalid_client`, but the refresh token is still good and a sign-in would be
/// refused the same way; once the clock is right the next refresh succeeds.
const CLOCK_CODES: [u32; 1] = [700024];

/// Classifies Microsoft's refusal of a refresh. `invalid_grant` and friends are definitive;
/// `server_error`, `temporarily_unavailable`, a clock off (700024) and anything unknown are
/// not.
pub fn classify(error: &MicrosoftError) -> RefreshVerdict {
    if error
        .aadsts()
        .is_some_and(|code| CLOCK_CODES.contains(&code))
    {
        return RefreshVerdict::Transient;
    }
    let definitive_error = matches!(
        error.error.as_str(),
        "invalid_grant" | "interaction_required" | "invalid_client" | "unauthorized_client"
    );
    let definitive_code = error
        .aadsts()
        .is_some_and(|code| DEFINITIVE_CODES.contains(&code));
    if definitive_error || definitive_code {
        RefreshVerdict::ReconnectNeeded
    } else {
        RefreshVerdict::Transient
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 2, 10, 0, 0).unwrap()
    }

    #[test]
    fn due_when_less_than_five_minutes_remain() {
        assert!(!refresh_due(now() + Duration::minutes(60), now()));
        assert!(!refresh_due(now() + Duration::minutes(5), now()));
        assert!(refresh_due(
            now() + Duration::minutes(5) - Duration::seconds(1),
            now()
        ));
        assert!(refresh_due(now() - Duration::minutes(1), now()));
    }

    #[test]
    fn a_lease_is_free_when_absent_or_run_out() {
        assert!(lease_free(None, now()));
        assert!(lease_free(Some(now()), now()));
        assert!(!lease_free(Some(now() + Duration::seconds(1)), now()));
    }

    fn error(error: &str, codes: &[u32]) -> MicrosoftError {
        MicrosoftError {
            error: error.into(),
            error_codes: codes.to_vec(),
            ..MicrosoftError::default()
        }
    }

    #[test]
    fn invalid_grant_means_reconnect() {
        for code in [70008, 700082, 50173, 50076] {
            assert_eq!(
                classify(&error("invalid_grant", &[code])),
                RefreshVerdict::ReconnectNeeded
            );
        }
        assert_eq!(
            classify(&error("invalid_client", &[7000222])),
            RefreshVerdict::ReconnectNeeded
        );
    }

    #[test]
    fn a_clock_off_is_not_a_reason_to_sign_in_again() {
        assert_eq!(
            classify(&error("invalid_client", &[700024])),
            RefreshVerdict::Transient
        );
        // Another refusal of the certificate still needs the admin.
        assert_eq!(
            classify(&error("invalid_client", &[700027])),
            RefreshVerdict::ReconnectNeeded
        );
    }

    #[test]
    fn outages_are_transient() {
        assert_eq!(
            classify(&error("server_error", &[])),
            RefreshVerdict::Transient
        );
        assert_eq!(
            classify(&error("temporarily_unavailable", &[])),
            RefreshVerdict::Transient
        );
    }
}
