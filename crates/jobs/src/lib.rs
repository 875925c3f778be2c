//! Background jobs. Each runs on a timer in the serving process; jobs that must run on one
//! replica only will take a lease row (later issues add them).

use anze_service::Ctx;
use std::time::Duration;

/// Starts the jobs; they stop when the returned handle is aborted or the runtime ends.
pub fn spawn(ctx: Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            match anze_service::auth::purge_sessions(&ctx, chrono::Utc::now()).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
        }
    })
}
