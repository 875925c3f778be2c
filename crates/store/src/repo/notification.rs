//! Notifications to units: at most one of each kind per organisation per day.

use crate::entity::notification;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub use notification::Model as Notification;

/// Inserts a notification unless one of the same kind was issued to the unit that day;
/// returns whether it was new.
pub async fn issue<C: ConnectionTrait>(db: &C, n: notification::ActiveModel) -> Result<bool, DbErr> {
    use notification::Column as N;
    let done = notification::Entity::insert(n)
        .on_conflict(OnConflict::columns([N::OrganisationId, N::Kind, N::IssuedOn]).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(done > 0)
}

/// The latest notifications of one organisation, newest first.
pub async fn of_organisation<C: ConnectionTrait>(db: &C, organisation_id: &str, limit: u64) -> Result<Vec<Notification>, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(notification::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}
