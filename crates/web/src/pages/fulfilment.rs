//! Fulfilment records of a list's items (the item page, its form, photos), and a list's print
//! view and Word export.

use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Path};
use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_domain::fulfilment::PeriodState;
use anze_service::ServiceError;
use anze_service::fulfilment::{ItemFulfilment, NewRecord};
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

/// How many missed periods the item page lists (newest first).
const GAPS_SHOWN: usize = 60;

pub struct RecordRow {
    pub done_on: String,
    pub note: String,
    pub photo_id: Option<String>,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "duty_item.html")]
struct ItemPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    id: String,
    list_id: String,
    list_title: String,
    version: i32,
    org_id: String,
    org_name: String,
    text: String,
    legal_basis: String,
    frequency: String,
    evidence: String,
    can_record: bool,
    not_published: bool,
    summary: String,
    current: Option<String>,
    records: Vec<RecordRow>,
    gaps: Vec<String>,
    more_gaps: usize,
    more_gaps_text: String,
    flash: Option<String>,
    errors: Vec<FieldError>,
    err_done_on: Option<String>,
    err_note: Option<String>,
    err_photo: Option<String>,
    done_on: String,
    note: String,
}

fn page(u: &CurrentUser, f: ItemFulfilment, flash: Option<String>, errors: Vec<FieldError>, done_on: String, note: String) -> ItemPage {
    let lang = u.lang;
    let local = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d %H:%M").to_string();
    let span = |p: &anze_domain::fulfilment::Period| {
        if p.start == p.end { p.start.to_string() } else { format!("{} ~ {}", p.start, p.end) }
    };
    let missed: Vec<String> = f.periods.iter().rev().filter(|p| p.state == PeriodState::Missed).map(span).collect();
    let current = f.periods.last().filter(|p| p.state != PeriodState::Missed).map(|p| {
        let state = if p.state == PeriodState::Done { "fulfilment-period-done" } else { "fulfilment-period-open" };
        format!("{}：{}", span(p), lang.t(state))
    });
    let published = f.list.state == "published";
    let err = |field: &str| errors.iter().find(|e| e.field == field).map(|e| lang.error(e.code, e.detail.as_deref()));
    let (err_done_on, err_note, err_photo) = (err("done_on"), err("note"), err("photo"));
    ItemPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        id: f.item.id.clone(),
        list_id: f.list.id.clone(),
        list_title: f.list.title.clone(),
        version: f.list.version,
        org_id: f.organisation.id.clone(),
        org_name: f.organisation.name.clone(),
        text: f.item.text.clone(),
        legal_basis: f.item.legal_basis.clone(),
        frequency: lang.t(&format!("frequency-{}", f.item.frequency)),
        evidence: f.item.evidence.clone(),
        can_record: f.can_edit && published,
        not_published: !published,
        summary: lang.t_args(
            "fulfilment-summary",
            &[("records", f.records.len().to_string()), ("periods", f.periods.len().to_string()), ("gaps", f.gaps.to_string())],
        ),
        current,
        more_gaps: missed.len().saturating_sub(GAPS_SHOWN),
        more_gaps_text: lang.t_args("fulfilment-more-gaps", &[("count", missed.len().saturating_sub(GAPS_SHOWN).to_string())]),
        gaps: missed.into_iter().take(GAPS_SHOWN).collect(),
        records: f
            .records
            .into_iter()
            .map(|r| RecordRow {
                done_on: r.done_on.to_string(),
                note: r.note,
                photo_id: r.photo_id,
                by: r.created_by,
                at: local(r.created_at),
            })
            .collect(),
        flash,
        errors,
        err_done_on,
        err_note,
        err_photo,
        done_on,
        note,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

/// An item's page: its records, its gaps, and the form to add a record.
pub async fn item(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> WebResult<Response> {
    let lang = u.lang;
    let f = anze_service::fulfilment::item(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    let today = super::common::today();
    Ok(html(&page(&u, f, q.saved.map(|_| lang.t("fulfilment-saved")), vec![], today, String::new())).into_response())
}

/// The record form (its photo aside).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct RecordForm {
    done_on: String,
    note: String,
}

/// Reads the record form: multipart (with a photo) from the page, or a plain form.
async fn read_form(s: &AppState, req: Request) -> Result<NewRecord, FieldError> {
    let (f, mut photos) = super::common::read_form_with_photos::<RecordForm>(s, req).await?;
    Ok(NewRecord { done_on: f.done_on, note: f.note, photo: photos.pop() })
}

/// Adds a record; bad fields come back on the page, each named.
pub async fn add(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, req: Request) -> WebResult<Response> {
    let now = chrono::Utc::now();
    // Scope first: an item out of scope is 404 whatever the body holds.
    let f = anze_service::fulfilment::item(&s.ctx, &u.actor, id, now).await?;
    let result = match read_form(&s, req).await {
        Ok(input) => anze_service::fulfilment::record(&s.ctx, &u.actor, id, &input, now).await.map_err(|e| (e, input)),
        Err(e) => Err((ServiceError::Invalid(vec![e]), NewRecord::default())),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/duty-items/{id}?saved=1")).into_response()),
        Err((ServiceError::Invalid(errors), input)) => {
            let p = page(&u, f, None, errors, input.done_on, input.note);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&p)).into_response())
        }
        Err((e, _)) => Err(e.into()),
    }
}

