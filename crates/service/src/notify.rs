//! Reminders, the daily digest and the delivery outbox (issue 5, deliverable 6).
//!
//! Every day, for the campaigns running (or whose last reports are still due), the board's
//! evaluator computes every subject unit's cells once; a period due within the reminder window
//! and not yet met earns its unit a `campaign.due_soon` notice, a missed period (due at most
//! [`MISS_LOOKBACK_DAYS`] ago, so loading a campaign late does not flood units with old misses)
//! a `campaign.missed` notice. A reminder row per (unit, campaign, obligation, period, kind)
//! with a unique key makes sure none is sent twice, however often the job runs; a unit that
//! already had a notice of that kind today gets the new reminders tomorrow.
//!
//! The notices then go to the outbox: each reminder by e-mail to every user acting for the unit
//! who has an address, each of the day's notices as a JSON webhook when `[notify] webhook_url`
//! is set, and one digest per user per day listing the day's new notices of their units. The
//! dispatcher ([`dispatch`], every minute in the jobs) claims due rows one by one (one replica
//! wins each row), sends them, and on failure schedules the next attempt with the domain's
//! backoff; a delivered row is never sent again. Rows of a channel that is not configured stay
//! queued and are shown as waiting.

use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::campaign::Status;
use anze_domain::notify::backoff;
use anze_domain::time::local_date;
use anze_store::entity::{notification, outbox, reminder};
use anze_store::repo::notify as repo;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{Set, TransactionTrait};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub use crate::context::DEFAULT_REMINDER_DAYS;
/// Misses older than this are not announced (a campaign loaded late).
pub const MISS_LOOKBACK_DAYS: i64 = 30;
/// Notice kinds.
pub const DUE_SOON: &str = "campaign.due_soon";
pub const MISSED: &str = "campaign.missed";
/// How long a dispatcher holds a claimed row.
const CLAIM_SECS: i64 = 300;
/// Rows tried per dispatcher run.
const BATCH: u64 = 50;

pub use crate::context::{NotifySettings, SmtpSettings};

// ----- reminders -----------------------------------------------------------------------------

/// What one run of the reminders did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ReminderRun {
    pub campaigns: usize,
    pub due_soon: usize,
    pub missed: usize,
    /// Notices issued (one per unit and kind).
    pub notices: usize,
}

/// One reminder in a notice's params.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ReminderItem {
    pub campaign: String,
    pub obligation: String,
    pub words: String,
    pub period: String,
    pub due: NaiveDate,
    pub missing: f64,
}

