//! `/api/v1/patrols`, `/api/v1/publicity`, `/api/v1/grid/figures`, `/api/v1/rewards` (grid
//! work, issue 4): patrols with the problems that became hazards, publicity events, the
//! per-worker yearly figures, and the rewards granted for employee reports.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, JsonBody, Path};
use anze_service::ServiceError;
use anze_service::hazard::RewardView;
use anze_service::patrol::{GridQuery, NewPatrol, NewPublicity, ProblemForm, ProblemView, WorkerFigures};
use anze_service::patrol::{Patrol, Publicity};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use uuid::Uuid;

#[derive(OpenApi)]
#[openapi(
    paths(list, create, show, publicity, create_publicity, figures, rewards),
    components(schemas(
        PatrolDto,
        PatrolPage,
        PatrolDetailDto,
        NewPatrolDto,
        ProblemForm,
        ProblemView,
        PublicityDto,
        PublicityPage,
        NewPublicityDto,
        FiguresDto,
        WorkerFigures,
        RewardPage,
        RewardView,
        CreatedGrid
    ))
)]
pub struct GridDoc;

/// A patrol as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PatrolDto {
    pub id: String,
    pub worker_id: String,
    pub worker_name: String,
    pub region_code: String,
    pub township_code: Option<String>,
    pub place: String,
    pub enterprise_id: Option<String>,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub ended_at: chrono::DateTime<chrono::Utc>,
    /// The local day the patrol started.
    pub patrol_on: chrono::NaiveDate,
    pub notes: String,
    pub problem_count: i32,
}

