//! Grid work (网格员, measure 16; issue 4 deliverable 8). A grid worker records patrols (when,
//! where, the enterprise visited, what was seen, photos) and the problems found, each of
//! which becomes, in the same transaction, a hazard of the unit concerned with origin
//! `grid_patrol` through the hazard rules themselves (`crate::hazard::prepare`); and
//! publicity events (宣传). Per-worker yearly figures are the basis for naming the
//! outstanding grid workers (优秀网格员).
//!
//! Who records: grid workers, and township officers, committee offices and city
//! administrators for the regions they cover. Who sees (`anze_store::repo::patrol`): the
//! worker their own records; territorial roles the records made in their subtree (a grid
//! worker those of their grid, a township its grid workers'); departments the patrols that
//! visited an enterprise of their industries; an enterprise the patrols that visited it.
//! Photos are filed under the enterprise visited, else the worker's own unit, else the
//! township office of the place, and are shown to whoever sees that unit.

use crate::evidence::{self, CheckedPhoto};
use crate::hazard::{NewHazardForm, Prepared};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::Role;
use anze_domain::hazard::{Direction, Grade, Origin};
use anze_domain::org::region_path_upper_bound;
use anze_domain::patrol::{self as rules, MAX_PROBLEMS, NOTES_MAX, PLACE_MAX};
use anze_domain::time::local_date;
use anze_domain::{Collector, FieldError};
use anze_store::TransactionTrait;
use anze_store::entity::{grid_photo, patrol, patrol_problem, publicity_event};
use anze_store::repo::patrol::{self as repo, GridFilter};
/// Patrols and publicity events as pages and the API show them (read models).
pub use anze_store::repo::patrol::{Patrol, Publicity};
use anze_store::repo::region::Region;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One problem found on a patrol, as typed. The unit defaults to the enterprise visited.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProblemForm {
    pub organisation_id: String,
    pub description: String,
    pub location: String,
    /// `general` (default) or `major`.
    pub grade: String,
    /// `person`, `thing`, `environment` or `management`.
    pub category: String,
    pub responsible_person: String,
    /// `YYYY-MM-DD`, not before the patrol's day.
    pub deadline: String,
}

impl ProblemForm {
    fn is_blank(&self) -> bool {
        [&self.organisation_id, &self.description, &self.location, &self.category, &self.responsible_person, &self.deadline]
            .iter()
            .all(|v| v.trim().is_empty())
    }
}

/// A patrol as typed on the phone page or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct NewPatrol {
    /// Local date and time (`2024-03-01T09:00`) or an RFC 3339 instant.
    pub started_at: String,
    pub ended_at: String,
    /// The grid (or other region) patrolled; empty: the worker's own grid.
    pub region_code: String,
    pub place: String,
    /// The enterprise visited, if any (in the worker's scope).
    pub enterprise_id: String,
    pub notes: String,
    pub problems: Vec<ProblemForm>,
    pub photos: Vec<Vec<u8>>,
}

/// A publicity event as typed.
#[derive(Debug, Clone, Default)]
pub struct NewPublicity {
    pub held_on: String,
    pub region_code: String,
    pub place: String,
    pub kind: String,
    pub audience: String,
    pub notes: String,
    pub photos: Vec<Vec<u8>>,
}

fn records(role: Role) -> bool {
    matches!(role, Role::GridWorker | Role::TownshipOfficer | Role::CommitteeOffice | Role::CityAdmin)
}

/// Whether this actor records grid work at all (menus, the "new" buttons).
pub fn may_record(actor: &Actor) -> bool {
    actor.assignments.iter().any(|a| records(a.role))
}

/// The worker key the records and figures are grouped by: the user, or the system's name.
fn worker_of(actor: &Actor) -> String {
    actor.user_id.map_or_else(|| actor.name.clone(), |u| u.to_string())
}

fn me(actor: &Actor) -> Option<String> {
    Some(worker_of(actor))
}

fn in_subtree(path: &str, root: &str) -> bool {
    path >= root && path < region_path_upper_bound(root).as_str()
}

