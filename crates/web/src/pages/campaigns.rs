//! Campaign pages (issue 5): loading a campaign file (pasted or uploaded) and copying it to
//! next year; activity records entered, listed and imported; the city office's board with its
//! drill-down to the evidence and its .xlsx export; each unit's own to-do list.

use super::common::{read_form_with_files, read_upload, row_message};
use super::{UserBar, html};
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{CurrentUser, Form, Path, flag, parse_id};
use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_service::ServiceError;
use anze_service::campaign::activity::ACTIVITY_KINDS;
use anze_service::campaign::activity::{ActivityInput, ActivityQuery, ActivityView};
use anze_service::campaign::board::{Board, BoardQuery, UnitTodo};
use anze_service::campaign::{CampaignSummary, ExemptionInput, ObligationView};
use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

fn sentences(lang: Lang, fields: &[FieldError]) -> Vec<String> {
    fields.iter().map(|f| format!("{}：{}", lang.t(&format!("field-{}", f.field)), lang.error(f.code, f.detail.as_deref()))).collect()
}

pub(super) fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

// ----- campaigns -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "campaigns.html")]
struct CampaignsPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    office: bool,
    campaigns: Vec<CampaignSummary>,
    loaded: Vec<String>,
    errors: Vec<String>,
    flash: Option<String>,
    source: String,
}

#[derive(serde::Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    loaded: Option<String>,
}

async fn campaigns_page(
    s: &AppState,
    u: &CurrentUser,
    errors: Vec<String>,
    source: String,
    flash: Option<String>,
) -> WebResult<CampaignsPage> {
    let campaigns = anze_service::campaign::list(&s.ctx, &u.actor).await?;
    Ok(CampaignsPage {
        lang: u.lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        office: anze_service::campaign::is_city_office(&u.actor),
        loaded: campaigns.iter().map(|c| local(c.loaded_at)).collect(),
        campaigns,
        errors,
        flash,
        source,
    })
}

pub async fn campaigns(State(s): State<AppState>, u: CurrentUser, Query(f): Query<Flash>) -> WebResult<Response> {
    let flash = f.loaded.map(|v| u.lang.t_args("campaign-loaded", &[("version", v)]));
    Ok(html(&campaigns_page(&s, &u, vec![], String::new(), flash).await?).into_response())
}

/// Loads a pasted or uploaded campaign file; a refused file comes back with every problem and
/// its line, and the text kept for correction.
pub async fn load(State(s): State<AppState>, u: CurrentUser, req: Request) -> WebResult<Response> {
    let lang = u.lang;
    let (messages, source) = match read_upload::<LoadForm>(&s, req).await {
        Err(e) => (sentences(lang, &[e]), String::new()),
        Ok((f, file)) => {
            let uploaded = String::from_utf8_lossy(&file).to_string();
            let source = if uploaded.trim().is_empty() { f.source } else { uploaded };
            match anze_service::campaign::load(&s.ctx, &u.actor, &source, chrono::Utc::now()).await? {
                Ok(c) => return Ok(Redirect::to(&format!("/campaigns/{}?loaded={}", c.id, c.version)).into_response()),
                Err(errors) => (errors.iter().map(|e| crate::api::campaign_load_message(lang, e)).collect(), source),
            }
        }
    };
    let page = campaigns_page(&s, &u, messages, source, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}

/// The campaign form: the text pasted (a file uploaded instead wins).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LoadForm {
    source: String,
}

/// An obligation as the campaign page lists it.
pub struct ObligationRow {
    pub o: ObligationView,
    pub subjects: String,
    pub metric: String,
    pub period: String,
    pub due: String,
}

