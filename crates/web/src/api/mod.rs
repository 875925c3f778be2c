//! `/api/v1`: JSON for programs. Sign in with `POST /api/v1/auth/token`, then send
//! `Authorization: Bearer …`. Errors are `{"code", "message", "fields"}` with stable codes.
//! The contract is `/api/openapi.json`, generated from these handlers: each context's file
//! documents its own routes and schemas, merged here.

mod audit;
mod auth;
// campaigns (issue 5)
mod campaigns;
pub use campaigns::load_message as campaign_load_message;
mod coverage;
mod duty;
// grid work (issue 4)
mod grid;
pub use grid::{FiguresQuery as GridFiguresQuery, year_of as grid_year_of};
// hazards (issue 4)
mod hazards;
mod imports;
mod inspections;
mod ledgers;
// reminders and outbox (issue 5)
mod notify;
mod orgs;
mod spot_checks;

use crate::AppState;
use crate::error::ErrorBody;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(auth::issue_token).delete(auth::revoke_token))
        .route("/me", get(auth::me))
        .route("/regions", get(orgs::regions))
        .route("/organisations", get(orgs::organisations).post(orgs::create_organisation))
        .route("/organisations/{id}", get(orgs::organisation))
        .route("/organisations/{id}/staff", get(orgs::staff).post(orgs::add_staff))
        .route("/enterprises", get(orgs::enterprises).post(orgs::create_enterprise))
        .route("/enterprises/{id}", get(orgs::organisation).put(orgs::update_enterprise))
        .route("/imports/{kind}", post(imports::import))
        .route("/audit-events", get(audit::audit_events))
        .route("/duty-templates", get(duty::duty_templates))
        .route("/duty-lists", post(duty::create_duty_list))
        .route("/duty-lists/{id}/items", axum::routing::put(duty::set_duty_items))
        .route("/duty-lists/{id}/publish", post(duty::publish_duty_list))
        .route("/organisations/{id}/coverage", get(coverage::coverage))
        .route("/organisations/{id}/fit", get(duty::fit))
        .route("/organisations/{id}/fit/dismissals", post(duty::dismiss_fit))
        .route("/organisations/{id}/duty-lists", get(duty::duty_lists))
        .route("/organisations/{id}/acknowledgements", get(duty::acknowledgements))
        .route("/organisations/{id}/notifications", get(coverage::notifications))
        .route("/organisations/{id}/qr", post(duty::qr_code))
        .route("/employments/{id}/change-post", post(orgs::change_post))
        .route("/coverage", get(coverage::coverage_rollup))
        .route("/coverage/enterprises", get(coverage::coverage_enterprises))
        .route("/coverage/government", get(coverage::coverage_government))
        .route("/duty-items/{id}/records", get(duty::duty_item_records).post(duty::add_duty_item_record))
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
    components(schemas(ErrorBody, Created)),
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
    let parts = [
        auth::AuthDoc::openapi(),
        orgs::OrgDoc::openapi(),
        imports::ImportDoc::openapi(),
        audit::AuditDoc::openapi(),
        // Before duty: both have an `ItemInput`, and the first merged keeps the name (the
        // inspection's, as the document always had it).
        inspections::InspectionDoc::openapi(),
        duty::DutyDoc::openapi(),
        coverage::CoverageDoc::openapi(),
        spot_checks::SpotCheckDoc::openapi(),
        ledgers::LedgerDoc::openapi(),
        hazards::HazardDoc::openapi(),
        notify::NotifyDoc::openapi(),
        campaigns::CampaignDoc::openapi(),
        grid::GridDoc::openapi(),
    ];
    Json(parts.into_iter().fold(ApiDoc::openapi(), |doc, part| doc.merge_from(part)))
}

/// Photos sent as base64 (a `data:image/…;base64,` prefix is allowed); blanks skipped.
fn photos(list: &[String]) -> crate::error::WebResult<Vec<Vec<u8>>> {
    list.iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| anze_service::evidence::decode_photo(p).map_err(|e| anze_service::ServiceError::Invalid(vec![e]).into()))
        .collect()
}

// The id of what a request created (shared by every context). A plain comment: a doc comment
// would become the schema's description and change the document.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
}

impl Created {
    /// `201 Created` with the new id.
    pub fn of(id: impl ToString) -> (StatusCode, Json<Created>) {
        (StatusCode::CREATED, Json(Created { id: id.to_string() }))
    }
}