/// The region recorded: the one typed (inside one of the actor's recording territories), or
/// the territory of the actor's first recording assignment.
async fn region_of(ctx: &Ctx, actor: &Actor, code: &str, c: &mut Collector) -> ServiceResult<Option<Region>> {
    let roots: Vec<Option<&str>> = actor.assignments.iter().filter(|a| records(a.role)).map(|a| a.region_path.as_deref()).collect();
    if roots.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    let code = match code.trim() {
        "" => match roots.iter().flatten().next().and_then(|p| p.rsplit('/').next()) {
            Some(own) => own.to_string(),
            None => {
                c.push(FieldError::new("region_code", "field.required"));
                return Ok(None);
            }
        },
        typed => typed.to_string(),
    };
    let Some(region) = anze_store::repo::region::by_code(&ctx.db.read, &ctx.tenant, &code).await? else {
        c.push(FieldError::new("region_code", "patrol.region.unknown").with_detail(code));
        return Ok(None);
    };
    if !roots.iter().any(|r| r.is_none_or(|root| in_subtree(&region.path, root))) {
        c.push(FieldError::new("region_code", "patrol.region.outside").with_detail(code));
        return Ok(None);
    }
    Ok(Some(region))
}

/// The unit photos are filed under (see the module comment); `None` when there is none.
async fn photo_unit(ctx: &Ctx, actor: &Actor, enterprise: Option<&str>, township: Option<&str>) -> ServiceResult<Option<String>> {
    if let Some(e) = enterprise {
        return Ok(Some(e.to_string()));
    }
    if let Some(own) = actor.assignments.iter().filter(|a| records(a.role)).find_map(|a| a.organisation_id) {
        return Ok(Some(own.to_string()));
    }
    let Some(t) = township else { return Ok(None) };
    Ok(anze_store::repo::hazard::audience_units(&ctx.db.read, &ctx.tenant, "township_office", Some(t), None).await?.into_iter().next())
}

async fn store_photos<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    actor: &Actor,
    (owner_kind, owner_id): (&str, &str),
    unit: Option<&str>,
    photos: Vec<CheckedPhoto>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<String>> {
    let mut ids = vec![];
    let Some(unit) = unit else { return Ok(ids) };
    for p in photos {
        let photo_id = evidence::insert(db, ctx, actor, unit, p, now).await?;
        repo::insert_photo_link(
            db,
            grid_photo::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                owner_kind: Set(owner_kind.into()),
                owner_id: Set(owner_id.into()),
                photo_id: Set(photo_id.clone()),
            },
        )
        .await?;
        ids.push(photo_id);
    }
    Ok(ids)
}

/// Where a problem's field error is shown: the hazard's field, prefixed, with the row.
fn problem_field(field: &str) -> &'static str {
    match field {
        "description" => "problem_description",
        "location" => "problem_location",
        "grade" => "problem_grade",
        "category" => "problem_category",
        "deadline" => "problem_deadline",
        "responsible_person" => "problem_responsible_person",
        "organisation_id" | "responsible_unit_id" => "problem_organisation_id",
        _ => "problems",
    }
}

fn in_row(row: usize, e: FieldError) -> FieldError {
    let detail = match e.detail {
        Some(d) => format!("#{row} {d}"),
        None => format!("#{row}"),
    };
    FieldError::new(problem_field(e.field), e.code).with_detail(detail)
}

