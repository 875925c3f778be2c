//! Hazards and their closed loop (闭环, measures 13, 16, 24; DESIGN.md §6). A hazard is
//! reported at a unit, confirmed (with a deadline) or rejected, rectified with photos of the
//! fix, and accepted by someone other than the person who fixed it; a major hazard also needs
//! a governance plan and a supervisor's check before it closes. Every transition is an event
//! and an audit entry, written with the state change in one transaction. The rules are the
//! domain's (`anze_domain::hazard`); this module decides who may ask and writes the result.

use crate::org::{get as get_org, target_of};
use crate::photo::{self, CheckedPhoto};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::{Action, Target};
use anze_domain::escalation::{self, Audience};
use anze_domain::hazard::{
    self as rules, ActorFacts, GovernancePlan, Grade, HazardFacts, HazardInput, HazardState, NewHazard, RejectReason, Transition,
};
use anze_domain::time::local_date;
use anze_domain::{Collector, FieldError};
use anze_store::TransactionTrait;
use anze_store::entity::{hazard, hazard_escalation, hazard_event, hazard_photo, hazard_report, notification};
/// The hazard as lists and pages show it (a read model).
pub use anze_store::repo::hazard::Hazard;
use anze_store::repo::hazard::{self as repo, GroupBy, HazardCount, HazardEvent, HazardFilter, HazardPhoto, HazardReport};
use anze_store::repo::org::{Enterprise, Organisation};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde::Serialize;
use uuid::Uuid;

/// A hazard as typed on a page or sent to the API, with its photos as found.
#[derive(Debug, Clone, Default)]
pub struct NewHazardForm {
    pub organisation_id: String,
    pub description: String,
    pub location: String,
    pub grade: String,
    pub category: String,
    pub origin: String,
    pub direction: String,
    pub responsible_person: String,
    pub found_on: String,
    pub deadline: String,
    pub measures: String,
    pub funds: String,
    pub photos: Vec<Vec<u8>>,
}

fn actor_id(actor: &Actor) -> Option<String> {
    actor.user_id.map(|u| u.to_string())
}

fn target_of_hazard(h: &Hazard) -> Target {
    Target {
        kind: anze_domain::org::OrgKind::parse(&h.organisation_kind).unwrap_or(anze_domain::org::OrgKind::Enterprise),
        organisation_id: Uuid::parse_str(&h.organisation_id).unwrap_or_default(),
        region_path: h.region_path.clone(),
        industry_code: h.industry_code.clone(),
    }
}

fn invalid(errors: Vec<FieldError>) -> ServiceError {
    ServiceError::Invalid(errors)
}

fn input_of(form: &NewHazardForm) -> HazardInput<'_> {
    HazardInput {
        description: &form.description,
        location: &form.location,
        grade: &form.grade,
        category: &form.category,
        origin: &form.origin,
        direction: &form.direction,
        responsible_unit_id: &form.organisation_id,
        responsible_person: &form.responsible_person,
        found_on: &form.found_on,
        deadline: &form.deadline,
        measures: &form.measures,
        funds: &form.funds,
    }
}

/// Every field and photo checked at once: the hazard and its photos, or all the problems.
async fn check_new(form: &NewHazardForm, today: NaiveDate) -> Result<(NewHazard, Vec<CheckedPhoto>), ServiceError> {
    let mut c = Collector::default();
    let parsed = rules::parse_new(&input_of(form), today).map_err(|e| e.into_iter().for_each(|e| c.push(e))).ok();
    let photos = c.ok(photo::check_all(form.photos.clone()).await);
    match (parsed, photos) {
        (Some(h), Some(p)) if c.is_empty() => Ok((h, p)),
        _ => Err(invalid(c.0)),
    }
}

/// Reports a hazard at a unit in the actor's scope (404 outside it). Every field and photo is
/// checked first; the hazard, its photos, its first event and the audit entry are one write.
pub async fn report(ctx: &Ctx, actor: &Actor, form: &NewHazardForm, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let p = prepare(ctx, actor, form, now).await?;
    let tx = ctx.db.write.begin().await?;
    let id = insert_prepared(&tx, ctx, actor, p, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A hazard checked by the rules and placed at its unit, not yet written.
pub(crate) struct Prepared {
    o: Organisation,
    e: Option<Enterprise>,
    h: NewHazard,
    photos: Vec<CheckedPhoto>,
}

impl Prepared {
    pub(crate) fn organisation_id(&self) -> &str {
        &self.o.id
    }
}

/// Checks a hazard as `report` does (fields, photos, the unit in scope, the right to report
/// there) without writing it, so another use case (a grid patrol) writes it in its own
/// transaction.
pub(crate) async fn prepare(ctx: &Ctx, actor: &Actor, form: &NewHazardForm, now: DateTime<Utc>) -> ServiceResult<Prepared> {
    let org_id = Uuid::parse_str(form.organisation_id.trim()).ok();
    let checked = check_new(form, local_date(now)).await;
    let (h, photos) = match (checked, org_id) {
        (Ok(x), Some(_)) => x,
        (Err(ServiceError::Invalid(mut e)), None) if !form.organisation_id.trim().is_empty() => {
            e.push(FieldError::new("organisation_id", "hazard.unit.unknown"));
            return Err(invalid(e));
        }
        (Err(e), _) => return Err(e),
        (Ok(_), None) => return Err(ServiceError::field("organisation_id", "hazard.unit.unknown")),
    };
    let org_id = org_id.ok_or(ServiceError::NotFound)?;
    let (o, e) = get_org(ctx, actor, org_id).await.map_err(|e| match e {
        ServiceError::NotFound => ServiceError::field("organisation_id", "hazard.unit.unknown"),
        other => other,
    })?;
    if !actor.can(Action::Report, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    Ok(Prepared { o, e, h, photos })
}

/// Writes a prepared hazard inside the caller's transaction.
pub(crate) async fn insert_prepared<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    actor: &Actor,
    p: Prepared,
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    insert_new(tx, ctx, actor, &p.o, p.e.as_ref(), &p.h, p.photos, now).await
}

/// A hazard found at an inspection's failed item, written in the inspection's transaction,
/// with the item's photos (already stored) as its photos as found.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_found<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    actor: &Actor,
    o: &Organisation,
    e: Option<&Enterprise>,
    h: &NewHazard,
    photo_ids: &[String],
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let id = insert_new(tx, ctx, actor, o, e, h, vec![], now).await?;
    for photo_id in photo_ids {
        repo::insert_photo_link(
            tx,
            hazard_photo::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                hazard_id: Set(id.to_string()),
                event_id: Set(None),
                phase: Set("before".into()),
                photo_id: Set(photo_id.clone()),
            },
        )
        .await?;
    }
    Ok(id)
}

