//! Recording and reading the audit trail.

use crate::{Actor, Ctx, ServiceResult};
use anze_store::ConnectionTrait;
/// An audit event as the trail pages and the API show it.
pub use anze_store::repo::audit::AuditEvent;
use anze_store::repo::audit::{self, NewEvent, Verification};
use chrono::{DateTime, SecondsFormat, Utc};

/// Appends one event inside the caller's transaction. The arguments are the event's own
/// fields; a struct would only rename them.
#[expect(clippy::too_many_arguments)]
pub async fn record<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    actor: &Actor,
    now: DateTime<Utc>,
    action: &str,
    object_type: &str,
    object_id: &str,
    changes: serde_json::Value,
) -> ServiceResult<()> {
    audit::append(
        db,
        NewEvent {
            tenant_id: ctx.tenant.clone(),
            occurred_at: now.to_rfc3339_opts(SecondsFormat::Micros, true),
            actor_id: actor.user_id.map(|u| u.to_string()),
            actor_name: actor.name.clone(),
            action: action.into(),
            object_type: object_type.into(),
            object_id: object_id.into(),
            changes,
            address: actor.address.clone(),
        },
    )
    .await?;
    Ok(())
}

/// The trail of one object. The caller has already checked the object is in scope.
pub async fn trail(ctx: &Ctx, object_type: &str, object_id: &str) -> ServiceResult<Vec<AuditEvent>> {
    Ok(audit::for_object(&ctx.db.read, &ctx.tenant, object_type, object_id, 500).await?)
}

/// The tenant's newest events (city administrators only; checked by the caller).
pub async fn recent(ctx: &Ctx, before_seq: Option<i64>, limit: u64) -> ServiceResult<Vec<AuditEvent>> {
    Ok(audit::recent(&ctx.db.read, &ctx.tenant, before_seq, limit).await?)
}

/// Walks every tenant's chain; returns (tenant, result) pairs.
pub async fn verify_all(ctx: &Ctx) -> ServiceResult<Vec<(String, Verification)>> {
    let mut out = vec![];
    for t in audit::tenants(&ctx.db.read).await? {
        let v = audit::verify(&ctx.db.read, &t).await?;
        out.push((t, v));
    }
    Ok(out)
}
