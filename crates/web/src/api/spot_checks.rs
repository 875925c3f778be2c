//! `/api/v1/spot-checks`: list spot checks (清单抽查).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, JsonBody, Path};
use anze_service::spot_check::{CreatedChecks, NewSpotChecks, SpotCheckResult, SpotCheckView};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use utoipa::OpenApi;
use uuid::Uuid;

// Operations keep the tag `spot_checks` they have always had in the document.
#[derive(OpenApi)]
#[openapi(
    paths(list, create, show, record),
    components(schemas(NewSpotChecks, CreatedChecks, anze_service::spot_check::DrawRecord, SpotCheckResult, SpotCheckView))
)]
pub struct SpotCheckDoc;

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
#[utoipa::path(get, tag = "spot_checks", path = "/api/v1/spot-checks", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<SpotCheckView>), (status = 422, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, u: ApiUser, Query(p): Query<ListParams>) -> WebResult<Json<Vec<SpotCheckView>>> {
    let rows = anze_service::spot_check::list(&s.ctx, &u.actor, p.state.as_deref(), p.before.as_deref(), p.limit.unwrap_or(50)).await?;
    Ok(Json(rows))
}

/// New spot checks: `manual` (the given units) or `random` (drawn from the filtered pool in the
/// caller's jurisdiction with a recorded seed). Officials with inspection powers only.
#[utoipa::path(post, tag = "spot_checks", path = "/api/v1/spot-checks", request_body = NewSpotChecks, security(("bearer" = [])),
    responses((status = 201, body = CreatedChecks), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(req): JsonBody<NewSpotChecks>,
) -> WebResult<(StatusCode, Json<CreatedChecks>)> {
    let created = anze_service::spot_check::create(&s.ctx, &u.actor, &req, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One spot check with the system's figures; 404 outside the scope.
#[utoipa::path(get, tag = "spot_checks", path = "/api/v1/spot-checks/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = SpotCheckView), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<SpotCheckView>> {
    Ok(Json(anze_service::spot_check::get_check(&s.ctx, &u.actor, id).await?))
}

/// Record the three results and the problems; a recorded check is refused (409), a `fail`
/// without `problems` is refused naming the field (422).
#[utoipa::path(post, tag = "spot_checks", path = "/api/v1/spot-checks/{id}/result", params(("id" = String, Path)), request_body = SpotCheckResult,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<SpotCheckResult>,
) -> WebResult<StatusCode> {
    anze_service::spot_check::record(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
