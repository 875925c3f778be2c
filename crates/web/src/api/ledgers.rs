//! `/api/v1/ledgers` and `/api/v1/enterprises/{id}/ledger`: the "1+N" e-ledger.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, Path};
use anze_service::ledger::{CityLedgers, EnterpriseLedger};
use axum::Json;
use axum::extract::State;
use utoipa::OpenApi;
use uuid::Uuid;

// Operations keep the tag `ledgers` they have always had in the document.
#[derive(OpenApi)]
#[openapi(
    paths(enterprise, city),
    components(schemas(EnterpriseLedger, anze_service::ledger::LedgerEntryDto, CityLedgers, anze_service::ledger::LedgerRow))
)]
pub struct LedgerDoc;

/// One enterprise's "1+N" ledger: each topical ledger's mark (computed), the score, and
/// whether the ledger is established.
#[utoipa::path(get, tag = "ledgers", path = "/api/v1/enterprises/{id}/ledger", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = EnterpriseLedger), (status = 404, body = ErrorBody)))]
pub async fn enterprise(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<EnterpriseLedger>> {
    Ok(Json(anze_service::ledger::of_enterprise(&s.ctx, &u.actor, id, chrono::Utc::now()).await?))
}

/// Established ledgers of the units in the caller's scope, by township and by supervision
/// class, against the 30 April deadline.
#[utoipa::path(get, tag = "ledgers", path = "/api/v1/ledgers", security(("bearer" = [])), responses((status = 200, body = CityLedgers)))]
pub async fn city(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<CityLedgers>> {
    Ok(Json(anze_service::ledger::city(&s.ctx, &u.actor, chrono::Utc::now()).await?))
}
