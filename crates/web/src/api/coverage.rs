//! `/api/v1/coverage…` and an organisation's coverage and notices: who has signed a current
//! list, rolled up by township or industry, and government lists against 31 March. Computed
//! from records, never typed in.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, Path};
use anze_service::ServiceError;
use anze_service::coverage::{CoverageQuery, GroupBy, Notice, Rollup, RollupLine};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

#[derive(OpenApi)]
#[openapi(
    paths(coverage, notifications, coverage_rollup, coverage_enterprises, coverage_government),
    components(schemas(
        CoverageDto,
        PersonCoverageDto,
        EnterpriseFiguresDto,
        DeadlineTierDto,
        GovernmentListsDto,
        GovernmentDeadlinesDto,
        Rollup,
        RollupLine,
        Notice
    ))
)]
pub struct CoverageDoc;

#[derive(Serialize, ToSchema)]
pub struct PersonCoverageDto {
    pub person_id: String,
    pub name: String,
    pub tiers: Vec<String>,
    pub covered: bool,
    pub stale: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CoverageDto {
    pub people: u64,
    pub covered: u64,
    pub stale: u64,
    /// Covered ÷ people, in per mille.
    pub permille: u64,
    pub missing_lists: Vec<String>,
    pub persons: Vec<PersonCoverageDto>,
}

impl From<anze_service::coverage::Coverage> for CoverageDto {
    fn from(c: anze_service::coverage::Coverage) -> Self {
        Self {
            people: c.people,
            covered: c.covered,
            stale: c.stale,
            permille: c.permille,
            missing_lists: c.missing_lists,
            persons: c
                .persons
                .into_iter()
                .map(|p| PersonCoverageDto { person_id: p.person_id, name: p.name, tiers: p.tiers, covered: p.covered, stale: p.stale })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseFiguresDto {
    pub id: String,
    pub name: String,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub people: i32,
    pub covered: i32,
    pub stale: i32,
    pub missing_lists: i32,
}

impl From<anze_service::coverage::EnterpriseFigures> for EnterpriseFiguresDto {
    fn from(r: anze_service::coverage::EnterpriseFigures) -> Self {
        Self {
            id: r.id,
            name: r.name,
            township_code: r.township_code,
            industry_code: r.industry_code,
            people: r.people,
            covered: r.covered,
            stale: r.stale,
            missing_lists: r.missing_lists,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineTierDto {
    pub tier: String,
    /// `met`, `late`, `pending` or `missed`.
    pub state: String,
    pub published_on: Option<chrono::NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct GovernmentListsDto {
    pub organisation_id: String,
    pub name: String,
    pub kind: String,
    pub tiers: Vec<DeadlineTierDto>,
    pub people: u64,
    pub covered: u64,
}

#[derive(Serialize, ToSchema)]
pub struct GovernmentDeadlinesDto {
    pub deadline: chrono::NaiveDate,
    pub bodies: Vec<GovernmentListsDto>,
}

/// Coverage of one organisation: people with a signed current list, stale people, tiers
/// without a published list. Computed from records, never typed in.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/coverage", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CoverageDto), (status = 404, body = ErrorBody)))]
pub async fn coverage(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<CoverageDto>> {
    let c = anze_service::coverage::of_unit(&s.ctx, &u.actor, id, s.ctx.settings.stale_after_days, chrono::Utc::now()).await?;
    Ok(Json(c.into()))
}

/// The latest notices to a unit (the daily list of people who have not signed in time).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/notifications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<anze_service::coverage::Notice>), (status = 404, body = ErrorBody)))]
pub async fn notifications(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<Vec<Notice>>> {
    Ok(Json(anze_service::coverage::notices(&s.ctx, &u.actor, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RollupParams {
    /// `township` (default) or `industry`.
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    township: Option<String>,
    #[serde(default)]
    industry: Option<String>,
}

/// Coverage of the enterprises in scope by township or industry, with the total.
#[utoipa::path(get, path = "/api/v1/coverage", params(RollupParams), security(("bearer" = [])),
    responses((status = 200, body = anze_service::coverage::Rollup), (status = 422, body = ErrorBody)))]
pub async fn coverage_rollup(State(s): State<AppState>, u: ApiUser, Query(p): Query<RollupParams>) -> WebResult<Json<Rollup>> {
    let by = match p.by.as_deref().map(str::trim) {
        None | Some("") | Some("township") => GroupBy::Township,
        Some("industry") => GroupBy::Industry,
        Some(other) => {
            return Err(ServiceError::Invalid(vec![anze_domain::FieldError::new("by", "field.invalid").with_detail(other)]).into());
        }
    };
    let q = CoverageQuery { township: p.township, industry: p.industry };
    Ok(Json(anze_service::coverage::rollup(&s.ctx, &u.actor, &q, by).await?))
}

/// The enterprises behind a rollup row, most people not covered first (at most 1 000).
#[utoipa::path(get, path = "/api/v1/coverage/enterprises", params(anze_service::coverage::CoverageQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<EnterpriseFiguresDto>), (status = 422, body = ErrorBody)))]
pub async fn coverage_enterprises(
    State(s): State<AppState>,
    u: ApiUser,
    Query(q): Query<CoverageQuery>,
) -> WebResult<Json<Vec<EnterpriseFiguresDto>>> {
    let rows = anze_service::coverage::drill_down(&s.ctx, &u.actor, &q, 1000).await?;
    Ok(Json(rows.into_iter().map(EnterpriseFiguresDto::from).collect()))
}

/// Government bodies' leader lists and section task division against 31 March.
#[utoipa::path(get, path = "/api/v1/coverage/government", security(("bearer" = [])), responses((status = 200, body = GovernmentDeadlinesDto)))]
pub async fn coverage_government(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<GovernmentDeadlinesDto>> {
    let (deadline, bodies) = anze_service::coverage::government_deadlines(&s.ctx, &u.actor, chrono::Utc::now()).await?;
    Ok(Json(GovernmentDeadlinesDto {
        deadline,
        bodies: bodies
            .into_iter()
            .map(|b| GovernmentListsDto {
                organisation_id: b.organisation_id,
                name: b.name,
                kind: b.kind,
                tiers: b
                    .tiers
                    .into_iter()
                    .map(|(tier, st, on)| DeadlineTierDto { tier, state: st.as_str().into(), published_on: on })
                    .collect(),
                people: b.people,
                covered: b.covered,
            })
            .collect(),
    }))
}
