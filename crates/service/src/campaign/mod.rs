//! Campaigns (issue 5): loading a campaign file as a new version, reading its obligations,
//! copying it to another year, and the officer's documented exemptions and subject flags.
//!
//! Who: the city office (city administrators and the committee office) loads, copies and
//! exempts; every signed-in user may read campaigns and their obligations, which are the
//! city's published rules. Each write is one transaction with its audit event.

use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::{Action, Role};
use anze_domain::campaign::{self as rule, Campaign, CampaignError, Due, Exemption, Metric, Obligation};
use anze_store::entity::{campaign as campaign_entity, exemption as exemption_entity, subject_flag};
use anze_store::repo::campaign::{self as repo, CampaignRow};
use anze_store::{TransactionTrait, is_unique_violation};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Activity records (study sessions, trainings, drills, meetings …) entered by units.
pub mod activity;
/// The board: every obligation's status per unit and period, computed from the records.
pub mod board;

/// Largest campaign file accepted, in bytes (the shipped notice is about 20 KB).
pub const SOURCE_MAX: usize = 512 * 1024;

/// Whether the actor speaks for the city office (安委会办公室), which owns campaigns.
pub fn is_city_office(actor: &Actor) -> bool {
    actor.assignments.iter().any(|a| matches!(a.role, Role::CityAdmin | Role::CommitteeOffice))
}

/// One loaded campaign version as lists show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignSummary {
    pub id: String,
    pub code: String,
    pub version: i32,
    pub title: String,
    pub issuer: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub obligations: usize,
    pub loaded_by: String,
    pub loaded_at: DateTime<Utc>,
    /// Whether this is the newest version of its code.
    pub latest: bool,
}

/// A problem of a campaign file, as the API returns it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoadError {
    /// 1-based line in the file.
    pub line: usize,
    pub field: String,
    pub code: String,
    pub detail: Option<String>,
}

impl From<&CampaignError> for LoadError {
    fn from(e: &CampaignError) -> Self {
        LoadError { line: e.line, field: e.field.clone(), code: e.code.to_string(), detail: e.detail.clone() }
    }
}

/// One period of an obligation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeriodView {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
}

/// One obligation as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ObligationView {
    pub code: String,
    /// `12` or `work_plan`.
    pub measure: String,
    pub words: String,
    /// `committee_office`, `special_committee`, `department`, `township_office`, `enterprise`, `grid`.
    pub subject_kind: String,
    /// The subject filters, e.g. `enforcement_powers=true`.
    pub subject_filters: Vec<String>,
    /// `count`, `share`, `exists_by`, `staff_in_post`, `coverage` or `in_order`.
    pub metric: String,
    /// The record kinds counted (two for `in_order`), or the post tier for `staff_in_post`.
    pub records: Vec<String>,
    pub filters: Vec<String>,
    pub condition: Option<String>,
    pub threshold: f64,
    /// `campaign`, `year`, `half_year`, `quarter`, `month` or `week`.
    pub period: String,
    /// A fixed due date, if any.
    pub due_date: Option<NaiveDate>,
    /// Days after each period's end, if not a fixed date.
    pub due_offset_days: Option<u32>,
    pub warning_days: u32,
    pub sensitive_extra: u32,
    pub periods: Vec<PeriodView>,
}

/// The subject filters of an obligation as `name=value` strings.
pub fn subject_filters(o: &Obligation) -> Vec<String> {
    let s = &o.subjects;
    let mut out = vec![];
    for (name, v) in [
        ("enforcement_powers", s.enforcement_powers),
        ("comprehensive_enforcement", s.comprehensive_enforcement),
        ("committee_member", s.committee_member),
        ("high_risk", s.high_risk),
        ("concentrated_risk", s.concentrated_risk),
    ] {
        if let Some(v) = v {
            out.push(format!("{name}={v}"));
        }
    }
    if !s.industries.is_empty() {
        out.push(format!("industries={}", s.industries.join(",")));
    }
    out
}