/// Records a patrol. Every field, photo and problem is checked first (a problem by the
/// hazard rules, at its unit in the worker's scope); the patrol, the hazards its problems
/// became, the photos and the audit entry are one write, or nothing is written. An
/// enterprise visited outside the worker's scope answers 404.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn create(ctx: &Ctx, actor: &Actor, form: &NewPatrol, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut c = Collector::default();
    let region = region_of(ctx, actor, &form.region_code, &mut c).await?;
    let enterprise = match form.enterprise_id.trim() {
        "" => None,
        id => {
            let id = Uuid::parse_str(id).map_err(|_| ServiceError::NotFound)?;
            let (o, e) = crate::scope::organisation(ctx, actor, id).await?;
            match e {
                Some(e) => Some((o, e)),
                None => {
                    c.push(FieldError::new("enterprise_id", "patrol.enterprise.not_enterprise"));
                    None
                }
            }
        }
    };
    let times = rules::parse_times(&form.started_at, &form.ended_at, now).map_err(|e| e.into_iter().for_each(|e| c.push(e))).ok();
    let place = c.ok(rules::parse_text("place", &form.place, PLACE_MAX, false));
    let notes = c.ok(rules::parse_text("notes", &form.notes, NOTES_MAX, true));
    let photos = c.ok(evidence::check_all(form.photos.clone()).await);
    let problems: Vec<(usize, &ProblemForm)> =
        form.problems.iter().enumerate().filter(|(_, p)| !p.is_blank()).map(|(i, p)| (i + 1, p)).collect();
    if problems.len() > MAX_PROBLEMS {
        c.push(FieldError::new("problems", "patrol.problems.too_many").with_detail(MAX_PROBLEMS.to_string()));
    }
    let found_on = times.as_ref().map_or_else(|| local_date(now), |t| t.patrol_on);
    let mut prepared: Vec<(usize, Prepared)> = vec![];
    for (row, p) in problems.iter().take(MAX_PROBLEMS) {
        let unit = match p.organisation_id.trim() {
            "" => enterprise.as_ref().map(|(o, _)| o.id.clone()).unwrap_or_default(),
            typed => typed.to_string(),
        };
        if unit.is_empty() {
            c.push(in_row(*row, FieldError::new("organisation_id", "field.required")));
            continue;
        }
        let hazard = NewHazardForm {
            organisation_id: unit,
            description: p.description.clone(),
            location: p.location.clone(),
            grade: if p.grade.trim().is_empty() { Grade::General.as_str().into() } else { p.grade.clone() },
            category: p.category.clone(),
            origin: Origin::GridPatrol.as_str().into(),
            direction: Direction::ReportedUp.as_str().into(),
            responsible_person: p.responsible_person.clone(),
            found_on: found_on.to_string(),
            deadline: p.deadline.clone(),
            ..Default::default()
        };
        match crate::hazard::prepare(ctx, actor, &hazard, now).await {
            Ok(h) => prepared.push((*row, h)),
            Err(ServiceError::Invalid(errors)) => errors.into_iter().for_each(|e| c.push(in_row(*row, e))),
            Err(other) => return Err(other),
        }
    }
    let township = region.as_ref().and_then(|r| r.township_code.clone());
    let unit = photo_unit(ctx, actor, enterprise.as_ref().map(|(o, _)| o.id.as_str()), township.as_deref()).await?;
    if unit.is_none() && photos.as_ref().is_some_and(|p| !p.is_empty()) {
        c.push(FieldError::new("photo", "patrol.photo.no_unit"));
    }
    let (Some(region), Some(times), Some(place), Some(notes), Some(photos), true) = (region, times, place, notes, photos, c.is_empty())
    else {
        return Err(ServiceError::Invalid(c.0));
    };
    let id = anze_domain::ids::new_id().to_string();
    let row = patrol::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        worker_id: Set(worker_of(actor)),
        worker_name: Set(actor.name.clone()),
        region_code: Set(region.code.clone()),
        region_path: Set(region.path.clone()),
        township_code: Set(township.clone()),
        place: Set(place.clone()),
        enterprise_id: Set(enterprise.as_ref().map(|(o, _)| o.id.clone())),
        industry_code: Set(enterprise.as_ref().map(|(_, e)| e.industry_code.clone())),
        started_at: Set(times.started_at),
        ended_at: Set(times.ended_at),
        patrol_on: Set(times.patrol_on),
        notes: Set(notes.clone()),
        problem_count: Set(i32::try_from(prepared.len()).unwrap_or(i32::MAX)),
        created_at: Set(now),
    };
    let tx = ctx.db.write.begin().await?;
    repo::insert_patrol(&tx, row).await?;
    let mut links = vec![];
    let mut hazards = vec![];
    for (position, (_, p)) in prepared.into_iter().enumerate() {
        let unit = p.organisation_id().to_string();
        let hazard_id = crate::hazard::insert_prepared(&tx, ctx, actor, p, now).await?.to_string();
        hazards.push(hazard_id.clone());
        links.push(patrol_problem::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            patrol_id: Set(id.clone()),
            position: Set(i32::try_from(position + 1).unwrap_or(i32::MAX)),
            organisation_id: Set(unit),
            hazard_id: Set(hazard_id),
        });
    }
    repo::insert_problems(&tx, links).await?;
    let photo_ids = store_photos(&tx, ctx, actor, ("patrol", &id), unit.as_deref(), photos, now).await?;
    let changes = serde_json::json!({"patrol": [null, {
        "region": region.code, "place": place, "enterprise": enterprise.as_ref().map(|(o, _)| o.id.clone()),
        "started_at": times.started_at, "ended_at": times.ended_at, "notes": notes, "hazards": hazards, "photos": photo_ids,
    }]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("patrol.create", "patrol", &id, changes)).await?;
    tx.commit().await?;
    Uuid::parse_str(&id).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// One problem of a patrol, with the hazard it became as it is now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemView {
    pub position: i32,
    pub organisation_id: String,
    pub hazard_id: String,
    pub description: String,
    /// The hazard's state now (`reported` … `closed`).
    pub state: String,
    pub grade: String,
}

