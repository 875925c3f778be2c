//! Web errors: one type for pages and API, with an HTTP status and a stable code. API errors
//! are JSON (`{"code": "...", "message": "...", "fields": [...]}`); page errors render a page.
//! Out-of-scope objects are 404, never 403 (a 403 would confirm they exist).
//!
//! Policy: handlers use `?` on service results (`From<ServiceError>`) and never pick a language
//! or a flavour. `into_response` leaves the error in the response's extensions, and
//! `render_errors` (installed by `crate::router`) writes it in the request's language, as JSON
//! under `/api/` and as a page elsewhere. Without that middleware the error still renders, as
//! a page in Chinese, the default language.

use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_service::ServiceError;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct WebError {
    pub status: StatusCode,
    pub code: String,
    pub fields: Vec<BadField>,
}

/// A field at fault: its name (a form's own names may be any text), a code and a detail.
#[derive(Debug, Clone)]
pub struct BadField {
    pub field: String,
    pub code: String,
    pub detail: Option<String>,
}

impl From<FieldError> for BadField {
    fn from(f: FieldError) -> Self {
        Self { field: f.field.to_string(), code: f.code.to_string(), detail: f.detail }
    }
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
        Self { status, code: code.into(), fields: vec![] }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
    pub fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            code: self.code.clone(),
            message: lang.error(&self.code, None),
            fields: self
                .fields
                .iter()
                .map(|f| FieldMessage { field: f.field.clone(), code: f.code.clone(), message: lang.error(&f.code, f.detail.as_deref()) })
                .collect(),
        }
    }

    /// The response for a language and a flavour (JSON or a page).
    pub fn render(&self, lang: Lang, api: bool) -> Response {
        let body = self.body(lang);
        if api {
            return (self.status, axum::Json(body)).into_response();
        }
        let page = crate::pages::ErrorPage { lang, status: self.status.as_u16(), message: body.message, fields: body.fields, user: None };
        (self.status, Html(crate::pages::render(&page))).into_response()
    }
}

impl From<ServiceError> for WebError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => Self::not_found(),
            ServiceError::Forbidden => Self::new(StatusCode::FORBIDDEN, "forbidden"),
            ServiceError::Invalid(f) => {
                Self { fields: f.into_iter().map(BadField::from).collect(), ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid") }
            }
            ServiceError::Refused(c) => Self::new(StatusCode::CONFLICT, c),
            ServiceError::Unauthenticated(c) => Self::new(StatusCode::UNAUTHORIZED, c),
            ServiceError::Db(e) => {
                tracing::error!(error = %e, "database error");
                Self::internal()
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut res = self.render(Lang::Zh, false);
        res.extensions_mut().insert(self);
        res
    }
}

/// Renders a handler's (or an extractor's) error in the request's language: JSON under
/// `/api/`, a page elsewhere. Headers the handler set (cookies …) are kept.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let lang = crate::extract::lang_of(req.headers(), req.uri().query());
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let Some(e) = res.extensions_mut().remove::<WebError>() else { return res };
    let mut rendered = e.render(lang, api);
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().append(name, value.clone());
        }
    }
    rendered
}

pub type WebResult<T> = Result<T, WebError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Form, Path};
    use axum::Router;
    use axum::body::Body;
    use axum::routing::{get, post};
    use tower::ServiceExt;

    #[derive(serde::Deserialize)]
    struct Numbered {
        #[expect(dead_code, reason = "only its parsing is tested")]
        n: u32,
    }

    fn app() -> Router {
        Router::new()
            .route("/things/{id}", get(|Path(id): Path<uuid::Uuid>| async move { id.to_string() }))
            .route("/api/things/{id}", get(|Path(id): Path<uuid::Uuid>| async move { id.to_string() }))
            .route("/form", post(|Form(_): Form<Numbered>| async { "ok" }))
            .route("/refused", get(|| async { Err::<(), WebError>(ServiceError::Refused("throttled").into()) }))
            .layer(axum::middleware::from_fn(render_errors))
    }

    async fn send(req: axum::http::Request<Body>) -> (StatusCode, String) {
        let res = app().oneshot(req).await.unwrap();
        let status = res.status();
        let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).to_string())
    }

    fn get_req(uri: &str) -> axum::http::Request<Body> {
        axum::http::Request::get(uri).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn a_path_that_does_not_parse_is_a_404_in_the_requests_language_and_flavour() {
        let (status, page) = send(get_req("/things/not-an-id?lang=en")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains("Not found") && page.contains("<html"), "{page}");
        let (status, json) = send(get_req("/api/things/not-an-id")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["code"], "not_found");
        assert_eq!(v["message"], "未找到该对象，或不在您的管辖范围内。");
    }

    #[tokio::test]
    async fn a_form_that_does_not_fit_is_422_naming_the_field() {
        let req = |uri: &str| {
            axum::http::Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("n=seven"))
                .unwrap()
        };
        let (status, page) = send(req("/form")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("表单内容无法读取") && page.contains("n：取值无效"), "{page}");
        let (_, page) = send(req("/form?lang=en")).await;
        assert!(page.contains("could not be read") && page.contains("n：Not a valid value"), "{page}");
    }

    #[tokio::test]
    async fn a_service_error_renders_at_the_edge_and_without_the_middleware_as_a_chinese_page() {
        let (status, page) = send(get_req("/refused?lang=en")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(page.contains("Too many attempts"), "{page}");
        let res = WebError::not_found().into_response();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&body).contains("未找到该对象"));
    }
}
