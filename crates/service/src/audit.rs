//! Recording and reading the audit trail.

use crate::{Actor, Ctx, ServiceResult};
use anze_store::ConnectionTrait;
/// An audit event as the trail pages and the API show it.
pub use anze_store::repo::audit::AuditEvent;
use anze_store::repo::audit::{self, NewEvent, Verification};
use chrono::{DateTime, SecondsFormat, Utc};

/// What happened to which object: an action code (`hazard.confirm`), the object's type and
/// id, and the changes as `{"field": [before, after]}`.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub changes: serde_json::Value,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, object_type: &'a str, object_id: &'a str, changes: serde_json::Value) -> Self {
        Self { action, object_type, object_id, changes }
    }
}

/// Appends one event inside the caller's transaction: who (the actor and their address),
/// when (`now`) and what (`event`).
pub async fn record<C: ConnectionTrait>(db: &C, ctx: &Ctx, actor: &Actor, now: DateTime<Utc>, event: Event<'_>) -> ServiceResult<()> {
    audit::append(
        db,
        NewEvent {
            tenant_id: ctx.tenant.clone(),
            occurred_at: now.to_rfc3339_opts(SecondsFormat::Micros, true),
            actor_id: actor.user_id.map(|u| u.to_string()),
            actor_name: actor.name.clone(),
            action: event.action.into(),
            object_type: event.object_type.into(),
            object_id: event.object_id.into(),
            changes: event.changes,
            address: actor.address.clone(),
        },
    )
    .await?;
    Ok(())
}

/// The trail of one object. The caller has already checked the object is in scope.
#[tracing::instrument(level = "debug", skip_all, fields(object_id = %object_id))]
pub async fn trail(ctx: &Ctx, object_type: &str, object_id: &str) -> ServiceResult<Vec<AuditEvent>> {
    Ok(audit::for_object(&ctx.db.read, &ctx.tenant, object_type, object_id, 500).await?)
}

/// The tenant's newest events (city administrators only; checked by the caller).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recent(ctx: &Ctx, before_seq: Option<i64>, limit: u64) -> ServiceResult<Vec<AuditEvent>> {
    Ok(audit::recent(&ctx.db.read, &ctx.tenant, before_seq, limit).await?)
}

/// Walks every tenant's chain; returns (tenant, result) pairs.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn verify_all(ctx: &Ctx) -> ServiceResult<Vec<(String, Verification)>> {
    let mut out = vec![];
    for t in audit::tenants(&ctx.db.read).await? {
        let v = audit::verify(&ctx.db.read, &t).await?;
        out.push((t, v));
    }
    Ok(out)
}
