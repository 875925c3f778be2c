//! `/api/v1/hazards`: hazards and their closed loop (隐患排查治理).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, JsonBody, Path};
use anze_service::hazard::Hazard;
use anze_service::hazard::{HazardDetail, ListQuery, NewHazardForm, OverviewRow, PlanForm, TransitionForm};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use uuid::Uuid;

// Operations keep the tag `hazards` they have always had in the document.
#[derive(OpenApi)]
#[openapi(
    paths(list, overview, create, show, transition, plan, reward, payout),
    components(schemas(
        HazardDto,
        HazardEventDto,
        GovernancePlanDto,
        HazardDetailDto,
        NewHazardDto,
        TransitionDto,
        PlanDto,
        HazardPage,
        HazardOverview,
        HazardState,
        OverviewRow,
        ReportDto,
        RewardDto,
        PayoutDto
    ))
)]
pub struct HazardDoc;

/// A hazard as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardDto {
    pub id: String,
    pub organisation_id: String,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub description: String,
    pub location: Option<String>,
    /// `general` or `major`.
    pub grade: String,
    /// `person`, `thing`, `environment` or `management`.
    pub category: String,
    pub origin: String,
    /// `reported_up` or `ordered_down`.
    pub direction: String,
    /// `reported`, `confirmed`, `rectifying`, `pending_acceptance`, `closed` or `rejected`.
    pub state: String,
    pub responsible_person: Option<String>,
    pub found_on: chrono::NaiveDate,
    pub deadline: Option<chrono::NaiveDate>,
    pub measures: String,
    /// Rectification funds in fen (分).
    pub funds_fen: Option<i64>,
    pub reported_by: String,
    pub supervisor_checked: bool,
    /// Under listed supervision (挂牌督办).
    pub listed: bool,
    pub merged_into: Option<String>,
    pub closed_on: Option<chrono::NaiveDate>,
}

