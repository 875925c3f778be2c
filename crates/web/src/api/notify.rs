//! `/api/v1/notifications`: the notices of the units the caller acts for (issue 5).

use super::{err, parse_id};
use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiUser;
use anze_service::notify::NoticeView;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// The latest notices (100) of the units the caller acts for, newest first; unread ones have
/// no `read_at`.
#[utoipa::path(get, path = "/api/v1/notifications", security(("bearer" = [])), responses((status = 200, body = Vec<NoticeView>)))]
pub async fn mine(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<Vec<NoticeView>>> {
    Ok(Json(anze_service::notify::my_notices(&s.ctx, &u.actor, 100).await.map_err(|e| err(e, &u))?))
}

/// Marks one of the caller's notices read (again: no change).
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn read(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<StatusCode> {
    let id = parse_id(&id, &u)?;
    anze_service::notify::mark_read(&s.ctx, &u.actor, id, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(StatusCode::NO_CONTENT)
}
