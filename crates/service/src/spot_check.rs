//! List spot checks (清单抽查, measure 19): an inspector picks units by hand or draws them at
//! random from a filtered pool within their jurisdiction, sees the system's own figures for
//! the notice's three points (everyone covered, adjusted on change, fits the post), and
//! records pass or fail for each with the problems found.
//!
//! Who: officials with inspection powers over the unit (`Action::Inspect`); enterprise roles
//! and grid workers may read the checks of units they see but not make them. A random draw
//! records its seed, the pool's size and hash, and its filters, so it can be drawn again.

use crate::scope::{organisation as get, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::spot_check::{self as rule, CheckState, Figures, Method, Outcome};
use anze_store::TransactionTrait;
use anze_store::entity::list_spot_check;
use anze_store::repo::org::Organisation;
use anze_store::repo::spot_check::{self as repo, SpotCheck};
use chrono::{DateTime, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Grace period (days) before a person without a signature counts as stale in the figures.
pub const GRACE_DAYS: i64 = 7;

/// A request for new checks: by hand (`organisation_ids`) or drawn (`count` units from the
/// enterprises matching `region`, `industry` and `risk` within the inspector's jurisdiction).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewSpotChecks {
    /// `manual` or `random`.
    #[serde(default)]
    pub method: String,
    /// Manual: the units to check.
    #[serde(default)]
    pub organisation_ids: Vec<String>,
    /// Random: a township, county or village code.
    #[serde(default)]
    pub region: Option<String>,
    /// Random: an industry code (GB/T 4754 prefix).
    #[serde(default)]
    pub industry: Option<String>,
    /// Random: `red`, `orange`, `yellow` or `blue`.
    #[serde(default)]
    pub risk: Option<String>,
    /// Random: how many units, 1–50.
    #[serde(default)]
    pub count: Option<u32>,
    /// Random: the seed as decimal text (0 – 18446744073709551615); drawn by the system when absent.
    #[serde(default)]
    pub seed: Option<String>,
}

/// How a random draw was made: enough to draw again and get the same units.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrawRecord {
    pub draw_id: String,
    pub seed: String,
    pub pool_size: u64,
    /// SHA-256 of the pool's ids, ascending, one per line.
    pub pool_hash: String,
    /// The filters as JSON.
    pub pool_filter: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedChecks {
    /// The new checks, in draw (or given) order.
    pub ids: Vec<String>,
    pub draw: Option<DrawRecord>,
}

/// A result as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SpotCheckResult {
    /// `pass` or `fail`: everyone covered (全员覆盖).
    #[serde(default)]
    pub covered_ok: String,
    /// `pass` or `fail`: lists adjusted when people change (动态调整).
    #[serde(default)]
    pub adjusted_ok: String,
    /// `pass` or `fail`: lists fit the posts (履行适用).
    #[serde(default)]
    pub fits_ok: String,
    /// The problems found; required when any point fails.
    #[serde(default)]
    pub problems: String,
}

/// One check as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SpotCheckView {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub inspector_name: String,
    pub created_at: DateTime<Utc>,
    /// `manual` or `random`.
    pub method: String,
    pub draw_id: Option<String>,
    pub seed: Option<String>,
    pub pool_size: i64,
    pub pool_hash: Option<String>,
    pub pool_filter: Option<String>,
    /// The system's figures when the check was made.
    pub people: i64,
    pub covered: i64,
    pub stale: i64,
    pub missing_lists: i64,
    pub fit_flags: i64,
    /// What the figures suggest for (covered, adjusted, fits).
    pub suggested: Vec<String>,
    pub covered_ok: Option<String>,
    pub adjusted_ok: Option<String>,
    pub fits_ok: Option<String>,
    pub problems: String,
    /// `open` or `recorded`.
    pub state: String,
    pub recorded_at: Option<DateTime<Utc>>,
    pub recorded_by_name: Option<String>,
    /// Whether the caller may record the result (an official over the unit, check open).
    pub may_record: bool,
}

fn figures_of(c: &SpotCheck) -> Figures {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Figures { people: n(c.people), covered: n(c.covered), stale: n(c.stale), missing_lists: n(c.missing_lists), fit_flags: n(c.fit_flags) }
}

