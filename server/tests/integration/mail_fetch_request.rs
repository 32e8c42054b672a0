//! "Nu ophalen" asks the scheduler (issues 21 and 22), on every database: the request is
//! recorded and answered at once without a lease; the scheduler takes it up with periodic
//! sync off; the sync records how far it is; the page follows it, reloading itself without
//! JavaScript, until it shows the outcome; a run whose instance died stops showing.

use std::time::{Duration, Instant};

use backend::entities::mail_sync_state as sync_state;
use backend::flows::mail as flow;
use backend::mail::{lease, progress, request_sync, spawn_scheduler};
use chrono::Utc;
use fake_microsoft::{Endpoint, Fault};
use http::StatusCode;
use rules::access::Role;
use rules::mail::{FetchOutcome, FetchProgress};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use crate::mail_sync::{connected, state_row, stored};
use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{get, post, Fields, Poster};

/// Waits (at most 30 s) until `done` holds.
async fn until<F: std::future::Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not in 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn nu_ophalen_is_a_request_the_scheduler_takes_up_with_periodic_sync_off(
    db: DatabaseConnection,
) {
    let c = connected(&db).await;
    assert!(c.state.mail.sync_interval.is_zero(), "periodic sync off");
    let router = router_of(c.state.clone()).await;
    let fields = Fields::default().set("id", &c.id.to_string());

    // No scheduler yet: the request is recorded, answered at once, and leases nothing.
    let answer = post(&router, "fetch_mail_now", &fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let outcome: FetchOutcome = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(outcome, FetchOutcome::Requested);
    let row = state_row(&db, c.id).await;
    assert!(row.fetch_requested_at.is_some());
    assert_eq!(row.lease_holder, None, "no lease held for the request");
    assert!(
        stored(&db).await.is_empty(),
        "nothing fetched inside the request"
    );

    // Without JavaScript: a 303 back to the page, which follows the fetch.
    let answer = post(&router, "fetch_mail_now", &fields, Poster::PlainForm, "/").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let location = answer.location.unwrap_or_default();
    let page = format!("/instellingen/mailboxen/{}?ophalen=bezig", c.id);
    assert_eq!(location, format!("{page}#mail"));
    assert_eq!(state_row(&db, c.id).await.lease_holder, None);
    let (status, html) = get(&router, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"fetch-running\""), "{html}");
    assert!(
        html.contains("http-equiv=\"refresh\""),
        "reloads while waiting"
    );
    // To a URL of its own: one that only added `#mail` would scroll, not reload.
    assert!(
        html.contains("?ophalen=bezig&amp;herladen=1#mail"),
        "{html}"
    );

    // The scheduler (periodic sync off) takes the request up.
    let scheduler = spawn_scheduler(c.state.clone());
    until("the requested fetch", || async {
        let row = state_row(&db, c.id).await;
        stored(&db).await.len() == 3 && row.lease_holder.is_none()
    })
    .await;
    let row = state_row(&db, c.id).await;
    assert_eq!(row.fetch_requested_at, None, "the request is answered");
    assert_eq!(row.run_stored, 3);
    assert!(row.run_started_at.is_some());
    let (_, html) = get(&router, &page).await;
    assert!(
        html.contains("data-testid=\"fetch-success\"") && html.contains("data-new=\"3\""),
        "{html}"
    );
    assert!(
        !html.contains("http-equiv=\"refresh\""),
        "done: no more reloads"
    );
    assert!(!html.contains("data-testid=\"fetch-running\""));

    // Nothing is fetched again unasked.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(state_row(&db, c.id).await.last_success_at == row.last_success_at);
    scheduler.abort();
}

async fn a_running_sync_records_how_far_it_is(db: DatabaseConnection) {
    let c = connected(&db).await;
    // Two pages of two (the fixture's three messages), each answered slowly.
    c.fake
        .fail(Endpoint::GraphDelta, Fault::Latency { millis: 700 }, None);
    let scheduler = spawn_scheduler(c.state.clone());
    request_sync(&c.state, c.id).await.unwrap();
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = flow::status(&c.state, c.id, Role::Beheerder)
            .await
            .unwrap()
            .unwrap();
        if let FetchProgress::Running { stored, .. } = status.progress {
            if seen.last() != Some(&stored) {
                seen.push(stored);
            }
        }
        if !status.progress.is_active() && stored(&db).await.len() == 3 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the fetch to finish: not in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    scheduler.abort();
    assert!(
        seen.first() == Some(&0) && seen.contains(&2),
        "running with 0, then 2 messages stored: {seen:?}"
    );
    let status = flow::status(&c.state, c.id, Role::Beheerder)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        status.last_outcome,
        Some(FetchOutcome::Fetched {
            new_messages: 3,
            removed: 0
        })
    );
}