/// A patrol with its problems, photos and the name of the enterprise visited.
#[derive(Debug, Clone, Serialize)]
pub struct PatrolDetail {
    pub patrol: Patrol,
    pub enterprise_name: Option<String>,
    pub problems: Vec<ProblemView>,
    pub photo_ids: Vec<String>,
}

/// One patrol in scope (404 otherwise).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<PatrolDetail> {
    let p =
        repo::get(&ctx.db.read, &ctx.tenant, &actor.scope(), me(actor).as_deref(), &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let problems = repo::problems(&ctx.db.read, &p.id)
        .await?
        .into_iter()
        .map(|(pp, h)| ProblemView {
            position: pp.position,
            organisation_id: pp.organisation_id,
            hazard_id: pp.hazard_id,
            description: h.as_ref().map(|h| h.description.clone()).unwrap_or_default(),
            state: h.as_ref().map(|h| h.state.clone()).unwrap_or_default(),
            grade: h.map(|h| h.grade).unwrap_or_default(),
        })
        .collect();
    let enterprise_name = match p.enterprise_id.as_deref().and_then(|e| Uuid::parse_str(e).ok()) {
        Some(e) => crate::scope::organisation(ctx, &Actor::system("patrol"), e).await.ok().map(|(o, _)| o.name),
        None => None,
    };
    let photo_ids = repo::photos(&ctx.db.read, "patrol", &p.id).await?;
    Ok(PatrolDetail { patrol: p, enterprise_name, problems, photo_ids })
}

/// Filters of the patrol and publicity lists, as typed in a query string.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct GridQuery {
    /// A worker's user id.
    #[serde(default)]
    pub worker: Option<String>,
    /// A township code.
    #[serde(default)]
    pub township: Option<String>,
    /// `YYYY-MM`.
    #[serde(default)]
    pub month: Option<String>,
    /// The last id of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn filter_of(q: &GridQuery) -> ServiceResult<GridFilter> {
    let (from, to) = match some(&q.month) {
        None => (None, None),
        Some(m) => match rules::month_range(&m) {
            Some((a, b)) => (Some(a), Some(b)),
            None => return Err(ServiceError::Invalid(vec![FieldError::new("month", "patrol.month.invalid").with_detail(m)])),
        },
    };
    Ok(GridFilter { worker_id: some(&q.worker), township_code: some(&q.township), from, to })
}

fn page<T>(mut rows: Vec<T>, limit: u64, id: fn(&T) -> String) -> (Vec<T>, Option<String>) {
    if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        let next = rows.last().map(id);
        (rows, next)
    } else {
        (rows, None)
    }
}

/// A page of patrols in scope, newest first, with the cursor of the next page.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list(ctx: &Ctx, actor: &Actor, q: &GridQuery, limit: u64) -> ServiceResult<(Vec<Patrol>, Option<String>)> {
    let f = filter_of(q)?;
    let rows =
        repo::list(&ctx.db.read, &ctx.tenant, &actor.scope(), me(actor).as_deref(), &f, some(&q.after).as_deref(), limit + 1).await?;
    Ok(page(rows, limit, |p| p.id.clone()))
}

