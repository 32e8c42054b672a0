//! `TIME_ZONE`: the zone every screen shows times in.

use rules::time::Tz;

use super::ConfigError;

/// The IANA name (`Europe/Amsterdam`, the default when unset or empty); a name the time
/// zone database does not know stops the server rather than showing times in a zone the
/// admins did not choose.
pub fn time_zone(value: Option<&str>) -> Result<Tz, ConfigError> {
    match value.map(str::trim).filter(|name| !name.is_empty()) {
        None => Ok(rules::time::DEFAULT_ZONE),
        Some(name) => rules::time::zone(name).ok_or_else(|| ConfigError {
            variable: "TIME_ZONE",
            problem: format!("'{name}' is not an IANA time zone name like Europe/Amsterdam"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amsterdam_unless_another_zone_is_named() -> Result<(), ConfigError> {
        assert_eq!(time_zone(None)?, rules::time::DEFAULT_ZONE);
        assert_eq!(time_zone(Some(" "))?, rules::time::DEFAULT_ZONE);
        assert_eq!(time_zone(Some("UTC"))?.name(), "UTC");
        assert_eq!(
            time_zone(Some("America/Curacao"))?.name(),
            "America/Curacao"
        );
        Ok(())
    }

    #[test]
    fn an_unknown_zone_names_the_variable() {
        for bad in ["Amsterdam", "CET+1", "Europe/Utrecht"] {
            match time_zone(Some(bad)) {
                Err(error) => assert_eq!(error.variable, "TIME_ZONE", "{bad}"),
                Ok(zone) => panic!("TIME_ZONE={bad} was accepted as {zone}"),
            }
        }
    }
}
