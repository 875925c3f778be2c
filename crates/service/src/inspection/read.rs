//! Reading inspections: one with its targets and results, the list, and the counts per month.

use super::*;

/// One inspection with its targets (named), results, checklist, and what the actor may do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionDetail {
    #[schema(value_type = Object)]
    pub inspection: Inspection,
    /// (target row, unit name)
    #[schema(value_type = Vec<Object>)]
    pub targets: Vec<(InspectionTarget, String)>,
    #[schema(value_type = Vec<Object>)]
    pub results: Vec<InspectionResult>,
    /// Photos taken at the items, in the order taken.
    #[schema(value_type = Vec<Object>)]
    pub photos: Vec<anze_store::repo::inspection::InspectionPhoto>,
    pub checklist: Option<Checklist>,
    /// The next state this actor may move it to.
    pub next: Option<String>,
    pub can_record: bool,
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<InspectionDetail> {
    let (i, targets) = visible(ctx, actor, id).await?;
    let state = InspectionState::parse(&i.state).unwrap_or(InspectionState::Planned);
    let may = runs(actor, &i, &targets);
    let ids: Vec<String> = targets.iter().map(|t| t.organisation_id.clone()).collect();
    let names: std::collections::HashMap<String, String> = anze_store::repo::org::names(&ctx.db.read, &ids).await?.into_iter().collect();
    let named = targets
        .into_iter()
        .map(|t| {
            let name = names.get(&t.organisation_id).cloned().unwrap_or_default();
            (t, name)
        })
        .collect();
    Ok(InspectionDetail {
        results: repo::results(&ctx.db.read, &i.id).await?,
        photos: repo::photos(&ctx.db.read, &i.id).await?,
        checklist: match &i.checklist_code {
            Some(c) => find_checklist(ctx, c).await?,
            None => None,
        },
        next: if may { state.next().map(|s| s.as_str().to_string()) } else { None },
        can_record: may && state == InspectionState::InProgress,
        targets: named,
        inspection: i,
    })
}

/// Inspections the actor sees, newest first.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list(ctx: &Ctx, actor: &Actor, before: Option<&str>, limit: u64) -> ServiceResult<Vec<Inspection>> {
    let bound_only = actor.assignments.iter().all(|a| a.role.is_organisation_bound());
    Ok(repo::list(&ctx.db.read, &ctx.tenant, &actor.scope(), bound_only, before, limit).await?)
}

/// Inspections led per unit, kind and month of `year`, among those the actor sees (issue 4
/// item 10), with each unit's name (the lead's name for a lead without a unit on record).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn monthly_counts(ctx: &Ctx, actor: &Actor, year: i32) -> ServiceResult<Vec<rules::MonthlyCount>> {
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(ServiceError::field("year", "field.invalid"));
    };
    let bound_only = actor.assignments.iter().all(|a| a.role.is_organisation_bound());
    let rows = repo::started_between(&ctx.db.read, &ctx.tenant, &actor.scope(), bound_only, from, to).await?;
    let units: Vec<String> = rows.iter().filter_map(|(u, _, _, _)| u.clone()).collect();
    let names: std::collections::HashMap<String, String> = anze_store::repo::org::names(&ctx.db.read, &units).await?.into_iter().collect();
    let records: Vec<(String, String, NaiveDate)> =
        rows.into_iter().map(|(unit, lead, kind, on)| (unit.and_then(|u| names.get(&u).cloned()).unwrap_or(lead), kind, on)).collect();
    Ok(rules::count_by_month(year, &records))
}
