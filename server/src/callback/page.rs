//! The Dutch page a refused callback shows: what happened, Microsoft's codes and IDs, the
//! advice, and a way to start again. Plain HTML (works without JavaScript), own stylesheet
//! only: nothing third-party may see this page's URL.

use backend::connect::ConnectError;
use rules::advice::{aadsts_lookup_url, advise, Facts};
use rules::connection::{AttemptProblem, ConnectPrompt};
use rules::diagnostics::detail_rows;
use rules::i18n::{ConnectMsg, Lang};
use rules::mailbox_form::MailboxTarget;

/// The whole HTML document for `error`.
pub fn render(error: &ConnectError) -> String {
    let lang = Lang::default();
    let t = |msg: ConnectMsg| escape(msg.text(lang));
    let mut body = format!(
        "<h1>{}</h1><div class=\"alert alert--error\" role=\"alert\" data-testid=\"callback-error\" data-code=\"{code}\"><p data-testid=\"callback-message\">{}</p>",
        t(ConnectMsg::CallbackTitle),
        headline(error, lang),
        code = error.code(),
    );
    let diagnostics = error.diagnostics().unwrap_or_default();
    let outcome = match error {
        ConnectError::WrongAccount { .. } => "wrong_account",
        ConnectError::WrongAddress { .. } => "wrong_address",
        _ => "",
    };
    let facts = Facts {
        aadsts: diagnostics.aadsts,
        error: diagnostics.error.as_deref(),
        description: diagnostics.description.as_deref(),
        outcome,
    };
    if let Some(advice) = advise(facts) {
        body.push_str(&format!(
            "<p data-testid=\"callback-advice\">{}</p>",
            escape(advice.text(lang))
        ));
        if let Some(step) = advice.step() {
            body.push_str(&format!(
                "<p class=\"advice__step\" data-testid=\"callback-advice-step\">{}</p>",
                escape(&step.text(lang))
            ));
        }
    }
    body.push_str("</div><dl class=\"diagnostics\">");
    let shown = AttemptProblem {
        error: diagnostics.error.clone(),
        aadsts: diagnostics.aadsts,
        error_description: diagnostics.description.clone(),
        trace_id: diagnostics.trace_id.clone(),
        correlation_id: diagnostics.correlation_id.clone(),
        timestamp: diagnostics.timestamp.clone(),
        ..AttemptProblem::default()
    };
    let operation = error.attempt_id().map(|id| format!("#{id}"));
    for row in detail_rows(&shown, operation) {
        body.push_str(&format!(
            "<dt>{}</dt><dd data-testid=\"{}\">{}</dd>",
            t(row.label),
            row.testid,
            escape(&row.value)
        ));
    }
    body.push_str("</dl>");
    if let Some(code) = diagnostics.aadsts {
        body.push_str(&format!(
            "<p><a href=\"{}\" rel=\"noreferrer noopener\">{}</a></p>",
            aadsts_lookup_url(code),
            t(ConnectMsg::MicrosoftExplains)
        ));
    }
    body.push_str(&actions(error, lang));
    document(&body, lang)
}

fn headline(error: &ConnectError, lang: Lang) -> String {
    match error {
        ConnectError::WrongAccount {
            signed_in,
            mailbox_email,
            object_id,
            ..
        } => {
            let who = signed_in
                .upn
                .clone()
                .unwrap_or_else(|| signed_in.object_id.clone());
            let expected = format!("{mailbox_email} (Object ID {object_id})");
            let text = ConnectMsg::WrongAccount.text(lang);
            let text = escape(text)
                .replace(
                    "{signed_in}",
                    &format!(
                        "<strong data-testid=\"signed-in-account\">{}</strong>",
                        escape(&who)
                    ),
                )
                .replace(
                    "{expected}",
                    &format!(
                        "<strong data-testid=\"expected-account\">{}</strong>",
                        escape(&expected)
                    ),
                );
            format!("<span data-testid=\"wrong-account\">{text}</span>")
        }
        ConnectError::WrongAddress {
            signed_in,
            mailbox_email,
            ..
        } => {
            let who = signed_in
                .upn
                .clone()
                .unwrap_or_else(|| signed_in.object_id.clone());
            let text = escape(ConnectMsg::WrongAddress.text(lang))
                .replace(
                    "{signed_in}",
                    &format!(
                        "<strong data-testid=\"signed-in-account\">{}</strong>",
                        escape(&who)
                    ),
                )
                .replace(
                    "{expected}",
                    &format!(
                        "<strong data-testid=\"expected-account\">{}</strong>",
                        escape(mailbox_email)
                    ),
                );
            format!("<span data-testid=\"wrong-address\">{text}</span>")
        }
        other => escape(other.headline().text(lang)),
    }
}

/// "Opnieuw inloggen" (prompt=login after a wrong account) and "Terug naar de mailbox".
fn actions(error: &ConnectError, lang: Lang) -> String {
    let Some(mailbox_id) = error.mailbox_id() else {
        return format!(
            "<p><a class=\"button\" href=\"{}\">{}</a></p>",
            rules::mailbox_form::LIST_PATH,
            escape(rules::i18n::Msg::BackToMailboxes.text(lang))
        );
    };
    let (prompt, label, testid) = match error {
        ConnectError::WrongAccount { .. } | ConnectError::WrongAddress { .. } => (
            ConnectPrompt::Login,
            ConnectMsg::SignInAgain,
            "sign-in-again",
        ),
        _ => (
            ConnectPrompt::SelectAccount,
            ConnectMsg::TryAgain,
            "connect-again",
        ),
    };
    format!(
        "<div class=\"form-actions\"><form method=\"post\" action=\"/api/start_microsoft_login\">\
         <input type=\"hidden\" name=\"id\" value=\"{mailbox_id}\"/>\
         <input type=\"hidden\" name=\"prompt\" value=\"{}\"/>\
         <button type=\"submit\" class=\"button button--primary\" data-testid=\"{testid}\">{}</button></form>\
         <a class=\"button\" href=\"{}\" data-testid=\"back-to-mailbox\">{}</a></div>",
        prompt.as_str(),
        escape(label.text(lang)),
        MailboxTarget::Existing(mailbox_id).path(),
        escape(ConnectMsg::BackToMailbox.text(lang)),
    )
}

fn document(body: &str, lang: Lang) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <meta name=\"referrer\" content=\"no-referrer\"/>\
         <title>{}</title><link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\"/>\
         <link rel=\"stylesheet\" href=\"{}\"/></head>\
         <body><main class=\"page callback\" data-testid=\"callback-page\">{body}</main></body></html>",
        lang.code(),
        escape(ConnectMsg::CallbackTitle.text(lang)),
        crate::assets::stylesheet_href(),
    )
}

/// HTML-escapes text for element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use backend::connect::callback_query::RedirectError;

    #[test]
    fn microsoft_text_is_escaped_and_codes_shown() {
        let error = ConnectError::Denied {
            mailbox_id: 3,
            attempt_id: 9,
            error: RedirectError {
                error: "access_denied".into(),
                error_description: Some("AADSTS65004: <script>x</script> Trace ID: 0d1e2f30-4152-4637-8899-aabbccddeeff".into()),
                error_uri: None,
                error_subcode: Some("cancel".into()),
            },
        };
        let html = render(&error);
        assert!(!html.contains("<script>"));
        assert!(html.contains("AADSTS65004"));
        assert!(html.contains("0d1e2f30-4152-4637-8899-aabbccddeeff"));
        assert!(html.contains("/instellingen/mailboxen/3"));
        assert!(html.contains("lang=\"nl\""));
    }
}