fn view(c: SpotCheck, o: &Organisation, may_inspect: bool) -> SpotCheckView {
    let suggested = figures_of(&c).suggest().iter().map(|x| x.as_str().to_string()).collect();
    SpotCheckView {
        may_record: may_inspect && c.state == CheckState::Open.as_str(),
        id: c.id,
        organisation_id: o.id.clone(),
        organisation_name: o.name.clone(),
        inspector_name: c.inspector_name,
        created_at: c.created_at,
        method: c.method,
        draw_id: c.draw_id,
        seed: c.seed,
        pool_size: c.pool_size,
        pool_hash: c.pool_hash,
        pool_filter: c.pool_filter,
        people: c.people,
        covered: c.covered,
        stale: c.stale,
        missing_lists: c.missing_lists,
        fit_flags: c.fit_flags,
        suggested,
        covered_ok: c.covered_ok,
        adjusted_ok: c.adjusted_ok,
        fits_ok: c.fits_ok,
        problems: c.problems,
        state: c.state,
        recorded_at: c.recorded_at,
        recorded_by_name: c.recorded_by_name,
    }
}

/// An enterprise the actor may inspect: out of scope (or not an enterprise) is `NotFound`,
/// in scope without inspection powers is `Forbidden`.
async fn inspectable(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<Organisation> {
    let (o, e) = get(ctx, actor, id).await?;
    let Some(e) = e else { return Err(ServiceError::NotFound) };
    if !actor.can(Action::Inspect, &target_of(&o, Some(&e))) {
        return Err(ServiceError::Forbidden);
    }
    Ok(o)
}

/// The figures of one unit now, from the coverage and fit checks.
async fn figures(ctx: &Ctx, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> ServiceResult<Figures> {
    let c = crate::coverage::of_unit(ctx, actor, id, GRACE_DAYS, now).await?;
    let flags = crate::duty::fit(ctx, actor, id).await?;
    Ok(Figures {
        people: c.people,
        covered: c.covered,
        stale: c.stale,
        missing_lists: c.missing_lists.len() as u64,
        fit_flags: flags.len() as u64,
    })
}

/// Makes checks: by hand or by a random draw. All are written in one transaction, or none.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn create(ctx: &Ctx, actor: &Actor, req: &NewSpotChecks, now: DateTime<Utc>) -> ServiceResult<CreatedChecks> {
    if !actor.can_somewhere(Action::Inspect) {
        return Err(ServiceError::Forbidden);
    }
    let (units, draw) = match Method::parse(req.method.trim()) {
        Some(Method::Manual) => {
            let mut units: Vec<Organisation> = vec![];
            for raw in &req.organisation_ids {
                let id = Uuid::parse_str(raw.trim()).map_err(|_| ServiceError::NotFound)?;
                let o = inspectable(ctx, actor, id).await?;
                if !units.iter().any(|u| u.id == o.id) {
                    units.push(o);
                }
            }
            if units.is_empty() {
                return Err(ServiceError::field("organisation_ids", "field.required"));
            }
            (units, None)
        }
        Some(Method::Random) => {
            let mut errors = vec![];
            let count = match rule::check_count(req.count) {
                Ok(n) => n,
                Err(e) => {
                    errors.push(e);
                    0
                }
            };
            let seed = match rule::parse_seed(req.seed.as_deref().unwrap_or("")) {
                Ok(s) => s.unwrap_or_else(crate::auth::new_seed),
                Err(e) => {
                    errors.push(e);
                    0
                }
            };
            let filter = crate::org::draw_pool_filter(ctx, &req.region, &req.industry, &req.risk, &mut errors).await?;
            let Some(filter) = filter else { return Err(ServiceError::Invalid(errors)) };
            let pool = repo::pool_ids(&ctx.db.read, &ctx.tenant, &actor.inspecting_scope(), &filter).await?;
            if pool.is_empty() {
                return Err(ServiceError::field("pool", "spot_check.pool_empty"));
            }
            let mut units = vec![];
            for id in rule::draw(&pool, count, seed) {
                let id = Uuid::parse_str(&id).map_err(|e| ServiceError::Internal(format!("organisation id {id}: {e}")))?;
                units.push(inspectable(ctx, actor, id).await?);
            }
            let pool_filter =
                serde_json::json!({"region": req.region, "industry": req.industry, "risk": req.risk, "count": count}).to_string();
            let record = DrawRecord {
                draw_id: anze_domain::ids::new_id().to_string(),
                seed: seed.to_string(),
                pool_size: pool.len() as u64,
                pool_hash: rule::pool_hash(&pool),
                pool_filter,
            };
            (units, Some(record))
        }
        None => return Err(ServiceError::field("method", "spot_check.method_invalid")),
    };
    let mut rows = vec![];
    let mut ids = vec![];
    for o in &units {
        let org_id = Uuid::parse_str(&o.id).map_err(|_| ServiceError::NotFound)?;
        let f = figures(ctx, actor, org_id, now).await?;
        let id = anze_domain::ids::new_id().to_string();
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        rows.push(list_spot_check::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(ctx.tenant.clone()),
            organisation_id: Set(o.id.clone()),
            inspector_id: Set(actor.user_id.map(|u| u.to_string())),
            inspector_name: Set(actor.name.clone()),
            created_at: Set(now),
            method: Set(if draw.is_some() { Method::Random } else { Method::Manual }.as_str().into()),
            draw_id: Set(draw.as_ref().map(|d| d.draw_id.clone())),
            seed: Set(draw.as_ref().map(|d| d.seed.clone())),
            pool_size: Set(draw.as_ref().map_or(0, |d| n(d.pool_size))),
            pool_hash: Set(draw.as_ref().map(|d| d.pool_hash.clone())),
            pool_filter: Set(draw.as_ref().map(|d| d.pool_filter.clone())),
            people: Set(n(f.people)),
            covered: Set(n(f.covered)),
            stale: Set(n(f.stale)),
            missing_lists: Set(n(f.missing_lists)),
            fit_flags: Set(n(f.fit_flags)),
            covered_ok: Set(None),
            adjusted_ok: Set(None),
            fits_ok: Set(None),
            problems: Set(String::new()),
            state: Set(CheckState::Open.as_str().into()),
            recorded_at: Set(None),
            recorded_by_id: Set(None),
            recorded_by_name: Set(None),
        });
        ids.push((id, o.id.clone(), f));
    }
    let tx = ctx.db.write.begin().await?;
    repo::insert_many(&tx, rows).await?;
    for (id, org_id, f) in &ids {
        let mut changes = serde_json::json!({
            "spot_check": [null, id],
            "figures": [null, {"people": f.people, "covered": f.covered, "stale": f.stale, "missing_lists": f.missing_lists, "fit_flags": f.fit_flags}],
        });
        if let (Some(d), Some(map)) = (&draw, changes.as_object_mut()) {
            map.insert("draw".into(), serde_json::json!([null, {"seed": d.seed, "pool_size": d.pool_size, "pool_hash": d.pool_hash}]));
        }
        audit::record(&tx, ctx, actor, now, audit::Event::new("spot_check.create", "organisation", org_id, changes)).await?;
    }
    tx.commit().await?;
    Ok(CreatedChecks { ids: ids.into_iter().map(|(id, _, _)| id).collect(), draw })
}