/// Writes a checked hazard with its photos as found, its first event and the audit entry,
/// inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
async fn insert_new<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    actor: &Actor,
    o: &Organisation,
    e: Option<&Enterprise>,
    h: &NewHazard,
    photos: Vec<CheckedPhoto>,
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let id = anze_domain::ids::new_id();
    let row = hazard::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(o.id.clone()),
        organisation_kind: Set(o.kind.clone()),
        region_path: Set(o.region_path.clone()),
        township_code: Set(o.township_code.clone()),
        industry_code: Set(e.map(|e| e.industry_code.clone())),
        description: Set(h.description.clone()),
        location: Set(h.location.clone()),
        grade: Set(h.grade.as_str().into()),
        category: Set(h.category.as_str().into()),
        origin: Set(h.origin.as_str().into()),
        direction: Set(h.direction.as_str().into()),
        state: Set(HazardState::Reported.as_str().into()),
        responsible_person: Set(h.responsible_person.clone()),
        found_on: Set(h.found_on),
        deadline: Set(h.deadline),
        measures: Set(h.measures.clone().unwrap_or_default()),
        funds_fen: Set(h.funds_fen.and_then(|f| i64::try_from(f).ok())),
        reported_by_id: Set(actor_id(actor)),
        reported_by_name: Set(actor.name.clone()),
        fixed_by_id: Set(None),
        supervisor_checked: Set(false),
        listed: Set(false),
        merged_into: Set(None),
        closed_on: Set(None),
        days_to_close: Set(None),
        exposure: Set("none".into()),
        exposed_at: Set(None),
        exposed_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    repo::insert(tx, row).await?;
    repo::refresh_summary(tx, &ctx.tenant, &o.id, local_date(now), now).await?;
    let event = insert_event(tx, actor, &id.to_string(), "report", HazardState::Reported, HazardState::Reported, "", now).await?;
    let photo_ids = attach(tx, ctx, actor, &id.to_string(), &o.id, &event, "before", photos, now).await?;
    let changes = serde_json::json!({"hazard": [null, {
        "unit": o.id, "grade": h.grade.as_str(), "category": h.category.as_str(), "origin": h.origin.as_str(),
        "direction": h.direction.as_str(), "description": h.description, "found_on": h.found_on.to_string(),
        "deadline": h.deadline.map(|d| d.to_string()), "photos": photo_ids,
    }]});
    audit::record(tx, ctx, actor, now, "hazard.report", "hazard", &id.to_string(), changes).await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_event<C: sea_orm::ConnectionTrait>(
    db: &C,
    actor: &Actor,
    hazard_id: &str,
    action: &str,
    from: HazardState,
    to: HazardState,
    note: &str,
    now: DateTime<Utc>,
) -> ServiceResult<String> {
    let id = anze_domain::ids::new_id().to_string();
    repo::insert_event(
        db,
        hazard_event::ActiveModel {
            id: Set(id.clone()),
            hazard_id: Set(hazard_id.to_string()),
            action: Set(action.to_string()),
            from_state: Set(from.as_str().into()),
            to_state: Set(to.as_str().into()),
            note: Set(note.to_string()),
            actor_id: Set(actor_id(actor)),
            actor_name: Set(actor.name.clone()),
            at: Set(now),
        },
    )
    .await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn attach<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    actor: &Actor,
    hazard_id: &str,
    organisation_id: &str,
    event_id: &str,
    phase: &str,
    photos: Vec<CheckedPhoto>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<String>> {
    let mut ids = vec![];
    for p in photos {
        let photo_id = photo::insert(db, ctx, actor, organisation_id, p, now).await?;
        repo::insert_photo_link(
            db,
            hazard_photo::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                hazard_id: Set(hazard_id.to_string()),
                event_id: Set(Some(event_id.to_string())),
                phase: Set(phase.to_string()),
                photo_id: Set(photo_id.clone()),
            },
        )
        .await?;
        ids.push(photo_id);
    }
    Ok(ids)
}

/// A transition as asked for on a page or by the API: its kind and whatever it needs.
#[derive(Debug, Clone, Default)]
pub struct TransitionForm {
    pub action: String,
    pub note: String,
    /// `not_real` or `duplicate` (reject).
    pub reason: String,
    /// The hazard a duplicate is merged into (reject).
    pub merged_into: String,
    /// A deadline set while confirming, when the report came without one.
    pub deadline: String,
    /// Photos of the fix (submit_fix).
    pub photos: Vec<Vec<u8>>,
}

