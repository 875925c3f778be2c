//! `/api/v1/inspections`, `/api/v1/draws`, `/api/v1/checklists`: inspections of every kind,
//! the verifiable random draw (双随机) and the shipped checklists.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, JsonBody, Path};
use anze_service::inspection::{Checklist, DrawView, InspectionDetail, NewChecklist, NewDraw, NewInspection, VisitRecord};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use uuid::Uuid;

// Operations keep the tag `inspections` they have always had in the document.
#[derive(OpenApi)]
#[openapi(
    paths(checklists, import_checklist, list, stats, create, show, advance, visit, create_draw, show_draw),
    components(schemas(
        CreatedId,
        InspectionDto,
        StateDto,
        VisitDto,
        Checklist,
        anze_service::inspection::ChecklistItemText,
        NewInspection,
        InspectionDetail,
        VisitRecord,
        anze_service::inspection::ItemInput,
        NewDraw,
        DrawView
    ))
)]
pub struct InspectionDoc;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedId {
    pub id: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionDto {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub theme: String,
    pub lead_name: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// The last id of the previous page (newest first).
    before: Option<String>,
}

/// The shipped checklists and the city's imported ones, with their items.
#[utoipa::path(get, tag = "inspections", path = "/api/v1/checklists", security(("bearer" = [])), responses((status = 200, body = Vec<Checklist>)))]
pub async fn checklists(State(s): State<AppState>, _: ApiUser) -> WebResult<Json<Vec<Checklist>>> {
    Ok(Json(anze_service::inspection::checklists(&s.ctx).await?))
}

/// Inspections with a target in the caller's scope (a covert one is hidden from the target's
/// own people until it is completed), newest first.
#[utoipa::path(get, tag = "inspections", path = "/api/v1/inspections", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<InspectionDto>)))]
pub async fn list(State(s): State<AppState>, u: ApiUser, Query(p): Query<ListParams>) -> WebResult<Json<Vec<InspectionDto>>> {
    let rows = anze_service::inspection::list(&s.ctx, &u.actor, p.before.as_deref(), 100).await?;
    Ok(Json(
        rows.into_iter()
            .map(|i| InspectionDto {
                id: i.id,
                kind: i.kind,
                state: i.state,
                theme: i.theme,
                lead_name: i.lead_name,
                starts_on: i.starts_on,
                ends_on: i.ends_on,
            })
            .collect(),
    ))
}

/// Plans an inspection of targets in the caller's scope.
#[utoipa::path(post, tag = "inspections", path = "/api/v1/inspections", request_body = NewInspection, security(("bearer" = [])),
    responses((status = 201, body = CreatedId), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(req): JsonBody<NewInspection>,
) -> WebResult<(StatusCode, Json<CreatedId>)> {
    let id = anze_service::inspection::create(&s.ctx, &u.actor, &req, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(CreatedId { id: id.to_string() })))
}

/// One inspection with its targets, results and checklist; 404 outside the scope and, for a
/// covert one, for the target's own people until it is completed.
#[utoipa::path(get, tag = "inspections", path = "/api/v1/inspections/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = InspectionDetail), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<InspectionDetail>> {
    Ok(Json(anze_service::inspection::detail(&s.ctx, &u.actor, id).await?))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct StateDto {
    /// `in_progress`, `completed` or `archived`.
    pub state: String,
}

