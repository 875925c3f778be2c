//! Excel (and CSV) import of enterprises and staff.
//!
//! Validate everything → show the errors (row, column, reason) or a preview → commit all rows
//! in one transaction or none. Keys make re-imports idempotent: an enterprise is its credit
//! code; a post is (enterprise, person key, post title, start date), where the person key is
//! the ID number, else name and phone.

use crate::org::{RegionIndex, ValidEnterprise, snapshot, to_active, validate_enterprise};
use crate::people::{StaffInput, ValidStaff, new_employment, new_person, post_snapshot, validate_staff};
use crate::scope::target_of;
use crate::sheet::{self, RowError, Table, hazardous_work_from_label, read_table, risk_from_label, tier_from_label, yes_no_cell};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::org::OrgKind;
use anze_store::TransactionTrait;
use anze_store::repo::{org as org_repo, person as person_repo};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Enterprises,
    Staff,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enterprises => "enterprises",
            Self::Staff => "staff",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "enterprises" => Some(Self::Enterprises),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }
    /// Columns of the template: (header, field, required). Headers are what people see.
    pub fn columns(self) -> &'static [sheet::Column] {
        match self {
            Self::Enterprises => &[
                ("企业名称", "name", true),
                ("统一社会信用代码", "credit_code", true),
                ("行业代码", "industry_code", true),
                ("所在镇街或村居代码", "region_code", true),
                ("网格代码", "grid_code", false),
                ("地址", "address", false),
                ("法定代表人", "legal_representative", true),
                ("主要负责人", "principal_name", true),
                ("主要负责人电话", "principal_phone", false),
                ("安全总监", "safety_director_name", false),
                ("从业人数", "headcount", false),
                ("风险等级", "risk_level", true),
                ("监管类别", "supervision_class", false),
                ("重大危险源", "major_hazard_source", false),
                ("危险作业类型", "hazardous_work_kinds", false),
                ("安责险", "liability_insurance", false),
            ],
            Self::Staff => &[
                ("统一社会信用代码", "credit_code", true),
                ("姓名", "name", true),
                ("身份证号", "id_number", false),
                ("手机号", "phone", false),
                ("岗位名称", "post_title", true),
                ("岗位层级", "tier", true),
                ("部门或车间", "unit_name", false),
                ("任职日期", "start_date", true),
                ("离任日期", "end_date", false),
            ],
        }
    }
    pub fn header_of(self, field: &str) -> &'static str {
        sheet::header_of(self.columns(), field)
    }
}

fn field_errors(kind: ImportKind, row: usize, errs: Vec<FieldError>) -> Vec<RowError> {
    errs.into_iter()
        .map(|e| RowError { row, column: kind.header_of(e.field).to_string(), code: e.code.to_string(), detail: e.detail })
        .collect()
}

/// The rows of a valid file, ready to commit.
pub enum Prepared {
    Enterprises(Vec<(usize, ValidEnterprise)>),
    Staff(Vec<(usize, String, ValidStaff)>),
}

/// What a commit would do (preview) or did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Progress that pages poll while a long file runs, kept in memory per process.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// `validating` or `committing`.
    pub phase: &'static str,
    pub processed: usize,
    pub total: usize,
}

pub type ProgressMap = Arc<Mutex<HashMap<String, Progress>>>;

fn report(progress: Option<(&ProgressMap, &str)>, phase: &'static str, processed: usize, total: usize) {
    if let Some((map, id)) = progress
        && let Ok(mut m) = map.lock()
    {
        m.insert(id.to_string(), Progress { phase, processed, total });
    }
}

