//! Inspections (检查): the list with the forms to plan one or to draw targets and inspectors
//! at random (双随机); one inspection's page with its next step and, at the site, the
//! checklist of each target (pass / fail / not applicable, notes, both signatures); a draw's
//! page, run again on every view.

use super::common::field_sentence;
use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Form, Language, Path};
use crate::i18n::Lang;
use anze_domain::auth::Action;
use anze_domain::inspection::InspectionKind;
use anze_service::ServiceError;
use anze_service::inspection::{DrawView, InspectionDetail, ItemInput, NewDraw, NewInspection, VisitRecord};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

pub struct Row {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub theme: String,
    pub dates: String,
    pub lead: String,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    may_inspect: bool,
    kinds: Vec<(String, String)>,
    checklists: Vec<(String, String)>,
    rows: Vec<Row>,
    errors: Option<String>,
}

async fn list_page(s: &AppState, u: &CurrentUser, errors: Option<String>) -> WebResult<ListPage> {
    let lang = u.lang;
    let rows = anze_service::inspection::list(&s.ctx, &u.actor, None, 100).await?;
    let checklists = anze_service::inspection::checklists(&s.ctx).await?;
    Ok(ListPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        may_inspect: u.actor.can_somewhere(Action::Inspect),
        kinds: InspectionKind::ALL.iter().map(|k| (k.as_str().to_string(), lang.t(&format!("inspection-kind-{}", k.as_str())))).collect(),
        checklists: checklists.into_iter().map(|c| (c.code, c.name)).collect(),
        rows: rows
            .into_iter()
            .map(|i| Row {
                kind: lang.t(&format!("inspection-kind-{}", i.kind)),
                state: lang.t(&format!("inspection-state-{}", i.state)),
                theme: i.theme,
                dates: format!("{} ~ {}", i.starts_on, i.ends_on),
                lead: i.lead_name,
                id: i.id,
            })
            .collect(),
        errors,
    })
}

pub async fn list(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    Ok(html(&list_page(&s, &u, None).await?).into_response())
}

async fn refused_list(s: &AppState, u: &CurrentUser, e: ServiceError) -> WebResult<Response> {
    let lang = u.lang;
    let Some(message) = super::common::refusal(lang, &e) else { return Err(e.into()) };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&list_page(s, u, Some(message)).await?)).into_response())
}

/// The planning form: targets and inspectors one per line.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PlanInspectionForm {
    kind: String,
    theme: String,
    starts_on: String,
    ends_on: String,
    targets: String,
    inspectors: String,
    plan_text: String,
    checklist: String,
    draw_id: String,
}

/// Plans an inspection from the form (targets by credit code or id, one per line).
pub async fn create(State(s): State<AppState>, u: CurrentUser, Form(f): Form<PlanInspectionForm>) -> WebResult<Response> {
    let targets = match anze_service::spot_check::resolve_units(&s.ctx, &u.actor, &f.targets).await {
        Ok(t) => t,
        Err(e) => return refused_list(&s, &u, e).await,
    };
    let req = NewInspection {
        kind: f.kind,
        theme: f.theme,
        starts_on: f.starts_on,
        ends_on: f.ends_on,
        targets,
        inspectors: f.inspectors.lines().map(str::to_string).collect(),
        plan_text: f.plan_text,
        checklist: f.checklist,
        draw_id: f.draw_id,
    };
    match anze_service::inspection::create(&s.ctx, &u.actor, &req, chrono::Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/inspections/{id}")).into_response()),
        Err(e) => refused_list(&s, &u, e).await,
    }
}

pub struct ItemRow {
    pub position: usize,
    pub text: String,
}

pub struct TargetView {
    pub organisation_id: String,
    pub name: String,
    pub signed: Option<String>,
    pub results: Vec<ResultRow>,
}

/// One item as recorded: its text, result, note, the hazard it became, its photos.
pub struct ResultRow {
    pub item: String,
    pub result: String,
    pub note: String,
    pub hazard: Option<String>,
    pub photos: Vec<String>,
}

