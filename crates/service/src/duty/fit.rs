//! The fit check: lists that do not fit their posts, and officials' dismissals of a flag.

use super::*;

/// One problem with how lists fit their posts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FitFlag {
    /// `duty.fit.same_across_tiers`, `duty.fit.copied_across_industries`,
    /// `duty.fit.tier_without_list` or `duty.fit.no_legal_basis`.
    pub code: &'static str,
    /// Names the flag for a dismissal; a new version of a list makes a new flag.
    pub key: String,
    pub tiers: Vec<String>,
    pub list_ids: Vec<String>,
    /// Similarity (0–1) for pairs and copies; the number of items without a basis otherwise.
    pub score: f64,
    /// For copies: the other enterprises (name and industry code), a few at most.
    pub others: Vec<(String, String)>,
    pub dismissed: Option<FitDismissal>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FitDismissal {
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The items hash of the template a list was made from (`None` without one).
async fn template_content_hash<C: anze_store::ConnectionTrait>(db: &C, template_id: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(id) = template_id else { return Ok(None) };
    Ok(Some(anze_domain::duty::content_hash(&template_texts(&repo::template_items(db, id).await?))))
}

fn flag(code: &'static str, tiers: Vec<String>, list_ids: Vec<String>, score: f64) -> FitFlag {
    let key = format!("{code}:{}:{}", tiers.join(","), list_ids.join(","));
    FitFlag { code, key, tiers, list_ids, score, others: vec![], dismissed: None }
}

/// The fit check of one organisation's lists: lists of different tiers that read alike (a copy
/// does not fit two posts), lists copied verbatim from an enterprise of another industry, posts
/// held with no list at all, and items with no legal basis. Dismissed flags stay, marked.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn fit(ctx: &Ctx, actor: &Actor, org_id: Uuid) -> ServiceResult<Vec<FitFlag>> {
    let (o, e) = get(ctx, actor, org_id).await?;
    let db = &ctx.db.read;
    let mut lists = vec![];
    for l in repo::published_of(db, &o.id).await? {
        let items = item_texts(&repo::list_items(db, &l.id).await?);
        lists.push((l, items));
    }
    lists.sort_by(|a, b| a.0.tier.cmp(&b.0.tier));
    let mut flags = vec![];
    for (i, (a, ia)) in lists.iter().enumerate() {
        for (b, ib) in &lists[i + 1..] {
            let score = anze_domain::duty::similarity(ia, ib);
            if score >= anze_domain::duty::SAME_ACROSS_TIERS {
                flags.push(flag(
                    "duty.fit.same_across_tiers",
                    vec![a.tier.clone(), b.tier.clone()],
                    vec![a.id.clone(), b.id.clone()],
                    score,
                ));
            }
        }
    }
    if let Some(e) = &e {
        // A template used as shipped is shared on purpose; a copy is text someone else wrote.
        // Only lists of the unit's own text are looked up (a shipped template's text is shared
        // by thousands of units: reading them all took most of an enterprise's to-do list).
        let mut own = vec![];
        for (l, _) in &lists {
            if template_content_hash(db, l.template_id.as_deref()).await? != l.content_hash {
                own.push(l);
            }
        }
        let hashes: Vec<String> = own.iter().filter_map(|l| l.content_hash.clone()).collect();
        let copies = if hashes.is_empty() { vec![] } else { repo::published_with_content(db, &ctx.tenant, &hashes, &o.id).await? };
        for l in own {
            let mut others = vec![];
            let mut other_ids = vec![];
            for (c, industry) in copies.iter().filter(|(c, _)| c.content_hash == l.content_hash) {
                match industry {
                    Some(ind) if *ind != e.industry_code && others.len() < 3 => {
                        let all = anze_domain::auth::Scope { all: true, ..Default::default() };
                        let name = anze_store::repo::org::get(db, &ctx.tenant, &all, &c.organisation_id)
                            .await?
                            .map(|(o, _)| o.name)
                            .unwrap_or_default();
                        others.push((name, ind.clone()));
                        other_ids.push(c.id.clone());
                    }
                    _ => {}
                }
            }
            if !others.is_empty() {
                let mut f = flag("duty.fit.copied_across_industries", vec![l.tier.clone()], vec![l.id.clone()], 1.0);
                f.others = others;
                f.list_ids.extend(other_ids);
                flags.push(f);
            }
        }
    }
    let mut held: Vec<String> = person::staff(db, &o.id, false).await?.into_iter().map(|(e, _)| e.tier).collect();
    held.sort();
    held.dedup();
    for t in held.into_iter().filter(|t| !lists.iter().any(|(l, _)| &l.tier == t)) {
        flags.push(flag("duty.fit.tier_without_list", vec![t], vec![], 0.0));
    }
    for (a, ia) in &lists {
        let missing = ia.iter().filter(|it| it.legal_basis.trim().is_empty()).count();
        if missing > 0 {
            flags.push(flag("duty.fit.no_legal_basis", vec![a.tier.clone()], vec![a.id.clone()], missing as f64));
        }
    }
    let dismissals = repo::fit_dismissals(db, &o.id).await?;
    for f in &mut flags {
        f.dismissed = dismissals.iter().find(|d| d.code == f.code && d.flag_key == f.key).map(|d| FitDismissal {
            reason: d.reason.clone(),
            by: d.dismissed_by.clone(),
            at: d.dismissed_at,
        });
    }
    Ok(flags)
}

/// An official with inspection powers over the unit (never the unit itself) dismisses a
/// current fit flag with a reason.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn dismiss_fit(ctx: &Ctx, actor: &Actor, org_id: Uuid, key: &str, reason: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (o, e) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Inspect, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::field("reason", "field.required"));
    }
    if reason.chars().count() > 500 {
        return Err(ServiceError::field("reason", "field.too_long"));
    }
    let flags = fit(ctx, actor, org_id).await?;
    let Some(f) = flags.iter().find(|f| f.key == key) else { return Err(ServiceError::Refused("duty.fit.unknown_flag")) };
    if f.dismissed.is_some() {
        return Err(ServiceError::Refused("duty.fit.already_dismissed"));
    }
    let tx = ctx.db.write.begin().await?;
    let row = anze_store::entity::fit_dismissal::ActiveModel {
        id: Set(anze_domain::ids::new_id().to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(o.id.clone()),
        code: Set(f.code.to_string()),
        flag_key: Set(f.key.clone()),
        reason: Set(reason.to_string()),
        dismissed_by: Set(actor.name.clone()),
        dismissed_at: Set(now),
    };
    match repo::insert_fit_dismissal(&tx, row).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(ServiceError::Refused("duty.fit.already_dismissed")),
        Err(e) => return Err(e.into()),
    }
    let changes = serde_json::json!({"dismissed": [null, {"flag": f.code, "tiers": f.tiers, "reason": reason}]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("fit_flag.dismiss", "organisation", &o.id, changes)).await?;
    tx.commit().await?;
    Ok(())
}
