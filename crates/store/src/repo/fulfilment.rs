//! Fulfilment records of duty-list items.

use crate::entity::{duty_list_item, fulfilment_record};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub use fulfilment_record::Model as FulfilmentRecord;

/// One item by id (its list carries the tenant, which the caller checks).
pub async fn item<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<duty_list_item::Model>, DbErr> {
    duty_list_item::Entity::find_by_id(id.to_string()).one(db).await
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