/// Who may ask for a transition, before the domain decides whether it may happen now.
fn may(actor: &Actor, action: &str, target: &Target) -> bool {
    let edit = actor.can(Action::Edit, target);
    let inspect = actor.can(Action::Inspect, target);
    match action {
        "start_rectification" | "submit_fix" => edit,
        "supervisor_check" => inspect,
        _ => edit || inspect,
    }
}

fn parse_transition(f: &TransitionForm, photos: usize) -> Result<Transition, FieldError> {
    Ok(match f.action.trim() {
        "confirm" => Transition::Confirm,
        "reject" => Transition::Reject {
            reason: RejectReason::parse(f.reason.trim()).ok_or_else(|| FieldError::new("reason", "hazard.reject.reason_invalid"))?,
            note: f.note.clone(),
            merged_into: Some(f.merged_into.clone()).filter(|m| !m.trim().is_empty()),
        },
        "start_rectification" => Transition::StartRectification,
        "submit_fix" => Transition::SubmitFix { after_photos: photos },
        "supervisor_check" => Transition::SupervisorCheck,
        "accept" => Transition::Accept,
        "fail_acceptance" => Transition::FailAcceptance { reason: f.note.clone() },
        "reopen" => Transition::Reopen { reason: f.note.clone() },
        _ => return Err(FieldError::new("action", "hazard.transition.unknown")),
    })
}

fn facts(h: &Hazard, plan: Option<GovernancePlan>) -> ServiceResult<HazardFacts> {
    Ok(HazardFacts {
        id: h.id.clone(),
        state: HazardState::parse(&h.state).ok_or_else(|| ServiceError::Internal(format!("hazard state {}", h.state)))?,
        grade: Grade::parse(&h.grade).ok_or_else(|| ServiceError::Internal(format!("hazard grade {}", h.grade)))?,
        deadline: h.deadline,
        fixed_by: h.fixed_by_id.clone(),
        plan,
        supervisor_checked: h.supervisor_checked,
    })
}

fn plan_of(p: repo::GovernancePlan) -> GovernancePlan {
    GovernancePlan {
        aims: p.aims,
        measures: p.measures,
        funds_and_materials: p.funds_and_materials,
        people: p.people,
        deadline: Some(p.deadline),
        safety_and_emergency_measures: p.safety_and_emergency_measures,
    }
}

async fn in_scope(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<Hazard> {
    repo::get(&ctx.db.read, &ctx.tenant, &actor.scope(), &id.to_string()).await?.ok_or(ServiceError::NotFound)
}

/// Moves a hazard one step. Who may ask is checked first (403), then the domain's rules on
/// the hazard as it is (422 naming the field); the new state, the event, any photos of the
/// fix and the audit entry are written together.
pub async fn transition(ctx: &Ctx, actor: &Actor, id: Uuid, form: &TransitionForm, now: DateTime<Utc>) -> ServiceResult<HazardState> {
    let mut h = in_scope(ctx, actor, id).await?;
    if !may(actor, form.action.trim(), &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let photos = photo::check_all(form.photos.clone()).await.map_err(|e| invalid(vec![e]))?;
    let t = parse_transition(form, photos.len()).map_err(|e| invalid(vec![e]))?;
    let mut f = facts(&h, repo::plan(&ctx.db.read, &h.id).await?.map(plan_of))?;
    if matches!(t, Transition::Confirm) && !form.deadline.trim().is_empty() {
        let d = anze_domain::time::parse_date(&form.deadline).ok_or_else(|| ServiceError::field("deadline", "field.date_invalid"))?;
        rules::check_deadline(h.found_on, d).map_err(|e| invalid(vec![e]))?;
        f.deadline = Some(d);
        h.deadline = Some(d);
    }
    if let Transition::Reject { merged_into: Some(m), .. } = &t {
        let other = repo::by_id(&ctx.db.read, &ctx.tenant, m.trim()).await?;
        if other.is_none_or(|o| o.organisation_id != h.organisation_id) {
            return Err(ServiceError::field("merged_into", "hazard.reject.merged_into_unknown"));
        }
    }
    let supervises = actor.can(Action::Inspect, &target_of_hazard(&h));
    let who = ActorFacts { user_id: actor_id(actor).unwrap_or_else(|| actor.name.clone()), supervises };
    let applied = rules::apply(&f, &t, &who).map_err(|e| invalid(vec![e]))?;
    let from = f.state;
    let before = h.clone();
    h.state = applied.state.as_str().into();
    h.fixed_by_id = applied.fixed_by.clone();
    h.supervisor_checked = applied.supervisor_checked;
    h.updated_at = now;
    if let Transition::Reject { merged_into, .. } = &t {
        h.merged_into = merged_into.as_ref().map(|m| m.trim().to_string());
    }
    let today = local_date(now);
    match applied.state {
        HazardState::Closed => {
            h.closed_on = Some(today);
            h.days_to_close = Some((today - h.found_on).num_days().max(0));
        }
        _ => {
            h.closed_on = None;
            h.days_to_close = None;
        }
    }
    let note = match &t {
        Transition::Reject { note, .. } => note.clone(),
        Transition::FailAcceptance { reason } | Transition::Reopen { reason } => reason.clone(),
        _ => form.note.trim().to_string(),
    };
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, h.clone()).await?;
    repo::refresh_summary(&tx, &ctx.tenant, &h.organisation_id, local_date(now), now).await?;
    let event = insert_event(&tx, actor, &h.id, t.kind(), from, applied.state, &note, now).await?;
    let photo_ids = attach(&tx, ctx, actor, &h.id, &h.organisation_id, &event, "after", photos, now).await?;
    let changes = serde_json::json!({
        "state": [before.state, h.state], "deadline": [before.deadline, h.deadline],
        "fixed_by": [before.fixed_by_id, h.fixed_by_id], "supervisor_checked": [before.supervisor_checked, h.supervisor_checked],
        "note": note, "photos": photo_ids,
    });
    audit::record(&tx, ctx, actor, now, &format!("hazard.{}", t.kind()), "hazard", &h.id, changes).await?;
    tx.commit().await?;
    Ok(applied.state)
}

/// A governance plan as typed.
#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    pub aims: String,
    pub measures: String,
    pub funds_and_materials: String,
    pub people: String,
    pub deadline: String,
    pub safety_and_emergency_measures: String,
}

