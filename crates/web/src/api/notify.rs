//! `/api/v1/notifications`: the notices of the units the caller acts for (issue 5).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, Path};
use anze_service::notify::NoticeView;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa::OpenApi;
use uuid::Uuid;

// Operations keep the tag `notify` they have always had in the document.
#[derive(OpenApi)]
#[openapi(paths(mine, read), components(schemas(NoticeView)))]
pub struct NotifyDoc;

/// The latest notices (100) of the units the caller acts for, newest first; unread ones have
/// no `read_at`.
#[utoipa::path(get, tag = "notify", path = "/api/v1/notifications", security(("bearer" = [])), responses((status = 200, body = Vec<NoticeView>)))]
pub async fn mine(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<Vec<NoticeView>>> {
    Ok(Json(anze_service::notify::my_notices(&s.ctx, &u.actor, 100).await?))
}

/// Marks one of the caller's notices read (again: no change).
#[utoipa::path(post, tag = "notify", path = "/api/v1/notifications/{id}/read", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn read(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<StatusCode> {
    anze_service::notify::mark_read(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
