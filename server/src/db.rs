//! Connecting to the database and bringing its schema up to date.

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    SqlxPostgresConnector, Statement,
};

/// Brings the schema up to date ([`migrate`]), then connects ([`connect`]) with sqlx's
/// default pool size: for the CLI commands, tests and benchmarks.
pub async fn connect_and_migrate(database_url: &str) -> Result<DatabaseConnection, DbErr> {
    if database_url.starts_with("sqlite") && sqlite_file_path(database_url).is_none() {
        // In memory: each connection has its own database, so migrate this one.
        let db = connect(database_url, 1).await?;
        Migrator::up(&db, None).await?;
        return Ok(db);
    }
    migrate(database_url).await?;
    connect(database_url, DEFAULT_MAX_CONNECTIONS).await
}

/// The pool size when `DATABASE_MAX_CONNECTIONS` is not set.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 10;

/// The most memory SQLite aims to use in this process, all connections together (bytes).
const SQLITE_SOFT_HEAP_LIMIT: i64 = 48 * 1024 * 1024;

/// What [`migrate`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migrated {
    /// Migrations applied now (0: the schema was current).
    pub applied: usize,
}

/// Runs pending migrations under the database-wide [`MigrationLock`], so instances starting
/// together (or `server migrate` beside a starting instance) take turns: the second finds
/// the schema current.
pub async fn migrate(database_url: &str) -> Result<Migrated, DbErr> {
    let lock = MigrationLock::acquire(database_url).await?;
    let outcome = match Migrator::get_pending_migrations(&lock.db).await {
        Ok(pending) if pending.is_empty() => Ok(0),
        Ok(pending) => {
            tracing::info!(pending = pending.len(), "applying migrations");
            Migrator::up(&lock.db, None).await.map(|()| pending.len())
        }
        Err(error) => Err(error),
    };
    lock.release().await;
    outcome.map(|applied| Migrated { applied })
}

