//! The append-only, hash-chained audit trail. The head row per tenant is updated first in
//! each append, which on PostgreSQL takes a row lock, so concurrent writers chain one after
//! another instead of forking the chain.

use crate::entity::{audit_event, audit_head};
use anze_domain::audit::{AuditRecord, GENESIS, chain_hash};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

pub use audit_event::Model as AuditEvent;

/// What a caller records; the chain fields are filled in here.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub tenant_id: String,
    pub occurred_at: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub changes: serde_json::Value,
    pub address: String,
}

pub async fn append<C: ConnectionTrait>(db: &C, e: NewEvent) -> Result<i64, DbErr> {
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq).add(1))
        .filter(audit_head::Column::TenantId.eq(e.tenant_id.as_str()))
        .exec(db)
        .await?;
    let head = audit_head::Entity::find_by_id(e.tenant_id.clone())
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("audit head of tenant {}", e.tenant_id)))?;
    let id = anze_domain::ids::new_id().to_string();
    let record = AuditRecord {
        id: &id,
        seq: head.seq,
        tenant_id: &e.tenant_id,
        occurred_at: &e.occurred_at,
        actor: e.actor_id.as_deref().unwrap_or(""),
        actor_name: &e.actor_name,
        action: &e.action,
        object_type: &e.object_type,
        object_id: &e.object_id,
        changes: &e.changes,
        address: &e.address,
    };
    let hash = chain_hash(&head.hash, &record);
    audit_event::Entity::insert(audit_event::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(e.tenant_id.clone()),
        seq: Set(head.seq),
        occurred_at: Set(e.occurred_at.clone()),
        actor_id: Set(e.actor_id.clone()),
        actor_name: Set(e.actor_name.clone()),
        action: Set(e.action.clone()),
        object_type: Set(e.object_type.clone()),
        object_id: Set(e.object_id.clone()),
        changes: Set(e.changes.to_string()),
        address: Set(e.address.clone()),
        prev_hash: Set(head.hash.clone()),
        hash: Set(hash.clone()),
    })
    .exec_without_returning(db)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(hash))
        .filter(audit_head::Column::TenantId.eq(e.tenant_id.as_str()))
        .exec(db)
        .await?;
    Ok(head.seq)
}

/// Events about one object, newest first.
pub async fn for_object<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    object_type: &str,
    object_id: &str,
    limit: u64,
) -> Result<Vec<AuditEvent>, DbErr> {
    audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tenant))
        .filter(audit_event::Column::ObjectType.eq(object_type))
        .filter(audit_event::Column::ObjectId.eq(object_id))
        .order_by_desc(audit_event::Column::Seq)
        .limit(limit)
        .all(db)
        .await
}

/// The newest events of the tenant, before `before_seq` when paging.
pub async fn recent<C: ConnectionTrait>(db: &C, tenant: &str, before_seq: Option<i64>, limit: u64) -> Result<Vec<AuditEvent>, DbErr> {
    let mut q = audit_event::Entity::find().filter(audit_event::Column::TenantId.eq(tenant));
    if let Some(b) = before_seq {
        q = q.filter(audit_event::Column::Seq.lt(b));
    }
    q.order_by_desc(audit_event::Column::Seq).limit(limit).all(db).await
}

/// Outcome of walking a tenant's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { events: i64 },
    Broken { seq: i64, id: Option<String>, reason: &'static str },
}

/// Recomputes every link in order; reports the first event whose hash, predecessor or
/// sequence does not match, or a head that does not match the last event (truncation).
pub async fn verify<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<Verification, DbErr> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    loop {
        let batch = audit_event::Entity::find()
            .filter(audit_event::Column::TenantId.eq(tenant))
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(5000)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for ev in batch {
            let broken = |reason| Verification::Broken { seq: ev.seq, id: Some(ev.id.clone()), reason };
            if ev.seq != expected_seq {
                return Ok(Verification::Broken { seq: expected_seq, id: None, reason: "audit.verify.missing" });
            }
            if ev.prev_hash != prev {
                return Ok(broken("audit.verify.prev_hash"));
            }
            let changes: serde_json::Value = match serde_json::from_str(&ev.changes) {
                Ok(v) => v,
                Err(_) => return Ok(broken("audit.verify.changes")),
            };
            let record = AuditRecord {
                id: &ev.id,
                seq: ev.seq,
                tenant_id: &ev.tenant_id,
                occurred_at: &ev.occurred_at,
                actor: ev.actor_id.as_deref().unwrap_or(""),
                actor_name: &ev.actor_name,
                action: &ev.action,
                object_type: &ev.object_type,
                object_id: &ev.object_id,
                changes: &changes,
                address: &ev.address,
            };
            if chain_hash(&prev, &record) != ev.hash {
                return Ok(broken("audit.verify.hash"));
            }
            prev = ev.hash;
            expected_seq += 1;
        }
    }
    let head = audit_head::Entity::find_by_id(tenant.to_string()).one(db).await?;
    match head {
        Some(h) if h.seq == expected_seq - 1 && h.hash == prev => Ok(Verification::Intact { events: expected_seq - 1 }),
        Some(h) => Ok(Verification::Broken { seq: h.seq, id: None, reason: "audit.verify.head" }),
        None if expected_seq == 1 => Ok(Verification::Intact { events: 0 }),
        None => Ok(Verification::Broken { seq: expected_seq - 1, id: None, reason: "audit.verify.head" }),
    }
}

pub async fn tenants<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, DbErr> {
    Ok(audit_head::Entity::find().all(db).await?.into_iter().map(|h| h.tenant_id).collect())
}
