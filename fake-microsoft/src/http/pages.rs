//! The HTML of the sign-in pages and Microsoft's error page. Every control has a visible
//! label and a `data-testid` for Playwright; `<main data-page=…>` names the page.

use crate::clock::aad_timestamp;
use crate::identity::{AadError, Trace};

/// A signed-in account offered by the picker.
#[derive(Debug, Clone)]
pub struct AccountChoice {
    /// Object ID (the form value).
    pub object_id: String,
    /// UPN.
    pub upn: String,
    /// Display name.
    pub name: String,
    /// Named by `login_hint`: preselected (focused).
    pub hinted: bool,
}

/// The e-mail and password form.
pub fn login_page(
    action_base: &str,
    app_name: &str,
    login_hint: Option<&str>,
    error: Option<&AadError>,
) -> String {
    let error_html = error.map_or_else(String::new, |e| {
        let friendly = match e.code {
            50126 => "Your account or password is incorrect. If you don't remember your password, reset it now.",
            _ => "We couldn't find an account with that username. Try another, or get a new Microsoft account.",
        };
        format!(
            r#"<div class="error" role="alert" data-testid="login-error">{}<br><small>{}</small></div>"#,
            esc(friendly),
            esc(&e.headline())
        )
    });
    let body = format!(
        r#"<h1>Sign in</h1>
<p>to continue to <strong>{app}</strong></p>
{error_html}
<form method="post" action="{action_base}/password">
  <label for="login-email">Email, phone, or Skype</label>
  <input id="login-email" name="login" type="email" autocomplete="username" required value="{hint}" data-testid="login-email">
  <label for="login-password">Password</label>
  <input id="login-password" name="passwd" type="password" autocomplete="current-password" data-testid="login-password">
  <div class="buttons">
    <button type="submit" formaction="{action_base}/cancel" formnovalidate class="secondary" data-testid="login-cancel">Cancel</button>
    <button type="submit" data-testid="login-submit">Sign in</button>
  </div>
</form>"#,
        app = esc(app_name),
        hint = esc(login_hint.unwrap_or_default()),
    );
    layout("login", "Sign in to your account", &body)
}

