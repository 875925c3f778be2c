//! Ledger counts for the city and its townships, in one aggregate query.
//!
//! What is computed, for every enterprise in the caller's scope, grouped by township code
//! and supervision class (分级分类监管 A–D):
//! - `total`: enterprises;
//! - `base_complete`: enterprises whose base record names an address, the principal's phone
//!   and a safety director, and has a headcount above zero (`ledger::base_record`);
//! - `duty_complete`: enterprises with someone in post where everyone in post has signed the
//!   current list of every post they hold (`ledger::duty_lists`: people > 0 and coverage
//!   100 %), read from the coverage summaries (ADR 0006);
//! - `established`: both.
//!
//! Counting signatures employment by employment here took 4.5–5.5 s for the whole city (50 000
//! enterprises, 1 M employments, SQLite); with the summaries each enterprise costs one
//! primary-key lookup.

use super::org::scope_condition;
use crate::entity::{coverage_summary, enterprise, organisation};
use anze_domain::auth::Scope;
use anze_domain::org::OrgKind;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

/// Counts for one (township, supervision class).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCount {
    pub township_code: Option<String>,
    pub supervision_class: String,
    pub total: i64,
    pub base_complete: i64,
    pub duty_complete: i64,
    pub established: i64,
}

fn base_complete() -> Condition {
    use enterprise::Column as E;
    let present =
        |c: E| Condition::all().add(Expr::col((enterprise::Entity, c)).is_not_null()).add(Expr::col((enterprise::Entity, c)).ne(""));
    Condition::all()
        .add(Expr::col((organisation::Entity, organisation::Column::Address)).is_not_null())
        .add(Expr::col((organisation::Entity, organisation::Column::Address)).ne(""))
        .add(present(E::PrincipalPhone))
        .add(present(E::SafetyDirectorName))
        .add(Expr::col((enterprise::Entity, E::Headcount)).gt(0))
}

/// Everyone in post has signed the current list of every post they hold, and someone is in
/// post: read from the enterprise's coverage summary (one primary-key lookup), which every
/// write to employments, lists and signatures keeps current in its own transaction (ADR 0006).
fn duty_complete() -> Condition {
    let cs = Alias::new("cs");
    let summary = Query::select()
        .expr(Expr::cust("1"))
        .from_as(coverage_summary::Entity, cs.clone())
        .and_where(
            Expr::col((cs.clone(), coverage_summary::Column::OrganisationId)).equals((organisation::Entity, organisation::Column::Id)),
        )
        .and_where(Expr::col((cs.clone(), coverage_summary::Column::People)).gt(0))
        .and_where(Expr::col((cs.clone(), coverage_summary::Column::Covered)).equals((cs, coverage_summary::Column::People)))
        .to_owned();
    Condition::all().add(Expr::exists(summary))
}

fn flag(c: Condition) -> Expr {
    Expr::case(c, Expr::cust("1")).finally(Expr::cust("0")).into()
}

/// One row per enterprise with its two flags (each rule evaluated once), then summed.
fn counts_query(tenant: &str, scope: &Scope) -> SelectStatement {
    let units = Query::select()
        .column((organisation::Entity, organisation::Column::TownshipCode))
        .column((enterprise::Entity, enterprise::Column::SupervisionClass))
        .expr_as(flag(base_complete()), Alias::new("b"))
        .expr_as(flag(duty_complete()), Alias::new("d"))
        .from(organisation::Entity)
        .inner_join(
            enterprise::Entity,
            Expr::col((enterprise::Entity, enterprise::Column::OrganisationId)).equals((organisation::Entity, organisation::Column::Id)),
        )
        .and_where(Expr::col((organisation::Entity, organisation::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((organisation::Entity, organisation::Column::Kind)).eq(OrgKind::Enterprise.as_str()))
        .cond_where(scope_condition(scope))
        .to_owned();
    let u = Alias::new("u");
    let col = |c: &str| Expr::col((u.clone(), Alias::new(c)));
    Query::select()
        .expr_as(col("township_code"), Alias::new("township_code"))
        .expr_as(col("supervision_class"), Alias::new("supervision_class"))
        .expr_as(Func::count(Expr::cust("*")), Alias::new("total"))
        .expr_as(Func::sum(col("b")), Alias::new("base_complete"))
        .expr_as(Func::sum(col("d")), Alias::new("duty_complete"))
        .expr_as(Func::sum(col("b").mul(col("d"))), Alias::new("established"))
        .from_subquery(units, u.clone())
        .group_by_col((u.clone(), Alias::new("township_code")))
        .group_by_col((u, Alias::new("supervision_class")))
        .to_owned()
}

/// Ledger counts of the enterprises in `scope`, per (township, supervision class).
pub async fn counts<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope) -> Result<Vec<LedgerCount>, DbErr> {
    let rows = db.query_all(&counts_query(tenant, scope)).await?;
    let mut out = vec![];
    for r in rows {
        out.push(LedgerCount {
            township_code: r.try_get("", "township_code")?,
            supervision_class: r.try_get("", "supervision_class")?,
            total: r.try_get("", "total")?,
            base_complete: r.try_get::<Option<i64>>("", "base_complete")?.unwrap_or(0),
            duty_complete: r.try_get::<Option<i64>>("", "duty_complete")?.unwrap_or(0),
            established: r.try_get::<Option<i64>>("", "established")?.unwrap_or(0),
        });
    }
    Ok(out)
}

/// The SQLite plan of the counts (for a test that pins the indexes each employment uses).
pub async fn explain_counts(db: &sea_orm::DatabaseConnection, tenant: &str, scope: &Scope) -> Result<Vec<String>, DbErr> {
    use sea_orm::Statement;
    let backend = db.get_database_backend();
    let built = backend.build(&counts_query(tenant, scope));
    let sql = format!("EXPLAIN QUERY PLAN {}", built.sql);
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, built.values.map(|v| v.0).unwrap_or_default())).await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String>("", "detail").ok()).collect())
}
