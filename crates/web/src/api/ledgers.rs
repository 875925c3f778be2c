//! `/api/v1/ledgers` and `/api/v1/enterprises/{id}/ledger`: the "1+N" e-ledger.

use super::{err, parse_id};
use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::ApiUser;
use anze_service::ledger::{CityLedgers, EnterpriseLedger};
use axum::Json;
use axum::extract::{Path, State};

/// One enterprise's "1+N" ledger: each topical ledger's mark (computed), the score, and
/// whether the ledger is established.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/ledger", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = EnterpriseLedger), (status = 404, body = ErrorBody)))]
pub async fn enterprise(State(s): State<AppState>, u: ApiUser, Path(id): Path<String>) -> WebResult<Json<EnterpriseLedger>> {
    let id = parse_id(&id, &u)?;
    Ok(Json(anze_service::ledger::of_enterprise(&s.ctx, &u.actor, id, chrono::Utc::now()).await.map_err(|e| err(e, &u))?))
}

/// Established ledgers of the units in the caller's scope, by township and by supervision
/// class, against the 30 April deadline.
#[utoipa::path(get, path = "/api/v1/ledgers", security(("bearer" = [])), responses((status = 200, body = CityLedgers)))]
pub async fn city(State(s): State<AppState>, u: ApiUser) -> WebResult<Json<CityLedgers>> {
    Ok(Json(anze_service::ledger::city(&s.ctx, &u.actor, chrono::Utc::now()).await.map_err(|e| err(e, &u))?))
}