/// "Pick an account".
pub fn picker_page(action_base: &str, app_name: &str, accounts: &[AccountChoice]) -> String {
    let items: String = accounts
        .iter()
        .map(|a| {
            format!(
                r#"<li><button type="submit" name="account" value="{id}" class="account"{hinted} data-testid="account-{upn}">
  <span class="name">{name}</span><span class="upn">{upn}</span></button></li>
"#,
                id = esc(&a.object_id),
                upn = esc(&a.upn),
                name = esc(&a.name),
                hinted = if a.hinted { r#" autofocus aria-current="true""# } else { "" },
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Pick an account</h1>
<p>to continue to <strong>{app}</strong></p>
<form method="post" action="{action_base}/account">
<ul class="accounts">
{items}<li><button type="submit" name="account" value="" class="account" data-testid="use-another-account">Use another account</button></li>
</ul>
<div class="buttons">
  <button type="submit" formaction="{action_base}/cancel" class="secondary" data-testid="login-cancel">Cancel</button>
</div>
</form>"#,
        app = esc(app_name),
    );
    layout("picker", "Sign in to your account", &body)
}

/// "Permissions requested" for one user, or for the whole organisation (admin consent).
pub fn consent_page(
    action_base: &str,
    app_name: &str,
    upn: &str,
    scopes: &[String],
    organisation: Option<&str>,
) -> String {
    let items: String = scopes
        .iter()
        .map(|s| {
            format!(
                r#"<li data-testid="consent-scope-{id}">{}</li>"#,
                esc(describe_scope(s)),
                id = esc(s)
            )
        })
        .collect();
    let (page, note) = match organisation {
        Some(org) => (
            "admin-consent",
            format!(
                "<p>Accepting grants these permissions for all users of <strong>{}</strong>.</p>",
                esc(org)
            ),
        ),
        None => ("consent", String::new()),
    };
    let body = format!(
        r#"<p class="upn">{upn}</p>
<h1>Permissions requested</h1>
<p><strong>{app}</strong> would like to:</p>
<ul class="scopes">{items}</ul>
{note}
<form method="post" action="{action_base}/consent">
  <div class="buttons">
    <button type="submit" name="decision" value="cancel" class="secondary" data-testid="consent-cancel">Cancel</button>
    <button type="submit" name="decision" value="accept" data-testid="consent-accept">Accept</button>
  </div>
</form>"#,
        upn = esc(upn),
        app = esc(app_name),
    );
    layout(page, "Permissions requested", &body)
}

/// Microsoft's error page: shown instead of redirecting (RFC 6749 §4.1.2.1).
pub fn error_page(error: &AadError, trace: &Trace) -> String {
    let body = format!(
        r#"<h1>Sign in</h1>
<p>Sorry, but we're having trouble signing you in.</p>
<p class="error" data-testid="error-message"><span data-testid="error-code">AADSTS{code}</span>: {message}</p>
<details open><summary>Troubleshooting details</summary>
<dl>
  <dt>Request Id</dt><dd data-testid="error-trace-id">{trace_id}</dd>
  <dt>Correlation Id</dt><dd data-testid="error-correlation-id">{correlation_id}</dd>
  <dt>Timestamp</dt><dd data-testid="error-timestamp">{timestamp}</dd>
  <dt>Message</dt><dd>{description}</dd>
</dl></details>"#,
        code = error.code,
        message = esc(&error.message),
        trace_id = trace.trace_id,
        correlation_id = trace.correlation_id,
        timestamp = aad_timestamp(trace.timestamp),
        description = esc(&error.description(trace)),
    );
    layout("error", "Sign in to your account", &body)
}

/// After `/oauth2/v2.0/logout` without a redirect.
pub fn signed_out_page() -> String {
    layout("signed-out", "Signed out", "<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>")
}

fn describe_scope(scope: &str) -> &str {
    match scope.to_ascii_lowercase().as_str() {
        "openid" => "Sign you in",
        "profile" => "View your basic profile",
        "email" => "View your email address",
        "offline_access" => "Maintain access to data you have given it access to",
        "user.read" => "Sign you in and read your profile",
        "mail.read" => "Read your mail",
        "mail.readwrite" => "Read and write access to your mail",
        "mail.send" => "Send mail as you",
        ".default" => "Access the permissions configured for the app",
        _ => scope,
    }
}

fn layout(page: &str, title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>
body{{font-family:"Segoe UI",Arial,sans-serif;background:#f2f2f2;margin:0}}
main{{background:#fff;max-width:440px;margin:48px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}}
.brand{{font-weight:600;color:#737373;margin-bottom:16px}}
h1{{font-size:24px;font-weight:600;margin:0 0 12px}}
label{{display:block;margin-top:12px;font-size:14px}}
input{{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}}
.buttons{{display:flex;justify-content:flex-end;gap:8px;margin-top:24px}}
button{{background:#0067b8;color:#fff;border:0;padding:6px 24px;font-size:15px;cursor:pointer}}
button.secondary{{background:#ccc;color:#000}}
ul.accounts{{list-style:none;padding:0}} button.account{{display:block;width:100%;text-align:left;background:#fff;color:#000;border-bottom:1px solid #eee;padding:12px}}
.account .name{{display:block;font-weight:600}} .account .upn{{font-size:13px;color:#555}}
.error{{color:#e81123}}
dd{{margin:0 0 8px;font-family:monospace;word-break:break-all}}
</style></head>
<body><main data-page="{page}"><div class="brand">Microsoft (fake)</div>
{body}
</main></body></html>"#,
        title = esc(title),
    )
}

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::aadsts;
    use chrono::Utc;

    #[test]
    fn login_page_labels_every_field() {
        let html = login_page(
            "/signin/f",
            "CRM <demo>",
            Some("a@b.nl"),
            Some(&aadsts::invalid_credentials()),
        );
        for id in ["login-email", "login-password"] {
            assert!(html.contains(&format!(r#"<label for="{id}">"#)), "{id}");
        }
        for testid in [
            "login-email",
            "login-password",
            "login-submit",
            "login-cancel",
            "login-error",
        ] {
            assert!(
                html.contains(&format!(r#"data-testid="{testid}""#)),
                "{testid}"
            );
        }
        assert!(html.contains("AADSTS50126: Error validating credentials"));
        assert!(html.contains("CRM &lt;demo&gt;"));
        assert!(html.contains(r#"value="a@b.nl""#));
    }

    #[test]
    fn error_page_shows_code_and_ids() {
        let trace = Trace::new(None, Utc::now());
        let html = error_page(&aadsts::no_reply_address(), &trace);
        assert!(html.contains(r#"data-page="error""#));
        assert!(html.contains(r#"<span data-testid="error-code">AADSTS500113</span>"#));
        assert!(html.contains(&trace.correlation_id.to_string()));
    }
}
