//! Rotating an app registration's secret without downtime (issue 19): a new secret is added
//! with its end date and checked with Microsoft before it can be used, taken into use for
//! every mailbox of the registration at once while a sync is under way, and the old one is
//! removed only when no mailbox uses it any more.

use std::time::Duration;

use backend::entities::{app_credential as credential, mailbox_microsoft_settings as settings};
use backend::flows::app_credentials::{
    add_certificate, add_secret, delete_registration, remove, take_into_use, verify,
};
use backend::mail::sync_now;
use chrono::Utc;
use fake_microsoft::{Endpoint, Fault, NewClientSecret};
use rules::app_registrations::answer::{RegistrationAnswer, SecretProblem};
use rules::app_registrations::ExpiryDateError;
use rules::time::{Clock, DEFAULT_ZONE};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::mail_sync::mail;
use crate::on_every_database;
use crate::passwordless::{save_app_only, setup};
use crate::support::microsoft::*;
use crate::support::stored_client_secret;

/// The demo app's secret in the fake's fixture.
const FIXTURE_SECRET_ID: &str = "8fbe0b52-acbf-4691-b6e1-4ae2a073c19b";

fn clock() -> Clock {
    Clock {
        zone: DEFAULT_ZONE,
        now: Utc::now(),
    }
}