/// A record's photo, to the users who can see its organisation.
pub async fn photo(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let (content_type, bytes) = anze_service::evidence::original(&s.ctx, &u.actor, id).await?;
    Ok((
        // `nosniff` is set on every response (security::headers).
        [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, max-age=86400".to_string())],
        bytes,
    )
        .into_response())
}

/// A photo's thumbnail (JPEG, longest side 320 px), in the same scope as the original.
pub async fn photo_thumb(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let (content_type, bytes) = anze_service::evidence::thumbnail(&s.ctx, &u.actor, id).await?;
    Ok(([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, max-age=86400".to_string())], bytes).into_response())
}

pub struct PrintSignature {
    pub name: String,
    pub signed_at: String,
    pub method: String,
    pub typed: Option<String>,
    pub image: Option<String>,
}

#[derive(Template)]
#[template(path = "duty_print.html")]
struct PrintPage {
    lang: Lang,
    id: String,
    organisation: String,
    tier: String,
    title: String,
    version: i32,
    state: String,
    text_hash: String,
    published_at: String,
    items: Vec<anze_service::duty::doc::DocItem>,
    signatures: Vec<PrintSignature>,
}

/// The printable list: no navigation, print styles, every item and every signature.
pub async fn print(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let lang = u.lang;
    let d = anze_service::duty::doc::document(&s.ctx, &u.actor, id).await?;
    let signatures = d
        .signatures
        .iter()
        .map(|x| PrintSignature {
            name: x.name.clone(),
            signed_at: x.signed_at.clone(),
            method: lang.t(&format!("duty-sign-{}", x.method)),
            typed: x.typed.clone(),
            image: x.png_data_url(),
        })
        .collect();
    let p = PrintPage {
        lang,
        id: d.list_id,
        organisation: d.organisation,
        tier: d.tier,
        title: d.title,
        version: d.version,
        state: d.state,
        text_hash: d.text_hash,
        published_at: d.published_at.unwrap_or_default(),
        items: d.items,
        signatures,
    };
    Ok(html(&p).into_response())
}

/// The list as a Word document.
pub async fn docx(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let d = anze_service::duty::doc::document(&s.ctx, &u.actor, id).await?;
    let bytes = anze_service::duty::doc::docx(&d)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"duty-list-v{}-{}.docx\"", d.version, d.list_id)),
        ],
        bytes,
    )
        .into_response())
}
