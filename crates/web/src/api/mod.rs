//! `/api/v1`: JSON for programs. Sign in with `POST /api/v1/auth/token`, then send
//! `Authorization: Bearer …`. Errors are `{"code", "message", "fields"}` with stable codes.
//! The contract is `/api/openapi.json`, generated from these handlers.

// campaigns (issue 5)
mod campaigns;
pub use campaigns::load_message as campaign_load_message;
mod dto;
// grid work (issue 4)
mod grid;
pub use grid::{FiguresQuery as GridFiguresQuery, year_of as grid_year_of};
// hazards (issue 4)
mod hazards;
mod inspections;
mod ledgers;
// reminders and outbox (issue 5)
mod notify;
mod spot_checks;

use crate::AppState;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiUser, ClientAddress, Language};
use anze_service::ServiceError;
use anze_service::import::{ImportKind, Outcome, RowError};
use anze_service::org::{EnterpriseInput, ListQuery};
use anze_service::people::StaffInput;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dto::*;
use utoipa::OpenApi;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(issue_token).delete(revoke_token))
        .route("/me", get(me))
        .route("/regions", get(regions))
        .route("/organisations", get(organisations).post(create_organisation))
        .route("/organisations/{id}", get(organisation))
        .route("/organisations/{id}/staff", get(staff).post(add_staff))
        .route("/enterprises", get(enterprises).post(create_enterprise))
        .route("/enterprises/{id}", get(organisation).put(update_enterprise))
        .route("/imports/{kind}", post(import))
        .route("/audit-events", get(audit_events))
        .route("/duty-templates", get(duty_templates))
        .route("/duty-lists", post(create_duty_list))
        .route("/duty-lists/{id}/items", axum::routing::put(set_duty_items))
        .route("/duty-lists/{id}/publish", post(publish_duty_list))
        .route("/organisations/{id}/coverage", get(coverage))
        .route("/organisations/{id}/fit", get(fit))
        .route("/organisations/{id}/fit/dismissals", post(dismiss_fit))
        .route("/organisations/{id}/duty-lists", get(duty_lists))
        .route("/organisations/{id}/acknowledgements", get(acknowledgements))
        .route("/organisations/{id}/notifications", get(notifications))
        .route("/organisations/{id}/qr", post(qr_code))
        .route("/employments/{id}/change-post", post(change_post))
        .route("/coverage", get(coverage_rollup))
        .route("/coverage/enterprises", get(coverage_enterprises))
        .route("/coverage/government", get(coverage_government))
        .route("/duty-items/{id}/records", get(duty_item_records).post(add_duty_item_record))
        .route("/spot-checks", get(spot_checks::list).post(spot_checks::create))
        .route("/spot-checks/{id}", get(spot_checks::show))
        .route("/spot-checks/{id}/result", post(spot_checks::record))
        .route("/enterprises/{id}/ledger", get(ledgers::enterprise))
        .route("/ledgers", get(ledgers::city))
        // hazards (issue 4)
        .route("/hazards", get(hazards::list).post(hazards::create))
        .route("/hazards/overview", get(hazards::overview))
        .route("/hazards/{id}", get(hazards::show))
        .route("/hazards/{id}/transitions", post(hazards::transition))
        .route("/hazards/{id}/plan", axum::routing::put(hazards::plan))
        .route("/hazards/{id}/reward", post(hazards::reward))
        .route("/hazards/{id}/payout", post(hazards::payout))
        .route("/checklists", get(inspections::checklists).post(inspections::import_checklist))
        .route("/inspections", get(inspections::list).post(inspections::create))
        .route("/inspections/stats", get(inspections::stats))
        .route("/inspections/{id}", get(inspections::show))
        .route("/inspections/{id}/state", post(inspections::advance))
        .route("/inspections/{id}/visits", post(inspections::visit))
        .route("/draws", post(inspections::create_draw))
        .route("/draws/{id}", get(inspections::show_draw))
        // campaigns (issue 5)
        .route("/campaigns", get(campaigns::list).post(campaigns::load))
        .route("/campaigns/{id}/obligations", get(campaigns::obligations))
        .route("/campaigns/{id}/copy", post(campaigns::copy))
        .route("/campaigns/{id}/exemptions", post(campaigns::exempt))
        .route("/organisations/{id}/subject-flags", post(campaigns::subject_flag))
        .route("/activities", get(campaigns::activities).post(campaigns::create_activity))
        .route("/activities/import", post(campaigns::import_activities))
        .route("/board", get(campaigns::board))
        .route("/board/units/{id}", get(campaigns::unit))
        // reminders and outbox (issue 5)
        .route("/notifications", get(notify::mine))
        .route("/notifications/{id}/read", post(notify::read))
        // grid work (issue 4)
        .route("/patrols", get(grid::list).post(grid::create))
        .route("/patrols/{id}", get(grid::show))
        .route("/publicity", get(grid::publicity).post(grid::create_publicity))
        .route("/grid/figures", get(grid::figures))
        .route("/rewards", get(grid::rewards))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Anze API", description = "安责 · 安全生产责任清单平台 API。先以 POST /api/v1/auth/token 取得令牌，再以 Authorization: Bearer 调用。"),
    paths(fit, duty_item_records, add_duty_item_record, qr_code, dismiss_fit, duty_lists, acknowledgements, notifications, change_post, coverage_rollup, coverage_enterprises, coverage_government, duty_templates, create_duty_list, set_duty_items, publish_duty_list, coverage, issue_token, revoke_token, me, regions, organisations, create_organisation, organisation, staff, add_staff, enterprises, create_enterprise, update_enterprise, import, audit_events, spot_checks::list, spot_checks::create, spot_checks::show, spot_checks::record, ledgers::enterprise, ledgers::city, hazards::list, hazards::overview, hazards::create, hazards::show, hazards::transition, hazards::plan, hazards::reward, hazards::payout, inspections::checklists, inspections::import_checklist, inspections::list, inspections::stats, inspections::create, inspections::show, inspections::advance, inspections::visit, inspections::create_draw, inspections::show_draw, notify::mine, notify::read),
    components(schemas(ErrorBody, TokenRequest, TokenResponse, Me, RegionDto, OrganisationDto, EnterpriseDto, OrganisationPage, StaffDto, EnterpriseInput, StaffInput, Outcome, RowError, ImportErrors, AuditEventDto, Created, anze_service::org::OrganisationInput, DutyTemplateDto, NewDutyList, anze_service::duty::ItemInput, CoverageDto, PersonCoverageDto, FitFlagDto, FitDismissalInput, EnterpriseFiguresDto, DeadlineTierDto, GovernmentListsDto, GovernmentDeadlinesDto, AcknowledgementDto, DutyListDto, QrCodeDto, anze_service::people::PostChange, anze_service::coverage::Rollup, anze_service::coverage::RollupLine, anze_service::coverage::Notice, NewRecordDto, RecordDto, PeriodDto, ItemRecordsDto, anze_service::spot_check::NewSpotChecks, anze_service::spot_check::CreatedChecks, anze_service::spot_check::DrawRecord, anze_service::spot_check::SpotCheckResult, anze_service::spot_check::SpotCheckView, anze_service::ledger::EnterpriseLedger, anze_service::ledger::LedgerEntryDto, anze_service::ledger::CityLedgers, anze_service::ledger::LedgerRow, hazards::HazardDto, hazards::HazardEventDto, hazards::GovernancePlanDto, hazards::HazardDetailDto, hazards::NewHazardDto, hazards::TransitionDto, hazards::PlanDto, hazards::HazardPage, hazards::HazardOverview, hazards::HazardState, anze_service::hazard::OverviewRow, hazards::ReportDto, hazards::RewardDto, hazards::PayoutDto, inspections::CreatedId, inspections::InspectionDto, inspections::StateDto, inspections::VisitDto, anze_service::inspection::Checklist, anze_service::inspection::ChecklistItemText, anze_service::inspection::NewInspection, anze_service::inspection::InspectionDetail, anze_service::inspection::VisitRecord, anze_service::inspection::ItemInput, anze_service::inspection::NewDraw, anze_service::inspection::DrawView, anze_service::notify::NoticeView)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    // campaigns (issue 5) document their own routes, merged here.
    // grid work (issue 4) likewise.
    Json(ApiDoc::openapi().merge_from(campaigns::CampaignDoc::openapi()).merge_from(grid::GridDoc::openapi()))
}

