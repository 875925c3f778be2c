//! Coverage summaries (one row per organisation, with a copy of its kind, place and industry)
//! and their rollups by township and industry within a caller's scope. A rollup is one pass
//! over the summaries alone, so the city view costs the same whatever the number of people.

use super::org::scope_condition;
use crate::entity::{coverage_summary, enterprise, organisation};
use anze_domain::auth::Scope;
use anze_domain::org::OrgKind;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef,
};

pub use coverage_summary::Model as CoverageSummary;

use organisation::Column as O;

/// Writes an organisation's figures (insert or replace).
pub async fn upsert<C: ConnectionTrait>(db: &C, row: coverage_summary::ActiveModel) -> Result<(), DbErr> {
    use coverage_summary::Column as S;
    coverage_summary::Entity::insert(row)
        .on_conflict(
            OnConflict::column(S::OrganisationId)
                .update_columns([
                    S::Kind,
                    S::RegionPath,
                    S::TownshipCode,
                    S::IndustryCode,
                    S::People,
                    S::Covered,
                    S::Stale,
                    S::MissingLists,
                    S::BaseComplete,
                    S::SupervisionClass,
                    S::ComputedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

/// Takes the summary row's write lock before the figures are read (on PostgreSQL the upsert
/// locks the row, so two concurrent writers to one organisation count one after the other and
/// neither overwrites the other's figures with a stale count; SQLite has one writer anyway).
/// `row` is inserted as is when the organisation has no summary yet.
pub async fn lock<C: ConnectionTrait>(db: &C, row: coverage_summary::ActiveModel) -> Result<(), DbErr> {
    use coverage_summary::Column as S;
    coverage_summary::Entity::insert(row)
        .on_conflict(OnConflict::column(S::OrganisationId).update_column(S::ComputedAt).to_owned())
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

/// Summaries of new organisations in bulk (an import or a load; nobody holds a post yet).
pub async fn insert_many<C: ConnectionTrait>(db: &C, rows: Vec<coverage_summary::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(300) {
        coverage_summary::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// How to group a rollup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Township,
    Industry,
}

/// Which enterprises a rollup or drill-down covers (besides the caller's scope).
#[derive(Debug, Clone, Default)]
pub struct RollupFilter {
    pub township_code: Option<String>,
    /// GB/T 4754 codes (an industry and its sub-codes).
    pub industry_codes: Option<Vec<String>>,
}

/// One group's sums. `key` is the township code or industry code (`None`: not set).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct RollupRow {
    pub key: Option<String>,
    pub enterprises: i64,
    /// Enterprises whose every person is covered (and that have people).
    pub complete: i64,
    /// Enterprises with a post held but no published list for it.
    pub with_missing_lists: i64,
    pub people: i64,
    pub covered: i64,
    pub stale: i64,
}

/// One enterprise in a drill-down.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct EnterpriseFigures {
    pub id: String,
    pub name: String,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub people: i32,
    pub covered: i32,
    pub stale: i32,
    pub missing_lists: i32,
}

use coverage_summary::Column as S;

/// The caller's scope over the summaries' own copy of the organisation keys.
fn summary_scope(scope: &Scope) -> sea_orm::sea_query::Condition {
    super::org::scope_condition_on(
        scope,
        (coverage_summary::Entity, S::OrganisationId),
        (coverage_summary::Entity, S::Kind),
        (coverage_summary::Entity, S::RegionPath),
        (coverage_summary::Entity, S::IndustryCode),
    )
}

/// The enterprises' summaries in scope: every enterprise has one from its creation on.
fn enterprises_in(tenant: &str, scope: &Scope, f: &RollupFilter) -> sea_orm::Select<coverage_summary::Entity> {
    let mut q = coverage_summary::Entity::find()
        .select_only()
        .filter(S::TenantId.eq(tenant))
        .filter(S::Kind.eq(OrgKind::Enterprise.as_str()))
        .filter(summary_scope(scope));
    if let Some(t) = &f.township_code {
        q = q.filter(S::TownshipCode.eq(t.as_str()));
    }
    if let Some(codes) = &f.industry_codes {
        q = q.filter(S::IndustryCode.is_in(codes.clone()));
    }
    q
}

fn rollup_query(tenant: &str, scope: &Scope, f: &RollupFilter, by: GroupBy) -> sea_orm::Select<coverage_summary::Entity> {
    let key = match by {
        GroupBy::Township => S::TownshipCode,
        GroupBy::Industry => S::IndustryCode,
    };
    enterprises_in(tenant, scope, f)
        .column_as(key, "key")
        .expr_as(Expr::cust("COUNT(*)"), "enterprises")
        .expr_as(Expr::cust("COALESCE(SUM(CASE WHEN people > 0 AND covered = people THEN 1 ELSE 0 END), 0)"), "complete")
        .expr_as(Expr::cust("COALESCE(SUM(CASE WHEN missing_lists > 0 THEN 1 ELSE 0 END), 0)"), "with_missing_lists")
        .expr_as(Expr::cust("COALESCE(SUM(people), 0)"), "people")
        .expr_as(Expr::cust("COALESCE(SUM(covered), 0)"), "covered")
        .expr_as(Expr::cust("COALESCE(SUM(stale), 0)"), "stale")
        .group_by(key)
        .order_by_asc(key)
}

/// Sums per township or industry over the enterprises in scope: one pass over the summaries.
pub async fn rollup<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    f: &RollupFilter,
    by: GroupBy,
) -> Result<Vec<RollupRow>, DbErr> {
    rollup_query(tenant, scope, f, by).into_model::<RollupRow>().all(db).await
}

/// The SQLite plan of a rollup (a test pins the covering index that serves it).
pub async fn explain_rollup(
    db: &sea_orm::DatabaseConnection,
    tenant: &str,
    scope: &Scope,
    f: &RollupFilter,
    by: GroupBy,
) -> Result<Vec<String>, DbErr> {
    use sea_orm::QueryTrait;
    super::explain(db, rollup_query(tenant, scope, f, by).build(db.get_database_backend())).await
}

/// The enterprises behind a rollup row, those with the most people not covered first.
pub async fn enterprises<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    f: &RollupFilter,
    limit: u64,
) -> Result<Vec<EnterpriseFigures>, DbErr> {
    enterprises_in(tenant, scope, f)
        .join(JoinType::InnerJoin, summary_org())
        .column_as(S::OrganisationId, "id")
        .column_as(O::Name, "name")
        .column_as(S::TownshipCode, "township_code")
        .column_as(S::IndustryCode, "industry_code")
        .column_as(S::People, "people")
        .column_as(S::Covered, "covered")
        .column_as(S::Stale, "stale")
        .column_as(S::MissingLists, "missing_lists")
        .order_by_desc(Expr::cust("coverage_summaries.people - coverage_summaries.covered"))
        .order_by_asc(O::Name)
        .order_by_asc(S::OrganisationId)
        .limit(limit)
        .into_model::<EnterpriseFigures>()
        .all(db)
        .await
}

fn summary_org() -> RelationDef {
    coverage_summary::Entity::belongs_to(organisation::Entity).from(S::OrganisationId).to(O::Id).into()
}

/// Ids of every organisation of the tenant (the daily job walks them in pages).
pub async fn organisation_ids<C: ConnectionTrait>(db: &C, tenant: &str, after: Option<&str>, limit: u64) -> Result<Vec<String>, DbErr> {
    let mut q = organisation::Entity::find().select_only().column(O::Id).filter(O::TenantId.eq(tenant));
    if let Some(a) = after {
        q = q.filter(O::Id.gt(a));
    }
    q.order_by_asc(O::Id).limit(limit).into_tuple::<String>().all(db).await
}

/// Organisations of the given kinds in scope, by name, each with its summary if computed.
pub async fn organisations_of_kinds<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    kinds: &[&str],
) -> Result<Vec<(organisation::Model, Option<CoverageSummary>)>, DbErr> {
    let orgs: Vec<organisation::Model> = organisation::Entity::find()
        .find_also_related(enterprise::Entity)
        .filter(O::TenantId.eq(tenant))
        .filter(O::Kind.is_in(kinds.iter().map(|k| k.to_string())))
        .filter(scope_condition(scope))
        .order_by_asc(O::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|(o, _)| o)
        .collect();
    let mut summaries = std::collections::HashMap::new();
    for chunk in orgs.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(|o| o.id.clone()).collect();
        for s in coverage_summary::Entity::find().filter(coverage_summary::Column::OrganisationId.is_in(ids)).all(db).await? {
            summaries.insert(s.organisation_id.clone(), s);
        }
    }
    Ok(orgs.into_iter().map(|o| (summaries.remove(&o.id), o)).map(|(s, o)| (o, s)).collect())
}
