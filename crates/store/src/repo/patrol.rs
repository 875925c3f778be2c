//! Grid work (issue 4): patrols, their problems, publicity events and their photos, and the
//! yearly figures per worker. Every read filters by the caller's scope on the record's own
//! copy of its place: territorial roles see the records made in their subtree (a grid worker
//! the records of their grid), departments the patrols that visited an enterprise of their
//! industries in their area, an enterprise the patrols that visited it, and every worker
//! their own records.

use super::in_subtree;
use crate::entity::{grid_photo, hazard, patrol, patrol_problem, publicity_event};
use anze_domain::auth::Scope;
use chrono::NaiveDate;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, IntoColumnRef};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect};

pub use patrol::Model as Patrol;
pub use patrol_problem::Model as PatrolProblem;
pub use publicity_event::Model as Publicity;

use patrol::Column as P;
use publicity_event::Column as U;

/// The scope of a grid record: `worker` is the caller's own user id (their records always);
/// `enterprise` and `industry` are the visited enterprise's columns (patrols only).
fn grid_scope<W, R, E, N>(scope: &Scope, me: Option<&str>, worker: W, region: R, visited: Option<(E, N)>) -> Condition
where
    W: IntoColumnRef + Clone,
    R: IntoColumnRef + Clone,
    E: IntoColumnRef + Clone,
    N: IntoColumnRef + Clone,
{
    if scope.all {
        return Condition::all();
    }
    let mut any = Condition::any();
    if let Some(me) = me {
        any = any.add(Expr::col(worker).eq(me.to_string()));
    }
    for root in scope.all_kinds_in.iter().chain(&scope.enterprises_in) {
        any = any.add(in_subtree(region.clone(), root));
    }
    if let Some((enterprise, industry)) = visited {
        if !scope.organisations.is_empty() {
            any = any.add(Expr::col(enterprise.clone()).is_in(scope.organisations.iter().map(|u| u.to_string())));
        }
        for (root, codes) in &scope.sector {
            let mut c =
                Condition::all().add(Expr::col(enterprise.clone()).is_not_null()).add(Expr::col(industry.clone()).is_in(codes.clone()));
            if let Some(root) = root {
                c = c.add(in_subtree(region.clone(), root));
            }
            any = any.add(c);
        }
    }
    if any.is_empty() { Condition::all().add(Expr::val(1).eq(0)) } else { any }
}

fn patrol_scope(scope: &Scope, me: Option<&str>) -> Condition {
    grid_scope(
        scope,
        me,
        (patrol::Entity, P::WorkerId),
        (patrol::Entity, P::RegionPath),
        Some(((patrol::Entity, P::EnterpriseId), (patrol::Entity, P::IndustryCode))),
    )
}

fn publicity_scope(scope: &Scope, me: Option<&str>) -> Condition {
    grid_scope(
        scope,
        me,
        (publicity_event::Entity, U::WorkerId),
        (publicity_event::Entity, U::RegionPath),
        None::<((publicity_event::Entity, U), (publicity_event::Entity, U))>,
    )
}

/// What the patrol and publicity lists are narrowed to.
#[derive(Debug, Clone, Default)]
pub struct GridFilter {
    pub worker_id: Option<String>,
    pub township_code: Option<String>,
    /// Local days, half open.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub async fn insert_patrol<C: ConnectionTrait>(db: &C, p: patrol::ActiveModel) -> Result<(), DbErr> {
    patrol::Entity::insert(p).exec_without_returning(db).await.map(|_| ())
}

pub async fn insert_problems<C: ConnectionTrait>(db: &C, rows: Vec<patrol_problem::ActiveModel>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    patrol_problem::Entity::insert_many(rows).exec_without_returning(db).await.map(|_| ())
}

pub async fn insert_publicity<C: ConnectionTrait>(db: &C, p: publicity_event::ActiveModel) -> Result<(), DbErr> {
    publicity_event::Entity::insert(p).exec_without_returning(db).await.map(|_| ())
}

pub async fn insert_photo_link<C: ConnectionTrait>(db: &C, p: grid_photo::ActiveModel) -> Result<(), DbErr> {
    grid_photo::Entity::insert(p).exec_without_returning(db).await.map(|_| ())
}

/// The photo ids of a patrol or publicity event, in the order they came.
pub async fn photos<C: ConnectionTrait>(db: &C, owner_kind: &str, owner_id: &str) -> Result<Vec<String>, DbErr> {
    grid_photo::Entity::find()
        .select_only()
        .column(grid_photo::Column::PhotoId)
        .filter(grid_photo::Column::OwnerKind.eq(owner_kind))
        .filter(grid_photo::Column::OwnerId.eq(owner_id))
        .order_by_asc(grid_photo::Column::Id)
        .into_tuple()
        .all(db)
        .await
}

/// One patrol in scope.
pub async fn get<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, me: Option<&str>, id: &str) -> Result<Option<Patrol>, DbErr> {
    patrol::Entity::find().filter(P::TenantId.eq(tenant)).filter(P::Id.eq(id)).filter(patrol_scope(scope, me)).one(db).await
}

/// Patrols in scope, newest first, before the id `before`, at most `limit`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    me: Option<&str>,
    f: &GridFilter,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<Patrol>, DbErr> {
    let mut q = patrol::Entity::find().filter(P::TenantId.eq(tenant)).filter(patrol_scope(scope, me));
    if let Some(w) = &f.worker_id {
        q = q.filter(P::WorkerId.eq(w.as_str()));
    }
    if let Some(t) = &f.township_code {
        q = q.filter(P::TownshipCode.eq(t.as_str()));
    }
    if let Some(d) = f.from {
        q = q.filter(P::PatrolOn.gte(d));
    }
    if let Some(d) = f.to {
        q = q.filter(P::PatrolOn.lt(d));
    }
    if let Some(b) = before {
        q = q.filter(P::Id.lt(b));
    }
    q.order_by_desc(P::Id).limit(limit).all(db).await
}