/// Records a publicity event: a past day, a place, a known kind, an audience of zero or more.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn create_publicity(ctx: &Ctx, actor: &Actor, form: &NewPublicity, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut c = Collector::default();
    let region = region_of(ctx, actor, &form.region_code, &mut c).await?;
    let parsed = rules::parse_publicity(&form.held_on, &form.place, &form.kind, &form.audience, &form.notes, local_date(now))
        .map_err(|e| e.into_iter().for_each(|e| c.push(e)))
        .ok();
    let photos = c.ok(evidence::check_all(form.photos.clone()).await);
    let township = region.as_ref().and_then(|r| r.township_code.clone());
    let unit = photo_unit(ctx, actor, None, township.as_deref()).await?;
    if unit.is_none() && photos.as_ref().is_some_and(|p| !p.is_empty()) {
        c.push(FieldError::new("photo", "patrol.photo.no_unit"));
    }
    let (Some(region), Some(p), Some(photos), true) = (region, parsed, photos, c.is_empty()) else {
        return Err(ServiceError::Invalid(c.0));
    };
    let id = anze_domain::ids::new_id().to_string();
    let row = publicity_event::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        worker_id: Set(worker_of(actor)),
        worker_name: Set(actor.name.clone()),
        region_code: Set(region.code.clone()),
        region_path: Set(region.path.clone()),
        township_code: Set(township),
        held_on: Set(p.held_on),
        place: Set(p.place.clone()),
        kind: Set(p.kind.as_str().into()),
        audience: Set(p.audience),
        notes: Set(p.notes.clone()),
        created_at: Set(now),
    };
    let tx = ctx.db.write.begin().await?;
    repo::insert_publicity(&tx, row).await?;
    let photo_ids = store_photos(&tx, ctx, actor, ("publicity", &id), unit.as_deref(), photos, now).await?;
    let changes = serde_json::json!({"publicity": [null, {
        "region": region.code, "held_on": p.held_on.to_string(), "place": p.place, "kind": p.kind.as_str(),
        "audience": p.audience, "notes": p.notes, "photos": photo_ids,
    }]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("publicity.create", "publicity", &id, changes)).await?;
    tx.commit().await?;
    Uuid::parse_str(&id).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// A page of publicity events in scope, newest first.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list_publicity(ctx: &Ctx, actor: &Actor, q: &GridQuery, limit: u64) -> ServiceResult<(Vec<Publicity>, Option<String>)> {
    let f = filter_of(q)?;
    let rows =
        repo::list_publicity(&ctx.db.read, &ctx.tenant, &actor.scope(), me(actor).as_deref(), &f, some(&q.after).as_deref(), limit + 1)
            .await?;
    Ok(page(rows, limit, |p| p.id.clone()))
}

/// One worker's figures for a year (the basis for choosing outstanding grid workers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WorkerFigures {
    pub worker_id: String,
    pub worker_name: String,
    pub township_code: Option<String>,
    pub patrols: i64,
    /// Distinct days with a patrol.
    pub days_patrolled: i64,
    /// Distinct enterprises visited.
    pub enterprises_visited: i64,
    pub problems_found: i64,
    /// Hazards from those problems that are closed now.
    pub hazards_closed: i64,
    pub publicity_events: i64,
    pub audience: i64,
}

/// The columns the figures sort by (descending, then by name).
pub const SORTS: &[&str] = &["patrols", "days", "enterprises", "problems", "closed", "publicity", "audience", "name"];

fn sort_key(w: &WorkerFigures, by: &str) -> i64 {
    match by {
        "days" => w.days_patrolled,
        "enterprises" => w.enterprises_visited,
        "problems" => w.problems_found,
        "closed" => w.hazards_closed,
        "publicity" => w.publicity_events,
        "audience" => w.audience,
        _ => w.patrols,
    }
}

