//! The mailbox form without JavaScript: the browser posts the form itself and follows the
//! redirect; the page it lands on shows the outcome.

use http::StatusCode;
use sea_orm::DatabaseConnection;

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{get, post, signed_in_router, Poster};

const NEW_PAGE: &str = "/instellingen/mailboxen/nieuw";

async fn the_new_page_has_every_field_with_a_label(db: DatabaseConnection) {
    let (status, html) = get(&signed_in_router(db).await, NEW_PAGE).await;
    assert_eq!(status, StatusCode::OK);
    for name in [
        "name",
        "email",
        "only_outgoing",
        "is_active",
        "is_primary",
        "incoming_type",
        "outgoing_type",
        "client_id",
        "tenant_id",
        "client_secret",
        "object_id",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "{name}");
        assert!(
            html.contains(&format!("data-testid=\"field-{name}\"")),
            "{name}"
        );
        assert!(
            html.contains(&format!("for=\"field-{name}\"")),
            "label of {name}"
        );
    }
    for label in [
        "Weergave naam",
        "Mailbox voor alleen uitgaande emails",
        "Inkomende mail type",
        "Microsoft Azure api instellingen",
        "Client secret waarde",
        "Redirect url",
        "platformtype Web",
    ] {
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("http://127.0.0.1:3000/api/oauth/ms-azure/callback"));
    // Microsoft Api both ways by default: no IMAP/SMTP section.
    assert!(!html.contains("name=\"imap_host\""));
    assert!(html.contains("action=\"/api/save_mailbox\""));
}

async fn an_imap_mailbox_shows_the_server_sections(db: DatabaseConnection) {
    let router = signed_in_router(db).await;
    let id = create(&router, &imap_smtp_fields()).await;
    let (_, html) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    for name in [
        "imap_host",
        "imap_port",
        "imap_encryption",
        "imap_inbox_prefix",
        "email_mark_as_seen",
        "smtp_host",
        "smtp_port",
        "smtp_encryption",
        "username",
        "password",
    ] {
        assert!(
            html.contains(&format!("data-testid=\"field-{name}\"")),
            "{name}"
        );
    }
    assert!(!html.contains("data-testid=\"field-client_id\""));
    assert!(html.contains("data-testid=\"stored-password\""));
    assert!(!html.contains(PASSWORD));
}

async fn errors_come_back_on_the_page_with_the_values(db: DatabaseConnection) {
    let router = signed_in_router(db).await;
    let fields = microsoft_fields()
        .set("name", "Nieuwsbrief")
        .set("client_id", "econobis-app")
        .set("object_id", CLIENT.to_uppercase().as_str());
    let answer = post(
        &router,
        "save_mailbox",
        &fields,
        Poster::PlainForm,
        NEW_PAGE,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FOUND);
    let location = answer.location.unwrap();
    assert!(
        location.starts_with("/instellingen/mailboxen/nieuw?poging="),
        "{location}"
    );
    assert!(!location.contains("Xyz8Q"), "no secret in the URL");

    let (status, html) = get(&router, &location).await;
    assert_eq!(status, StatusCode::OK);
    let not_guid = rules::validation::IssueCode::ClientIdNotGuid.message(rules::i18n::Lang::Nl);
    assert!(html.contains("data-testid=\"error-client_id\""));
    assert!(html.contains(not_guid), "same wording as in the browser");
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("aria-describedby=\"help-client_id error-client_id\""));
    assert!(html.contains("value=\"Nieuwsbrief\""), "values kept");
    assert!(html.contains("data-testid=\"save-invalid\""));
    assert!(!html.contains(SECRET), "the secret is not put back");
}

async fn a_saved_mailbox_redirects_to_its_page_with_a_message(db: DatabaseConnection) {
    let router = signed_in_router(db).await;
    let answer = post(
        &router,
        "save_mailbox",
        &imap_smtp_fields(),
        Poster::PlainForm,
        NEW_PAGE,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FOUND);
    let location = answer.location.unwrap();
    assert!(location.ends_with("?opgeslagen=1"), "{location}");
    let (status, html) = get(&router, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("De mailbox is opgeslagen."));
    assert!(html.contains("data-testid=\"stored-password\""));
    assert!(!html.contains(PASSWORD));
}

/// Microsoft (a closed port here) cannot be reached: the app registration test run before
/// the redirect fails, so the browser stays on the saved mailbox, which shows why. (With a
/// reachable Microsoft the same post goes on to its sign-in: `diagnostics_preflight` and the
/// Playwright specs.)
async fn a_saved_microsoft_mailbox_is_tested_before_going_to_microsoft(db: DatabaseConnection) {
    let router = signed_in_router(db).await;
    let answer = post(
        &router,
        "save_mailbox",
        &microsoft_fields(),
        Poster::PlainForm,
        NEW_PAGE,
    )
    .await;
    assert!(answer.status.is_redirection(), "{}", answer.status);
    let location = answer.location.unwrap();
    assert!(
        location.starts_with("/instellingen/mailboxen/1"),
        "{location}"
    );
    assert!(!location.contains("Xyz8Q"), "no secret in the URL");
    let (status, html) = get(&router, "/instellingen/mailboxen/1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"stored-client_secret\""));
    assert!(html.contains("Opgeslagen; begint met Xyz"));
    assert!(html.contains("data-testid=\"section-connection\""));
    assert!(
        html.contains("data-testid=\"preflight\" data-passed=\"false\""),
        "the failed test is shown"
    );
    assert!(!html.contains(SECRET));
}

async fn a_conflict_is_shown_without_javascript(db: DatabaseConnection) {
    let router = signed_in_router(db).await;
    let id = create(&router, &microsoft_fields()).await;
    let page = format!("/instellingen/mailboxen/{id}");
    assert!(matches!(
        save(&router, &edit(microsoft_fields(), id, 1)).await,
        rules::mailbox_form::SaveOutcome::Saved { .. }
    ));
    let stale = edit(microsoft_fields(), id, 1).set("name", "Verouderd");
    let answer = post(&router, "save_mailbox", &stale, Poster::PlainForm, &page).await;
    let location = answer.location.unwrap();
    assert!(
        location.starts_with(&format!("{page}?poging=")),
        "{location}"
    );
    let (_, html) = get(&router, &location).await;
    assert!(html.contains("Deze mailbox is intussen door iemand anders gewijzigd"));
    assert!(html.contains("value=\"Verouderd\""));
}

on_every_database!(
    the_new_page_has_every_field_with_a_label,
    an_imap_mailbox_shows_the_server_sections,
    errors_come_back_on_the_page_with_the_values,
    a_saved_mailbox_redirects_to_its_page_with_a_message,
    a_saved_microsoft_mailbox_is_tested_before_going_to_microsoft,
    a_conflict_is_shown_without_javascript,
);
