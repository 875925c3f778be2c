//! `/api/v1/campaigns`, `/api/v1/activities`, `/api/v1/board` (issue 5): campaigns loaded from
//! their files, their obligations, activity records, and the computed boards.

use super::Created;
use crate::AppState;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiUser, JsonBody, Path, json_body};
use anze_service::campaign::activity::{ActivityInput, ActivityQuery, ActivityView};
use anze_service::campaign::board::{Board, BoardQuery, UnitTodo};
use anze_service::campaign::{CampaignSummary, ExemptionInput, LoadError, ObligationView};
use anze_service::sheet::RowError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use uuid::Uuid;

#[derive(OpenApi)]
#[openapi(
    paths(list, load, obligations, copy, exempt, subject_flag, activities, create_activity, import_activities, board, unit),
    components(schemas(
        LoadRequest,
        LoadErrors,
        CopyRequest,
        CampaignSummary,
        LoadError,
        ObligationView,
        anze_service::campaign::PeriodView,
        ExemptionInput,
        ActivityInput,
        ActivityView,
        anze_service::campaign::activity::NamedFile,
        anze_service::campaign::activity::AttachmentView,
        ActivityImportErrors,
        ActivityImported,
        Board,
        UnitTodo,
        anze_service::campaign::board::BoardRow,
        anze_service::campaign::board::Cell,
        anze_service::campaign::board::PeriodStanding,
        anze_service::campaign::board::EvidenceItem,
        anze_service::campaign::board::TodoItem,
        anze_service::campaign::board::StatusCount
    ))
)]
pub struct CampaignDoc;

/// A campaign file to load.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LoadRequest {
    /// The TOML text of the campaign file (docs/adr/0007).
    #[serde(default)]
    pub source: String,
}

/// Every problem of a refused campaign file, each with its line.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoadErrors {
    /// `campaign.invalid`.
    pub code: String,
    pub errors: Vec<LoadError>,
    /// The problems as sentences in the caller's language, `line N: …`.
    pub messages: Vec<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CopyRequest {
    /// Years to move every date by, 1–5 (default 1).
    #[serde(default)]
    pub years: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityImportErrors {
    /// `import.invalid`.
    pub code: String,
    pub errors: Vec<RowError>,
    pub messages: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityImported {
    pub created: usize,
}

/// A campaign error as a sentence: `第 N 行：…`.
pub fn load_message(lang: crate::i18n::Lang, e: &LoadError) -> String {
    let field = if e.field.is_empty() { String::new() } else { format!("[{}] ", e.field) };
    let message = format!("{field}{}", lang.error(&e.code, e.detail.as_deref()));
    lang.t_args("campaign-error-at-line", &[("line", e.line.to_string()), ("message", message)])
}

/// Every loaded campaign version, newest first.
#[utoipa::path(get, path = "/api/v1/campaigns", security(("bearer" = [])), responses((status = 200, body = Vec<CampaignSummary>)))]
pub async fn list(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<Vec<CampaignSummary>>> {
    Ok(Json(anze_service::campaign::list(&s.ctx, &u.actor).await?))
}

/// Load a campaign file as the next version of its code (city office only). A file with any
/// problem is refused (422) with every problem and its line; nothing is stored.
#[utoipa::path(post, path = "/api/v1/campaigns", request_body = LoadRequest, security(("bearer" = [])),
    responses((status = 201, body = CampaignSummary), (status = 403, body = ErrorBody), (status = 422, body = LoadErrors)))]
pub async fn load(State(s): State<AppState>, u: ApiUser, JsonBody(r): JsonBody<LoadRequest>) -> WebResult<Response> {
    match anze_service::campaign::load(&s.ctx, &u.actor, &r.source, chrono::Utc::now()).await? {
        Ok(c) => Ok((StatusCode::CREATED, Json(c)).into_response()),
        Err(errors) => {
            let messages = errors.iter().map(|e| load_message(u.lang, e)).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(LoadErrors { code: "campaign.invalid".into(), errors, messages })).into_response())
        }
    }
}

