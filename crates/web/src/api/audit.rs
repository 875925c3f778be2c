//! `/api/v1/audit-events`: the audit trail of one object in the caller's scope.

use crate::AppState;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiUser, parse_id};
use anze_service::audit::AuditEvent;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(audit_events), components(schemas(AuditEventDto)))]
pub struct AuditDoc;

#[derive(Serialize, ToSchema)]
pub struct AuditEventDto {
    pub seq: i64,
    pub occurred_at: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub changes: serde_json::Value,
    pub address: String,
    pub hash: String,
}

impl From<AuditEvent> for AuditEventDto {
    fn from(e: AuditEvent) -> Self {
        Self {
            seq: e.seq,
            occurred_at: e.occurred_at,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
            address: e.address,
            hash: e.hash,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditParams {
    object_type: String,
    object_id: String,
}

/// The audit trail of one object in the caller's scope.
#[utoipa::path(get, path = "/api/v1/audit-events", params(AuditParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEventDto>), (status = 404, body = ErrorBody)))]
pub async fn audit_events(State(s): State<AppState>, u: ApiUser, Query(p): Query<AuditParams>) -> WebResult<Json<Vec<AuditEventDto>>> {
    let id = parse_id(&p.object_id)?;
    match p.object_type.as_str() {
        "organisation" => {
            anze_service::scope::organisation(&s.ctx, &u.actor, id).await?;
        }
        "user" if u.actor.can_somewhere(anze_domain::auth::Action::ManageUsers) || u.actor.user_id == Some(id) => {}
        _ => return Err(WebError::not_found()),
    }
    let events = anze_service::audit::trail(&s.ctx, &p.object_type, &id.to_string()).await?;
    Ok(Json(events.into_iter().map(AuditEventDto::from).collect()))
}