/// Today's reminders for every campaign running (see the module comment).
#[tracing::instrument(level = "debug", skip(ctx))]
pub async fn run_reminders(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<ReminderRun> {
    let today = local_date(now);
    let window = ctx.settings.notify.reminder_days.max(0);
    let rows = anze_store::repo::campaign::campaigns(&ctx.db.read, &ctx.tenant).await?;
    let newest = |r: &&anze_store::repo::campaign::CampaignRow| !rows.iter().any(|o| o.code == r.code && o.version > r.version);
    let live: Vec<_> = rows
        .iter()
        .filter(newest)
        .filter(|r| r.start_date <= today + Duration::days(window) && today <= r.end_date + Duration::days(92 + MISS_LOOKBACK_DAYS))
        .collect();
    let mut run = ReminderRun { campaigns: live.len(), ..Default::default() };
    // (unit, notice kind) → (reminder rows, items)
    type Pending = (Vec<reminder::ActiveModel>, Vec<ReminderItem>);
    let mut pending: BTreeMap<(String, &'static str), Pending> = BTreeMap::new();
    for row in live {
        let c = crate::campaign::parsed(row)?;
        let near = |due: NaiveDate| due >= today - Duration::days(MISS_LOOKBACK_DAYS) && due <= today + Duration::days(window);
        let keep = |o: &anze_domain::campaign::Obligation| o.periods(&c).iter().any(|p| near(p.due));
        let cells = crate::campaign::board::all_cells(ctx, &row.id, &c, &keep, today).await?;
        let sent = repo::reminders_sent(&ctx.db.read, &ctx.tenant, &row.code).await?;
        let words: HashMap<&str, &str> = c.obligations.iter().map(|o| (o.code.as_str(), o.words.as_str())).collect();
        for cell in cells {
            let unit = cell.organisation_id.clone();
            for p in &cell.periods {
                if p.exemption.is_some() || p.status == crate::campaign::board::NOT_RECORDED || p.status == Status::Met.as_str() {
                    continue;
                }
                let kind = if p.status == Status::Missed.as_str() && p.due < today && near(p.due) {
                    "missed"
                } else if p.due >= today && p.due <= today + Duration::days(window) && p.start <= today {
                    "due_soon"
                } else {
                    continue;
                };
                let key = (unit.clone(), cell.obligation.clone(), p.label.clone(), kind.to_string());
                if sent.contains(&key) {
                    continue;
                }
                let notice_kind = if kind == "missed" { MISSED } else { DUE_SOON };
                let entry = pending.entry((unit.clone(), notice_kind)).or_default();
                entry.0.push(reminder::ActiveModel {
                    id: Set(anze_domain::ids::new_id().to_string()),
                    tenant_id: Set(ctx.tenant.clone()),
                    organisation_id: Set(unit.clone()),
                    campaign_code: Set(row.code.clone()),
                    obligation_code: Set(cell.obligation.clone()),
                    period_label: Set(p.label.clone()),
                    kind: Set(kind.into()),
                    due_on: Set(p.due),
                    notification_id: Set(String::new()),
                    created_at: Set(now),
                });
                entry.1.push(ReminderItem {
                    campaign: row.title.clone(),
                    obligation: cell.obligation.clone(),
                    words: words.get(cell.obligation.as_str()).map(|w| w.to_string()).unwrap_or_default(),
                    period: p.label.clone(),
                    due: p.due,
                    missing: p.missing,
                });
            }
        }
    }
    let system = Actor::system("reminders");
    for ((unit, kind), (mut rows, items)) in pending {
        let id = anze_domain::ids::new_id().to_string();
        let tx = ctx.db.write.begin().await?;
        let notice = notification::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(ctx.tenant.clone()),
            organisation_id: Set(unit.clone()),
            kind: Set(kind.into()),
            params: Set(serde_json::json!({ "items": items }).to_string()),
            issued_on: Set(today),
            created_at: Set(now),
            read_at: Set(None),
        };
        // A unit told once of this kind today hears of these tomorrow: the reminder rows are
        // only written with the notice that carries them.
        if !anze_store::repo::notification::issue(&tx, notice).await? {
            continue;
        }
        for r in rows.iter_mut() {
            r.notification_id = Set(id.clone());
        }
        let n = rows.len();
        repo::insert_reminders(&tx, rows).await?;
        let obligations: Vec<&str> = items.iter().map(|i| i.obligation.as_str()).collect();
        crate::audit::record(
            &tx,
            ctx,
            &system,
            now,
            crate::audit::Event::new(
                "notification.issue",
                "organisation",
                &unit,
                serde_json::json!({"kind": [null, kind], "obligations": [null, obligations]}),
            ),
        )
        .await?;
        tx.commit().await?;
        run.notices += 1;
        if kind == MISSED {
            run.missed += n;
        } else {
            run.due_soon += n;
        }
    }
    Ok(run)
}

// ----- texts ---------------------------------------------------------------------------------

fn items_of(n: &notification::Model) -> Vec<ReminderItem> {
    serde_json::from_str::<serde_json::Value>(&n.params)
        .ok()
        .and_then(|v| v.get("items").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn kind_zh(kind: &str) -> &'static str {
    match kind {
        DUE_SOON => "任务即将到期 (due soon)",
        MISSED => "任务已逾期未完成 (missed)",
        crate::coverage::STALE_NOTICE => "有人员未签署现行责任清单 (unsigned duty lists)",
        crate::hazard::ESCALATION_NOTICE => "隐患逾期未整改 (overdue hazards)",
        _ => "通知 (notice)",
    }
}

fn short(words: &str) -> String {
    let w: String = words.chars().take(40).collect();
    if w.chars().count() < words.chars().count() { format!("{w}…") } else { w }
}

/// The lines describing one notice, Chinese first.
fn notice_lines(n: &notification::Model, unit: &str) -> Vec<String> {
    let mut out = vec![format!("【{unit}】{}", kind_zh(&n.kind))];
    for i in items_of(n) {
        out.push(format!("  · {}（{}）期间 {}，截止 {}，尚缺 {}", short(&i.words), i.obligation, i.period, i.due, i.missing));
    }
    out
}

// ----- the outbox ----------------------------------------------------------------------------

fn queued(
    ctx: &Ctx,
    channel: &str,
    recipient: &str,
    subject: String,
    body: String,
    key: String,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        id: Set(anze_domain::ids::new_id().to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        channel: Set(channel.into()),
        recipient: Set(recipient.into()),
        subject: Set(subject),
        body: Set(body),
        dedupe_key: Set(key),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        delivered_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
    }
}

/// What the day's enqueueing did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct EnqueueRun {
    pub reminder_emails: usize,
    pub webhooks: usize,
    pub digests: usize,
}

/// Puts today's notices in the outbox: reminders by e-mail to the users of the unit, every
/// notice as a webhook when configured, and one digest per user (none when nothing is new).
/// Idempotent: every row has a dedupe key.
#[tracing::instrument(level = "debug", skip(ctx))]
pub async fn enqueue_today(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<EnqueueRun> {
    let today = local_date(now);
    let cfg = &ctx.settings.notify;
    let notices = repo::notices_issued_on(&ctx.db.read, &ctx.tenant, today).await?;
    let mut run = EnqueueRun::default();
    if notices.is_empty() {
        return Ok(run);
    }
    let units: Vec<String> = notices.iter().map(|n| n.organisation_id.clone()).collect();
    let names: HashMap<String, String> = anze_store::repo::org::names(&ctx.db.read, &units).await?.into_iter().collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let users = repo::users_with_email(&ctx.db.read, &ctx.tenant).await?;
    let db = &ctx.db.write;
    for n in &notices {
        if let Some(url) = cfg.webhook_url.as_deref().filter(|u| !u.trim().is_empty()) {
            let key = format!("webhook:{}", n.id);
            let params: serde_json::Value = serde_json::from_str(&n.params).unwrap_or(serde_json::Value::Null);
            let body = serde_json::json!({
                "id": n.id, "kind": n.kind, "organisation_id": n.organisation_id, "organisation": name(&n.organisation_id),
                "issued_on": n.issued_on, "params": params, "idempotency_key": key,
            });
            if repo::enqueue(db, queued(ctx, "webhook", url.trim(), n.kind.clone(), body.to_string(), key, now)).await? {
                run.webhooks += 1;
            }
        }
        if n.kind == DUE_SOON || n.kind == MISSED {
            for (u, _) in users.iter().filter(|(_, us)| us.contains(&n.organisation_id)) {
                let Some(to) = u.email.as_deref() else { continue };
                let subject = format!("【安责】{}：{} ({})", name(&n.organisation_id), kind_zh(&n.kind), n.issued_on);
                let body = notice_lines(n, &name(&n.organisation_id)).join("\n");
                let key = format!("notice:{}:{}", n.id, u.id);
                if repo::enqueue(db, queued(ctx, "email", to, subject, body, key, now)).await? {
                    run.reminder_emails += 1;
                }
            }
        }
    }
    for (u, us) in &users {
        let Some(to) = u.email.as_deref() else { continue };
        let mine: Vec<&notification::Model> = notices.iter().filter(|n| us.contains(&n.organisation_id)).collect();
        if mine.is_empty() {
            continue;
        }
        let subject = format!("【安责】每日提醒 {today}：{} 条新通知 (daily digest)", mine.len());
        let mut body =
            vec![format!("{}，您好：今天有 {} 条新通知。(Today's new notices of your units.)", u.display_name, mine.len()), String::new()];
        for n in &mine {
            body.extend(notice_lines(n, &name(&n.organisation_id)));
        }
        let key = format!("digest:{}:{today}", u.id);
        if repo::enqueue(db, queued(ctx, "email", to, subject, body.join("\n"), key, now)).await? {
            run.digests += 1;
        }
    }
    Ok(run)
}

/// The daily part of notifying: reminders, then the outbox for today's notices (run after the
/// other daily jobs, so their notices are in the digest).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run_daily(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<(ReminderRun, EnqueueRun)> {
    let r = run_reminders(ctx, now).await?;
    let e = enqueue_today(ctx, now).await?;
    Ok((r, e))
}

// ----- the dispatcher ------------------------------------------------------------------------

/// What one dispatcher run did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct DispatchRun {
    pub delivered: usize,
    pub failed: usize,
}

