//! Public exposure (公开曝光) of major hazards left unfixed.

use super::*;

/// A major hazard overdue beyond the configured days is a candidate for public exposure.
pub fn is_exposure_candidate(ctx: &Ctx, h: &Hazard, today: NaiveDate) -> bool {
    let (Some(state), Some(grade)) = (HazardState::parse(&h.state), Grade::parse(&h.grade)) else { return false };
    let days = rules::days_overdue(state, h.deadline, today);
    h.exposure == "none" && ladder::exposure_candidate(grade, days, &ctx.settings.hazard_ladders.exposure)
}

/// An official with inspection powers over the unit approves a candidate for the public page.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn approve_exposure(ctx: &Ctx, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> ServiceResult<()> {
    let mut h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Inspect, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    if !is_exposure_candidate(ctx, &h, local_date(now)) {
        return Err(ServiceError::Refused("hazard.exposure.not_candidate"));
    }
    h.exposure = "approved".into();
    h.exposed_at = Some(now);
    h.exposed_by = Some(actor.name.clone());
    h.updated_at = now;
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, h.clone()).await?;
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        audit::Event::new("hazard.expose", "hazard", &h.id, serde_json::json!({"exposure": ["none", "approved"]})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One line of the public exposure page (no sign-in): what, where, since when, how late.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExposedHazard {
    pub unit: String,
    pub description: String,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub state: String,
    pub days_overdue: u32,
    pub exposed_on: Option<NaiveDate>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn exposed(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<Vec<ExposedHazard>> {
    let today = local_date(now);
    Ok(repo::exposed(&ctx.db.read, &ctx.tenant, 200)
        .await?
        .into_iter()
        .map(|(h, unit)| ExposedHazard {
            days_overdue: HazardState::parse(&h.state).map_or(0, |s| rules::days_overdue(s, h.deadline, today)),
            unit,
            description: h.description,
            found_on: h.found_on,
            deadline: h.deadline,
            state: h.state,
            exposed_on: h.exposed_at.map(local_date),
        })
        .collect())
}