/// Validates every row; returns all errors, or the prepared rows.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn validate(
    ctx: &Ctx,
    actor: &Actor,
    kind: ImportKind,
    table: &Table,
    progress: Option<(&ProgressMap, &str)>,
) -> ServiceResult<Result<Prepared, Vec<RowError>>> {
    let cols = match sheet::columns(table, kind.columns()) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let get = |cells: &Vec<String>, f: &str| cols.cell(cells, f);
    let mut errors: Vec<RowError> = vec![];
    for (row, _) in &table.rows {
        if table.merged_rows.contains(row) {
            errors.push(RowError { row: *row, column: String::new(), code: "import.merged_cells".into(), detail: None });
        }
    }
    let total = table.rows.len();
    let today = anze_domain::time::local_date(chrono::Utc::now());
    match kind {
        ImportKind::Enterprises => {
            let regions = RegionIndex::load(ctx).await?;
            let mut seen: HashMap<String, usize> = HashMap::new();
            let mut ok = vec![];
            for (n, (row, cells)) in table.rows.iter().enumerate() {
                let mut bad_flag = |field: &'static str, v: &str| match yes_no_cell(v) {
                    Some(b) => b,
                    None => {
                        errors.push(RowError {
                            row: *row,
                            column: kind.header_of(field).into(),
                            code: "field.yes_no".into(),
                            detail: Some(v.into()),
                        });
                        false
                    }
                };
                let major = bad_flag("major_hazard_source", &get(cells, "major_hazard_source"));
                let insured = bad_flag("liability_insurance", &get(cells, "liability_insurance"));
                let input = crate::org::EnterpriseInput {
                    name: get(cells, "name"),
                    credit_code: get(cells, "credit_code"),
                    industry_code: get(cells, "industry_code"),
                    region_code: get(cells, "region_code"),
                    grid_code: get(cells, "grid_code"),
                    address: get(cells, "address"),
                    legal_representative: get(cells, "legal_representative"),
                    principal_name: get(cells, "principal_name"),
                    principal_phone: get(cells, "principal_phone"),
                    safety_director_name: get(cells, "safety_director_name"),
                    headcount: get(cells, "headcount"),
                    risk_level: risk_from_label(&get(cells, "risk_level")),
                    supervision_class: get(cells, "supervision_class"),
                    major_hazard_source: major,
                    hazardous_work_kinds: get(cells, "hazardous_work_kinds")
                        .split([',', '，', '、', ';', '；'])
                        .map(hazardous_work_from_label)
                        .filter(|s| !s.is_empty())
                        .collect(),
                    liability_insurance: insured,
                };
                match validate_enterprise(&input, &regions) {
                    Ok(v) => {
                        let target = v.target(Uuid::nil());
                        if !actor.can(Action::Create, &target) && !actor.can(Action::Edit, &target) {
                            errors.push(RowError {
                                row: *row,
                                column: kind.header_of("region_code").into(),
                                code: "org.region.outside_scope".into(),
                                detail: None,
                            });
                        } else if let Some(first) = seen.insert(v.credit_code.as_str().to_string(), *row) {
                            errors.push(RowError {
                                row: *row,
                                column: kind.header_of("credit_code").into(),
                                code: "import.duplicate_in_file".into(),
                                detail: Some(first.to_string()),
                            });
                        } else {
                            ok.push((*row, v));
                        }
                    }
                    Err(e) => errors.extend(field_errors(kind, *row, e)),
                }
                if n % 1000 == 0 {
                    report(progress, "validating", n, total);
                }
            }
            report(progress, "validating", total, total);
            Ok(if errors.is_empty() { Ok(Prepared::Enterprises(ok)) } else { Err(sorted(errors)) })
        }
        ImportKind::Staff => {
            let codes: Vec<String> = {
                let mut c: Vec<String> =
                    table.rows.iter().map(|(_, cells)| get(cells, "credit_code").trim().to_ascii_uppercase()).collect();
                c.sort();
                c.dedup();
                c
            };
            let scope = actor.scope();
            let found = org_repo::by_credit_codes(&ctx.db.read, &ctx.tenant, &codes).await?;
            let mut by_code: HashMap<String, (String, bool)> = HashMap::new();
            for (o, e) in found {
                if let Some(e) = e {
                    let visible = scope.admits(&target_of(&o, Some(&e)));
                    let editable = actor.can(Action::Edit, &target_of(&o, Some(&e)));
                    if visible {
                        by_code.insert(e.credit_code.clone(), (o.id.clone(), editable));
                    }
                }
            }
            let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
            let mut ok = vec![];
            for (n, (row, cells)) in table.rows.iter().enumerate() {
                let code = get(cells, "credit_code").trim().to_ascii_uppercase();
                let org = match by_code.get(&code) {
                    Some((id, true)) => Some(id.clone()),
                    Some((_, false)) => {
                        errors.push(RowError {
                            row: *row,
                            column: kind.header_of("credit_code").into(),
                            code: "org.region.outside_scope".into(),
                            detail: None,
                        });
                        None
                    }
                    None if code.is_empty() => {
                        errors.push(RowError {
                            row: *row,
                            column: kind.header_of("credit_code").into(),
                            code: "field.required".into(),
                            detail: None,
                        });
                        None
                    }
                    None => {
                        errors.push(RowError {
                            row: *row,
                            column: kind.header_of("credit_code").into(),
                            code: "import.enterprise_unknown".into(),
                            detail: Some(code.clone()),
                        });
                        None
                    }
                };
                let input = StaffInput {
                    name: get(cells, "name"),
                    id_number: get(cells, "id_number"),
                    phone: get(cells, "phone"),
                    post_title: get(cells, "post_title"),
                    tier: tier_from_label(&get(cells, "tier")),
                    unit_name: get(cells, "unit_name"),
                    start_date: get(cells, "start_date"),
                    end_date: get(cells, "end_date"),
                };
                match validate_staff(&input, OrgKind::Enterprise, today) {
                    Ok(v) => {
                        if let Some(org) = org {
                            let key = (org.clone(), v.key(), v.post_title.clone(), v.start_date.to_string());
                            if let Some(first) = seen.insert(key, *row) {
                                errors.push(RowError {
                                    row: *row,
                                    column: kind.header_of("name").into(),
                                    code: "import.duplicate_in_file".into(),
                                    detail: Some(first.to_string()),
                                });
                            } else {
                                ok.push((*row, org, v));
                            }
                        }
                    }
                    Err(e) => errors.extend(field_errors(kind, *row, e)),
                }
                if n % 1000 == 0 {
                    report(progress, "validating", n, total);
                }
            }
            report(progress, "validating", total, total);
            Ok(if errors.is_empty() { Ok(Prepared::Staff(ok)) } else { Err(sorted(errors)) })
        }
    }
}