/// One check whose unit is in the actor's scope.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn get_check(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<SpotCheckView> {
    let (c, o) = repo::get(&ctx.db.read, &ctx.tenant, &actor.scope(), &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let (_, e) = get(ctx, actor, Uuid::parse_str(&o.id).map_err(|_| ServiceError::NotFound)?).await?;
    let may = actor.can(Action::Inspect, &target_of(&o, e.as_ref()));
    Ok(view(c, &o, may))
}

/// Checks of units in the actor's scope, newest first; `before` is the last id of the
/// previous page. `state` filters `open` or `recorded`.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list(ctx: &Ctx, actor: &Actor, state: Option<&str>, before: Option<&str>, limit: u64) -> ServiceResult<Vec<SpotCheckView>> {
    let state = match state.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(CheckState::parse(s).ok_or_else(|| ServiceError::field("state", "spot_check.state_invalid"))?.as_str()),
        None => None,
    };
    let before = before.map(str::trim).filter(|s| !s.is_empty());
    let rows = repo::list(&ctx.db.read, &ctx.tenant, &actor.scope(), state, before, limit.clamp(1, 200)).await?;
    let ids: Vec<String> = rows.iter().map(|(_, o)| o.id.clone()).collect();
    let enterprises: std::collections::HashMap<String, anze_store::repo::org::Enterprise> =
        repo::enterprises_of(&ctx.db.read, &ids).await?.into_iter().map(|e| (e.organisation_id.clone(), e)).collect();
    Ok(rows
        .into_iter()
        .map(|(c, o)| {
            let may = actor.can(Action::Inspect, &target_of(&o, enterprises.get(&o.id)));
            view(c, &o, may)
        })
        .collect())
}

