#![doc = include_str!("../README.md")]

pub mod api;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod pages;
pub(crate) mod security;
mod static_files;

use anze_service::Ctx;
use axum::Router;
use axum::routing::get;
use std::sync::Arc;

pub use security::Throttle;

/// Failed phone-page identifications allowed per address and QR code in 15 minutes.
pub const PHONE_FAILURES: u32 = 30;

/// Hazard reports allowed per address and QR code in an hour.
pub const HAZARD_REPORTS: u32 = 10;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
    pub throttle: Arc<Throttle>,
    /// Failed identifications on a phone page, per address and QR code: the last four digits
    /// are only 10 000 guesses, so failures are limited (successes are not counted).
    pub phone_failures: Arc<Throttle>,
    /// Hazard reports from a phone page, per address and QR code: enough for a shift to
    /// report what it finds, not enough to flood an enterprise with made-up reports.
    pub hazard_reports: Arc<Throttle>,
    /// Live progress of running imports, by job id.
    pub imports: anze_service::import::ProgressMap,
}

impl AppState {
    pub fn new(ctx: Ctx) -> Self {
        // 200 sign-in attempts a minute per address: an office behind one NAT address must
        // get its morning sign-ins through; guessing one account is stopped by its lockout.
        Self {
            ctx,
            throttle: Arc::new(Throttle::new(200, std::time::Duration::from_secs(60))),
            // A workshop signing on one Wi-Fi address may mistype often; a guesser needs days.
            phone_failures: Arc::new(Throttle::new(PHONE_FAILURES, std::time::Duration::from_secs(15 * 60))),
            hazard_reports: Arc::new(Throttle::new(HAZARD_REPORTS, std::time::Duration::from_secs(60 * 60))),
            imports: Default::default(),
        }
    }
}

/// The whole application: pages, API, static files, health checks.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", get(api::openapi_json))
        .route("/api/docs", get(static_files::swagger))
        .route("/static/{*path}", get(static_files::serve))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::csrf))
        // Outside the CSRF check, so its refusals are rendered in the request's language too.
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(axum::middleware::from_fn(security::headers))
        .route_layer(axum::middleware::from_fn(security::metrics))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
        .with_state(state)
}

async fn ready(axum::extract::State(s): axum::extract::State<AppState>) -> (axum::http::StatusCode, &'static str) {
    match s.ctx.db.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ready"),
        Err(_) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}