pub fn obligation_view(c: &Campaign, o: &Obligation) -> ObligationView {
    let (records, filters, condition) = match &o.metric {
        Metric::Count { record, filters } | Metric::ExistsBy { record, filters } => (vec![record.as_str()], filters.clone(), None),
        Metric::Share { record, condition, filters } => (vec![record.as_str()], filters.clone(), Some(condition.as_str().to_string())),
        Metric::StaffInPost { role } => (vec![role.as_str()], vec![], None),
        Metric::Coverage => (vec![], vec![], None),
        Metric::InOrder { first, then, filters } => (vec![first.as_str(), then.as_str()], filters.clone(), None),
    };
    let (due_date, due_offset_days) = match o.due {
        Due::Date(d) => (Some(d), None),
        Due::AfterEnd(n) => (None, Some(n)),
    };
    ObligationView {
        code: o.code.clone(),
        measure: o.measure.label(),
        words: o.words.clone(),
        subject_kind: o.subjects.kind.as_str().to_string(),
        subject_filters: subject_filters(o),
        metric: o.metric.name().as_str().to_string(),
        records: records.into_iter().map(String::from).collect(),
        filters: filters.iter().map(|f| f.as_str().to_string()).collect(),
        condition,
        threshold: o.threshold,
        period: o.period.as_str().to_string(),
        due_date,
        due_offset_days,
        warning_days: o.warning_days,
        sensitive_extra: o.sensitive_extra,
        periods: o.periods(c).into_iter().map(|p| PeriodView { label: p.label, start: p.start, end: p.end, due: p.due }).collect(),
    }
}

fn summary(row: &CampaignRow, obligations: usize, latest: bool) -> CampaignSummary {
    CampaignSummary {
        id: row.id.clone(),
        code: row.code.clone(),
        version: row.version,
        title: row.title.clone(),
        issuer: row.issuer.clone(),
        start: row.start_date,
        end: row.end_date,
        obligations,
        loaded_by: row.loaded_by.clone(),
        loaded_at: row.loaded_at,
        latest,
    }
}

/// The campaign a stored version holds. Stored text was valid when loaded and the parser only
/// grows, so a failure here is a defect, not the user's input.
pub fn parsed(row: &CampaignRow) -> ServiceResult<Campaign> {
    rule::parse(&row.source).map_err(|e| ServiceError::Internal(format!("stored campaign {} no longer parses: {e:?}", row.id)))
}

async fn store(
    ctx: &Ctx,
    actor: &Actor,
    c: &Campaign,
    source: &str,
    action: &str,
    from: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<CampaignSummary> {
    let tx = ctx.db.write.begin().await?;
    let version = repo::latest_version(&tx, &ctx.tenant, &c.code).await?.unwrap_or(0) + 1;
    let id = anze_domain::ids::new_id().to_string();
    let row = campaign_entity::Model {
        id: id.clone(),
        tenant_id: ctx.tenant.clone(),
        code: c.code.clone(),
        version,
        title: c.title.clone(),
        issuer: c.issuer.clone(),
        start_date: c.start,
        end_date: c.end,
        source: source.to_string(),
        loaded_by: actor.name.clone(),
        loaded_at: now,
    };
    match repo::insert_campaign(&tx, campaign_entity::ActiveModel::from(row.clone())).await {
        Ok(()) => {}
        // Two loads of one code at once: the second is told to try again, nothing is half-written.
        Err(e) if is_unique_violation(&e) => return Err(ServiceError::Refused("campaign.version_conflict")),
        Err(e) => return Err(e.into()),
    }
    let changes = serde_json::json!({
        "campaign": [null, {"code": c.code, "version": version, "start": c.start, "end": c.end, "obligations": c.obligations.len()}],
        "from": [null, from],
    });
    audit::record(&tx, ctx, actor, now, audit::Event::new(action, "campaign", &id, changes)).await?;
    tx.commit().await?;
    Ok(summary(&row, c.obligations.len(), true))
}

/// Loads a campaign file as the next version of its code. A file with any problem is refused
/// with every problem and its line (the inner `Err`), and nothing is stored.
#[tracing::instrument(level = "debug", skip(ctx, actor, text))]
pub async fn load(ctx: &Ctx, actor: &Actor, text: &str, now: DateTime<Utc>) -> ServiceResult<Result<CampaignSummary, Vec<LoadError>>> {
    if !is_city_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    if text.len() > SOURCE_MAX {
        let e = LoadError { line: 1, field: "source".into(), code: "campaign.file.too_large".into(), detail: Some(SOURCE_MAX.to_string()) };
        return Ok(Err(vec![e]));
    }
    if text.trim().is_empty() {
        return Ok(Err(vec![LoadError { line: 1, field: "source".into(), code: "field.required".into(), detail: None }]));
    }
    let c = match rule::parse(text) {
        Ok(c) => c,
        Err(errors) => return Ok(Err(errors.iter().map(LoadError::from).collect())),
    };
    store(ctx, actor, &c, text, "campaign.load", None, now).await.map(Ok)
}

/// Every loaded version, newest campaign first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(ctx: &Ctx, _actor: &Actor) -> ServiceResult<Vec<CampaignSummary>> {
    let rows = repo::campaigns(&ctx.db.read, &ctx.tenant).await?;
    let mut out = vec![];
    for r in &rows {
        let latest = !rows.iter().any(|o| o.code == r.code && o.version > r.version);
        out.push(summary(r, parsed(r)?.obligations.len(), latest));
    }
    Ok(out)
}

