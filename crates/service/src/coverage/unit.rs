//! One unit's coverage (全员覆盖) and staleness (动态调整), computed from its employments,
//! published lists and signatures, and its summary row that the rollups read, refreshed in
//! the transaction of every write that moves it (ADR 0006).

use super::*;
use crate::scope::organisation;
use anze_domain::duty::{coverage_permille, is_stale};
use anze_store::repo::duty as duty_repo;
use anze_store::repo::person;
use std::collections::HashSet;
use uuid::Uuid;

/// One person's state against their posts' current lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonCoverage {
    pub person_id: String,
    pub name: String,
    pub tiers: Vec<String>,
    /// Every post held has a published list that the person signed.
    pub covered: bool,
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Coverage {
    pub people: u64,
    pub covered: u64,
    pub stale: u64,
    pub permille: u64,
    /// Tiers held by someone but with no published list.
    pub missing_lists: Vec<String>,
    pub persons: Vec<PersonCoverage>,
}

/// Coverage of one organisation in the actor's scope, computed from employments, published
/// lists and signatures.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn of_unit(ctx: &Ctx, actor: &Actor, org_id: Uuid, grace_days: i64, now: DateTime<Utc>) -> ServiceResult<Coverage> {
    let (o, _) = organisation(ctx, actor, org_id).await?;
    compute(&ctx.db.read, &o.id, grace_days, now).await
}

/// Coverage of one organisation from its records (callers check scope).
pub(crate) async fn compute<C: anze_store::ConnectionTrait>(
    db: &C,
    org_id: &str,
    grace_days: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Coverage> {
    let staff = person::staff(db, org_id, false).await?;
    let published: HashMap<String, duty_repo::DutyList> =
        duty_repo::published_of(db, org_id).await?.into_iter().map(|l| (l.tier.clone(), l)).collect();
    let current: HashMap<&str, &str> = published.values().map(|l| (l.id.as_str(), l.text_hash.as_deref().unwrap_or_default())).collect();
    let ids: Vec<String> = published.values().map(|l| l.id.clone()).collect();
    let signed: HashSet<(String, String)> = duty_repo::acknowledgements_of(db, &ids)
        .await?
        .into_iter()
        .filter(|a| current.get(a.duty_list_id.as_str()) == Some(&a.text_hash.as_str()))
        .map(|a| (a.duty_list_id, a.person_id))
        .collect();
    let mut by_person: HashMap<String, PersonCoverage> = HashMap::new();
    let mut missing: Vec<String> = vec![];
    for (e, p) in &staff {
        let list = published.get(&e.tier);
        if list.is_none() && !missing.contains(&e.tier) {
            missing.push(e.tier.clone());
        }
        let ok = list.is_some_and(|l| signed.contains(&(l.id.clone(), p.id.clone())));
        let held_since = e.start_date.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(now);
        let stale = is_stale(held_since, list.and_then(|l| l.published_at), ok, grace_days, now);
        let entry = by_person.entry(p.id.clone()).or_insert_with(|| PersonCoverage {
            person_id: p.id.clone(),
            name: p.name.clone(),
            tiers: vec![],
            covered: true,
            stale: false,
        });
        entry.tiers.push(e.tier.clone());
        entry.covered &= ok;
        entry.stale |= stale;
    }
    let mut persons: Vec<PersonCoverage> = by_person.into_values().collect();
    persons.sort_by(|a, b| a.covered.cmp(&b.covered).then_with(|| a.name.cmp(&b.name)));
    let people = persons.len() as u64;
    let covered = persons.iter().filter(|p| p.covered).count() as u64;
    let stale = persons.iter().filter(|p| p.stale).count() as u64;
    missing.sort();
    Ok(Coverage { people, covered, stale, permille: coverage_permille(covered, people), missing_lists: missing, persons })
}

/// Recomputes an organisation's coverage summary inside the caller's transaction, so the
/// rollups change in the same commit as the record that moved them.
pub(crate) async fn refresh<C: anze_store::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    org_id: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Coverage> {
    let all = anze_domain::auth::Scope { all: true, ..Default::default() };
    let (o, e) = anze_store::repo::org::get(db, &ctx.tenant, &all, org_id).await?.ok_or(ServiceError::NotFound)?;
    anze_store::repo::coverage::lock(db, summary_row(ctx, &o, e.as_ref(), None, now)).await?;
    let c = compute(db, &o.id, ctx.settings.stale_after_days, now).await?;
    anze_store::repo::coverage::upsert(db, summary_row(ctx, &o, e.as_ref(), Some(&c), now)).await?;
    Ok(c)
}

/// An organisation's summary row: its keys, and its figures (zero without `c`).
pub(crate) fn summary_row(
    ctx: &Ctx,
    o: &anze_store::repo::org::Organisation,
    e: Option<&anze_store::repo::org::Enterprise>,
    c: Option<&Coverage>,
    now: DateTime<Utc>,
) -> anze_store::entity::coverage_summary::ActiveModel {
    let n = |f: fn(&Coverage) -> u64| i32::try_from(c.map_or(0, f)).unwrap_or(i32::MAX);
    anze_store::entity::coverage_summary::ActiveModel {
        organisation_id: Set(o.id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        kind: Set(o.kind.clone()),
        region_path: Set(o.region_path.clone()),
        township_code: Set(o.township_code.clone()),
        industry_code: Set(e.map(|e| e.industry_code.clone())),
        people: Set(n(|c| c.people)),
        covered: Set(n(|c| c.covered)),
        stale: Set(n(|c| c.stale)),
        missing_lists: Set(n(|c| c.missing_lists.len() as u64)),
        base_complete: Set(e.is_some_and(|e| {
            anze_domain::ledger::base_record(&anze_store::repo::org::base_record_facts(o, e)).mark == anze_domain::ledger::Mark::Complete
        })),
        supervision_class: Set(e.map(|e| e.supervision_class.clone())),
        computed_at: Set(now),
    }
}
