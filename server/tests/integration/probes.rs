//! `/healthz` and `/readyz` as a load balancer sees them: public, and `/readyz` refuses
//! traffic while the database lacks a migration this build needs, or holds one it does not
//! know.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::on_every_database;
use crate::support::{anonymous_router, get};

async fn health_and_readiness_need_no_session(db: DatabaseConnection) {
    let router = anonymous_router(db);
    let (status, body) = get(&router, "/healthz").await;
    assert_eq!((status.as_u16(), body.as_str()), (200, "ok\n"));
    let (status, body) = get(&router, "/readyz").await;
    assert_eq!((status.as_u16(), body.as_str()), (200, "ready\n"));
}

async fn not_ready_while_a_migration_is_missing(db: DatabaseConnection) {
    let router = anonymous_router(db.clone());
    Migrator::down(&db, Some(1))
        .await
        .expect("last migration undone");
    let (status, body) = get(&router, "/readyz").await;
    assert_eq!(
        (status.as_u16(), body.as_str()),
        (503, "migrations pending\n")
    );
    let (status, _) = get(&router, "/healthz").await;
    assert_eq!(status.as_u16(), 200, "the process itself is up");
    Migrator::up(&db, None).await.expect("migrated again");
    let (status, _) = get(&router, "/readyz").await;
    assert_eq!(status.as_u16(), 200);
}

/// During an upgrade the new version migrates first: an instance of the old one says why it
/// is not ready, and is ready again once the database holds only what it knows.
async fn not_ready_while_the_database_is_newer(db: DatabaseConnection) {
    let router = anonymous_router(db.clone());
    let newer = "m99991231_000001_from_a_newer_version";
    let backend = db.get_database_backend();
    db.execute(Statement::from_string(
        backend,
        format!("INSERT INTO seaql_migrations (version, applied_at) VALUES ('{newer}', 0)"),
    ))
    .await
    .expect("a newer version's migration");
    let (status, body) = get(&router, "/readyz").await;
    assert_eq!(
        (status.as_u16(), body.as_str()),
        (503, "database newer than this binary\n")
    );
    db.execute(Statement::from_string(
        backend,
        format!("DELETE FROM seaql_migrations WHERE version = '{newer}'"),
    ))
    .await
    .expect("gone again");
    let (status, _) = get(&router, "/readyz").await;
    assert_eq!(status.as_u16(), 200);
}

on_every_database!(
    health_and_readiness_need_no_session,
    not_ready_while_a_migration_is_missing,
    not_ready_while_the_database_is_newer,
);
