//! Migrations as several instances meet them: started together against an empty database
//! they take turns under the database lock and each migration runs once; an instance told
//! not to migrate refuses an older schema; PostgreSQL connections plan per statement
//! without a startup option (which PgBouncer would refuse).

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::support::{Backend, TestDatabase};

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

    // An instance with MIGRATE_AT_START=false refuses a schema behind its own version.
    Migrator::down(&db, Some(1))
        .await
        .expect("the newest undone");
    let config = server::config::Config::from_lookup(|name| match name {
        "APP_ENV" => Some("test".to_string()),
        "DATABASE_URL" => Some(database.url().to_string()),
        "MIGRATE_AT_START" => Some("false".to_string()),
        _ => None,
    })
    .expect("config");
    let refused = server::start(&config).await.err().expect("no start");
    assert!(
        refused.to_string().contains("run `server migrate` first"),
        "{refused}"
    );
    let migrated = server::db::migrate(database.url())
        .await
        .expect("server migrate");
    assert_eq!(migrated.applied, 1);
    assert!(server::start(&config).await.is_ok(), "starts once current");
    database.drop_database().await;
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
