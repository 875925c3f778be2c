use crate::entity::region::{self, Column, Entity};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub use region::Model as Region;

pub async fn by_code<C: ConnectionTrait>(db: &C, tenant: &str, code: &str) -> Result<Option<Region>, DbErr> {
    Entity::find().filter(Column::TenantId.eq(tenant)).filter(Column::Code.eq(code)).one(db).await
}

/// Regions whose parent is `parent` (or the roots when `None`), by code.
pub async fn children<C: ConnectionTrait>(db: &C, tenant: &str, parent: Option<&str>) -> Result<Vec<Region>, DbErr> {
    let q = Entity::find().filter(Column::TenantId.eq(tenant));
    let q = match parent {
        Some(p) => q.filter(Column::ParentCode.eq(p)),
        None => q.filter(Column::ParentCode.is_null()),
    };
    q.order_by_asc(Column::Code).all(db).await
}

/// The chain from the root down to `code` (breadcrumbs).
pub async fn ancestors<C: ConnectionTrait>(db: &C, tenant: &str, path: &str) -> Result<Vec<Region>, DbErr> {
    let codes: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(String::from).collect();
    Entity::find().filter(Column::TenantId.eq(tenant)).filter(Column::Code.is_in(codes)).order_by_asc(Column::Path).all(db).await
}

pub async fn insert_many<C: ConnectionTrait>(db: &C, rows: Vec<region::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(500) {
        Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// All regions of one level within a subtree (for filters and pickers), by code.
pub async fn of_level<C: ConnectionTrait>(db: &C, tenant: &str, level: &str, under: Option<&str>) -> Result<Vec<Region>, DbErr> {
    let mut q = Entity::find().filter(Column::TenantId.eq(tenant)).filter(Column::Level.eq(level));
    if let Some(root) = under {
        q = q.filter(super::in_subtree(Column::Path, root));
    }
    q.order_by_asc(Column::Code).all(db).await
}

/// Every region of the tenant (a city has a few thousand), by code.
pub async fn all<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<Vec<Region>, DbErr> {
    Entity::find().filter(Column::TenantId.eq(tenant)).order_by_asc(Column::Code).all(db).await
}