/// Stores (or revises) the governance plan of a hazard; editors of its unit only.
pub async fn save_plan(ctx: &Ctx, actor: &Actor, id: Uuid, form: &PlanForm, now: DateTime<Utc>) -> ServiceResult<()> {
    let h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Edit, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let mut c = Collector::default();
    let deadline = if form.deadline.trim().is_empty() {
        None
    } else {
        c.ok(anze_domain::time::parse_date(&form.deadline).ok_or_else(|| FieldError::new("plan_deadline", "field.date_invalid")))
    };
    let plan = GovernancePlan {
        aims: form.aims.trim().into(),
        measures: form.measures.trim().into(),
        funds_and_materials: form.funds_and_materials.trim().into(),
        people: form.people.trim().into(),
        deadline,
        safety_and_emergency_measures: form.safety_and_emergency_measures.trim().into(),
    };
    if let Err(errors) = plan.validate() {
        errors.into_iter().filter(|e| e.field != "plan_deadline" || form.deadline.trim().is_empty()).for_each(|e| c.push(e));
    }
    if let Some(d) = deadline.filter(|d| *d < h.found_on) {
        c.push(FieldError::new("plan_deadline", "hazard.deadline.before_found").with_detail(d.to_string()));
    }
    let (true, Some(deadline)) = (c.is_empty(), deadline) else { return Err(invalid(c.0)) };
    let before = repo::plan(&ctx.db.read, &h.id).await?;
    let row = repo::GovernancePlan {
        hazard_id: h.id.clone(),
        aims: plan.aims,
        measures: plan.measures,
        funds_and_materials: plan.funds_and_materials,
        people: plan.people,
        deadline,
        safety_and_emergency_measures: plan.safety_and_emergency_measures,
        updated_by: actor.name.clone(),
        updated_at: now,
    };
    let tx = ctx.db.write.begin().await?;
    repo::save_plan(&tx, row.clone()).await?;
    let changes = serde_json::json!({"plan": [before, row]});
    audit::record(&tx, ctx, actor, now, "hazard.plan", "hazard", &h.id, changes).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts a major open hazard under listed supervision (挂牌督办), or lifts it; officials with
/// inspection powers over its unit.
pub async fn set_listed(ctx: &Ctx, actor: &Actor, id: Uuid, listed: bool, now: DateTime<Utc>) -> ServiceResult<()> {
    let mut h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Inspect, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let f = facts(&h, None)?;
    if listed {
        rules::check_listing(f.state, f.grade).map_err(|e| invalid(vec![e]))?;
    }
    if h.listed == listed {
        return Ok(());
    }
    h.listed = listed;
    h.updated_at = now;
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, h.clone()).await?;
    audit::record(&tx, ctx, actor, now, "hazard.listing", "hazard", &h.id, serde_json::json!({"listed": [!listed, listed]})).await?;
    tx.commit().await?;
    Ok(())
}

/// One hazard with its history, photos and plan, and what this actor may do next.
#[derive(Debug, Clone, Serialize)]
pub struct HazardDetail {
    pub hazard: Hazard,
    pub events: Vec<HazardEvent>,
    pub photos: Vec<HazardPhoto>,
    pub plan: Option<repo::GovernancePlan>,
    pub days_overdue: u32,
    /// Transitions the state allows and this actor may ask for.
    pub actions: Vec<&'static str>,
    pub can_plan: bool,
    pub can_list: bool,
    /// Overdue long enough to be exposed, and this actor may approve it.
    pub can_expose: bool,
    /// The employee's report behind it, with the reward.
    pub report: Option<HazardReport>,
    /// This actor may grant and pay the reward (the unit's editors).
    pub can_reward: bool,
}

