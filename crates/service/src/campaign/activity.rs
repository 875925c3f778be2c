//! Activity records (issue 5): what the other issues do not record and campaign obligations
//! count: study sessions, trainings, observed drills, committee and special meetings, warning
//! notices, interviews, work plans and annual work plans, rules, enforcement plans, situation
//! analyses, quarterly reports, staffing, leader assignments, assessment standards and
//! assessments, grid-worker awards, benchmark enterprises.
//!
//! Entered on a page, by API or imported from .xlsx (validate every row → all or nothing).
//! Refused: a kind other issues record, a date outside every loaded campaign or in the
//! future, a quarterly report without its quarter or filed twice for one quarter, a filter
//! flag that means nothing for the kind (an "observed" training). Who: users who may edit the
//! unit (its own officers, the city office); out of scope is 404.

use crate::sheet::{self, RowError, read_table};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::Action;
use anze_domain::campaign::{Filter, PeriodKind, RecordKind};
use anze_domain::org::{parse_name, parse_optional};
use anze_domain::{Collector, FieldError};
use anze_store::entity::activity as entity;
use anze_store::repo::campaign as repo;
/// The kinds of activity record people enter, and a record as listed.
pub use anze_store::repo::campaign::{ACTIVITY_KINDS, Activity};
use anze_store::repo::org::Organisation;
use anze_store::{TransactionTrait, is_unique_violation};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const TITLE_MAX: usize = 200;
const ORGANISER_MAX: usize = 100;
const TEXT_MAX: usize = 20_000;
/// Most rows one import may carry.
pub const IMPORT_MAX_ROWS: usize = 5_000;

/// An activity as typed (page form, API body, or one import row).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ActivityInput {
    #[serde(default)]
    pub organisation_id: String,
    /// A record kind activities record, e.g. `study_session`, `quarterly_report`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// The date it was held (or the document issued), e.g. `2024-03-15`.
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub organiser: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub minutes: String,
    /// The quarter a quarterly report concerns, e.g. `2024-Q1`; required for those only.
    #[serde(default)]
    pub period: String,
    /// A drill other units came to watch (观摩).
    #[serde(default)]
    pub observed: bool,
    /// A meeting of all member units (全体成员会议).
    #[serde(default)]
    pub plenary: bool,
    /// A meeting the committee's head attended (主任参加).
    #[serde(default)]
    pub head_attends: bool,
    /// A training for the enterprises of the unit's own sector (面向本系统本行业企业).
    #[serde(default)]
    pub for_sector_enterprises: bool,
    /// A training for grid workers (面向网格员).
    #[serde(default)]
    pub for_grid_workers: bool,
    /// Files attached (minutes, sign-in sheet, plan, photos): name and base64 content in the API.
    #[serde(default)]
    pub attachments_base64: Vec<NamedFile>,
    /// The attached files' names and bytes, as the page or the API decoded them.
    #[serde(skip)]
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// A file in an API body: its name and its content in base64.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NamedFile {
    pub name: String,
    pub content_base64: String,
}

/// An attachment as listed: download it at `/attachments/{id}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    pub byte_size: i64,
}

/// One activity as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivityView {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub kind: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub organiser: String,
    pub participants: String,
    pub minutes: String,
    pub period: Option<String>,
    /// The filter flags set: `observed`, `plenary`, `head_attends`, `for_sector_enterprises`, `for_grid_workers`.
    pub flags: Vec<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub attachments: Vec<AttachmentView>,
}

