//! List spot checks (清单抽查): the list with the forms to draw units at random or pick them by
//! hand, and one check's page with the system's figures pre-filled and the result form.

use super::common::risk_options;
use super::enterprises::industry_name;
use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Form, Path};
use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::org::{INDUSTRIES, RegionLevel};
use anze_service::ServiceError;
use anze_service::spot_check::{NewSpotChecks, SpotCheckResult, SpotCheckView};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

pub struct CheckRow {
    pub id: String,
    pub unit: String,
    pub created_at: String,
    pub method: String,
    pub inspector: String,
    pub state: String,
    pub state_code: String,
    pub results: String,
}

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

fn outcome_label(lang: Lang, o: Option<&str>) -> String {
    match o {
        Some(o) => lang.t(&format!("spot-check-{o}")),
        None => String::new(),
    }
}

fn row(lang: Lang, c: SpotCheckView) -> CheckRow {
    let results = [c.covered_ok.as_deref(), c.adjusted_ok.as_deref(), c.fits_ok.as_deref()]
        .iter()
        .map(|o| outcome_label(lang, *o))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    CheckRow {
        id: c.id,
        unit: c.organisation_name,
        created_at: local(c.created_at),
        method: lang.t(&format!("spot-check-method-{}", c.method)),
        inspector: c.inspector_name,
        state: lang.t(&format!("spot-check-state-{}", c.state)),
        state_code: c.state,
        results,
    }
}

#[derive(Template)]
#[template(path = "spot_checks.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    may_inspect: bool,
    flash: Option<String>,
    errors: Vec<String>,
    form: DrawForm,
    townships: Vec<(String, String)>,
    industries: Vec<(String, String)>,
    risks: Vec<(String, String)>,
    rows: Vec<CheckRow>,
    next: Option<String>,
    state: String,
}

/// What the inspector typed, kept when the form comes back with errors.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DrawForm {
    pub region: String,
    pub industry: String,
    pub risk: String,
    pub count: String,
    pub seed: String,
    pub units: String,
    /// `manual` (the units typed) or `random`.
    pub method: String,
}

#[derive(serde::Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    created: Option<u32>,
    #[serde(default)]
    seed: Option<String>,
    #[serde(default)]
    pool: Option<u64>,
}

const PAGE: u64 = 50;

async fn list_page(s: &AppState, u: &CurrentUser, p: &ListParams, form: DrawForm, errors: Vec<String>) -> WebResult<ListPage> {
    let lang = u.lang;
    let checks = anze_service::spot_check::list(&s.ctx, &u.actor, p.state.as_deref(), p.before.as_deref(), PAGE).await?;
    let next = (checks.len() as u64 == PAGE).then(|| checks.last().map(|c| c.id.clone())).flatten();
    let townships = anze_service::org::regions_of_level(&s.ctx, RegionLevel::Township).await?;
    let flash = p.created.map(|n| {
        let made = lang.t_args("spot-check-created", &[("count", n.to_string())]);
        match (&p.seed, p.pool) {
            (Some(seed), Some(pool)) => format!(
                "{made} {}",
                lang.t_args("spot-check-drawn", &[("seed", seed.clone()), ("pool", pool.to_string()), ("count", n.to_string())])
            ),
            _ => made,
        }
    });
    Ok(ListPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        may_inspect: u.actor.can_somewhere(Action::Inspect),
        flash,
        errors,
        form,
        townships: townships.into_iter().map(|r| (r.code, r.name)).collect(),
        industries: INDUSTRIES.iter().map(|i| (i.code.to_string(), industry_name(lang, i.code))).collect(),
        risks: risk_options(lang),
        rows: checks.into_iter().map(|c| row(lang, c)).collect(),
        next,
        state: p.state.clone().unwrap_or_default(),
    })
}

pub async fn list(State(s): State<AppState>, u: CurrentUser, Query(p): Query<ListParams>) -> WebResult<Response> {
    let page = list_page(&s, &u, &p, DrawForm { count: "3".into(), ..Default::default() }, vec![]).await?;
    Ok(html(&page).into_response())
}

fn sentences(lang: Lang, fields: &[FieldError]) -> Vec<String> {
    fields.iter().map(|f| format!("{}：{}", lang.t(&format!("field-{}", f.field)), lang.error(f.code, f.detail.as_deref()))).collect()
}