pub async fn detail(ctx: &Ctx, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> ServiceResult<HazardDetail> {
    let h = in_scope(ctx, actor, id).await?;
    let f = facts(&h, None)?;
    let target = target_of_hazard(&h);
    let actions = rules::available(f.state, f.grade).into_iter().filter(|a| may(actor, a, &target)).collect();
    let events = repo::events(&ctx.db.read, &h.id).await?;
    let photos = repo::photos(&ctx.db.read, &h.id).await?;
    let plan = repo::plan(&ctx.db.read, &h.id).await?;
    let days_overdue = rules::days_overdue(f.state, h.deadline, local_date(now));
    let can_plan = f.state.is_open() && actor.can(Action::Edit, &target);
    let can_list = f.grade == Grade::Major && f.state.is_open() && actor.can(Action::Inspect, &target);
    let can_expose = is_exposure_candidate(ctx, &h, local_date(now)) && actor.can(Action::Inspect, &target);
    let report = repo::report_of(&ctx.db.read, &h.id).await?;
    let can_reward = report.is_some() && actor.can(Action::Edit, &target);
    Ok(HazardDetail { hazard: h, events, photos, plan, days_overdue, actions, can_plan, can_list, can_expose, report, can_reward })
}

/// Filters as typed in a query string (codes); empty means "any".
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub township: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    /// `1`: only hazards past their deadline today.
    #[serde(default)]
    pub overdue: Option<String>,
    #[serde(default)]
    pub listed: Option<String>,
    /// The last id of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Resolves typed filters, refusing unknown codes by name.
pub fn filter_of(q: &ListQuery, today: NaiveDate) -> ServiceResult<HazardFilter> {
    let mut c = Collector::default();
    let vocab = |c: &mut Collector, field: &'static str, v: &Option<String>, ok: fn(&str) -> bool| {
        let v = some(v);
        if let Some(x) = &v
            && !ok(x)
        {
            c.push(FieldError::new(field, "field.unknown_code").with_detail(x.clone()));
        }
        v
    };
    let state = vocab(&mut c, "state", &q.state, |s| HazardState::parse(s).is_some());
    let grade = vocab(&mut c, "grade", &q.grade, |s| Grade::parse(s).is_some());
    let origin = vocab(&mut c, "origin", &q.origin, |s| rules::Origin::parse(s).is_some());
    let category = vocab(&mut c, "category", &q.category, |s| rules::Category::parse(s).is_some());
    if !c.is_empty() {
        return Err(invalid(c.0));
    }
    Ok(HazardFilter {
        state,
        grade,
        origin,
        category,
        township_code: some(&q.township),
        industry_code: some(&q.industry),
        organisation_id: some(&q.organisation),
        overdue_on: some(&q.overdue).filter(|v| v == "1" || v == "true").map(|_| today),
        listed: some(&q.listed).map(|v| v == "1" || v == "true"),
    })
}

/// A page of hazards in scope, newest first, with the cursor of the next page.
pub async fn list(ctx: &Ctx, actor: &Actor, q: &ListQuery, limit: u64, now: DateTime<Utc>) -> ServiceResult<(Vec<Hazard>, Option<String>)> {
    let f = filter_of(q, local_date(now))?;
    let mut rows = repo::list(&ctx.db.read, &ctx.tenant, &actor.scope(), &f, some(&q.after).as_deref(), limit + 1).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|h| h.id.clone())
    } else {
        None
    };
    Ok((rows, next))
}

/// One row of the overview: a group's figures with its closure rate and mean days to close.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverviewRow {
    pub key: Option<String>,
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub major: i64,
    pub closed: i64,
    /// Closed ÷ total, in per mille (0 with no hazards).
    pub closure_permille: i64,
    /// Mean days from finding to closure of the closed ones, in tenths of a day.
    pub mean_days_to_close_tenths: Option<i64>,
}

fn row_of(c: HazardCount) -> OverviewRow {
    OverviewRow {
        closure_permille: if c.total > 0 { c.closed * 1000 / c.total } else { 0 },
        mean_days_to_close_tenths: (c.closed > 0).then(|| c.days_to_close * 10 / c.closed),
        key: c.key,
        total: c.total,
        open: c.open,
        overdue: c.overdue,
        major: c.major,
        closed: c.closed,
    }
}

/// The hazards in scope grouped by township, industry, origin, grade or state, with a total.
pub async fn overview(ctx: &Ctx, actor: &Actor, q: &ListQuery, by: &str, now: DateTime<Utc>) -> ServiceResult<Overview> {
    let today = local_date(now);
    let f = filter_of(q, today)?;
    let by = match by {
        "" | "township" => GroupBy::Township,
        "industry" => GroupBy::Industry,
        "origin" => GroupBy::Origin,
        "grade" => GroupBy::Grade,
        "state" => GroupBy::State,
        other => return Err(ServiceError::Invalid(vec![FieldError::new("by", "field.unknown_code").with_detail(other.to_string())])),
    };
    // By place, and narrowed by place only, the per-unit summaries answer (ADR 0009); any other
    // cut reads the hazards themselves.
    let by_place = matches!(by, GroupBy::Township | GroupBy::Industry);
    let place_only = f.state.is_none()
        && f.grade.is_none()
        && f.origin.is_none()
        && f.category.is_none()
        && f.overdue_on.is_none()
        && f.listed.is_none();
    let (rows, overdue_as_of) = if by_place && place_only {
        let (rows, as_of) = repo::summary_counts(
            &ctx.db.read,
            &ctx.tenant,
            &actor.scope(),
            f.township_code.as_deref(),
            f.industry_code.as_deref(),
            f.organisation_id.as_deref(),
            by,
        )
        .await?;
        (rows, as_of.filter(|d| *d < today))
    } else {
        (repo::counts(&ctx.db.read, &ctx.tenant, &actor.scope(), &f, by, today).await?, None)
    };
    let mut total = HazardCount { key: None, total: 0, open: 0, overdue: 0, major: 0, closed: 0, days_to_close: 0 };
    for r in &rows {
        total.total += r.total;
        total.open += r.open;
        total.overdue += r.overdue;
        total.major += r.major;
        total.closed += r.closed;
        total.days_to_close += r.days_to_close;
    }
    Ok(Overview { rows: rows.into_iter().map(row_of).collect(), total: row_of(total), overdue_as_of })
}

