//! Grid work (网格员, issue 4): patrols with the problems they found, publicity events, and
//! the per-worker yearly figures (sortable, exportable to .xlsx) from which the outstanding
//! grid workers are chosen. The forms are single-column for a phone.

use super::common::{field_sentence, read_form_with_photos, today};
use super::{UserBar, html};
use crate::AppState;
use crate::api::grid_year_of;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Path};
use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_domain::hazard::{Category, Grade};
use anze_domain::patrol::PublicityKind;
use anze_service::ServiceError;
use anze_service::patrol::{GridQuery, NewPatrol, NewPublicity, PatrolDetail, ProblemForm, WorkerFigures};
use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

const PAGE: u64 = 50;
/// Problem rows on the patrol form (the API takes any number up to the limit).
const PROBLEM_ROWS: usize = 3;

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

fn errors_of(lang: Lang, errors: &[FieldError]) -> Vec<(String, String)> {
    errors.iter().map(|e| (e.field.to_string(), lang.error(e.code, e.detail.as_deref()))).collect()
}

async fn townships(s: &AppState) -> WebResult<Vec<(String, String)>> {
    Ok(anze_service::org::regions_of_level(&s.ctx, anze_domain::org::RegionLevel::Township)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect())
}

fn query_string(q: &GridQuery) -> String {
    [("worker", &q.worker), ("township", &q.township), ("month", &q.month)]
        .iter()
        .filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", crate::extract::urlencode(v))))
        .collect::<Vec<_>>()
        .join("&")
}

pub struct PatrolRow {
    pub id: String,
    pub day: String,
    pub time: String,
    pub worker_id: String,
    pub worker: String,
    pub place: String,
    pub notes: String,
    pub problems: i32,
}

#[derive(Template)]
#[template(path = "patrols.html")]
struct PatrolsPage {
    lang: Lang,
    user: Option<UserBar>,
    q: GridQuery,
    townships: Vec<(String, String)>,
    rows: Vec<PatrolRow>,
    next: Option<String>,
    query: String,
    errors: Option<String>,
    can_record: bool,
}

/// The patrols in the user's scope, newest first; filters: worker, township, month.
pub async fn patrols(State(s): State<AppState>, u: CurrentUser, Query(q): Query<GridQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let (rows, next, errors) = match anze_service::patrol::list(&s.ctx, &u.actor, &q, PAGE).await {
        Ok((rows, next)) => (rows, next, None),
        Err(ServiceError::Invalid(f)) => (vec![], None, Some(field_sentence(lang, &f))),
        Err(e) => return Err(e.into()),
    };
    let page = PatrolsPage {
        lang,
        user: UserBar::of(&u),
        townships: townships(&s).await?,
        rows: rows
            .into_iter()
            .map(|p| PatrolRow {
                day: p.patrol_on.to_string(),
                time: format!("{}–{}", local(p.started_at).get(11..).unwrap_or_default(), local(p.ended_at).get(11..).unwrap_or_default()),
                worker: p.worker_name,
                worker_id: p.worker_id,
                place: p.place,
                notes: p.notes.chars().take(60).collect(),
                problems: p.problem_count,
                id: p.id,
            })
            .collect(),
        next,
        query: query_string(&q),
        q,
        errors,
        can_record: anze_service::patrol::may_record(&u.actor),
    };
    Ok(html(&page).into_response())
}

#[derive(Default)]
pub struct PatrolValues {
    pub started_at: String,
    pub ended_at: String,
    pub region_code: String,
    pub enterprise_id: String,
    pub place: String,
    pub notes: String,
    pub problems: Vec<ProblemForm>,
}

/// The patrol form (its photos aside): the patrol, and `PROBLEM_ROWS` problem rows whose
/// fields end in `_1`, `_2` …
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PatrolFields {
    started_at: String,
    ended_at: String,
    region_code: String,
    enterprise_id: String,
    place: String,
    notes: String,
    /// Every other field: the problem rows are picked out by name.
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, String>,
}