/// The flags an activity row carries, as the campaign filters they stand for.
pub fn flags_of(a: &Activity) -> Vec<Filter> {
    [
        (a.observed, Filter::Observed),
        (a.plenary, Filter::Plenary),
        (a.head_attends, Filter::HeadAttends),
        (a.for_sector_enterprises, Filter::ForSectorEnterprises),
        (a.for_grid_workers, Filter::ForGridWorkers),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect()
}

pub fn view(a: Activity, o: &Organisation) -> ActivityView {
    ActivityView {
        flags: flags_of(&a).iter().map(|f| f.as_str().to_string()).collect(),
        id: a.id,
        organisation_id: o.id.clone(),
        organisation_name: o.name.clone(),
        kind: a.kind,
        title: a.title,
        held_on: a.held_on,
        organiser: a.organiser,
        participants: a.participants,
        minutes: a.minutes,
        period: a.period_label,
        created_by: a.created_by,
        created_at: a.created_at,
        attachments: vec![],
    }
}

/// Fills each view's attachments from one query.
async fn with_attachments(ctx: &Ctx, mut views: Vec<ActivityView>) -> ServiceResult<Vec<ActivityView>> {
    let ids: Vec<String> = views.iter().map(|v| v.id.clone()).collect();
    let mut by_activity: HashMap<String, Vec<AttachmentView>> = HashMap::new();
    for a in repo::attachments_of(&ctx.db.read, &ids).await? {
        by_activity.entry(a.activity_id).or_default().push(AttachmentView { id: a.id, name: a.file_name, byte_size: a.byte_size });
    }
    for v in &mut views {
        v.attachments = by_activity.remove(&v.id).unwrap_or_default();
    }
    Ok(views)
}

/// An attachment's name, type and bytes, for a user who sees its activity (404 otherwise).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn attachment(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<(String, String, Vec<u8>)> {
    let a = repo::attachment(&ctx.db.read, &ctx.tenant, &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    repo::activity(&ctx.db.read, &ctx.tenant, &actor.scope(), &a.activity_id).await?.ok_or(ServiceError::NotFound)?;
    let bytes = ctx
        .objects
        .get(&a.object_key)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .ok_or_else(|| ServiceError::Internal(format!("attachment {} missing from the object store", a.id)))?;
    Ok((a.file_name, a.content_type, bytes))
}

/// Chinese labels of the activity kinds (import and export columns); the codes work too.
pub fn kind_label(k: RecordKind) -> &'static str {
    use RecordKind as K;
    match k {
        K::StudySession => "组织学习",
        K::Training => "培训",
        K::Drill => "演练",
        K::CommitteeMeeting => "委员会会议",
        K::SpecialMeeting => "专题会议",
        K::WarningNotice => "警示通报",
        K::Interview => "约谈",
        K::WorkPlan => "工作方案",
        K::AnnualWorkPlan => "年度工作计划",
        K::WorkRules => "工作规则",
        K::EnforcementPlan => "执法检查计划",
        K::SituationAnalysis => "形势分析",
        K::QuarterlyReport => "季度书面报告",
        K::Staffing => "人员配备",
        K::LeaderAssignment => "领导分工",
        K::AssessmentStandard => "清单落实检查考核标准",
        K::ListAssessment => "清单落实情况考核",
        K::GridWorkerAward => "优秀网格员评选表扬",
        K::BenchmarkEnterprise => "标杆企业",
        _ => "",
    }
}

fn activity_kind(text: &str) -> Option<RecordKind> {
    let t = text.trim();
    ACTIVITY_KINDS.iter().copied().find(|k| k.as_str() == t || kind_label(*k) == t)
}

/// A quarter label `2024-Q1` … `2024-Q4`, as the quarterly periods of a campaign name them.
fn quarter(text: &str) -> Option<String> {
    let t = text.trim().to_ascii_uppercase().replace(['－', '—'], "-");
    let (y, q) = t.split_once("-Q")?;
    let y: i32 = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
    let start = NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1)?;
    Some(PeriodKind::Quarter.label(start))
}

/// An activity that passed the checks that need no database.
#[derive(Debug, Clone)]
pub struct ValidActivity {
    pub kind: RecordKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub organiser: String,
    pub participants: String,
    pub minutes: String,
    pub period: Option<String>,
    pub flags: Vec<Filter>,
}

