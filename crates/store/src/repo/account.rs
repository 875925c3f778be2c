//! User accounts, their role assignments, browser sessions and API tokens.

use crate::entity::{api_token, role_assignment, session, user_account};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};

pub use api_token::Model as ApiToken;
pub use role_assignment::Model as RoleAssignment;
pub use session::Model as Session;
pub use user_account::Model as User;

pub async fn by_username<C: ConnectionTrait>(db: &C, tenant: &str, username: &str) -> Result<Option<User>, DbErr> {
    user_account::Entity::find()
        .filter(user_account::Column::TenantId.eq(tenant))
        .filter(user_account::Column::Username.eq(username))
        .one(db)
        .await
}

pub async fn by_id<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<User>, DbErr> {
    user_account::Entity::find_by_id(id.to_string()).one(db).await
}

pub async fn list<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<Vec<User>, DbErr> {
    user_account::Entity::find()
        .filter(user_account::Column::TenantId.eq(tenant))
        .order_by_asc(user_account::Column::Username)
        .all(db)
        .await
}

pub async fn count<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<u64, DbErr> {
    user_account::Entity::find().filter(user_account::Column::TenantId.eq(tenant)).count(db).await
}

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    user: user_account::ActiveModel,
    roles: Vec<role_assignment::ActiveModel>,
) -> Result<(), DbErr> {
    user_account::Entity::insert(user).exec_without_returning(db).await?;
    if !roles.is_empty() {
        role_assignment::Entity::insert_many(roles).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn update<C: ConnectionTrait>(db: &C, u: User) -> Result<(), DbErr> {
    let a = u.into_active_model().reset_all();
    a.update(db).await.map(|_| ())
}

pub async fn roles_of<C: ConnectionTrait>(db: &C, user_id: &str) -> Result<Vec<RoleAssignment>, DbErr> {
    role_assignment::Entity::find().filter(role_assignment::Column::UserId.eq(user_id)).all(db).await
}

pub async fn insert_session<C: ConnectionTrait>(db: &C, s: session::ActiveModel) -> Result<(), DbErr> {
    session::Entity::insert(s).exec_without_returning(db).await.map(|_| ())
}

pub async fn session_by_id<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<Session>, DbErr> {
    session::Entity::find_by_id(id.to_string()).one(db).await
}

pub async fn touch_session<C: ConnectionTrait>(db: &C, id: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn delete_session<C: ConnectionTrait>(db: &C, id: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id.to_string()).exec(db).await.map(|_| ())
}

pub async fn delete_sessions_of<C: ConnectionTrait>(db: &C, user_id: &str) -> Result<(), DbErr> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await.map(|_| ())
}

/// Removes sessions past their absolute expiry or idle longer than `idle_before`.
pub async fn purge_sessions<C: ConnectionTrait>(db: &C, now: DateTime<Utc>, idle_before: DateTime<Utc>) -> Result<u64, DbErr> {
    let r = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now).or(session::Column::LastSeenAt.lt(idle_before)))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

pub async fn insert_token<C: ConnectionTrait>(db: &C, t: api_token::ActiveModel) -> Result<(), DbErr> {
    api_token::Entity::insert(t).exec_without_returning(db).await.map(|_| ())
}

pub async fn token_by_hash<C: ConnectionTrait>(db: &C, hash: &str) -> Result<Option<ApiToken>, DbErr> {
    api_token::Entity::find().filter(api_token::Column::TokenHash.eq(hash)).one(db).await
}

pub async fn revoke_token<C: ConnectionTrait>(db: &C, hash: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::TokenHash.eq(hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}
