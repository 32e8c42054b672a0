//! `/healthz` and `/readyz` as a load balancer sees them: public, and `/readyz` refuses
//! traffic while the database lacks a migration this build needs.

use migrations::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

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

on_every_database!(
    health_and_readiness_need_no_session,
    not_ready_while_a_migration_is_missing,
);
