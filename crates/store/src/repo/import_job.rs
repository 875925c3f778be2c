//! Import jobs: one row per uploaded file, with its progress and its row errors.

use crate::entity::import_job;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

pub use import_job::Model as ImportJob;

pub async fn insert<C: ConnectionTrait>(db: &C, j: import_job::ActiveModel) -> Result<(), DbErr> {
    import_job::Entity::insert(j).exec_without_returning(db).await.map(|_| ())
}

pub async fn get<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<ImportJob>, DbErr> {
    import_job::Entity::find().filter(import_job::Column::TenantId.eq(tenant)).filter(import_job::Column::Id.eq(id)).one(db).await
}

pub async fn recent_of_user<C: ConnectionTrait>(db: &C, user_id: &str, limit: u64) -> Result<Vec<ImportJob>, DbErr> {
    import_job::Entity::find()
        .filter(import_job::Column::UserId.eq(user_id))
        .order_by_desc(import_job::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}

pub async fn progress<C: ConnectionTrait>(db: &C, id: &str, processed: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    import_job::Entity::update_many()
        .col_expr(import_job::Column::ProcessedRows, Expr::value(processed))
        .col_expr(import_job::Column::UpdatedAt, Expr::value(now))
        .filter(import_job::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn update<C: ConnectionTrait>(db: &C, j: ImportJob) -> Result<(), DbErr> {
    let a = j.into_active_model().reset_all();
    a.update(db).await.map(|_| ())
}
