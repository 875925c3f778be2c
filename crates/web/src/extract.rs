//! Extractors: the signed-in user (session cookie for pages, bearer token for the API), the
//! client address, the language, and typed input (path segments, urlencoded forms, JSON
//! bodies) whose rejections are our `WebError`, rendered in the request's language.

use crate::AppState;
use crate::error::{BadField, WebError, WebResult};
use crate::i18n::Lang;
use anze_service::Actor;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use uuid::Uuid;

pub const SESSION_COOKIE: &str = "anze_session";
pub const LANG_COOKIE: &str = "anze_lang";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// `?lang=` first, then the language cookie (set by the switch), else Chinese. The browser's
/// Accept-Language is ignored on purpose: Chinese is the default (DESIGN.md §7), and an
/// English-configured office PC must not turn the officials' screens English.
pub fn lang_of(headers: &HeaderMap, query: Option<&str>) -> Lang {
    query
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("lang=")))
        .and_then(Lang::parse)
        .or_else(|| cookie(headers, LANG_COOKIE).as_deref().and_then(Lang::parse))
        .unwrap_or(Lang::Zh)
}

pub fn client_address<B>(req: &axum::http::Request<B>) -> String {
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "local".into())
}

fn address_of(parts: &Parts) -> String {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "local".into())
}

/// The language of the request (pages and API).
pub struct Language(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Language(lang_of(&parts.headers, parts.uri.query())))
    }
}

/// The client's address, for audit and throttling.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(address_of(parts)))
    }
}

/// A signed-in person using the pages. Unauthenticated requests are sent to the sign-in
/// page; a user who must change their password is sent to do that first.
pub struct CurrentUser {
    pub actor: Actor,
    pub csrf_token: String,
    pub lang: Lang,
    /// Unread notices of the user's units (the header's badge; 0 if the count fails).
    pub unread: u64,
}

pub enum PageRejection {
    SignIn(String),
    ChangePassword,
    Error(WebError),
}

impl IntoResponse for PageRejection {
    fn into_response(self) -> Response {
        match self {
            PageRejection::SignIn(next) => Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response(),
            PageRejection::ChangePassword => Redirect::to("/password").into_response(),
            PageRejection::Error(e) => e.into_response(),
        }
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = PageRejection;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers, parts.uri.query());
        let next = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(PageRejection::SignIn(next)) };
        let checked = parts.extensions.get::<crate::security::SessionChecked>().map(|c| (c.0.clone(), c.1.clone()));
        let found = match checked {
            Some(found) => Some(found),
            None => anze_service::auth::session_actor(&state.ctx, &secret, &address_of(parts), chrono::Utc::now())
                .await
                .map_err(|e| PageRejection::Error(e.into()))?,
        };
        let Some((actor, csrf_token)) = found else { return Err(PageRejection::SignIn(next)) };
        let path = parts.uri.path();
        if actor.must_change_password && path != "/password" && path != "/logout" {
            return Err(PageRejection::ChangePassword);
        }
        let unread = match anze_service::notify::unread(&state.ctx, &actor).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "unread notices count failed");
                0
            }
        };
        Ok(CurrentUser { actor, csrf_token, lang, unread })
    }
}

/// A program calling the API with `Authorization: Bearer …`.
pub struct ApiUser {
    pub actor: Actor,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers, parts.uri.query());
        let Some(token) = bearer(&parts.headers) else { return Err(WebError::new(StatusCode::UNAUTHORIZED, "unauthenticated")) };
        let actor = anze_service::auth::token_actor(&state.ctx, token, &address_of(parts), chrono::Utc::now()).await?;
        Ok(ApiUser { actor, lang })
    }
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim)
}

/// Typed path segments: `Path<Uuid>`, `Path<(Uuid, Uuid)>`, `Path<String>`. A segment that
/// does not parse names no object, so it is a 404 like an object out of scope (axum's own
/// `Path` would answer 400 in English).
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(WebError::not_found()),
            // The extractor does not fit its route: our mistake, not the caller's.
            Err(e) => {
                tracing::error!(error = %e, "path extractor does not fit its route");
                Err(WebError::internal())
            }
        }
    }
}

