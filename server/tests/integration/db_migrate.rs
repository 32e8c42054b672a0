//! Migrations as several instances meet them: started together against an empty database
//! they take turns under the database lock and each migration runs once; an instance told
//! not to migrate, or waiting for another's lock, stays up but not ready (`/readyz` 503, a
//! page 503) until the schema is current, then serves by itself; PostgreSQL connections plan per statement
//! without a startup option (which PgBouncer would refuse).

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use std::time::Duration;

use crate::support::{get, Backend, TestDatabase};

async fn instances_starting_together_migrate_once(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let db = database.connection();
    // Back to an empty schema, as a new installation's database.
    Migrator::down(&db, None)
        .await
        .expect("every migration undone");
    let known = Migrator::migrations().len();
    assert_eq!(server::db::pending_migrations(&db).await.unwrap(), known);

    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = database.url().to_string();
            tokio::spawn(async move { server::db::migrate(&url).await })
        })
        .collect();
    let mut applied = 0;
    for start in starts {
        let migrated = start.await.unwrap().expect("each instance starts");
        applied += migrated.applied;
    }
    assert_eq!(
        applied, known,
        "each migration applied by exactly one instance"
    );
    assert_eq!(server::db::pending_migrations(&db).await.unwrap(), 0);

    // An instance with MIGRATE_AT_START=false on a schema behind its own version stays up
    // but serves nothing until `server migrate` has run, then becomes ready by itself.
    Migrator::down(&db, Some(1))
        .await
        .expect("the newest undone");
    let instance = Starting::start(database.url(), false).await;
    instance.serves_only_probes("migrations pending\n").await;
    let migrated = server::db::migrate(database.url())
        .await
        .expect("server migrate");
    assert_eq!(migrated.applied, 1);
    instance.becomes_ready().await;

    // An instance migrating at start while another holds the migration lock: not ready
    // until it got the lock and migrated.
    Migrator::down(&db, Some(1))
        .await
        .expect("the newest undone");
    let held = server::db::MigrationLock::acquire(database.url())
        .await
        .expect("the lock, as another instance holds it");
    let instance = Starting::start(database.url(), true).await;
    for _ in 0..3 {
        instance.serves_only_probes("migrations pending\n").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    held.release().await;
    instance.becomes_ready().await;
    assert_eq!(server::db::pending_migrations(&db).await.unwrap(), 0);
    database.drop_database().await;
}

/// An instance as `main` runs it: the router over a started application, and
/// `become_ready` in the background.
struct Starting {
    router: axum::Router,
    becoming_ready: tokio::task::JoinHandle<Result<(), server::StartError>>,
}

impl Starting {
    async fn start(url: &str, migrate_at_start: bool) -> Starting {
        let url = url.to_string();
        let config = server::config::Config::from_lookup(move |name| match name {
            "APP_ENV" => Some("test".to_string()),
            "DATABASE_URL" => Some(url.clone()),
            "MIGRATE_AT_START" => Some(migrate_at_start.to_string()),
            _ => None,
        })
        .expect("config");
        let application = server::start(&config).await.expect("connects");
        let readiness = server::Readiness::starting();
        let router = server::router_until_ready(
            application.state.clone(),
            application.leptos_options,
            readiness.clone(),
        );
        let state = application.state;
        let becoming_ready =
            tokio::spawn(async move { server::become_ready(&config, &state, &readiness).await });
        Starting {
            router,
            becoming_ready,
        }
    }

    /// Up (`/healthz`), not ready for `reason`, and a page is a plain 503, not an error.
    async fn serves_only_probes(&self, reason: &str) {
        let (status, body) = get(&self.router, "/healthz").await;
        assert_eq!((status.as_u16(), body.as_str()), (200, "ok\n"));
        let (status, body) = get(&self.router, "/readyz").await;
        assert_eq!((status.as_u16(), body.as_str()), (503, reason));
        let (status, body) = get(&self.router, "/inloggen").await;
        assert_eq!(
            (status.as_u16(), body.as_str()),
            (503, server::probes::NOT_READY_TEXT)
        );
        assert!(!self.becoming_ready.is_finished(), "still waiting");
    }

    /// `/readyz` turns 200 by itself (within a few rechecks) and the pages are served.
    async fn becomes_ready(self) {
        let started = std::time::Instant::now();
        loop {
            let (status, body) = get(&self.router, "/readyz").await;
            if status.as_u16() == 200 {
                assert_eq!(body, "ready\n");
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "not ready 30 s after the migrations: {status} {body}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let (status, body) = get(&self.router, "/inloggen").await;
        assert_eq!(status.as_u16(), 200, "{body}");
        self.becoming_ready
            .await
            .expect("joined")
            .expect("start-up finished");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_take_turns_on_sqlite() {
    instances_starting_together_migrate_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_take_turns_on_postgres() {
    instances_starting_together_migrate_once(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_take_turns_on_mariadb() {
    instances_starting_together_migrate_once(Backend::MariaDb).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_plan_each_statement_for_its_values() {
    let Some(database) = TestDatabase::create(Backend::Postgres).await else {
        return;
    };
    let db = server::db::connect(database.url(), 3)
        .await
        .expect("connect");
    for _ in 0..3 {
        let row = db
            .query_one(Statement::from_string(
                DatabaseBackend::Postgres,
                "SHOW plan_cache_mode",
            ))
            .await
            .unwrap()
            .expect("a row");
        assert_eq!(
            row.try_get_by_index::<String>(0).unwrap(),
            "force_custom_plan"
        );
    }
    let startup = db
        .query_one(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT source FROM pg_settings WHERE name = 'plan_cache_mode'",
        ))
        .await
        .unwrap()
        .expect("a row");
    assert_eq!(
        startup.try_get_by_index::<String>(0).unwrap(),
        "session",
        "set by SET on the connection, not by the startup packet (\"client\")"
    );
    let _ = db.close().await;
    database.drop_database().await;
}
