//! The employee's phone pages (`/m/…`): light (no scripts), no account, reached by the
//! enterprise's QR code. Plus the QR image and its revocation for the enterprise's editors.

use super::html;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{ClientAddress, CurrentUser, Form, Language, Path, parse_id};
use crate::i18n::Lang;
use anze_service::ServiceError;
use anze_service::duty::Signature;
use anze_service::phone::{Identity, PhoneList, PhoneView};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "m_identify.html")]
struct IdentifyPage {
    lang: Lang,
    token: String,
    enterprise: String,
    name: String,
    message: Option<String>,
}

#[derive(Template)]
#[template(path = "m_lists.html")]
struct ListsPage {
    lang: Lang,
    token: String,
    enterprise: String,
    name: String,
    last4: String,
    lists: Vec<PhoneList>,
    flash: Option<String>,
    message: Option<String>,
}

fn lists_page(lang: Lang, token: &str, last4: &str, v: PhoneView, flash: Option<String>, message: Option<String>) -> ListsPage {
    ListsPage { lang, token: token.into(), enterprise: v.enterprise, name: v.name, last4: last4.into(), lists: v.lists, flash, message }
}

pub async fn identify_form(State(s): State<AppState>, Language(lang): Language, Path(token): Path<String>) -> WebResult<Response> {
    let (_, enterprise) = anze_service::phone::enterprise_of(&s.ctx, &token).await?;
    Ok(html(&IdentifyPage { lang, token, enterprise, name: String::new(), message: None }).into_response())
}

async fn identify_again(s: &AppState, lang: Lang, token: &str, name: &str, e: ServiceError) -> WebResult<Response> {
    let (_, enterprise) = anze_service::phone::enterprise_of(&s.ctx, token).await?;
    let message = match &e {
        ServiceError::Unauthenticated(code) | ServiceError::Refused(code) => lang.error(code, None),
        ServiceError::Invalid(f) => f.iter().map(|f| lang.error(f.code, None)).collect::<Vec<_>>().join(" "),
        _ => return Err(e.into()),
    };
    let status = if matches!(e, ServiceError::Refused("duty.phone.throttled")) {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html(&IdentifyPage { lang, token: token.into(), enterprise, name: name.into(), message: Some(message) })).into_response())
}

/// Failed identifications are limited per address and QR code (`AppState::phone_failures`).
fn failure_key(addr: &str, token: &str) -> String {
    format!("{addr}|{token}")
}

/// Counts a failed identification (a wrong name or last four); other errors do not count.
fn count_failure(s: &AppState, key: &str, e: &ServiceError) {
    if matches!(e, ServiceError::Unauthenticated(_)) {
        s.phone_failures.allow(key);
    }
}

/// Who signs on the phone: the name and the last four of the ID number; for signing, the list
/// and the signature (a drawing, or the name typed).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PhoneForm {
    name: String,
    last4: String,
    list_id: String,
    drawn: String,
    typed_name: String,
}

pub async fn lists(
    State(s): State<AppState>,
    Language(lang): Language,
    ClientAddress(addr): ClientAddress,
    Path(token): Path<String>,
    Form(f): Form<PhoneForm>,
) -> WebResult<Response> {
    let PhoneForm { name, last4, .. } = f;
    let key = failure_key(&addr, &token);
    if s.phone_failures.exhausted(&key) {
        return identify_again(&s, lang, &token, &name, ServiceError::Refused("duty.phone.throttled")).await;
    }
    let who = Identity { name: name.clone(), last4: last4.clone() };
    match anze_service::phone::view(&s.ctx, &token, &who).await {
        Ok(v) => Ok(html(&lists_page(lang, &token, &last4, v, None, None)).into_response()),
        Err(e) => {
            count_failure(&s, &key, &e);
            identify_again(&s, lang, &token, &name, e).await
        }
    }
}

pub async fn sign(
    State(s): State<AppState>,
    Language(lang): Language,
    ClientAddress(addr): ClientAddress,
    Path(token): Path<String>,
    Form(f): Form<PhoneForm>,
) -> WebResult<Response> {
    let PhoneForm { name, last4, list_id, drawn, typed_name } = f;
    let key = failure_key(&addr, &token);
    if s.phone_failures.exhausted(&key) {
        return identify_again(&s, lang, &token, &name, ServiceError::Refused("duty.phone.throttled")).await;
    }
    let list_id = parse_id(&list_id)?;
    let who = Identity { name: name.clone(), last4: last4.clone() };
    // A drawing wins over a typed name; with neither the service names the missing signature.
    let signature = if drawn.is_empty() { Signature::Typed(typed_name) } else { Signature::Drawn(drawn) };
    let result = anze_service::phone::sign(&s.ctx, &token, &who, list_id, signature, &addr, chrono::Utc::now()).await;
    let (flash, message) = match result {
        Ok(()) => (Some(lang.t("phone-signed-now")), None),
        Err(ServiceError::Refused(code)) => (None, Some(lang.error(code, None))),
        Err(ServiceError::Invalid(fields)) => (None, Some(fields.iter().map(|f| lang.error(f.code, None)).collect::<Vec<_>>().join(" "))),
        Err(e @ ServiceError::Unauthenticated(_)) => {
            count_failure(&s, &key, &e);
            return identify_again(&s, lang, &token, &name, e).await;
        }
        Err(e) => return Err(e.into()),
    };
    let v = anze_service::phone::view(&s.ctx, &token, &who).await?;
    Ok(html(&lists_page(lang, &token, &last4, v, flash, message)).into_response())
}

