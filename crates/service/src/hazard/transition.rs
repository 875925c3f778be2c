//! Moving a hazard along its closed loop, and listed supervision (挂牌督办).

use super::*;

/// A transition as asked for on a page or by the API: its kind and whatever it needs.
#[derive(Debug, Clone, Default)]
pub struct TransitionForm {
    pub action: String,
    pub note: String,
    /// `not_real` or `duplicate` (reject).
    pub reason: String,
    /// The hazard a duplicate is merged into (reject).
    pub merged_into: String,
    /// A deadline set while confirming, when the report came without one.
    pub deadline: String,
    /// Photos of the fix (submit_fix).
    pub photos: Vec<Vec<u8>>,
}

fn parse_transition(f: &TransitionForm, photos: usize) -> Result<Transition, FieldError> {
    Ok(match f.action.trim() {
        "confirm" => Transition::Confirm,
        "reject" => Transition::Reject {
            reason: RejectReason::parse(f.reason.trim()).ok_or_else(|| FieldError::new("reason", "hazard.reject.reason_invalid"))?,
            note: f.note.clone(),
            merged_into: Some(f.merged_into.clone()).filter(|m| !m.trim().is_empty()),
        },
        "start_rectification" => Transition::StartRectification,
        "submit_fix" => Transition::SubmitFix { after_photos: photos },
        "supervisor_check" => Transition::SupervisorCheck,
        "accept" => Transition::Accept,
        "fail_acceptance" => Transition::FailAcceptance { reason: f.note.clone() },
        "reopen" => Transition::Reopen { reason: f.note.clone() },
        _ => return Err(FieldError::new("action", "hazard.transition.unknown")),
    })
}

/// Moves a hazard one step. Who may ask is checked first (403), then the domain's rules on
/// the hazard as it is (422 naming the field); the new state, the event, any photos of the
/// fix and the audit entry are written together.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn transition(ctx: &Ctx, actor: &Actor, id: Uuid, form: &TransitionForm, now: DateTime<Utc>) -> ServiceResult<HazardState> {
    let mut h = in_scope(ctx, actor, id).await?;
    if !may(actor, form.action.trim(), &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let photos = evidence::check_all(form.photos.clone()).await.map_err(|e| invalid(vec![e]))?;
    let t = parse_transition(form, photos.len()).map_err(|e| invalid(vec![e]))?;
    let mut f = facts(&h, repo::plan(&ctx.db.read, &h.id).await?.map(plan_of))?;
    if matches!(t, Transition::Confirm) && !form.deadline.trim().is_empty() {
        let d = anze_domain::time::parse_date(&form.deadline).ok_or_else(|| ServiceError::field("deadline", "field.date_invalid"))?;
        rules::check_deadline(h.found_on, d).map_err(|e| invalid(vec![e]))?;
        f.deadline = Some(d);
        h.deadline = Some(d);
    }
    if let Transition::Reject { merged_into: Some(m), .. } = &t {
        let other = repo::by_id(&ctx.db.read, &ctx.tenant, m.trim()).await?;
        if other.is_none_or(|o| o.organisation_id != h.organisation_id) {
            return Err(ServiceError::field("merged_into", "hazard.reject.merged_into_unknown"));
        }
    }
    let supervises = actor.can(Action::Inspect, &target_of_hazard(&h));
    let who = ActorFacts { user_id: actor_id(actor).unwrap_or_else(|| actor.name.clone()), supervises };
    let applied = rules::apply(&f, &t, &who).map_err(|e| invalid(vec![e]))?;
    let from = f.state;
    let before = h.clone();
    h.state = applied.state.as_str().into();
    h.fixed_by_id = applied.fixed_by.clone();
    h.supervisor_checked = applied.supervisor_checked;
    h.updated_at = now;
    if let Transition::Reject { merged_into, .. } = &t {
        h.merged_into = merged_into.as_ref().map(|m| m.trim().to_string());
    }
    let today = local_date(now);
    match applied.state {
        HazardState::Closed => {
            h.closed_on = Some(today);
            h.days_to_close = Some((today - h.found_on).num_days().max(0));
        }
        _ => {
            h.closed_on = None;
            h.days_to_close = None;
        }
    }
    let note = match &t {
        Transition::Reject { note, .. } => note.clone(),
        Transition::FailAcceptance { reason } | Transition::Reopen { reason } => reason.clone(),
        _ => form.note.trim().to_string(),
    };
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, h.clone()).await?;
    repo::refresh_summary(&tx, &ctx.tenant, &h.organisation_id, local_date(now), now).await?;
    let event = insert_event(&tx, actor, Step { hazard_id: &h.id, action: t.kind(), from, to: applied.state, note: &note }, now).await?;
    let place = PhotoPlace { hazard_id: &h.id, organisation_id: &h.organisation_id, event_id: &event, phase: "after" };
    let photo_ids = attach(&tx, ctx, actor, place, photos, now).await?;
    let changes = serde_json::json!({
        "state": [before.state, h.state], "deadline": [before.deadline, h.deadline],
        "fixed_by": [before.fixed_by_id, h.fixed_by_id], "supervisor_checked": [before.supervisor_checked, h.supervisor_checked],
        "note": note, "photos": photo_ids,
    });
    audit::record(&tx, ctx, actor, now, audit::Event::new(&format!("hazard.{}", t.kind()), "hazard", &h.id, changes)).await?;
    tx.commit().await?;
    Ok(applied.state)
}

/// Puts a major open hazard under listed supervision (挂牌督办), or lifts it; officials with
/// inspection powers over its unit.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn set_listed(ctx: &Ctx, actor: &Actor, id: Uuid, listed: bool, now: DateTime<Utc>) -> ServiceResult<()> {
    let mut h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Inspect, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let f = facts(&h, None)?;
    if listed {
        rules::check_listing(f.state, f.grade).map_err(|e| invalid(vec![e]))?;
    }
    if h.listed == listed {
        return Ok(());
    }
    h.listed = listed;
    h.updated_at = now;
    let tx = ctx.db.write.begin().await?;
    repo::update(&tx, h.clone()).await?;
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        audit::Event::new("hazard.listing", "hazard", &h.id, serde_json::json!({"listed": [!listed, listed]})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_parse_from_their_form_and_unknown_ones_are_named() {
        let f = |action: &str| TransitionForm { action: action.into(), ..Default::default() };
        assert_eq!(parse_transition(&f("confirm"), 0).unwrap(), Transition::Confirm);
        assert_eq!(parse_transition(&f("submit_fix"), 2).unwrap(), Transition::SubmitFix { after_photos: 2 });
        assert_eq!(parse_transition(&f("close"), 0).unwrap_err().code, "hazard.transition.unknown");
        let reject = TransitionForm { action: "reject".into(), reason: "maybe".into(), ..Default::default() };
        assert_eq!(parse_transition(&reject, 0).unwrap_err().field, "reason");
    }
}
