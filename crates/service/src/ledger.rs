//! The "1+N" e-ledger (measure 19): one enterprise's base record and topical ledgers with
//! their completeness marks, and, for the city and its townships, how many units have an
//! established ledger against the 30 April deadline. The rules are in
//! `anze_domain::ledger`; this module gathers what each ledger's source reports.

use crate::org::regions_of_level;
use crate::scope::organisation as get;
use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::ledger::{self as rule, DeadlineStatus, Entry};
use anze_domain::org::{RegionLevel, SupervisionClass};
use anze_store::repo::duty as duty_repo;
use anze_store::repo::org::{self as org_repo, Enterprise, Organisation};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Grace period (days) for staleness in the duty-list figures.
pub const GRACE_DAYS: i64 = 7;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerEntryDto {
    /// `base_record`, `duty_lists`, `training`, `hazards`, `inspections`, `hazardous_work`,
    /// `meetings` or `insurance`.
    pub kind: String,
    /// `complete`, `incomplete` or `not_kept`.
    pub mark: String,
    /// What is missing: field names (base record), tier codes, `staff`, `signatures` (lists).
    pub missing: Vec<String>,
}

/// One enterprise's "1+N" ledger.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseLedger {
    pub organisation_id: String,
    pub name: String,
    pub entries: Vec<LedgerEntryDto>,
    /// Complete ledgers ÷ all ledgers, in per mille.
    pub score_permille: u64,
    /// Base record and duty-list ledger both complete.
    pub established: bool,
    /// The duty-list figures behind its mark.
    pub people: u64,
    pub covered: u64,
}

/// Every source that keeps a ledger today. A module that keeps another ledger (training,
/// hazards, inspections …) adds its source here; kinds nobody reports stay "not yet kept".
async fn sources(
    ctx: &Ctx,
    actor: &Actor,
    id: Uuid,
    o: &Organisation,
    e: &Enterprise,
    now: DateTime<Utc>,
) -> ServiceResult<(Vec<Entry>, u64, u64)> {
    let c = crate::coverage::of_unit(ctx, actor, id, GRACE_DAYS, now).await?;
    let published = duty_repo::published_of(&ctx.db.read, &o.id).await?.len();
    let lists = rule::duty_lists(c.people, c.covered, &c.missing_lists, published);
    Ok((vec![rule::base_record(&org_repo::base_record_facts(o, e)), lists], c.people, c.covered))
}

/// The ledger of one enterprise in the actor's scope.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn of_enterprise(ctx: &Ctx, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> ServiceResult<EnterpriseLedger> {
    let (o, e) = get(ctx, actor, id).await?;
    let e = e.ok_or(ServiceError::NotFound)?;
    let (reported, people, covered) = sources(ctx, actor, id, &o, &e, now).await?;
    let l = rule::assess(reported);
    Ok(EnterpriseLedger {
        organisation_id: o.id,
        name: o.name,
        entries: l
            .entries
            .into_iter()
            .map(|x| LedgerEntryDto { kind: x.kind.as_str().into(), mark: x.mark.as_str().into(), missing: x.missing })
            .collect(),
        score_permille: l.score_permille,
        established: l.established,
        people,
        covered,
    })
}

/// Counts of one group of units against the deadline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerRow {
    /// Township code, or supervision class (`a`–`d`); empty for the total.
    pub code: String,
    pub name: String,
    pub total: u64,
    pub base_complete: u64,
    pub duty_complete: u64,
    pub established: u64,
    /// Established ÷ total, in per mille.
    pub permille: u64,
    /// `open`, `met` or `missed`.
    pub status: String,
    /// Days to the deadline (`open`) or past it (`missed`).
    pub days: i64,
}

/// The city (or township) view of established ledgers, by locality and by level.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CityLedgers {
    /// 30 April of the current year (Asia/Shanghai).
    pub deadline: NaiveDate,
    pub today: NaiveDate,
    pub total: LedgerRow,
    /// By locality (township).
    pub townships: Vec<LedgerRow>,
    /// By level: the supervision class of 分级分类监管 (A key supervision … D), the grading
    /// that decides which level of government answers for a unit (属地为主、分级负责).
    pub classes: Vec<LedgerRow>,
}

#[derive(Default, Clone, Copy)]
struct Sum {
    total: u64,
    base: u64,
    duty: u64,
    established: u64,
}

fn row(code: String, name: String, s: Sum, today: NaiveDate) -> LedgerRow {
    let (status, days) = match rule::deadline_status(today, s.established, s.total) {
        DeadlineStatus::Open { days_left } => ("open", days_left),
        DeadlineStatus::Met => ("met", 0),
        DeadlineStatus::Missed { days_over } => ("missed", days_over),
    };
    LedgerRow {
        code,
        name,
        total: s.total,
        base_complete: s.base,
        duty_complete: s.duty,
        established: s.established,
        permille: (s.established * 1000).checked_div(s.total).unwrap_or(0),
        status: status.into(),
        days,
    }
}

/// Established ledgers of the enterprises in the actor's scope (a township officer sees their
/// township, the city everything), counted by the database (`repo::ledger::counts`).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn city(ctx: &Ctx, actor: &Actor, now: DateTime<Utc>) -> ServiceResult<CityLedgers> {
    let counts = anze_store::repo::ledger::counts(&ctx.db.read, &ctx.tenant, &actor.scope()).await?;
    let today = anze_domain::time::local_date(now);
    let names: BTreeMap<String, String> =
        regions_of_level(ctx, RegionLevel::Township).await?.into_iter().map(|r| (r.code, r.name)).collect();
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    let mut total = Sum::default();
    let mut by_town: BTreeMap<String, Sum> = BTreeMap::new();
    let mut by_class: BTreeMap<String, Sum> = BTreeMap::new();
    for c in &counts {
        let add = |s: &mut Sum| {
            s.total += n(c.total);
            s.base += n(c.base_complete);
            s.duty += n(c.duty_complete);
            s.established += n(c.established);
        };
        add(&mut total);
        add(by_town.entry(c.township_code.clone().unwrap_or_default()).or_default());
        add(by_class.entry(c.supervision_class.clone()).or_default());
    }
    let townships = by_town.into_iter().map(|(code, s)| row(code.clone(), names.get(&code).cloned().unwrap_or(code), s, today)).collect();
    let classes = SupervisionClass::ALL
        .iter()
        .filter_map(|k| by_class.get(k.as_str()).map(|s| row(k.as_str().into(), k.as_str().to_uppercase(), *s, today)))
        .collect();
    Ok(CityLedgers {
        deadline: rule::deadline_of(today),
        today,
        total: row(String::new(), String::new(), total, today),
        townships,
        classes,
    })
}