/// The checks of one activity that need no database; every problem at once.
pub fn validate(input: &ActivityInput, today: NaiveDate) -> Result<ValidActivity, Vec<FieldError>> {
    let mut c = Collector::default();
    let kind = activity_kind(&input.kind);
    if kind.is_none() {
        c.push(FieldError::new("kind", "activity.kind.unknown").with_detail(input.kind.trim()));
    }
    let title = c.ok(parse_name("title", &input.title, TITLE_MAX));
    let organiser = c.ok(parse_name("organiser", &input.organiser, ORGANISER_MAX));
    let participants = c.ok(parse_optional("participants", &input.participants, TEXT_MAX));
    let minutes = c.ok(parse_optional("minutes", &input.minutes, TEXT_MAX));
    let held_on = match anze_domain::time::parse_date(&input.held_on) {
        Some(d) if d > today => {
            c.push(FieldError::new("held_on", "activity.held_on.future").with_detail(d.to_string()));
            None
        }
        Some(d) => Some(d),
        None if input.held_on.trim().is_empty() => {
            c.push(FieldError::new("held_on", "field.required"));
            None
        }
        None => {
            c.push(FieldError::new("held_on", "field.date_invalid").with_detail(input.held_on.trim()));
            None
        }
    };
    let period = match (kind, input.period.trim()) {
        (Some(RecordKind::QuarterlyReport), "") => {
            c.push(FieldError::new("period", "activity.period.required"));
            None
        }
        (Some(RecordKind::QuarterlyReport), p) => {
            let q = quarter(p);
            let start = q.as_deref().and_then(|l| {
                let (y, n) = l.split_once("-Q")?;
                NaiveDate::from_ymd_opt(y.parse().ok()?, (n.parse::<u32>().ok()? - 1) * 3 + 1, 1)
            });
            match (q, start, held_on) {
                (None, ..) => {
                    c.push(FieldError::new("period", "activity.period.invalid").with_detail(p));
                    None
                }
                // A report on a quarter cannot be filed before the quarter begins.
                (Some(q), Some(start), Some(d)) if d < start => {
                    c.push(FieldError::new("period", "activity.period.not_begun").with_detail(q));
                    None
                }
                (q, ..) => q,
            }
        }
        (_, "") => None,
        (_, p) => {
            c.push(FieldError::new("period", "activity.period.not_applicable").with_detail(p));
            None
        }
    };
    let flags: Vec<Filter> = [
        (input.observed, Filter::Observed, "observed"),
        (input.plenary, Filter::Plenary, "plenary"),
        (input.head_attends, Filter::HeadAttends, "head_attends"),
        (input.for_sector_enterprises, Filter::ForSectorEnterprises, "for_sector_enterprises"),
        (input.for_grid_workers, Filter::ForGridWorkers, "for_grid_workers"),
    ]
    .into_iter()
    .filter(|(on, ..)| *on)
    .filter_map(|(_, f, field)| match kind {
        Some(k) if !f.applies_to(k) => {
            c.push(FieldError::new(field, "activity.flag.not_applicable").with_detail(k.as_str()));
            None
        }
        _ => Some(f),
    })
    .collect();
    match (kind, title, organiser, participants, minutes, held_on) {
        (Some(kind), Some(title), Some(organiser), Some(participants), Some(minutes), Some(held_on)) if c.is_empty() => Ok(ValidActivity {
            kind,
            title,
            held_on,
            organiser,
            participants: participants.unwrap_or_default(),
            minutes: minutes.unwrap_or_default(),
            period,
            flags,
        }),
        _ => Err(c.0),
    }
}

fn row(ctx: &Ctx, actor: &Actor, id: &str, org: &str, v: &ValidActivity, now: DateTime<Utc>) -> entity::ActiveModel {
    let has = |f: Filter| v.flags.contains(&f);
    entity::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(org.to_string()),
        kind: Set(v.kind.as_str().to_string()),
        title: Set(v.title.clone()),
        held_on: Set(v.held_on),
        organiser: Set(v.organiser.clone()),
        participants: Set(v.participants.clone()),
        minutes: Set(v.minutes.clone()),
        period_label: Set(v.period.clone()),
        observed: Set(has(Filter::Observed)),
        plenary: Set(has(Filter::Plenary)),
        head_attends: Set(has(Filter::HeadAttends)),
        for_sector_enterprises: Set(has(Filter::ForSectorEnterprises)),
        for_grid_workers: Set(has(Filter::ForGridWorkers)),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
    }
}

