//! A fresh, migrated database per test on SQLite, PostgreSQL or MariaDB.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MariaDb,
}

impl Backend {
    fn server_url_variable(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => Some("TEST_POSTGRES_URL"),
            Backend::MariaDb => Some("TEST_MYSQL_URL"),
        }
    }
}

pub struct TestDatabase {
    backend: Backend,
    name: String,
    server_url: Option<String>,
    url: String,
    connection: DatabaseConnection,
}

impl TestDatabase {
    /// Creates and migrates a database; None when the backend is not configured and
    /// `REQUIRE_ALL_DATABASES` is not set (a plain `cargo test` on a laptop).
    pub async fn create(backend: Backend) -> Option<TestDatabase> {
        let name = format!("mbx_test_{}", uuid_like());
        let (url, server_url) = match backend.server_url_variable() {
            None => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                (format!("sqlite://{}?mode=rwc", path.display()), None)
            }
            Some(variable) => {
                let Some(server_url) = std::env::var(variable).ok().filter(|v| !v.is_empty())
                else {
                    assert!(
                        std::env::var("REQUIRE_ALL_DATABASES").is_err(),
                        "{variable} is not set but REQUIRE_ALL_DATABASES is"
                    );
                    eprintln!("{variable} not set: {backend:?} not tested");
                    return None;
                };
                let admin = Database::connect(&server_url)
                    .await
                    .expect("database server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.expect("close admin connection");
                (with_database(&server_url, &name), Some(server_url))
            }
        };
        let connection = server::db::connect_and_migrate(&url)
            .await
            .expect("migrate");
        Some(TestDatabase {
            backend,
            name,
            server_url,
            url,
            connection,
        })
    }

    /// The database's URL, for a server process of its own (`mail_multi_instance`).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn connection(&self) -> DatabaseConnection {
        self.connection.clone()
    }

    /// Removes the database; a failure only leaves a stray test database behind.
    pub async fn drop_database(self) {
        let _ = self.connection.close().await;
        match (self.backend, self.server_url) {
            (Backend::Sqlite, _) => {
                for suffix in ["", ".migrations-lock"] {
                    let file = format!("{}.db{suffix}", self.name);
                    let _ = std::fs::remove_file(std::env::temp_dir().join(file));
                }
            }
            (backend, Some(server_url)) => {
                if let Ok(admin) = Database::connect(&server_url).await {
                    let force = if backend == Backend::Postgres {
                        " WITH (FORCE)"
                    } else {
                        ""
                    };
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS {}{force}",
                            self.name
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            }
            (_, None) => {}
        }
    }
}

/// `scheme://user@host:port/db?params` with the database name replaced.
fn with_database(server_url: &str, name: &str) -> String {
    let (base, params) = match server_url.split_once('?') {
        Some((base, params)) => (base, Some(params)),
        None => (server_url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match params {
        Some(params) => format!("{host_part}/{name}?{params}"),
        None => format!("{host_part}/{name}"),
    }
}

/// Unique enough for parallel tests in one run: time, process and a counter.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[test]
fn replaces_the_database_name_of_a_server_url() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/mailboxen_test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("mysql://root@127.0.0.1:3306", "x"),
        "mysql://root@127.0.0.1:3306/x"
    );
    assert_eq!(
        with_database("postgres://u@h/db?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
}
