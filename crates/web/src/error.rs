//! Web errors: one type for pages and API. API errors are JSON with a stable code
//! (`{"code": "...", "message": "...", "fields": [...]}`); page errors render a page.
//! Out-of-scope objects are 404, never 403 (a 403 would confirm they exist).

use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_service::ServiceError;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub code: String,
    pub fields: Vec<FieldError>,
    pub lang: Lang,
    pub api: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable code, e.g. `org.credit_code.check_digit`.
    pub code: String,
    /// The sentence in the caller's language.
    pub message: String,
    pub fields: Vec<FieldMessage>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl WebError {
    pub fn new(status: StatusCode, code: &str) -> Self {
        Self { status, code: code.into(), fields: vec![], lang: Lang::Zh, api: false }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
    pub fn api(mut self) -> Self {
        self.api = true;
        self
    }
    pub fn from_service(e: ServiceError, lang: Lang, api: bool) -> Self {
        let (status, code, fields) = match e {
            ServiceError::NotFound => (StatusCode::NOT_FOUND, "not_found".to_string(), vec![]),
            ServiceError::Forbidden => (StatusCode::FORBIDDEN, "forbidden".to_string(), vec![]),
            ServiceError::Invalid(f) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid".to_string(), f),
            ServiceError::Refused(c) => (StatusCode::CONFLICT, c.to_string(), vec![]),
            ServiceError::Unauthenticated(c) => (StatusCode::UNAUTHORIZED, c.to_string(), vec![]),
            ServiceError::Db(e) => {
                tracing::error!(error = %e, "database error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal".to_string(), vec![])
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal".to_string(), vec![])
            }
        };
        Self { status, code, fields, lang, api }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.clone(),
            message: self.lang.error(&self.code, None),
            fields: self
                .fields
                .iter()
                .map(|f| FieldMessage {
                    field: f.field.to_string(),
                    code: f.code.to_string(),
                    message: self.lang.error(f.code, f.detail.as_deref()),
                })
                .collect(),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = self.body();
        if self.api {
            return (self.status, axum::Json(body)).into_response();
        }
        let page = crate::pages::ErrorPage {
            lang: self.lang,
            status: self.status.as_u16(),
            message: body.message,
            fields: body.fields,
            user: None,
        };
        (self.status, Html(crate::pages::render(&page))).into_response()
    }
}

pub type WebResult<T> = Result<T, WebError>;
