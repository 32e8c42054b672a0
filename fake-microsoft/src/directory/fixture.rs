//! Loading a directory from a fixture (JSON): parse, check identifiers are unique, number the
//! messages for delta queries.

use std::collections::HashSet;
use std::path::Path;

use super::Directory;

/// Why a fixture could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The file could not be read.
    #[error("cannot read fixture {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The JSON does not match the fixture format.
    #[error("fixture is not valid: {0}")]
    Json(#[from] serde_json::Error),
    /// An identifier appears twice.
    #[error("fixture has a duplicate {kind}: {value}")]
    Duplicate {
        /// Which identifier.
        kind: &'static str,
        /// Its value.
        value: String,
    },
}

/// The demo fixture shipped with the crate (`fixtures/demo.json`).
pub const DEMO_FIXTURE: &str = include_str!("../../fixtures/demo.json");

impl Directory {
    /// Parses and checks a fixture.
    pub fn from_json(json: &str) -> Result<Self, FixtureError> {
        let mut directory: Directory = serde_json::from_str(json)?;
        directory.check_unique()?;
        directory.number_new_messages();
        Ok(directory)
    }

    /// Reads, parses and checks a fixture file.
    pub fn from_file(path: &Path) -> Result<Self, FixtureError> {
        let json = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&json)
    }

    /// The demo directory (`fixtures/demo.json`).
    pub fn demo() -> Result<Self, FixtureError> {
        Self::from_json(DEMO_FIXTURE)
    }

    /// Checks that tenant IDs, domains, object IDs, UPNs, client IDs and message IDs are
    /// unique; the admin API runs it after each change too.
    pub fn check_unique(&self) -> Result<(), FixtureError> {
        let mut seen = Seen::default();
        for tenant in &self.tenants {
            seen.insert("tenant ID", tenant.id.to_string())?;
            for domain in &tenant.domains {
                seen.insert("domain", domain.to_ascii_lowercase())?;
            }
            for user in &tenant.users {
                seen.insert("user object ID", user.object_id.to_string())?;
                seen.insert(
                    "user principal name",
                    user.user_principal_name.to_ascii_lowercase(),
                )?;
                for message in &user.messages {
                    seen.insert("message ID", message.id.clone())?;
                }
            }
            for app in &tenant.applications {
                seen.insert("client ID", app.client_id.to_string())?;
            }
        }
        Ok(())
    }

    /// Gives messages without a change number one (fixture load, direct edits), so delta
    /// queries report them.
    pub fn number_new_messages(&mut self) {
        let mut counter = self.change_counter;
        for user in self.tenants.iter_mut().flat_map(|t| t.users.iter_mut()) {
            for message in &mut user.messages {
                if message.change_seq == 0 {
                    counter += 1;
                    message.change_seq = counter;
                }
            }
        }
        self.change_counter = counter;
    }
}

#[derive(Default)]
struct Seen(HashSet<(&'static str, String)>);

impl Seen {
    fn insert(&mut self, kind: &'static str, value: String) -> Result<(), FixtureError> {
        if self.0.insert((kind, value.clone())) {
            Ok(())
        } else {
            Err(FixtureError::Duplicate { kind, value })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_fixture_loads() {
        let demo = Directory::demo();
        assert!(demo.is_ok(), "{demo:?}");
        let demo = demo.unwrap_or_default();
        assert_eq!(demo.tenants.len(), 2);
        assert!(demo.change_counter > 0);
        let app = &demo.tenants[0].applications[0];
        let secret = &app.secrets[0].value;
        assert_eq!(secret.len(), 40);
        assert_eq!(&secret[3..6], "8Q~");
    }

    #[test]
    fn duplicate_upns_are_rejected() {
        let json = r#"{"tenants":[{"id":"11111111-2222-3333-4444-555555555555","display_name":"C",
            "users":[
              {"object_id":"aaaaaaaa-0000-0000-0000-000000000001","user_principal_name":"a@c.nl","display_name":"A","password":"p"},
              {"object_id":"aaaaaaaa-0000-0000-0000-000000000002","user_principal_name":"A@c.nl","display_name":"B","password":"p"}]}]}"#;
        let err = Directory::from_json(json).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("fixture has a duplicate user principal name: a@c.nl")
        );
    }

    #[test]
    fn a_fixture_app_can_hold_certificates_with_the_portals_thumbprint_and_dates() {
        let pem = include_str!("../../tests/fixtures/test-only-first.cert.pem");
        let json = serde_json::json!({"tenants":[{"id":"11111111-2222-3333-4444-555555555555",
            "display_name":"C","applications":[{"client_id":"22222222-2222-2222-2222-222222222222",
            "display_name":"CRM","certificates":[
              {"key_id":"33333333-3333-3333-3333-333333333333","certificate_pem":pem},
              {"key_id":"44444444-4444-4444-4444-444444444444","certificate_pem":pem,
               "end_at":"2027-01-01T00:00:00Z"}]}]}]});
        let directory = Directory::from_json(&json.to_string()).unwrap_or_default();
        let certificates = &directory.tenants[0].applications[0].certificates;
        let parsed: Vec<_> = certificates.iter().filter_map(|c| c.parse()).collect();
        assert_eq!(parsed.len(), 2);
        // `openssl x509 -fingerprint -sha1 -dates` of the fixture.
        assert_eq!(
            super::super::upper_hex(&parsed[0].sha1),
            "35C644DFB4875A7712F7E8A48834819414DBE899"
        );
        assert_eq!(parsed[0].start.to_rfc3339(), "2026-12-05T07:35:48+00:00");
        assert_eq!(parsed[0].end.to_rfc3339(), "2126-11-11T07:35:48+00:00");
        assert_eq!(parsed[1].end.to_rfc3339(), "2027-01-01T00:00:00+00:00");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = Directory::from_json(r#"{"tenants":[],"tenats":[]}"#);
        assert!(matches!(err, Err(FixtureError::Json(_))));
    }
}
