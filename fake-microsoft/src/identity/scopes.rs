//! OAuth scopes as the identity platform treats them: OpenID Connect scopes, Graph
//! permissions (short `Mail.Read` or full `https://graph.microsoft.com/Mail.Read`) and
//! `.default`.

/// Graph's resource URI.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// `.default`: "every permission already granted to the app".
pub const DEFAULT_SCOPE: &str = ".default";

/// Parses a space-separated `scope` into normalised names: Graph scopes lose their resource
/// prefix, duplicates go.
pub fn parse_scope(scope: &str) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for raw in scope.split_whitespace() {
        let name = strip_graph_prefix(raw).to_owned();
        if !contains(&scopes, &name) {
            scopes.push(name);
        }
    }
    scopes
}

/// Whether `scope` is an OpenID Connect scope (`openid`, `profile`, `email`,
/// `offline_access`).
pub fn is_oidc(scope: &str) -> bool {
    OIDC_SCOPES.iter().any(|s| s.eq_ignore_ascii_case(scope))
}

/// Case-insensitive membership.
pub fn contains(scopes: &[String], scope: &str) -> bool {
    scopes.iter().any(|s| s.eq_ignore_ascii_case(scope))
}

/// The requested scopes not yet consented (`.default` needs nothing new).
pub fn missing_consent(requested: &[String], consented: &[String]) -> Vec<String> {
    requested
        .iter()
        .filter(|s| s.as_str() != DEFAULT_SCOPE && !contains(consented, s))
        .cloned()
        .collect()
}

/// What a token grants: `.default` expands to every consented Graph scope.
pub fn effective_scopes(requested: &[String], consented: &[String]) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for scope in requested {
        if scope == DEFAULT_SCOPE {
            for granted in consented.iter().filter(|s| !is_oidc(s)) {
                if !contains(&scopes, granted) {
                    scopes.push(granted.clone());
                }
            }
        } else if !contains(&scopes, scope) {
            scopes.push(scope.clone());
        }
    }
    scopes
}

/// The `scope` of a token response: Graph scopes with their resource URI, OIDC scopes bare
/// (likely: Microsoft echoes scopes in this form; exact ordering varies in real traffic).
pub fn response_scope(scopes: &[String]) -> String {
    scopes
        .iter()
        .map(|s| {
            if is_oidc(s) {
                s.clone()
            } else {
                format!("{GRAPH_RESOURCE}/{s}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `scp` claim of a delegated access token: Graph scopes plus `openid profile email`
/// (never `offline_access`).
pub fn access_token_scp(scopes: &[String]) -> String {
    scopes
        .iter()
        .filter(|s| !s.eq_ignore_ascii_case("offline_access"))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_graph_prefix(scope: &str) -> &str {
    let prefix_len = GRAPH_RESOURCE.len() + 1;
    if scope.len() > prefix_len
        && scope[..GRAPH_RESOURCE.len()].eq_ignore_ascii_case(GRAPH_RESOURCE)
        && scope.as_bytes()[GRAPH_RESOURCE.len()] == b'/'
    {
        &scope[prefix_len..]
    } else {
        scope
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn graph_prefix_is_removed_and_duplicates_dropped() {
        assert_eq!(
            parse_scope("openid  https://graph.microsoft.com/Mail.Read Mail.Read offline_access"),
            strings(&["openid", "Mail.Read", "offline_access"])
        );
        assert_eq!(
            parse_scope("https://graph.microsoft.com/.default"),
            strings(&[".default"])
        );
    }

    #[test]
    fn missing_consent_ignores_case_and_default() {
        let requested = strings(&["openid", "mail.read", ".default", "Mail.Send"]);
        let consented = strings(&["openid", "Mail.Read"]);
        assert_eq!(
            missing_consent(&requested, &consented),
            strings(&["Mail.Send"])
        );
    }

    #[test]
    fn default_expands_to_consented_graph_scopes() {
        let requested = strings(&["openid", ".default"]);
        let consented = strings(&["openid", "profile", "Mail.Read", "Mail.Send"]);
        assert_eq!(
            effective_scopes(&requested, &consented),
            strings(&["openid", "Mail.Read", "Mail.Send"])
        );
    }

    #[test]
    fn response_and_scp_forms() {
        let scopes = strings(&["openid", "offline_access", "Mail.Read"]);
        assert_eq!(
            response_scope(&scopes),
            "openid offline_access https://graph.microsoft.com/Mail.Read"
        );
        assert_eq!(access_token_scp(&scopes), "openid Mail.Read");
    }
}
