//! Data access for mailboxes on every database.

use backend::mailboxes::{insert, list_rows, NewMailbox};
use rules::mailbox_list::{MailboxStatus, ServerType};
use sea_orm::DatabaseConnection;

use crate::on_every_database;

pub fn mailbox(name: &str, incoming: &str, outgoing: &str, active: bool) -> NewMailbox {
    NewMailbox {
        name: name.to_string(),
        email: format!("{}@energiedemo.nl", name.to_lowercase().replace(' ', ".")),
        incoming_server_type: incoming.to_string(),
        outgoing_server_type: outgoing.to_string(),
        is_active: active,
        is_primary: false,
    }
}

async fn lists_nothing_on_a_fresh_database(db: DatabaseConnection) {
    assert!(list_rows(&db).await.unwrap().is_empty());
}

async fn lists_inserted_mailboxes_by_name_with_their_types(db: DatabaseConnection) {
    let info = insert(&db, mailbox("info", "ms-oauth", "ms-oauth", true))
        .await
        .unwrap();
    let leden = insert(&db, mailbox("Ledenadministratie", "imap", "smtp", false))
        .await
        .unwrap();
    let nieuws = insert(&db, mailbox("Nieuwsbrief", "none", "ms-oauth", true))
        .await
        .unwrap();

    let rows = list_rows(&db).await.unwrap();
    let names: Vec<&str> = rows.iter().map(|row| row.name.as_str()).collect();
    // Case-insensitive order, the same on every database.
    assert_eq!(names, ["info", "Ledenadministratie", "Nieuwsbrief"]);
    assert_eq!(rows[0].id, info);
    assert_eq!(rows[0].incoming, ServerType::MicrosoftApi);
    assert_eq!(rows[0].status, MailboxStatus::NotConnected);
    assert_eq!(rows[1].id, leden);
    assert_eq!(
        (rows[1].incoming, rows[1].outgoing),
        (ServerType::Imap, ServerType::Smtp)
    );
    assert!(!rows[1].is_active);
    assert_eq!(rows[1].status, MailboxStatus::Unchecked);
    assert_eq!(rows[2].id, nieuws);
    assert_eq!(rows[2].incoming, ServerType::None);
    assert_eq!(rows[2].email, "nieuwsbrief@energiedemo.nl");
}

async fn keeps_unicode_names_intact(db: DatabaseConnection) {
    insert(
        &db,
        mailbox("Energie Coöperatie – Zuid", "imap", "smtp", true),
    )
    .await
    .unwrap();
    let rows = list_rows(&db).await.unwrap();
    assert_eq!(rows[0].name, "Energie Coöperatie – Zuid");
}

on_every_database!(
    lists_nothing_on_a_fresh_database,
    lists_inserted_mailboxes_by_name_with_their_types,
    keeps_unicode_names_intact,
);
