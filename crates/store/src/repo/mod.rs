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
