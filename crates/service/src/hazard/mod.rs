//! Hazards and their closed loop (闭环, measures 13, 16, 24; DESIGN.md §6). A hazard is
//! reported at a unit, confirmed (with a deadline) or rejected, rectified with photos of the
//! fix, and accepted by someone other than the person who fixed it; a major hazard also needs
//! a governance plan and a supervisor's check before it closes. Every transition is an event
//! and an audit entry, written with the state change in one transaction. The rules are the
//! domain's (`anze_domain::hazard`); this module decides who may ask and writes the result.

use crate::evidence::{self, CheckedPhoto};
use crate::scope::{organisation as get_org, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::{Action, Target};
use anze_domain::escalation::{self as ladder, Audience};
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

mod escalation;
mod exposure;
mod overview;
mod plan;
mod report;
mod reward;
mod transition;

pub use escalation::*;
pub use exposure::*;
pub use overview::*;
pub use plan::*;
pub use report::*;
pub use reward::*;
pub use transition::*;

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

/// One step in a hazard's history: which hazard, what was done, from which state to which,
/// and the note given.
struct Step<'a> {
    hazard_id: &'a str,
    action: &'a str,
    from: HazardState,
    to: HazardState,
    note: &'a str,
}

/// Writes a step of the hazard's history; returns the event's id (photos link to it).
async fn insert_event<C: sea_orm::ConnectionTrait>(db: &C, actor: &Actor, step: Step<'_>, now: DateTime<Utc>) -> ServiceResult<String> {
    let id = anze_domain::ids::new_id().to_string();
    repo::insert_event(
        db,
        hazard_event::ActiveModel {
            id: Set(id.clone()),
            hazard_id: Set(step.hazard_id.to_string()),
            action: Set(step.action.to_string()),
            from_state: Set(step.from.as_str().into()),
            to_state: Set(step.to.as_str().into()),
            note: Set(step.note.to_string()),
            actor_id: Set(actor_id(actor)),
            actor_name: Set(actor.name.clone()),
            at: Set(now),
        },
    )
    .await?;
    Ok(id)
}

/// Where photos of a step belong: the hazard, its unit (which owns the photos), the event and
/// the phase (`before`: as found, `after`: the fix).
struct PhotoPlace<'a> {
    hazard_id: &'a str,
    organisation_id: &'a str,
    event_id: &'a str,
    phase: &'a str,
}

/// Stores the photos of a step and links them to the hazard; returns the photos' ids.
async fn attach<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    actor: &Actor,
    place: PhotoPlace<'_>,
    photos: Vec<CheckedPhoto>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<String>> {
    let PhotoPlace { hazard_id, organisation_id, event_id, phase } = place;
    let mut ids = vec![];
    for p in photos {
        let photo_id = evidence::insert(db, ctx, actor, organisation_id, p, now).await?;
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