pub fn obligation_row(lang: Lang, o: ObligationView) -> ObligationRow {
    let mut subjects = lang.t(&format!("campaign-subject-{}", o.subject_kind));
    if !o.subject_filters.is_empty() {
        subjects = format!("{subjects}（{}）", o.subject_filters.join("，"));
    }
    let mut metric = lang.t(&format!("campaign-metric-{}", o.metric));
    let records: Vec<String> = o.records.iter().map(|r| lang.t(&format!("campaign-record-{r}"))).collect();
    if !records.is_empty() && o.metric != "staff_in_post" {
        metric = format!("{metric}：{}", records.join(" → "));
    } else if let Some(r) = o.records.first() {
        metric = format!("{metric}：{}", super::common::tier_label(lang, r));
    }
    let due = match (o.due_date, o.due_offset_days) {
        (Some(d), _) => d.to_string(),
        (None, Some(n)) if n > 0 => lang.t_args("campaign-due-offset", &[("days", n.to_string())]),
        _ => lang.t("campaign-due-period-end"),
    };
    ObligationRow { period: lang.t(&format!("campaign-period-{}", o.period)), subjects, metric, due, o }
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    office: bool,
    c: CampaignSummary,
    rows: Vec<ObligationRow>,
    flash: Option<String>,
    errors: Vec<String>,
}

pub async fn campaign(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Query(f): Query<Flash>) -> WebResult<Response> {
    let lang = u.lang;
    Ok(html(&campaign_page(&s, &u, id, f.loaded.map(|v| lang.t_args("campaign-loaded", &[("version", v)])), vec![]).await?).into_response())
}

async fn campaign_page(s: &AppState, u: &CurrentUser, id: Uuid, flash: Option<String>, errors: Vec<String>) -> WebResult<CampaignPage> {
    let lang = u.lang;
    let (c, _) = anze_service::campaign::get(&s.ctx, &u.actor, id).await?;
    let rows = anze_service::campaign::obligations(&s.ctx, &u.actor, id).await?;
    Ok(CampaignPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        office: anze_service::campaign::is_city_office(&u.actor),
        c,
        rows: rows.into_iter().map(|o| obligation_row(lang, o)).collect(),
        flash,
        errors,
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CopyForm {
    years: String,
}

pub async fn copy(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<CopyForm>) -> WebResult<Response> {
    // Not a number: one year, the form's default.
    let years = f.years.trim().parse::<i32>().unwrap_or(1);
    let c = anze_service::campaign::copy(&s.ctx, &u.actor, id, years, chrono::Utc::now()).await?;
    Ok(Redirect::to(&format!("/campaigns/{}?loaded={}", c.id, c.version)).into_response())
}

/// The exemption form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ExemptionForm {
    obligation: String,
    organisation_id: String,
    period: String,
    reason: String,
}

pub async fn exempt(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<ExemptionForm>) -> WebResult<Response> {
    let lang = u.lang;
    let input = ExemptionInput { obligation: f.obligation, organisation_id: f.organisation_id, period: f.period, reason: f.reason };
    match anze_service::campaign::exempt(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/board/units/{}?campaign={id}&obligation={}", input.organisation_id.trim(), input.obligation.trim()))
                .into_response())
        }
        Err(ServiceError::Invalid(fields)) => {
            let page = campaign_page(&s, &u, id, None, sentences(lang, &fields)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ----- activities ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "activities.html")]
struct ActivitiesPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    kinds: Vec<(String, String)>,
    units: Vec<(String, String)>,
    form: ActivityInput,
    rows: Vec<(ActivityView, String)>,
    errors: Vec<String>,
    flash: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct ActivityParams {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    organisation_id: Option<String>,
    #[serde(default)]
    created: Option<usize>,
}

async fn activities_page(
    s: &AppState,
    u: &CurrentUser,
    p: &ActivityParams,
    form: ActivityInput,
    errors: Vec<String>,
) -> WebResult<ActivitiesPage> {
    let lang = u.lang;
    let q = ActivityQuery { kind: p.kind.clone(), organisation_id: p.organisation_id.clone(), before: None, limit: Some(100) };
    let rows = anze_service::campaign::activity::list(&s.ctx, &u.actor, &q).await?;
    let units = anze_service::campaign::activity::units(&s.ctx, &u.actor).await?;
    Ok(ActivitiesPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        kinds: ACTIVITY_KINDS.iter().map(|k| (k.as_str().to_string(), lang.t(&format!("campaign-record-{}", k.as_str())))).collect(),
        units,
        rows: rows
            .into_iter()
            .map(|a| {
                let k = lang.t(&format!("campaign-record-{}", a.kind));
                (a, k)
            })
            .collect(),
        form,
        errors,
        flash: p.created.map(|n| lang.t_args("activity-created", &[("count", n.to_string())])),
    })
}

