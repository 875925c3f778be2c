//! Fulfilment records of duty-list items and their photos.

use crate::entity::{duty_list_item, fulfilment_record, photo};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub use fulfilment_record::Model as FulfilmentRecord;
pub use photo::Model as Photo;

/// One item by id (its list carries the tenant, which the caller checks).
pub async fn item<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<duty_list_item::Model>, DbErr> {
    duty_list_item::Entity::find_by_id(id.to_string()).one(db).await
}

pub async fn insert_photo<C: ConnectionTrait>(db: &C, p: photo::ActiveModel) -> Result<(), DbErr> {
    photo::Entity::insert(p).exec_without_returning(db).await.map(|_| ())
}

pub async fn insert_record<C: ConnectionTrait>(db: &C, r: fulfilment_record::ActiveModel) -> Result<(), DbErr> {
    fulfilment_record::Entity::insert(r).exec_without_returning(db).await.map(|_| ())
}

/// The records of the given items, newest first.
pub async fn records_of<C: ConnectionTrait>(db: &C, tenant: &str, item_ids: &[String]) -> Result<Vec<FulfilmentRecord>, DbErr> {
    let mut out = vec![];
    for chunk in item_ids.chunks(500) {
        out.extend(
            fulfilment_record::Entity::find()
                .filter(fulfilment_record::Column::TenantId.eq(tenant))
                .filter(fulfilment_record::Column::DutyListItemId.is_in(chunk.to_vec()))
                .order_by_desc(fulfilment_record::Column::DoneOn)
                .order_by_desc(fulfilment_record::Column::CreatedAt)
                .all(db)
                .await?,
        );
    }
    out.sort_by(|a, b| b.done_on.cmp(&a.done_on).then_with(|| b.created_at.cmp(&a.created_at)));
    Ok(out)
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
