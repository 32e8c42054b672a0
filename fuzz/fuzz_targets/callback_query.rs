//! The OAuth callback's query as a browser (or anyone) may send it to `/auth/callback`:
//! `backend::connect::callback_query::parse_callback_query` on any text.
//!
//! Invariants checked beyond "no panic", each one the parser's doc promises:
//! - a code is granted only when there is no `error`, with a non-empty code and state;
//! - an `error` always wins (a failed admin consent carries `admin_consent=True` too);
//! - `Duplicate`/`Empty`/`Missing…` name a parameter that really is repeated/empty/absent;
//! - `Debug` of the result never shows the code or the state.

#![no_main]

use backend::connect::callback_query::{
    parse_callback_query, CallbackQuery, CallbackQueryError, KNOWN,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let result = parse_callback_query(raw);

    // An independent reading of the same query (before Microsoft's `#`).
    let query = raw.split('#').next().unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let values = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    };
    let first = |name: &str| values(name).first().copied();

    match &result {
        Ok(CallbackQuery::Granted { code, state }) => {
            assert!(values("error").is_empty(), "a code granted beside an error");
            assert!(!code.secret().is_empty() && !state.secret().is_empty());
            assert_eq!(Some(code.secret().as_str()), first("code"));
            assert_eq!(Some(state.secret().as_str()), first("state"));
        }
        Ok(CallbackQuery::Failed { error, state }) => {
            assert_eq!(Some(error.error.as_str()), first("error"));
            assert_eq!(
                error.error_description.as_deref(),
                first("error_description")
            );
            assert_eq!(state.as_ref().map(|s| s.secret().as_str()), first("state"));
        }
        Ok(CallbackQuery::AdminConsented { state, tenant }) => {
            assert!(values("error").is_empty() && values("code").is_empty());
            assert!(first("admin_consent").is_some_and(|v| v.eq_ignore_ascii_case("true")));
            assert!(!state.secret().is_empty());
            assert_eq!(tenant.as_deref(), first("tenant"));
        }
        Err(CallbackQueryError::Duplicate(name)) => assert!(values(name).len() > 1),
        Err(CallbackQueryError::Empty(name)) => assert_eq!(first(name), Some("")),
        Err(CallbackQueryError::MissingState) => assert!(values("state").is_empty()),
        Err(CallbackQueryError::MissingResult) => assert!(values("code").is_empty()),
    }
    if result.is_ok() {
        for name in KNOWN {
            assert!(values(name).len() <= 1, "{name} accepted twice");
        }
    }

    // Secrets stay out of Debug. A value with a digit and no quote can only show up inside
    // one quoted string of the output (the rest has no digits), so it is a leak unless
    // another parameter's shown value holds it.
    let shown = format!("{result:?}");
    for secret in [first("code"), first("state")].into_iter().flatten() {
        let telling = secret.len() >= 8
            && secret.chars().any(|c| c.is_ascii_digit())
            && !secret.contains('"');
        let elsewhere = [
            "error",
            "error_description",
            "error_uri",
            "error_subcode",
            "tenant",
        ]
        .iter()
        .filter_map(|name| first(name))
        .any(|value| format!("{value:?}").contains(secret));
        if telling && !elsewhere {
            assert!(!shown.contains(secret), "a secret in Debug: {shown}");
        }
    }
});