/// The unit an activity is for: in scope (else `NotFound`) and editable by the actor (else `Forbidden`).
async fn unit(ctx: &Ctx, actor: &Actor, organisation_id: &str) -> ServiceResult<Organisation> {
    let id = Uuid::parse_str(organisation_id.trim()).map_err(|_| ServiceError::field("organisation_id", "activity.unit.unknown"))?;
    let (o, e) = crate::scope::organisation(ctx, actor, id).await?;
    if !actor.can(Action::Edit, &crate::scope::target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    Ok(o)
}

/// The checks against stored campaigns and reports, for a batch of valid rows (row index,
/// unit id, activity): dates inside a loaded campaign, no quarter reported twice.
async fn check_stored(ctx: &Ctx, rows: &[(usize, String, &ValidActivity)]) -> ServiceResult<Vec<(usize, FieldError)>> {
    let mut errors = vec![];
    let mut days: HashMap<NaiveDate, bool> = HashMap::new();
    for (i, _, v) in rows {
        let inside = match days.get(&v.held_on) {
            Some(b) => *b,
            None => {
                let b = repo::any_campaign_on(&ctx.db.read, &ctx.tenant, v.held_on).await?;
                days.insert(v.held_on, b);
                b
            }
        };
        if !inside {
            errors.push((*i, FieldError::new("held_on", "activity.held_on.outside_campaign").with_detail(v.held_on.to_string())));
        }
    }
    let keys: Vec<(String, String, String)> =
        rows.iter().filter_map(|(_, o, v)| v.period.as_ref().map(|p| (o.clone(), v.kind.as_str().to_string(), p.clone()))).collect();
    let taken = repo::periods_taken(&ctx.db.read, &ctx.tenant, &keys).await?;
    let mut seen = HashSet::new();
    for (i, o, v) in rows {
        if let Some(p) = &v.period {
            let key = (o.clone(), v.kind.as_str().to_string(), p.clone());
            if taken.contains(&key) || !seen.insert(key) {
                errors.push((*i, FieldError::new("period", "activity.quarterly_report.duplicate").with_detail(p.clone())));
            }
        }
    }
    Ok(errors)
}

fn audit_changes(v: &ValidActivity, id: &str) -> serde_json::Value {
    serde_json::json!({
        "activity": [null, id],
        "kind": [null, v.kind.as_str()],
        "held_on": [null, v.held_on],
        "title": [null, v.title],
        "period": [null, v.period],
    })
}

/// Records one activity; returns its id.
#[tracing::instrument(level = "debug", skip(ctx, actor, input), fields(organisation = %input.organisation_id))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &ActivityInput, now: DateTime<Utc>) -> ServiceResult<String> {
    let o = unit(ctx, actor, &input.organisation_id).await?;
    let v = validate(input, anze_domain::time::local_date(now)).map_err(ServiceError::Invalid)?;
    let mut files = vec![];
    let mut bad = vec![];
    let mut decoded = input.attachments.clone();
    for f in &input.attachments_base64 {
        let t = f.content_base64.trim();
        let t = t.split_once(";base64,").map_or(t, |(_, b)| b);
        match base64::Engine::decode(&base64::engine::general_purpose::STANDARD, t) {
            Ok(bytes) => decoded.push((f.name.clone(), bytes)),
            Err(_) => bad.push(FieldError::new("attachment", "evidence.attachment.not_base64").with_detail(f.name.clone())),
        }
    }
    for (name, bytes) in &decoded {
        match anze_domain::evidence::attachment::check(name, bytes) {
            Ok(kind) => files.push((anze_domain::evidence::attachment::display_name(name), kind, bytes)),
            Err(e) => bad.push(e),
        }
    }
    if !bad.is_empty() {
        return Err(ServiceError::Invalid(bad));
    }
    let stored = check_stored(ctx, &[(0, o.id.clone(), &v)]).await?;
    if !stored.is_empty() {
        return Err(ServiceError::Invalid(stored.into_iter().map(|(_, e)| e).collect()));
    }
    let id = anze_domain::ids::new_id().to_string();
    let r = row(ctx, actor, &id, &o.id, &v, now);
    let tx = ctx.db.write.begin().await?;
    match repo::insert_activities(&tx, vec![r]).await {
        Ok(()) => {}
        // Filed at the same moment by someone else: the unique index has the last word.
        Err(e) if is_unique_violation(&e) => {
            return Err(ServiceError::Invalid(vec![
                FieldError::new("period", "activity.quarterly_report.duplicate").with_detail(v.period.clone().unwrap_or_default()),
            ]));
        }
        Err(e) => return Err(e.into()),
    }
    let mut rows = vec![];
    let mut names = vec![];
    for (name, kind, bytes) in files {
        names.push(name.clone());
        let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
        let key = anze_store::objects::attachment_key(&sha256);
        // Written before the row, once per content (ADR 0008): a failed commit leaves at most an
        // unreferenced file, never a row without its file.
        ctx.objects.put_once(&key, bytes.clone()).await.map_err(|e| ServiceError::Internal(e.to_string()))?;
        rows.push(anze_store::entity::activity_attachment::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            activity_id: Set(id.clone()),
            file_name: Set(name),
            content_type: Set(kind.content_type().into()),
            byte_size: Set(bytes.len() as i64),
            sha256: Set(sha256),
            object_key: Set(key),
            created_by: Set(actor.name.clone()),
            created_at: Set(now),
        });
    }
    repo::insert_attachments(&tx, rows).await?;
    let mut changes = audit_changes(&v, &id);
    if !names.is_empty()
        && let Some(obj) = changes.as_object_mut()
    {
        obj.insert("attachments".into(), serde_json::json!([null, names]));
    }
    audit::record(&tx, ctx, actor, now, audit::Event::new("activity.create", "organisation", &o.id, changes)).await?;
    tx.commit().await?;
    Ok(id)
}