/// Per-worker figures in scope for a local calendar year, sorted by `sort` (default patrols).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn figures(ctx: &Ctx, actor: &Actor, year: i32, sort: &str) -> ServiceResult<Vec<WorkerFigures>> {
    let sort = if sort.trim().is_empty() { "patrols" } else { sort.trim() };
    if !SORTS.contains(&sort) {
        return Err(ServiceError::Invalid(vec![FieldError::new("sort", "patrol.sort.invalid").with_detail(sort.to_string())]));
    }
    let (from, to): (NaiveDate, NaiveDate) = rules::year_range(year)
        .filter(|_| (2000..=2100).contains(&year))
        .ok_or_else(|| ServiceError::field("year", "patrol.year.invalid"))?;
    let (scope, me) = (actor.scope(), me(actor));
    let db = &ctx.db.read;
    let mut by_worker: std::collections::BTreeMap<String, WorkerFigures> = Default::default();
    let entry = |m: &mut std::collections::BTreeMap<String, WorkerFigures>, id: &str, name: &str, town: &Option<String>| {
        let w = m.entry(id.to_string()).or_insert_with(|| WorkerFigures {
            worker_id: id.into(),
            worker_name: name.into(),
            ..Default::default()
        });
        if w.township_code.is_none() {
            w.township_code = town.clone();
        }
    };
    for p in repo::patrol_figures(db, &ctx.tenant, &scope, me.as_deref(), from, to).await? {
        entry(&mut by_worker, &p.worker_id, &p.worker_name, &p.township_code);
        if let Some(w) = by_worker.get_mut(&p.worker_id) {
            (w.patrols, w.days_patrolled, w.enterprises_visited, w.problems_found) = (p.patrols, p.days, p.enterprises, p.problems);
        }
    }
    for c in repo::closed_hazards(db, &ctx.tenant, &scope, me.as_deref(), from, to).await? {
        entry(&mut by_worker, &c.worker_id, &c.worker_name, &c.township_code);
        if let Some(w) = by_worker.get_mut(&c.worker_id) {
            w.hazards_closed = c.n;
        }
    }
    for c in repo::publicity_figures(db, &ctx.tenant, &scope, me.as_deref(), from, to).await? {
        entry(&mut by_worker, &c.worker_id, &c.worker_name, &c.township_code);
        if let Some(w) = by_worker.get_mut(&c.worker_id) {
            (w.publicity_events, w.audience) = (c.n, c.total);
        }
    }
    let mut rows: Vec<WorkerFigures> = by_worker.into_values().collect();
    sort_rows(&mut rows, sort);
    Ok(rows)
}

/// By name, or by a figure (most first, then by name).
fn sort_rows(rows: &mut [WorkerFigures], sort: &str) {
    if sort == "name" {
        rows.sort_by(|a, b| a.worker_name.cmp(&b.worker_name));
    } else {
        rows.sort_by(|a, b| sort_key(b, sort).cmp(&sort_key(a, sort)).then_with(|| a.worker_name.cmp(&b.worker_name)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problems_errors_name_the_problem_field_and_its_row() {
        let e = in_row(2, FieldError::new("deadline", "hazard.deadline.before_found").with_detail("2024-01-01"));
        assert_eq!((e.field, e.code, e.detail.as_deref()), ("problem_deadline", "hazard.deadline.before_found", Some("#2 2024-01-01")));
        assert_eq!(in_row(1, FieldError::new("responsible_unit_id", "field.required")).field, "problem_organisation_id");
        assert!(ProblemForm { grade: "general".into(), ..Default::default() }.is_blank(), "a blank row with the default grade is skipped");
    }

    #[test]
    fn figures_sort_by_the_chosen_column_descending() {
        let w = |name: &str, patrols, audience| WorkerFigures { worker_name: name.into(), patrols, audience, ..Default::default() };
        let mut rows = [w("甲", 1, 50), w("乙", 3, 10), w("丙", 3, 0)];
        sort_rows(&mut rows, "audience");
        assert_eq!(rows[0].worker_name, "甲");
        sort_rows(&mut rows, "patrols");
        let names: Vec<&str> = rows.iter().map(|r| r.worker_name.as_str()).collect();
        assert_eq!(names, ["丙", "乙", "甲"], "ties by name");
    }
}
