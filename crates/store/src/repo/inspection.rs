//! Random draws and inspections. Lists read through the caller's scope on the targets' own
//! copy of their unit's kind, place and industry; a covert inspection is left out for the
//! target's own people until it is done (the caller says whether the rule applies).

use super::org::{OrgFilter, filtered, scope_condition, scope_condition_on};
use crate::entity::{
    checklist, draw, inspection, inspection_photo, inspection_result, inspection_target, organisation, role_assignment, user_account,
};
use anze_domain::auth::{Role, Scope};
use anze_domain::inspection::{InspectionKind, InspectionState};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, JoinType, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, RelationTrait,
};

pub use checklist::Model as StoredChecklist;
pub use draw::Model as Draw;
pub use inspection::Model as Inspection;
pub use inspection_photo::Model as InspectionPhoto;
pub use inspection_result::Model as InspectionResult;
pub use inspection_target::Model as InspectionTarget;

pub async fn insert_draw<C: ConnectionTrait>(db: &C, d: draw::ActiveModel) -> Result<(), DbErr> {
    draw::Entity::insert(d).exec_without_returning(db).await.map(|_| ())
}

pub async fn draw<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<Draw>, DbErr> {
    draw::Entity::find().filter(draw::Column::TenantId.eq(tenant)).filter(draw::Column::Id.eq(id)).one(db).await
}

/// The enterprises matching the filters within the scope, as (id, township code), ascending
/// by id: the frozen pool of a draw.
pub async fn pool<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, f: &OrgFilter) -> Result<Vec<(String, Option<String>)>, DbErr> {
    let mut stmt = filtered(tenant, scope, f).into_query();
    stmt.clear_selects()
        .column((organisation::Entity, organisation::Column::Id))
        .column((organisation::Entity, organisation::Column::TownshipCode))
        .order_by((organisation::Entity, organisation::Column::Id), Order::Asc);
    let rows = db.query_all(&stmt).await?;
    rows.iter().map(|r| Ok((r.try_get::<String>("", "id")?, r.try_get::<Option<String>>("", "township_code")?))).collect()
}

/// One inspector on the roster: an enabled account with an inspecting role for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub user_id: String,
    pub name: String,
    pub unit_id: String,
    pub township_code: Option<String>,
}

/// The inspectors whose unit lies within the scope: the roster a draw picks from.
pub async fn roster<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope) -> Result<Vec<RosterEntry>, DbErr> {
    use role_assignment::Column as R;
    let inspecting: Vec<&str> = Role::ALL.iter().filter(|r| r.inspects() && !r.is_organisation_bound()).map(|r| r.as_str()).collect();
    let account = role_assignment::Entity::belongs_to(user_account::Entity).from(R::UserId).to(user_account::Column::Id).into();
    let unit = role_assignment::Entity::belongs_to(organisation::Entity).from(R::OrganisationId).to(organisation::Column::Id).into();
    let rows: Vec<(String, String, String, Option<String>)> = role_assignment::Entity::find()
        .select_only()
        .join(JoinType::InnerJoin, account)
        .join(JoinType::InnerJoin, unit)
        .join(JoinType::LeftJoin, organisation::Relation::Enterprise.def())
        .column(R::UserId)
        .column(user_account::Column::DisplayName)
        .column(R::OrganisationId)
        .column(organisation::Column::TownshipCode)
        .filter(R::TenantId.eq(tenant))
        .filter(R::Role.is_in(inspecting))
        .filter(user_account::Column::Disabled.eq(false))
        .filter(scope_condition(scope))
        .order_by_asc(R::UserId)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<RosterEntry> =
        rows.into_iter().map(|(user_id, name, unit_id, township_code)| RosterEntry { user_id, name, unit_id, township_code }).collect();
    out.dedup_by(|a, b| a.user_id == b.user_id);
    Ok(out)
}

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    i: inspection::ActiveModel,
    targets: Vec<inspection_target::ActiveModel>,
) -> Result<(), DbErr> {
    inspection::Entity::insert(i).exec_without_returning(db).await?;
    inspection_target::Entity::insert_many(targets).exec_without_returning(db).await.map(|_| ())
}

pub async fn update<C: ConnectionTrait>(db: &C, i: Inspection) -> Result<(), DbErr> {
    i.into_active_model().reset_all().update(db).await.map(|_| ())
}

pub async fn update_target<C: ConnectionTrait>(db: &C, t: InspectionTarget) -> Result<(), DbErr> {
    t.into_active_model().reset_all().update(db).await.map(|_| ())
}

pub async fn get<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<Inspection>, DbErr> {
    inspection::Entity::find().filter(inspection::Column::TenantId.eq(tenant)).filter(inspection::Column::Id.eq(id)).one(db).await
}

pub async fn targets<C: ConnectionTrait>(db: &C, inspection_id: &str) -> Result<Vec<InspectionTarget>, DbErr> {
    inspection_target::Entity::find()
        .filter(inspection_target::Column::InspectionId.eq(inspection_id))
        .order_by_asc(inspection_target::Column::Id)
        .all(db)
        .await
}

pub async fn results<C: ConnectionTrait>(db: &C, inspection_id: &str) -> Result<Vec<InspectionResult>, DbErr> {
    inspection_result::Entity::find()
        .filter(inspection_result::Column::InspectionId.eq(inspection_id))
        .order_by_asc(inspection_result::Column::TargetId)
        .order_by_asc(inspection_result::Column::Position)
        .all(db)
        .await
}