/// One activity of a unit in scope.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<ActivityView> {
    let (a, o) = repo::activity(&ctx.db.read, &ctx.tenant, &actor.scope(), &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    with_attachments(ctx, vec![view(a, &o)]).await?.into_iter().next().ok_or(ServiceError::NotFound)
}

/// Filters of the activity list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ActivityQuery {
    /// Only this unit's.
    #[serde(default)]
    pub organisation_id: Option<String>,
    /// Only this kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// The last id of the previous page (newest first).
    #[serde(default)]
    pub before: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default)]
    pub limit: Option<u64>,
}

/// Activities of units in scope, newest first.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list(ctx: &Ctx, actor: &Actor, q: &ActivityQuery) -> ServiceResult<Vec<ActivityView>> {
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let kind = match nonempty(&q.kind) {
        Some(k) => Some(
            activity_kind(&k)
                .ok_or_else(|| ServiceError::Invalid(vec![FieldError::new("kind", "activity.kind.unknown").with_detail(k)]))?,
        ),
        None => None,
    };
    let org = nonempty(&q.organisation_id);
    let rows = repo::activities(
        &ctx.db.read,
        &ctx.tenant,
        &actor.scope(),
        org.as_deref(),
        kind.map(|k| k.as_str()),
        nonempty(&q.before).as_deref(),
        q.limit.unwrap_or(50).clamp(1, 200),
    )
    .await?;
    with_attachments(ctx, rows.into_iter().map(|(a, o)| view(a, &o)).collect()).await
}

/// Import columns: (header, field, required).
pub const COLUMNS: &[sheet::Column] = &[
    ("单位", "organisation_id", true),
    ("类型", "kind", true),
    ("标题", "title", true),
    ("日期", "held_on", true),
    ("组织者", "organiser", true),
    ("参加人员", "participants", false),
    ("纪要", "minutes", false),
    ("所属季度", "period", false),
    ("观摩", "observed", false),
    ("全体成员会议", "plenary", false),
    ("主任参加", "head_attends", false),
    ("面向本行业企业", "for_sector_enterprises", false),
    ("面向网格员", "for_grid_workers", false),
];

/// The import template (.xlsx) with one example row.
pub fn template() -> ServiceResult<Vec<u8>> {
    let headers = sheet::template_headers(COLUMNS);
    let example = vec![
        "市交通运输专业委员会".to_string(),
        "季度书面报告".into(),
        "一季度专委会工作情况报告".into(),
        "2024-04-05".into(),
        "专委会办公室".into(),
        String::new(),
        String::new(),
        "2024-Q1".into(),
        "否".into(),
        "否".into(),
        "否".into(),
        "否".into(),
        "否".into(),
    ];
    sheet::write("活动记录", &headers, &[example])
}