pub async fn create(State(s): State<AppState>, u: CurrentUser, Form(form): Form<DrawForm>) -> WebResult<Response> {
    let lang = u.lang;
    let method = form.method.clone();
    let some = |v: &str| Some(v.to_string()).filter(|v| !v.trim().is_empty());
    let result = if method == "manual" {
        match anze_service::spot_check::resolve_units(&s.ctx, &u.actor, &form.units).await {
            Ok(ids) => {
                let req = NewSpotChecks { method, organisation_ids: ids, ..Default::default() };
                anze_service::spot_check::create(&s.ctx, &u.actor, &req, chrono::Utc::now()).await
            }
            Err(e) => Err(e),
        }
    } else {
        let req = NewSpotChecks {
            method,
            region: some(&form.region),
            industry: some(&form.industry),
            risk: some(&form.risk),
            // Not a number is the same as out of range: the service names the field.
            count: Some(form.count.trim().parse::<u32>().unwrap_or(0)),
            seed: some(&form.seed),
            ..Default::default()
        };
        anze_service::spot_check::create(&s.ctx, &u.actor, &req, chrono::Utc::now()).await
    };
    match result {
        Ok(c) if c.ids.len() == 1 && c.draw.is_none() => Ok(Redirect::to(&format!("/spot-checks/{}", c.ids[0])).into_response()),
        Ok(c) => {
            let mut to = format!("/spot-checks?created={}", c.ids.len());
            if let Some(d) = &c.draw {
                to.push_str(&format!("&seed={}&pool={}", d.seed, d.pool_size));
            }
            Ok(Redirect::to(&to).into_response())
        }
        Err(ServiceError::Invalid(fields)) => {
            let page = list_page(&s, &u, &ListParams::default(), form, sentences(lang, &fields)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// One of the three points: its label, the system's figure, the suggestion and the result.
pub struct Point {
    pub field: &'static str,
    pub label: String,
    pub figure: String,
    pub suggested: String,
    pub chosen: String,
    pub result: String,
}

#[derive(Template)]
#[template(path = "spot_check.html")]
struct CheckPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    c: SpotCheckView,
    created_at: String,
    recorded_at: String,
    method: String,
    state: String,
    points: Vec<Point>,
    problems: String,
    flash: Option<String>,
    message: Option<String>,
    errors: Vec<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct CheckFlash {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

fn check_page(u: &CurrentUser, c: SpotCheckView, typed: Option<&SpotCheckResult>, flash: CheckFlash, errors: Vec<String>) -> CheckPage {
    let lang = u.lang;
    let figures = [
        lang.t_args(
            "spot-check-fig-covered",
            &[("covered", c.covered.to_string()), ("people", c.people.to_string()), ("missing", c.missing_lists.to_string())],
        ),
        lang.t_args("spot-check-fig-adjusted", &[("stale", c.stale.to_string())]),
        lang.t_args("spot-check-fig-fits", &[("flags", c.fit_flags.to_string())]),
    ];
    let recorded = [c.covered_ok.clone(), c.adjusted_ok.clone(), c.fits_ok.clone()];
    let typed = typed.map(|t| [t.covered_ok.clone(), t.adjusted_ok.clone(), t.fits_ok.clone()]);
    let points = ["covered", "adjusted", "fits"]
        .iter()
        .zip(["covered_ok", "adjusted_ok", "fits_ok"])
        .enumerate()
        .map(|(i, (name, field))| {
            let suggested = c.suggested.get(i).cloned().unwrap_or_default();
            let chosen = match &typed {
                Some(t) => t[i].clone(),
                None => recorded[i].clone().unwrap_or_else(|| suggested.clone()),
            };
            Point {
                field,
                label: lang.t(&format!("spot-check-point-{name}")),
                figure: figures[i].clone(),
                suggested: outcome_label(lang, Some(&suggested)),
                chosen,
                result: outcome_label(lang, recorded[i].as_deref()),
            }
        })
        .collect();
    CheckPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        created_at: local(c.created_at),
        recorded_at: c.recorded_at.map(local).unwrap_or_default(),
        method: lang.t(&format!("spot-check-method-{}", c.method)),
        state: lang.t(&format!("spot-check-state-{}", c.state)),
        problems: String::new(),
        points,
        flash: flash.saved.map(|_| lang.t("spot-check-recorded")),
        message: flash.error.filter(|e| e.starts_with("spot_check.")).map(|e| lang.error(&e, None)),
        errors,
        c,
    }
}

pub async fn show(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Query(flash): Query<CheckFlash>) -> WebResult<Response> {
    let c = anze_service::spot_check::get_check(&s.ctx, &u.actor, id).await?;
    Ok(html(&check_page(&u, c, None, flash, vec![])).into_response())
}

/// The result form has the service's own shape (every field defaults to empty).
pub async fn record(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    Form(input): Form<SpotCheckResult>,
) -> WebResult<Response> {
    let lang = u.lang;
    match anze_service::spot_check::record(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/spot-checks/{id}?saved=1")).into_response()),
        Err(ServiceError::Refused(code)) => Ok(Redirect::to(&format!("/spot-checks/{id}?error={code}")).into_response()),
        Err(ServiceError::Invalid(fields)) => {
            let c = anze_service::spot_check::get_check(&s.ctx, &u.actor, id).await?;
            let mut page = check_page(&u, c, Some(&input), CheckFlash::default(), sentences(lang, &fields));
            page.problems = input.problems.clone();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