impl PatrolFields {
    fn into_values(mut self) -> PatrolValues {
        let mut take = |name: &str, i: usize| self.rest.remove(&format!("problem_{name}_{i}")).unwrap_or_default();
        let problems = (1..=PROBLEM_ROWS)
            .map(|i| ProblemForm {
                organisation_id: take("organisation_id", i),
                description: take("description", i),
                location: take("location", i),
                grade: take("grade", i),
                category: take("category", i),
                responsible_person: take("responsible_person", i),
                deadline: take("deadline", i),
            })
            .collect();
        PatrolValues {
            started_at: self.started_at,
            ended_at: self.ended_at,
            region_code: self.region_code,
            enterprise_id: self.enterprise_id,
            place: self.place,
            notes: self.notes,
            problems,
        }
    }
}

#[derive(Template)]
#[template(path = "patrol_new.html")]
struct PatrolForm {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    form: PatrolValues,
    enterprises: Vec<(String, String)>,
    grades: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl PatrolForm {
    fn error(&self, field: &str) -> Option<String> {
        let all: Vec<&str> = self.errors.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect();
        (!all.is_empty()).then(|| all.join("；"))
    }
    fn problem_errors(&self) -> Vec<String> {
        let label = |f: &str| self.lang.t(&format!("field-{f}"));
        self.errors.iter().filter(|(f, _)| f.starts_with("problem")).map(|(f, m)| format!("{}：{m}", label(f))).collect()
    }
}

async fn enterprises(s: &AppState, u: &CurrentUser) -> WebResult<Vec<(String, String)>> {
    let q = anze_service::org::ListQuery { kind: Some("enterprise".into()), ..Default::default() };
    let page = anze_service::org::list(&s.ctx, &u.actor, &q, 200).await?;
    Ok(page.items.into_iter().map(|(o, _)| (o.id, o.name)).collect())
}

async fn patrol_form(s: &AppState, u: &CurrentUser, form: PatrolValues, errors: &[FieldError]) -> WebResult<PatrolForm> {
    let lang = u.lang;
    let mut form = form;
    form.problems.resize(PROBLEM_ROWS, ProblemForm::default());
    Ok(PatrolForm {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        form,
        enterprises: enterprises(s, u).await?,
        grades: Grade::ALL.iter().map(|g| (g.as_str().to_string(), lang.t(&format!("hazard-grade-{}", g.as_str())))).collect(),
        categories: Category::ALL.iter().map(|c| (c.as_str().to_string(), lang.t(&format!("hazard-category-{}", c.as_str())))).collect(),
        errors: errors_of(lang, errors),
    })
}

/// The patrol form: start and end default to the last hour.
pub async fn new_patrol(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    if !anze_service::patrol::may_record(&u.actor) {
        return Ok(Redirect::to("/patrols").into_response());
    }
    let now = chrono::Utc::now().with_timezone(&anze_domain::time::shanghai());
    let form = PatrolValues {
        started_at: (now - chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M").to_string(),
        ended_at: now.format("%Y-%m-%dT%H:%M").to_string(),
        ..Default::default()
    };
    Ok(html(&patrol_form(&s, &u, form, &[]).await?).into_response())
}

/// Records a patrol from the form (with photos); bad fields come back named, nothing written.
pub async fn create_patrol(State(s): State<AppState>, u: CurrentUser, req: Request) -> WebResult<Response> {
    let (f, photos) = read_form_with_photos::<PatrolFields>(&s, req).await.map_err(|e| ServiceError::Invalid(vec![e]))?;
    let values = f.into_values();
    let form = NewPatrol {
        started_at: values.started_at.clone(),
        ended_at: values.ended_at.clone(),
        region_code: values.region_code.clone(),
        place: values.place.clone(),
        enterprise_id: values.enterprise_id.clone(),
        notes: values.notes.clone(),
        problems: values.problems.clone(),
        photos,
    };
    match anze_service::patrol::create(&s.ctx, &u.actor, &form, chrono::Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/patrols/{id}?saved=1")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = patrol_form(&s, &u, values, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ProblemRow {
    pub hazard_id: String,
    pub description: String,
    pub grade: String,
    pub state: String,
    pub state_code: String,
}

#[derive(Template)]
#[template(path = "patrol.html")]
struct PatrolPage {
    lang: Lang,
    user: Option<UserBar>,
    d: PatrolDetail,
    started: String,
    ended: String,
    problems: Vec<ProblemRow>,
    saved: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

/// One patrol with the hazards its problems became and its photos; 404 outside the scope.
pub async fn patrol(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<Saved>) -> WebResult<Response> {
    let lang = u.lang;
    let d = anze_service::patrol::detail(&s.ctx, &u.actor, id).await?;
    let page = PatrolPage {
        lang,
        user: UserBar::of(&u),
        started: local(d.patrol.started_at),
        ended: local(d.patrol.ended_at),
        problems: d
            .problems
            .iter()
            .map(|p| ProblemRow {
                hazard_id: p.hazard_id.clone(),
                description: p.description.clone(),
                grade: lang.t(&format!("hazard-grade-{}", p.grade)),
                state: lang.t(&format!("hazard-state-{}", p.state)),
                state_code: p.state.clone(),
            })
            .collect(),
        d,
        saved: q.saved.is_some(),
    };
    Ok(html(&page).into_response())
}

pub struct PublicityRow {
    pub day: String,
    pub worker: String,
    pub place: String,
    pub kind: String,
    pub audience: i64,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "publicity.html")]
struct PublicityPage {
    lang: Lang,
    user: Option<UserBar>,
    q: GridQuery,
    townships: Vec<(String, String)>,
    rows: Vec<PublicityRow>,
    next: Option<String>,
    query: String,
    errors: Option<String>,
    can_record: bool,
    saved: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct PublicityQuery {
    #[serde(flatten)]
    q: GridQuery,
    #[serde(default)]
    saved: Option<String>,
}

/// Publicity events in the user's scope, newest first.
pub async fn publicity(State(s): State<AppState>, u: CurrentUser, Query(pq): Query<PublicityQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let q = pq.q;
    let (rows, next, errors) = match anze_service::patrol::list_publicity(&s.ctx, &u.actor, &q, PAGE).await {
        Ok((rows, next)) => (rows, next, None),
        Err(ServiceError::Invalid(f)) => (vec![], None, Some(field_sentence(lang, &f))),
        Err(e) => return Err(e.into()),
    };
    let page = PublicityPage {
        lang,
        user: UserBar::of(&u),
        townships: townships(&s).await?,
        rows: rows
            .into_iter()
            .map(|p| PublicityRow {
                day: p.held_on.to_string(),
                worker: p.worker_name,
                place: p.place,
                kind: lang.t(&format!("publicity-kind-{}", p.kind)),
                audience: p.audience,
                notes: p.notes.chars().take(60).collect(),
            })
            .collect(),
        next,
        query: query_string(&q),
        q,
        errors,
        can_record: anze_service::patrol::may_record(&u.actor),
        saved: pq.saved.is_some(),
    };
    Ok(html(&page).into_response())
}

/// The publicity form as typed (its photos aside); a refused one comes back filled in.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PublicityValues {
    pub held_on: String,
    pub region_code: String,
    pub place: String,
    pub kind: String,
    pub audience: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "publicity_new.html")]
struct PublicityForm {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    form: PublicityValues,
    kinds: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl PublicityForm {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

fn publicity_form(u: &CurrentUser, form: PublicityValues, errors: &[FieldError]) -> PublicityForm {
    let lang = u.lang;
    PublicityForm {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        form,
        kinds: PublicityKind::ALL.iter().map(|k| (k.as_str().to_string(), lang.t(&format!("publicity-kind-{}", k.as_str())))).collect(),
        errors: errors_of(lang, errors),
    }
}

pub async fn new_publicity(u: CurrentUser) -> WebResult<Response> {
    if !anze_service::patrol::may_record(&u.actor) {
        return Ok(Redirect::to("/publicity").into_response());
    }
    Ok(html(&publicity_form(&u, PublicityValues { held_on: today(), ..Default::default() }, &[])).into_response())
}

/// Records a publicity event from the form (with photos).
pub async fn create_publicity(State(s): State<AppState>, u: CurrentUser, req: Request) -> WebResult<Response> {
    let (values, photos) = read_form_with_photos::<PublicityValues>(&s, req).await.map_err(|e| ServiceError::Invalid(vec![e]))?;
    let form = NewPublicity {
        held_on: values.held_on.clone(),
        region_code: values.region_code.clone(),
        place: values.place.clone(),
        kind: values.kind.clone(),
        audience: values.audience.clone(),
        notes: values.notes.clone(),
        photos,
    };
    match anze_service::patrol::create_publicity(&s.ctx, &u.actor, &form, chrono::Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/publicity?saved=1").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&publicity_form(&u, values, &errors))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "grid_figures.html")]
struct FiguresPage {
    lang: Lang,
    user: Option<UserBar>,
    year: i32,
    sort: String,
    rows: Vec<WorkerFigures>,
    townships: std::collections::HashMap<String, String>,
    columns: Vec<(&'static str, String)>,
}

impl FiguresPage {
    fn township(&self, code: &Option<String>) -> String {
        code.as_ref().map(|c| self.townships.get(c).cloned().unwrap_or_else(|| c.clone())).unwrap_or_default()
    }
}

/// The sortable columns and their headings, in table order.
fn columns(lang: Lang) -> Vec<(&'static str, String)> {
    ["patrols", "days", "enterprises", "problems", "closed", "publicity", "audience"]
        .into_iter()
        .map(|c| (c, lang.t(&format!("grid-figures-{c}"))))
        .collect()
}

fn values(w: &WorkerFigures) -> [i64; 7] {
    [w.patrols, w.days_patrolled, w.enterprises_visited, w.problems_found, w.hazards_closed, w.publicity_events, w.audience]
}

async fn load_figures(s: &AppState, u: &CurrentUser, q: &crate::api::GridFiguresQuery) -> WebResult<(i32, String, Vec<WorkerFigures>)> {
    let year = grid_year_of(q)?;
    let sort = q.sort.clone().unwrap_or_default();
    let rows = anze_service::patrol::figures(&s.ctx, &u.actor, year, &sort).await?;
    Ok((year, if sort.is_empty() { "patrols".into() } else { sort }, rows))
}

/// Per-worker figures of a year, sortable by any column, the basis for naming outstanding
/// grid workers.
pub async fn figures(State(s): State<AppState>, u: CurrentUser, Query(q): Query<crate::api::GridFiguresQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let (year, sort, rows) = load_figures(&s, &u, &q).await?;
    let page = FiguresPage {
        lang,
        user: UserBar::of(&u),
        year,
        sort,
        rows,
        townships: townships(&s).await?.into_iter().collect(),
        columns: columns(lang),
    };
    Ok(html(&page).into_response())
}

/// The same figures as an .xlsx workbook (headings in the user's language).
pub async fn figures_xlsx(State(s): State<AppState>, u: CurrentUser, Query(q): Query<crate::api::GridFiguresQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let (year, _, rows) = load_figures(&s, &u, &q).await?;
    let names: std::collections::HashMap<String, String> = townships(&s).await?.into_iter().collect();
    let mut headers = vec![lang.t("grid-figures-worker"), lang.t("grid-figures-township")];
    headers.extend(columns(lang).into_iter().map(|(_, h)| h));
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|w| {
            let town = w.township_code.as_ref().map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone())).unwrap_or_default();
            let mut row = vec![w.worker_name.clone(), town];
            row.extend(values(w).iter().map(i64::to_string));
            row
        })
        .collect();
    let bytes = anze_service::sheet::write(&year.to_string(), &headers, &table)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"grid-figures-{year}.xlsx\"")),
        ],
        bytes,
    )
        .into_response())
}

impl FiguresPage {
    fn cells(&self, w: &WorkerFigures) -> [i64; 7] {
        values(w)
    }
}