#[derive(Template)]
#[template(path = "inspection.html")]
struct DetailPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    d: InspectionDetail,
    kind: String,
    state: String,
    next: Option<(String, String)>,
    items: Vec<ItemRow>,
    targets: Vec<TargetView>,
    error: Option<String>,
}

fn detail_page(u: &CurrentUser, d: InspectionDetail, error: Option<String>) -> DetailPage {
    let lang = u.lang;
    let items = d
        .checklist
        .as_ref()
        .map(|c| c.items.iter().enumerate().map(|(n, i)| ItemRow { position: n + 1, text: i.text.clone() }).collect())
        .unwrap_or_default();
    let targets = d
        .targets
        .iter()
        .map(|(t, name)| TargetView {
            organisation_id: t.organisation_id.clone(),
            name: name.clone(),
            signed: t.signed_at.map(|_| {
                format!(
                    "{} / {}",
                    t.inspector_signature.clone().unwrap_or_default(),
                    t.representative_signature.clone().unwrap_or_default()
                )
            }),
            results: d
                .results
                .iter()
                .filter(|r| r.target_id == t.id)
                .map(|r| {
                    let photos = d.photos.iter().filter(|p| p.result_id == r.id).map(|p| p.photo_id.clone()).collect();
                    ResultRow {
                        item: r.item_text.clone(),
                        result: lang.t(&format!("inspection-result-{}", r.result)),
                        note: r.note.clone(),
                        hazard: r.hazard_id.clone(),
                        photos,
                    }
                })
                .collect(),
        })
        .collect();
    DetailPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        kind: lang.t(&format!("inspection-kind-{}", d.inspection.kind)),
        state: lang.t(&format!("inspection-state-{}", d.inspection.state)),
        next: d.next.clone().map(|n| (n.clone(), lang.t(&format!("inspection-next-{n}")))),
        items,
        targets,
        d,
        error,
    }
}

pub async fn show(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let d = anze_service::inspection::detail(&s.ctx, &u.actor, id).await?;
    Ok(html(&detail_page(&u, d, None)).into_response())
}

async fn refused(s: &AppState, u: &CurrentUser, id: Uuid, e: ServiceError) -> WebResult<Response> {
    let lang = u.lang;
    let Some(message) = super::common::refusal(lang, &e) else { return Err(e.into()) };
    let d = anze_service::inspection::detail(&s.ctx, &u.actor, id).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&detail_page(u, d, Some(message)))).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StateForm {
    state: String,
}

pub async fn advance(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<StateForm>) -> WebResult<Response> {
    match anze_service::inspection::advance(&s.ctx, &u.actor, id, &f.state, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/inspections/{id}")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}

/// The site form: the target, both signatures, and per checklist item `result_N` and `note_N`
/// (their photos `photo_N` come as files).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct VisitForm {
    target: String,
    inspector_signature: String,
    representative_signature: String,
    /// Every other field: the per-item ones are picked out by name.
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, String>,
}

/// Records one target's visit from the site form: `result_N`, `note_N` and photos `photo_N`
/// per item (multipart, from the phone's camera).
pub async fn visit(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, req: axum::extract::Request) -> WebResult<Response> {
    let (mut f, mut photos) = match super::common::read_form_with_named_photos::<VisitForm>(&s, req).await {
        Ok(x) => x,
        Err(e) => return refused(&s, &u, id, ServiceError::Invalid(vec![e])).await,
    };
    let mut positions: Vec<usize> = f
        .rest
        .keys()
        .filter_map(|k| k.strip_prefix("result_").or_else(|| k.strip_prefix("note_")))
        .filter_map(|n| n.parse().ok())
        .collect();
    positions.sort_unstable();
    positions.dedup();
    let mut take = |k: String| f.rest.remove(&k).unwrap_or_default();
    let results = positions
        .into_iter()
        .map(|n| ItemInput {
            position: n,
            result: take(format!("result_{n}")),
            note: take(format!("note_{n}")),
            photos: photos.remove(&format!("photo_{n}")).unwrap_or_default(),
            ..Default::default()
        })
        .collect();
    let v = VisitRecord {
        target: f.target,
        results,
        inspector_signature: f.inspector_signature,
        representative_signature: f.representative_signature,
    };
    match anze_service::inspection::record_visit(&s.ctx, &u.actor, id, &v, chrono::Utc::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/inspections/{id}")).into_response()),
        Err(e) => refused(&s, &u, id, e).await,
    }
}

#[derive(Template)]
#[template(path = "draw.html")]
struct DrawPage {
    lang: Lang,
    user: Option<UserBar>,
    d: DrawView,
    verify_error: Option<String>,
    /// The public page: no links into the signed-in application.
    public: bool,
}

/// The draw form: filters, how many targets and inspectors, an optional seed.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DrawForm {
    region: String,
    industry: String,
    risk: String,
    n: String,
    m: String,
    seed: String,
}