/// One version and its campaign.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub async fn get(ctx: &Ctx, _actor: &Actor, id: Uuid) -> ServiceResult<(CampaignSummary, Campaign)> {
    let rows = repo::campaigns(&ctx.db.read, &ctx.tenant).await?;
    let row = rows.iter().find(|r| r.id == id.to_string()).ok_or(ServiceError::NotFound)?;
    let c = parsed(row)?;
    let latest = !rows.iter().any(|o| o.code == row.code && o.version > row.version);
    Ok((summary(row, c.obligations.len(), latest), c))
}

/// The campaign to show by default on `day`: the newest version of the campaign running that
/// day (the latest start), else the newest loaded.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn current(ctx: &Ctx, day: NaiveDate) -> ServiceResult<Option<CampaignRow>> {
    let rows = repo::campaigns(&ctx.db.read, &ctx.tenant).await?;
    let newest = |r: &&CampaignRow| !rows.iter().any(|o| o.code == r.code && o.version > r.version);
    let running =
        rows.iter().filter(newest).filter(|r| r.start_date <= day && day <= r.end_date).max_by_key(|r| (r.start_date, r.loaded_at));
    Ok(running.or_else(|| rows.iter().filter(newest).max_by_key(|r| (r.start_date, r.loaded_at))).cloned())
}

/// The obligations of one version.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn obligations(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<Vec<ObligationView>> {
    let (_, c) = get(ctx, actor, id).await?;
    Ok(c.obligations.iter().map(|o| obligation_view(&c, o)).collect())
}

/// A copy of a version with every date moved by `years` (1 to 5), stored as a new campaign
/// (its code takes the new year). Sensitive periods follow the lunar calendar: review them.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn copy(ctx: &Ctx, actor: &Actor, id: Uuid, years: i32, now: DateTime<Utc>) -> ServiceResult<CampaignSummary> {
    if !is_city_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    let (s, c) = get(ctx, actor, id).await?;
    if !(1..=5).contains(&years) {
        return Err(ServiceError::Invalid(vec![FieldError::new("years", "campaign.copy.years_invalid").with_detail(years.to_string())]));
    }
    let next = rule::shift_years(&c, years);
    let note = format!(
        "{} 第 {} 版顺延 {years} 年的副本（copy of {} v{} shifted by {years} year(s)）。\n敏感时段按农历变化，载入前请核对。",
        s.code, s.version, s.code, s.version
    );
    let text = rule::to_toml(&next, &note);
    // The copy must read back as itself; if not, storing it would make an unreadable version.
    if rule::parse(&text).as_ref() != Ok(&next) {
        return Err(ServiceError::Internal(format!("copy of campaign {id} does not read back")));
    }
    store(ctx, actor, &next, &text, "campaign.copy", Some(&s.id), now).await
}

/// An exemption as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ExemptionInput {
    /// The obligation's code.
    #[serde(default)]
    pub obligation: String,
    #[serde(default)]
    pub organisation_id: String,
    /// The period's label (`campaign`, `2024-Q1` …).
    #[serde(default)]
    pub period: String,
    /// Why; required.
    #[serde(default)]
    pub reason: String,
}