/// Moves mailboxes saved before app registrations existed onto registrations
/// (`backend::app_registrations::adopt`), under the migration lock so instances starting
/// together do it once. An in-memory SQLite database is its one connection: `db` itself.
pub async fn adopt_app_registrations(
    database_url: &str,
    db: &DatabaseConnection,
    cipher: &backend::cipher::Cipher,
) -> Result<backend::app_registrations::Adopted, String> {
    use backend::app_registrations::{adopt, anything_to_adopt, Adopted};
    // Every start after the first: nothing waits, no lock taken. A row saved by an older
    // instance meanwhile is adopted at the next start and works from its own column until then.
    if !anything_to_adopt(db).await.map_err(|e| e.to_string())? {
        return Ok(Adopted::default());
    }
    if database_url.starts_with("sqlite") && sqlite_file_path(database_url).is_none() {
        return adopt(db, cipher).await.map_err(|e| e.to_string());
    }
    let lock = MigrationLock::acquire(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let outcome = adopt(&lock.db, cipher).await.map_err(|e| e.to_string());
    lock.release().await;
    outcome
}

/// The lock migrations run under, held until [`MigrationLock::release`]. PostgreSQL: a
/// session advisory lock; MariaDB: `GET_LOCK`. Both belong to one connection, so the
/// migrations run on a pool of exactly that one connection. SQLite: an exclusive lock on a
/// file beside the database (`….migrations-lock`).
pub struct MigrationLock {
    db: DatabaseConnection,
    unlock: Option<Statement>,
    _file: Option<std::fs::File>,
}

impl MigrationLock {
    /// Waits for the lock (on MariaDB up to `MIGRATION_LOCK_WAIT_SECS`).
    pub async fn acquire(database_url: &str) -> Result<MigrationLock, DbErr> {
        let file = match sqlite_file_path(database_url) {
            Some(path) => Some(lock_beside(path).await?),
            None => None,
        };
        let db = connect(database_url, 1).await?;
        let backend = db.get_database_backend();
        let statement = |sql: String| Statement::from_string(backend, sql);
        let (lock, unlock) = match backend {
            DatabaseBackend::Postgres => (
                format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"),
                format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"),
            ),
            DatabaseBackend::MySql => (
                format!("SELECT GET_LOCK('{MIGRATION_LOCK_NAME}', {MIGRATION_LOCK_WAIT_SECS})"),
                format!("SELECT RELEASE_LOCK('{MIGRATION_LOCK_NAME}')"),
            ),
            DatabaseBackend::Sqlite => {
                return Ok(MigrationLock {
                    db,
                    unlock: None,
                    _file: file,
                })
            }
        };
        let granted = db
            .query_one(statement(lock))
            .await?
            .and_then(|row| row.try_get_by_index::<Option<i64>>(0).ok().flatten());
        // pg_advisory_lock returns void (NULL here) once it holds the lock; GET_LOCK 1.
        if backend == DatabaseBackend::MySql && granted != Some(1) {
            return Err(DbErr::Custom(format!(
                "another instance held the migration lock for {MIGRATION_LOCK_WAIT_SECS} s"
            )));
        }
        Ok(MigrationLock {
            db,
            unlock: Some(statement(unlock)),
            _file: file,
        })
    }

    /// Lets the next one in.
    pub async fn release(self) {
        if let Some(unlock) = self.unlock {
            // Closing the connection releases the lock too.
            let _ = self.db.execute(unlock).await;
        }
        let _ = self.db.close().await;
    }
}

/// Waits for an exclusive lock on `{path}.migrations-lock` (created when missing); the lock
/// lasts as long as the returned file is open.
async fn lock_beside(path: &str) -> Result<std::fs::File, DbErr> {
    let lock_path = format!("{path}.migrations-lock");
    if let Some(dir) = std::path::Path::new(&lock_path).parent() {
        if !dir.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    let failed = |error: std::io::Error| DbErr::Custom(format!("cannot lock {lock_path}: {error}"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(failed)?;
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|error| DbErr::Custom(format!("waiting for the migration lock: {error}")))?
        .map_err(failed)
}

/// Migrations this build knows that the database does not hold yet.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// The database's schema as this build sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaStatus {
    /// Exactly the migrations this build knows.
    Current,
    /// This many of this build's migrations are not applied yet.
    Pending(usize),
    /// This many applied migrations are unknown to this build: a newer version migrated.
    Newer(usize),
}

/// Reads which migrations the database holds, without creating or locking anything (unlike
/// `Migrator::get_pending_migrations`, which creates the bookkeeping table and so could
/// wait behind another process's migrations): cheap enough for every `/readyz`.
pub async fn schema_status(db: &DatabaseConnection) -> Result<SchemaStatus, DbErr> {
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_string())
        .collect();
    let backend = db.get_database_backend();
    let select = Statement::from_string(backend, "SELECT version FROM seaql_migrations");
    let applied: Vec<String> = match db.query_all(select).await {
        Ok(rows) => rows
            .iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<Result<_, _>>()?,
        Err(error) => {
            // No bookkeeping table yet (an empty database), if the database itself answers.
            db.execute_unprepared("SELECT 1").await.map_err(|_| error)?;
            Vec::new()
        }
    };
    let newer = applied.iter().filter(|name| !known.contains(name)).count();
    let pending = known.iter().filter(|name| !applied.contains(name)).count();
    Ok(if newer > 0 {
        SchemaStatus::Newer(newer)
    } else if pending > 0 {
        SchemaStatus::Pending(pending)
    } else {
        SchemaStatus::Current
    })
}

/// The advisory lock's key on PostgreSQL: any fixed number; this one spells "mbxmigr".
const MIGRATION_LOCK_KEY: i64 = 0x006d_6278_6d69_6772;
const MIGRATION_LOCK_NAME: &str = "mailboxen_migrations";
/// How long MariaDB waits for another instance's migrations.
const MIGRATION_LOCK_WAIT_SECS: u32 = 600;

/// Connects with at most `max_connections` (creating a SQLite file's directory when needed).
pub async fn connect(
    database_url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file_path(database_url) {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|error| {
                    DbErr::Custom(format!(
                        "cannot create directory {}: {error}",
                        dir.display()
                    ))
                })?;
            }
        }
    }
    if database_url.starts_with("postgres") {
        return connect_postgres(database_url, max_connections).await;
    }
    let mut options = ConnectOptions::new(database_url.to_string());
    options.max_connections(max_connections);
    // SQL statements are logged at debug level only: they never carry secrets in clear
    // (those are encrypted before they reach SQL), but they are noisy.
    options.sqlx_logging_level(log::LevelFilter::Debug);
    // SQLite: write-ahead log, so pages read while a callback or refresh writes, and
    // synchronous=NORMAL, so a commit appends to the log without an fsync (the database
    // stays consistent after a crash; a power loss may lose the last commits). Each commit
    // otherwise waited on the disk: the callback took 16 ms, with this 3 ms (bench/RESULTS.md).
    //
    // A mail sync writes about two random index pages per message (the unique key and the
    // Graph id), each written to the log again on every commit. The log is copied back into
    // the database (a checkpoint, with fsyncs) after 10,000 pages (40 MiB) instead of
    // SQLite's 1,000: a page changed by several commits in between is copied once, and
    // there are a tenth of the fsyncs. The page cache holds up to 16 MiB instead of 2 MiB,
    // so those indexes are read from memory rather than from the file (bench/RESULTS.md,
    // row 5).
    //
    // Temporary storage in memory: a statement that writes many rows inside a transaction
    // (a sync page's insert) keeps the pages it changes in a statement journal, to undo
    // just that statement if it fails. On disk that journal was a new file in /var/tmp per
    // page once it passed 64 KiB: created, written page by page, deleted, as many writes as
    // the log itself. In memory it is a few hundred KiB for the length of one statement.
    // Sorts that outgrow the page cache stay in memory too, so a query that sorts many rows
    // reads only small columns (the mail list: `api::mail::imp::list_messages`).
    //
    // The page caches together stay under a soft limit for the whole process
    // (`SQLITE_SOFT_HEAP_LIMIT`): each of the pool's connections keeps its own cache, and
    // a sync writing attachment chunks (1 MiB each, `backend::mail::content`) through
    // whichever connection is free filled every one of them to its 16 MiB — 160 MiB for
    // content nobody reads again (bench row 7). Near the limit SQLite reuses cached pages
    // instead of allocating more; one connection can still use its whole cache.
    options.map_sqlx_sqlite_opts(|sqlite| {
        sqlite
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .pragma("wal_autocheckpoint", "10000")
            .pragma("cache_size", "-16384")
            .pragma("temp_store", "memory")
            .pragma("soft_heap_limit", SQLITE_SOFT_HEAP_LIMIT.to_string())
    });
    // SQLite has no connection to lose: checking it before every query was one more round
    // trip to sqlx's SQLite thread per query (a page of the list makes three queries).
    if database_url.starts_with("sqlite:") {
        options.test_before_acquire(false);
    }
    Database::connect(options).await
}

