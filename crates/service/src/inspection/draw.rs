//! Random draws (双随机): targets and inspectors drawn from a frozen pool with a published seed,
//! run again by anyone to check, and public once their inspections are done.

use super::*;

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
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
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
    let row = draw_row::ActiveModel {
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
    audit::record(&tx, ctx, actor, now, audit::Event::new("draw.create", "draw", &id.to_string(), changes)).await?;
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
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
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
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn get_draw(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<DrawView> {
    if !actor.can_somewhere(Action::Inspect) {
        return Err(ServiceError::NotFound);
    }
    draw_view(ctx, id).await
}

/// A draw's result for anyone, without signing in, once every inspection planned from it is
/// done (completed or archived): before that, publishing the targets would warn them.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
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