fn sorted(mut e: Vec<RowError>) -> Vec<RowError> {
    e.sort_by_key(|e| e.row);
    e
}

/// Writes the prepared rows in one transaction (or, with `dry_run`, only counts what would
/// change). Unchanged rows are left alone, so importing the same file twice changes nothing.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn commit(
    ctx: &Ctx,
    actor: &Actor,
    prepared: &Prepared,
    now: DateTime<Utc>,
    dry_run: bool,
    progress: Option<(&ProgressMap, &str)>,
) -> ServiceResult<Outcome> {
    let tx = ctx.db.write.begin().await?;
    let mut out = Outcome::default();
    match prepared {
        Prepared::Enterprises(rows) => {
            let codes: Vec<String> = rows.iter().map(|(_, v)| v.credit_code.as_str().to_string()).collect();
            let existing: HashMap<String, org_repo::OrgRow> = org_repo::by_credit_codes(&tx, &ctx.tenant, &codes)
                .await?
                .into_iter()
                .filter_map(|(o, e)| e.as_ref().map(|e| e.credit_code.clone()).map(|c| (c, (o, e))))
                .collect();
            let (mut new_orgs, mut new_ents) = (vec![], vec![]);
            let (mut summaries, mut moved) = (vec![], vec![]);
            for (n, (_, v)) in rows.iter().enumerate() {
                match existing.get(v.credit_code.as_str()) {
                    Some((o, Some(e))) => {
                        let (no, ne) = v.rows(ctx, &o.id, o.created_at, now);
                        let changes = anze_domain::audit::diff(&snapshot(o, Some(e)), &snapshot(&no, Some(&ne)));
                        if changes.as_object().is_some_and(|m| m.is_empty()) {
                            out.unchanged += 1;
                        } else {
                            out.updated += 1;
                            if !dry_run {
                                org_repo::update(&tx, no, Some(ne)).await?;
                                moved.push(o.id.clone());
                                audit::record(
                                    &tx,
                                    ctx,
                                    actor,
                                    now,
                                    audit::Event::new("enterprise.import_update", "organisation", &o.id, changes),
                                )
                                .await?;
                            }
                        }
                    }
                    _ => {
                        out.created += 1;
                        let id = anze_domain::ids::new_id().to_string();
                        let (no, ne) = v.rows(ctx, &id, now, now);
                        if !dry_run {
                            let changes = anze_domain::audit::diff(&serde_json::json!({}), &snapshot(&no, Some(&ne)));
                            audit::record(
                                &tx,
                                ctx,
                                actor,
                                now,
                                audit::Event::new("enterprise.import_create", "organisation", &id, changes),
                            )
                            .await?;
                            summaries.push(crate::coverage::summary_row(ctx, &no, Some(&ne), None, now));
                            let (oa, ea) = to_active(no, ne);
                            new_orgs.push(oa);
                            new_ents.push(ea);
                        }
                    }
                }
                if n % 1000 == 0 {
                    report(progress, "committing", n, rows.len());
                }
            }
            org_repo::insert_many(&tx, new_orgs, new_ents).await?;
            // Rollups read each enterprise's summary: new ones start empty, changed ones move.
            anze_store::repo::coverage::insert_many(&tx, summaries).await?;
            for id in &moved {
                crate::coverage::refresh(&tx, ctx, id, now).await?;
            }
        }
        Prepared::Staff(rows) => {
            let mut by_org: HashMap<&str, Vec<&ValidStaff>> = HashMap::new();
            for (_, org, v) in rows {
                by_org.entry(org.as_str()).or_default().push(v);
            }
            let (mut people, mut jobs) = (vec![], vec![]);
            let mut touched: Vec<String> = vec![];
            let mut done = 0;
            for (org, staff) in by_org {
                let batch = staff.len();
                let current = person_repo::staff(&tx, org, true).await?;
                let mut person_by_key: HashMap<String, String> = HashMap::new();
                let mut posts: HashSet<(String, String, String)> = HashSet::new();
                for (e, p) in &current {
                    let key = match &p.id_number {
                        Some(id) => format!("id:{id}"),
                        None => format!("np:{}|{}", p.name, p.phone.as_deref().unwrap_or("")),
                    };
                    person_by_key.insert(key.clone(), p.id.clone());
                    posts.insert((key, e.post_title.clone(), e.start_date.to_string()));
                }
                let mut added = vec![];
                for v in staff {
                    let key = v.key();
                    if posts.contains(&(key.clone(), v.post_title.clone(), v.start_date.to_string())) {
                        out.unchanged += 1;
                        continue;
                    }
                    out.created += 1;
                    let person_id = match person_by_key.get(&key) {
                        Some(id) => id.clone(),
                        None => {
                            let (id, p) = new_person(ctx, v, now);
                            person_by_key.insert(key.clone(), id.clone());
                            people.push(p);
                            id
                        }
                    };
                    posts.insert((key, v.post_title.clone(), v.start_date.to_string()));
                    jobs.push(new_employment(ctx, &person_id, org, v, now).1);
                    added.push(post_snapshot(&v.name, v));
                }
                if !added.is_empty() {
                    touched.push(org.to_string());
                }
                if !added.is_empty() && !dry_run {
                    audit::record(
                        &tx,
                        ctx,
                        actor,
                        now,
                        audit::Event::new("staff.import", "organisation", org, serde_json::json!({"posts_added": [null, added]})),
                    )
                    .await?;
                }
                done += batch;
                report(progress, "committing", done, rows.len());
            }
            if !dry_run {
                person_repo::insert_people(&tx, people).await?;
                person_repo::insert_employments(&tx, jobs).await?;
                for org in &touched {
                    crate::coverage::refresh(&tx, ctx, org, now).await?;
                }
            }
        }
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(out)
}

/// Reads, validates and (unless `dry_run`) commits a file in one call (CLI and API).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn run(
    ctx: &Ctx,
    actor: &Actor,
    kind: ImportKind,
    bytes: &[u8],
    now: DateTime<Utc>,
    dry_run: bool,
) -> ServiceResult<Result<Outcome, Vec<RowError>>> {
    if !actor.can_somewhere(Action::Edit) {
        return Err(ServiceError::Forbidden);
    }
    let table = match read_table(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(vec![e])),
    };
    match validate(ctx, actor, kind, &table, None).await? {
        Ok(prepared) => Ok(Ok(commit(ctx, actor, &prepared, now, dry_run, None).await?)),
        Err(errors) => Ok(Err(errors)),
    }
}

