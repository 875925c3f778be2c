//! `/api/v1/spot-checks`: list spot checks (清单抽查).

use super::{err, json_body, parse_id};
use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiUser;
use anze_service::spot_check::{CreatedChecks, NewSpotChecks, SpotCheckResult, SpotCheckView};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// `open` or `recorded`.
    state: Option<String>,
    /// The last id of the previous page (newest first).
    before: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<u64>,
}

/// Spot checks of units in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/spot-checks", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<SpotCheckView>), (status = 422, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, u: ApiUser, Query(p): Query<ListParams>) -> WebResult<Json<Vec<SpotCheckView>>> {
    let rows = anze_service::spot_check::list(&s.ctx, &u.actor, p.state.as_deref(), p.before.as_deref(), p.limit.unwrap_or(50))
        .await
        .map_err(|e| err(e, &u))?;
    Ok(Json(rows))
}

/// New spot checks: `manual` (the given units) or `random` (drawn from the filtered pool in the
/// caller's jurisdiction with a recorded seed). Officials with inspection powers only.
#[utoipa::path(post, path = "/api/v1/spot-checks", request_body = NewSpotChecks, security(("bearer" = [])),
    responses((status = 201, body = CreatedChecks), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(State(s): State<AppState>, u: ApiUser, body: Bytes) -> WebResult<(StatusCode, Json<CreatedChecks>)> {
    let req: NewSpotChecks = json_body(&body, u.lang)?;
    let created = anze_service::spot_check::create(&s.ctx, &u.actor, &req, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One spot check with the system's figures; 404 outside the scope.
#[utoipa::path(get, path = "/api/v1/spot-checks/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = SpotCheckView), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<SpotCheckView>> {
    let id = parse_id(&id, &u)?;
    Ok(Json(anze_service::spot_check::get_check(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?))
}

/// Record the three results and the problems; a recorded check is refused (409), a `fail`
/// without `problems` is refused naming the field (422).
#[utoipa::path(post, path = "/api/v1/spot-checks/{id}/result", params(("id" = String, Path)), request_body = SpotCheckResult,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>, body: Bytes) -> WebResult<StatusCode> {
    let id = parse_id(&id, &u)?;
    let input: SpotCheckResult = json_body(&body, u.lang)?;
    anze_service::spot_check::record(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(StatusCode::NO_CONTENT)
}
