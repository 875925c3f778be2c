//! Request guards: CSRF on state-changing requests made with a session cookie, per-address
//! throttling of sign-in attempts, and security headers on every response.

use crate::AppState;
use crate::error::WebError;
use crate::extract::{SESSION_COOKIE, client_address, cookie, form_pairs};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A fixed-window counter per client address (sign-in and token requests).
pub struct Throttle {
    limit: u32,
    window: Duration,
    hits: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Throttle {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window, hits: Mutex::new(HashMap::new()) }
    }

    /// Counts one attempt; `false` when the address is over its limit.
    pub fn allow(&self, address: &str) -> bool {
        let now = Instant::now();
        let Ok(mut hits) = self.hits.lock() else { return true };
        if hits.len() > 10_000 {
            hits.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = hits.entry(address.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }

    /// Whether the key has used up its window's limit, without counting an attempt (for
    /// throttles that count failures only).
    pub fn exhausted(&self, key: &str) -> bool {
        let now = Instant::now();
        let Ok(hits) = self.hits.lock() else { return false };
        hits.get(key).is_some_and(|(start, n)| now.duration_since(*start) < self.window && *n >= self.limit)
    }
}

/// The session this middleware already looked up for the request.
#[derive(Clone)]
pub struct SessionChecked(pub anze_service::Actor, pub String);

/// State-changing requests that carry a session cookie must carry the session's CSRF token,
/// in the `X-CSRF-Token` header, the `csrf_token` query parameter (multipart forms) or the
/// `csrf_token` form field. Bearer-token API calls carry no cookie and need none.
pub async fn csrf(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Phone pages (`/m/…`) use no session: they carry their own proof (token, name, last four).
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && !req.uri().path().starts_with("/m/");
    let Some(secret) = cookie(req.headers(), SESSION_COOKIE).filter(|_| unsafe_method) else {
        return next.run(req).await;
    };
    let address = client_address(&req);
    let expected = match anze_service::auth::session_actor(&state.ctx, &secret, &address, chrono::Utc::now()).await {
        Ok(Some((actor, token))) => {
            // The handler's `CurrentUser` reuses this instead of reading the session again.
            req.extensions_mut().insert(SessionChecked(actor, token.clone()));
            token
        }
        // No live session: the handler will ask the user to sign in.
        _ => return next.run(req).await,
    };
    let from_header = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(String::from);
    let from_query = req.uri().query().and_then(|q| form_value(q.as_bytes(), "csrf_token"));
    if from_header.as_deref() == Some(expected.as_str()) || from_query.as_deref() == Some(expected.as_str()) {
        return next.run(req).await;
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, 1024 * 1024).await else {
            return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "invalid").into_response();
        };
        let ok = form_value(&bytes, "csrf_token").as_deref() == Some(expected.as_str());
        if ok {
            return next.run(Request::from_parts(parts, Body::from(bytes))).await;
        }
    }
    WebError::new(StatusCode::FORBIDDEN, "csrf").into_response()
}

fn form_value(encoded: &[u8], key: &str) -> Option<String> {
    form_pairs(encoded).into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Counts requests and their durations by route pattern (never by raw path: ids would make
/// a series per object). The counts reach Prometheus only when the app installs an exporter
/// on its separate metrics address; otherwise the calls do nothing.
pub async fn metrics(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<axum::extract::MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    let labels = [("method", method), ("route", route), ("status", res.status().as_u16().to_string())];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    res
}

pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.entry("content-security-policy").or_insert(HeaderValue::from_static(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    ));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_values() {
        assert_eq!(form_value(b"a=1&csrf_token=x%2By+z", "csrf_token").as_deref(), Some("x+y z"));
        assert_eq!(form_value(b"a=1", "csrf_token"), None);
        assert_eq!(form_value(b"csrf_token=%E5%AE%89", "csrf_token").as_deref(), Some("安"));
        let png = "data:image/png;base64,iVBOR+w0K/Gg==";
        let encoded = format!("drawn={}", crate::extract::urlencode(png).replace('/', "%2F"));
        assert_eq!(form_value(encoded.as_bytes(), "drawn").as_deref(), Some(png), "{encoded}");
    }

    #[test]
    fn a_failure_throttle_counts_only_what_it_is_told() {
        let t = Throttle::new(2, Duration::from_secs(60));
        assert!(!t.exhausted("a|qr"));
        t.allow("a|qr");
        assert!(!t.exhausted("a|qr"), "one failure of two");
        t.allow("a|qr");
        assert!(t.exhausted("a|qr"));
        assert!(!t.exhausted("b|qr"), "per key");
    }

    #[test]
    fn throttle_limits_per_address() {
        let t = Throttle::new(2, Duration::from_secs(60));
        assert!(t.allow("a"));
        assert!(t.allow("a"));
        assert!(!t.allow("a"));
        assert!(t.allow("b"));
    }
}