async fn send_email(smtp: &SmtpSettings, row: &repo::OutboxRow) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let from = smtp.from.parse().map_err(|e| format!("smtp_from: {e}"))?;
    let to = row.recipient.parse().map_err(|e| format!("recipient: {e}"))?;
    let msg = Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(row.body.clone())
        .map_err(|e| e.to_string())?;
    let mut b = if smtp.starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(|e| e.to_string())?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
    };
    b = b.port(smtp.port).timeout(Some(std::time::Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
        b = b.credentials(Credentials::new(u.clone(), p.clone()));
    }
    b.build().send(msg).await.map(|_| ()).map_err(|e| e.to_string())
}

async fn send_webhook(client: &reqwest::Client, row: &repo::OutboxRow) -> Result<(), String> {
    let r = client
        .post(&row.recipient)
        .header("Idempotency-Key", &row.dedupe_key)
        .header("Content-Type", "application/json")
        .body(row.body.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status().is_success() { Ok(()) } else { Err(format!("HTTP {}", r.status().as_u16())) }
}

/// Tries every due row of the configured channels once: claim (one replica wins), send, mark
/// delivered or schedule the next attempt. E-mail rows wait while SMTP is not configured.
#[tracing::instrument(level = "debug", skip(ctx))]
pub async fn dispatch(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<DispatchRun> {
    let cfg = &ctx.settings.notify;
    let mut channels = vec!["webhook"];
    if cfg.smtp.is_some() {
        channels.push("email");
    }
    let rows = repo::due(&ctx.db.read, &channels, now, BATCH).await?;
    let mut run = DispatchRun::default();
    if rows.is_empty() {
        return Ok(run);
    }
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .map_err(|e| ServiceError::Internal(format!("http client: {e}")))?;
    for row in rows {
        if !repo::claim(&ctx.db.write, &row.id, now, now + Duration::seconds(CLAIM_SECS)).await? {
            continue;
        }
        let result = match (row.channel.as_str(), &cfg.smtp) {
            ("email", Some(smtp)) => send_email(smtp, &row).await,
            ("webhook", _) => send_webhook(&client, &row).await,
            _ => Err("channel not configured".into()),
        };
        let attempts = row.attempts.saturating_add(1);
        match result {
            Ok(()) => {
                repo::mark_delivered(&ctx.db.write, &row.id, attempts, Utc::now()).await?;
                run.delivered += 1;
            }
            Err(e) => {
                let next = now + backoff(u32::try_from(attempts).unwrap_or(u32::MAX));
                let e: String = e.chars().take(500).collect();
                tracing::warn!(id = %row.id, channel = %row.channel, attempts, error = %e, "outbox delivery failed");
                repo::mark_failed(&ctx.db.write, &row.id, attempts, next, &e).await?;
                run.failed += 1;
            }
        }
    }
    Ok(run)
}

/// An outbox row as listed by `anze outbox`.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxView {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    /// `delivered`, `queued`, `retrying` or `waiting_for_smtp`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// The outbox, newest first (`pending`: undelivered only).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn outbox(ctx: &Ctx, pending: bool, limit: u64) -> ServiceResult<Vec<OutboxView>> {
    let smtp = ctx.settings.notify.smtp.is_some();
    Ok(repo::list(&ctx.db.read, &ctx.tenant, pending, limit)
        .await?
        .into_iter()
        .map(|r| OutboxView {
            status: if r.delivered_at.is_some() {
                "delivered"
            } else if r.channel == "email" && !smtp {
                "waiting_for_smtp"
            } else if r.attempts > 0 {
                "retrying"
            } else {
                "queued"
            }
            .into(),
            id: r.id,
            channel: r.channel,
            recipient: r.recipient,
            subject: r.subject,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            delivered_at: r.delivered_at,
            last_error: r.last_error,
        })
        .collect())
}

/// Makes every undelivered row due now; returns how many.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn retry_now(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<u64> {
    Ok(repo::retry_now(&ctx.db.write, &ctx.tenant, now).await?)
}