fn err(e: ServiceError, u: &ApiUser) -> WebError {
    WebError::from_service(e, u.lang, true)
}

/// Parses a JSON body; a malformed one gets our error shape, naming what serde found.
fn json_body<T: serde::de::DeserializeOwned>(body: &[u8], lang: crate::i18n::Lang) -> WebResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        let mut w = WebError::new(StatusCode::BAD_REQUEST, "invalid_json").lang(lang).api();
        w.fields = vec![anze_domain::FieldError::new("body", "invalid_json").with_detail(e.to_string())];
        w
    })
}

fn parse_id(id: &str, u: &ApiUser) -> WebResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| WebError::not_found().lang(u.lang).api())
}

/// Issue an API token for a username and password.
#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn issue_token(
    State(s): State<AppState>,
    Language(lang): Language,
    ClientAddress(addr): ClientAddress,
    body: Bytes,
) -> WebResult<Json<TokenResponse>> {
    let r: TokenRequest = json_body(&body, lang)?;
    if !s.throttle.allow(&addr) {
        return Err(WebError::new(StatusCode::TOO_MANY_REQUESTS, "throttled").lang(lang).api());
    }
    let (token, expires_at) = anze_service::auth::issue_token(&s.ctx, &r.username, &r.password, &addr, chrono::Utc::now())
        .await
        .map_err(|e| WebError::from_service(e, lang, true))?;
    Ok(Json(TokenResponse { token, token_type: "Bearer".into(), expires_at: expires_at.to_rfc3339() }))
}

