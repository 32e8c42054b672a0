//! The list's rows written straight into HTML.
//!
//! The table is the page's bulk (about 1 KB per mailbox) and is rendered on the server only,
//! once per request. Built as views, each row cost tachys its per-element and per-attribute
//! work (tuples of attributes, `Option` children, a component for the time): about 4 µs a
//! row, 14% of the server's samples under load (bench/RESULTS.md §2). Written here it is a
//! few string appends. Every value from the database or the admin goes through
//! [`text`] or [`attribute`], the same escaping tachys uses (`html-escape`), and the
//! attributes are in tachys' order (`class` last), so the bytes are the ones the views
//! wrote, less the empty `<!>` markers and `class=""` tachys left outside any island.

use html_escape::{encode_double_quoted_attribute_to_string, encode_text_to_string};
use rules::i18n::{Lang, MailMsg, Msg};
use rules::time::Shown;

use super::{Column, ListRow, LIST_PATH};

/// About what one row takes, so the buffer grows rarely.
pub(super) const ROW_BYTES: usize = 1_100;

/// Appends `row` as a `<tr>` of the mailbox table.
pub(super) fn write_row(html: &mut String, row: &ListRow, lang: Lang) {
    let cell = |html: &mut String, column: Column, class: &str, testid: &str| {
        html.push_str("<td data-label=\"");
        attribute(html, column.text(lang));
        html.push('"');
        if !testid.is_empty() {
            html.push_str(" data-testid=\"");
            html.push_str(testid);
            html.push('"');
        }
        if !class.is_empty() {
            html.push_str(" class=\"");
            html.push_str(class);
            html.push('"');
        }
        html.push('>');
    };
    html.push_str("<tr data-testid=\"mailbox-row\">");

    cell(html, Column::Status, "", "");
    html.push_str("<span data-testid=\"mailbox-status\" class=\"");
    attribute(html, row.status_class);
    html.push_str("\">");
    text(html, &row.status);
    html.push_str("</span>");
    if let Some((words, class)) = &row.expiry {
        html.push_str(" <a href=\"");
        attribute(html, rules::app_registrations::REGISTRATIONS_PATH);
        html.push_str("\" data-testid=\"mailbox-credential-expiry\" class=\"");
        attribute(html, class);
        html.push_str("\">");
        text(html, words);
        html.push_str("</a>");
    }
    if let Some((mark, title)) = row.basic_auth {
        html.push_str(" <span title=\"");
        attribute(html, title);
        html.push_str("\" data-testid=\"mailbox-basic-auth\" class=\"mark mark--warn\">");
        text(html, mark);
        html.push_str("</span>");
    }
    html.push_str("</td>");

    cell(html, Column::LastError, "cell-error", "mailbox-last-error");
    html.push_str(if row.failing {
        "<span class=\"error-text\">"
    } else {
        "<span>"
    });
    text(html, &row.last_error);
    html.push_str("</span></td>");

    cell(html, Column::Name, "cell-name", "");
    html.push_str("<div><a href=\"");
    attribute(html, LIST_PATH);
    html.push('/');
    html.push_str(&row.id.to_string());
    html.push_str("\">");
    text(html, &row.name);
    html.push_str("</a>");
    if row.is_primary {
        html.push_str(" <span data-testid=\"mailbox-primary\" class=\"mark\">");
        text(html, Msg::ColPrimary.text(lang));
        html.push_str("</span>");
    }
    if !row.is_active {
        html.push_str(" <span data-testid=\"mailbox-inactive\" class=\"mark mark--off\">");
        text(html, Msg::MarkInactive.text(lang));
        html.push_str("</span>");
    }
    html.push_str(" <span data-testid=\"mailbox-email\" class=\"cell-sub\">");
    text(html, &row.email);
    html.push_str("</span></div></td>");

    for (column, words) in [
        (Column::Incoming, row.incoming),
        (Column::Outgoing, row.outgoing),
    ] {
        cell(html, column, "cell-type", "");
        text(html, words);
        html.push_str("</td>");
    }

    cell(html, Column::Messages, "", "");
    html.push_str("<div><span data-testid=\"mailbox-message-count\">");
    text(html, &row.messages);
    html.push_str("</span> <span class=\"cell-sub\">");
    text(html, MailMsg::ColLastFetched.text(lang));
    html.push_str(": <span data-testid=\"mailbox-last-fetched\">");
    time(html, &row.last_fetched);
    html.push_str("</span></span></div></td></tr>");
}