pub async fn activities(State(s): State<AppState>, u: CurrentUser, Query(p): Query<ActivityParams>) -> WebResult<Response> {
    Ok(html(&activities_page(&s, &u, &p, ActivityInput::default(), vec![]).await?).into_response())
}

/// The activity form (its attachments aside; checkboxes: absent is no).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActivityForm {
    organisation_id: String,
    kind: String,
    title: String,
    held_on: String,
    organiser: String,
    participants: String,
    minutes: String,
    period: String,
    #[serde(deserialize_with = "flag")]
    observed: bool,
    #[serde(deserialize_with = "flag")]
    plenary: bool,
    #[serde(deserialize_with = "flag")]
    head_attends: bool,
    #[serde(deserialize_with = "flag")]
    for_sector_enterprises: bool,
    #[serde(deserialize_with = "flag")]
    for_grid_workers: bool,
}

pub async fn create_activity(State(s): State<AppState>, u: CurrentUser, req: Request) -> WebResult<Response> {
    let lang = u.lang;
    let (f, files) = match read_form_with_files::<ActivityForm>(&s, req, "attachment", |name| name == "attachment").await {
        Ok(x) => x,
        Err(e) => {
            let page = activities_page(&s, &u, &ActivityParams::default(), ActivityInput::default(), sentences(lang, &[e])).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response());
        }
    };
    let input = ActivityInput {
        organisation_id: f.organisation_id,
        kind: f.kind,
        title: f.title,
        held_on: f.held_on,
        organiser: f.organiser,
        participants: f.participants,
        minutes: f.minutes,
        period: f.period,
        observed: f.observed,
        plenary: f.plenary,
        head_attends: f.head_attends,
        for_sector_enterprises: f.for_sector_enterprises,
        for_grid_workers: f.for_grid_workers,
        attachments: files.into_iter().map(|f| (f.name, f.bytes)).collect(),
        ..Default::default()
    };
    match anze_service::campaign::activity::create(&s.ctx, &u.actor, &input, chrono::Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/activities?created=1").into_response()),
        Err(ServiceError::Invalid(fields)) => {
            let page = activities_page(&s, &u, &ActivityParams::default(), input, sentences(lang, &fields)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn import_activities(State(s): State<AppState>, u: CurrentUser, req: Request) -> WebResult<Response> {
    let lang = u.lang;
    // The file is all this form sends.
    let messages = match read_upload::<serde::de::IgnoredAny>(&s, req).await {
        Err(e) => sentences(lang, &[e]),
        Ok((_, file)) => match anze_service::campaign::activity::import(&s.ctx, &u.actor, &file, chrono::Utc::now()).await? {
            Ok(n) => return Ok(Redirect::to(&format!("/activities?created={n}")).into_response()),
            Err(errors) => errors.iter().map(|e| row_message(lang, e)).collect(),
        },
    };
    let page = activities_page(&s, &u, &ActivityParams::default(), ActivityInput::default(), messages).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}

pub async fn activities_template(_: CurrentUser) -> WebResult<Response> {
    Ok(xlsx("activities-template.xlsx", anze_service::campaign::activity::template()?))
}

// ----- boards --------------------------------------------------------------------------------

/// A cell as the board shows it.
pub struct CellView {
    pub status: String,
    pub label: String,
    pub exempted: bool,
    pub link: String,
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    lang: Lang,
    user: Option<UserBar>,
    board: Option<Board>,
    rows: Vec<(String, String, String, Vec<Option<CellView>>)>,
    measures: Vec<String>,
    measure: String,
    on: String,
    query: String,
    totals: Vec<(String, String, usize)>,
}

fn status_label(lang: Lang, status: &str) -> String {
    lang.t(&format!("campaign-status-{status}"))
}

fn query_string(q: &BoardQuery) -> String {
    let mut parts = vec![];
    for (k, v) in [("campaign", &q.campaign), ("measure", &q.measure), ("on", &q.on)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", crate::extract::urlencode(v)));
        }
    }
    parts.join("&")
}

pub async fn board(State(s): State<AppState>, u: CurrentUser, Query(q): Query<BoardQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let b = anze_service::campaign::board::board(&s.ctx, &u.actor, &q).await?;
    let all_measures: Vec<String> = match &b {
        Some(b) => {
            let id = parse_id(&b.campaign.id)?;
            let mut m: Vec<String> =
                anze_service::campaign::obligations(&s.ctx, &u.actor, id).await?.into_iter().map(|o| o.measure).collect();
            m.dedup();
            m
        }
        None => vec![],
    };
    let rows = b
        .iter()
        .flat_map(|b| &b.rows)
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .zip(b.iter().flat_map(|b| &b.columns))
                .map(|(c, col)| {
                    c.as_ref().map(|c| CellView {
                        status: c.status.clone(),
                        label: status_label(lang, &c.status),
                        exempted: c.exempted,
                        link: format!(
                            "/board/units/{}?obligation={}&campaign={}&on={}",
                            r.organisation_id,
                            col.code,
                            b.as_ref().map(|b| b.campaign.id.clone()).unwrap_or_default(),
                            b.as_ref().map(|b| b.on.to_string()).unwrap_or_default()
                        ),
                    })
                })
                .collect();
            (r.organisation_id.clone(), r.name.clone(), lang.t(&format!("kind-{}", r.kind)), cells)
        })
        .collect();
    let totals = b.iter().flat_map(|b| &b.totals).map(|t| (t.status.clone(), status_label(lang, &t.status), t.count)).collect();
    let page = BoardPage {
        lang,
        user: UserBar::of(&u),
        measures: all_measures,
        measure: q.measure.clone().unwrap_or_default(),
        on: b.as_ref().map(|b| b.on.to_string()).unwrap_or_default(),
        query: query_string(&q),
        totals,
        rows,
        board: b,
    };
    Ok(html(&page).into_response())
}