/// Revoke the token this request is made with.
#[utoipa::path(delete, path = "/api/v1/auth/token", security(("bearer" = [])), responses((status = 204), (status = 401, body = ErrorBody)))]
async fn revoke_token(State(s): State<AppState>, u: ApiUser, headers: axum::http::HeaderMap) -> WebResult<StatusCode> {
    let token =
        headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    anze_service::auth::revoke_token(&s.ctx, &u.actor, token.trim(), chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the token belongs to, and their roles.
#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(u: ApiUser) -> Json<Me> {
    Json(Me {
        user_id: u.actor.user_id.map(|i| i.to_string()),
        name: u.actor.name.clone(),
        roles: u.actor.roles().iter().map(|r| r.as_str().to_string()).collect(),
    })
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct RegionParams {
    /// Parent region code; the roots when absent.
    parent: Option<String>,
}

/// Regions under a parent (the region tree is visible to every signed-in user).
#[utoipa::path(get, path = "/api/v1/regions", params(RegionParams), security(("bearer" = [])), responses((status = 200, body = Vec<RegionDto>)))]
async fn regions(State(s): State<AppState>, u: ApiUser, Query(p): Query<RegionParams>) -> WebResult<Json<Vec<RegionDto>>> {
    let (_, children) =
        anze_service::org::region_children(&s.ctx, p.parent.as_deref().filter(|p| !p.is_empty())).await.map_err(|e| err(e, &u))?;
    Ok(Json(children.into_iter().map(RegionDto::from).collect()))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct PageParams {
    /// Page size, 1–200 (default 50).
    limit: Option<u64>,
}

async fn list_orgs(s: &AppState, u: &ApiUser, q: &ListQuery, limit: Option<u64>) -> WebResult<Json<OrganisationPage>> {
    let page = anze_service::org::list(&s.ctx, &u.actor, q, limit.unwrap_or(50)).await.map_err(|e| err(e, u))?;
    Ok(Json(OrganisationPage { items: page.items.into_iter().map(OrganisationDto::from).collect(), next: page.next }))
}

/// Organisations in the caller's scope, filtered, by name, with a cursor (`next` → `after`).
#[utoipa::path(get, path = "/api/v1/organisations", params(ListQuery, PageParams), security(("bearer" = [])),
    responses((status = 200, body = OrganisationPage), (status = 422, body = ErrorBody)))]
async fn organisations(
    State(s): State<AppState>,
    u: ApiUser,
    Query(q): Query<ListQuery>,
    Query(p): Query<PageParams>,
) -> WebResult<Json<OrganisationPage>> {
    list_orgs(&s, &u, &q, p.limit).await
}

/// Enterprises in the caller's scope (the same as organisations of kind `enterprise`).
#[utoipa::path(get, path = "/api/v1/enterprises", params(ListQuery, PageParams), security(("bearer" = [])),
    responses((status = 200, body = OrganisationPage), (status = 422, body = ErrorBody)))]
