//! Reminders, the users' notices and the delivery outbox (issue 5).

use super::org::Organisation;
use crate::entity::{notification, organisation, outbox, reminder, role_assignment, user_account};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashSet;

pub use outbox::Model as OutboxRow;
pub use reminder::Model as Reminder;

/// Units of these kinds in the tenant (the subjects of a campaign's obligations).
pub async fn units_of_kinds<C: ConnectionTrait>(db: &C, tenant: &str, kinds: &[String]) -> Result<Vec<Organisation>, DbErr> {
    if kinds.is_empty() {
        return Ok(vec![]);
    }
    organisation::Entity::find()
        .filter(organisation::Column::TenantId.eq(tenant))
        .filter(organisation::Column::Kind.is_in(kinds.iter().cloned()))
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await
}

/// The reminders already sent for one campaign code: (unit, obligation, period, kind).
pub async fn reminders_sent<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    campaign_code: &str,
) -> Result<HashSet<(String, String, String, String)>, DbErr> {
    use reminder::Column as R;
    let rows: Vec<(String, String, String, String)> = reminder::Entity::find()
        .select_only()
        .columns([R::OrganisationId, R::ObligationCode, R::PeriodLabel, R::Kind])
        .filter(R::TenantId.eq(tenant))
        .filter(R::CampaignCode.eq(campaign_code))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Records reminders; one already recorded (a concurrent run) is left as it is.
pub async fn insert_reminders<C: ConnectionTrait>(db: &C, rows: Vec<reminder::ActiveModel>) -> Result<u64, DbErr> {
    use reminder::Column as R;
    let mut n = 0;
    for chunk in rows.chunks(100) {
        n += reminder::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([R::OrganisationId, R::CampaignCode, R::ObligationCode, R::PeriodLabel, R::Kind])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(n)
}

/// The latest notices of a set of units, newest first.
pub async fn notices_of<C: ConnectionTrait>(db: &C, tenant: &str, units: &[String], limit: u64) -> Result<Vec<notification::Model>, DbErr> {
    if units.is_empty() {
        return Ok(vec![]);
    }
    notification::Entity::find()
        .filter(notification::Column::TenantId.eq(tenant))
        .filter(notification::Column::OrganisationId.is_in(units.iter().cloned()))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// How many notices of these units are unread.
pub async fn unread_count<C: ConnectionTrait>(db: &C, tenant: &str, units: &[String]) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    if units.is_empty() {
        return Ok(0);
    }
    notification::Entity::find()
        .filter(notification::Column::TenantId.eq(tenant))
        .filter(notification::Column::OrganisationId.is_in(units.iter().cloned()))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
}

pub async fn notice<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<notification::Model>, DbErr> {
    notification::Entity::find().filter(notification::Column::TenantId.eq(tenant)).filter(notification::Column::Id.eq(id)).one(db).await
}

/// Marks a notice read (once); returns whether it changed.
pub async fn mark_read<C: ConnectionTrait>(db: &C, id: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}

/// The notices issued on one day, oldest first.
pub async fn notices_issued_on<C: ConnectionTrait>(db: &C, tenant: &str, day: NaiveDate) -> Result<Vec<notification::Model>, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::TenantId.eq(tenant))
        .filter(notification::Column::IssuedOn.eq(day))
        .order_by_asc(notification::Column::CreatedAt)
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await
}

/// Enabled users with an e-mail address, each with the units they act for.
pub async fn users_with_email<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<Vec<(user_account::Model, Vec<String>)>, DbErr> {
    let users = user_account::Entity::find()
        .filter(user_account::Column::TenantId.eq(tenant))
        .filter(user_account::Column::Disabled.eq(false))
        .filter(user_account::Column::Email.is_not_null())
        .order_by_asc(user_account::Column::Username)
        .all(db)
        .await?;
    let roles: Vec<(String, String)> = role_assignment::Entity::find()
        .select_only()
        .columns([role_assignment::Column::UserId, role_assignment::Column::OrganisationId])
        .filter(role_assignment::Column::TenantId.eq(tenant))
        .filter(role_assignment::Column::OrganisationId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .filter(|u| u.email.as_deref().is_some_and(|e| !e.is_empty()))
        .map(|u| {
            let units = roles.iter().filter(|(uid, _)| *uid == u.id).map(|(_, o)| o.clone()).collect();
            (u, units)
        })
        .collect())
}

// ----- the outbox ----------------------------------------------------------------------------

/// Queues a message unless one with the same dedupe key exists; returns whether it was new.
pub async fn enqueue<C: ConnectionTrait>(db: &C, row: outbox::ActiveModel) -> Result<bool, DbErr> {
    let n = outbox::Entity::insert(row)
        .on_conflict(OnConflict::column(outbox::Column::DedupeKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(n > 0)
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(outbox::Column::DeliveredAt.is_null())
        .add(Condition::any().add(outbox::Column::ClaimedUntil.is_null()).add(outbox::Column::ClaimedUntil.lt(now)))
}

/// Rows due for an attempt on these channels, oldest first.
pub async fn due<C: ConnectionTrait>(db: &C, channels: &[&str], now: DateTime<Utc>, limit: u64) -> Result<Vec<OutboxRow>, DbErr> {
    if channels.is_empty() {
        return Ok(vec![]);
    }
    outbox::Entity::find()
        .filter(claimable(now))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(outbox::Column::Channel.is_in(channels.iter().map(|c| c.to_string())))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Claims a row until `until`: only one dispatcher wins (the update matches an unclaimed,
/// undelivered row once).
pub async fn claim<C: ConnectionTrait>(db: &C, id: &str, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(until))
        .filter(outbox::Column::Id.eq(id))
        .filter(claimable(now))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn mark_delivered<C: ConnectionTrait>(db: &C, id: &str, attempts: i32, now: DateTime<Utc>) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::DeliveredAt, Expr::value(now))
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::value(Option::<String>::None))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::DeliveredAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn mark_failed<C: ConnectionTrait>(db: &C, id: &str, attempts: i32, next: DateTime<Utc>, error: &str) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(next))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::value(Some(error.to_string())))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::DeliveredAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

/// The outbox, newest first; `pending` leaves out delivered rows.
pub async fn list<C: ConnectionTrait>(db: &C, tenant: &str, pending: bool, limit: u64) -> Result<Vec<OutboxRow>, DbErr> {
    let mut q = outbox::Entity::find().filter(outbox::Column::TenantId.eq(tenant));
    if pending {
        q = q.filter(outbox::Column::DeliveredAt.is_null());
    }
    q.order_by_desc(outbox::Column::CreatedAt).order_by_desc(outbox::Column::Id).limit(limit).all(db).await
}

/// Makes failed rows due now (`anze outbox retry`); returns how many.
pub async fn retry_now<C: ConnectionTrait>(db: &C, tenant: &str, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::TenantId.eq(tenant))
        .filter(outbox::Column::DeliveredAt.is_null())
        .filter(outbox::Column::NextAttemptAt.gt(now))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