/// The QR code of an enterprise's phone page, as SVG (editors of the enterprise).
pub async fn qr_svg(State(s): State<AppState>, u: CurrentUser, headers: HeaderMap, Path(id): Path<Uuid>) -> WebResult<Response> {
    let token = anze_service::phone::qr_token(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:8080");
    let svg = anze_service::phone::qr_svg(&format!("http://{host}/m/{token}"))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response())
}

pub async fn revoke_qr(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    anze_service::phone::revoke_qr(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}?saved=1")).into_response())
}

#[derive(Template)]
#[template(path = "m_hazard.html")]
struct HazardReportPage {
    lang: Lang,
    token: String,
    enterprise: String,
    categories: Vec<(String, String)>,
    form: anze_service::hazard::PhoneReport,
    errors: Vec<(String, String)>,
    message: Option<String>,
    receipt: Option<(String, bool)>,
}

impl HazardReportPage {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

fn report_page(lang: Lang, token: &str, enterprise: String, form: anze_service::hazard::PhoneReport) -> HazardReportPage {
    let categories = anze_domain::hazard::Category::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), lang.t(&format!("hazard-category-{}", c.as_str()))))
        .collect();
    HazardReportPage { lang, token: token.into(), enterprise, categories, form, errors: vec![], message: None, receipt: None }
}

/// The employee's hazard report form behind the enterprise's QR code (anonymous allowed).
pub async fn hazard_form(State(s): State<AppState>, Language(lang): Language, Path(token): Path<String>) -> WebResult<Response> {
    let (_, enterprise) = anze_service::phone::enterprise_of(&s.ctx, &token).await?;
    Ok(html(&report_page(lang, &token, enterprise, Default::default())).into_response())
}

/// The employee's report (its photos aside); name and last four are optional (anonymous).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    description: String,
    location: String,
    category: String,
    name: String,
    last4: String,
}

/// Files the report; at most `HAZARD_REPORTS` an hour per address and QR code.
pub async fn hazard_report(
    State(s): State<AppState>,
    Language(lang): Language,
    ClientAddress(addr): ClientAddress,
    Path(token): Path<String>,
    req: axum::extract::Request,
) -> WebResult<Response> {
    let (_, enterprise) = anze_service::phone::enterprise_of(&s.ctx, &token).await?;
    let (f, photos) = match super::common::read_form_with_photos::<ReportForm>(&s, req).await {
        Ok(x) => x,
        Err(e) => {
            let mut page = report_page(lang, &token, enterprise, Default::default());
            page.errors = vec![(e.field.to_string(), lang.error(e.code, None))];
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response());
        }
    };
    let form = anze_service::hazard::PhoneReport {
        description: f.description,
        location: f.location,
        category: f.category,
        name: f.name,
        last4: f.last4,
        photos,
    };
    let mut page = report_page(lang, &token, enterprise, form.clone());
    page.form.photos = vec![];
    // A name with last four is an identification: guesses count against the same limit as
    // the signing page's.
    let key = failure_key(&addr, &token);
    let named = !form.name.trim().is_empty() || !form.last4.trim().is_empty();
    let limit = if named && s.phone_failures.exhausted(&key) {
        Some("hazard.report.identify_throttled")
    } else if !s.hazard_reports.allow(&key) {
        Some("hazard.report.throttled")
    } else {
        None
    };
    if let Some(code) = limit {
        page.message = Some(lang.error(code, None));
        return Ok((StatusCode::TOO_MANY_REQUESTS, html(&page)).into_response());
    }
    match anze_service::hazard::phone_report(&s.ctx, &token, &form, &addr, chrono::Utc::now()).await {
        Ok(r) => {
            page.form = Default::default();
            page.receipt = Some((r.code, r.suspected_duplicate));
            Ok(html(&page).into_response())
        }
        Err(ServiceError::Invalid(fields)) => {
            page.errors = fields.iter().map(|e| (e.field.to_string(), lang.error(e.code, e.detail.as_deref()))).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e @ ServiceError::Unauthenticated(_)) => {
            count_failure(&s, &key, &e);
            let ServiceError::Unauthenticated(code) = e else { unreachable!("matched above") };
            page.errors = vec![("name".into(), lang.error(code, None))];
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