/// Draws targets and inspectors from the form's filters and published seed.
pub async fn create_draw(State(s): State<AppState>, u: CurrentUser, Form(f): Form<DrawForm>) -> WebResult<Response> {
    // Not a number is the same as absent: the service names the field.
    let number = |v: &str| v.trim().parse::<u32>().ok();
    let req = NewDraw {
        n: number(&f.n),
        m: number(&f.m),
        region: Some(f.region).filter(|v| !v.is_empty()),
        industry: Some(f.industry).filter(|v| !v.is_empty()),
        risk: Some(f.risk).filter(|v| !v.is_empty()),
        seed: Some(f.seed).filter(|v| !v.trim().is_empty()),
    };
    match anze_service::inspection::create_draw(&s.ctx, &u.actor, &req, chrono::Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/draws/{id}")).into_response()),
        Err(e) => refused_list(&s, &u, e).await,
    }
}

/// A draw with its record, run again on every view.
pub async fn show_draw(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let lang = u.lang;
    let d = anze_service::inspection::get_draw(&s.ctx, &u.actor, id).await?;
    let verify_error = d.verify_error.as_deref().map(|c| lang.error(c, None));
    Ok(html(&DrawPage { lang, user: UserBar::of(&u), d, verify_error, public: false }).into_response())
}

/// A draw's result for the public (no sign-in) once its inspections are done; 404 before.
pub async fn public_draw(State(s): State<AppState>, Language(lang): Language, Path(id): Path<Uuid>) -> WebResult<Response> {
    let d = anze_service::inspection::public_draw(&s.ctx, id).await?;
    let verify_error = d.verify_error.as_deref().map(|c| lang.error(c, None));
    Ok(html(&DrawPage { lang, user: None, d, verify_error, public: true }).into_response())
}

/// The inspection report as a Word document (in Chinese, as filed).
pub async fn report_docx(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let r = anze_service::inspection::doc::report(&s.ctx, &u.actor, id).await?;
    let bytes = anze_service::inspection::doc::docx(&r, &|k| Lang::Zh.t(k))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"inspection-report-{id}.docx\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The archive: report, plan, problem list and the photos' originals with their hashes.
pub async fn archive_zip(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let bytes = anze_service::inspection::doc::archive(&s.ctx, &u.actor, id, &|k| Lang::Zh.t(k)).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/zip".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"inspection-archive-{id}.zip\"")),
        ],
        bytes,
    )
        .into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct StatsQuery {
    #[serde(default)]
    year: Option<String>,
}

/// One line of the monthly counts, labelled.
pub struct StatsLine {
    pub unit: String,
    pub kind: String,
    pub months: Vec<u32>,
    pub total: u32,
}

#[derive(Template)]
#[template(path = "inspection_stats.html")]
struct StatsPage {
    lang: Lang,
    user: Option<UserBar>,
    year: i32,
    lines: Vec<StatsLine>,
    /// Per month, then the year, over every line.
    totals: Vec<u32>,
}

