//! Hazards (隐患): the list with filters, the overview by place and kind, the report form,
//! and one hazard's page with its history, photos, governance plan and the next steps this
//! user may take.

use super::common::{field_sentence, read_form_with_photos, today};
use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Form, Language, Path, flag, parse_id};
use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_domain::hazard::{Category, Direction, Grade, HazardState, Origin};
use anze_service::ServiceError;
use anze_service::hazard::Hazard;
use anze_service::hazard::{HazardDetail, ListQuery, NewHazardForm, OverviewRow, PlanForm, TransitionForm};
use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

const PAGE: u64 = 50;

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

fn options(lang: Lang, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes.iter().map(|c| (c.to_string(), lang.t(&format!("{prefix}-{c}")))).collect()
}

fn codes<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| f(*v)).collect()
}

pub struct HazardRow {
    pub id: String,
    pub found_on: String,
    pub description: String,
    pub grade: String,
    pub major: bool,
    pub state: String,
    pub state_code: String,
    pub origin: String,
    pub deadline: String,
    pub overdue: Option<String>,
    pub listed: bool,
}

fn row(lang: Lang, h: Hazard) -> HazardRow {
    let state = HazardState::parse(&h.state).unwrap_or(HazardState::Reported);
    let days = anze_domain::hazard::days_overdue(state, h.deadline, anze_domain::time::local_date(chrono::Utc::now()));
    HazardRow {
        found_on: h.found_on.to_string(),
        description: h.description.chars().take(60).collect(),
        major: h.grade == Grade::Major.as_str(),
        grade: lang.t(&format!("hazard-grade-{}", h.grade)),
        state: lang.t(&format!("hazard-state-{}", h.state)),
        state_code: h.state,
        origin: lang.t(&format!("hazard-origin-{}", h.origin)),
        deadline: h.deadline.map(|d| d.to_string()).unwrap_or_default(),
        overdue: (days > 0).then(|| lang.t_args("hazard-overdue", &[("days", days.to_string())])),
        listed: h.listed,
        id: h.id,
    }
}

#[derive(Template)]
#[template(path = "hazards.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    q: ListQuery,
    states: Vec<(String, String)>,
    grades: Vec<(String, String)>,
    origins: Vec<(String, String)>,
    rows: Vec<HazardRow>,
    next: Option<String>,
    query: String,
    errors: Option<String>,
}

fn query_string(q: &ListQuery) -> String {
    let pairs = [
        ("state", &q.state),
        ("grade", &q.grade),
        ("origin", &q.origin),
        ("category", &q.category),
        ("township", &q.township),
        ("industry", &q.industry),
        ("organisation", &q.organisation),
        ("overdue", &q.overdue),
        ("listed", &q.listed),
    ];
    pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", crate::extract::urlencode(v))))
        .collect::<Vec<_>>()
        .join("&")
}

/// The hazards in the user's scope, newest first, filtered.
pub async fn list(State(s): State<AppState>, u: CurrentUser, Query(q): Query<ListQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let (rows, next, errors) = match anze_service::hazard::list(&s.ctx, &u.actor, &q, PAGE, chrono::Utc::now()).await {
        Ok((rows, next)) => (rows, next, None),
        Err(ServiceError::Invalid(f)) => (vec![], None, Some(field_sentence(lang, &f))),
        Err(e) => return Err(e.into()),
    };
    let page = ListPage {
        lang,
        user: UserBar::of(&u),
        states: options(lang, "hazard-state", &codes(HazardState::ALL, HazardState::as_str)),
        grades: options(lang, "hazard-grade", &codes(Grade::ALL, Grade::as_str)),
        origins: options(lang, "hazard-origin", &codes(Origin::ALL, Origin::as_str)),
        rows: rows.into_iter().map(|h| row(lang, h)).collect(),
        next,
        query: query_string(&q),
        q,
        errors,
    };
    Ok(html(&page).into_response())
}

pub struct OverviewLine {
    pub key: String,
    pub label: String,
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub major: i64,
    pub closed: i64,
    pub closure: String,
    pub mean_days: String,
}