fn day(offset_days: i64) -> String {
    (Utc::now() + chrono::Duration::days(offset_days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn uses(db: &DatabaseConnection, id: i32) -> (i32, i32) {
    let row = settings::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    (
        row.app_registration_id.unwrap(),
        row.app_credential_id.unwrap(),
    )
}

async fn a_secret_is_rotated_for_every_mailbox_while_a_sync_runs(db: DatabaseConnection) {
    let s = setup(&db).await;
    let info = save_app_only(&s.router, INFO, INFO_ID).await;
    let leden = save_app_only(&s.router, LEDEN, LEDEN_ID).await;
    s.fake.add_message(INFO, mail("Voor de wissel", 3)).unwrap();
    sync_now(&s.state, info).await.unwrap();
    let (registration, old) = uses(&db, info).await;
    assert_eq!(
        uses(&db, leden).await,
        (registration, old),
        "one registration, one secret"
    );

    // Bad input first: each refused with its reason, nothing used.
    let client: Uuid = CLIENT_ID.parse().unwrap();
    let added = s
        .fake
        .add_client_secret(client, NewClientSecret::default())
        .unwrap();
    let refused = [
        (
            "",
            day(300),
            RegistrationAnswer::SecretRefused(SecretProblem::Missing),
        ),
        (
            FIXTURE_SECRET_ID,
            day(300),
            RegistrationAnswer::SecretRefused(SecretProblem::SecretId),
        ),
        (
            added.value.as_str(),
            String::new(),
            RegistrationAnswer::ExpiryRefused(ExpiryDateError::NotADate),
        ),
        (
            added.value.as_str(),
            day(-1),
            RegistrationAnswer::ExpiryRefused(ExpiryDateError::InThePast),
        ),
    ];
    for (value, date, expected) in refused {
        let answer = add_secret(&s.state, registration, value, &date, clock())
            .await
            .unwrap();
        assert_eq!(answer, expected, "{value:?} {date:?}");
    }
    assert_eq!(credential::Entity::find().count(&db).await.unwrap(), 1);

    // A value Microsoft does not know: stored unchecked, named, and it cannot be used.
    let wrong = "abc8Q~geen-geheim-van-deze-app-000000000";
    let answer = add_secret(&s.state, registration, wrong, &day(300), clock())
        .await
        .unwrap();
    assert_eq!(
        answer,
        RegistrationAnswer::VerifyFailed {
            aadsts: Some(7000215)
        }
    );
    let wrong_id = credential::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.verified_at.is_none() && c.id != old)
        .unwrap()
        .id;
    assert_eq!(
        take_into_use(&s.state, wrong_id).await.unwrap(),
        RegistrationAnswer::NotVerified
    );
    assert_eq!(
        remove(&s.state, wrong_id).await.unwrap(),
        RegistrationAnswer::Removed
    );

    // The new secret from Azure, with its date: checked at once.
    let answer = add_secret(&s.state, registration, &added.value, &day(300), clock())
        .await
        .unwrap();
    assert_eq!(answer, RegistrationAnswer::SecretVerified);
    let new = credential::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id != old)
        .unwrap();
    assert!(new.verified_at.is_some() && new.expires_at.is_some());
    assert_eq!(uses(&db, info).await.1, old, "added is not yet used");

    // Taken into use while a sync is under way: the sync finishes with the token it has.
    s.fake
        .add_message(INFO, mail("Tijdens de wissel", 2))
        .unwrap();
    s.fake.fail(
        Endpoint::GraphDelta,
        Fault::Latency { millis: 700 },
        Some(1),
    );
    let running = tokio::spawn({
        let state = s.state.clone();
        async move { sync_now(&state, info).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        take_into_use(&s.state, new.id).await.unwrap(),
        RegistrationAnswer::TakenIntoUse
    );
    let report = running.await.unwrap().unwrap();
    assert!(report.new_messages >= 1, "{report:?}");
    assert_eq!(uses(&db, info).await.1, new.id);
    assert_eq!(uses(&db, leden).await.1, new.id);
    assert_eq!(
        stored_client_secret(&db, &s.state.cipher, leden)
            .await
            .as_deref(),
        Some(added.value.as_str())
    );

    // The old secret removed in Azure: both mailboxes go on with the new one.
    s.fake
        .remove_client_secret(client, FIXTURE_SECRET_ID.parse().unwrap())
        .unwrap();
    s.fake.add_message(INFO, mail("Na de wissel", 1)).unwrap();
    sync_now(&s.state, info).await.unwrap();
    sync_now(&s.state, leden).await.unwrap();

    // The old one can go now; the one in use and the registration cannot.
    assert_eq!(
        remove(&s.state, new.id).await.unwrap(),
        RegistrationAnswer::StillInUse
    );
    assert_eq!(
        remove(&s.state, old).await.unwrap(),
        RegistrationAnswer::Removed
    );
    assert_eq!(
        delete_registration(&s.state, registration).await.unwrap(),
        RegistrationAnswer::StillInUse
    );
    assert_eq!(credential::Entity::find().count(&db).await.unwrap(), 1);
}

async fn a_certificate_is_checked_before_it_replaces_the_secret(db: DatabaseConnection) {
    let s = setup(&db).await;
    let info = save_app_only(&s.router, INFO, INFO_ID).await;
    let (registration, old) = uses(&db, info).await;
    assert_eq!(
        add_certificate(&s.state, registration).await.unwrap(),
        RegistrationAnswer::CertificateMade
    );
    let made = credential::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id != old)
        .unwrap();
    assert!(made.private_key_encrypted.is_some() && made.thumbprint.is_some());
    assert!(made.expires_at.is_some(), "a certificate's end is known");
    // Not uploaded yet: Microsoft does not know the key (AADSTS700027); not usable.
    assert_eq!(
        verify(&s.state, made.id).await.unwrap(),
        RegistrationAnswer::VerifyFailed {
            aadsts: Some(700027)
        }
    );
    assert_eq!(
        take_into_use(&s.state, made.id).await.unwrap(),
        RegistrationAnswer::NotVerified
    );
    s.fake
        .add_client_certificate(
            CLIENT_ID.parse().unwrap(),
            fake_microsoft::NewClientCertificate {
                certificate_pem: made.certificate_pem.clone().unwrap(),
                ..fake_microsoft::NewClientCertificate::default()
            },
        )
        .unwrap();
    assert_eq!(
        verify(&s.state, made.id).await.unwrap(),
        RegistrationAnswer::Verified
    );
    assert_eq!(
        take_into_use(&s.state, made.id).await.unwrap(),
        RegistrationAnswer::TakenIntoUse
    );
    s.fake
        .add_message(INFO, mail("Met certificaat", 1))
        .unwrap();
    sync_now(&s.state, info).await.unwrap();
}

on_every_database!(
    a_secret_is_rotated_for_every_mailbox_while_a_sync_runs,
    a_certificate_is_checked_before_it_replaces_the_secret,
);