async fn a_sync_whose_instance_died_stops_showing_as_running(db: DatabaseConnection) {
    let c = connected(&db).await;
    let now = Utc::now();
    lease::ensure_state(&db, c.id, now).await.unwrap();
    assert!(
        lease::claim(&db, c.id, "dead", now, now + chrono::Duration::seconds(30))
            .await
            .unwrap()
    );
    progress::start_run(&db, c.id, "dead", now, now + chrono::Duration::seconds(30))
        .await
        .unwrap();
    progress::add_stored(&db, c.id, 120).await.unwrap();
    let status = flow::status(&c.state, c.id, Role::Beheerder)
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(status.progress, FetchProgress::Running { stored: 120, .. }),
        "{:?}",
        status.progress
    );
    // The instance was killed: its lease runs out, and so does "bezig".
    let mut row: sync_state::ActiveModel = state_row(&db, c.id).await.into();
    row.lease_until = Set(Some(now - chrono::Duration::seconds(1)));
    row.update(&db).await.unwrap();
    let status = flow::status(&c.state, c.id, Role::Beheerder)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.progress, FetchProgress::Idle);
}

async fn requested_mailboxes_are_claimed_first_and_only_they_without_periodic_sync(
    db: DatabaseConnection,
) {
    let c = connected(&db).await;
    let now = Utc::now();
    lease::ensure_state(&db, c.id, now).await.unwrap();
    let until = now + chrono::Duration::minutes(5);
    // Due (never synced), but not asked for: periodic sync off leaves it.
    let claimed = lease::claim_due(&db, &[c.id], now, until, 4, false)
        .await
        .unwrap();
    assert!(claimed.is_empty(), "{claimed:?}");
    progress::request(&db, c.id, now).await.unwrap();
    let claimed = lease::claim_due(&db, &[c.id], now, until, 4, false)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].0, c.id);
    // Claimed once only.
    let again = lease::claim_due(&db, &[c.id], now, until, 4, true)
        .await
        .unwrap();
    assert!(again.is_empty());
}

/// SIGTERM while a sync runs: it stops after the page it is storing, keeps that page and
/// where to go on, counts no failure and hands the mailbox back due at once; the next
/// instance finishes it without storing anything twice.
async fn a_shutdown_hands_a_running_sync_back_after_its_page(db: DatabaseConnection) {
    let c = connected(&db).await;
    // Two pages (two messages, then one), each answered slowly.
    c.fake
        .fail(Endpoint::GraphDelta, Fault::Latency { millis: 700 }, None);
    let scheduler = spawn_scheduler(c.state.clone());
    request_sync(&c.state, c.id).await.unwrap();
    until("the sync to start", || async {
        state_row(&db, c.id).await.run_started_at.is_some()
    })
    .await;
    // The first page is on its way: the instance is told to stop.
    c.state.mail.stop();
    tokio::time::timeout(Duration::from_secs(20), scheduler)
        .await
        .expect("the scheduler ends once its sync has stopped")
        .unwrap();
    let row = state_row(&db, c.id).await;
    assert_eq!(stored(&db).await.len(), 2, "the first page is kept");
    assert_eq!(row.lease_holder, None, "the mailbox is handed back");
    assert!(row.resume_link.is_some(), "with where to go on");
    assert!(
        row.next_due_at.is_some_and(|due| due <= Utc::now()),
        "due at once"
    );
    assert_eq!(row.consecutive_failures, 0, "a shutdown is no failure");
    assert_eq!(row.last_success_at, None, "nor a finished sync");

    // Another instance (periodic sync on) takes it over and finishes.
    let mut other = c.state.clone();
    other.mail.stopping = Default::default();
    other.mail.sync_interval = Duration::from_secs(300);
    let scheduler = spawn_scheduler(other);
    until("the other instance to finish", || async {
        state_row(&db, c.id).await.last_success_at.is_some()
    })
    .await;
    scheduler.abort();
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 3);
    crate::mail_sync::assert_no_duplicates(&messages);
}

on_every_database!(
    a_shutdown_hands_a_running_sync_back_after_its_page,
    nu_ophalen_is_a_request_the_scheduler_takes_up_with_periodic_sync_off,
    a_running_sync_records_how_far_it_is,
    a_sync_whose_instance_died_stops_showing_as_running,
    requested_mailboxes_are_claimed_first_and_only_they_without_periodic_sync,
);