fn line(lang: Lang, by: &str, names: &std::collections::HashMap<String, String>, r: OverviewRow) -> OverviewLine {
    let key = r.key.clone().unwrap_or_default();
    let label = match by {
        "origin" | "grade" | "state" if !key.is_empty() => lang.t(&format!("hazard-{by}-{key}")),
        "industry" if !key.is_empty() => format!("{key} {}", super::enterprises::industry_name(lang, &key)),
        _ => names.get(&key).cloned().unwrap_or_else(|| if key.is_empty() { lang.t("none") } else { key.clone() }),
    };
    OverviewLine {
        key,
        label,
        total: r.total,
        open: r.open,
        overdue: r.overdue,
        major: r.major,
        closed: r.closed,
        closure: format!("{:.1}%", r.closure_permille as f64 / 10.0),
        mean_days: r.mean_days_to_close_tenths.map(|t| format!("{:.1}", t as f64 / 10.0)).unwrap_or_else(|| "—".into()),
    }
}

#[derive(Template)]
#[template(path = "hazards_overview.html")]
struct OverviewPage {
    lang: Lang,
    user: Option<UserBar>,
    by: String,
    group_param: String,
    rows: Vec<OverviewLine>,
    total: OverviewLine,
    /// A note naming the day older overdue figures were counted on, before today's refresh.
    overdue_as_of: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct OverviewQuery {
    #[serde(default)]
    by: Option<String>,
    #[serde(flatten)]
    q: ListQuery,
}

/// Hazards by township, industry, origin, grade or state: counts, open, overdue, closure rate
/// and mean days to close, each line linking to the list it counts.
pub async fn overview(State(s): State<AppState>, u: CurrentUser, Query(o): Query<OverviewQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let by = o.by.clone().unwrap_or_else(|| "township".into());
    let anze_service::hazard::Overview { rows, total, overdue_as_of } =
        anze_service::hazard::overview(&s.ctx, &u.actor, &o.q, &by, chrono::Utc::now()).await?;
    let names: std::collections::HashMap<String, String> = if by == "township" {
        anze_service::org::regions_of_level(&s.ctx, anze_domain::org::RegionLevel::Township)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect()
    } else {
        Default::default()
    };
    let group_param = match by.as_str() {
        "township" => "township",
        "industry" => "industry",
        "origin" => "origin",
        "grade" => "grade",
        _ => "state",
    }
    .to_string();
    let page = OverviewPage {
        lang,
        user: UserBar::of(&u),
        rows: rows.into_iter().map(|r| line(lang, &by, &names, r)).collect(),
        total: line(lang, "", &names, total),
        overdue_as_of: overdue_as_of.map(|d| lang.t_args("hazards-overdue-as-of", &[("date", d.to_string())])),
        by,
        group_param,
    };
    Ok(html(&page).into_response())
}

#[derive(Template)]
#[template(path = "hazard_new.html")]
struct NewPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    organisation_id: String,
    organisation_name: String,
    form: NewHazardForm,
    grades: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    origins: Vec<(String, String)>,
    directions: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl NewPage {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

/// The hazard form as typed (photos aside).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct HazardForm {
    organisation_id: String,
    description: String,
    location: String,
    grade: String,
    category: String,
    origin: String,
    direction: String,
    responsible_person: String,
    found_on: String,
    deadline: String,
    measures: String,
    funds: String,
}

impl HazardForm {
    /// What the service checks, and what a refused page shows again.
    fn into_form(self, organisation_id: Uuid, photos: Vec<Vec<u8>>) -> NewHazardForm {
        NewHazardForm {
            organisation_id: organisation_id.to_string(),
            description: self.description,
            location: self.location,
            grade: self.grade,
            category: self.category,
            origin: self.origin,
            direction: self.direction,
            responsible_person: self.responsible_person,
            found_on: self.found_on,
            deadline: self.deadline,
            measures: self.measures,
            funds: self.funds,
            photos,
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    organisation: Option<String>,
}

async fn new_page(s: &AppState, u: &CurrentUser, org: Uuid, form: NewHazardForm, errors: &[FieldError]) -> WebResult<NewPage> {
    let lang = u.lang;
    let (o, _) = anze_service::scope::organisation(&s.ctx, &u.actor, org).await?;
    Ok(NewPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        organisation_id: o.id,
        organisation_name: o.name,
        form,
        grades: options(lang, "hazard-grade", &codes(Grade::ALL, Grade::as_str)),
        categories: options(lang, "hazard-category", &codes(Category::ALL, Category::as_str)),
        origins: options(lang, "hazard-origin", &codes(Origin::ALL, Origin::as_str)),
        directions: options(lang, "hazard-direction", &codes(Direction::ALL, Direction::as_str)),
        errors: errors.iter().map(|e| (e.field.to_string(), lang.error(e.code, e.detail.as_deref()))).collect(),
    })
}

/// The unit a new hazard is reported at: `?organisation=` or the user's own unit.
fn unit_of(u: &CurrentUser, q: &NewQuery) -> Option<Uuid> {
    q.organisation.as_deref().and_then(|o| parse_id(o).ok()).or_else(|| u.actor.assignments.iter().find_map(|a| a.organisation_id))
}

pub async fn new_form(State(s): State<AppState>, u: CurrentUser, Query(q): Query<NewQuery>) -> WebResult<Response> {
    let Some(org) = unit_of(&u, &q) else { return Ok(Redirect::to("/enterprises").into_response()) };
    let form = NewHazardForm { found_on: today(), direction: Direction::ReportedUp.as_str().into(), ..Default::default() };
    let page = new_page(&s, &u, org, form, &[]).await?;
    Ok(html(&page).into_response())
}

/// Reports a hazard from the form (with photos as found); bad fields come back named.
pub async fn create(State(s): State<AppState>, u: CurrentUser, req: Request) -> WebResult<Response> {
    let (f, photos) = read_form_with_photos::<HazardForm>(&s, req).await.map_err(|e| ServiceError::Invalid(vec![e]))?;
    let org = parse_id(&f.organisation_id)?;
    let form = f.into_form(org, photos);
    match anze_service::hazard::report(&s.ctx, &u.actor, &form, chrono::Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/hazards/{id}?saved=1")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = new_page(&s, &u, org, NewHazardForm { photos: vec![], ..form }, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct EventRow {
    pub at: String,
    pub action: String,
    pub state: String,
    pub note: String,
    pub by: String,
    pub photos: Vec<String>,
}

#[derive(Template)]
#[template(path = "hazard.html")]
struct DetailPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    d: HazardDetail,
    grade: String,
    category: String,
    origin: String,
    direction: String,
    state: String,
    funds: String,
    overdue: Option<String>,
    before_photos: Vec<String>,
    events: Vec<EventRow>,
    actions: Vec<(String, String)>,
    flash: Option<String>,
    error: Option<String>,
}

fn detail_page(u: &CurrentUser, d: HazardDetail, flash: Option<String>, error: Option<String>) -> DetailPage {
    let lang = u.lang;
    let h = &d.hazard;
    let events = d
        .events
        .iter()
        .map(|e| EventRow {
            at: local(e.at),
            action: lang.t(&format!("hazard-transition-{}", e.action)),
            state: lang.t(&format!("hazard-state-{}", e.to_state)),
            note: e.note.clone(),
            by: e.actor_name.clone(),
            photos: d.photos.iter().filter(|p| p.event_id.as_deref() == Some(e.id.as_str())).map(|p| p.photo_id.clone()).collect(),
        })
        .collect();
    DetailPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        grade: lang.t(&format!("hazard-grade-{}", h.grade)),
        category: lang.t(&format!("hazard-category-{}", h.category)),
        origin: lang.t(&format!("hazard-origin-{}", h.origin)),
        direction: lang.t(&format!("hazard-direction-{}", h.direction)),
        state: lang.t(&format!("hazard-state-{}", h.state)),
        funds: h.funds_fen.map(|f| format!("{}.{:02}", f / 100, f % 100)).unwrap_or_default(),
        overdue: (d.days_overdue > 0).then(|| lang.t_args("hazard-overdue", &[("days", d.days_overdue.to_string())])),
        before_photos: d.photos.iter().filter(|p| p.phase == "before").map(|p| p.photo_id.clone()).collect(),
        actions: d.actions.iter().map(|a| (a.to_string(), lang.t(&format!("hazard-transition-{a}")))).collect(),
        events,
        d,
        flash,
        error,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

pub async fn show(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<Saved>) -> WebResult<Response> {
    let lang = u.lang;
    let d = anze_service::hazard::detail(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok(html(&detail_page(&u, d, q.saved.map(|_| lang.t("hazard-saved")), q.error)).into_response())
}

/// Re-renders the hazard page with an error (422) after a refused step.
async fn refused(s: &AppState, u: &CurrentUser, id: Uuid, e: ServiceError) -> WebResult<Response> {
    let lang = u.lang;
    let Some(message) = super::common::refusal(lang, &e) else { return Err(e.into()) };
    let d = anze_service::hazard::detail(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&detail_page(u, d, None, Some(message)))).into_response())
}

/// A step's form (its photos aside).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    action: String,
    note: String,
    reason: String,
    merged_into: String,
    deadline: String,
}

/// One step of the closed loop (the form names it in `action`), with photos of the fix.
pub async fn transition(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, req: Request) -> WebResult<Response> {
    let (f, photos) = match read_form_with_photos::<StepForm>(&s, req).await {
        Ok(x) => x,
        Err(e) => return refused(&s, &u, id, ServiceError::Invalid(vec![e])).await,
    };
    let form =
        TransitionForm { action: f.action, note: f.note, reason: f.reason, merged_into: f.merged_into, deadline: f.deadline, photos };
    match anze_service::hazard::transition(&s.ctx, &u.actor, id, &form, chrono::Utc::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/hazards/{id}?saved=1")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}

/// The governance plan's form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PlanFields {
    aims: String,
    measures: String,
    funds_and_materials: String,
    people: String,
    deadline: String,
    safety_and_emergency_measures: String,
}

pub async fn save_plan(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PlanFields>) -> WebResult<Response> {
    let form = PlanForm {
        aims: f.aims,
        measures: f.measures,
        funds_and_materials: f.funds_and_materials,
        people: f.people,
        deadline: f.deadline,
        safety_and_emergency_measures: f.safety_and_emergency_measures,
    };
    match anze_service::hazard::save_plan(&s.ctx, &u.actor, id, &form, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/hazards/{id}?saved=1")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ListingForm {
    #[serde(deserialize_with = "flag")]
    listed: bool,
}

pub async fn set_listing(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ListingForm>,
) -> WebResult<Response> {
    match anze_service::hazard::set_listed(&s.ctx, &u.actor, id, f.listed, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/hazards/{id}?saved=1")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}

/// Approves a long-overdue major hazard for the public exposure page.
pub async fn approve_exposure(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    match anze_service::hazard::approve_exposure(&s.ctx, &u.actor, id, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/hazards/{id}?saved=1")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}

#[derive(Template)]
#[template(path = "exposure.html")]
struct ExposurePage {
    lang: Lang,
    user: Option<UserBar>,
    rows: Vec<anze_service::hazard::ExposedHazard>,
}

/// The public page of exposed major hazards (公开曝光): no sign-in.
pub async fn public_exposure(State(s): State<AppState>, Language(lang): Language) -> WebResult<Response> {
    let rows = anze_service::hazard::exposed(&s.ctx, chrono::Utc::now()).await?;
    Ok(html(&ExposurePage { lang, user: None, rows }).into_response())
}

/// Grants the reward of a verified employee report.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RewardForm {
    amount: String,
}

pub async fn grant_reward(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<RewardForm>,
) -> WebResult<Response> {
    match anze_service::hazard::grant_reward(&s.ctx, &u.actor, id, &f.amount, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/hazards/{id}?saved=1")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}

/// Records that a granted reward was paid to whoever showed the receipt code.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PayoutForm {
    receipt_code: String,
    note: String,
}

pub async fn record_payout(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<PayoutForm>,
) -> WebResult<Response> {
    match anze_service::hazard::record_payout(&s.ctx, &u.actor, id, &f.receipt_code, &f.note, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/hazards/{id}?saved=1")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}
