//! The app registrations page (issue 19): each registration once with its mailboxes, its
//! credentials' expiry (warned from 30 days, urgent from 7, named when past) and the
//! "Verloopt" date an admin enters, with and without JavaScript.

use backend::entities::{app_credential as credential, mailbox_microsoft_settings as settings};
use backend::flows::app_registrations::{expiring, list};
use chrono::{DateTime, Duration, Utc};
use http::StatusCode;
use rules::access::Role;
use rules::app_registrations::{Expiry, REGISTRATIONS_PATH};
use rules::i18n::Lang;
use rules::time::{Clock, DEFAULT_ZONE};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{
    get, post, registration_of, router_as, signed_in_router, Answer, Fields, Poster,
};

async fn credential_of_mailbox(db: &DatabaseConnection, id: i32) -> credential::Model {
    let uses = settings::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .app_credential_id
        .unwrap();
    credential::Entity::find_by_id(uses)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn set_expires_at(db: &DatabaseConnection, row: credential::Model, at: DateTime<Utc>) {
    let mut row: credential::ActiveModel = row.into();
    row.expires_at = Set(Some(at));
    row.update(db).await.unwrap();
}

/// A form on the registrations page posted without JavaScript.
async fn post_plain(router: &axum::Router, function: &str, fields: &Fields) -> Answer {
    post(
        router,
        function,
        fields,
        Poster::PlainForm,
        REGISTRATIONS_PATH,
    )
    .await
}

fn day(offset_days: i64) -> String {
    (Utc::now() + Duration::days(offset_days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn the_page_shows_each_registration_once_with_its_mailboxes(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let (status, body) = get(&router, REGISTRATIONS_PATH).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("data-testid=\"app-registrations-empty\""),
        "{body}"
    );

    create(&router, &microsoft_fields()).await;
    let second = microsoft_fields()
        .set("name", "Facturen")
        .set("email", "facturen@zonnecoop.nl")
        .set("object_id", OTHER_OBJECT);
    create(&router, &second).await;
    let (status, body) = get(&router, REGISTRATIONS_PATH).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body.matches("data-testid=\"app-registration\"").count(),
        1,
        "{body}"
    );
    assert_eq!(body.matches("data-testid=\"credential\"").count(), 1);
    assert!(body.contains(CLIENT) && body.contains(TENANT));
    assert!(
        body.contains(">Info</a>") && body.contains(">Facturen</a>"),
        "{body}"
    );
    // The secret's first characters, never the secret.
    assert!(body.contains(&format!("{}…", &SECRET[..3])));
    assert!(!body.contains(SECRET));
    // No date known yet: said, with what to do, and the date field for a beheerder.
    assert!(body.contains(">onbekend<"), "{body}");
    assert!(body.contains("Vul de verloopdatum in die Azure"));
    assert!(body.contains("<label for=\"expires-on-"), "{body}");
    assert!(body.contains("Verloopdatum opslaan"));

    // A lezer reads the page but gets no form to change it.
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let (status, body) = get(&lezer, REGISTRATIONS_PATH).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(">Facturen</a>"));
    assert!(!body.contains("Verloopdatum opslaan"), "{body}");
}

async fn an_expiry_date_is_entered_without_javascript(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let row = credential_of_mailbox(&db, id).await;
    let form = |date: &str| {
        Fields::default()
            .set("id", &row.id.to_string())
            .set("expires_on", date)
    };

    // No date known: nothing to announce in the list.
    let (_, list) = get(&router, "/instellingen/mailboxen").await;
    assert!(!list.contains("mailbox-credential-expiry"));

    // In the past: refused, named on the page, nothing stored.
    let answer = post_plain(&router, "set_credential_expiry", &form(&day(-1))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let location = answer.location.unwrap();
    assert!(
        location.starts_with(&format!("{REGISTRATIONS_PATH}?melding=datum-voorbij")),
        "{location}"
    );
    assert_eq!(credential_of_mailbox(&db, id).await.expires_at, None);
    let (_, body) = get(&router, &location).await;
    assert!(body.contains("Deze datum is al voorbij"), "{body}");
    // Beyond Azure's 24 months, and not a date: refused the same way.
    for (date, code) in [
        (day(800), "datum-te-ver"),
        ("31-12-2027".to_string(), "geen-datum"),
    ] {
        let answer = post_plain(&router, "set_credential_expiry", &form(&date)).await;
        assert!(answer
            .location
            .unwrap()
            .contains(&format!("melding={code}")));
    }
    assert_eq!(credential_of_mailbox(&db, id).await.expires_at, None);

    // In 20 days: stored as the end of that day, and announced.
    let answer = post_plain(&router, "set_credential_expiry", &form(&day(20))).await;
    let location = answer.location.unwrap();
    assert!(
        location.contains("melding=verloopdatum-opgeslagen"),
        "{location}"
    );
    let stored = credential_of_mailbox(&db, id).await.expires_at.unwrap();
    assert!(stored > Utc::now() + Duration::days(19) && stored < Utc::now() + Duration::days(21));
    let (_, body) = get(&router, &location).await;
    assert!(body.contains("De verloopdatum is opgeslagen."));
    // 20 days, or 19 in the hour when Amsterdam's date is already tomorrow's.
    assert!(
        body.contains("Verloopt over 20 dagen") || body.contains("Verloopt over 19 dagen"),
        "{body}"
    );
    assert!(body.contains("data-testid=\"registration-expiry\""));
    // The mailbox's own page says it too, linking to its registration.
    let (_, page) = get(&router, &format!("/instellingen/mailboxen/{id}")).await;
    let note = page
        .split("data-testid=\"mailbox-app-registration\"")
        .nth(1)
        .expect("the mailbox names its app registration");
    assert!(note.contains("#registratie-"), "{note}");
    assert!(note.contains("Verloopt over"), "{note}");
    // And the Mailboxen list's Status column, linking to the registrations.
    let (_, list) = get(&router, "/instellingen/mailboxen").await;
    let mark = list
        .split("data-testid=\"mailbox-credential-expiry\"")
        .nth(1)
        .expect("the list marks the mailbox");
    let mark = mark.split("</a>").next().unwrap_or_default();
    assert!(mark.contains(">Verloopt over"), "{mark}");

    // With JavaScript the same function answers in JSON; a lezer may not change it.
    let answer = post(
        &router,
        "set_credential_expiry",
        &form(&day(-3)),
        Poster::Script,
        REGISTRATIONS_PATH,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.contains("InThePast"), "{}", answer.body);
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let answer = post(
        &lezer,
        "set_credential_expiry",
        &form(&day(40)),
        Poster::Script,
        REGISTRATIONS_PATH,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        credential_of_mailbox(&db, id).await.expires_at,
        Some(stored)
    );
}

async fn expiry_is_announced_at_thirty_seven_and_zero_days(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    set_expires_at(
        &db,
        credential_of_mailbox(&db, id).await,
        Utc::now() + Duration::days(90),
    )
    .await;
    // As the database keeps it (PostgreSQL to the microsecond, MariaDB to the second).
    let end = credential_of_mailbox(&db, id).await.expires_at.unwrap();
    let at = |now: DateTime<Utc>| Clock {
        zone: DEFAULT_ZONE,
        now,
    };
    let cases = [
        (end - Duration::days(31), Expiry::Valid, None),
        (
            end - Duration::days(30),
            Expiry::Soon { days_left: 30 },
            Some("Verloopt over 30 dagen"),
        ),
        (
            end - Duration::days(8),
            Expiry::Soon { days_left: 8 },
            Some("Verloopt over 8 dagen"),
        ),
        (
            end - Duration::days(7),
            Expiry::Urgent { days_left: 7 },
            Some("Verloopt over 7 dagen"),
        ),
        (
            end - Duration::hours(5),
            Expiry::Urgent { days_left: 0 },
            Some("Verloopt vandaag"),
        ),
        (end, Expiry::Expired, Some("Verlopen")),
    ];
    for (now, expected, words) in cases {
        let listed = list(&db, at(now), Lang::Nl).await.unwrap();
        assert_eq!(listed[0].expiry(), expected, "{now}");
        assert_eq!(listed[0].credentials[0].expiry, expected);
        let logged = expiring(&db, now).await.unwrap();
        assert_eq!(logged.len(), usize::from(words.is_some()), "{now}");
        if let (Some(words), Some(entry)) = (words, logged.first()) {
            assert_eq!(entry.expiry, expected);
            assert_eq!(entry.mailboxes, 1);
            assert_eq!(rules::i18n::expiry_text(expected, Lang::Nl), words);
        }
    }
    // A credential no mailbox uses any more is not announced.
    settings::Entity::delete_many().exec(&db).await.unwrap();
    assert!(expiring(&db, end).await.unwrap().is_empty());
}

async fn a_new_secret_posted_without_javascript_is_never_shown(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let registration = registration_of(&db, id).await;
    let value = "Nw8Q~eenNieuwGeheimDatNooitGetoondWordt.03";
    let fields = Fields::default()
        .set("registration_id", &registration.to_string())
        .set("value", value)
        .set("expires_on", &day(200));
    // Microsoft cannot be reached in this test: kept, unchecked, and said so.
    let answer = post_plain(&router, "add_app_secret", &fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let location = answer.location.unwrap();
    assert!(location.contains("melding=geweigerd"), "{location}");
    assert!(!location.contains(value));
    let (_, body) = get(&router, &location).await;
    assert!(
        body.contains("Microsoft weigert dit geheim of certificaat."),
        "{body}"
    );
    assert!(!body.contains(value), "the value never comes back");
    assert_eq!(body.matches("data-testid=\"credential\"").count(), 2);
    // Unchecked: it can be removed, not taken into use.
    assert_eq!(
        body.matches("data-testid=\"use_app_credential\"").count(),
        0
    );
    assert_eq!(
        body.matches("data-testid=\"remove_app_credential\"")
            .count(),
        1
    );

    // Without a date the secret is not taken: the reason is named.
    let undated = fields.clone().set("expires_on", "");
    let answer = post_plain(&router, "add_app_secret", &undated).await;
    assert!(answer.location.unwrap().contains("melding=geen-datum"));
    // A registration in use is not deleted.
    let answer = post(
        &router,
        "delete_app_registration",
        &Fields::default().set("id", &registration.to_string()),
        Poster::PlainForm,
        REGISTRATIONS_PATH,
    )
    .await;
    let location = answer.location.unwrap();
    assert!(location.contains("melding=nog-in-gebruik"), "{location}");
    let (_, body) = get(&router, &location).await;
    assert!(body.contains("Er is niets verwijderd."));
}

async fn two_admins_renaming_one_registration_lose_nothing(db: DatabaseConnection) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let registration = registration_of(&db, id).await.to_string();
    let rename = |version: &str, name: &str| {
        Fields::default()
            .set("id", &registration)
            .set("version", version)
            .set("display_name", name)
    };
    // The first admin renames it.
    let answer = post(
        &router,
        "rename_app_registration",
        &rename("1", "Zonnecoop CRM"),
        Poster::PlainForm,
        REGISTRATIONS_PATH,
    )
    .await;
    let location = answer.location.unwrap();
    assert!(location.contains("melding=naam-opgeslagen"), "{location}");
    let (_, body) = get(&router, &location).await;
    assert!(body.contains("<h2>Zonnecoop CRM</h2>"), "{body}");
    // The second, still at version 1: refused, the new state shown, their name kept in the field.
    let answer = post(
        &router,
        "rename_app_registration",
        &rename("1", "Energie & Co"),
        Poster::PlainForm,
        REGISTRATIONS_PATH,
    )
    .await;
    let location = answer.location.unwrap();
    assert!(
        location.contains("melding=intussen-gewijzigd"),
        "{location}"
    );
    let (_, body) = get(&router, &location).await;
    assert!(body.contains("Iemand anders heeft deze app-registratie intussen gewijzigd"));
    assert!(body.contains("<h2>Zonnecoop CRM</h2>"));
    assert!(body.contains("value=\"Energie &amp; Co\""), "{body}");
    // An empty name is refused; nothing changes.
    let answer = post(
        &router,
        "rename_app_registration",
        &rename("2", "  "),
        Poster::Script,
        REGISTRATIONS_PATH,
    )
    .await;
    assert!(answer.body.contains("NameInvalid"), "{}", answer.body);
    let (_, body) = get(&router, REGISTRATIONS_PATH).await;
    assert!(body.contains("<h2>Zonnecoop CRM</h2>"));
}

/// A secret typed on the mailbox form (which keeps Econobis' fields, without a date) is asked
/// for its end date on the mailbox's own page, which the answer returns to.
async fn a_secret_entered_on_the_form_is_asked_for_its_date_on_the_mailbox_page(
    db: DatabaseConnection,
) {
    let router = signed_in_router(db.clone()).await;
    let id = create(&router, &microsoft_fields()).await;
    let row = credential_of_mailbox(&db, id).await;
    let page = format!("/instellingen/mailboxen/{id}");
    let (_, body) = get(&router, &page).await;
    assert!(
        body.contains("data-testid=\"mailbox-expiry-form\""),
        "{body}"
    );
    // A lezer sees the note, not the form.
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let (_, body) = get(&lezer, &page).await;
    assert!(
        body.contains("data-testid=\"mailbox-app-registration\""),
        "{body}"
    );
    assert!(!body.contains("mailbox-expiry-form"), "{body}");
    let form = |date: &str| {
        Fields::default()
            .set("id", &row.id.to_string())
            .set("expires_on", date)
            .set("terug", &page)
    };
    let answer = post_plain(&router, "set_credential_expiry", &form(&day(-3))).await;
    let location = answer.location.unwrap();
    assert!(
        location.starts_with(&format!("{page}?melding=datum-voorbij")),
        "{location}"
    );
    let (_, body) = get(&router, &location).await;
    assert!(
        body.contains("data-testid=\"mailbox-expiry-answer\""),
        "{body}"
    );
    assert!(body.contains("Deze datum is al voorbij"), "{body}");
    assert_eq!(credential_of_mailbox(&db, id).await.expires_at, None);

    let answer = post_plain(&router, "set_credential_expiry", &form(&day(200))).await;
    let location = answer.location.unwrap();
    assert!(
        location.starts_with(&format!("{page}?melding=verloopdatum-opgeslagen")),
        "{location}"
    );
    assert!(credential_of_mailbox(&db, id).await.expires_at.is_some());
    let (_, body) = get(&router, &location).await;
    assert!(body.contains("De verloopdatum is opgeslagen."), "{body}");
    assert!(
        !body.contains("data-testid=\"mailbox-expiry-form\""),
        "asked once: {body}"
    );
}

on_every_database!(
    a_secret_entered_on_the_form_is_asked_for_its_date_on_the_mailbox_page,
    two_admins_renaming_one_registration_lose_nothing,
    a_new_secret_posted_without_javascript_is_never_shown,
    the_page_shows_each_registration_once_with_its_mailboxes,
    an_expiry_date_is_entered_without_javascript,
    expiry_is_announced_at_thirty_seven_and_zero_days,
);
