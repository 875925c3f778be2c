//! Repositories: one module per aggregate. Functions take any connection (pool or open
//! transaction), so a service decides the transaction and the repositories stay plain.

pub mod account;
pub mod audit;
pub mod campaign;
pub mod coverage;
pub mod duty;
pub mod evidence;
pub mod fulfilment;
pub mod hazard;
pub mod import_job;
pub mod inspection;
pub mod ledger;
pub mod notification;
pub mod notify;
pub mod org;
// grid work (issue 4)
pub mod patrol;
pub mod person;
pub mod phone;
pub mod region;
pub mod spot_check;
pub mod tenant;

use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};

/// `path` in the subtree rooted at `root` (a range, which an index serves).
pub(crate) fn in_subtree(col: impl sea_orm::sea_query::IntoColumnRef + Clone, root: &str) -> SimpleExpr {
    let upper = anze_domain::org::region_path_upper_bound(root);
    Expr::col(col.clone()).gte(root.to_string()).and(Expr::col(col).lt(upper))
}

/// The plan the database chooses for a built query, one line per step: SQLite's `EXPLAIN
/// QUERY PLAN` details, or PostgreSQL's `EXPLAIN` lines. Tests use it to pin that an index
/// serves a list's filter and order.
pub async fn explain(db: &sea_orm::DatabaseConnection, built: sea_orm::Statement) -> Result<Vec<String>, sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let backend = db.get_database_backend();
    let (prefix, column) = match backend {
        DbBackend::Sqlite => ("EXPLAIN QUERY PLAN", "detail"),
        _ => ("EXPLAIN", "QUERY PLAN"),
    };
    let sql = format!("{prefix} {}", built.sql);
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, built.values.map(|v| v.0).unwrap_or_default())).await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String>("", column).ok()).collect())
}

/// A page of rows and the cursor for the next one.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Keyset cursors over `(name, id)`: opaque to clients, stable under inserts.
pub mod cursor {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    pub fn encode(name: &str, id: &str) -> String {
        URL_SAFE_NO_PAD.encode(format!("{name}\u{1f}{id}"))
    }

    pub fn decode(cursor: &str) -> Option<(String, String)> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (name, id) = text.split_once('\u{1f}')?;
        Some((name.to_string(), id.to_string()))
    }
}
