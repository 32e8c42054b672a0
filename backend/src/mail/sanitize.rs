//! Mail bodies made safe to show in the app: HTML through an allow-list sanitiser (no
//! scripts, event handlers, `javascript:` links, forms or styles that escape the page).

/// The body to store: `(is_html, content)`. HTML is sanitised; anything else is text, kept
/// as it is (not copied).
pub fn display_body(content_type: &str, content: String) -> (bool, String) {
    let html = content_type.eq_ignore_ascii_case("html");
    if html && !content.is_empty() {
        (true, sanitize_html(&content))
    } else {
        (html, content)
    }
}

/// HTML with only safe elements and attributes left; links open without a referrer.
/// Images go: a remote one would tell the sender (a tracking pixel) when an admin opens the
/// message here, and inline ones (`cid:`) are not served by the app.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let (html, body) = display_body(
            "html",
            r#"<p onclick="steal()">Hallo <b>leden</b></p><script>alert(1)</script><a href="javascript:alert(2)">x</a><img src="x" onerror="alert(3)"><style>body{display:none}</style>"#
                .to_string(),
        );
        assert!(html);
        assert!(body.contains("<p>Hallo <b>leden</b></p>"), "{body}");
        for bad in [
            "script",
            "onclick",
            "javascript:",
            "onerror",
            "display:none",
        ] {
            assert!(!body.contains(bad), "{bad} in {body}");
        }
    }

    #[test]
    fn remote_images_are_not_loaded() {
        let (_, body) = display_body(
            "html",
            r#"<p>Nieuwsbrief</p><img src="https://volg.example/pixel.gif?lid=42" width="1" height="1"><img src="cid:logo">"#
                .to_string(),
        );
        assert_eq!(body, "<p>Nieuwsbrief</p>");
    }

    #[test]
    fn an_empty_html_body_stays_html() {
        assert_eq!(display_body("HTML", String::new()), (true, String::new()));
    }

    #[test]
    fn text_stays_as_it_is() {
        assert_eq!(
            display_body("text", "<b>niet vet</b>".to_string()),
            (false, "<b>niet vet</b>".to_string())
        );
    }
}
