//! Connecting to the database and bringing its schema up to date.

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Connects (creating a SQLite file's directory when needed) and runs pending migrations.
pub async fn connect_and_migrate(database_url: &str) -> Result<DatabaseConnection, DbErr> {
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
    let mut options = ConnectOptions::new(database_url.to_string());
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
    options.map_sqlx_sqlite_opts(|sqlite| {
        sqlite
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .pragma("wal_autocheckpoint", "10000")
            .pragma("cache_size", "-16384")
            .pragma("temp_store", "memory")
    });
    // PostgreSQL: plan every statement for its own values. sqlx prepares each statement once
    // per connection, and after five runs PostgreSQL may keep a generic plan made while a
    // table was empty: a sequential scan that then runs on every page of a 100,000-message
    // sync (300 messages/s instead of thousands; bench/RESULTS.md, row 5).
    options.map_sqlx_postgres_opts(|postgres| {
        postgres.options([("plan_cache_mode", "force_custom_plan")])
    });
    // SQLite has no connection to lose: checking it before every query was one more round
    // trip to sqlx's SQLite thread per query (a page of the list makes three queries).
    if database_url.starts_with("sqlite:") {
        options.test_before_acquire(false);
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
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

    use super::{connect_and_migrate, sqlite_file_path};

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
            ]
        );
        let _ = db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
