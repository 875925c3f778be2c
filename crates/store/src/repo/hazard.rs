//! Hazards, their events, photos, governance plans and escalation steps. Every read goes
//! through the caller's scope on the hazard's own copy of its unit's kind, place and industry.

use super::org::scope_condition_on;
use crate::entity::{governance_plan, hazard, hazard_escalation, hazard_event, hazard_photo, hazard_report, hazard_summary};
use anze_domain::auth::Scope;
use anze_domain::hazard::HazardState;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use governance_plan::Model as GovernancePlan;
pub use hazard::Model as Hazard;
pub use hazard_event::Model as HazardEvent;
pub use hazard_photo::Model as HazardPhoto;
pub use hazard_report::Model as HazardReport;

use hazard::Column as H;

fn scope_of(scope: &Scope) -> Condition {
    scope_condition_on(
        scope,
        (hazard::Entity, H::OrganisationId),
        (hazard::Entity, H::OrganisationKind),
        (hazard::Entity, H::RegionPath),
        (hazard::Entity, H::IndustryCode),
    )
}

fn open_states() -> Vec<&'static str> {
    HazardState::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect()
}

/// What a hazard list is narrowed to; every field optional.
#[derive(Debug, Clone, Default)]
pub struct HazardFilter {
    pub state: Option<String>,
    pub grade: Option<String>,
    pub origin: Option<String>,
    pub category: Option<String>,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub organisation_id: Option<String>,
    /// Only hazards open and past their deadline on this day.
    pub overdue_on: Option<NaiveDate>,
    pub listed: Option<bool>,
}

fn filtered(tenant: &str, scope: &Scope, f: &HazardFilter) -> sea_orm::Select<hazard::Entity> {
    let mut q = hazard::Entity::find().filter(H::TenantId.eq(tenant)).filter(scope_of(scope));
    if let Some(v) = &f.state {
        q = q.filter(H::State.eq(v.as_str()));
    }
    if let Some(v) = &f.grade {
        q = q.filter(H::Grade.eq(v.as_str()));
    }
    if let Some(v) = &f.origin {
        q = q.filter(H::Origin.eq(v.as_str()));
    }
    if let Some(v) = &f.category {
        q = q.filter(H::Category.eq(v.as_str()));
    }
    if let Some(v) = &f.township_code {
        q = q.filter(H::TownshipCode.eq(v.as_str()));
    }
    if let Some(v) = &f.industry_code {
        q = q.filter(H::IndustryCode.eq(v.as_str()));
    }
    if let Some(v) = &f.organisation_id {
        q = q.filter(H::OrganisationId.eq(v.as_str()));
    }
    if let Some(day) = f.overdue_on {
        q = q.filter(H::State.is_in(open_states())).filter(H::Deadline.lt(day));
    }
    if let Some(v) = f.listed {
        q = q.filter(H::Listed.eq(v));
    }
    q
}

/// The plan of a list page (tests pin that an index serves its filter and its order).
pub async fn explain_list(
    db: &sea_orm::DatabaseConnection,
    tenant: &str,
    scope: &Scope,
    f: &HazardFilter,
    before: Option<&str>,
) -> Result<Vec<String>, DbErr> {
    use sea_orm::QueryTrait;
    let mut q = filtered(tenant, scope, f);
    if let Some(b) = before {
        q = q.filter(H::Id.lt(b));
    }
    super::explain(db, q.order_by_desc(H::Id).limit(50).build(db.get_database_backend())).await
}

/// One hazard in scope.
pub async fn get<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, id: &str) -> Result<Option<Hazard>, DbErr> {
    hazard::Entity::find().filter(H::TenantId.eq(tenant)).filter(H::Id.eq(id)).filter(scope_of(scope)).one(db).await
}

/// A hazard by id, unscoped (the merge target of a duplicate is checked by the caller).
pub async fn by_id<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<Hazard>, DbErr> {
    hazard::Entity::find().filter(H::TenantId.eq(tenant)).filter(H::Id.eq(id)).one(db).await
}

/// Hazards in scope, newest first, before the id `before` (a cursor), at most `limit`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    f: &HazardFilter,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<Hazard>, DbErr> {
    let mut q = filtered(tenant, scope, f);
    if let Some(b) = before {
        q = q.filter(H::Id.lt(b));
    }
    q.order_by_desc(H::Id).limit(limit).all(db).await
}

/// Figures of the hazards in scope grouped by one column (township, industry, origin, grade
/// or state): how many, open, overdue on `today`, closed, and the days those closed took.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct HazardCount {
    pub key: Option<String>,
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub major: i64,
    pub closed: i64,
    pub days_to_close: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Township,
    Industry,
    Origin,
    Grade,
    State,
}

