//! Rewards for employees' reports (员工自主排查隐患报告奖励): grant, payout against the receipt
//! code, and the list of rewards.

use super::*;

async fn reported(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<(Hazard, HazardReport)> {
    let h = in_scope(ctx, actor, id).await?;
    if !actor.can(Action::Edit, &target_of_hazard(&h)) {
        return Err(ServiceError::Forbidden);
    }
    let r = repo::report_of(&ctx.db.read, &h.id).await?.ok_or(ServiceError::Refused("hazard.reward.no_report"))?;
    Ok((h, r))
}

/// Grants the reward of a verified employee report (the enterprise's editors).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn grant_reward(ctx: &Ctx, actor: &Actor, id: Uuid, amount: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (h, mut r) = reported(ctx, actor, id).await?;
    let state = HazardState::parse(&h.state).ok_or_else(|| ServiceError::Internal(format!("hazard state {}", h.state)))?;
    let fen = rules::check_reward(state, r.reward_fen.is_some(), amount).map_err(|e| invalid(vec![e]))?;
    r.reward_fen = Some(i64::try_from(fen).map_err(|_| ServiceError::field("amount", "hazard.reward.too_large"))?);
    r.reward_granted_by = Some(actor.name.clone());
    r.reward_granted_at = Some(now);
    let tx = ctx.db.write.begin().await?;
    repo::update_report(&tx, r).await?;
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        audit::Event::new("hazard.reward", "hazard", &h.id, serde_json::json!({"reward_fen": [null, fen]})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records the payout of a granted reward to whoever shows the receipt code.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn record_payout(ctx: &Ctx, actor: &Actor, id: Uuid, code: &str, note: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (h, mut r) = reported(ctx, actor, id).await?;
    if r.reward_fen.is_none() {
        return Err(ServiceError::field("receipt_code", "hazard.reward.not_granted"));
    }
    if r.paid_at.is_some() {
        return Err(ServiceError::Refused("hazard.reward.paid"));
    }
    if !code.trim().eq_ignore_ascii_case(&r.receipt_code) {
        return Err(ServiceError::field("receipt_code", "hazard.reward.code_mismatch"));
    }
    r.paid_by = Some(actor.name.clone());
    r.paid_at = Some(now);
    r.payout_note = note.trim().chars().take(500).collect();
    let tx = ctx.db.write.begin().await?;
    repo::update_report(&tx, r.clone()).await?;
    let changes = serde_json::json!({"paid": [null, {"by": actor.name, "note": r.payout_note, "reward_fen": r.reward_fen}]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("hazard.reward_paid", "hazard", &h.id, changes)).await?;
    tx.commit().await?;
    Ok(())
}

/// A reward granted for a verified employee report (grid work, issue 4: the rewards API).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RewardView {
    pub hazard_id: String,
    pub organisation_id: String,
    pub township_code: Option<String>,
    pub description: String,
    /// The hazard's state now.
    pub state: String,
    /// `None` for an anonymous report.
    pub reporter_name: Option<String>,
    pub reward_fen: i64,
    pub granted_at: Option<DateTime<Utc>>,
    pub paid: bool,
    pub paid_at: Option<DateTime<Utc>>,
    /// The claim code with all but its last two characters hidden: the reporter's secret,
    /// checked on payout, is never shown in a list.
    pub receipt_code_masked: String,
}

/// Masks a receipt code: `******YZ`.
pub fn mask_receipt(code: &str) -> String {
    let n = code.chars().count();
    code.chars().enumerate().map(|(i, c)| if i + 2 < n { '*' } else { c }).collect()
}

/// Rewards granted for employee reports of hazards in scope, newest first, paid or not.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn rewards(ctx: &Ctx, actor: &Actor, after: Option<&str>, limit: u64) -> ServiceResult<(Vec<RewardView>, Option<String>)> {
    let mut rows = repo::rewards(&ctx.db.read, &ctx.tenant, &actor.scope(), after.filter(|a| !a.trim().is_empty()), limit + 1).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|(h, _)| h.id.clone())
    } else {
        None
    };
    let views = rows
        .into_iter()
        .map(|(h, r)| RewardView {
            receipt_code_masked: mask_receipt(&r.receipt_code),
            hazard_id: h.id,
            organisation_id: h.organisation_id,
            township_code: h.township_code,
            description: h.description,
            state: h.state,
            reporter_name: r.reporter_name,
            reward_fen: r.reward_fen.unwrap_or_default(),
            granted_at: r.reward_granted_at,
            paid: r.paid_at.is_some(),
            paid_at: r.paid_at,
        })
        .collect();
    Ok((views, next))
}
