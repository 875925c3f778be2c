use crate::entity::{audit_head, tenant};
use anze_domain::audit::GENESIS;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

/// Creates the tenant (and its audit chain head) if it does not exist yet.
pub async fn ensure<C: ConnectionTrait>(db: &C, id: &str, code: &str, name: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    if tenant::Entity::find_by_id(id.to_string()).one(db).await?.is_some() {
        return Ok(());
    }
    tenant::ActiveModel { id: Set(id.into()), code: Set(code.into()), name: Set(name.into()), created_at: Set(now) }.insert(db).await?;
    audit_head::ActiveModel { tenant_id: Set(id.into()), seq: Set(0), hash: Set(GENESIS.into()) }.insert(db).await?;
    Ok(())
}
