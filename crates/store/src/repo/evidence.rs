//! Evidence: photo rows (metadata, thumbnail; the original sits in the object store).

use crate::entity::photo;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

pub use photo::Model as Photo;

pub async fn insert_photo<C: ConnectionTrait>(db: &C, p: photo::ActiveModel) -> Result<(), DbErr> {
    photo::Entity::insert(p).exec_without_returning(db).await.map(|_| ())
}

/// A photo row: its metadata, and its bytes when `storage` is `db` (the original is in the
/// object store under `object_key` when it is `objects`).
pub async fn photo<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<Photo>, DbErr> {
    photo::Entity::find().filter(photo::Column::TenantId.eq(tenant)).filter(photo::Column::Id.eq(id)).one(db).await
}

/// The organisation a photo belongs to, without reading its bytes.
pub async fn photo_owner<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<String>, DbErr> {
    photo::Entity::find()
        .select_only()
        .column(photo::Column::OrganisationId)
        .filter(photo::Column::TenantId.eq(tenant))
        .filter(photo::Column::Id.eq(id))
        .into_tuple::<String>()
        .one(db)
        .await
}

/// A photo's thumbnail and content type, without reading the original; `None` inside when
/// the photo has no thumbnail (rows from before ADR 0008).
pub async fn photo_thumbnail<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<Option<Vec<u8>>>, DbErr> {
    photo::Entity::find()
        .select_only()
        .column(photo::Column::Thumbnail)
        .filter(photo::Column::TenantId.eq(tenant))
        .filter(photo::Column::Id.eq(id))
        .into_tuple::<Option<Vec<u8>>>()
        .one(db)
        .await
}
