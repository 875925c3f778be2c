//! `/api/v1/imports/{kind}`: enterprises or staff from an .xlsx or .csv body, all rows or none.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{ApiUser, Path};
use anze_service::import::{ImportKind, Outcome};
use anze_service::sheet::RowError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(import), components(schemas(Outcome, RowError, ImportErrors)))]
pub struct ImportDoc;

#[derive(Serialize, ToSchema)]
pub struct ImportErrors {
    pub code: String,
    pub errors: Vec<RowError>,
    /// One sentence per error, in the caller's language.
    pub messages: Vec<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// Validate only; write nothing.
    dry_run: Option<bool>,
}

/// Import enterprises or staff from an .xlsx or .csv body: all rows or none.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", params(("kind" = String, Path, description = "enterprises | staff"), ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 422, body = ImportErrors)))]
pub async fn import(
    State(s): State<AppState>,
    u: ApiUser,
    Path(kind): Path<String>,
    Query(p): Query<ImportParams>,
    body: Bytes,
) -> WebResult<Response> {
    let kind = ImportKind::parse(&kind).ok_or_else(WebError::not_found)?;
    let result = anze_service::import::run(&s.ctx, &u.actor, kind, &body, chrono::Utc::now(), p.dry_run.unwrap_or(false)).await?;
    Ok(match result {
        Ok(outcome) => Json(outcome).into_response(),
        Err(errors) => {
            let messages = errors.iter().map(|e| crate::pages::imports_reason(u.lang, e)).collect();
            (StatusCode::UNPROCESSABLE_ENTITY, Json(ImportErrors { code: "import.invalid".into(), errors, messages })).into_response()
        }
    })
}
