//! Coverage across units: the rollup by township or industry (with the city total), the
//! enterprises behind a row, and government lists against the 31 March deadline.

use super::enterprises::industry_name;
use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::CurrentUser;
use crate::i18n::Lang;
use anze_domain::org::{INDUSTRIES, RegionLevel};
use anze_service::ServiceError;
use anze_service::coverage::GroupBy;
use anze_service::coverage::{CoverageQuery, RollupLine};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A rollup line as shown: the group's name and the link that drills into it.
pub struct Line {
    pub name: String,
    pub href: String,
    pub enterprises: u64,
    pub complete: u64,
    pub with_missing_lists: u64,
    pub people: u64,
    pub covered: u64,
    pub stale: u64,
    pub percent: String,
}

fn percent(permille: u64) -> String {
    format!("{:.1}%", permille as f64 / 10.0)
}

fn shown(l: &RollupLine, name: String, href: String) -> Line {
    Line {
        name,
        href,
        enterprises: l.enterprises,
        complete: l.complete,
        with_missing_lists: l.with_missing_lists,
        people: l.people,
        covered: l.covered,
        stale: l.stale,
        percent: percent(l.permille),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct RollupParams {
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    township: Option<String>,
    #[serde(default)]
    industry: Option<String>,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct RollupPage {
    lang: Lang,
    user: Option<UserBar>,
    by: String,
    township: String,
    industry: String,
    townships: Vec<(String, String)>,
    industries: Vec<(String, String)>,
    message: Option<String>,
    total: Option<Line>,
    lines: Vec<Line>,
}

fn query_of(township: Option<&str>, industry: Option<&str>) -> String {
    let mut parts = vec![];
    if let Some(t) = township.filter(|t| !t.is_empty()) {
        parts.push(format!("township={t}"));
    }
    if let Some(i) = industry.filter(|i| !i.is_empty()) {
        parts.push(format!("industry={i}"));
    }
    parts.join("&")
}

/// `/coverage`: the rollup, by township (default) or by industry.
pub async fn rollup(State(s): State<AppState>, u: CurrentUser, Query(p): Query<RollupParams>) -> WebResult<Response> {
    let lang = u.lang;
    let by = if p.by.as_deref() == Some("industry") { GroupBy::Industry } else { GroupBy::Township };
    let q = CoverageQuery { township: p.township.clone(), industry: p.industry.clone() };
    let townships = anze_service::org::regions_of_level(&s.ctx, RegionLevel::Township).await?;
    let (total, lines, message, status) = match anze_service::coverage::rollup(&s.ctx, &u.actor, &q, by).await {
        Ok(r) => {
            let lines = r
                .lines
                .iter()
                .map(|l| {
                    let key = l.key.clone().unwrap_or_default();
                    let (name, href) = match by {
                        GroupBy::Township => (
                            l.name.clone().unwrap_or_else(|| lang.t("coverage-no-township")),
                            format!("/coverage/enterprises?{}", query_of(Some(&key), p.industry.as_deref())),
                        ),
                        GroupBy::Industry => (
                            format!("{key} {}", industry_name(lang, &key)),
                            format!("/coverage/enterprises?{}", query_of(p.township.as_deref(), Some(&key))),
                        ),
                    };
                    shown(l, name, href)
                })
                .collect();
            let all = format!("/coverage/enterprises?{}", query_of(p.township.as_deref(), p.industry.as_deref()));
            (Some(shown(&r.total, lang.t("coverage-total"), all)), lines, None, StatusCode::OK)
        }
        Err(ServiceError::Invalid(f)) => (None, vec![], Some(super::common::field_sentence(lang, &f)), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e.into()),
    };
    let page = RollupPage {
        lang,
        user: UserBar::of(&u),
        by: if by == GroupBy::Industry { "industry" } else { "township" }.into(),
        township: p.township.unwrap_or_default(),
        industry: p.industry.unwrap_or_default(),
        townships: townships.into_iter().map(|r| (r.code, r.name)).collect(),
        industries: INDUSTRIES.iter().map(|i| (i.code.to_string(), industry_name(lang, i.code))).collect(),
        message,
        total,
        lines,
    };
    Ok((status, html(&page)).into_response())
}

pub struct EnterpriseLine {
    pub id: String,
    pub name: String,
    pub township: String,
    pub industry: String,
    pub people: i32,
    pub covered: i32,
    pub stale: i32,
    pub missing_lists: i32,
    pub percent: String,
}

#[derive(Template)]
#[template(path = "coverage_enterprises.html")]
struct EnterprisesPage {
    lang: Lang,
    user: Option<UserBar>,
    back: String,
    message: Option<String>,
    rows: Vec<EnterpriseLine>,
    help: String,
}

/// The most enterprises a drill-down lists (those with most people not covered first).
const DRILL_LIMIT: u64 = 500;

/// `/coverage/enterprises`: the enterprises behind a rollup row; each links to its page,
/// which names the people not covered.
pub async fn enterprises(State(s): State<AppState>, u: CurrentUser, Query(p): Query<RollupParams>) -> WebResult<Response> {
    let lang = u.lang;
    let q = CoverageQuery { township: p.township.clone(), industry: p.industry.clone() };
    let townships = anze_service::org::regions_of_level(&s.ctx, RegionLevel::Township).await?;
    let names: std::collections::HashMap<String, String> = townships.into_iter().map(|r| (r.code, r.name)).collect();
    let (rows, message, status) = match anze_service::coverage::drill_down(&s.ctx, &u.actor, &q, DRILL_LIMIT).await {
        Ok(rows) => (
            rows.into_iter()
                .map(|r| EnterpriseLine {
                    township: r.township_code.as_ref().and_then(|t| names.get(t)).cloned().unwrap_or_default(),
                    industry: r.industry_code.as_deref().map(|c| industry_name(lang, c)).unwrap_or_default(),
                    percent: percent(anze_domain::duty::coverage_permille(r.covered.max(0) as u64, r.people.max(0) as u64)),
                    id: r.id,
                    name: r.name,
                    people: r.people,
                    covered: r.covered,
                    stale: r.stale,
                    missing_lists: r.missing_lists,
                })
                .collect(),
            None,
            StatusCode::OK,
        ),
        Err(ServiceError::Invalid(f)) => (vec![], Some(super::common::field_sentence(lang, &f)), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e.into()),
    };
    let back = format!("/coverage?{}", query_of(p.township.as_deref(), p.industry.as_deref()));
    Ok((
        status,
        html(&EnterprisesPage {
            lang,
            user: UserBar::of(&u),
            back,
            message,
            rows,
            help: lang.t_args("coverage-enterprises-help", &[("limit", DRILL_LIMIT.to_string())]),
        }),
    )
        .into_response())
}

pub struct GovernmentLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Per deadline tier: the state's code, its label, and the date published.
    pub tiers: Vec<(String, String, String)>,
    pub coverage: String,
}

#[derive(Template)]
#[template(path = "coverage_government.html")]
struct GovernmentPage {
    lang: Lang,
    user: Option<UserBar>,
    help: String,
    summary: String,
    headers: Vec<String>,
    rows: Vec<GovernmentLine>,
}

/// `/coverage/government`: each government body's leader lists and section task division
/// against 31 March.
pub async fn government(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    let lang = u.lang;
    let (deadline, bodies) = anze_service::coverage::government_deadlines(&s.ctx, &u.actor, chrono::Utc::now()).await?;
    let total = bodies.len();
    let met = bodies.iter().filter(|b| b.tiers.iter().all(|t| t.1 == anze_domain::duty::DeadlineState::Met)).count();
    let rows = bodies
        .into_iter()
        .map(|b| GovernmentLine {
            kind: lang.t(&format!("kind-{}", b.kind)),
            tiers: b
                .tiers
                .iter()
                .map(|(_, st, on)| {
                    (st.as_str().to_string(), lang.t(&format!("deadline-{}", st.as_str())), on.map(|d| d.to_string()).unwrap_or_default())
                })
                .collect(),
            coverage: format!("{} / {}", b.covered, b.people),
            id: b.organisation_id,
            name: b.name,
        })
        .collect();
    let headers = anze_domain::duty::DEADLINE_TIERS.iter().map(|t| super::common::tier_label(lang, t)).collect();
    Ok(html(&GovernmentPage {
        lang,
        user: UserBar::of(&u),
        help: lang.t_args("coverage-government-help", &[("deadline", deadline.to_string())]),
        summary: lang.t_args("coverage-government-met", &[("met", met.to_string()), ("total", total.to_string())]),
        headers,
        rows,
    })
    .into_response())
}
