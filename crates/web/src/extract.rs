//! Extractors: the signed-in user (session cookie for pages, bearer token for the API), the
//! client address, and the language.

use crate::AppState;
use crate::error::WebError;
use crate::i18n::Lang;
use anze_service::Actor;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

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
                .map_err(|e| PageRejection::Error(WebError::from_service(e, lang, false)))?,
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
        let token =
            parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let Some(token) = token else {
            return Err(WebError::new(StatusCode::UNAUTHORIZED, "unauthenticated").lang(lang).api());
        };
        let actor = anze_service::auth::token_actor(&state.ctx, token, &address_of(parts), chrono::Utc::now())
            .await
            .map_err(|e| WebError::from_service(e, lang, true))?;
        Ok(ApiUser { actor, lang })
    }
}
