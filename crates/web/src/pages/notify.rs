//! `/notifications`: the notices of the units the signed-in user acts for, newest first,
//! unread marked, each with a button to mark it read (issue 5).

use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Path};
use crate::i18n::Lang;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

pub struct ItemRow {
    pub words: String,
    pub period: String,
    pub due: String,
    pub missing: String,
}

pub struct NoticeRow {
    pub id: String,
    pub unit: String,
    pub kind: String,
    pub kind_code: String,
    pub issued_on: String,
    pub unread: bool,
    pub items: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    unread: usize,
    rows: Vec<NoticeRow>,
}

fn kind_label(lang: Lang, kind: &str) -> String {
    match kind {
        "campaign.due_soon" | "campaign.missed" | "duty.stale" | "hazard.escalation" => {
            lang.t(&format!("notice-kind-{}", kind.replace('.', "-")))
        }
        _ => lang.t("notice-kind-other"),
    }
}

pub async fn list(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    let lang = u.lang;
    let notices = anze_service::notify::my_notices(&s.ctx, &u.actor, 200).await?;
    let rows: Vec<NoticeRow> = notices
        .into_iter()
        .map(|n| {
            let items = n
                .params
                .get("items")
                .cloned()
                .and_then(|v| serde_json::from_value::<Vec<anze_service::notify::ReminderItem>>(v).ok())
                .unwrap_or_default()
                .into_iter()
                .map(|i| ItemRow { words: i.words, period: i.period, due: i.due.to_string(), missing: format!("{}", i.missing) })
                .collect();
            NoticeRow {
                kind: kind_label(lang, &n.kind),
                kind_code: n.kind.replace('.', "-"),
                id: n.id,
                unit: n.organisation,
                issued_on: n.issued_on.to_string(),
                unread: n.read_at.is_none(),
                items,
            }
        })
        .collect();
    let unread = rows.iter().filter(|r| r.unread).count();
    Ok(html(&ListPage { lang, user: UserBar::of(&u), csrf: u.csrf_token.clone(), unread, rows }).into_response())
}

pub async fn mark_read(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    anze_service::notify::mark_read(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok(Redirect::to("/notifications").into_response())
}