async fn enterprises(
    State(s): State<AppState>,
    u: ApiUser,
    Query(mut q): Query<ListQuery>,
    Query(p): Query<PageParams>,
) -> WebResult<Json<OrganisationPage>> {
    q.kind = Some("enterprise".into());
    list_orgs(&s, &u, &q, p.limit).await
}

/// One organisation (with its base record when it is an enterprise); 404 outside the scope.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = OrganisationDto), (status = 404, body = ErrorBody)))]
async fn organisation(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<OrganisationDto>> {
    let id = parse_id(&id, &u)?;
    let row = anze_service::org::get(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?;
    Ok(Json(OrganisationDto::from(row)))
}

/// Create a government body, committee, insurer or expert body (departments with their
/// industries, special committees with their lead and member units).
#[utoipa::path(post, path = "/api/v1/organisations", request_body = anze_service::org::OrganisationInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_organisation(State(s): State<AppState>, u: ApiUser, body: Bytes) -> WebResult<(StatusCode, Json<Created>)> {
    let input: anze_service::org::OrganisationInput = json_body(&body, u.lang)?;
    let id = anze_service::org::create_organisation(&s.ctx, &u.actor, &input, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Create an enterprise from its base record.
#[utoipa::path(post, path = "/api/v1/enterprises", request_body = EnterpriseInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_enterprise(State(s): State<AppState>, u: ApiUser, body: Bytes) -> WebResult<(StatusCode, Json<Created>)> {
    let input: EnterpriseInput = json_body(&body, u.lang)?;
    let id = anze_service::org::create_enterprise(&s.ctx, &u.actor, &input, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Replace an enterprise's base record.
#[utoipa::path(put, path = "/api/v1/enterprises/{id}", params(("id" = String, Path)), request_body = EnterpriseInput, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_enterprise(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>, body: Bytes) -> WebResult<StatusCode> {
    let id = parse_id(&id, &u)?;
    let input: EnterpriseInput = json_body(&body, u.lang)?;
    anze_service::org::update_enterprise(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Current staff and posts of an organisation (ID numbers and phones masked).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<StaffDto>), (status = 404, body = ErrorBody)))]
async fn staff(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<Vec<StaffDto>>> {
    let id = parse_id(&id, &u)?;
    let d = anze_service::org::detail(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?;
    Ok(Json(d.staff.into_iter().map(StaffDto::from).collect()))
}

/// Add a person with a post to an organisation.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/staff", params(("id" = String, Path)), request_body = StaffInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_staff(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>, body: Bytes) -> WebResult<(StatusCode, Json<Created>)> {
    let id = parse_id(&id, &u)?;
    let input: StaffInput = json_body(&body, u.lang)?;
    let eid = anze_service::people::add_staff(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok((StatusCode::CREATED, Json(Created { id: eid.to_string() })))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct ImportParams {
    /// Validate only; write nothing.
    dry_run: Option<bool>,
}

/// Import enterprises or staff from an .xlsx or .csv body: all rows or none.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", params(("kind" = String, Path, description = "enterprises | staff"), ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 422, body = ImportErrors)))]
async fn import(
    State(s): State<AppState>,
    u: ApiUser,
    Path(kind): Path<String>,
    Query(p): Query<ImportParams>,
    body: Bytes,
) -> WebResult<Response> {
    let kind = ImportKind::parse(&kind).ok_or_else(|| WebError::not_found().lang(u.lang).api())?;
    let result = anze_service::import::run(&s.ctx, &u.actor, kind, &body, chrono::Utc::now(), p.dry_run.unwrap_or(false))
        .await
        .map_err(|e| err(e, &u))?;
    Ok(match result {
        Ok(outcome) => Json(outcome).into_response(),
        Err(errors) => {
            let messages = errors.iter().map(|e| crate::pages::imports_reason(u.lang, e)).collect();
            (StatusCode::UNPROCESSABLE_ENTITY, Json(ImportErrors { code: "import.invalid".into(), errors, messages })).into_response()
        }
    })
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct AuditParams {
    object_type: String,
    object_id: String,
}

/// The audit trail of one object in the caller's scope.
#[utoipa::path(get, path = "/api/v1/audit-events", params(AuditParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEventDto>), (status = 404, body = ErrorBody)))]
async fn audit_events(State(s): State<AppState>, u: ApiUser, Query(p): Query<AuditParams>) -> WebResult<Json<Vec<AuditEventDto>>> {
    let id = parse_id(&p.object_id, &u)?;
    match p.object_type.as_str() {
        "organisation" => {
            anze_service::org::get(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?;
        }
        "user" if u.actor.can_somewhere(anze_domain::auth::Action::ManageUsers) || u.actor.user_id == Some(id) => {}
        _ => return Err(WebError::not_found().lang(u.lang).api()),
    }
    let events = anze_service::audit::trail(&s.ctx, &p.object_type, &id.to_string()).await.map_err(|e| err(e, &u))?;
    Ok(Json(events.into_iter().map(AuditEventDto::from).collect()))
}

/// The duty-list templates (shipped for the eight tiers, high-risk industries and government).
#[utoipa::path(get, path = "/api/v1/duty-templates", security(("bearer" = [])), responses((status = 200, body = Vec<DutyTemplateDto>)))]
async fn duty_templates(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<Vec<DutyTemplateDto>>> {
    let t = anze_service::duty::templates(&s.ctx).await.map_err(|e| err(e, &u))?;
    Ok(Json(
        t.into_iter().map(|t| DutyTemplateDto { code: t.code, name: t.name, tier: t.tier, industry_group: t.industry_group }).collect(),
    ))
}

/// A new draft list for one tier of an organisation, copied from a template.
#[utoipa::path(post, path = "/api/v1/duty-lists", request_body = NewDutyList, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_duty_list(State(s): State<AppState>, u: ApiUser, body: Bytes) -> WebResult<(StatusCode, Json<Created>)> {
    let r: NewDutyList = json_body(&body, u.lang)?;
    let org = parse_id(&r.organisation_id, &u)?;
    let id = anze_service::duty::create_list(&s.ctx, &u.actor, org, &r.template, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Replace a draft's items (the organisation's own wording).
#[utoipa::path(put, path = "/api/v1/duty-lists/{id}/items", params(("id" = String, Path)), request_body = Vec<anze_service::duty::ItemInput>,
    security(("bearer" = [])), responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_duty_items(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>, body: Bytes) -> WebResult<StatusCode> {
    let id = parse_id(&id, &u)?;
    let items: Vec<anze_service::duty::ItemInput> = json_body(&body, u.lang)?;
    anze_service::duty::set_items(&s.ctx, &u.actor, id, &items, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish a draft; the tier's previous version is superseded and must be signed again.
#[utoipa::path(post, path = "/api/v1/duty-lists/{id}/publish", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn publish_duty_list(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<StatusCode> {
    let id = parse_id(&id, &u)?;
    anze_service::duty::publish(&s.ctx, &u.actor, id, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Coverage of one organisation: people with a signed current list, stale people, tiers
/// without a published list. Computed from records, never typed in.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/coverage", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CoverageDto), (status = 404, body = ErrorBody)))]
async fn coverage(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<CoverageDto>> {
    let id = parse_id(&id, &u)?;
    let c = anze_service::duty::coverage(&s.ctx, &u.actor, id, s.ctx.settings.stale_after_days, chrono::Utc::now())
        .await
        .map_err(|e| err(e, &u))?;
    Ok(Json(CoverageDto::from(c)))
}

/// The fit check: lists of different tiers that read alike, items with no legal basis.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/fit", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<FitFlagDto>), (status = 404, body = ErrorBody)))]
async fn fit(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<Vec<FitFlagDto>>> {
    let id = parse_id(&id, &u)?;
    let flags = anze_service::duty::fit(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?;
    Ok(Json(flags.into_iter().map(FitFlagDto::from).collect()))
}

/// An officer dismisses a current fit flag (by its `key`) with a reason.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/fit/dismissals", params(("id" = String, Path)), request_body = FitDismissalInput,
    security(("bearer" = [])), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn dismiss_fit(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>, body: Bytes) -> WebResult<StatusCode> {
    let id = parse_id(&id, &u)?;
    let input: FitDismissalInput = json_body(&body, u.lang)?;
    anze_service::duty::dismiss_fit(&s.ctx, &u.actor, id, &input.key, &input.reason, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every version of every list of an organisation, with signature counts.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/duty-lists", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<DutyListDto>), (status = 404, body = ErrorBody)))]
async fn duty_lists(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<Vec<DutyListDto>>> {
    let id = parse_id(&id, &u)?;
    let lists = anze_service::duty::lists_of(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?;
    Ok(Json(
        lists
            .into_iter()
            .map(|l| DutyListDto {
                id: l.id,
                tier: l.tier,
                title: l.title,
                version: l.version,
                state: l.state,
                signatures: l.signatures,
                published_at: l.published_at,
            })
            .collect(),
    ))
}

/// Every signature on an organisation's lists, newest first, with the hash of the text signed.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/acknowledgements", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<AcknowledgementDto>), (status = 404, body = ErrorBody)))]
async fn acknowledgements(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<Vec<AcknowledgementDto>>> {
    let id = parse_id(&id, &u)?;
    let rows = anze_service::duty::acknowledgements(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?;
    Ok(Json(
        rows.into_iter()
            .map(|a| AcknowledgementDto {
                duty_list_id: a.duty_list_id,
                tier: a.tier,
                version: a.version,
                person_id: a.person_id,
                person: a.person,
                signed_at: a.signed_at,
                method: a.method,
                text_hash: a.text_hash,
            })
            .collect(),
    ))
}

/// The enterprise's phone-page token (made on first call, stable until revoked), for printing
/// its QR code elsewhere; `path` is the page to encode after the site's address.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/qr", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = QrCodeDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn qr_code(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<QrCodeDto>> {
    let id = parse_id(&id, &u)?;
    let token = anze_service::phone::qr_token(&s.ctx, &u.actor, id, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(Json(QrCodeDto { path: format!("/m/{token}"), token }))
}

/// The latest notices to a unit (the daily list of people who have not signed in time).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/notifications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<anze_service::coverage::Notice>), (status = 404, body = ErrorBody)))]
async fn notifications(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<Vec<anze_service::coverage::Notice>>> {
    let id = parse_id(&id, &u)?;
    Ok(Json(anze_service::coverage::notices(&s.ctx, &u.actor, id).await.map_err(|e| err(e, &u))?))
}

/// Moves a person to another post in one step; returns the new employment's id.
#[utoipa::path(post, path = "/api/v1/employments/{id}/change-post", params(("id" = String, Path)),
    request_body = anze_service::people::PostChange, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_post(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>, body: Bytes) -> WebResult<(StatusCode, Json<Created>)> {
    let id = parse_id(&id, &u)?;
    let input: anze_service::people::PostChange = json_body(&body, u.lang)?;
    let new = anze_service::people::change_post(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok((StatusCode::CREATED, Json(Created { id: new.to_string() })))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct RollupParams {
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
async fn coverage_rollup(
    State(s): State<AppState>,
    u: ApiUser,
    Query(p): Query<RollupParams>,
) -> WebResult<Json<anze_service::coverage::Rollup>> {
    use anze_service::coverage::GroupBy;
    let by = match p.by.as_deref().map(str::trim) {
        None | Some("") | Some("township") => GroupBy::Township,
        Some("industry") => GroupBy::Industry,
        Some(other) => {
            return Err(err(ServiceError::Invalid(vec![anze_domain::FieldError::new("by", "field.invalid").with_detail(other)]), &u));
        }
    };
    let q = anze_service::coverage::CoverageQuery { township: p.township, industry: p.industry };
    Ok(Json(anze_service::coverage::rollup(&s.ctx, &u.actor, &q, by).await.map_err(|e| err(e, &u))?))
}

/// The enterprises behind a rollup row, most people not covered first (at most 1 000).
#[utoipa::path(get, path = "/api/v1/coverage/enterprises", params(anze_service::coverage::CoverageQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<EnterpriseFiguresDto>), (status = 422, body = ErrorBody)))]
async fn coverage_enterprises(
    State(s): State<AppState>,
    u: ApiUser,
    Query(q): Query<anze_service::coverage::CoverageQuery>,
) -> WebResult<Json<Vec<EnterpriseFiguresDto>>> {
    let rows = anze_service::coverage::drill_down(&s.ctx, &u.actor, &q, 1000).await.map_err(|e| err(e, &u))?;
    Ok(Json(rows.into_iter().map(EnterpriseFiguresDto::from).collect()))
}

/// Government bodies' leader lists and section task division against 31 March.
#[utoipa::path(get, path = "/api/v1/coverage/government", security(("bearer" = [])), responses((status = 200, body = GovernmentDeadlinesDto)))]
async fn coverage_government(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<GovernmentDeadlinesDto>> {
    let (deadline, bodies) =
        anze_service::coverage::government_deadlines(&s.ctx, &u.actor, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
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

/// A duty item's fulfilment records (newest first), its periods since publication and its gaps.
#[utoipa::path(get, path = "/api/v1/duty-items/{id}/records", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ItemRecordsDto), (status = 404, body = ErrorBody)))]
async fn duty_item_records(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<ItemRecordsDto>> {
    let id = parse_id(&id, &u)?;
    let f = anze_service::fulfilment::item(&s.ctx, &u.actor, id, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok(Json(ItemRecordsDto::from(f)))
}

/// Record that a duty was carried out (date, note, optional photo as base64). Only on the
/// published version of a list, by users who may edit its organisation.
#[utoipa::path(post, path = "/api/v1/duty-items/{id}/records", params(("id" = String, Path)), request_body = NewRecordDto,
    security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_duty_item_record(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Bytes,
) -> WebResult<(StatusCode, Json<Created>)> {
    let id = parse_id(&id, &u)?;
    // Scope first: an item out of scope is 404 whatever the body holds.
    anze_service::fulfilment::item(&s.ctx, &u.actor, id, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    let r: NewRecordDto = json_body(&body, u.lang)?;
    let photo = match r.photo_base64.as_deref().filter(|p| !p.trim().is_empty()) {
        None => None,
        Some(p) => Some(anze_service::fulfilment::decode_photo(p).map_err(|e| err(ServiceError::Invalid(vec![e]), &u))?),
    };
    let input = anze_service::fulfilment::NewRecord { done_on: r.done_on, note: r.note, photo };
    let rid = anze_service::fulfilment::record(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await.map_err(|e| err(e, &u))?;
    Ok((StatusCode::CREATED, Json(Created { id: rid.to_string() })))
}
