//! The queries that list or count messages never read a message row beyond the page shown:
//! on SQLite `removed_at` lies after the body, so a plan that reads rows to filter on it
//! reads every body (issue 21). Checked on SQLite's own query plans for the exact
//! statements the pages run.

use backend::flows::mail::message_page;
use backend::mail::summary::visible_counts;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, QueryTrait, Statement};

use crate::support::{run_on, Backend};

async fn plan(db: &DatabaseConnection, query: impl QueryTrait) -> String {
    let statement = query.build(DbBackend::Sqlite);
    let explain = Statement::from_sql_and_values(
        DbBackend::Sqlite,
        format!("EXPLAIN QUERY PLAN {}", statement.sql),
        statement.values.map(|v| v.0).unwrap_or_default(),
    );
    let rows = db.query_all(explain).await.expect("a query plan");
    rows.iter()
        .map(|row| row.try_get::<String>("", "detail").expect("detail"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn counting_and_paging_read_the_index_not_the_bodies(db: DatabaseConnection) {
    let counting = plan(&db, visible_counts(&[1, 2, 3])).await;
    assert!(
        counting.contains("USING COVERING INDEX idx_mail_messages_visible"),
        "the count comes from the index alone: {counting}"
    );
    let paging = plan(&db, message_page(1, 7)).await;
    assert!(
        paging.contains("USING INDEX idx_mail_messages_visible"),
        "the page is found in the index: {paging}"
    );
    assert!(
        !paging.contains("TEMP B-TREE"),
        "in the index's order, without sorting every message first: {paging}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_plans() {
    run_on(
        Backend::Sqlite,
        counting_and_paging_read_the_index_not_the_bodies,
    )
    .await;
}
