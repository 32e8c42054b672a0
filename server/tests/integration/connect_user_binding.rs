//! The OAuth state is bound to the app user who started the sign-in (issue [access]).

use std::time::Duration;

use backend::entities::audit_log;
use fake_microsoft::SignInBrowser;
use http::StatusCode;
use rules::access::Role;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{session_as, with_session};

async fn a_callback_in_another_users_session_is_refused(db: DatabaseConnection) {
    let fake = fake().await;
    let state = state_with(db.clone(), &fake, Duration::from_secs(5));
    let starter = router_of(state.clone()).await;
    let (id, url) = save_new(&starter, &demo_fields(INFO, INFO_ID)).await;
    let mut browser = SignInBrowser::new().unwrap();
    let back = sign_in(&mut browser, &url, INFO, INFO_PASSWORD).await;

    // The same callback URL, arriving in a different app user's session.
    let config =
        server::config::Config::from_lookup(|name| (name == "APP_ENV").then(|| "test".to_string()))
            .unwrap();
    let other_session = session_as(&db, Role::Lezer).await;
    let other = with_session(
        server::router(state, server::leptos_options(&config)),
        &other_session,
    );
    let refused = callback(&other, &back).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body.contains("CB12"), "{}", refused.body);
    assert!(
        refused.body.contains("andere gebruiker"),
        "{}",
        refused.body
    );
    assert!(tokens_of(&db, id).await.is_none(), "no tokens stored");
    assert_eq!(fake.token_request_count("authorization_code"), 0);

    // The user who started it can still finish.
    let finished = callback(&starter, &back).await;
    assert_eq!(finished.status, StatusCode::SEE_OTHER, "{}", finished.body);
    assert!(tokens_of(&db, id).await.is_some());

    // The mailbox's Wijzigingslog names who connected it.
    let log = audit_log::Entity::find()
        .filter(audit_log::Column::MailboxId.eq(id))
        .all(&db)
        .await
        .unwrap();
    let connected: Vec<_> = log.iter().filter(|row| row.action == "connected").collect();
    assert_eq!(connected.len(), 1, "{log:?}");
    assert_eq!(connected[0].user_email, "beheerder@example.org");
}

on_every_database!(a_callback_in_another_users_session_is_refused);