/// Grants a documented exemption to one unit for one period of one obligation. The status
/// itself is never changed; the exemption is shown beside it.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, campaign_id = %campaign_id))]
pub async fn exempt(ctx: &Ctx, actor: &Actor, campaign_id: Uuid, input: &ExemptionInput, now: DateTime<Utc>) -> ServiceResult<String> {
    if !is_city_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    let (s, c) = get(ctx, actor, campaign_id).await?;
    let mut errors = vec![];
    let reason = Exemption::new(&input.reason).map_err(|e| errors.push(e)).ok();
    let obligation = c.obligation(input.obligation.trim());
    if obligation.is_none() {
        errors.push(FieldError::new("obligation", "campaign.obligation.unknown").with_detail(input.obligation.trim()));
    }
    let period = obligation.and_then(|o| o.periods(&c).into_iter().find(|p| p.label == input.period.trim()));
    if obligation.is_some() && period.is_none() {
        errors.push(FieldError::new("period", "campaign.period.unknown_label").with_detail(input.period.trim()));
    }
    let unit = match Uuid::parse_str(input.organisation_id.trim()) {
        Ok(id) => Some(crate::scope::organisation(ctx, actor, id).await?),
        Err(_) => {
            errors.push(FieldError::new("organisation_id", "field.required"));
            None
        }
    };
    let (Some(reason), Some(period), Some((o, _))) = (reason, period, unit) else { return Err(ServiceError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let id = anze_domain::ids::new_id().to_string();
    let row = exemption_entity::Model {
        id: id.clone(),
        tenant_id: ctx.tenant.clone(),
        campaign_id: s.id.clone(),
        obligation_code: input.obligation.trim().to_string(),
        organisation_id: o.id.clone(),
        period_label: period.label.clone(),
        reason: reason.reason.clone(),
        granted_by: actor.name.clone(),
        granted_at: now,
    };
    let tx = ctx.db.write.begin().await?;
    match repo::insert_exemption(&tx, exemption_entity::ActiveModel::from(row)).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(ServiceError::Refused("campaign.exemption.exists")),
        Err(e) => return Err(e.into()),
    }
    let changes = serde_json::json!({
        "exemption": [null, {"campaign": s.id, "obligation": input.obligation.trim(), "period": period.label, "reason": reason.reason}],
    });
    audit::record(&tx, ctx, actor, now, audit::Event::new("campaign.exempt", "organisation", &o.id, changes)).await?;
    tx.commit().await?;
    Ok(id)
}

/// The facts about a unit the city office records for campaign subjects.
pub const SUBJECT_FLAGS: &[&str] = &["comprehensive_enforcement", "concentrated_risk", "enforcement_powers"];

/// Sets or clears a subject flag of a unit (city office only, unit in scope).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, organisation = %organisation))]
pub async fn set_flag(ctx: &Ctx, actor: &Actor, organisation: Uuid, flag: &str, on: bool, now: DateTime<Utc>) -> ServiceResult<bool> {
    let (o, e) = crate::scope::organisation(ctx, actor, organisation).await?;
    if !is_city_office(actor) || !actor.can(Action::View, &crate::scope::target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    let Some(flag) = SUBJECT_FLAGS.iter().find(|f| **f == flag.trim()) else {
        return Err(ServiceError::Invalid(vec![FieldError::new("flag", "campaign.flag.unknown").with_detail(flag.trim())]));
    };
    let row = subject_flag::Model {
        id: anze_domain::ids::new_id().to_string(),
        tenant_id: ctx.tenant.clone(),
        organisation_id: o.id.clone(),
        flag: flag.to_string(),
        set_by: actor.name.clone(),
        set_at: now,
    };
    let tx = ctx.db.write.begin().await?;
    let changed = repo::set_flag(&tx, row, on).await?;
    if changed {
        audit::record(
            &tx,
            ctx,
            actor,
            now,
            audit::Event::new("campaign.flag", "organisation", &o.id, serde_json::json!({ *flag: [!on, on] })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_city_office_owns_campaigns() {
        assert!(is_city_office(&Actor::system("t")));
        let mut a = Actor::system("t");
        a.assignments[0].role = Role::TownshipOfficer;
        assert!(!is_city_office(&a));
    }
}