/// Inspections led per unit, kind and month of a year (issue 4 item 10).
pub async fn stats(
    State(s): State<AppState>,
    u: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<StatsQuery>,
) -> WebResult<Response> {
    use chrono::Datelike;
    let lang = u.lang;
    let this_year = anze_domain::time::local_date(chrono::Utc::now()).year();
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => this_year,
        Some(y) => {
            y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(|| ServiceError::field("year", "field.invalid"))?
        }
    };
    let counts = anze_service::inspection::monthly_counts(&s.ctx, &u.actor, year).await?;
    let mut totals = vec![0u32; 13];
    let lines = counts
        .into_iter()
        .map(|c| {
            for (t, m) in totals.iter_mut().zip(c.months.iter().chain(std::iter::once(&c.total))) {
                *t += m;
            }
            StatsLine { unit: c.unit, kind: lang.t(&format!("inspection-kind-{}", c.kind)), months: c.months.to_vec(), total: c.total }
        })
        .collect();
    Ok(html(&StatsPage { lang, user: UserBar::of(&u), year, lines, totals }).into_response())
}

/// One checklist as listed.
pub struct ChecklistLine {
    pub code: String,
    pub name: String,
    pub basis: String,
    pub grade: String,
    pub items: usize,
    pub imported: bool,
}

#[derive(Template)]
#[template(path = "checklists.html")]
struct ChecklistsPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    may_import: bool,
    lines: Vec<ChecklistLine>,
    kinds: Vec<(String, String)>,
    /// Every problem of a refused import, each a sentence.
    errors: Vec<String>,
    imported: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct ChecklistsQuery {
    #[serde(default)]
    imported: Option<String>,
}

async fn checklists_page(s: &AppState, u: &CurrentUser, errors: Vec<String>, imported: Option<String>) -> WebResult<ChecklistsPage> {
    let lang = u.lang;
    let all = anze_service::inspection::checklists(&s.ctx).await?;
    Ok(ChecklistsPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        may_import: u.actor.can_somewhere(Action::Inspect),
        lines: all
            .into_iter()
            .map(|c| ChecklistLine {
                grade: lang.t(&format!("hazard-grade-{}", c.grade)),
                items: c.items.len(),
                code: c.code,
                name: c.name,
                basis: c.basis,
                imported: c.imported,
            })
            .collect(),
        kinds: InspectionKind::ALL.iter().map(|k| (k.as_str().to_string(), lang.t(&format!("inspection-kind-{}", k.as_str())))).collect(),
        errors,
        imported,
    })
}

/// The checklists (shipped and imported) and the import form.
pub async fn checklists(
    State(s): State<AppState>,
    u: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<ChecklistsQuery>,
) -> WebResult<Response> {
    Ok(html(&checklists_page(&s, &u, vec![], q.imported).await?).into_response())
}

/// Imports a checklist from the form's .xlsx file; every bad field or row is named.
pub async fn import_checklist(State(s): State<AppState>, u: CurrentUser, req: axum::extract::Request) -> WebResult<Response> {
    let lang = u.lang;
    // The checklist's code, name, basis, grade, industry and kind, and its file.
    let (meta, file) = match super::common::read_upload::<anze_service::inspection::NewChecklist>(&s, req).await {
        Ok(x) => x,
        Err(e) => {
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&checklists_page(&s, &u, vec![field_sentence(lang, &[e])], None).await?))
                .into_response());
        }
    };
    let messages = match anze_service::inspection::import_checklist(&s.ctx, &u.actor, &meta, &file, chrono::Utc::now()).await {
        Ok(Ok(code)) => return Ok(Redirect::to(&format!("/checklists?imported={code}")).into_response()),
        Ok(Err(rows)) => rows.iter().map(|e| super::common::row_message(lang, e)).collect(),
        Err(e) => match super::common::refusal(lang, &e) {
            Some(sentence) => vec![sentence],
            None => return Err(e.into()),
        },
    };
    let page = checklists_page(&s, &u, messages, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}

pub async fn checklist_template(_: CurrentUser) -> WebResult<Response> {
    let bytes = anze_service::inspection::checklist_template()?;
    Ok(super::campaigns::xlsx("checklist-template.xlsx", bytes))
}
