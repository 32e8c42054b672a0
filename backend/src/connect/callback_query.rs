//! Parsing the query Microsoft sends the browser back with (docs/microsoft.md §2, §5) into what
//! it means: a code, an error, or an admin consent. Unknown parameters (`session_state`,
//! …) and a trailing `#` are tolerated; a known parameter twice is refused.

use oauth2::{AuthorizationCode, CsrfToken};

/// Microsoft's error as it arrives on the redirect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectError {
    pub error: String,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    /// e.g. `cancel` when the user pressed Cancel.
    pub error_subcode: Option<String>,
}

/// The callback's query, parsed. `Debug` shows neither code nor state.
#[derive(Debug)]
pub enum CallbackQuery {
    /// The user signed in: redeem `code`.
    Granted {
        code: AuthorizationCode,
        state: CsrfToken,
    },
    /// Microsoft refused; `state` is absent only when Microsoft sent none.
    Failed {
        error: RedirectError,
        state: Option<CsrfToken>,
    },
    /// The admin consent screen answered `admin_consent=True` without an error.
    AdminConsented {
        state: CsrfToken,
        tenant: Option<String>,
    },
}

/// Why the query is not a callback we can handle.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallbackQueryError {
    #[error("parameter '{0}' appears more than once")]
    Duplicate(&'static str),
    #[error("parameter 'state' is missing")]
    MissingState,
    #[error("neither 'code', 'error' nor 'admin_consent' is present")]
    MissingResult,
    #[error("parameter '{0}' is empty")]
    Empty(&'static str),
}

/// The parameters the callback reads; any other is ignored.
pub const KNOWN: [&str; 8] = [
    "code",
    "state",
    "error",
    "error_description",
    "error_uri",
    "error_subcode",
    "admin_consent",
    "tenant",
];

/// Parses the raw query string (without `?`).
pub fn parse_callback_query(raw: &str) -> Result<CallbackQuery, CallbackQueryError> {
    // Browsers never send a fragment, but a pasted URL may still end in Microsoft's `#`.
    let raw = raw.split('#').next().unwrap_or_default();
    let mut values: [Option<String>; KNOWN.len()] = Default::default();
    for (name, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        let Some(index) = KNOWN.iter().position(|known| *known == name) else {
            continue;
        };
        if values[index].is_some() {
            return Err(CallbackQueryError::Duplicate(KNOWN[index]));
        }
        values[index] = Some(value.into_owned());
    }
    let [code, state, error, error_description, error_uri, error_subcode, admin_consent, tenant] =
        values;
    let state = match state {
        Some(state) if state.is_empty() => return Err(CallbackQueryError::Empty("state")),
        state => state.map(CsrfToken::new),
    };
    // `error` first: a failed admin consent still carries `admin_consent=True`.
    if let Some(error) = error {
        return Ok(CallbackQuery::Failed {
            error: RedirectError {
                error,
                error_description,
                error_uri,
                error_subcode,
            },
            state,
        });
    }
    let state = state.ok_or(CallbackQueryError::MissingState)?;
    match (code, admin_consent) {
        (Some(code), _) if code.is_empty() => Err(CallbackQueryError::Empty("code")),
        (Some(code), _) => Ok(CallbackQuery::Granted {
            code: AuthorizationCode::new(code),
            state,
        }),
        (None, Some(consent)) if consent.eq_ignore_ascii_case("true") => {
            Ok(CallbackQuery::AdminConsented { state, tenant })
        }
        (None, _) => Err(CallbackQueryError::MissingResult),
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn granted(raw: &str) -> (String, String) {
        match parse_callback_query(raw) {
            Ok(CallbackQuery::Granted { code, state }) => {
                (code.secret().clone(), state.secret().clone())
            }
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn a_code_with_session_state_and_a_trailing_hash() {
        let raw = "code=0.AXkA-abc&state=s1&session_state=9a1b6c4e-0000-4000-8000-000000000001#";
        assert_eq!(granted(raw), ("0.AXkA-abc".into(), "s1".into()));
        assert_eq!(granted("state=s%2B1&code=x%20y&foo=bar&foo=baz").1, "s+1");
    }

    #[test]
    fn an_error_keeps_every_field() {
        let raw = "error=access_denied&error_description=AADSTS65004%3A+User+declined.&error_uri=https%3A%2F%2Flogin.microsoftonline.com%2Ferror%3Fcode%3D65004&error_subcode=cancel&state=s";
        let Ok(CallbackQuery::Failed { error, state }) = parse_callback_query(raw) else {
            panic!("not a failure")
        };
        assert_eq!(error.error, "access_denied");
        assert_eq!(
            error.error_description.as_deref(),
            Some("AADSTS65004: User declined.")
        );
        assert_eq!(
            error.error_uri.as_deref(),
            Some("https://login.microsoftonline.com/error?code=65004")
        );
        assert_eq!(error.error_subcode.as_deref(), Some("cancel"));
        assert_eq!(state.map(|s| s.secret().clone()).as_deref(), Some("s"));
    }

    #[test]
    fn an_error_beats_admin_consent_true() {
        let raw = "admin_consent=True&error=access_denied&state=s&tenant=t";
        assert!(matches!(
            parse_callback_query(raw),
            Ok(CallbackQuery::Failed { .. })
        ));
        let Ok(CallbackQuery::AdminConsented { tenant, .. }) =
            parse_callback_query("admin_consent=True&tenant=t&state=s&scope=x")
        else {
            panic!("not a consent")
        };
        assert_eq!(tenant.as_deref(), Some("t"));
    }

    #[test]
    fn missing_duplicate_and_empty_parameters_are_refused() {
        use CallbackQueryError::*;
        let cases = [
            ("code=a&code=b&state=s", Duplicate("code")),
            ("code=a&state=s&state=t", Duplicate("state")),
            ("code=a", MissingState),
            ("state=s", MissingResult),
            ("", MissingState),
            ("admin_consent=False&state=s", MissingResult),
            ("code=&state=s", Empty("code")),
            ("code=a&state=", Empty("state")),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_callback_query(raw).unwrap_err(), expected, "{raw}");
        }
    }

    #[test]
    fn debug_never_shows_code_or_state() {
        let parsed = parse_callback_query("code=geheim-code&state=geheime-state");
        let text = format!("{parsed:?}");
        assert!(
            !text.contains("geheim-code") && !text.contains("geheime-state"),
            "{text}"
        );
    }
}
