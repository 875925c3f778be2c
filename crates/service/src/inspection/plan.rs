//! Planning an inspection, and moving it through its states.

use super::*;

/// A plan as typed: targets are organisation ids; inspectors are names (one per entry).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewInspection {
    pub kind: String,
    pub theme: String,
    pub starts_on: String,
    pub ends_on: String,
    pub targets: Vec<String>,
    pub inspectors: Vec<String>,
    pub plan_text: String,
    /// A shipped checklist's code.
    pub checklist: String,
    /// The draw the targets and inspectors came from, if any.
    pub draw_id: String,
}

fn parse_date(field: &'static str, text: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        errors.push(FieldError::new(field, "field.required"));
        return None;
    }
    anze_domain::time::parse_date(text).or_else(|| {
        errors.push(FieldError::new(field, "field.date_invalid"));
        None
    })
}

/// Plans an inspection. Each target must be in the actor's scope (404) and inspectable by them
/// (403); the kind's rules (theme for special enforcement, dates in order …) are the domain's.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn create(ctx: &Ctx, actor: &Actor, req: &NewInspection, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut errors = vec![];
    let kind = match InspectionKind::parse(req.kind.trim()) {
        Some(k) => Some(k),
        None => {
            errors.push(FieldError::new("kind", if req.kind.trim().is_empty() { "field.required" } else { "inspection.kind.invalid" }));
            None
        }
    };
    let starts_on = parse_date("starts_on", &req.starts_on, &mut errors);
    let ends_on = parse_date("ends_on", &req.ends_on, &mut errors);
    let code = req.checklist.trim();
    if !code.is_empty() && find_checklist(ctx, code).await?.is_none() {
        errors.push(FieldError::new("checklist", "inspection.checklist.unknown").with_detail(code.to_string()));
    }
    let mut units = vec![];
    for raw in &req.targets {
        let id = Uuid::parse_str(raw.trim()).map_err(|_| ServiceError::NotFound)?;
        let (o, e) = get_org(ctx, actor, id).await?;
        if let Some(k) = kind
            && !may_inspect(actor, k, &target_of(&o, e.as_ref()))
        {
            return Err(ServiceError::Forbidden);
        }
        if !units.iter().any(|(u, _): &(anze_store::repo::org::Organisation, _)| u.id == o.id) {
            units.push((o, e));
        }
    }
    let inspectors: Vec<String> = req.inspectors.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let Some(kind) = kind else { return Err(ServiceError::Invalid(errors)) };
    let me = InspectorFacts {
        id: actor.user_id.map(|u| u.to_string()).unwrap_or_else(|| actor.name.clone()),
        unit_id: own_unit(actor).unwrap_or_default(),
        township_code: None,
    };
    let plan = PlanFacts {
        kind,
        theme: req.theme.clone(),
        // An official without a unit of their own (a township officer by area) leads for
        // their area.
        lead_unit_id: own_unit(actor)
            .or_else(|| actor.assignments.iter().find_map(|a| a.region_path.clone()))
            .unwrap_or_else(|| actor.name.clone()),
        starts_on,
        ends_on,
        inspectors: if inspectors.is_empty() { vec![] } else { vec![me] },
        targets: units
            .iter()
            .map(|(o, _)| TargetUnit { unit_id: o.id.clone(), township_code: o.township_code.clone(), supervising_unit_ids: vec![] })
            .collect(),
    };
    if let Err(e) = rules::validate_plan(&plan) {
        errors.extend(e);
    }
    let (Some(starts_on), Some(ends_on), true) = (starts_on, ends_on, errors.is_empty()) else { return Err(ServiceError::Invalid(errors)) };
    let draw_id = Some(req.draw_id.trim().to_string()).filter(|d| !d.is_empty());
    if let Some(d) = &draw_id
        && repo::draw(&ctx.db.read, &ctx.tenant, d).await?.is_none()
    {
        return Err(ServiceError::field("draw_id", "inspection.draw.unknown"));
    }
    let id = anze_domain::ids::new_id();
    let row = inspection::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        kind: Set(kind.as_str().into()),
        state: Set(InspectionState::Planned.as_str().into()),
        theme: Set(req.theme.trim().into()),
        lead_unit_id: Set(own_unit(actor)),
        lead_name: Set(actor.name.clone()),
        inspectors: Set(inspectors.join("\n")),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        plan_text: Set(req.plan_text.trim().into()),
        checklist_code: Set(Some(code.to_string()).filter(|c| !c.is_empty())),
        draw_id: Set(draw_id),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        completed_at: Set(None),
        archived_at: Set(None),
    };
    let targets = units
        .iter()
        .map(|(o, e)| inspection_target::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            inspection_id: Set(id.to_string()),
            organisation_id: Set(o.id.clone()),
            organisation_kind: Set(o.kind.clone()),
            region_path: Set(o.region_path.clone()),
            industry_code: Set(e.as_ref().map(|e| e.industry_code.clone())),
            inspector_signature: Set(None),
            representative_signature: Set(None),
            signed_at: Set(None),
        })
        .collect();
    let tx = ctx.db.write.begin().await?;
    repo::insert(&tx, row, targets).await?;
    let changes = serde_json::json!({"inspection": [null, {"kind": kind.as_str(), "theme": req.theme.trim(),
        "starts_on": starts_on.to_string(), "ends_on": ends_on.to_string(), "targets": units.iter().map(|(o, _)| o.id.clone()).collect::<Vec<_>>(),
        "inspectors": inspectors, "checklist": code}]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("inspection.create", "inspection", &id.to_string(), changes)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves an inspection to its next state (planned → in progress → completed → archived).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn advance(ctx: &Ctx, actor: &Actor, id: Uuid, to: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (mut i, targets) = visible(ctx, actor, id).await?;
    if !runs(actor, &i, &targets) {
        return Err(ServiceError::Forbidden);
    }
    let from = InspectionState::parse(&i.state).ok_or_else(|| ServiceError::Internal(format!("inspection state {}", i.state)))?;
    let to = InspectionState::parse(to.trim()).ok_or_else(|| ServiceError::field("state", "inspection.transition.forbidden"))?;
    from.check_transition(to).map_err(|e| ServiceError::Invalid(vec![e]))?;
    i.state = to.as_str().into();
    match to {
        InspectionState::Completed => i.completed_at = Some(now),
        InspectionState::Archived => i.archived_at = Some(now),
        _ => {}
    }
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, i.clone()).await?;
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        audit::Event::new("inspection.state", "inspection", &i.id, serde_json::json!({"state": [from.as_str(), to.as_str()]})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