/// The figures of a grouped hazard query: how many, open, overdue on `today`, major, closed,
/// and the days those closed took. One definition for the live overview and the summaries.
fn tallied<S: QuerySelect>(q: S, today: NaiveDate) -> S {
    let open = open_states().iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(",");
    let day = today.format("%Y-%m-%d");
    q.expr_as(Expr::cust("COUNT(*)"), "total")
        .expr_as(Expr::cust(format!("COALESCE(SUM(CASE WHEN state IN ({open}) THEN 1 ELSE 0 END), 0)")), "open")
        .expr_as(Expr::cust(format!("COALESCE(SUM(CASE WHEN state IN ({open}) AND deadline < '{day}' THEN 1 ELSE 0 END), 0)")), "overdue")
        .expr_as(Expr::cust("COALESCE(SUM(CASE WHEN grade = 'major' THEN 1 ELSE 0 END), 0)"), "major")
        .expr_as(Expr::cust("COALESCE(SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), 0)"), "closed")
        // PostgreSQL sums a BIGINT column as NUMERIC: cast back so both databases decode an i64.
        .expr_as(Expr::cust("CAST(COALESCE(SUM(CASE WHEN state = 'closed' THEN days_to_close ELSE 0 END), 0) AS BIGINT)"), "days_to_close")
}

pub async fn counts<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    f: &HazardFilter,
    by: GroupBy,
    today: NaiveDate,
) -> Result<Vec<HazardCount>, DbErr> {
    let key = match by {
        GroupBy::Township => H::TownshipCode,
        GroupBy::Industry => H::IndustryCode,
        GroupBy::Origin => H::Origin,
        GroupBy::Grade => H::Grade,
        GroupBy::State => H::State,
    };
    tallied(filtered(tenant, scope, f).select_only().column_as(key, "key"), today)
        .group_by(key)
        .order_by_asc(key)
        .into_model::<HazardCount>()
        .all(db)
        .await
}

/// A unit's figures with the place its hazards carry, as summarised.
#[derive(Debug, Clone, FromQueryResult)]
struct UnitTally {
    organisation_id: String,
    organisation_kind: String,
    region_path: String,
    township_code: Option<String>,
    industry_code: Option<String>,
    total: i64,
    open: i64,
    overdue: i64,
    major: i64,
    closed: i64,
    days_to_close: i64,
}

/// Per-unit figures of the hazards of `organisation_ids` (every unit with hazards when `None`),
/// one row per unit; a unit whose hazards carry two places (it moved) takes the newest place.
async fn unit_tallies<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    organisation_ids: Option<&[String]>,
    today: NaiveDate,
) -> Result<Vec<UnitTally>, DbErr> {
    let mut q = hazard::Entity::find().filter(H::TenantId.eq(tenant));
    if let Some(ids) = organisation_ids {
        q = q.filter(H::OrganisationId.is_in(ids.iter().map(String::as_str)));
    }
    let rows = tallied(
        q.select_only()
            .column(H::OrganisationId)
            .column(H::OrganisationKind)
            .column(H::RegionPath)
            .column(H::TownshipCode)
            .column(H::IndustryCode)
            .expr_as(Expr::cust("MAX(id)"), "newest"),
        today,
    )
    .group_by(H::OrganisationId)
    .group_by(H::OrganisationKind)
    .group_by(H::RegionPath)
    .group_by(H::TownshipCode)
    .group_by(H::IndustryCode)
    .order_by_asc(H::OrganisationId)
    .order_by_desc(Expr::cust("MAX(id)"))
    .into_model::<UnitTally>()
    .all(db)
    .await?;
    let mut out: Vec<UnitTally> = Vec::with_capacity(rows.len());
    for r in rows {
        match out.last_mut() {
            Some(u) if u.organisation_id == r.organisation_id => {
                u.total += r.total;
                u.open += r.open;
                u.overdue += r.overdue;
                u.major += r.major;
                u.closed += r.closed;
                u.days_to_close += r.days_to_close;
            }
            _ => out.push(r),
        }
    }
    Ok(out)
}

