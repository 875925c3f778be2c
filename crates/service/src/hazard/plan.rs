//! The governance plan (治理方案) a major hazard needs before it closes.

use super::*;

/// A governance plan as typed.
#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    pub aims: String,
    pub measures: String,
    pub funds_and_materials: String,
    pub people: String,
    pub deadline: String,
    pub safety_and_emergency_measures: String,
}

/// Stores (or revises) the governance plan of a hazard; editors of its unit only.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn save_plan(ctx: &Ctx, actor: &Actor, id: Uuid, form: &PlanForm, now: DateTime<Utc>) -> ServiceResult<()> {
    let h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Edit, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let mut c = Collector::default();
    let deadline = if form.deadline.trim().is_empty() {
        None
    } else {
        c.ok(anze_domain::time::parse_date(&form.deadline).ok_or_else(|| FieldError::new("plan_deadline", "field.date_invalid")))
    };
    let plan = GovernancePlan {
        aims: form.aims.trim().into(),
        measures: form.measures.trim().into(),
        funds_and_materials: form.funds_and_materials.trim().into(),
        people: form.people.trim().into(),
        deadline,
        safety_and_emergency_measures: form.safety_and_emergency_measures.trim().into(),
    };
    if let Err(errors) = plan.validate() {
        errors.into_iter().filter(|e| e.field != "plan_deadline" || form.deadline.trim().is_empty()).for_each(|e| c.push(e));
    }
    if let Some(d) = deadline.filter(|d| *d < h.found_on) {
        c.push(FieldError::new("plan_deadline", "hazard.deadline.before_found").with_detail(d.to_string()));
    }
    let (true, Some(deadline)) = (c.is_empty(), deadline) else { return Err(invalid(c.0)) };
    let before = repo::plan(&ctx.db.read, &h.id).await?;
    let row = repo::GovernancePlan {
        hazard_id: h.id.clone(),
        aims: plan.aims,
        measures: plan.measures,
        funds_and_materials: plan.funds_and_materials,
        people: plan.people,
        deadline,
        safety_and_emergency_measures: plan.safety_and_emergency_measures,
        updated_by: actor.name.clone(),
        updated_at: now,
    };
    let tx = ctx.db.write.begin().await?;
    repo::save_plan(&tx, row.clone()).await?;
    let changes = serde_json::json!({"plan": [before, row]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("hazard.plan", "hazard", &h.id, changes)).await?;
    tx.commit().await?;
    Ok(())
}