/// The hazard overview: one row per group and the total.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub rows: Vec<OverviewRow>,
    pub total: OverviewRow,
    /// Set when some overdue figures were counted before today (the daily refresh has not run
    /// yet today): the day they were counted on.
    pub overdue_as_of: Option<NaiveDate>,
}

/// Brings every unit's hazard summary to the day (the daily job: overdue moves with the
/// date); returns how many units have hazards.
pub async fn refresh_summaries(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<usize> {
    let tx = ctx.db.write.begin().await?;
    let n = repo::refresh_all_summaries(&tx, &ctx.tenant, local_date(now), now).await?;
    tx.commit().await?;
    Ok(n)
}

/// An employee's report from the phone page behind the enterprise's QR code (measure 13:
/// 员工自主排查隐患报告). Name and last four are optional: left empty, the report is anonymous.
#[derive(Debug, Clone, Default)]
pub struct PhoneReport {
    pub description: String,
    pub location: String,
    pub category: String,
    pub name: String,
    pub last4: String,
    pub photos: Vec<Vec<u8>>,
}

/// What the phone shows after a report: the code to claim a reward with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub hazard_id: Uuid,
    pub code: String,
    pub suspected_duplicate: bool,
}

/// Files an employee's report: the hazard (origin `employee_report`, reported up, general until
/// the enterprise grades it), its photos, the report with a receipt code, and a flag when an
/// open hazard of the unit reads alike, in one transaction. A revoked or unknown QR code is
/// refused like the signing page; a name that matches no one is refused by field (it would
/// otherwise send a reward to nobody).
pub async fn phone_report(ctx: &Ctx, token: &str, r: &PhoneReport, address: &str, now: DateTime<Utc>) -> ServiceResult<Receipt> {
    let (org_id, _) = crate::phone::enterprise_of(ctx, token).await?;
    let named = !r.name.trim().is_empty() || !r.last4.trim().is_empty();
    let holder = if named {
        let who = crate::phone::Identity { name: r.name.clone(), last4: r.last4.clone() };
        Some(crate::phone::identify(ctx, token, &who).await?.0)
    } else {
        None
    };
    let today = local_date(now);
    let form = NewHazardForm {
        organisation_id: org_id.clone(),
        description: r.description.clone(),
        location: r.location.clone(),
        grade: Grade::General.as_str().into(),
        category: r.category.clone(),
        origin: rules::Origin::EmployeeReport.as_str().into(),
        direction: rules::Direction::ReportedUp.as_str().into(),
        found_on: today.to_string(),
        photos: r.photos.clone(),
        ..Default::default()
    };
    let (h, photos) = check_new(&form, today).await?;
    let uid = Uuid::parse_str(&org_id).map_err(|_| ServiceError::NotFound)?;
    let system = Actor::system("phone");
    let (o, e) = get_org(ctx, &system, uid).await?;
    let reporter = Actor {
        name: holder.as_ref().map_or_else(|| "匿名员工".to_string(), |p| format!("员工：{}", p.name)),
        ..Actor::system("phone")
    };
    let since = today - chrono::Duration::days(rules::DUPLICATE_WINDOW_DAYS);
    let candidates = repo::open_since(&ctx.db.read, &o.id, since).await?;
    let duplicate = rules::suspected_duplicate(&h.description, &candidates).map(String::from);
    let code: String = crate::auth::random_secret().chars().filter(char::is_ascii_alphanumeric).take(8).collect::<String>().to_uppercase();
    let tx = ctx.db.write.begin().await?;
    let id = insert_new(&tx, ctx, &reporter, &o, e.as_ref(), &h, photos, now).await?;
    repo::insert_report(
        &tx,
        hazard_report::ActiveModel {
            hazard_id: Set(id.to_string()),
            person_id: Set(holder.as_ref().map(|p| p.person_id.clone())),
            reporter_name: Set(holder.as_ref().map(|p| p.name.clone())),
            receipt_code: Set(code.clone()),
            address: Set(address.to_string()),
            suspected_duplicate_of: Set(duplicate.clone()),
            reward_fen: Set(None),
            reward_granted_by: Set(None),
            reward_granted_at: Set(None),
            paid_by: Set(None),
            paid_at: Set(None),
            payout_note: Set(String::new()),
            created_at: Set(now),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Receipt { hazard_id: id, code, suspected_duplicate: duplicate.is_some() })
}

async fn reported(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<(Hazard, HazardReport)> {
    let h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Edit, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let r = repo::report_of(&ctx.db.read, &h.id).await?.ok_or(ServiceError::Refused("hazard.reward.no_report"))?;
    Ok((h, r))
}

/// Grants the reward of a verified employee report (the enterprise's editors).
pub async fn grant_reward(ctx: &Ctx, actor: &Actor, id: Uuid, amount: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (h, mut r) = reported(ctx, actor, id).await?;
    let state = HazardState::parse(&h.state).ok_or_else(|| ServiceError::Internal(format!("hazard state {}", h.state)))?;
    let fen = rules::check_reward(state, r.reward_fen.is_some(), amount).map_err(|e| invalid(vec![e]))?;
    r.reward_fen = Some(i64::try_from(fen).map_err(|_| ServiceError::field("amount", "hazard.reward.too_large"))?);
    r.reward_granted_by = Some(actor.name.clone());
    r.reward_granted_at = Some(now);
    let tx = ctx.db.write.begin().await?;
    repo::update_report(&tx, r).await?;
    audit::record(&tx, ctx, actor, now, "hazard.reward", "hazard", &h.id, serde_json::json!({"reward_fen": [null, fen]})).await?;
    tx.commit().await?;
    Ok(())
}

/// Records the payout of a granted reward to whoever shows the receipt code.
pub async fn record_payout(ctx: &Ctx, actor: &Actor, id: Uuid, code: &str, note: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (h, mut r) = reported(ctx, actor, id).await?;
    if r.reward_fen.is_none() {
        return Err(ServiceError::field("receipt_code", "hazard.reward.not_granted"));
    }
    if r.paid_at.is_some() {
        return Err(ServiceError::Refused("hazard.reward.paid"));
    }
    if !code.trim().eq_ignore_ascii_case(&r.receipt_code) {
        return Err(ServiceError::field("receipt_code", "hazard.reward.code_mismatch"));
    }
    r.paid_by = Some(actor.name.clone());
    r.paid_at = Some(now);
    r.payout_note = note.trim().chars().take(500).collect();
    let tx = ctx.db.write.begin().await?;
    repo::update_report(&tx, r.clone()).await?;
    let changes = serde_json::json!({"paid": [null, {"by": actor.name, "note": r.payout_note, "reward_fen": r.reward_fen}]});
    audit::record(&tx, ctx, actor, now, "hazard.reward_paid", "hazard", &h.id, changes).await?;
    tx.commit().await?;
    Ok(())
}

/// What one run of the daily escalation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EscalationRun {
    pub overdue: usize,
    pub steps_taken: usize,
    pub notices: usize,
}

/// Who is told, and where: an organisation kind, a township and an industry.
type AudiencePlace = (&'static str, Option<String>, Option<String>);

/// The kind of the daily notice listing hazards escalated to a unit.
pub const ESCALATION_NOTICE: &str = "hazard.escalation";

fn audience_kind(a: Audience) -> Option<&'static str> {
    match a {
        Audience::Township => Some("township_office"),
        Audience::SupervisingDepartment => Some("department"),
        Audience::CityOffice => Some("committee_office"),
        Audience::Enterprise => None,
    }
}

/// Climbs the escalation ladder (DESIGN.md §6, measure 13): for every open hazard past its
/// deadline, the rungs now due and not yet taken are recorded (once each, a unique index
/// guards a second run), leave an event on the hazard, and each unit told gets one notice
/// that day naming its hazards. Idempotent within a day.
pub async fn escalate(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<EscalationRun> {
    let today = local_date(now);
    let system = Actor::system("escalation");
    let ladders = &ctx.settings.hazard_ladders;
    let overdue = repo::overdue(&ctx.db.read, &ctx.tenant, today).await?;
    let mut run = EscalationRun { overdue: overdue.len(), ..Default::default() };
    let mut told: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    // Read once per run: the rungs already taken, and each audience's units per place.
    let ids: Vec<String> = overdue.iter().map(|h| h.id.clone()).collect();
    let taken = repo::steps_taken(&ctx.db.read, &ids).await?;
    let mut audiences_of: std::collections::HashMap<AudiencePlace, Vec<String>> = Default::default();
    for h in overdue {
        let f = facts(&h, None)?;
        let days = rules::days_overdue(f.state, h.deadline, today);
        let done = taken.get(&(h.id.clone(), h.grade.clone())).map(Vec::as_slice).unwrap_or_default();
        let due = escalation::due_steps(ladders, f.grade, days, done);
        if due.is_empty() {
            continue;
        }
        let tx = ctx.db.write.begin().await?;
        for step in due {
            let Some(rung) = ladders.ladder(f.grade).steps.get(step) else { continue };
            let audiences: Vec<&str> = rung.notify.iter().map(|a| a.as_str()).collect();
            repo::insert_escalation(
                &tx,
                hazard_escalation::ActiveModel {
                    id: Set(anze_domain::ids::new_id().to_string()),
                    hazard_id: Set(h.id.clone()),
                    grade: Set(h.grade.clone()),
                    step: Set(i32::try_from(step).unwrap_or(i32::MAX)),
                    audiences: Set(audiences.join(",")),
                    days_overdue: Set(i32::try_from(days).unwrap_or(i32::MAX)),
                    taken_at: Set(now),
                },
            )
            .await?;
            let note = format!("{} · {}", audiences.join(","), days);
            insert_event(&tx, &system, &h.id, "escalate", f.state, f.state, &note, now).await?;
            let changes = serde_json::json!({"step": step, "days_overdue": days, "audiences": audiences});
            audit::record(&tx, ctx, &system, now, "hazard.escalate", "hazard", &h.id, changes).await?;
            run.steps_taken += 1;
            for a in &rung.notify {
                let units = match audience_kind(*a) {
                    Some(kind) => {
                        let key = (kind, h.township_code.clone(), h.industry_code.clone());
                        if !audiences_of.contains_key(&key) {
                            let found =
                                repo::audience_units(&tx, &ctx.tenant, kind, h.township_code.as_deref(), h.industry_code.as_deref())
                                    .await?;
                            audiences_of.insert(key.clone(), found);
                        }
                        audiences_of.get(&key).cloned().unwrap_or_default()
                    }
                    None => vec![h.organisation_id.clone()],
                };
                for unit in units {
                    told.entry(unit).or_default().push(serde_json::json!({
                        "hazard": h.id, "description": h.description, "grade": h.grade, "days_overdue": days,
                    }));
                }
            }
        }
        tx.commit().await?;
    }
    for (unit, hazards) in told {
        let row = notification::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            organisation_id: Set(unit),
            kind: Set(ESCALATION_NOTICE.into()),
            params: Set(serde_json::json!({"hazards": hazards}).to_string()),
            issued_on: Set(today),
            created_at: Set(now),
            read_at: Set(None),
        };
        if anze_store::repo::notification::issue(&ctx.db.write, row).await? {
            run.notices += 1;
        }
    }
    Ok(run)
}

/// A major hazard overdue beyond the configured days is a candidate for public exposure.
pub fn is_exposure_candidate(ctx: &Ctx, h: &Hazard, today: NaiveDate) -> bool {
    let (Some(state), Some(grade)) = (HazardState::parse(&h.state), Grade::parse(&h.grade)) else { return false };
    let days = rules::days_overdue(state, h.deadline, today);
    h.exposure == "none" && escalation::exposure_candidate(grade, days, &ctx.settings.hazard_ladders.exposure)
}

/// An official with inspection powers over the unit approves a candidate for the public page.
pub async fn approve_exposure(ctx: &Ctx, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> ServiceResult<()> {
    let mut h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Inspect, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    if !is_exposure_candidate(ctx, &h, local_date(now)) {
        return Err(ServiceError::Refused("hazard.exposure.not_candidate"));
    }
    h.exposure = "approved".into();
    h.exposed_at = Some(now);
    h.exposed_by = Some(actor.name.clone());
    h.updated_at = now;
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, h.clone()).await?;
    audit::record(&tx, ctx, actor, now, "hazard.expose", "hazard", &h.id, serde_json::json!({"exposure": ["none", "approved"]})).await?;
    tx.commit().await?;
    Ok(())
}

/// One line of the public exposure page (no sign-in): what, where, since when, how late.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExposedHazard {
    pub unit: String,
    pub description: String,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub state: String,
    pub days_overdue: u32,
    pub exposed_on: Option<NaiveDate>,
}

