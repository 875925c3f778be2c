//! Inspections of every kind (measures 3, 12, 16, 19, 24) and the verifiable random draw
//! (双随机). A plan names its kind, lead, dates, targets and inspectors; at the site each
//! target's checklist is recorded item by item with the inspector's and the representative's
//! signatures, and a failed item becomes a hazard in the same transaction. A covert
//! inspection (四不两直) stays invisible to the target's own people until it is completed.
//!
//! A draw freezes its pool (enterprises in the drawer's inspecting jurisdiction, filtered)
//! and roster (inspectors with a unit in that jurisdiction), draws from a published seed, and
//! stores the whole record; `verify_draw` runs it again (also `anze draw verify ID`).

use crate::scope::{organisation as get_org, target_of};
use crate::sheet::{self, RowError};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::draw::{self as rule, InspectorFacts, StoredDraw, TargetFacts};
use anze_domain::hazard::{Category, Grade};
use anze_domain::inspection::{self as rules, ChecklistItem, InspectionKind, InspectionState, PlanFacts, TargetUnit};
use anze_domain::org::OrgKind;
use anze_domain::time::local_date;
use anze_store::TransactionTrait;
use anze_store::entity::{draw as draw_row, inspection, inspection_photo, inspection_result, inspection_target};
use anze_store::repo::inspection::{self as repo, Inspection, InspectionResult, InspectionTarget};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

mod checklist;
pub mod doc;
mod draw;
mod plan;
mod read;
mod visit;

pub use checklist::*;
pub use draw::*;
pub use plan::*;
pub use read::*;
pub use visit::*;

/// Whether this actor may run an inspection of this kind at this target: officials with
/// inspection powers; an enterprise's own editors for a self-inspection.
fn may_inspect(actor: &Actor, kind: InspectionKind, target: &anze_domain::auth::Target) -> bool {
    match kind {
        InspectionKind::SelfInspection => actor.can(Action::Edit, target),
        _ => actor.can(Action::Inspect, target),
    }
}

fn own_unit(actor: &Actor) -> Option<String> {
    actor.assignments.iter().find_map(|a| a.organisation_id.map(|u| u.to_string()))
}

/// Whether the actor sees this inspection: through a target in their scope, and, for the
/// target's own people, not while a covert inspection is still open.
fn sees(actor: &Actor, i: &Inspection, targets: &[InspectionTarget]) -> bool {
    let kind = InspectionKind::parse(&i.kind).unwrap_or(InspectionKind::Routine);
    let state = InspectionState::parse(&i.state).unwrap_or(InspectionState::Planned);
    targets.iter().any(|t| {
        let target = target_of_row(t);
        let official = actor.assignments.iter().any(|a| !a.role.is_organisation_bound() && a.sees(&target));
        official || (actor.can(Action::View, &target) && rules::visible_to_target(kind, state))
    })
}

fn target_of_row(t: &InspectionTarget) -> anze_domain::auth::Target {
    anze_domain::auth::Target {
        kind: OrgKind::parse(&t.organisation_kind).unwrap_or(OrgKind::Enterprise),
        organisation_id: Uuid::parse_str(&t.organisation_id).unwrap_or_default(),
        region_path: t.region_path.clone(),
        industry_code: t.industry_code.clone(),
    }
}

async fn visible(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<(Inspection, Vec<InspectionTarget>)> {
    let i = repo::get(&ctx.db.read, &ctx.tenant, &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let targets = repo::targets(&ctx.db.read, &i.id).await?;
    if !sees(actor, &i, &targets) {
        return Err(ServiceError::NotFound);
    }
    Ok((i, targets))
}

fn runs(actor: &Actor, i: &Inspection, targets: &[InspectionTarget]) -> bool {
    let kind = InspectionKind::parse(&i.kind).unwrap_or(InspectionKind::Routine);
    targets.iter().any(|t| may_inspect(actor, kind, &target_of_row(t)))
}
