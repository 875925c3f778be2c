//! Coverage measured across units: rollups by township, industry and the whole city with
//! drill-down to enterprises (and from there to names), the 31 March deadline of government
//! lists, and the daily job that refreshes the figures and tells units who is stale.

use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::auth::Action;
use anze_domain::auth::expand_industries;
use anze_domain::duty::{DEADLINE_TIERS, DeadlineState, Tally, deadline_state, government_list_deadline};
use anze_domain::org::{OrgKind, RegionLevel};
use anze_store::TransactionTrait;
use anze_store::repo::coverage::{self as repo, RollupFilter, RollupRow};
/// One enterprise's coverage figures (drill-down rows) and the ways a rollup groups.
pub use anze_store::repo::coverage::{EnterpriseFigures, GroupBy};
use anze_store::repo::duty as duty_repo;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

mod unit;

pub use unit::*;

/// Filters as typed: a township code, an industry code (and its sub-codes).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct CoverageQuery {
    #[serde(default)]
    pub township: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Unknown codes are errors naming the field, not empty tables.
async fn resolve(ctx: &Ctx, q: &CoverageQuery) -> ServiceResult<RollupFilter> {
    let mut f = RollupFilter::default();
    if let Some(t) = nonempty(&q.township) {
        let r = anze_store::repo::region::by_code(&ctx.db.read, &ctx.tenant, t).await?;
        match r {
            Some(r) if r.level == RegionLevel::Township.as_str() => f.township_code = Some(r.code),
            _ => return Err(ServiceError::Invalid(vec![anze_domain::FieldError::new("township", "region.code.unknown").with_detail(t)])),
        }
    }
    if let Some(i) = nonempty(&q.industry) {
        let codes = expand_industries(&[i.to_string()]);
        if codes.is_empty() {
            return Err(ServiceError::Invalid(vec![anze_domain::FieldError::new("industry", "org.industry.unknown").with_detail(i)]));
        }
        f.industry_codes = Some(codes);
    }
    Ok(f)
}

/// One row of a rollup.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RollupLine {
    /// Township code or industry code; `None` for enterprises without one.
    pub key: Option<String>,
    /// The township's name (industries are named by the caller's language).
    pub name: Option<String>,
    pub enterprises: u64,
    /// Enterprises where everyone is covered.
    pub complete: u64,
    pub with_missing_lists: u64,
    pub people: u64,
    pub covered: u64,
    pub stale: u64,
    pub permille: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Rollup {
    pub total: RollupLine,
    pub lines: Vec<RollupLine>,
}

fn line(r: &RollupRow, name: Option<String>) -> RollupLine {
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    let tally = Tally { people: n(r.people), covered: n(r.covered), stale: n(r.stale) };
    RollupLine {
        key: r.key.clone(),
        name,
        enterprises: n(r.enterprises),
        complete: n(r.complete),
        with_missing_lists: n(r.with_missing_lists),
        people: tally.people,
        covered: tally.covered,
        stale: tally.stale,
        permille: tally.permille(),
    }
}

/// Coverage of the enterprises in the actor's scope, grouped by township or industry, with the
/// total. Every figure is summed from the per-unit summaries, which the writes keep current.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn rollup(ctx: &Ctx, actor: &Actor, q: &CoverageQuery, by: GroupBy) -> ServiceResult<Rollup> {
    let f = resolve(ctx, q).await?;
    let rows = repo::rollup(&ctx.db.read, &ctx.tenant, &actor.scope(), &f, by).await?;
    let names: HashMap<String, String> = match by {
        GroupBy::Township => anze_store::repo::region::of_level(&ctx.db.read, &ctx.tenant, RegionLevel::Township.as_str(), None)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect(),
        GroupBy::Industry => HashMap::new(),
    };
    let lines: Vec<RollupLine> = rows.iter().map(|r| line(r, r.key.as_ref().and_then(|k| names.get(k).cloned()))).collect();
    let sum = |g: fn(&RollupLine) -> u64| lines.iter().map(g).sum::<u64>();
    let tally = lines.iter().fold(Tally::default(), |t, l| t + Tally { people: l.people, covered: l.covered, stale: l.stale });
    let total = RollupLine {
        key: None,
        name: None,
        enterprises: sum(|l| l.enterprises),
        complete: sum(|l| l.complete),
        with_missing_lists: sum(|l| l.with_missing_lists),
        people: tally.people,
        covered: tally.covered,
        stale: tally.stale,
        permille: tally.permille(),
    };
    Ok(Rollup { total, lines })
}

/// The enterprises behind a rollup row (most people not covered first), up to `limit`.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn drill_down(ctx: &Ctx, actor: &Actor, q: &CoverageQuery, limit: u64) -> ServiceResult<Vec<EnterpriseFigures>> {
    let f = resolve(ctx, q).await?;
    Ok(repo::enterprises(&ctx.db.read, &ctx.tenant, &actor.scope(), &f, limit.clamp(1, 1000)).await?)
}

/// One government body against the 31 March deadline.
#[derive(Debug, Clone, Serialize)]
pub struct GovernmentLists {
    pub organisation_id: String,
    pub name: String,
    pub kind: String,
    /// For each deadline tier: the state and the first publication this year (local date).
    pub tiers: Vec<(String, DeadlineState, Option<NaiveDate>)>,
    pub people: u64,
    pub covered: u64,
}