fn summary_row(tenant: &str, t: UnitTally, today: NaiveDate, now: DateTime<Utc>) -> hazard_summary::ActiveModel {
    hazard_summary::ActiveModel {
        organisation_id: Set(t.organisation_id),
        tenant_id: Set(tenant.to_string()),
        kind: Set(t.organisation_kind),
        region_path: Set(t.region_path),
        township_code: Set(t.township_code),
        industry_code: Set(t.industry_code),
        total: Set(t.total),
        open: Set(t.open),
        overdue: Set(t.overdue),
        major: Set(t.major),
        closed: Set(t.closed),
        days_to_close: Set(t.days_to_close),
        overdue_on: Set(today),
        computed_at: Set(now),
    }
}

async fn upsert_summaries<C: ConnectionTrait>(db: &C, rows: Vec<hazard_summary::ActiveModel>) -> Result<(), DbErr> {
    use hazard_summary::Column as S;
    for chunk in rows.chunks(500) {
        hazard_summary::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(S::OrganisationId)
                    .update_columns([
                        S::Kind,
                        S::RegionPath,
                        S::TownshipCode,
                        S::IndustryCode,
                        S::Total,
                        S::Open,
                        S::Overdue,
                        S::Major,
                        S::Closed,
                        S::DaysToClose,
                        S::OverdueOn,
                        S::ComputedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Recomputes one unit's hazard summary from its hazards, inside the caller's transaction.
pub async fn refresh_summary<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    organisation_id: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Take the row's lock before counting (a placeholder the first time), so that on PostgreSQL
    // a second write to the same unit waits and then counts this one's hazard too (ADR 0006).
    let placeholder = UnitTally {
        organisation_id: organisation_id.to_string(),
        organisation_kind: String::new(),
        region_path: String::new(),
        township_code: None,
        industry_code: None,
        total: 0,
        open: 0,
        overdue: 0,
        major: 0,
        closed: 0,
        days_to_close: 0,
    };
    hazard_summary::Entity::insert(summary_row(tenant, placeholder, today, now))
        .on_conflict(
            OnConflict::column(hazard_summary::Column::OrganisationId).update_column(hazard_summary::Column::ComputedAt).to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let rows = unit_tallies(db, tenant, Some(&[organisation_id.to_string()]), today).await?;
    upsert_summaries(db, rows.into_iter().map(|t| summary_row(tenant, t, today, now)).collect()).await
}

/// Recomputes every unit's hazard summary (the daily job: overdue moves with the date);
/// returns how many units have hazards.
pub async fn refresh_all_summaries<C: ConnectionTrait>(db: &C, tenant: &str, today: NaiveDate, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let rows = unit_tallies(db, tenant, None, today).await?;
    let n = rows.len();
    upsert_summaries(db, rows.into_iter().map(|t| summary_row(tenant, t, today, now)).collect()).await?;
    Ok(n)
}

/// The overview by township or industry from the summaries: the same figures as `counts`
/// without reading a hazard, and the oldest day an overdue figure was counted on.
pub async fn summary_counts<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    township_code: Option<&str>,
    industry_code: Option<&str>,
    organisation_id: Option<&str>,
    by: GroupBy,
) -> Result<(Vec<HazardCount>, Option<NaiveDate>), DbErr> {
    use hazard_summary::Column as S;
    let key = match by {
        GroupBy::Industry => S::IndustryCode,
        _ => S::TownshipCode,
    };
    let mut q = hazard_summary::Entity::find().filter(S::TenantId.eq(tenant)).filter(scope_condition_on(
        scope,
        (hazard_summary::Entity, S::OrganisationId),
        (hazard_summary::Entity, S::Kind),
        (hazard_summary::Entity, S::RegionPath),
        (hazard_summary::Entity, S::IndustryCode),
    ));
    if let Some(v) = township_code {
        q = q.filter(S::TownshipCode.eq(v));
    }
    if let Some(v) = industry_code {
        q = q.filter(S::IndustryCode.eq(v));
    }
    if let Some(v) = organisation_id {
        q = q.filter(S::OrganisationId.eq(v));
    }
    #[derive(FromQueryResult)]
    struct Row {
        key: Option<String>,
        total: i64,
        open: i64,
        overdue: i64,
        major: i64,
        closed: i64,
        days_to_close: i64,
        as_of: Option<NaiveDate>,
    }
    let sum = |c: &str| Expr::cust(format!("CAST(COALESCE(SUM({c}), 0) AS BIGINT)"));
    let rows = q
        .select_only()
        .column_as(key, "key")
        .expr_as(sum("total"), "total")
        .expr_as(sum("open"), "open")
        .expr_as(sum("overdue"), "overdue")
        .expr_as(sum("major"), "major")
        .expr_as(sum("closed"), "closed")
        .expr_as(sum("days_to_close"), "days_to_close")
        // Only units with something open can have a stale overdue figure.
        .expr_as(Expr::cust("MIN(CASE WHEN open > 0 THEN overdue_on END)"), "as_of")
        .filter(S::Total.gt(0))
        .group_by(key)
        .order_by_asc(key)
        .into_model::<Row>()
        .all(db)
        .await?;
    let as_of = rows.iter().filter_map(|r| r.as_of).min();
    let counts = rows
        .into_iter()
        .map(|r| HazardCount {
            key: r.key,
            total: r.total,
            open: r.open,
            overdue: r.overdue,
            major: r.major,
            closed: r.closed,
            days_to_close: r.days_to_close,
        })
        .collect();
    Ok((counts, as_of))
}

pub async fn insert<C: ConnectionTrait>(db: &C, h: hazard::ActiveModel) -> Result<(), DbErr> {
    hazard::Entity::insert(h).exec_without_returning(db).await.map(|_| ())
}

pub async fn insert_many<C: ConnectionTrait>(db: &C, rows: Vec<hazard::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(200) {
        hazard::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn insert_events<C: ConnectionTrait>(db: &C, rows: Vec<hazard_event::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(500) {
        hazard_event::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn update<C: ConnectionTrait>(db: &C, h: Hazard) -> Result<(), DbErr> {
    h.into_active_model().reset_all().update(db).await.map(|_| ())
}

pub async fn insert_event<C: ConnectionTrait>(db: &C, e: hazard_event::ActiveModel) -> Result<(), DbErr> {
    hazard_event::Entity::insert(e).exec_without_returning(db).await.map(|_| ())
}

pub async fn events<C: ConnectionTrait>(db: &C, hazard_id: &str) -> Result<Vec<HazardEvent>, DbErr> {
    hazard_event::Entity::find().filter(hazard_event::Column::HazardId.eq(hazard_id)).order_by_asc(hazard_event::Column::Id).all(db).await
}

pub async fn insert_photo_link<C: ConnectionTrait>(db: &C, p: hazard_photo::ActiveModel) -> Result<(), DbErr> {
    hazard_photo::Entity::insert(p).exec_without_returning(db).await.map(|_| ())
}

/// A hazard's photos with their phase, in the order they came (the bytes are not read).
pub async fn photos<C: ConnectionTrait>(db: &C, hazard_id: &str) -> Result<Vec<HazardPhoto>, DbErr> {
    hazard_photo::Entity::find().filter(hazard_photo::Column::HazardId.eq(hazard_id)).order_by_asc(hazard_photo::Column::Id).all(db).await
}

pub async fn plan<C: ConnectionTrait>(db: &C, hazard_id: &str) -> Result<Option<GovernancePlan>, DbErr> {
    governance_plan::Entity::find_by_id(hazard_id.to_string()).one(db).await
}

/// Stores a hazard's governance plan, replacing an earlier one.
pub async fn save_plan<C: ConnectionTrait>(db: &C, p: GovernancePlan) -> Result<(), DbErr> {
    if plan(db, &p.hazard_id).await?.is_some() {
        p.into_active_model().reset_all().update(db).await.map(|_| ())
    } else {
        governance_plan::Entity::insert(p.into_active_model()).exec_without_returning(db).await.map(|_| ())
    }
}

/// Open hazards past their deadline on `today` (the daily escalation's work list).
pub async fn overdue<C: ConnectionTrait>(db: &C, tenant: &str, today: NaiveDate) -> Result<Vec<Hazard>, DbErr> {
    hazard::Entity::find()
        .filter(H::TenantId.eq(tenant))
        .filter(H::State.is_in(open_states()))
        .filter(H::Deadline.lt(today))
        .order_by_asc(H::Id)
        .all(db)
        .await
}

/// Hazards approved for public exposure, most recent first, with their unit's name.
pub async fn exposed<C: ConnectionTrait>(db: &C, tenant: &str, limit: u64) -> Result<Vec<(Hazard, String)>, DbErr> {
    use crate::entity::organisation;
    let unit = hazard::Entity::belongs_to(organisation::Entity).from(H::OrganisationId).to(organisation::Column::Id).into();
    let rows = hazard::Entity::find()
        .join(sea_orm::JoinType::InnerJoin, unit)
        .select_also(organisation::Entity)
        .filter(H::TenantId.eq(tenant))
        .filter(H::Exposure.eq("approved"))
        .order_by_desc(H::ExposedAt)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(h, o)| o.map(|o| (h, o.name))).collect())
}

/// The organisations told at each rung: the township office of the hazard's township, the
/// departments supervising its industry, the committee office. Ids, for notifications.
pub async fn audience_units<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    kind: &str,
    township_code: Option<&str>,
    industry_code: Option<&str>,
) -> Result<Vec<String>, DbErr> {
    use crate::entity::{department_industry, organisation};
    use organisation::Column as O;
    let mut q = organisation::Entity::find().select_only().column(O::Id).filter(O::TenantId.eq(tenant)).filter(O::Kind.eq(kind));
    match kind {
        "township_office" => q = q.filter(O::TownshipCode.eq(township_code.unwrap_or_default())),
        "department" => {
            // A department supervises an industry when one of its codes is a prefix of it.
            let Some(code) = industry_code else { return Ok(vec![]) };
            let prefixes: Vec<String> = (1..=code.len()).filter(|n| code.is_char_boundary(*n)).map(|n| code[..n].to_string()).collect();
            let supervising = sea_orm::sea_query::Query::select()
                .column(department_industry::Column::DepartmentId)
                .from(department_industry::Entity)
                .and_where(Expr::col(department_industry::Column::IndustryCode).is_in(prefixes))
                .to_owned();
            q = q.filter(Expr::col((organisation::Entity, O::Id)).in_subquery(supervising));
        }
        _ => {}
    }
    q.order_by_asc(O::Id).into_tuple().all(db).await
}

/// The escalation steps already taken, by (hazard, grade), for many hazards in one pass.
pub async fn steps_taken<C: ConnectionTrait>(
    db: &C,
    hazard_ids: &[String],
) -> Result<std::collections::HashMap<(String, String), Vec<usize>>, DbErr> {
    let mut out: std::collections::HashMap<(String, String), Vec<usize>> = Default::default();
    for chunk in hazard_ids.chunks(500) {
        let rows = hazard_escalation::Entity::find().filter(hazard_escalation::Column::HazardId.is_in(chunk.to_vec())).all(db).await?;
        for r in rows {
            if let Ok(step) = usize::try_from(r.step) {
                out.entry((r.hazard_id, r.grade)).or_default().push(step);
            }
        }
    }
    Ok(out)
}

pub async fn insert_escalation<C: ConnectionTrait>(db: &C, e: hazard_escalation::ActiveModel) -> Result<(), DbErr> {
    hazard_escalation::Entity::insert(e).exec_without_returning(db).await.map(|_| ())
}

pub async fn insert_report<C: ConnectionTrait>(db: &C, r: hazard_report::ActiveModel) -> Result<(), DbErr> {
    hazard_report::Entity::insert(r).exec_without_returning(db).await.map(|_| ())
}

pub async fn report_of<C: ConnectionTrait>(db: &C, hazard_id: &str) -> Result<Option<HazardReport>, DbErr> {
    hazard_report::Entity::find_by_id(hazard_id.to_string()).one(db).await
}

pub async fn update_report<C: ConnectionTrait>(db: &C, r: HazardReport) -> Result<(), DbErr> {
    r.into_active_model().reset_all().update(db).await.map(|_| ())
}

/// The open hazards of a unit found on or after `since`, as (id, description): the pool a new
/// report is compared with for duplicates.
pub async fn open_since<C: ConnectionTrait>(db: &C, organisation_id: &str, since: NaiveDate) -> Result<Vec<(String, String)>, DbErr> {
    hazard::Entity::find()
        .select_only()
        .column(H::Id)
        .column(H::Description)
        .filter(H::OrganisationId.eq(organisation_id))
        .filter(H::State.is_in(open_states()))
        .filter(H::FoundOn.gte(since))
        .order_by_desc(H::Id)
        .limit(500)
        .into_tuple()
        .all(db)
        .await
}

/// Rewards granted for employee reports of hazards in scope (grid work, issue 4: the rewards
/// API), newest hazard first, before the id `before`.
pub async fn rewards<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<(Hazard, HazardReport)>, DbErr> {
    let to_report = hazard::Entity::belongs_to(hazard_report::Entity).from(H::Id).to(hazard_report::Column::HazardId).into();
    let mut q = hazard::Entity::find()
        .join(sea_orm::JoinType::InnerJoin, to_report)
        .select_also(hazard_report::Entity)
        .filter(H::TenantId.eq(tenant))
        .filter(scope_of(scope))
        .filter(Expr::col((hazard_report::Entity, hazard_report::Column::RewardFen)).is_not_null());
    if let Some(b) = before {
        q = q.filter(H::Id.lt(b));
    }
    let rows = q.order_by_desc(H::Id).limit(limit).all(db).await?;
    Ok(rows.into_iter().filter_map(|(h, r)| r.map(|r| (h, r))).collect())
}