/// A patrol's problems, in order, each with its hazard's description and state.
pub async fn problems<C: ConnectionTrait>(db: &C, patrol_id: &str) -> Result<Vec<(PatrolProblem, Option<hazard::Model>)>, DbErr> {
    let to_hazard = patrol_problem::Entity::belongs_to(hazard::Entity).from(patrol_problem::Column::HazardId).to(hazard::Column::Id).into();
    patrol_problem::Entity::find()
        .join(JoinType::LeftJoin, to_hazard)
        .select_also(hazard::Entity)
        .filter(patrol_problem::Column::PatrolId.eq(patrol_id))
        .order_by_asc(patrol_problem::Column::Position)
        .all(db)
        .await
}

/// Publicity events in scope, newest first.
pub async fn list_publicity<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    me: Option<&str>,
    f: &GridFilter,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<Publicity>, DbErr> {
    let mut q = publicity_event::Entity::find().filter(U::TenantId.eq(tenant)).filter(publicity_scope(scope, me));
    if let Some(w) = &f.worker_id {
        q = q.filter(U::WorkerId.eq(w.as_str()));
    }
    if let Some(t) = &f.township_code {
        q = q.filter(U::TownshipCode.eq(t.as_str()));
    }
    if let Some(d) = f.from {
        q = q.filter(U::HeldOn.gte(d));
    }
    if let Some(d) = f.to {
        q = q.filter(U::HeldOn.lt(d));
    }
    if let Some(b) = before {
        q = q.filter(U::Id.lt(b));
    }
    q.order_by_desc(U::Id).limit(limit).all(db).await
}

/// A worker's patrol figures for a period.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct PatrolFigures {
    pub worker_id: String,
    pub worker_name: String,
    pub township_code: Option<String>,
    pub patrols: i64,
    pub days: i64,
    pub enterprises: i64,
    pub problems: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct WorkerCount {
    pub worker_id: String,
    pub worker_name: String,
    pub township_code: Option<String>,
    pub n: i64,
    pub total: i64,
}

/// Per worker in scope, patrols in `[from, to)`: how many, on how many days, how many
/// distinct enterprises visited, how many problems found.
pub async fn patrol_figures<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    me: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<PatrolFigures>, DbErr> {
    patrol::Entity::find()
        .filter(P::TenantId.eq(tenant))
        .filter(patrol_scope(scope, me))
        .filter(P::PatrolOn.gte(from))
        .filter(P::PatrolOn.lt(to))
        .select_only()
        .column(P::WorkerId)
        .expr_as(Expr::cust("MAX(patrols.worker_name)"), "worker_name")
        .expr_as(Expr::cust("MAX(patrols.township_code)"), "township_code")
        .expr_as(Expr::cust("COUNT(*)"), "patrols")
        .expr_as(Expr::cust("COUNT(DISTINCT patrols.patrol_on)"), "days")
        .expr_as(Expr::cust("COUNT(DISTINCT patrols.enterprise_id)"), "enterprises")
        // PostgreSQL sums an INTEGER as BIGINT, SQLite as INTEGER: both decode an i64.
        .expr_as(Expr::cust("CAST(COALESCE(SUM(patrols.problem_count), 0) AS BIGINT)"), "problems")
        .group_by(P::WorkerId)
        .into_model::<PatrolFigures>()
        .all(db)
        .await
}

/// Per worker in scope, the hazards from their patrols in `[from, to)` that are closed now.
pub async fn closed_hazards<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    me: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<WorkerCount>, DbErr> {
    let to_problem = patrol::Entity::belongs_to(patrol_problem::Entity).from(P::Id).to(patrol_problem::Column::PatrolId).into();
    let to_hazard = patrol_problem::Entity::belongs_to(hazard::Entity).from(patrol_problem::Column::HazardId).to(hazard::Column::Id).into();
    patrol::Entity::find()
        .join(JoinType::InnerJoin, to_problem)
        .join(JoinType::InnerJoin, to_hazard)
        .filter(P::TenantId.eq(tenant))
        .filter(patrol_scope(scope, me))
        .filter(P::PatrolOn.gte(from))
        .filter(P::PatrolOn.lt(to))
        .filter(Expr::col((hazard::Entity, hazard::Column::State)).eq("closed"))
        .select_only()
        .column(P::WorkerId)
        .expr_as(Expr::cust("MAX(patrols.worker_name)"), "worker_name")
        .expr_as(Expr::cust("MAX(patrols.township_code)"), "township_code")
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .expr_as(Expr::cust("COUNT(*)"), "total")
        .group_by(P::WorkerId)
        .into_model::<WorkerCount>()
        .all(db)
        .await
}

/// Per worker in scope, publicity events held in `[from, to)` and their total audience.
pub async fn publicity_figures<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    me: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<WorkerCount>, DbErr> {
    publicity_event::Entity::find()
        .filter(U::TenantId.eq(tenant))
        .filter(publicity_scope(scope, me))
        .filter(U::HeldOn.gte(from))
        .filter(U::HeldOn.lt(to))
        .select_only()
        .column(U::WorkerId)
        .expr_as(Expr::cust("MAX(publicity_events.worker_name)"), "worker_name")
        .expr_as(Expr::cust("MAX(publicity_events.township_code)"), "township_code")
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .expr_as(Expr::cust("CAST(COALESCE(SUM(publicity_events.audience), 0) AS BIGINT)"), "total")
        .group_by(U::WorkerId)
        .into_model::<WorkerCount>()
        .all(db)
        .await
}
