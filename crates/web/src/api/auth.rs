//! `/api/v1/auth/token`, `/api/v1/me`: programs sign in for a bearer token, and ask who they are.

use crate::AppState;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiUser, ClientAddress, JsonBody, bearer};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(issue_token, revoke_token, me), components(schemas(TokenRequest, TokenResponse, Me)))]
pub struct AuthDoc;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub token_type: String,
    /// RFC 3339.
    pub expires_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user_id: Option<String>,
    pub name: String,
    pub roles: Vec<String>,
}

/// Issue an API token for a username and password.
#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn issue_token(
    State(s): State<AppState>,
    ClientAddress(addr): ClientAddress,
    JsonBody(r): JsonBody<TokenRequest>,
) -> WebResult<Json<TokenResponse>> {
    if !s.throttle.allow(&addr) {
        return Err(WebError::new(StatusCode::TOO_MANY_REQUESTS, "throttled"));
    }
    let (token, expires_at) = anze_service::auth::issue_token(&s.ctx, &r.username, &r.password, &addr, chrono::Utc::now()).await?;
    Ok(Json(TokenResponse { token, token_type: "Bearer".into(), expires_at: expires_at.to_rfc3339() }))
}

/// Revoke the token this request is made with.
#[utoipa::path(delete, path = "/api/v1/auth/token", security(("bearer" = [])), responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn revoke_token(State(s): State<AppState>, u: ApiUser, headers: HeaderMap) -> WebResult<StatusCode> {
    anze_service::auth::revoke_token(&s.ctx, &u.actor, bearer(&headers).unwrap_or(""), chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the token belongs to, and their roles.
#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(u: ApiUser) -> Json<Me> {
    Json(Me {
        user_id: u.actor.user_id.map(|i| i.to_string()),
        name: u.actor.name.clone(),
        roles: u.actor.roles().iter().map(|r| r.as_str().to_string()).collect(),
    })
}