/// What `components::Time` renders: `<time>` with the exact moment as its title, or plain
/// text for a [`Shown`] that is no time ("Nog nooit").
fn time(html: &mut String, shown: &Shown) {
    if shown.iso.is_empty() {
        text(html, &shown.text);
        return;
    }
    html.push_str("<time datetime=\"");
    attribute(html, &shown.iso);
    html.push_str("\" title=\"");
    attribute(html, &shown.exact);
    html.push_str("\">");
    text(html, &shown.text);
    html.push_str("</time>");
}

fn text(html: &mut String, value: &str) {
    encode_text_to_string(value, html);
}

fn attribute(html: &mut String, value: &str) {
    encode_double_quoted_attribute_to_string(value, html);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, email: &str, last_error: &str) -> ListRow {
        ListRow {
            id: 7,
            name: name.to_string(),
            email: email.to_string(),
            is_active: false,
            is_primary: true,
            incoming: "Microsoft 365",
            outgoing: "Microsoft 365",
            status: "Verbonden".to_string(),
            status_class: "status status--ok",
            last_fetched: Shown {
                iso: "2026-12-04T17:20:08Z".to_string(),
                text: "3 minuten geleden".to_string(),
                exact: "4 dec. 2026 18:20:08 CET".to_string(),
            },
            messages: "12".to_string(),
            last_error: last_error.to_string(),
            failing: true,
            basic_auth: None,
            expiry: None,
        }
    }

    fn written(row: &ListRow) -> String {
        let mut html = String::new();
        write_row(&mut html, row, Lang::Nl);
        html
    }

    /// Rendering a view to HTML needs the server build (`cargo test --workspace` has it).
    #[cfg(feature = "ssr")]
    #[test]
    fn a_time_is_written_as_the_time_component_renders_it() {
        use crate::components::Time;
        use leptos::prelude::*;
        let moment = row("Info", "info@example.org", "–").last_fetched;
        let never = Shown::plain("Nog <nooit> & \"nu\"");
        let odd = Shown {
            exact: "4 dec. \"2026\" <18:20> & CET".to_string(),
            ..moment.clone()
        };
        for shown in [moment, never, odd] {
            let mut html = String::new();
            time(&mut html, &shown);
            assert_eq!(html, view! { <Time shown=shown.clone()/> }.to_html());
        }
    }

    #[test]
    fn what_an_admin_or_microsoft_wrote_is_text_not_markup() {
        let html = written(&row(
            "<script>alert(1)</script> & co",
            "\"onmouseover=\"x@example.org",
            "<img src=x onerror=alert(2)>",
        ));
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
        // In text a quote is harmless and stays as typed.
        assert!(
            html.contains(">\"onmouseover=\"x@example.org</span>"),
            "{html}"
        );
    }

    #[test]
    fn a_row_shows_its_marks_link_and_time() {
        let html = written(&row("Ledenadministratie", "leden@example.org", "–"));
        assert!(
            html.starts_with("<tr data-testid=\"mailbox-row\">"),
            "{html}"
        );
        assert!(html.ends_with("</tr>"), "{html}");
        assert!(html.contains("<a href=\"/instellingen/mailboxen/7\">Ledenadministratie</a>"));
        assert!(
            html.contains("data-testid=\"mailbox-primary\" class=\"mark\">Primair</span>"),
            "{html}"
        );
        assert!(html.contains("data-testid=\"mailbox-inactive\" class=\"mark mark--off\">"));
        assert!(
            html.contains("<span class=\"error-text\">–</span>"),
            "{html}"
        );
        assert!(html.contains(
            "<time datetime=\"2026-12-04T17:20:08Z\" title=\"4 dec. 2026 18:20:08 CET\">3 minuten geleden</time>"
        ));
        assert_eq!(html.matches("<td data-label=").count(), Column::ALL.len());
        assert_eq!(html.matches("<td").count(), html.matches("</td>").count());
        assert!(!html.contains("mailbox-basic-auth") && !html.contains("credential-expiry"));

        let mut active = row("Info", "info@example.org", "–");
        (active.is_active, active.is_primary, active.failing) = (true, false, false);
        active.basic_auth = Some(("Wachtwoord", "Basic auth <stopt>"));
        active.expiry = Some(("Verloopt over 3 dagen".to_string(), "mark mark--warn"));
        let html = written(&active);
        assert!(!html.contains("mailbox-inactive") && !html.contains("mailbox-primary"));
        assert!(html.contains("<span>–</span>"), "{html}");
        assert!(
            html.contains("title=\"Basic auth &lt;stopt&gt;\""),
            "{html}"
        );
        assert!(html.contains(
            "<a href=\"/instellingen/app-registraties\" data-testid=\"mailbox-credential-expiry\" class=\"mark mark--warn\">Verloopt over 3 dagen</a>"
        ), "{html}");
    }
}
