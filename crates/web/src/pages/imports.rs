//! Excel import and export pages.

use super::{UserBar, html};
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{CurrentUser, Path};
use crate::i18n::Lang;
use anze_service::import::ImportKind;
use anze_service::org::ListQuery;
use anze_service::sheet::RowError;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    error_summary: String,
    errors: Vec<(String, String, String)>,
}

fn page(u: &CurrentUser) -> ImportPage {
    ImportPage { lang: u.lang, user: UserBar::of(u), csrf: u.csrf_token.clone(), error_summary: String::new(), errors: vec![] }
}

pub async fn show(u: CurrentUser) -> Response {
    html(&page(&u)).into_response()
}

/// A row error as a sentence in the user's language.
pub fn reason(lang: Lang, e: &RowError) -> String {
    lang.error(&e.code, e.detail.as_deref())
}

fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

pub async fn upload(State(s): State<AppState>, u: CurrentUser, mut form: Multipart) -> WebResult<Response> {
    let lang = u.lang;
    let (mut kind, mut file, mut file_name) = (None, None, String::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("kind") => kind = field.text().await.ok().as_deref().and_then(ImportKind::parse),
            Some("file") => {
                file_name = field.file_name().unwrap_or("upload").to_string();
                file = field.bytes().await.ok().filter(|b| !b.is_empty());
            }
            _ => {}
        }
    }
    let (Some(kind), Some(file)) = (kind, file) else {
        let mut p = page(&u);
        p.error_summary = lang.error("import.empty", None);
        p.errors = vec![(String::new(), lang.t("import-file"), lang.error("field.required", None))];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&p)).into_response());
    };
    let job =
        anze_service::import::start_job(&s.ctx, &u.actor, kind, &file_name, file.to_vec(), s.imports.clone(), chrono::Utc::now()).await?;
    Ok(Redirect::to(&format!("/imports/{job}")).into_response())
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage {
    lang: Lang,
    user: Option<UserBar>,
    id: String,
    file_name: String,
    running: bool,
    progress_text: String,
    percent: usize,
    done: Option<String>,
    failed: bool,
    error_summary: String,
    errors: Vec<(String, String, String)>,
}

/// One import: a progress bar while it runs (the page polls itself), then the outcome.
pub async fn job(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let lang = u.lang;
    let id = id.to_string();
    let (job, live) = anze_service::import::job(&s.ctx, &u.actor, &id, &s.imports).await?;
    let running = matches!(job.status.as_str(), "validating" | "committing");
    let (processed, total, phase) = live.map(|p| (p.processed, p.total, p.phase)).unwrap_or((0, 0, "validating"));
    let mut p = JobPage {
        lang,
        user: UserBar::of(&u),
        id: id.clone(),
        file_name: job.file_name.clone(),
        running,
        progress_text: lang.t_args("import-progress", &[("processed", processed.to_string()), ("total", total.to_string())])
            + &format!("（{}）", lang.t(&format!("import-phase-{phase}"))),
        percent: (processed * 100).checked_div(total).unwrap_or(0),
        done: None,
        failed: job.status == "failed",
        error_summary: String::new(),
        errors: vec![],
    };
    match job.status.as_str() {
        "done" => {
            let unchanged = (job.total_rows - job.created_count - job.updated_count).max(0);
            p.done = Some(lang.t_args(
                "import-done",
                &[
                    ("created", job.created_count.to_string()),
                    ("updated", job.updated_count.to_string()),
                    ("unchanged", unchanged.to_string()),
                ],
            ));
        }
        "invalid" => {
            let errors: Vec<RowError> = serde_json::from_str(&job.errors).unwrap_or_default();
            p.error_summary = lang.t_args("import-errors", &[("count", errors.len().to_string())]);
            p.errors = errors
                .iter()
                .take(500)
                .map(|e| (if e.row == 0 { String::new() } else { e.row.to_string() }, e.column.clone(), reason(lang, e)))
                .collect();
        }
        _ => {}
    }
    Ok(html(&p).into_response())
}

pub async fn errors_xlsx(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let lang = u.lang;
    let errors = anze_service::import::job_errors(&s.ctx, &u.actor, &id.to_string()).await?;
    let bytes = anze_service::export::errors(&errors, |e| reason(lang, e))?;
    Ok(xlsx("import-errors.xlsx", bytes))
}

pub async fn template(_: CurrentUser, Path(file): Path<String>) -> WebResult<Response> {
    let kind = file.strip_suffix(".xlsx").and_then(ImportKind::parse).ok_or_else(WebError::not_found)?;
    let bytes = anze_service::export::template(kind)?;
    Ok(xlsx(&format!("template-{}.xlsx", kind.as_str()), bytes))
}

pub async fn export_enterprises(State(s): State<AppState>, u: CurrentUser, Query(mut q): Query<ListQuery>) -> WebResult<Response> {
    q.kind = Some("enterprise".into());
    q.after = None;
    let filter = anze_service::org::resolve_filter(&s.ctx, &q).await?;
    let bytes = anze_service::export::enterprises(&s.ctx, &u.actor, &filter).await?;
    Ok(xlsx("enterprises.xlsx", bytes))
}

pub async fn export_staff(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let bytes = anze_service::export::staff(&s.ctx, &u.actor, id).await?;
    Ok(xlsx("staff.xlsx", bytes))
}