pub async fn board_xlsx(State(s): State<AppState>, u: CurrentUser, Query(q): Query<BoardQuery>) -> WebResult<Response> {
    let b = anze_service::campaign::board::board(&s.ctx, &u.actor, &q).await?.ok_or_else(WebError::not_found)?;
    // The export is for the city office's files: always in Chinese.
    let bytes = anze_service::campaign::board::board_xlsx(&b, &|id| Lang::Zh.t(id))?;
    Ok(xlsx(&format!("board-{}-{}.xlsx", b.campaign.code, b.on), bytes))
}

/// One to-do item as the unit's page shows it.
pub struct TodoView {
    pub row: ObligationRow,
    pub status: String,
    pub label: String,
    pub exempted: bool,
    pub next_due: String,
    pub periods: Vec<anze_service::campaign::board::PeriodStanding>,
    pub labels: Vec<String>,
}

#[derive(Template)]
#[template(path = "board_unit.html")]
struct UnitPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    office: bool,
    todo: Option<UnitTodo>,
    items: Vec<TodoView>,
    name: String,
    id: String,
}

pub async fn unit(State(s): State<AppState>, u: CurrentUser, Path(uuid): Path<Uuid>, Query(q): Query<BoardQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let todo = anze_service::campaign::board::unit(&s.ctx, &u.actor, uuid, &q).await?;
    let name = match &todo {
        Some(t) => t.name.clone(),
        None => anze_service::scope::organisation(&s.ctx, &u.actor, uuid).await?.0.name,
    };
    let items = todo
        .iter()
        .flat_map(|t| t.items.clone())
        .map(|i| TodoView {
            status: i.cell.status.clone(),
            label: status_label(lang, &i.cell.status),
            exempted: i.cell.exempted,
            next_due: i.cell.next_due.map(|d| d.to_string()).unwrap_or_default(),
            labels: i.cell.periods.iter().map(|p| status_label(lang, &p.status)).collect(),
            periods: i.cell.periods,
            row: obligation_row(lang, i.obligation),
        })
        .collect();
    Ok(html(&UnitPage {
        lang,
        user: UserBar::of(&u),
        csrf: u.csrf_token.clone(),
        office: anze_service::campaign::is_city_office(&u.actor),
        todo,
        items,
        name,
        id: uuid.to_string(),
    })
    .into_response())
}

/// An activity's attachment, to users who see the activity.
pub async fn attachment(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let (name, content_type, bytes) = anze_service::campaign::activity::attachment(&s.ctx, &u.actor, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{}", crate::extract::urlencode(&name))),
        ],
        bytes,
    )
        .into_response())
}