/// Moves an inspection to its next state.
#[utoipa::path(post, tag = "inspections", path = "/api/v1/inspections/{id}/state", params(("id" = String, Path)), request_body = StateDto,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn advance(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(r): JsonBody<StateDto>,
) -> WebResult<StatusCode> {
    anze_service::inspection::advance(&s.ctx, &u.actor, id, &r.state, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VisitDto {
    /// The hazards the failed items became.
    pub hazards: Vec<String>,
}

/// Records one target's visit: every checklist item's result, notes, both signatures; failed
/// items become hazards in the same write.
#[utoipa::path(post, tag = "inspections", path = "/api/v1/inspections/{id}/visits", params(("id" = String, Path)), request_body = VisitRecord,
    security(("bearer" = [])),
    responses((status = 201, body = VisitDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn visit(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(mut r): JsonBody<VisitRecord>,
) -> WebResult<(StatusCode, Json<VisitDto>)> {
    for item in &mut r.results {
        item.photos = super::photos(&item.photos_base64)?;
    }
    let hazards = anze_service::inspection::record_visit(&s.ctx, &u.actor, id, &r, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(VisitDto { hazards: hazards.iter().map(ToString::to_string).collect() })))
}

/// Draws `n` targets from the filtered pool in the caller's inspecting jurisdiction and `m`
/// inspectors from the roster, free of conflicts, from a published seed.
#[utoipa::path(post, tag = "inspections", path = "/api/v1/draws", request_body = NewDraw, security(("bearer" = [])),
    responses((status = 201, body = CreatedId), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_draw(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(req): JsonBody<NewDraw>,
) -> WebResult<(StatusCode, Json<CreatedId>)> {
    let id = anze_service::inspection::create_draw(&s.ctx, &u.actor, &req, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(CreatedId { id: id.to_string() })))
}

/// A stored draw, run again: `verify_error` is null when it gives the same result.
#[utoipa::path(get, tag = "inspections", path = "/api/v1/draws/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = DrawView), (status = 404, body = ErrorBody)))]
pub async fn show_draw(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<DrawView>> {
    Ok(Json(anze_service::inspection::get_draw(&s.ctx, &u.actor, id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StatsParams {
    /// The year counted (default: this year, Asia/Shanghai).
    year: Option<i32>,
}

/// How many inspections one unit led of one kind, per month (January first).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthlyCountDto {
    pub unit: String,
    pub kind: String,
    pub months: Vec<u32>,
    pub total: u32,
}

/// Inspections led per unit, kind and month of a year, among those the caller sees.
#[utoipa::path(get, tag = "inspections", path = "/api/v1/inspections/stats", params(StatsParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<MonthlyCountDto>), (status = 422, body = ErrorBody)))]
pub async fn stats(State(s): State<AppState>, u: ApiUser, Query(p): Query<StatsParams>) -> WebResult<Json<Vec<MonthlyCountDto>>> {
    use chrono::Datelike;
    let year = p.year.unwrap_or_else(|| anze_domain::time::local_date(chrono::Utc::now()).year());
    let counts = anze_service::inspection::monthly_counts(&s.ctx, &u.actor, year).await?;
    Ok(Json(
        counts.into_iter().map(|c| MonthlyCountDto { unit: c.unit, kind: c.kind, months: c.months.to_vec(), total: c.total }).collect(),
    ))
}

/// Imports a checklist: the .xlsx (or CSV) file is the body, its code, name, basis, default
/// grade, industry and inspection kind are query parameters. All or nothing; 422 with every
/// bad row, or with the bad field.
#[utoipa::path(post, tag = "inspections", path = "/api/v1/checklists", params(NewChecklist), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses((status = 201, body = CreatedId), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_checklist(
    State(s): State<AppState>,
    u: ApiUser,
    Query(meta): Query<NewChecklist>,
    body: Bytes,
) -> WebResult<axum::response::Response> {
    use axum::response::IntoResponse;
    match anze_service::inspection::import_checklist(&s.ctx, &u.actor, &meta, &body, chrono::Utc::now()).await? {
        Ok(code) => Ok((StatusCode::CREATED, Json(CreatedId { id: code })).into_response()),
        Err(errors) => {
            let messages: Vec<String> = errors.iter().map(|e| crate::pages::imports_reason(u.lang, e)).collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({"code": "import.invalid", "errors": errors, "messages": messages})),
            )
                .into_response())
        }
    }
}
