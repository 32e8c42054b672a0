//! `server add-user <email> <lezer|postlezer|beheerder>` and `server reset-password <email>`. The
//! password comes from `NEW_PASSWORD` or the first line of standard input, never from the
//! command line (which other users of the machine can see).

use std::io::BufRead;

use chrono::Utc;
use secrecy::SecretString;

use backend::auth::users;
use rules::access::Role;

use crate::config::Config;

/// Reads the new password from `NEW_PASSWORD`, else from the first line of stdin.
fn new_password(env: Option<String>, stdin: impl BufRead) -> Result<SecretString, String> {
    let password = match env.filter(|value| !value.is_empty()) {
        Some(value) => value,
        None => {
            let mut line = String::new();
            let mut stdin = stdin;
            stdin
                .read_line(&mut line)
                .map_err(|error| format!("cannot read the password from stdin: {error}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if password.is_empty() {
        return Err("no password: set NEW_PASSWORD or pipe it to standard input".to_string());
    }
    Ok(SecretString::from(password))
}

/// The roles' names, joined by `separator`.
fn role_names(separator: &str) -> String {
    Role::ALL.map(Role::as_str).join(separator)
}

fn read_password() -> Result<SecretString, String> {
    new_password(std::env::var("NEW_PASSWORD").ok(), std::io::stdin().lock())
}

/// `server add-user <email> <role>`.
pub async fn add_user(config: &Config, args: &[String]) -> Result<String, String> {
    let [email, role] = args else {
        return Err(format!(
            "usage: server add-user <email> <{}>",
            role_names("|")
        ));
    };
    let role = Role::parse(role)
        .ok_or_else(|| format!("unknown role '{role}': use {}", role_names(", ")))?;
    let password = read_password()?;
    let db = crate::db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|error| format!("database error: {error}"))?;
    users::create(&db, email, role, &password, Utc::now())
        .await
        .map_err(|error| format!("account not created: {error}"))?;
    Ok(format!(
        "created {} ({})",
        users::normalize_email(email),
        role.as_str()
    ))
}

/// `server reset-password <email>`: also ends the account's sessions.
pub async fn reset_password(config: &Config, args: &[String]) -> Result<String, String> {
    let [email] = args else {
        return Err("usage: server reset-password <email>".to_string());
    };
    let password = read_password()?;
    let db = crate::db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|error| format!("database error: {error}"))?;
    users::reset_password(&db, email, &password, Utc::now())
        .await
        .map_err(|error| format!("password not changed: {error}"))?;
    Ok(format!(
        "password of {} changed; its sessions are ended",
        users::normalize_email(email)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn the_password_comes_from_the_environment_or_stdin() {
        let from_env = new_password(Some("uit-de-omgeving".into()), &b"stdin\n"[..]);
        assert_eq!(
            from_env.map(|p| p.expose_secret().to_string()),
            Ok("uit-de-omgeving".into())
        );
        let from_stdin = new_password(None, &b"van-stdin-123\nrest\n"[..]);
        assert_eq!(
            from_stdin.map(|p| p.expose_secret().to_string()),
            Ok("van-stdin-123".into())
        );
        assert!(new_password(Some(String::new()), &b""[..]).is_err());
    }
}