/// Imports activities from an .xlsx (or CSV) file: every row is checked (unit in scope and
/// editable, kind, dates, quarters, flags) and either all are written in one transaction or
/// none, with every problem named by row and column (the inner `Err`).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn import(ctx: &Ctx, actor: &Actor, bytes: &[u8], now: DateTime<Utc>) -> ServiceResult<Result<usize, Vec<RowError>>> {
    // Someone who may record for no unit at all is refused before the file is read; others
    // learn per row which units they may not record for.
    if !actor.can_somewhere(Action::Edit) {
        return Err(ServiceError::Forbidden);
    }
    let table = match read_table(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(vec![e])),
    };
    let mut errors: Vec<RowError> = vec![];
    let err = |row: usize, field: &str, code: &str, detail: Option<String>| RowError {
        row,
        column: sheet::header_of(COLUMNS, field).into(),
        code: code.into(),
        detail,
    };
    let columns = match sheet::columns(&table, COLUMNS) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    if table.rows.is_empty() {
        return Ok(Err(vec![err(0, "", "import.empty", None)]));
    }
    if table.rows.len() > IMPORT_MAX_ROWS {
        return Ok(Err(vec![err(0, "", "activity.import.too_many_rows", Some(IMPORT_MAX_ROWS.to_string()))]));
    }
    let cell = |cells: &[String], f: &str| columns.cell(cells, f);
    // Units: by id or by exact name within the caller's scope; a name must name one unit.
    let names: Vec<String> = table.rows.iter().map(|(_, c)| cell(c, "organisation_id").trim().to_string()).collect();
    let scope = actor.scope();
    let found = repo::units_named(&ctx.db.read, &ctx.tenant, &scope, &names).await?;
    let mut by_name: HashMap<String, Vec<&anze_store::repo::org::OrgRow>> = HashMap::new();
    for r in &found {
        by_name.entry(r.0.name.clone()).or_default().push(r);
    }
    let today = anze_domain::time::local_date(now);
    let mut valid: Vec<(usize, String, ValidActivity)> = vec![];
    for (row_no, cells) in &table.rows {
        let mut input = ActivityInput {
            kind: cell(cells, "kind"),
            title: cell(cells, "title"),
            held_on: cell(cells, "held_on"),
            organiser: cell(cells, "organiser"),
            participants: cell(cells, "participants"),
            minutes: cell(cells, "minutes"),
            period: cell(cells, "period"),
            ..Default::default()
        };
        for f in ["observed", "plenary", "head_attends", "for_sector_enterprises", "for_grid_workers"] {
            let text = cell(cells, f);
            let Some(on) = sheet::yes_no_cell(&text) else {
                errors.push(err(*row_no, f, "activity.import.yes_no", Some(text)));
                continue;
            };
            match f {
                "observed" => input.observed = on,
                "plenary" => input.plenary = on,
                "head_attends" => input.head_attends = on,
                "for_sector_enterprises" => input.for_sector_enterprises = on,
                _ => input.for_grid_workers = on,
            }
        }
        let unit_text = cell(cells, "organisation_id").trim().to_string();
        let unit = match Uuid::parse_str(&unit_text) {
            Ok(id) => match crate::scope::organisation(ctx, actor, id).await {
                Ok(r) => Some(r),
                Err(ServiceError::NotFound) => None,
                Err(e) => return Err(e),
            },
            Err(_) => match by_name.get(&unit_text).map(Vec::as_slice) {
                Some([one]) => Some((*one).clone()),
                Some([_, _, ..]) => {
                    errors.push(err(*row_no, "organisation_id", "activity.unit.ambiguous", Some(unit_text.clone())));
                    continue;
                }
                _ => None,
            },
        };
        let Some((o, e)) = unit else {
            // The same sentence for absent and out of scope, so nothing outside is confirmed.
            errors.push(err(*row_no, "organisation_id", "activity.unit.unknown", Some(unit_text)));
            continue;
        };
        if !actor.can(Action::Edit, &crate::scope::target_of(&o, e.as_ref())) {
            errors.push(err(*row_no, "organisation_id", "activity.unit.not_editable", Some(o.name.clone())));
            continue;
        }
        match validate(&input, today) {
            Ok(v) => valid.push((*row_no, o.id.clone(), v)),
            Err(fs) => errors.extend(fs.into_iter().map(|f| err(*row_no, f.field, f.code, f.detail))),
        }
    }
    let refs: Vec<(usize, String, &ValidActivity)> = valid.iter().map(|(r, o, v)| (*r, o.clone(), v)).collect();
    for (row_no, f) in check_stored(ctx, &refs).await? {
        errors.push(err(row_no, f.field, f.code, f.detail));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }
    let ids: Vec<String> = valid.iter().map(|_| anze_domain::ids::new_id().to_string()).collect();
    let rows: Vec<entity::ActiveModel> = valid.iter().zip(&ids).map(|((_, o, v), id)| row(ctx, actor, id, o, v, now)).collect();
    let tx = ctx.db.write.begin().await?;
    for ((_, o, v), id) in valid.iter().zip(&ids) {
        audit::record(&tx, ctx, actor, now, audit::Event::new("activity.import", "organisation", o, audit_changes(v, id))).await?;
    }
    match repo::insert_activities(&tx, rows).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Ok(Err(vec![err(0, "period", "activity.quarterly_report.duplicate", None)])),
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(Ok(valid.len()))
}