/// PostgreSQL: plan every statement for its own values. sqlx prepares each statement once
/// per connection, and after five runs PostgreSQL may keep a generic plan made while a
/// table was empty: a sequential scan that then runs on every page of a 100,000-message
/// sync (300 messages/s instead of thousands; bench/RESULTS.md, row 5). Set on each new
/// connection with `SET`, not as a startup option: PgBouncer refuses a connection whose
/// startup packet names options it does not know.
async fn connect_postgres(
    database_url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbErr> {
    use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
    use sea_orm::sqlx::{ConnectOptions as _, Executor as _};
    let options: PgConnectOptions = database_url
        .parse()
        .map_err(|error| DbErr::Custom(format!("DATABASE_URL: {error}")))?;
    // SQL statements at debug level only, as on the other databases.
    let options = options.log_statements(log::LevelFilter::Debug);
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .after_connect(|connection, _| {
            Box::pin(async move {
                connection
                    .execute("SET plan_cache_mode = force_custom_plan")
                    .await
                    .map(|_| ())
            })
        })
        .connect_with(options)
        .await
        .map_err(|error| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(error)))?;
    Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}

/// The file behind a `sqlite://path?…` URL, or None for memory and other databases.
fn sqlite_file_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

    use super::{connect_and_migrate, sqlite_file_path, SQLITE_SOFT_HEAP_LIMIT};

    #[test]
    fn finds_the_file_of_a_sqlite_url() {
        assert_eq!(
            sqlite_file_path("sqlite://data/x.db?mode=rwc"),
            Some("data/x.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://localhost/x"), None);
    }

    /// The settings the comments above rely on, as a connection of the pool reports them.
    #[tokio::test]
    async fn sqlite_logs_ahead_and_keeps_temporary_data_in_memory() {
        let path = std::env::temp_dir().join(format!("db-settings-{}.db", std::process::id()));
        let Ok(db) = connect_and_migrate(&format!("sqlite://{}?mode=rwc", path.display())).await
        else {
            panic!("cannot open {}", path.display());
        };
        let mut seen = Vec::new();
        for pragma in [
            "journal_mode",
            "synchronous",
            "temp_store",
            "wal_autocheckpoint",
            "soft_heap_limit",
        ] {
            let statement =
                Statement::from_string(DatabaseBackend::Sqlite, format!("PRAGMA {pragma}"));
            let Ok(Some(row)) = db.query_one(statement).await else {
                panic!("PRAGMA {pragma} answered nothing");
            };
            let value = row
                .try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()));
            seen.push((pragma, value.unwrap_or_default()));
        }
        // synchronous 1 is NORMAL; temp_store 2 is MEMORY.
        assert_eq!(
            seen,
            [
                ("journal_mode", "wal".to_string()),
                ("synchronous", "1".to_string()),
                ("temp_store", "2".to_string()),
                ("wal_autocheckpoint", "10000".to_string()),
                ("soft_heap_limit", SQLITE_SOFT_HEAP_LIMIT.to_string()),
            ]
        );
        let _ = db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