/// The obligations of one campaign version, with their periods and due dates.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/obligations", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<ObligationView>), (status = 404, body = ErrorBody)))]
pub async fn obligations(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<Vec<ObligationView>>> {
    Ok(Json(anze_service::campaign::obligations(&s.ctx, &u.actor, id).await?))
}

/// Copy a campaign version to another year (every date moved; the code takes the new year),
/// stored as a new campaign (city office only).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/copy", params(("id" = String, Path)), request_body = CopyRequest, security(("bearer" = [])),
    responses((status = 201, body = CampaignSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn copy(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> WebResult<(StatusCode, Json<CampaignSummary>)> {
    let r: CopyRequest = if body.is_empty() { CopyRequest::default() } else { json_body(&body)? };
    let c = anze_service::campaign::copy(&s.ctx, &u.actor, id, r.years.unwrap_or(1), chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Grant a documented exemption (a reason is required) to one unit for one period of one
/// obligation; the computed status is never changed (city office only).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/exemptions", params(("id" = String, Path)), request_body = ExemptionInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn exempt(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<ExemptionInput>,
) -> WebResult<(StatusCode, Json<Created>)> {
    let eid = anze_service::campaign::exempt(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: eid })))
}

/// A fact about a unit that campaign subjects filter on.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SubjectFlagRequest {
    /// `comprehensive_enforcement`, `concentrated_risk` or `enforcement_powers`.
    #[serde(default)]
    pub flag: String,
    /// Set (`true`, the default) or clear.
    #[serde(default)]
    pub on: Option<bool>,
}

/// Set or clear a subject flag of a unit (city office only): the comprehensive enforcement
/// department, a township where enterprises concentrate and risks are many, enforcement
/// powers of a department that supervises no industry.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/subject-flags", params(("id" = String, Path)), request_body = SubjectFlagRequest,
    security(("bearer" = [])), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn subject_flag(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(r): JsonBody<SubjectFlagRequest>,
) -> WebResult<StatusCode> {
    anze_service::campaign::set_flag(&s.ctx, &u.actor, id, &r.flag, r.on.unwrap_or(true), chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Activities of units in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/activities", params(ActivityQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<ActivityView>), (status = 422, body = ErrorBody)))]
pub async fn activities(State(s): State<AppState>, u: ApiUser, Query(q): Query<ActivityQuery>) -> WebResult<Json<Vec<ActivityView>>> {
    Ok(Json(anze_service::campaign::activity::list(&s.ctx, &u.actor, &q).await?))
}

/// Record an activity of a unit the caller may edit. Refused: a date outside every loaded
/// campaign, a quarterly report filed twice for one quarter, a flag that does not fit the kind.
#[utoipa::path(post, path = "/api/v1/activities", request_body = ActivityInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_activity(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(input): JsonBody<ActivityInput>,
) -> WebResult<(StatusCode, Json<Created>)> {
    let id = anze_service::campaign::activity::create(&s.ctx, &u.actor, &input, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Import activities from an .xlsx (or CSV) file sent as the body: all rows or none, every
/// problem named by row and column.
#[utoipa::path(post, path = "/api/v1/activities/import", request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("bearer" = [])), responses((status = 200, body = ActivityImported), (status = 422, body = ActivityImportErrors)))]
pub async fn import_activities(State(s): State<AppState>, u: ApiUser, body: Bytes) -> WebResult<Response> {
    match anze_service::campaign::activity::import(&s.ctx, &u.actor, &body, chrono::Utc::now()).await? {
        Ok(created) => Ok(Json(ActivityImported { created }).into_response()),
        Err(errors) => {
            let messages = errors.iter().map(|e| crate::pages::imports_reason(u.lang, e)).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(ActivityImportErrors { code: "import.invalid".into(), errors, messages }))
                .into_response())
        }
    }
}

/// The city office's board: every committee, department and township in the caller's scope
/// against every obligation, each cell a computed status (404 when no campaign is loaded).
#[utoipa::path(get, path = "/api/v1/board", params(BoardQuery), security(("bearer" = [])),
    responses((status = 200, body = Board), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn board(State(s): State<AppState>, u: ApiUser, Query(q): Query<BoardQuery>) -> WebResult<Json<Board>> {
    let b = anze_service::campaign::board::board(&s.ctx, &u.actor, &q).await?;
    b.map(Json).ok_or_else(WebError::not_found)
}

/// One unit's obligations as a to-do list, with periods, due dates, status and evidence.
#[utoipa::path(get, path = "/api/v1/board/units/{id}", params(("id" = String, Path), BoardQuery), security(("bearer" = [])),
    responses((status = 200, body = UnitTodo), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unit(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>, Query(q): Query<BoardQuery>) -> WebResult<Json<UnitTodo>> {
    let t = anze_service::campaign::board::unit(&s.ctx, &u.actor, id, &q).await?;
    t.map(Json).ok_or_else(WebError::not_found)
}