pub async fn insert_results<C: ConnectionTrait>(db: &C, rows: Vec<inspection_result::ActiveModel>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    inspection_result::Entity::insert_many(rows).exec_without_returning(db).await.map(|_| ())
}

pub async fn insert_photo_links<C: ConnectionTrait>(db: &C, rows: Vec<inspection_photo::ActiveModel>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    inspection_photo::Entity::insert_many(rows).exec_without_returning(db).await.map(|_| ())
}

/// The photos of an inspection's items, in the order they were taken.
pub async fn photos<C: ConnectionTrait>(db: &C, inspection_id: &str) -> Result<Vec<InspectionPhoto>, DbErr> {
    inspection_photo::Entity::find()
        .filter(inspection_photo::Column::InspectionId.eq(inspection_id))
        .order_by_asc(inspection_photo::Column::Id)
        .all(db)
        .await
}

/// Inspections with a target in scope. With `hide_open_covert`, covert inspections not yet
/// completed are left out (the target's own people must not see them).
fn visible(tenant: &str, scope: &Scope, hide_open_covert: bool) -> sea_orm::Select<inspection::Entity> {
    use inspection_target::Column as T;
    let t = Alias::new("t");
    let in_scope = scope_condition_on(
        scope,
        (t.clone(), T::OrganisationId),
        (t.clone(), T::OrganisationKind),
        (t.clone(), T::RegionPath),
        (t.clone(), T::IndustryCode),
    );
    let target_in_scope = Query::select()
        .expr(Expr::cust("1"))
        .from_as(inspection_target::Entity, t.clone())
        .and_where(Expr::col((t, T::InspectionId)).equals((inspection::Entity, inspection::Column::Id)))
        .cond_where(in_scope)
        .to_owned();
    let mut q = inspection::Entity::find()
        .filter(inspection::Column::TenantId.eq(tenant))
        .filter(Condition::all().add(Expr::exists(target_in_scope)));
    if hide_open_covert {
        let open = [InspectionState::Planned.as_str(), InspectionState::InProgress.as_str()];
        q = q.filter(
            Condition::any()
                .add(inspection::Column::Kind.ne(InspectionKind::CovertInspection.as_str()))
                .add(inspection::Column::State.is_not_in(open)),
        );
    }
    q
}

/// The inspections seen (see `visible`), newest first, before the id `before`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    hide_open_covert: bool,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<Inspection>, DbErr> {
    let mut q = visible(tenant, scope, hide_open_covert);
    if let Some(b) = before {
        q = q.filter(inspection::Column::Id.lt(b));
    }
    q.order_by_desc(inspection::Column::Id).limit(limit).all(db).await
}

/// The inspections planned from a draw.
pub async fn by_draw<C: ConnectionTrait>(db: &C, tenant: &str, draw_id: &str) -> Result<Vec<Inspection>, DbErr> {
    inspection::Entity::find().filter(inspection::Column::TenantId.eq(tenant)).filter(inspection::Column::DrawId.eq(draw_id)).all(db).await
}

/// Who led, what kind and when it started, for the inspections seen (as `list`) that start
/// within `from..=to`: what the counts by unit, kind and month are made of.
pub async fn started_between<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    hide_open_covert: bool,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<(Option<String>, String, String, chrono::NaiveDate)>, DbErr> {
    visible(tenant, scope, hide_open_covert)
        .filter(inspection::Column::StartsOn.between(from, to))
        .select_only()
        .column(inspection::Column::LeadUnitId)
        .column(inspection::Column::LeadName)
        .column(inspection::Column::Kind)
        .column(inspection::Column::StartsOn)
        .into_tuple()
        .all(db)
        .await
}

/// Inspections of the given kinds led by the given units and completed (or archived) within
/// `from..=to`: what campaign obligations count.
pub async fn completed_led_by<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    units: &[String],
    kinds: &[&str],
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Inspection>, DbErr> {
    let mut out = vec![];
    for chunk in units.chunks(500) {
        out.extend(
            inspection::Entity::find()
                .filter(inspection::Column::TenantId.eq(tenant))
                .filter(inspection::Column::LeadUnitId.is_in(chunk.to_vec()))
                .filter(inspection::Column::Kind.is_in(kinds.to_vec()))
                .filter(inspection::Column::CompletedAt.between(from, to))
                .order_by_asc(inspection::Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// The tenant's imported checklists, by code.
pub async fn checklists<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<Vec<StoredChecklist>, DbErr> {
    checklist::Entity::find().filter(checklist::Column::TenantId.eq(tenant)).order_by_asc(checklist::Column::Code).all(db).await
}

pub async fn checklist_by_code<C: ConnectionTrait>(db: &C, tenant: &str, code: &str) -> Result<Option<StoredChecklist>, DbErr> {
    checklist::Entity::find().filter(checklist::Column::TenantId.eq(tenant)).filter(checklist::Column::Code.eq(code)).one(db).await
}

pub async fn insert_checklist<C: ConnectionTrait>(db: &C, c: checklist::ActiveModel) -> Result<(), DbErr> {
    checklist::Entity::insert(c).exec_without_returning(db).await.map(|_| ())
}