impl From<Patrol> for PatrolDto {
    fn from(p: Patrol) -> Self {
        Self {
            id: p.id,
            worker_id: p.worker_id,
            worker_name: p.worker_name,
            region_code: p.region_code,
            township_code: p.township_code,
            place: p.place,
            enterprise_id: p.enterprise_id,
            started_at: p.started_at,
            ended_at: p.ended_at,
            patrol_on: p.patrol_on,
            notes: p.notes,
            problem_count: p.problem_count,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PatrolPage {
    pub items: Vec<PatrolDto>,
    /// Pass as `after` for the next page.
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PatrolDetailDto {
    pub patrol: PatrolDto,
    pub enterprise_name: Option<String>,
    /// Each problem and the hazard it became (origin `grid_patrol`).
    pub problems: Vec<ProblemView>,
    /// `GET /photos/{id}`.
    pub photo_ids: Vec<String>,
}

/// A patrol to record; photos as base64 (a `data:image/…;base64,` prefix is allowed).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewPatrolDto {
    /// Local time `2024-03-01T09:00` (Asia/Shanghai) or an RFC 3339 instant; not in the future.
    pub started_at: String,
    /// Not before `started_at`, within a day of it.
    pub ended_at: String,
    /// The grid patrolled (a region code in the caller's area); empty: the caller's own grid.
    pub region_code: String,
    pub place: String,
    /// The enterprise visited, in the caller's scope (404 otherwise).
    pub enterprise_id: String,
    /// What was seen.
    pub notes: String,
    /// Each becomes a hazard (origin `grid_patrol`) of its unit, default the enterprise visited.
    pub problems: Vec<ProblemForm>,
    pub photos_base64: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedGrid {
    pub id: String,
}

/// A publicity event as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicityDto {
    pub id: String,
    pub worker_id: String,
    pub worker_name: String,
    pub region_code: String,
    pub township_code: Option<String>,
    pub held_on: chrono::NaiveDate,
    pub place: String,
    /// `lecture`, `leaflets`, `visit`, `online`, `banner` or `other`.
    pub kind: String,
    pub audience: i64,
    pub notes: String,
}

impl From<Publicity> for PublicityDto {
    fn from(p: Publicity) -> Self {
        Self {
            id: p.id,
            worker_id: p.worker_id,
            worker_name: p.worker_name,
            region_code: p.region_code,
            township_code: p.township_code,
            held_on: p.held_on,
            place: p.place,
            kind: p.kind,
            audience: p.audience,
            notes: p.notes,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicityPage {
    pub items: Vec<PublicityDto>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewPublicityDto {
    /// `YYYY-MM-DD`, not in the future.
    pub held_on: String,
    pub region_code: String,
    pub place: String,
    pub kind: String,
    /// A whole number, 0 or more.
    pub audience: String,
    pub notes: String,
    pub photos_base64: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FiguresDto {
    pub year: i32,
    pub rows: Vec<WorkerFigures>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RewardPage {
    pub items: Vec<RewardView>,
    pub next: Option<String>,
}

/// Patrols in the caller's scope, newest first; filters: worker, township, month (`YYYY-MM`).
#[utoipa::path(get, path = "/api/v1/patrols", params(GridQuery), security(("bearer" = [])),
    responses((status = 200, body = PatrolPage), (status = 422, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, u: ApiUser, Query(q): Query<GridQuery>) -> WebResult<Json<PatrolPage>> {
    let (rows, next) = anze_service::patrol::list(&s.ctx, &u.actor, &q, 100).await?;
    Ok(Json(PatrolPage { items: rows.into_iter().map(Into::into).collect(), next }))
}

/// Records a patrol; its problems become hazards in the same write, or nothing is written.
#[utoipa::path(post, path = "/api/v1/patrols", request_body = NewPatrolDto, security(("bearer" = [])),
    responses((status = 201, body = CreatedGrid), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(r): JsonBody<NewPatrolDto>,
) -> WebResult<(StatusCode, Json<CreatedGrid>)> {
    let form = NewPatrol {
        photos: super::photos(&r.photos_base64)?,
        started_at: r.started_at,
        ended_at: r.ended_at,
        region_code: r.region_code,
        place: r.place,
        enterprise_id: r.enterprise_id,
        notes: r.notes,
        problems: r.problems,
    };
    let id = anze_service::patrol::create(&s.ctx, &u.actor, &form, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(CreatedGrid { id: id.to_string() })))
}

/// One patrol with its problems and photos; 404 outside the scope.
#[utoipa::path(get, path = "/api/v1/patrols/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = PatrolDetailDto), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<PatrolDetailDto>> {
    let d = anze_service::patrol::detail(&s.ctx, &u.actor, id).await?;
    Ok(Json(PatrolDetailDto { patrol: d.patrol.into(), enterprise_name: d.enterprise_name, problems: d.problems, photo_ids: d.photo_ids }))
}

/// Publicity events in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/publicity", params(GridQuery), security(("bearer" = [])),
    responses((status = 200, body = PublicityPage), (status = 422, body = ErrorBody)))]
pub async fn publicity(State(s): State<AppState>, u: ApiUser, Query(q): Query<GridQuery>) -> WebResult<Json<PublicityPage>> {
    let (rows, next) = anze_service::patrol::list_publicity(&s.ctx, &u.actor, &q, 100).await?;
    Ok(Json(PublicityPage { items: rows.into_iter().map(Into::into).collect(), next }))
}

/// Records a publicity event (宣传).
#[utoipa::path(post, path = "/api/v1/publicity", request_body = NewPublicityDto, security(("bearer" = [])),
    responses((status = 201, body = CreatedGrid), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_publicity(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(r): JsonBody<NewPublicityDto>,
) -> WebResult<(StatusCode, Json<CreatedGrid>)> {
    let form = NewPublicity {
        photos: super::photos(&r.photos_base64)?,
        held_on: r.held_on,
        region_code: r.region_code,
        place: r.place,
        kind: r.kind,
        audience: r.audience,
        notes: r.notes,
    };
    let id = anze_service::patrol::create_publicity(&s.ctx, &u.actor, &form, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(CreatedGrid { id: id.to_string() })))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct FiguresQuery {
    /// The calendar year (local days); default this year.
    #[serde(default)]
    pub year: Option<String>,
    /// `patrols` (default), `days`, `enterprises`, `problems`, `closed`, `publicity`,
    /// `audience` or `name`.
    #[serde(default)]
    pub sort: Option<String>,
}

/// The year's year, or a field error naming `year`.
pub fn year_of(q: &FiguresQuery) -> Result<i32, ServiceError> {
    use chrono::Datelike;
    match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(anze_domain::time::local_date(chrono::Utc::now()).year()),
        Some(y) => y.parse().map_err(|_| ServiceError::field("year", "patrol.year.invalid")),
    }
}

/// Per-worker figures of a year in the caller's scope: patrols, days patrolled, enterprises
/// visited, problems found, hazards from them closed, publicity events and audience.
#[utoipa::path(get, path = "/api/v1/grid/figures", params(FiguresQuery), security(("bearer" = [])),
    responses((status = 200, body = FiguresDto), (status = 422, body = ErrorBody)))]
pub async fn figures(State(s): State<AppState>, u: ApiUser, Query(q): Query<FiguresQuery>) -> WebResult<Json<FiguresDto>> {
    let year = year_of(&q)?;
    let rows = anze_service::patrol::figures(&s.ctx, &u.actor, year, q.sort.as_deref().unwrap_or_default()).await?;
    Ok(Json(FiguresDto { year, rows }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct RewardsQuery {
    /// The last hazard id of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

/// Rewards granted for verified employee reports of hazards in scope, paid or not; the claim
/// code is masked.
#[utoipa::path(get, path = "/api/v1/rewards", params(RewardsQuery), security(("bearer" = [])),
    responses((status = 200, body = RewardPage)))]
pub async fn rewards(State(s): State<AppState>, u: ApiUser, Query(q): Query<RewardsQuery>) -> WebResult<Json<RewardPage>> {
    let (items, next) = anze_service::hazard::rewards(&s.ctx, &u.actor, q.after.as_deref(), 100).await?;
    Ok(Json(RewardPage { items, next }))
}
