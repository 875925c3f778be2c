//! The "1+N" e-ledger: one enterprise's ledgers with their marks, and the city's (or a
//! township's) count of established ledgers against the 30 April deadline.

use super::common::tier_label;
use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Path};
use crate::i18n::Lang;
use anze_service::ledger::LedgerRow;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

pub struct EntryRow {
    pub kind: String,
    pub mark: String,
    pub mark_code: String,
    pub missing: String,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct EnterprisePage {
    lang: Lang,
    user: Option<UserBar>,
    id: String,
    name: String,
    score: String,
    established: bool,
    entries: Vec<EntryRow>,
}

/// What a missing code means on screen: a field of the base record, a tier, or a word.
fn missing_label(lang: Lang, code: &str) -> String {
    match code {
        "staff" | "signatures" => lang.t(&format!("ledger-missing-{code}")),
        c if anze_domain::org::PostTier::parse(c).is_some() => format!("{}（{}）", tier_label(lang, c), lang.t("ledger-missing-list")),
        c => lang.t(&format!("field-{c}")),
    }
}

pub async fn enterprise(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let lang = u.lang;
    let l = anze_service::ledger::of_enterprise(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    let complete = l.entries.iter().filter(|e| e.mark == "complete").count();
    let score = lang.t_args(
        "ledger-score",
        &[
            ("percent", format!("{:.1}", l.score_permille as f64 / 10.0)),
            ("complete", complete.to_string()),
            ("all", l.entries.len().to_string()),
        ],
    );
    let entries = l
        .entries
        .iter()
        .map(|e| EntryRow {
            kind: lang.t(&format!("ledger-kind-{}", e.kind)),
            mark: lang.t(&format!("ledger-mark-{}", e.mark)),
            mark_code: e.mark.clone(),
            missing: e.missing.iter().map(|m| missing_label(lang, m)).collect::<Vec<_>>().join("、"),
        })
        .collect();
    let page =
        EnterprisePage { lang, user: UserBar::of(&u), id: l.organisation_id, name: l.name, score, established: l.established, entries };
    Ok(html(&page).into_response())
}

pub struct CountRow {
    pub name: String,
    pub total: u64,
    pub base: u64,
    pub duty: u64,
    pub established: u64,
    pub share: String,
    pub status: String,
    pub status_code: String,
}

fn status_label(lang: Lang, r: &LedgerRow) -> String {
    lang.t_args(&format!("ledger-deadline-{}", r.status), &[("days", r.days.to_string())])
}

fn count_row(lang: Lang, r: &LedgerRow) -> CountRow {
    CountRow {
        name: if r.name.is_empty() { lang.t("ledgers-total") } else { r.name.clone() },
        total: r.total,
        base: r.base_complete,
        duty: r.duty_complete,
        established: r.established,
        share: format!("{:.1}%", r.permille as f64 / 10.0),
        status: status_label(lang, r),
        status_code: r.status.clone(),
    }
}

#[derive(Template)]
#[template(path = "ledgers.html")]
struct CityPage {
    lang: Lang,
    user: Option<UserBar>,
    deadline: String,
    status: String,
    status_code: String,
    total: CountRow,
    townships: Vec<CountRow>,
    classes: Vec<CountRow>,
}

pub async fn city(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    let lang = u.lang;
    let c = anze_service::ledger::city(&s.ctx, &u.actor, chrono::Utc::now()).await?;
    let page = CityPage {
        lang,
        user: UserBar::of(&u),
        deadline: lang.t_args("ledgers-deadline", &[("date", c.deadline.to_string())]),
        status: status_label(lang, &c.total),
        status_code: c.total.status.clone(),
        total: count_row(lang, &c.total),
        townships: c.townships.iter().map(|r| count_row(lang, r)).collect(),
        classes: c.classes.iter().map(|r| count_row(lang, r)).collect(),
    };
    Ok(html(&page).into_response())
}