/// The units whose records the actor may enter or read on the activities page (the board's
/// units in scope), as id and name.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn units(ctx: &Ctx, actor: &Actor) -> ServiceResult<Vec<(String, String)>> {
    let orgs = repo::board_units(&ctx.db.read, &ctx.tenant, &actor.scope()).await?;
    Ok(orgs.into_iter().map(|o| (o.id, o.name)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn input(kind: &str) -> ActivityInput {
        ActivityInput {
            kind: kind.into(),
            title: "学习会".into(),
            held_on: "2024-03-05".into(),
            organiser: "办公室".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_activity_and_its_labels() {
        let v = validate(&input("组织学习"), d(12, 31)).unwrap();
        assert_eq!((v.kind, v.held_on), (RecordKind::StudySession, d(3, 5)));
        for k in ACTIVITY_KINDS {
            assert!(!kind_label(*k).is_empty(), "{k:?} has a label");
            assert_eq!(activity_kind(kind_label(*k)), Some(*k));
        }
    }

    #[test]
    fn every_problem_is_named() {
        let mut i = input("hazard");
        i.title = " ".into();
        i.held_on = "2024-13-01".into();
        let codes: Vec<_> = validate(&i, d(12, 31)).unwrap_err().iter().map(|e| (e.field, e.code)).collect();
        assert!(codes.contains(&("kind", "activity.kind.unknown")));
        assert!(codes.contains(&("title", "field.required")));
        assert!(codes.contains(&("held_on", "field.date_invalid")));
        assert_eq!(validate(&input("training"), d(3, 1)).unwrap_err()[0].code, "activity.held_on.future");
    }

    #[test]
    fn quarterly_reports_name_their_quarter_and_flags_fit_their_kind() {
        let mut q = input("quarterly_report");
        assert_eq!(validate(&q, d(12, 31)).unwrap_err()[0].code, "activity.period.required");
        q.period = "2024-q5".into();
        assert_eq!(validate(&q, d(12, 31)).unwrap_err()[0].code, "activity.period.invalid");
        q.period = "2024-q1".into();
        assert_eq!(validate(&q, d(12, 31)).unwrap().period.as_deref(), Some("2024-Q1"));
        q.period = "2024-Q2".into();
        assert_eq!(validate(&q, d(12, 31)).unwrap_err()[0].code, "activity.period.not_begun", "filed 5 March on the second quarter");
        let mut s = input("study_session");
        s.period = "2024-Q1".into();
        assert_eq!(validate(&s, d(12, 31)).unwrap_err()[0].code, "activity.period.not_applicable");
        let mut t = input("training");
        t.observed = true;
        assert_eq!(validate(&t, d(12, 31)).unwrap_err()[0].code, "activity.flag.not_applicable");
        let mut dr = input("drill");
        dr.observed = true;
        assert_eq!(validate(&dr, d(12, 31)).unwrap().flags, vec![Filter::Observed]);
    }
}
