//! `/api/v1/regions`, `/api/v1/organisations`, `/api/v1/enterprises`, staff and change of post:
//! the region tree, organisations with their base records, and their people. Personal data
//! (ID numbers, phones) is masked.

use super::Created;
use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, JsonBody, Path};
use anze_domain::org::mask;
use anze_service::org::{EnterpriseInput, ListQuery, OrgRow, OrganisationInput, Region};
use anze_service::people::{Employment, Person, PostChange, StaffInput};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

#[derive(OpenApi)]
#[openapi(
    paths(
        regions,
        organisations,
        create_organisation,
        organisation,
        staff,
        add_staff,
        enterprises,
        create_enterprise,
        update_enterprise,
        change_post
    ),
    components(schemas(
        RegionDto,
        OrganisationDto,
        EnterpriseDto,
        OrganisationPage,
        StaffDto,
        EnterpriseInput,
        StaffInput,
        OrganisationInput,
        PostChange
    ))
)]
pub struct OrgDoc;

#[derive(Serialize, ToSchema)]
pub struct RegionDto {
    pub code: String,
    pub name: String,
    pub level: String,
    pub township_kind: Option<String>,
    pub path: String,
}

impl From<Region> for RegionDto {
    fn from(r: Region) -> Self {
        Self { code: r.code, name: r.name, level: r.level, township_kind: r.township_kind, path: r.path }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseDto {
    pub credit_code: String,
    pub industry_code: String,
    pub high_risk_group: Option<String>,
    pub grid_code: Option<String>,
    pub legal_representative: String,
    pub principal_name: String,
    pub principal_phone: Option<String>,
    pub safety_director_name: Option<String>,
    pub headcount: i32,
    pub risk_level: String,
    pub supervision_class: String,
    pub major_hazard_source: bool,
    pub hazardous_work_kinds: Vec<String>,
    pub liability_insurance: bool,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationDto {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub region_code: String,
    pub region_path: String,
    pub address: Option<String>,
    pub enterprise: Option<EnterpriseDto>,
}

impl From<OrgRow> for OrganisationDto {
    fn from((o, e): OrgRow) -> Self {
        Self {
            id: o.id,
            kind: o.kind,
            name: o.name,
            region_code: o.region_code,
            region_path: o.region_path,
            address: o.address,
            enterprise: e.map(|e| EnterpriseDto {
                credit_code: e.credit_code,
                industry_code: e.industry_code,
                high_risk_group: e.high_risk_group,
                grid_code: e.grid_code,
                legal_representative: e.legal_representative,
                principal_name: e.principal_name,
                principal_phone: e.principal_phone.as_deref().map(mask),
                safety_director_name: e.safety_director_name,
                headcount: e.headcount,
                risk_level: e.risk_level,
                supervision_class: e.supervision_class,
                major_hazard_source: e.major_hazard_source,
                hazardous_work_kinds: e.hazardous_work_kinds.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
                liability_insurance: e.liability_insurance,
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationDto>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StaffDto {
    pub employment_id: String,
    pub person_id: String,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub post_title: String,
    pub tier: String,
    pub unit_name: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
}

impl From<(Employment, Person)> for StaffDto {
    fn from((e, p): (Employment, Person)) -> Self {
        Self {
            employment_id: e.id,
            person_id: p.id,
            name: p.name,
            id_number: p.id_number.as_deref().map(mask),
            phone: p.phone.as_deref().map(mask),
            post_title: e.post_title,
            tier: e.tier,
            unit_name: e.unit_name,
            start_date: e.start_date.to_string(),
            end_date: e.end_date.map(|d| d.to_string()),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RegionParams {
    /// Parent region code; the roots when absent.
    parent: Option<String>,
}

/// Regions under a parent (the region tree is visible to every signed-in user).
#[utoipa::path(get, path = "/api/v1/regions", params(RegionParams), security(("bearer" = [])), responses((status = 200, body = Vec<RegionDto>)))]
pub async fn regions(State(s): State<AppState>, _: ApiUser, Query(p): Query<RegionParams>) -> WebResult<Json<Vec<RegionDto>>> {
    let (_, children) = anze_service::org::region_children(&s.ctx, p.parent.as_deref().filter(|p| !p.is_empty())).await?;
    Ok(Json(children.into_iter().map(RegionDto::from).collect()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageParams {
    /// Page size, 1–200 (default 50).
    limit: Option<u64>,
}

async fn list_orgs(s: &AppState, u: &ApiUser, q: &ListQuery, limit: Option<u64>) -> WebResult<Json<OrganisationPage>> {
    let page = anze_service::org::list(&s.ctx, &u.actor, q, limit.unwrap_or(50)).await?;
    Ok(Json(OrganisationPage { items: page.items.into_iter().map(OrganisationDto::from).collect(), next: page.next }))
}

/// Organisations in the caller's scope, filtered, by name, with a cursor (`next` → `after`).
#[utoipa::path(get, path = "/api/v1/organisations", params(ListQuery, PageParams), security(("bearer" = [])),
    responses((status = 200, body = OrganisationPage), (status = 422, body = ErrorBody)))]
pub async fn organisations(
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
pub async fn enterprises(
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
pub async fn organisation(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<OrganisationDto>> {
    Ok(Json(anze_service::scope::organisation(&s.ctx, &u.actor, id).await?.into()))
}

/// Create a government body, committee, insurer or expert body (departments with their
/// industries, special committees with their lead and member units).
#[utoipa::path(post, path = "/api/v1/organisations", request_body = anze_service::org::OrganisationInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_organisation(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(input): JsonBody<OrganisationInput>,
) -> WebResult<(StatusCode, Json<Created>)> {
    let id = anze_service::org::create_organisation(&s.ctx, &u.actor, &input, chrono::Utc::now()).await?;
    Ok(Created::of(id))
}

/// Create an enterprise from its base record.
#[utoipa::path(post, path = "/api/v1/enterprises", request_body = EnterpriseInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_enterprise(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(input): JsonBody<EnterpriseInput>,
) -> WebResult<(StatusCode, Json<Created>)> {
    let id = anze_service::org::create_enterprise(&s.ctx, &u.actor, &input, chrono::Utc::now()).await?;
    Ok(Created::of(id))
}

/// Replace an enterprise's base record.
#[utoipa::path(put, path = "/api/v1/enterprises/{id}", params(("id" = String, Path)), request_body = EnterpriseInput, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_enterprise(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<EnterpriseInput>,
) -> WebResult<StatusCode> {
    anze_service::org::update_enterprise(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Current staff and posts of an organisation (ID numbers and phones masked).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<StaffDto>), (status = 404, body = ErrorBody)))]
pub async fn staff(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<Vec<StaffDto>>> {
    let d = anze_service::org::detail(&s.ctx, &u.actor, id).await?;
    Ok(Json(d.staff.into_iter().map(StaffDto::from).collect()))
}

/// Add a person with a post to an organisation.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/staff", params(("id" = String, Path)), request_body = StaffInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_staff(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<StaffInput>,
) -> WebResult<(StatusCode, Json<Created>)> {
    let eid = anze_service::people::add_staff(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await?;
    Ok(Created::of(eid))
}

/// Moves a person to another post in one step; returns the new employment's id.
#[utoipa::path(post, path = "/api/v1/employments/{id}/change-post", params(("id" = String, Path)),
    request_body = anze_service::people::PostChange, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_post(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<PostChange>,
) -> WebResult<(StatusCode, Json<Created>)> {
    let new = anze_service::people::change_post(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await?;
    Ok(Created::of(new))
}