/// Records the three results. A recorded check is refused; a fail without a problem
/// description is refused naming `problems`; nothing is half-written.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn record(ctx: &Ctx, actor: &Actor, id: Uuid, input: &SpotCheckResult, now: DateTime<Utc>) -> ServiceResult<()> {
    let (c, o) = repo::get(&ctx.db.read, &ctx.tenant, &actor.scope(), &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    inspectable(ctx, actor, Uuid::parse_str(&o.id).map_err(|_| ServiceError::NotFound)?).await?;
    CheckState::parse(&c.state).unwrap_or(CheckState::Recorded).check_record().map_err(ServiceError::Refused)?;
    let v = rule::parse_verdict(&input.covered_ok, &input.adjusted_ok, &input.fits_ok, &input.problems).map_err(ServiceError::Invalid)?;
    let tx = ctx.db.write.begin().await?;
    let written = repo::record(
        &tx,
        &c.id,
        repo::Recorded {
            covered_ok: v.covered.as_str(),
            adjusted_ok: v.adjusted.as_str(),
            fits_ok: v.fits.as_str(),
            problems: v.problems.clone(),
            by_id: actor.user_id.map(|u| u.to_string()),
            by_name: actor.name.clone(),
            at: now,
        },
    )
    .await?;
    if !written {
        return Err(ServiceError::Refused("spot_check.already_recorded"));
    }
    let failed = [v.covered, v.adjusted, v.fits].iter().filter(|o| **o == Outcome::Fail).count();
    let changes = serde_json::json!({
        "spot_check": [null, c.id],
        "state": ["open", "recorded"],
        "results": [null, {"covered_ok": v.covered.as_str(), "adjusted_ok": v.adjusted.as_str(), "fits_ok": v.fits.as_str(), "failed": failed}],
        "problems": [null, v.problems],
    });
    audit::record(&tx, ctx, actor, now, audit::Event::new("spot_check.record", "organisation", &o.id, changes)).await?;
    tx.commit().await?;
    Ok(())
}

/// Resolves units typed on the page (credit codes or ids, one per line or comma-separated)
/// to ids; an unknown or out-of-scope unit is named in the `units` field, the same sentence
/// for both so nothing outside the scope is confirmed to exist.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn resolve_units(ctx: &Ctx, actor: &Actor, text: &str) -> ServiceResult<Vec<String>> {
    let mut out = vec![];
    let mut errors = vec![];
    for token in text.split(|c: char| c == '\n' || c == ',' || c == '，' || c == ';' || c.is_whitespace()).map(str::trim) {
        if token.is_empty() {
            continue;
        }
        let id = match Uuid::parse_str(token) {
            Ok(id) => Some(id),
            Err(_) => anze_store::repo::org::by_credit_code(&ctx.db.read, &ctx.tenant, &token.to_ascii_uppercase())
                .await?
                .and_then(|e| Uuid::parse_str(&e.organisation_id).ok()),
        };
        let found = match id {
            Some(id) => match get(ctx, actor, id).await {
                Ok((o, Some(_))) => Some(o.id),
                Ok((_, None)) | Err(ServiceError::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        match found {
            Some(id) if !out.contains(&id) => out.push(id),
            Some(_) => {}
            None => errors.push(FieldError::new("units", "spot_check.unit_unknown").with_detail(token)),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if out.is_empty() {
        return Err(ServiceError::field("units", "field.required"));
    }
    Ok(out)
}