pub async fn exposed(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<Vec<ExposedHazard>> {
    let today = local_date(now);
    Ok(repo::exposed(&ctx.db.read, &ctx.tenant, 200)
        .await?
        .into_iter()
        .map(|(h, unit)| ExposedHazard {
            days_overdue: HazardState::parse(&h.state).map_or(0, |s| rules::days_overdue(s, h.deadline, today)),
            unit,
            description: h.description,
            found_on: h.found_on,
            deadline: h.deadline,
            state: h.state,
            exposed_on: h.exposed_at.map(local_date),
        })
        .collect())
}

/// A reward granted for a verified employee report (grid work, issue 4: the rewards API).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RewardView {
    pub hazard_id: String,
    pub organisation_id: String,
    pub township_code: Option<String>,
    pub description: String,
    /// The hazard's state now.
    pub state: String,
    /// `None` for an anonymous report.
    pub reporter_name: Option<String>,
    pub reward_fen: i64,
    pub granted_at: Option<DateTime<Utc>>,
    pub paid: bool,
    pub paid_at: Option<DateTime<Utc>>,
    /// The claim code with all but its last two characters hidden: the reporter's secret,
    /// checked on payout, is never shown in a list.
    pub receipt_code_masked: String,
}

/// Masks a receipt code: `******YZ`.
pub fn mask_receipt(code: &str) -> String {
    let n = code.chars().count();
    code.chars().enumerate().map(|(i, c)| if i + 2 < n { '*' } else { c }).collect()
}

