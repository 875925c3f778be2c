//! Background jobs. Each runs on a timer in the serving process; jobs that must run on one
//! replica only will take a lease row (later issues add them).

use anze_service::Ctx;
use chrono::{NaiveDate, Timelike};
use std::time::Duration;

/// The local hour (Asia/Shanghai) after which the daily job runs, once per day.
const DAILY_HOUR: u32 = 2;

/// Whether the daily job is due: past the hour today, and not yet run today.
fn daily_due(local: chrono::DateTime<chrono::FixedOffset>, last_run: Option<NaiveDate>) -> bool {
    local.hour() >= DAILY_HOUR && last_run != Some(local.date_naive())
}

/// Starts the jobs; they stop when the returned handle is aborted or the runtime ends.
pub fn spawn(ctx: Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Every minute: the outbox dispatcher; every fifth minute: the session purge.
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        let mut minute: u64 = 0;
        // The daily job waits for the next 02:00 rather than running at every restart (a city's
        // refresh takes minutes of writer time); `anze daily` runs it on demand.
        let started = chrono::Utc::now().with_timezone(&anze_domain::time::shanghai());
        let mut last_daily: Option<NaiveDate> = (started.hour() >= DAILY_HOUR).then(|| started.date_naive());
        loop {
            tick.tick().await;
            let now = chrono::Utc::now();
            minute += 1;
            if minute % 5 == 1 {
                match anze_service::auth::purge_sessions(&ctx, now).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "session purge failed"),
                }
            }
            let local = now.with_timezone(&anze_domain::time::shanghai());
            if daily_due(local, last_daily) {
                last_daily = Some(local.date_naive());
                match anze_service::coverage::run_daily(&ctx, now).await {
                    Ok(r) => tracing::info!(
                        refreshed = r.refreshed,
                        stale_units = r.units_with_stale,
                        notified = r.notified,
                        "daily coverage job"
                    ),
                    Err(e) => tracing::warn!(error = %e, "daily coverage job failed"),
                }
                match anze_service::hazard::escalate(&ctx, now).await {
                    Ok(r) => tracing::info!(overdue = r.overdue, steps = r.steps_taken, notices = r.notices, "hazard escalation"),
                    Err(e) => tracing::warn!(error = %e, "hazard escalation failed"),
                }
                // Overdue moves with the date: the overview's per-unit summaries follow it.
                match anze_service::hazard::refresh_summaries(&ctx, now).await {
                    Ok(n) => tracing::info!(units = n, "hazard summaries refreshed"),
                    Err(e) => tracing::warn!(error = %e, "hazard summary refresh failed"),
                }
                // Last, so the digest carries the other jobs' notices of the day.
                match anze_service::notify::run_daily(&ctx, now).await {
                    Ok((r, e)) => tracing::info!(
                        due_soon = r.due_soon,
                        missed = r.missed,
                        notices = r.notices,
                        digests = e.digests,
                        webhooks = e.webhooks,
                        "reminders and digests"
                    ),
                    Err(e) => tracing::warn!(error = %e, "reminders failed"),
                }
            }
            match anze_service::notify::dispatch(&ctx, chrono::Utc::now()).await {
                Ok(r) if r.delivered + r.failed > 0 => tracing::info!(delivered = r.delivered, failed = r.failed, "outbox"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox dispatch failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_daily_job_runs_once_a_day_after_two_in_the_morning() {
        let tz = anze_domain::time::shanghai();
        let at = |d, h| tz.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
        assert!(!daily_due(at(1, 1), None), "not before 02:00");
        assert!(daily_due(at(1, 2), None));
        assert!(!daily_due(at(1, 23), Some(at(1, 2).date_naive())), "once a day");
        assert!(daily_due(at(2, 3), Some(at(1, 2).date_naive())));
    }
}