impl From<Hazard> for HazardDto {
    fn from(h: Hazard) -> Self {
        Self {
            id: h.id,
            organisation_id: h.organisation_id,
            township_code: h.township_code,
            industry_code: h.industry_code,
            description: h.description,
            location: h.location,
            grade: h.grade,
            category: h.category,
            origin: h.origin,
            direction: h.direction,
            state: h.state,
            responsible_person: h.responsible_person,
            found_on: h.found_on,
            deadline: h.deadline,
            measures: h.measures,
            funds_fen: h.funds_fen,
            reported_by: h.reported_by_name,
            supervisor_checked: h.supervisor_checked,
            listed: h.listed,
            merged_into: h.merged_into,
            closed_on: h.closed_on,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardEventDto {
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub note: String,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Photos that came with this step (`GET /photos/{id}`).
    pub photo_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GovernancePlanDto {
    pub aims: String,
    pub measures: String,
    pub funds_and_materials: String,
    pub people: String,
    pub deadline: chrono::NaiveDate,
    pub safety_and_emergency_measures: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardDetailDto {
    pub hazard: HazardDto,
    pub events: Vec<HazardEventDto>,
    /// Photos as found (`before`).
    pub before_photo_ids: Vec<String>,
    pub plan: Option<GovernancePlanDto>,
    pub days_overdue: u32,
    /// The steps the state allows and the caller may take.
    pub actions: Vec<String>,
    /// The employee's report behind the hazard, with its reward.
    pub report: Option<ReportDto>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportDto {
    /// `None` for an anonymous report.
    pub reporter_name: Option<String>,
    pub suspected_duplicate_of: Option<String>,
    pub reward_fen: Option<i64>,
    pub paid_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<HazardDetail> for HazardDetailDto {
    fn from(d: HazardDetail) -> Self {
        let photos_of =
            |event: &str| d.photos.iter().filter(|p| p.event_id.as_deref() == Some(event)).map(|p| p.photo_id.clone()).collect();
        Self {
            events: d
                .events
                .iter()
                .map(|e| HazardEventDto {
                    action: e.action.clone(),
                    from_state: e.from_state.clone(),
                    to_state: e.to_state.clone(),
                    note: e.note.clone(),
                    by: e.actor_name.clone(),
                    at: e.at,
                    photo_ids: photos_of(&e.id),
                })
                .collect(),
            before_photo_ids: d.photos.iter().filter(|p| p.phase == "before").map(|p| p.photo_id.clone()).collect(),
            plan: d.plan.map(|p| GovernancePlanDto {
                aims: p.aims,
                measures: p.measures,
                funds_and_materials: p.funds_and_materials,
                people: p.people,
                deadline: p.deadline,
                safety_and_emergency_measures: p.safety_and_emergency_measures,
            }),
            days_overdue: d.days_overdue,
            actions: d.actions.iter().map(|a| a.to_string()).collect(),
            report: d.report.map(|r| ReportDto {
                reporter_name: r.reporter_name,
                suspected_duplicate_of: r.suspected_duplicate_of,
                reward_fen: r.reward_fen,
                paid_at: r.paid_at,
            }),
            hazard: d.hazard.into(),
        }
    }
}

/// A new hazard; photos as base64 (a `data:image/…;base64,` prefix is allowed).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewHazardDto {
    pub organisation_id: String,
    pub description: String,
    pub location: String,
    pub grade: String,
    pub category: String,
    pub origin: String,
    pub direction: String,
    pub responsible_person: String,
    /// `YYYY-MM-DD`, not after today.
    pub found_on: String,
    /// `YYYY-MM-DD`, not before `found_on`.
    pub deadline: String,
    pub measures: String,
    /// Yuan, up to two decimals.
    pub funds: String,
    pub photos_base64: Vec<String>,
}

/// One step: `confirm`, `reject`, `start_rectification`, `submit_fix`, `supervisor_check`,
/// `accept`, `fail_acceptance` or `reopen`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TransitionDto {
    pub action: String,
    /// Why (reject `not_real`, fail_acceptance, reopen: required).
    pub note: String,
    /// `not_real` or `duplicate` (reject).
    pub reason: String,
    pub merged_into: String,
    /// Set while confirming a report without one.
    pub deadline: String,
    /// Photos of the fix (submit_fix: at least one).
    pub photos_base64: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanDto {
    pub aims: String,
    pub measures: String,
    pub funds_and_materials: String,
    pub people: String,
    pub deadline: String,
    pub safety_and_emergency_measures: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardPage {
    pub items: Vec<HazardDto>,
    /// Pass as `after` for the next page.
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardOverview {
    pub rows: Vec<OverviewRow>,
    pub total: OverviewRow,
    /// Set when some overdue figures were counted on an earlier day (before today's daily refresh).
    pub overdue_as_of: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardState {
    pub id: String,
    pub state: String,
}

/// Hazards in the caller's scope, newest first, filtered.
#[utoipa::path(get, tag = "hazards", path = "/api/v1/hazards", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = HazardPage), (status = 422, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, u: ApiUser, Query(q): Query<ListQuery>) -> WebResult<Json<HazardPage>> {
    let (rows, next) = anze_service::hazard::list(&s.ctx, &u.actor, &q, 100, chrono::Utc::now()).await?;
    Ok(Json(HazardPage { items: rows.into_iter().map(Into::into).collect(), next }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OverviewParams {
    /// `township` (default), `industry`, `origin`, `grade` or `state`.
    by: Option<String>,
}

/// Counts, open, overdue, closure rate and mean days to close, grouped, with a total.
#[utoipa::path(get, tag = "hazards", path = "/api/v1/hazards/overview", params(OverviewParams, ListQuery), security(("bearer" = [])),
    responses((status = 200, body = HazardOverview), (status = 422, body = ErrorBody)))]
pub async fn overview(
    State(s): State<AppState>,
    u: ApiUser,
    Query(p): Query<OverviewParams>,
    Query(q): Query<ListQuery>,
) -> WebResult<Json<HazardOverview>> {
    let by = p.by.unwrap_or_default();
    let o = anze_service::hazard::overview(&s.ctx, &u.actor, &q, &by, chrono::Utc::now()).await?;
    Ok(Json(HazardOverview { rows: o.rows, total: o.total, overdue_as_of: o.overdue_as_of }))
}

/// Reports a hazard at a unit in the caller's scope.
#[utoipa::path(post, tag = "hazards", path = "/api/v1/hazards", request_body = NewHazardDto, security(("bearer" = [])),
    responses((status = 201, body = HazardState), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(r): JsonBody<NewHazardDto>,
) -> WebResult<(StatusCode, Json<HazardState>)> {
    let form = NewHazardForm {
        photos: super::photos(&r.photos_base64)?,
        organisation_id: r.organisation_id,
        description: r.description,
        location: r.location,
        grade: r.grade,
        category: r.category,
        origin: r.origin,
        direction: r.direction,
        responsible_person: r.responsible_person,
        found_on: r.found_on,
        deadline: r.deadline,
        measures: r.measures,
        funds: r.funds,
    };
    let id = anze_service::hazard::report(&s.ctx, &u.actor, &form, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(HazardState { id: id.to_string(), state: "reported".into() })))
}

/// One hazard with its history, photos, plan and the steps the caller may take; 404 outside
/// the scope.
#[utoipa::path(get, tag = "hazards", path = "/api/v1/hazards/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = HazardDetailDto), (status = 404, body = ErrorBody)))]
pub async fn show(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<HazardDetailDto>> {
    let d = anze_service::hazard::detail(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok(Json(d.into()))
}

/// One step of the closed loop. Who may ask is checked first (403); a step the state or the
/// rules forbid is refused naming the field (422).
#[utoipa::path(post, tag = "hazards", path = "/api/v1/hazards/{id}/transitions", params(("id" = String, Path)), request_body = TransitionDto,
    security(("bearer" = [])),
    responses((status = 200, body = HazardState), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(r): JsonBody<TransitionDto>,
) -> WebResult<Json<HazardState>> {
    let form = TransitionForm {
        photos: super::photos(&r.photos_base64)?,
        action: r.action,
        note: r.note,
        reason: r.reason,
        merged_into: r.merged_into,
        deadline: r.deadline,
    };
    let state = anze_service::hazard::transition(&s.ctx, &u.actor, id, &form, chrono::Utc::now()).await?;
    Ok(Json(HazardState { id: id.to_string(), state: state.as_str().into() }))
}

/// Stores or revises the governance plan (治理方案) a major hazard needs before it closes.
#[utoipa::path(put, tag = "hazards", path = "/api/v1/hazards/{id}/plan", params(("id" = String, Path)), request_body = PlanDto,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn plan(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>, JsonBody(r): JsonBody<PlanDto>) -> WebResult<StatusCode> {
    let form = PlanForm {
        aims: r.aims,
        measures: r.measures,
        funds_and_materials: r.funds_and_materials,
        people: r.people,
        deadline: r.deadline,
        safety_and_emergency_measures: r.safety_and_emergency_measures,
    };
    anze_service::hazard::save_plan(&s.ctx, &u.actor, id, &form, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RewardDto {
    /// Yuan, up to two decimals, at most 10 000.
    pub amount: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PayoutDto {
    /// The claim code the reporter shows (given on the phone when they reported).
    pub receipt_code: String,
    pub note: String,
}

/// Grants the reward of a verified employee report (员工报告奖励); the unit's editors.
#[utoipa::path(post, tag = "hazards", path = "/api/v1/hazards/{id}/reward", params(("id" = String, Path)), request_body = RewardDto,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reward(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(r): JsonBody<RewardDto>,
) -> WebResult<StatusCode> {
    anze_service::hazard::grant_reward(&s.ctx, &u.actor, id, &r.amount, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records the payout of a granted reward against the reporter's claim code.
#[utoipa::path(post, tag = "hazards", path = "/api/v1/hazards/{id}/payout", params(("id" = String, Path)), request_body = PayoutDto,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn payout(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(r): JsonBody<PayoutDto>,
) -> WebResult<StatusCode> {
    anze_service::hazard::record_payout(&s.ctx, &u.actor, id, &r.receipt_code, &r.note, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