// ----- the user's notices --------------------------------------------------------------------

/// A notice as the user sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub id: String,
    pub organisation_id: String,
    pub organisation: String,
    /// `campaign.due_soon`, `campaign.missed`, `duty.stale`, `hazard.escalation` …
    pub kind: String,
    /// The notice's parameters (JSON).
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    pub issued_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// The lines of the notice, in Chinese with English in brackets.
    pub lines: Vec<String>,
}

fn units_of(actor: &Actor) -> Vec<String> {
    let mut v: Vec<String> = actor.assignments.iter().filter_map(|a| a.organisation_id.map(|o| o.to_string())).collect();
    v.sort();
    v.dedup();
    v
}

/// The latest notices of the units the signed-in user acts for, newest first.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn my_notices(ctx: &Ctx, actor: &Actor, limit: u64) -> ServiceResult<Vec<NoticeView>> {
    let units = units_of(actor);
    let rows = repo::notices_of(&ctx.db.read, &ctx.tenant, &units, limit).await?;
    let names: HashMap<String, String> = anze_store::repo::org::names(&ctx.db.read, &units).await?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|n| {
            let organisation = names.get(&n.organisation_id).cloned().unwrap_or_default();
            NoticeView {
                lines: notice_lines(&n, &organisation),
                params: serde_json::from_str(&n.params).unwrap_or(serde_json::Value::Null),
                id: n.id,
                organisation_id: n.organisation_id,
                organisation,
                kind: n.kind,
                issued_on: n.issued_on,
                created_at: n.created_at,
                read_at: n.read_at,
            }
        })
        .collect())
}

/// How many notices of the user's units are unread (the badge in the page header); no query
/// for a user who acts for no unit.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn unread(ctx: &Ctx, actor: &Actor) -> ServiceResult<u64> {
    let units = units_of(actor);
    if units.is_empty() {
        return Ok(0);
    }
    Ok(repo::unread_count(&ctx.db.read, &ctx.tenant, &units).await?)
}

/// Marks one notice of the user's units read; another unit's notice is `NotFound`.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn mark_read(ctx: &Ctx, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> ServiceResult<()> {
    let n = repo::notice(&ctx.db.read, &ctx.tenant, &id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    if !units_of(actor).contains(&n.organisation_id) {
        return Err(ServiceError::NotFound);
    }
    let tx = ctx.db.write.begin().await?;
    if repo::mark_read(&tx, &n.id, now).await? {
        crate::audit::record(
            &tx,
            ctx,
            actor,
            now,
            crate::audit::Event::new("notification.read", "notification", &n.id, serde_json::json!({"read": [false, true]})),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