/// Starts an import in the background and returns its job id at once. The job row holds
/// the final state (done with counts, or invalid with the row errors); while it runs, the
/// page reads the processed/total counts from `progress`.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn start_job(
    ctx: &Ctx,
    actor: &Actor,
    kind: ImportKind,
    file_name: &str,
    bytes: Vec<u8>,
    progress: ProgressMap,
    now: DateTime<Utc>,
) -> ServiceResult<String> {
    use anze_store::entity::import_job;
    use sea_orm::Set;
    if !actor.can_somewhere(Action::Edit) {
        return Err(ServiceError::Forbidden);
    }
    // Jobs belong to a signed-in user; the CLI runs imports in the foreground instead.
    let user_id = actor.user_id.ok_or(ServiceError::Forbidden)?.to_string();
    let id = anze_domain::ids::new_id().to_string();
    let row = import_job::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        user_id: Set(user_id),
        kind: Set(kind.as_str().into()),
        file_name: Set(file_name.chars().take(200).collect()),
        status: Set("validating".into()),
        total_rows: Set(0),
        processed_rows: Set(0),
        error_count: Set(0),
        errors: Set("[]".into()),
        created_count: Set(0),
        updated_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    };
    anze_store::repo::import_job::insert(&ctx.db.write, row).await?;
    let (ctx, actor, job) = (ctx.clone(), actor.clone(), id.clone());
    tokio::spawn(async move {
        let result = run_with_progress(&ctx, &actor, kind, &bytes, &progress, &job).await;
        if let Err(e) = finish_job(&ctx, &job, result).await {
            tracing::error!(error = %e, job = %job, "import job could not record its result");
        }
        if let Ok(mut m) = progress.lock() {
            m.remove(&job);
        }
    });
    Ok(id)
}

