//! Inspections of every kind (measures 3, 12, 16, 19, 24) and the verifiable random draw
//! (双随机). A plan names its kind, lead, dates, targets and inspectors; at the site each
//! target's checklist is recorded item by item with the inspector's and the representative's
//! signatures, and a failed item becomes a hazard in the same transaction. A covert
//! inspection (四不两直) stays invisible to the target's own people until it is completed.
//!
//! A draw freezes its pool (enterprises in the drawer's inspecting jurisdiction, filtered)
//! and roster (inspectors with a unit in that jurisdiction), draws from a published seed, and
//! stores the whole record; `verify_draw` runs it again (also `anze draw verify ID`).

use crate::org::{get as get_org, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::draw::{self as rule, InspectorFacts, StoredDraw, TargetFacts};
use anze_domain::hazard::{Category, Grade};
use anze_domain::inspection::{self as rules, ChecklistItem, InspectionKind, InspectionState, PlanFacts, TargetUnit};
use anze_domain::org::OrgKind;
use anze_domain::time::local_date;
use anze_store::TransactionTrait;
use anze_store::entity::{draw, inspection, inspection_photo, inspection_result, inspection_target};
use anze_store::repo::inspection::{self as repo, Inspection, InspectionResult, InspectionTarget};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A shipped checklist: its items with the category and grade a failure is filed under.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Checklist {
    pub code: String,
    pub name: String,
    pub basis: String,
    /// `major` for the criteria of major hazards; items default to the checklist's grade.
    #[serde(default = "general")]
    pub grade: String,
    /// The industry (GB/T 4754) and inspection kind it is meant for, when it says.
    #[serde(default)]
    pub industry_code: Option<String>,
    #[serde(default)]
    pub inspection_kind: Option<String>,
    /// Imported by this city (not shipped with the platform).
    #[serde(default)]
    pub imported: bool,
    pub items: Vec<ChecklistItemText>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChecklistItemText {
    pub text: String,
    pub category: String,
    /// The grade of a failure here, when it differs from the checklist's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
}

fn general() -> String {
    Grade::General.as_str().into()
}

const SHIPPED: [&str; 3] = [
    include_str!("../checklists/responsibility-daily.toml"),
    include_str!("../checklists/major-hazard-industry-trade.toml"),
    include_str!("../checklists/hazardous-work-gb30871.toml"),
];

/// The shipped checklists (responsibility system, major-hazard criteria, GB 30871 work).
fn shipped_checklists() -> ServiceResult<Vec<Checklist>> {
    SHIPPED.iter().map(|t| toml::from_str(t).map_err(|e| ServiceError::Internal(format!("shipped checklist: {e}")))).collect()
}

fn stored_checklist(c: anze_store::repo::inspection::StoredChecklist) -> ServiceResult<Checklist> {
    let items = serde_json::from_str(&c.items).map_err(|e| ServiceError::Internal(format!("checklist {}: {e}", c.code)))?;
    Ok(Checklist {
        code: c.code,
        name: c.name,
        basis: c.basis,
        grade: c.grade,
        industry_code: c.industry_code,
        inspection_kind: c.inspection_kind,
        imported: true,
        items,
    })
}

/// Every checklist an inspection can use: the shipped ones, then the city's imported ones.
pub async fn checklists(ctx: &Ctx) -> ServiceResult<Vec<Checklist>> {
    let mut all = shipped_checklists()?;
    for c in repo::checklists(&ctx.db.read, &ctx.tenant).await? {
        all.push(stored_checklist(c)?);
    }
    Ok(all)
}

async fn checklist(ctx: &Ctx, code: &str) -> ServiceResult<Option<Checklist>> {
    if let Some(c) = shipped_checklists()?.into_iter().find(|c| c.code == code) {
        return Ok(Some(c));
    }
    repo::checklist_by_code(&ctx.db.read, &ctx.tenant, code).await?.map(stored_checklist).transpose()
}

fn items_of(c: &Checklist) -> Vec<ChecklistItem> {
    let grade = Grade::parse(&c.grade).unwrap_or(Grade::General);
    c.items
        .iter()
        .map(|i| ChecklistItem {
            text: i.text.clone(),
            category: Category::parse(&i.category).unwrap_or(Category::Management),
            grade: i.grade.as_deref().and_then(Grade::parse).unwrap_or(grade),
        })
        .collect()
}

/// What an imported checklist is: a code (letters, digits, `.`, `_`, `-`), a name, its basis,
/// the default grade of a failure, and optionally its industry and inspection kind.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
#[serde(default)]
pub struct NewChecklist {
    pub code: String,
    pub name: String,
    pub basis: String,
    pub grade: String,
    pub industry_code: String,
    pub inspection_kind: String,
}

/// The import template (.xlsx) with two example rows.
pub fn checklist_template() -> ServiceResult<Vec<u8>> {
    let rows = vec![
        vec!["动火作业票证齐全、审批手续完备".to_string(), "管理".into(), "一般".into()],
        vec!["动火点周边可燃气体检测合格".to_string(), "物".into(), "重大".into()],
    ];
    crate::export::sheet("检查表", &["检查项目*", "类别*", "等级"], &rows)
}

/// Imports a checklist from an .xlsx (or CSV) file: the form's fields are checked by name, the
/// rows by row and column (the inner `Err`); all or nothing, audited. Officials with
/// inspection powers may import; others get 403.
pub async fn import_checklist(
    ctx: &Ctx,
    actor: &Actor,
    meta: &NewChecklist,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> ServiceResult<Result<String, Vec<crate::import::RowError>>> {
    use crate::import::RowError;
    if !actor.can_somewhere(Action::Inspect) {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = vec![];
    let code = meta.code.trim();
    if code.is_empty() {
        errors.push(FieldError::new("code", "field.required"));
    } else if code.len() > 64 || !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        errors.push(FieldError::new("code", "checklist.code.invalid").with_detail(code.to_string()));
    } else if checklist(ctx, code).await?.is_some() {
        errors.push(FieldError::new("code", "checklist.code.taken").with_detail(code.to_string()));
    }
    if meta.name.trim().is_empty() {
        errors.push(FieldError::new("name", "field.required"));
    }
    let grade = if meta.grade.trim().is_empty() { Some(Grade::General) } else { Grade::parse(meta.grade.trim()) };
    if grade.is_none() {
        errors.push(FieldError::new("grade", "hazard.grade.invalid").with_detail(meta.grade.clone()));
    }
    let kind = meta.inspection_kind.trim();
    if !kind.is_empty() && InspectionKind::parse(kind).is_none() {
        errors.push(FieldError::new("inspection_kind", "inspection.kind.invalid").with_detail(kind.to_string()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let table = match crate::import::read_table(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(vec![e])),
    };
    let column = |names: &[&str]| table.headers.iter().position(|h| names.contains(&h.trim().trim_end_matches('*')));
    let (Some(text_col), Some(category_col)) = (column(&["检查项目", "text"]), column(&["类别", "category"])) else {
        let missing = if column(&["检查项目", "text"]).is_none() { "检查项目" } else { "类别" };
        return Ok(Err(vec![RowError {
            row: 1,
            column: missing.into(),
            code: "import.missing_column".into(),
            detail: Some(missing.into()),
        }]));
    };
    let grade_col = column(&["等级", "grade"]);
    let cell = |cells: &[String], i: Option<usize>| i.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
    let rows: Vec<rules::ChecklistRow> = table
        .rows
        .iter()
        .map(|(row, cells)| rules::ChecklistRow {
            row: *row,
            text: cell(cells, Some(text_col)),
            category: cell(cells, Some(category_col)),
            grade: cell(cells, grade_col),
        })
        .collect();
    let items = match rules::parse_checklist_rows(&rows, grade.unwrap_or(Grade::General)) {
        Ok(items) => items,
        Err(problems) => {
            let header = |f: &str| match f {
                "text" => "检查项目",
                "category" => "类别",
                "grade" => "等级",
                _ => "",
            };
            return Ok(Err(problems
                .into_iter()
                .map(|p| RowError { row: p.row, column: header(p.field).into(), code: p.code.into(), detail: p.detail })
                .collect()));
        }
    };
    let stored: Vec<ChecklistItemText> = items
        .iter()
        .map(|i| ChecklistItemText { text: i.text.clone(), category: i.category.as_str().into(), grade: Some(i.grade.as_str().into()) })
        .collect();
    let items_json = serde_json::to_string(&stored).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let id = anze_domain::ids::new_id().to_string();
    let some = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let tx = ctx.db.write.begin().await?;
    repo::insert_checklist(
        &tx,
        anze_store::entity::checklist::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(ctx.tenant.clone()),
            code: Set(code.to_string()),
            name: Set(meta.name.trim().to_string()),
            basis: Set(meta.basis.trim().to_string()),
            grade: Set(grade.unwrap_or(Grade::General).as_str().into()),
            industry_code: Set(some(&meta.industry_code)),
            inspection_kind: Set(some(kind)),
            items: Set(items_json),
            created_by: Set(actor.name.clone()),
            created_at: Set(now),
        },
    )
    .await?;
    let changes = serde_json::json!({"checklist": [null, {"code": code, "name": meta.name.trim(), "items": stored.len()}]});
    audit::record(&tx, ctx, actor, now, "checklist.import", "checklist", &id, changes).await?;
    tx.commit().await?;
    Ok(Ok(code.to_string()))
}

/// A draw as asked for: the pool's filters, how many targets (`n`) and inspectors (`m`), and
/// an optional published seed (one is made when empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewDraw {
    pub region: Option<String>,
    pub industry: Option<String>,
    pub risk: Option<String>,
    pub n: Option<u32>,
    pub m: Option<u32>,
    pub seed: Option<String>,
}

/// The stored record: the draw and the names it was shown with.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DrawRecord {
    draw: StoredDraw,
    names: BTreeMap<String, String>,
}

fn count(field: &'static str, v: Option<u32>) -> Result<usize, FieldError> {
    match v {
        None | Some(0) => Err(FieldError::new(field, "draw.count.zero")),
        Some(n) => Ok(n as usize),
    }
}

/// Draws targets and inspectors; the whole record is stored and audited in one write.
pub async fn create_draw(ctx: &Ctx, actor: &Actor, req: &NewDraw, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    if !actor.can_somewhere(Action::Inspect) {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = vec![];
    let n = count("n", req.n).map_err(|e| errors.push(e)).unwrap_or(0);
    let m = count("m", req.m).map_err(|e| errors.push(e)).unwrap_or(0);
    let seed = match anze_domain::spot_check::parse_seed(req.seed.as_deref().unwrap_or("")) {
        Ok(s) => s.unwrap_or_else(crate::auth::new_seed),
        Err(e) => {
            errors.push(e);
            0
        }
    };
    let filter = crate::org::draw_pool_filter(ctx, &req.region, &req.industry, &req.risk, &mut errors).await?;
    let Some(filter) = filter else { return Err(ServiceError::Invalid(errors)) };
    let scope = actor.inspecting_scope();
    let pool = repo::pool(&ctx.db.read, &ctx.tenant, &scope, &filter).await?;
    if pool.is_empty() {
        return Err(ServiceError::field("pool", "draw.pool.empty"));
    }
    let roster = repo::roster(&ctx.db.read, &ctx.tenant, &scope).await?;
    let facts: Vec<TargetFacts> =
        pool.iter().map(|(id, town)| TargetFacts { id: id.clone(), unit_id: None, township_code: town.clone() }).collect();
    let inspectors: Vec<InspectorFacts> = roster
        .iter()
        .map(|r| InspectorFacts { id: r.user_id.clone(), unit_id: r.unit_id.clone(), township_code: r.township_code.clone() })
        .collect();
    let stored = rule::run(seed, &facts, n, &inspectors, m).map_err(ServiceError::Invalid)?;
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for id in &stored.targets {
        if let Ok(uid) = Uuid::parse_str(id)
            && let Ok((o, _)) = get_org(ctx, actor, uid).await
        {
            names.insert(id.clone(), o.name);
        }
    }
    for r in roster.iter().filter(|r| stored.inspectors.contains(&r.user_id)) {
        names.insert(r.user_id.clone(), r.name.clone());
    }
    let id = anze_domain::ids::new_id();
    let filter_text = serde_json::json!({"region": req.region, "industry": req.industry, "risk": req.risk, "n": n, "m": m}).to_string();
    let record = DrawRecord { draw: stored, names };
    let row = draw::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        seed: Set(seed.to_string()),
        pool_size: Set(record.draw.pool.len() as i64),
        pool_hash: Set(record.draw.pool_hash.clone()),
        pool_filter: Set(filter_text.clone()),
        record: Set(serde_json::to_string(&record).map_err(|e| ServiceError::Internal(e.to_string()))?),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
    };
    let tx = ctx.db.write.begin().await?;
    repo::insert_draw(&tx, row).await?;
    let changes = serde_json::json!({"draw": [null, {"seed": seed.to_string(), "pool_size": record.draw.pool.len(),
        "pool_hash": record.draw.pool_hash, "filter": filter_text, "targets": record.draw.targets, "inspectors": record.draw.inspectors}]});
    audit::record(&tx, ctx, actor, now, "draw.create", "draw", &id.to_string(), changes).await?;
    tx.commit().await?;
    Ok(id)
}

/// A draw as shown: its record, names, and whether running it again gives the same result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrawView {
    pub id: String,
    pub seed: String,
    pub pool_size: i64,
    pub pool_hash: String,
    pub pool_filter: String,
    pub n: usize,
    pub m: usize,
    /// (id, name) in draw order.
    pub targets: Vec<(String, String)>,
    pub inspectors: Vec<(String, String)>,
    /// `None` when it verifies; otherwise the error code of the first part that does not.
    pub verify_error: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

fn read_record(d: &repo::Draw) -> ServiceResult<DrawRecord> {
    serde_json::from_str(&d.record).map_err(|e| ServiceError::Internal(format!("draw record {}: {e}", d.id)))
}

/// Runs a stored draw again from its seed and frozen pool and roster (no sign-in needed: the
/// draw is meant to be checked by anyone).
pub async fn verify_draw(ctx: &Ctx, id: Uuid) -> ServiceResult<(StoredDraw, Result<(), FieldError>)> {
    let d = repo::draw(&ctx.db.read, &ctx.tenant, &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let r = read_record(&d)?;
    let result = if r.draw.seed.to_string() == d.seed && r.draw.pool_hash == d.pool_hash {
        rule::check(&r.draw)
    } else {
        Err(FieldError::new("seed", "draw.verify.mismatch"))
    };
    Ok((r.draw, result))
}

/// A draw for officials with inspection powers.
pub async fn get_draw(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<DrawView> {
    if !actor.can_somewhere(Action::Inspect) {
        return Err(ServiceError::NotFound);
    }
    draw_view(ctx, id).await
}

/// A draw's result for anyone, without signing in, once every inspection planned from it is
/// done (completed or archived): before that, publishing the targets would warn them.
pub async fn public_draw(ctx: &Ctx, id: Uuid) -> ServiceResult<DrawView> {
    let planned = repo::by_draw(&ctx.db.read, &ctx.tenant, &id.to_string()).await?;
    let done = |i: &Inspection| matches!(InspectionState::parse(&i.state), Some(InspectionState::Completed | InspectionState::Archived));
    if planned.is_empty() || !planned.iter().all(done) {
        return Err(ServiceError::NotFound);
    }
    draw_view(ctx, id).await
}

async fn draw_view(ctx: &Ctx, id: Uuid) -> ServiceResult<DrawView> {
    let d = repo::draw(&ctx.db.read, &ctx.tenant, &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let r = read_record(&d)?;
    let (_, verified) = verify_draw(ctx, id).await?;
    let named = |ids: &[String]| ids.iter().map(|i| (i.clone(), r.names.get(i).cloned().unwrap_or_default())).collect();
    Ok(DrawView {
        id: d.id,
        seed: d.seed,
        pool_size: d.pool_size,
        pool_hash: d.pool_hash,
        pool_filter: d.pool_filter,
        n: r.draw.n,
        m: r.draw.m,
        targets: named(&r.draw.targets),
        inspectors: named(&r.draw.inspectors),
        verify_error: verified.err().map(|e| e.code.to_string()),
        created_by: d.created_by,
        created_at: d.created_at,
    })
}

/// A plan as typed: targets are organisation ids; inspectors are names (one per entry).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewInspection {
    pub kind: String,
    pub theme: String,
    pub starts_on: String,
    pub ends_on: String,
    pub targets: Vec<String>,
    pub inspectors: Vec<String>,
    pub plan_text: String,
    /// A shipped checklist's code.
    pub checklist: String,
    /// The draw the targets and inspectors came from, if any.
    pub draw_id: String,
}

fn parse_date(field: &'static str, text: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        errors.push(FieldError::new(field, "field.required"));
        return None;
    }
    anze_domain::time::parse_date(text).or_else(|| {
        errors.push(FieldError::new(field, "field.date_invalid"));
        None
    })
}

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

/// Plans an inspection. Each target must be in the actor's scope (404) and inspectable by them
/// (403); the kind's rules (theme for special enforcement, dates in order …) are the domain's.
pub async fn create(ctx: &Ctx, actor: &Actor, req: &NewInspection, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut errors = vec![];
    let kind = match InspectionKind::parse(req.kind.trim()) {
        Some(k) => Some(k),
        None => {
            errors.push(FieldError::new("kind", if req.kind.trim().is_empty() { "field.required" } else { "inspection.kind.invalid" }));
            None
        }
    };
    let starts_on = parse_date("starts_on", &req.starts_on, &mut errors);
    let ends_on = parse_date("ends_on", &req.ends_on, &mut errors);
    let code = req.checklist.trim();
    if !code.is_empty() && checklist(ctx, code).await?.is_none() {
        errors.push(FieldError::new("checklist", "inspection.checklist.unknown").with_detail(code.to_string()));
    }
    let mut units = vec![];
    for raw in &req.targets {
        let id = Uuid::parse_str(raw.trim()).map_err(|_| ServiceError::NotFound)?;
        let (o, e) = get_org(ctx, actor, id).await?;
        if let Some(k) = kind
            && !may_inspect(actor, k, &target_of(&o, e.as_ref()))
        {
            return Err(ServiceError::Forbidden);
        }
        if !units.iter().any(|(u, _): &(anze_store::repo::org::Organisation, _)| u.id == o.id) {
            units.push((o, e));
        }
    }
    let inspectors: Vec<String> = req.inspectors.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let Some(kind) = kind else { return Err(ServiceError::Invalid(errors)) };
    let me = InspectorFacts {
        id: actor.user_id.map(|u| u.to_string()).unwrap_or_else(|| actor.name.clone()),
        unit_id: own_unit(actor).unwrap_or_default(),
        township_code: None,
    };
    let plan = PlanFacts {
        kind,
        theme: req.theme.clone(),
        // An official without a unit of their own (a township officer by area) leads for
        // their area.
        lead_unit_id: own_unit(actor)
            .or_else(|| actor.assignments.iter().find_map(|a| a.region_path.clone()))
            .unwrap_or_else(|| actor.name.clone()),
        starts_on,
        ends_on,
        inspectors: if inspectors.is_empty() { vec![] } else { vec![me] },
        targets: units
            .iter()
            .map(|(o, _)| TargetUnit { unit_id: o.id.clone(), township_code: o.township_code.clone(), supervising_unit_ids: vec![] })
            .collect(),
    };
    if let Err(e) = rules::validate_plan(&plan) {
        errors.extend(e);
    }
    let (Some(starts_on), Some(ends_on), true) = (starts_on, ends_on, errors.is_empty()) else { return Err(ServiceError::Invalid(errors)) };
    let draw_id = Some(req.draw_id.trim().to_string()).filter(|d| !d.is_empty());
    if let Some(d) = &draw_id
        && repo::draw(&ctx.db.read, &ctx.tenant, d).await?.is_none()
    {
        return Err(ServiceError::field("draw_id", "inspection.draw.unknown"));
    }
    let id = anze_domain::ids::new_id();
    let row = inspection::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        kind: Set(kind.as_str().into()),
        state: Set(InspectionState::Planned.as_str().into()),
        theme: Set(req.theme.trim().into()),
        lead_unit_id: Set(own_unit(actor)),
        lead_name: Set(actor.name.clone()),
        inspectors: Set(inspectors.join("\n")),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        plan_text: Set(req.plan_text.trim().into()),
        checklist_code: Set(Some(code.to_string()).filter(|c| !c.is_empty())),
        draw_id: Set(draw_id),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        completed_at: Set(None),
        archived_at: Set(None),
    };
    let targets = units
        .iter()
        .map(|(o, e)| inspection_target::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            inspection_id: Set(id.to_string()),
            organisation_id: Set(o.id.clone()),
            organisation_kind: Set(o.kind.clone()),
            region_path: Set(o.region_path.clone()),
            industry_code: Set(e.as_ref().map(|e| e.industry_code.clone())),
            inspector_signature: Set(None),
            representative_signature: Set(None),
            signed_at: Set(None),
        })
        .collect();
    let tx = ctx.db.write.begin().await?;
    repo::insert(&tx, row, targets).await?;
    let changes = serde_json::json!({"inspection": [null, {"kind": kind.as_str(), "theme": req.theme.trim(),
        "starts_on": starts_on.to_string(), "ends_on": ends_on.to_string(), "targets": units.iter().map(|(o, _)| o.id.clone()).collect::<Vec<_>>(),
        "inspectors": inspectors, "checklist": code}]});
    audit::record(&tx, ctx, actor, now, "inspection.create", "inspection", &id.to_string(), changes).await?;
    tx.commit().await?;
    Ok(id)
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

/// One inspection with its targets (named), results, checklist, and what the actor may do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionDetail {
    #[schema(value_type = Object)]
    pub inspection: Inspection,
    /// (target row, unit name)
    #[schema(value_type = Vec<Object>)]
    pub targets: Vec<(InspectionTarget, String)>,
    #[schema(value_type = Vec<Object>)]
    pub results: Vec<InspectionResult>,
    /// Photos taken at the items, in the order taken.
    #[schema(value_type = Vec<Object>)]
    pub photos: Vec<anze_store::repo::inspection::InspectionPhoto>,
    pub checklist: Option<Checklist>,
    /// The next state this actor may move it to.
    pub next: Option<String>,
    pub can_record: bool,
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

pub async fn detail(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<InspectionDetail> {
    let (i, targets) = visible(ctx, actor, id).await?;
    let state = InspectionState::parse(&i.state).unwrap_or(InspectionState::Planned);
    let may = runs(actor, &i, &targets);
    let ids: Vec<String> = targets.iter().map(|t| t.organisation_id.clone()).collect();
    let names: std::collections::HashMap<String, String> = anze_store::repo::org::names(&ctx.db.read, &ids).await?.into_iter().collect();
    let named = targets
        .into_iter()
        .map(|t| {
            let name = names.get(&t.organisation_id).cloned().unwrap_or_default();
            (t, name)
        })
        .collect();
    Ok(InspectionDetail {
        results: repo::results(&ctx.db.read, &i.id).await?,
        photos: repo::photos(&ctx.db.read, &i.id).await?,
        checklist: match &i.checklist_code {
            Some(c) => checklist(ctx, c).await?,
            None => None,
        },
        next: if may { state.next().map(|s| s.as_str().to_string()) } else { None },
        can_record: may && state == InspectionState::InProgress,
        targets: named,
        inspection: i,
    })
}

/// Inspections the actor sees, newest first.
pub async fn list(ctx: &Ctx, actor: &Actor, before: Option<&str>, limit: u64) -> ServiceResult<Vec<Inspection>> {
    let bound_only = actor.assignments.iter().all(|a| a.role.is_organisation_bound());
    Ok(repo::list(&ctx.db.read, &ctx.tenant, &actor.scope(), bound_only, before, limit).await?)
}

/// Inspections led per unit, kind and month of `year`, among those the actor sees (issue 4
/// item 10), with each unit's name (the lead's name for a lead without a unit on record).
pub async fn monthly_counts(ctx: &Ctx, actor: &Actor, year: i32) -> ServiceResult<Vec<rules::MonthlyCount>> {
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(ServiceError::field("year", "field.invalid"));
    };
    let bound_only = actor.assignments.iter().all(|a| a.role.is_organisation_bound());
    let rows = repo::started_between(&ctx.db.read, &ctx.tenant, &actor.scope(), bound_only, from, to).await?;
    let units: Vec<String> = rows.iter().filter_map(|(u, _, _, _)| u.clone()).collect();
    let names: std::collections::HashMap<String, String> = anze_store::repo::org::names(&ctx.db.read, &units).await?.into_iter().collect();
    let records: Vec<(String, String, NaiveDate)> =
        rows.into_iter().map(|(unit, lead, kind, on)| (unit.and_then(|u| names.get(&u).cloned()).unwrap_or(lead), kind, on)).collect();
    Ok(rules::count_by_month(year, &records))
}

/// Moves an inspection to its next state (planned → in progress → completed → archived).
pub async fn advance(ctx: &Ctx, actor: &Actor, id: Uuid, to: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (mut i, targets) = visible(ctx, actor, id).await?;
    if !runs(actor, &i, &targets) {
        return Err(ServiceError::Forbidden);
    }
    let from = InspectionState::parse(&i.state).ok_or_else(|| ServiceError::Internal(format!("inspection state {}", i.state)))?;
    let to = InspectionState::parse(to.trim()).ok_or_else(|| ServiceError::field("state", "inspection.transition.forbidden"))?;
    from.check_transition(to).map_err(|e| ServiceError::Invalid(vec![e]))?;
    i.state = to.as_str().into();
    match to {
        InspectionState::Completed => i.completed_at = Some(now),
        InspectionState::Archived => i.archived_at = Some(now),
        _ => {}
    }
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, i.clone()).await?;
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        "inspection.state",
        "inspection",
        &i.id,
        serde_json::json!({"state": [from.as_str(), to.as_str()]}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One visit's record: each checklist item's result and note (by position), and the two
/// signatures (typed names).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VisitRecord {
    pub target: String,
    pub results: Vec<ItemInput>,
    pub inspector_signature: String,
    pub representative_signature: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemInput {
    pub position: usize,
    /// `pass`, `fail` or `not_applicable`.
    pub result: String,
    pub note: String,
    /// Photos taken at this item (JPEG, PNG or WebP), base64 in the API.
    pub photos_base64: Vec<String>,
    /// The photos' bytes, as the page or the API decoded them.
    #[serde(skip)]
    pub photos: Vec<Vec<u8>>,
}

/// Records a visit: every item of the checklist needs a result, a failure needs a note and
/// becomes a hazard of the target (ordered down, or reported up for the enterprise's own
/// checks), all in one transaction with the signatures. Returns the hazards made.
pub async fn record_visit(ctx: &Ctx, actor: &Actor, id: Uuid, v: &VisitRecord, now: DateTime<Utc>) -> ServiceResult<Vec<Uuid>> {
    let (i, targets) = visible(ctx, actor, id).await?;
    if !runs(actor, &i, &targets) {
        return Err(ServiceError::Forbidden);
    }
    let state = InspectionState::parse(&i.state).unwrap_or(InspectionState::Planned);
    state.check_record().map_err(|e| ServiceError::Invalid(vec![e]))?;
    let mut target = targets.into_iter().find(|t| t.organisation_id == v.target.trim()).ok_or(ServiceError::NotFound)?;
    let kind = InspectionKind::parse(&i.kind).unwrap_or(InspectionKind::Routine);
    let list = match &i.checklist_code {
        Some(c) => checklist(ctx, c).await?.ok_or_else(|| ServiceError::Internal(format!("checklist {c}")))?,
        None => return Err(ServiceError::field("checklist", "inspection.checklist.unknown")),
    };
    let items = items_of(&list);
    let mut errors = vec![];
    let mut parsed = vec![];
    for (pos, item) in items.iter().enumerate() {
        let input = v.results.iter().find(|r| r.position == pos + 1);
        let (result, note) = input.map_or(("", ""), |r| (r.result.as_str(), r.note.as_str()));
        // Every photo is checked before anything is written; a bad one names its item.
        let photos = match crate::photo::check_all(input.map(|r| r.photos.clone()).unwrap_or_default()).await {
            Ok(p) => p,
            Err(e) => {
                let at = match &e.detail {
                    Some(d) => format!("{d} · {}", pos + 1),
                    None => format!("{}", pos + 1),
                };
                errors.push(FieldError::new("item_photo", e.code).with_detail(at));
                vec![]
            }
        };
        match rules::parse_item_result(result, note) {
            Ok(r) => parsed.push((pos + 1, item, r, photos)),
            Err(e) => errors.extend(e.into_iter().map(|e| e.with_detail(format!("{}", pos + 1)))),
        }
    }
    for (field, text) in [("inspector_signature", &v.inspector_signature), ("representative_signature", &v.representative_signature)] {
        if text.trim().is_empty() {
            errors.push(FieldError::new(field, "field.required"));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if target.signed_at.is_some() {
        return Err(ServiceError::Refused("inspection.visit.recorded"));
    }
    let today = local_date(now);
    let unit = Uuid::parse_str(&target.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (o, e) = get_org(ctx, &Actor::system("inspection"), unit).await?;
    let tx = ctx.db.write.begin().await?;
    let mut hazards = vec![];
    let mut rows = vec![];
    let mut links = vec![];
    for (position, item, r, photos) in parsed {
        let result_id = anze_domain::ids::new_id().to_string();
        let mut photo_ids = vec![];
        for p in photos {
            photo_ids.push(crate::photo::insert(&tx, ctx, actor, &o.id, p, now).await?);
        }
        let hazard = match rules::hazard_from_finding(kind, item, &r, &o.id, today) {
            Some(h) => {
                // The item's photos are the hazard's photos as found.
                let hid = crate::hazard::insert_found(&tx, ctx, actor, &o, e.as_ref(), &h, &photo_ids, now).await?;
                hazards.push(hid);
                Some(hid.to_string())
            }
            None => None,
        };
        for photo_id in photo_ids {
            links.push(inspection_photo::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                inspection_id: Set(i.id.clone()),
                result_id: Set(result_id.clone()),
                photo_id: Set(photo_id),
                created_at: Set(now),
            });
        }
        rows.push(inspection_result::ActiveModel {
            id: Set(result_id),
            inspection_id: Set(i.id.clone()),
            target_id: Set(target.id.clone()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            item_text: Set(item.text.clone()),
            result: Set(r.result.as_str().into()),
            note: Set(r.note.clone()),
            hazard_id: Set(hazard),
            recorded_by: Set(actor.name.clone()),
            recorded_at: Set(now),
        });
    }
    repo::insert_results(&tx, rows).await?;
    let photo_count = links.len();
    repo::insert_photo_links(&tx, links).await?;
    target.inspector_signature = Some(v.inspector_signature.trim().into());
    target.representative_signature = Some(v.representative_signature.trim().into());
    target.signed_at = Some(now);
    repo::update_target(&tx, target.clone()).await?;
    let changes = serde_json::json!({"visit": [null, {"target": target.organisation_id, "hazards": hazards.iter().map(Uuid::to_string).collect::<Vec<_>>(), "photos": photo_count,
        "inspector": target.inspector_signature, "representative": target.representative_signature}]});
    audit::record(&tx, ctx, actor, now, "inspection.visit", "inspection", &i.id, changes).await?;
    tx.commit().await?;
    Ok(hazards)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_checklists_read_and_every_item_has_a_known_category() {
        let lists = shipped_checklists().unwrap();
        let codes: Vec<&str> = lists.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["responsibility.daily", "major_hazard.industry_trade", "hazardous_work.gb30871"]);
        for c in &lists {
            assert!(c.items.len() >= 8, "{} has its items", c.code);
            assert!(c.items.iter().all(|i| Category::parse(&i.category).is_some()), "{}", c.code);
        }
        assert!(items_of(&lists[1]).iter().all(|i| i.grade == Grade::Major), "the criteria of major hazards find major hazards");
        assert!(items_of(&lists[0]).iter().all(|i| i.grade == Grade::General));
    }
}