/// An id that arrives in a form field or a query parameter: one that does not parse names no
/// object (404), as in a path.
pub fn parse_id(id: &str) -> WebResult<Uuid> {
    Uuid::parse_str(id.trim()).map_err(|_| WebError::not_found())
}

/// A urlencoded form read into a typed struct. `serde_html_form` fills a `Vec` from a repeated
/// field (checkbox groups); form structs take `#[serde(default)]` so an absent field is empty,
/// and unknown fields (`csrf_token`) are ignored. A form that does not fit its struct is 422
/// `invalid_form`, naming the field when serde knows it.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state).await.map_err(|e| WebError::new(e.status(), "invalid_form"))?;
        parse_form(&body).map(Form).map_err(|field| {
            let mut e = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_form");
            e.fields = field.into_iter().map(|field| BadField { field, code: "field.invalid".into(), detail: None }).collect();
            e
        })
    }
}

/// Parses a urlencoded body; on failure, the field serde names (if any).
pub fn parse_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, Option<String>> {
    serde_path_to_error::deserialize(serde_html_form::Deserializer::from_bytes(body)).map_err(|e| {
        tracing::info!(error = %e.inner(), path = %e.path(), "form refused");
        Some(e.path().to_string()).filter(|p| p != ".")
    })
}

/// A urlencoded body as its pairs, in order (the CSRF check reads its token this way).
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_html_form::from_bytes(body).unwrap_or_default()
}

/// A checkbox or a yes/no hidden field: `true`, `on` or `1` is yes, anything else no (as the
/// pages always read them).
pub fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = <String as serde::Deserialize>::deserialize(d)?;
    Ok(matches!(v.as_str(), "true" | "on" | "1"))
}

/// A JSON request body read into a type; a malformed one gets our error shape (400
/// `invalid_json`), naming what serde found.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state).await.map_err(|e| WebError::new(e.status(), "invalid_json"))?;
        json_body(&body).map(JsonBody)
    }
}

/// Parses a JSON body (for handlers that must check something before reading it).
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> WebResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        let mut w = WebError::new(StatusCode::BAD_REQUEST, "invalid_json");
        w.fields = vec![BadField { field: "body".into(), code: "invalid_json".into(), detail: Some(e.to_string()) }];
        w
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Default, Debug)]
    #[serde(default)]
    struct Sample {
        name: String,
        industries: Vec<String>,
        #[serde(deserialize_with = "flag")]
        listed: bool,
    }

    #[test]
    fn forms_fill_repeated_fields_and_default_absent_ones() {
        let s: Sample = parse_form(b"name=%E5%AE%89+A&industries=26&industries=47&csrf_token=x&listed=1").unwrap();
        assert_eq!(s.name, "安 A");
        assert_eq!(s.industries, ["26", "47"]);
        assert!(s.listed);
        let empty: Sample = parse_form(b"").unwrap();
        assert!(empty.name.is_empty() && empty.industries.is_empty() && !empty.listed);
        let off: Sample = parse_form(b"listed=0").unwrap();
        assert!(!off.listed);
    }

    #[derive(serde::Deserialize, Default, Debug)]
    #[serde(default)]
    struct WithRest {
        target: String,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, String>,
    }

    #[test]
    fn numbered_fields_are_kept_beside_the_named_ones() {
        let s: WithRest = parse_form(b"target=t&result_1=pass&note_1=ok&result_2=fail").unwrap();
        assert_eq!(s.target, "t");
        assert_eq!(s.rest.get("result_2").map(String::as_str), Some("fail"));
        assert_eq!(s.rest.len(), 3);
    }

    #[test]
    fn a_form_that_does_not_fit_names_the_field() {
        assert_eq!(parse_form::<Sample>(b"name=a&name=b").unwrap_err().as_deref(), Some("name"));
    }
}