async fn run_with_progress(
    ctx: &Ctx,
    actor: &Actor,
    kind: ImportKind,
    bytes: &[u8],
    progress: &ProgressMap,
    job: &str,
) -> ServiceResult<Result<Outcome, Vec<RowError>>> {
    let table = match read_table(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(vec![e])),
    };
    report(Some((progress, job)), "validating", 0, table.rows.len());
    match validate(ctx, actor, kind, &table, Some((progress, job))).await? {
        Ok(prepared) => Ok(Ok(commit(ctx, actor, &prepared, Utc::now(), false, Some((progress, job))).await?)),
        Err(errors) => Ok(Err(errors)),
    }
}

async fn finish_job(ctx: &Ctx, job: &str, result: ServiceResult<Result<Outcome, Vec<RowError>>>) -> ServiceResult<()> {
    let mut row = anze_store::repo::import_job::get(&ctx.db.read, &ctx.tenant, job).await?.ok_or(ServiceError::NotFound)?;
    match result {
        Ok(Ok(o)) => {
            row.status = "done".into();
            row.created_count = o.created as i64;
            row.updated_count = o.updated as i64;
            row.total_rows = (o.created + o.updated + o.unchanged) as i64;
            row.processed_rows = row.total_rows;
        }
        Ok(Err(errors)) => {
            row.status = "invalid".into();
            row.error_count = errors.len() as i64;
            row.errors = serde_json::to_string(&errors).unwrap_or_else(|_| "[]".into());
        }
        Err(e) => {
            tracing::error!(error = %e, job, "import job failed");
            row.status = "failed".into();
        }
    }
    row.updated_at = Utc::now();
    anze_store::repo::import_job::update(&ctx.db.write, row).await?;
    Ok(())
}

/// One of the actor's own import jobs, with its live progress while it runs.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, job_id = %job_id))]
pub async fn job(
    ctx: &Ctx,
    actor: &Actor,
    job_id: &str,
    progress: &ProgressMap,
) -> ServiceResult<(anze_store::repo::import_job::ImportJob, Option<Progress>)> {
    let job = anze_store::repo::import_job::get(&ctx.db.read, &ctx.tenant, job_id).await?.ok_or(ServiceError::NotFound)?;
    if Some(job.user_id.as_str()) != actor.user_id.map(|u| u.to_string()).as_deref() {
        return Err(ServiceError::NotFound);
    }
    let live = progress.lock().ok().and_then(|m| m.get(job_id).cloned());
    Ok((job, live))
}

/// The row errors of one of the actor's own imports.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, job_id = %job_id))]
pub async fn job_errors(ctx: &Ctx, actor: &Actor, job_id: &str) -> ServiceResult<Vec<RowError>> {
    let (job, _) = job(ctx, actor, job_id, &ProgressMap::default()).await?;
    serde_json::from_str(&job.errors).map_err(|e| ServiceError::Internal(e.to_string()))
}