/// Rewards granted for employee reports of hazards in scope, newest first, paid or not.
pub async fn rewards(ctx: &Ctx, actor: &Actor, after: Option<&str>, limit: u64) -> ServiceResult<(Vec<RewardView>, Option<String>)> {
    let mut rows = repo::rewards(&ctx.db.read, &ctx.tenant, &actor.scope(), after.filter(|a| !a.trim().is_empty()), limit + 1).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|(h, _)| h.id.clone())
    } else {
        None
    };
    let views = rows
        .into_iter()
        .map(|(h, r)| RewardView {
            receipt_code_masked: mask_receipt(&r.receipt_code),
            hazard_id: h.id,
            organisation_id: h.organisation_id,
            township_code: h.township_code,
            description: h.description,
            state: h.state,
            reporter_name: r.reporter_name,
            reward_fen: r.reward_fen.unwrap_or_default(),
            granted_at: r.reward_granted_at,
            paid: r.paid_at.is_some(),
            paid_at: r.paid_at,
        })
        .collect();
    Ok((views, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_parse_from_their_form_and_unknown_ones_are_named() {
        let f = |action: &str| TransitionForm { action: action.into(), ..Default::default() };
        assert_eq!(parse_transition(&f("confirm"), 0).unwrap(), Transition::Confirm);
        assert_eq!(parse_transition(&f("submit_fix"), 2).unwrap(), Transition::SubmitFix { after_photos: 2 });
        assert_eq!(parse_transition(&f("close"), 0).unwrap_err().code, "hazard.transition.unknown");
        let reject = TransitionForm { action: "reject".into(), reason: "maybe".into(), ..Default::default() };
        assert_eq!(parse_transition(&reject, 0).unwrap_err().field, "reason");
    }

    #[test]
    fn overview_rows_give_the_closure_rate_and_the_mean_days() {
        let r = row_of(HazardCount { key: None, total: 4, open: 1, overdue: 0, major: 1, closed: 3, days_to_close: 10 });
        assert_eq!(r.closure_permille, 750);
        assert_eq!(r.mean_days_to_close_tenths, Some(33));
        let empty = row_of(HazardCount { key: None, total: 0, open: 0, overdue: 0, major: 0, closed: 0, days_to_close: 0 });
        assert_eq!((empty.closure_permille, empty.mean_days_to_close_tenths), (0, None));
    }
}
