//! List spot checks, read through the caller's scope (via the checked unit), and the pool of
//! units a random draw picks from.

use super::org::{OrgFilter, Organisation, filtered, scope_condition};
use crate::entity::{list_spot_check as check, organisation};
use anze_domain::auth::Scope;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Order};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait,
};

pub use check::Model as SpotCheck;

pub async fn insert_many<C: ConnectionTrait>(db: &C, rows: Vec<check::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(100) {
        check::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

fn in_scope(tenant: &str, scope: &Scope) -> sea_orm::SelectTwo<check::Entity, organisation::Entity> {
    check::Entity::find()
        .find_also_related(organisation::Entity)
        .join(JoinType::LeftJoin, organisation::Relation::Enterprise.def())
        .filter(check::Column::TenantId.eq(tenant))
        .filter(scope_condition(scope))
}

/// One check whose unit lies within the caller's scope.
pub async fn get<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, id: &str) -> Result<Option<(SpotCheck, Organisation)>, DbErr> {
    let row = in_scope(tenant, scope).filter(check::Column::Id.eq(id)).one(db).await?;
    Ok(row.and_then(|(c, o)| o.map(|o| (c, o))))
}

/// Checks in scope, newest first, before the id `before` (a cursor), at most `limit`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    state: Option<&str>,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<(SpotCheck, Organisation)>, DbErr> {
    let mut q = in_scope(tenant, scope);
    if let Some(s) = state {
        q = q.filter(check::Column::State.eq(s));
    }
    if let Some(b) = before {
        q = q.filter(check::Column::Id.lt(b));
    }
    let rows = q.order_by_desc(check::Column::Id).limit(limit).all(db).await?;
    Ok(rows.into_iter().filter_map(|(c, o)| o.map(|o| (c, o))).collect())
}

/// The base records of the given organisations (to decide who may record a listed check).
pub async fn enterprises_of<C: ConnectionTrait>(db: &C, ids: &[String]) -> Result<Vec<super::org::Enterprise>, DbErr> {
    let mut out = vec![];
    for chunk in ids.chunks(500) {
        out.extend(
            crate::entity::enterprise::Entity::find()
                .filter(crate::entity::enterprise::Column::OrganisationId.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Checks of one unit, newest first (the caller has checked the unit is in scope).
pub async fn of_organisation<C: ConnectionTrait>(db: &C, organisation_id: &str) -> Result<Vec<SpotCheck>, DbErr> {
    check::Entity::find().filter(check::Column::OrganisationId.eq(organisation_id)).order_by_desc(check::Column::Id).all(db).await
}

/// A result as written.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub covered_ok: &'static str,
    pub adjusted_ok: &'static str,
    pub fits_ok: &'static str,
    pub problems: String,
    pub by_id: Option<String>,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// Writes the three results and problems only if the check is still open; returns whether it
/// was (two inspectors recording at once: one wins, the other is told it is recorded).
pub async fn record<C: ConnectionTrait>(db: &C, id: &str, r: Recorded) -> Result<bool, DbErr> {
    let done = check::Entity::update_many()
        .col_expr(check::Column::CoveredOk, Expr::value(r.covered_ok))
        .col_expr(check::Column::AdjustedOk, Expr::value(r.adjusted_ok))
        .col_expr(check::Column::FitsOk, Expr::value(r.fits_ok))
        .col_expr(check::Column::Problems, Expr::value(r.problems))
        .col_expr(check::Column::State, Expr::value("recorded"))
        .col_expr(check::Column::RecordedAt, Expr::value(r.at))
        .col_expr(check::Column::RecordedById, Expr::value(r.by_id))
        .col_expr(check::Column::RecordedByName, Expr::value(r.by_name))
        .filter(check::Column::Id.eq(id))
        .filter(check::Column::State.eq("open"))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The ids of every enterprise matching the filters within the scope, ascending: the
/// canonical order a random draw needs to be reproducible.
pub async fn pool_ids<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, f: &OrgFilter) -> Result<Vec<String>, DbErr> {
    let mut stmt = filtered(tenant, scope, f).into_query();
    stmt.clear_selects()
        .column((organisation::Entity, organisation::Column::Id))
        .order_by((organisation::Entity, organisation::Column::Id), Order::Asc);
    let rows = db.query_all(&stmt).await?;
    rows.iter().map(|r| r.try_get::<String>("", "id")).collect()
}