/// Government bodies in the actor's scope with their leader lists and section task division
/// measured against 31 March of the current year (a version first published this year counts).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn government_deadlines(ctx: &Ctx, actor: &Actor, now: DateTime<Utc>) -> ServiceResult<(NaiveDate, Vec<GovernmentLists>)> {
    let today = anze_domain::time::local_date(now);
    let deadline = government_list_deadline(today.year());
    let kinds: Vec<&str> = OrgKind::ALL.iter().filter(|k| k.is_government()).map(|k| k.as_str()).collect();
    let orgs = repo::organisations_of_kinds(&ctx.db.read, &ctx.tenant, &actor.scope(), &kinds).await?;
    let ids: Vec<String> = orgs.iter().map(|(o, _)| o.id.clone()).collect();
    let mut first: HashMap<(String, String), NaiveDate> = HashMap::new();
    for l in duty_repo::published_history(&ctx.db.read, &ids).await? {
        let Some(on) = l.published_at.map(anze_domain::time::local_date) else { continue };
        if on.year() != today.year() {
            continue;
        }
        let e = first.entry((l.organisation_id, l.tier)).or_insert(on);
        *e = (*e).min(on);
    }
    let out = orgs
        .into_iter()
        .map(|(o, s)| {
            let tiers = DEADLINE_TIERS
                .iter()
                .map(|t| {
                    let on = first.get(&(o.id.clone(), t.to_string())).copied();
                    (t.to_string(), deadline_state(on, deadline, today), on)
                })
                .collect();
            GovernmentLists {
                organisation_id: o.id,
                name: o.name,
                kind: o.kind,
                tiers,
                people: s.as_ref().map_or(0, |s| s.people.max(0) as u64),
                covered: s.as_ref().map_or(0, |s| s.covered.max(0) as u64),
            }
        })
        .collect();
    Ok((deadline, out))
}

/// What the daily job did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DailyRun {
    pub refreshed: u64,
    pub units_with_stale: u64,
    pub notified: u64,
}

/// The daily job: refreshes every unit's figures (staleness moves with the calendar even when
/// nothing is written) and issues one notice per unit with stale people that day, naming them.
/// Each unit is its own short transaction, so a run never holds the writer for long.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run_daily(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<DailyRun> {
    let mut run = DailyRun::default();
    let today = anze_domain::time::local_date(now);
    let mut after: Option<String> = None;
    loop {
        let ids = repo::organisation_ids(&ctx.db.read, &ctx.tenant, after.as_deref(), 500).await?;
        let Some(last) = ids.last().cloned() else { break };
        for id in ids {
            let tx = ctx.db.write.begin().await?;
            let c = refresh(&tx, ctx, &id, now).await?;
            run.refreshed += 1;
            if c.stale > 0 {
                run.units_with_stale += 1;
                let names: Vec<&str> = c.persons.iter().filter(|p| p.stale).map(|p| p.name.as_str()).take(50).collect();
                let params = serde_json::json!({"stale": c.stale, "people": c.people, "names": names});
                let row = anze_store::entity::notification::ActiveModel {
                    id: Set(anze_domain::ids::new_id().to_string()),
                    tenant_id: Set(ctx.tenant.clone()),
                    organisation_id: Set(id.clone()),
                    kind: Set(STALE_NOTICE.into()),
                    params: Set(params.to_string()),
                    issued_on: Set(today),
                    created_at: Set(now),
                    read_at: Set(None),
                };
                if anze_store::repo::notification::issue(&tx, row).await? {
                    run.notified += 1;
                    crate::audit::record(
                        &tx,
                        ctx,
                        &Actor::system("daily"),
                        now,
                        crate::audit::Event::new(
                            "notification.issue",
                            "organisation",
                            &id,
                            serde_json::json!({"kind": [null, STALE_NOTICE], "stale": [null, c.stale]}),
                        ),
                    )
                    .await?;
                }
            }
            tx.commit().await?;
        }
        after = Some(last);
    }
    Ok(run)
}

/// The kind of the daily staleness notice.
pub const STALE_NOTICE: &str = "duty.stale";

/// A notice as a page shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Notice {
    pub kind: String,
    pub issued_on: NaiveDate,
    pub stale: u64,
    pub names: Vec<String>,
    /// Hazards escalated to the unit that day (`hazard.escalation`), by description.
    pub hazards: Vec<String>,
}

/// The latest notices of a unit in the actor's scope.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn notices(ctx: &Ctx, actor: &Actor, org_id: uuid::Uuid) -> ServiceResult<Vec<Notice>> {
    let (o, e) = crate::scope::organisation(ctx, actor, org_id).await?;
    if !actor.can(Action::View, &crate::scope::target_of(&o, e.as_ref())) {
        return Err(ServiceError::NotFound);
    }
    Ok(anze_store::repo::notification::of_organisation(&ctx.db.read, &o.id, 10)
        .await?
        .into_iter()
        .map(|n| {
            let p: serde_json::Value = serde_json::from_str(&n.params).unwrap_or_default();
            Notice {
                kind: n.kind,
                issued_on: n.issued_on,
                stale: p["stale"].as_u64().unwrap_or(0),
                names: p["names"].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default(),
                hazards: p["hazards"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|h| h["description"].as_str().map(String::from)).collect())
                    .unwrap_or_default(),
            }
        })
        .collect())
}
