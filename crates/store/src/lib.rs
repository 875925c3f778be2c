#![doc = include_str!("../README.md")]

pub mod entity;
pub mod migration;
pub mod objects;
pub mod repo;

pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a read pool and a write pool (each SQLite connection keeps an 8 MiB page
/// cache, so nine connections stay near 72 MiB). On SQLite the write pool has one connection,
/// so writers queue in the process instead of failing with SQLITE_BUSY on lock upgrade; on
/// PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: DatabaseConnection,
    pub write: DatabaseConnection,
    pub backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL (expected sqlite:// or postgres://): {0}")]
    Scheme(String),
    #[error("cannot open the database: {0}")]
    Open(#[from] DbErr),
}

/// The settings a deployment may change; the defaults suit one city on one machine.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_connections: u32,
    /// Create the SQLite file when it does not exist (only for the derived default URL: a
    /// mistyped `DATABASE_URL` must fail, not start an empty city).
    pub create_if_missing: bool,
    /// PostgreSQL schema to use (tests give each test its own).
    pub schema: Option<String>,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self { max_connections: 8, create_if_missing: false, schema: None }
    }
}

impl Db {
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Db, ConnectError> {
        if url.starts_with("sqlite:") {
            let read = sqlite_pool(url, options, options.max_connections).await?;
            let write = sqlite_pool(url, options, 1).await?;
            Ok(Db { read, write, backend: Backend::Sqlite })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut o = ConnectOptions::new(url.to_string());
            o.max_connections(options.max_connections)
                .min_connections(1)
                .test_before_acquire(false)
                .connect_timeout(Duration::from_secs(10))
                .sqlx_logging(false)
                // Statements are prepared; after five runs PostgreSQL may switch to a generic
                // plan that cannot see how selective a filter value is, and the filtered
                // enterprise list went from 5 ms to 115 ms. Plan each execution instead.
                .map_sqlx_postgres_opts(|o| o.options([("plan_cache_mode", "force_custom_plan")]));
            if let Some(schema) = &options.schema {
                o.set_schema_search_path(schema.clone());
            }
            let pool = Database::connect(o).await?;
            Ok(Db { read: pool.clone(), write: pool, backend: Backend::Postgres })
        } else {
            Err(ConnectError::Scheme(redact(url)))
        }
    }

    pub async fn migrate(&self) -> Result<(), DbErr> {
        migration::Migrator::up(&self.write, None).await
    }

    /// Gathers planner statistics after a bulk load (`ANALYZE` is the same on both).
    pub async fn analyze(&self) -> Result<(), DbErr> {
        self.write.execute_unprepared("ANALYZE").await.map(|_| ())
    }

    /// After a bulk load: SQLite copies the write-ahead log into the database file and empties
    /// it (a log of gigabytes slows every read until the next checkpoint); PostgreSQL has
    /// nothing to do.
    pub async fn checkpoint(&self) -> Result<(), DbErr> {
        match self.backend {
            Backend::Sqlite => self.write.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.map(|_| ()),
            Backend::Postgres => Ok(()),
        }
    }

    /// At start-up: SQLite refreshes statistics only where they are stale (cheap);
    /// PostgreSQL's autovacuum keeps its own.
    pub async fn optimize(&self) -> Result<(), DbErr> {
        match self.backend {
            Backend::Sqlite => self.write.execute_unprepared("PRAGMA optimize").await.map(|_| ()),
            Backend::Postgres => Ok(()),
        }
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.ping().await
    }
}

async fn sqlite_pool(url: &str, options: &DbOptions, max: u32) -> Result<DatabaseConnection, DbErr> {
    let create = options.create_if_missing;
    let mut o = ConnectOptions::new(url.to_string());
    o.max_connections(max).min_connections(1).test_before_acquire(false).sqlx_logging(false).map_sqlx_sqlite_opts(
        move |opts: SqliteConnectOptions| {
            opts.create_if_missing(create)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-8000")
                .pragma("temp_store", "memory")
        },
    );
    Database::connect(o).await
}

/// A URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

/// Whether an error is a unique-constraint violation (a duplicate key).
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

impl Db {
    /// A consistent copy of a SQLite database while it serves (`VACUUM INTO`). PostgreSQL
    /// deployments back up with their own tools (pg_dump, base backups).
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), BackupError> {
        if self.backend != Backend::Sqlite {
            return Err(BackupError::NotSqlite);
        }
        if path.exists() {
            return Err(BackupError::Exists(path.display().to_string()));
        }
        let target = path.to_string_lossy().replace('\'', "''");
        self.read.execute_unprepared(&format!("VACUUM INTO '{target}'")).await?;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("backup is for SQLite; use pg_dump for PostgreSQL")]
    NotSqlite,
    #[error("the backup file already exists: {0}")]
    Exists(String),
    #[error("backup failed: {0}")]
    Db(#[from] DbErr),
}
