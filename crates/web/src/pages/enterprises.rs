//! Enterprise list, base record, create and edit.

use super::common::{Flash, StaffRow, risk_label, risk_options, staff_rows, tier_options, today};
use super::{UserBar, html};
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{CurrentUser, Form, Path, flag};
use crate::i18n::Lang;
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::org::{HazardousWorkKind, INDUSTRIES, RegionLevel};
use anze_service::ServiceError;
use anze_service::org::{EnterpriseInput, ListQuery};
use anze_service::scope::target_of;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use uuid::Uuid;

pub struct EnterpriseRow {
    pub id: String,
    pub name: String,
    pub credit_code: String,
    pub industry: String,
    pub region: String,
    pub risk: String,
    pub risk_label: String,
    pub headcount: i32,
}

#[derive(Template)]
#[template(path = "enterprises.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    message: Option<String>,
    q: String,
    region: String,
    industry: String,
    risk: String,
    townships: Vec<(String, String)>,
    industries: Vec<(String, String)>,
    risks: Vec<(String, String)>,
    rows: Vec<EnterpriseRow>,
    next: Option<String>,
    query: String,
    can_create: bool,
}

/// The filters as a query string (without the cursor), for paging and export links.
pub fn filter_query(q: &ListQuery) -> String {
    let enc = crate::extract::urlencode;
    [("q", &q.q), ("region", &q.region), ("industry", &q.industry), ("risk", &q.risk)]
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", enc(v))))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn industry_name(lang: Lang, code: &str) -> String {
    INDUSTRIES
        .iter()
        .find(|i| i.code == code)
        .map(|i| if lang == Lang::Zh { i.name_zh } else { i.name_en }.to_string())
        .unwrap_or_else(|| code.to_string())
}

pub async fn list(State(s): State<AppState>, u: CurrentUser, Query(mut q): Query<ListQuery>) -> WebResult<Response> {
    let lang = u.lang;
    q.kind = Some("enterprise".into());
    let townships = anze_service::org::regions_of_level(&s.ctx, RegionLevel::Township).await?;
    let names: HashMap<String, String> = townships.iter().map(|r| (r.code.clone(), r.name.clone())).collect();
    let (rows, next, message, status) = match anze_service::org::list(&s.ctx, &u.actor, &q, 50).await {
        Ok(page) => {
            let rows = page
                .items
                .into_iter()
                .filter_map(|(o, e)| e.map(|e| (o, e)))
                .map(|(o, e)| EnterpriseRow {
                    region: o.township_code.as_ref().and_then(|t| names.get(t)).cloned().unwrap_or_else(|| o.region_code.clone()),
                    id: o.id,
                    name: o.name,
                    credit_code: e.credit_code,
                    industry: industry_name(lang, &e.industry_code),
                    risk_label: risk_label(lang, &e.risk_level),
                    risk: e.risk_level,
                    headcount: e.headcount,
                })
                .collect();
            (rows, page.next, None, StatusCode::OK)
        }
        Err(ServiceError::Invalid(f)) => (vec![], None, Some(super::common::field_sentence(lang, &f)), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e.into()),
    };
    let page = ListPage {
        lang,
        user: UserBar::of(&u),
        message,
        query: filter_query(&q),
        q: q.q.clone().unwrap_or_default(),
        region: q.region.clone().unwrap_or_default(),
        industry: q.industry.clone().unwrap_or_default(),
        risk: q.risk.clone().unwrap_or_default(),
        townships: townships.into_iter().map(|r| (r.code, r.name)).collect(),
        industries: INDUSTRIES.iter().map(|i| (i.code.to_string(), industry_name(lang, i.code))).collect(),
        risks: risk_options(lang),
        rows,
        next,
        can_create: u.actor.can_somewhere(Action::Create),
    };
    Ok((status, html(&page)).into_response())
}

#[derive(Template)]
#[template(path = "enterprise.html")]
struct DetailPage {
    lang: Lang,
    user: Option<UserBar>,
    id: String,
    name: String,
    flash: Option<String>,
    chain: Vec<(String, String)>,
    fields: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    staff: Vec<StaffRow>,
    staff_error: Option<String>,
    error: Option<String>,
    tiers: Vec<(String, String)>,
    can_edit: bool,
    csrf: String,
    today: String,
    lists: Vec<super::duty::ListRow>,
    coverage: super::duty::CoverageLine,
    templates: Vec<(String, String)>,
}

fn yes_no(lang: Lang, b: bool) -> String {
    lang.t(if b { "yes" } else { "no" })
}

pub async fn detail(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Query(flash): Query<Flash>) -> WebResult<Response> {
    let lang = u.lang;
    let d = anze_service::org::detail(&s.ctx, &u.actor, id).await?;
    let Some(e) = &d.enterprise else { return Ok(Redirect::to(&format!("/organisations/{id}")).into_response()) };
    let can_edit = u.actor.can(Action::Edit, &target_of(&d.org, Some(e)));
    let work: Vec<String> = e
        .hazardous_work_kinds
        .split(',')
        .filter_map(HazardousWorkKind::parse)
        .map(|k| if lang == Lang::Zh { anze_service::sheet::hazardous_work_label(k).to_string() } else { k.as_str().replace('_', " ") })
        .collect();
    let region_name = d.region_chain.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(" / ");
    let f = |k: &str| lang.t(&format!("field-{k}"));
    let fields = vec![
        (f("credit_code"), e.credit_code.clone()),
        (f("industry_code"), format!("{} {}", e.industry_code, industry_name(lang, &e.industry_code))),
        (f("region_code"), format!("{region_name}（{}）", d.org.region_code)),
        (f("grid_code"), e.grid_code.clone().unwrap_or_default()),
        (f("address"), d.org.address.clone().unwrap_or_default()),
        (f("legal_representative"), e.legal_representative.clone()),
        (f("principal_name"), e.principal_name.clone()),
        (f("principal_phone"), e.principal_phone.as_deref().map(anze_domain::org::mask).unwrap_or_default()),
        (f("safety_director_name"), e.safety_director_name.clone().unwrap_or_default()),
        (f("headcount"), e.headcount.to_string()),
        (f("risk_level"), risk_label(lang, &e.risk_level)),
        (f("supervision_class"), e.supervision_class.to_uppercase()),
        (f("major_hazard_source"), yes_no(lang, e.major_hazard_source)),
        (f("hazardous_work_kinds"), work.join("、")),
        (f("liability_insurance"), yes_no(lang, e.liability_insurance)),
    ];
    let page = DetailPage {
        lang,
        user: UserBar::of(&u),
        id: d.org.id.clone(),
        name: d.org.name.clone(),
        flash: flash.saved.map(|_| lang.t("saved")),
        chain: d.region_chain.iter().map(|r| (r.code.clone(), r.name.clone())).collect(),
        fields,
        departments: d.supervising_departments.iter().map(|o| (o.id.clone(), o.name.clone())).collect(),
        staff: staff_rows(lang, &d.staff),
        staff_error: flash.error.clone(),
        error: flash.error,
        tiers: tier_options(lang, true),
        can_edit,
        csrf: u.csrf_token.clone(),
        today: today(),
        lists: super::duty::rows(&s, &u, id).await?,
        coverage: super::duty::coverage_line(&s, &u, id).await?,
        templates: super::duty::template_options(&s, true, e.high_risk_group.as_deref()).await?,
    };
    Ok(html(&page).into_response())
}

pub struct FormField {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub required: bool,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "enterprise_form.html")]
struct FormPage {
    lang: Lang,
    user: Option<UserBar>,
    title: String,
    action: String,
    cancel: String,
    csrf: String,
    fields: Vec<FormField>,
    errors: Vec<FieldError>,
    major: bool,
    insured: bool,
    work_kinds: Vec<(String, String, bool)>,
}

async fn form_page(
    s: &AppState,
    u: &CurrentUser,
    input: &EnterpriseInput,
    errors: Vec<FieldError>,
    action: String,
    title: String,
) -> WebResult<FormPage> {
    let lang = u.lang;
    let mut localities = vec![];
    for level in [RegionLevel::Township, RegionLevel::Village] {
        let rs = anze_service::org::regions_of_level(&s.ctx, level).await?;
        localities.extend(rs.into_iter().map(|r| (r.code.clone(), format!("{} {}", r.code, r.name))));
    }
    localities.sort();
    let err = |name: &str| errors.iter().find(|e| e.field == name).map(|e| lang.error(e.code, e.detail.as_deref()));
    let field = |name: &'static str, value: &str, required: bool, options: Vec<(String, String)>| FormField {
        name,
        label: lang.t(&format!("field-{name}")),
        value: value.to_string(),
        required,
        options,
        error: err(name),
    };
    let supervision: Vec<(String, String)> = ["a", "b", "c", "d"].iter().map(|c| (c.to_string(), c.to_uppercase())).collect();
    let industries = INDUSTRIES.iter().map(|i| (i.code.to_string(), format!("{} {}", i.code, industry_name(lang, i.code)))).collect();
    let fields = vec![
        field("name", &input.name, true, vec![]),
        field("credit_code", &input.credit_code, true, vec![]),
        field("industry_code", &input.industry_code, true, industries),
        field("region_code", &input.region_code, true, localities),
        field("grid_code", &input.grid_code, false, vec![]),
        field("address", &input.address, false, vec![]),
        field("legal_representative", &input.legal_representative, true, vec![]),
        field("principal_name", &input.principal_name, true, vec![]),
        field("principal_phone", &input.principal_phone, false, vec![]),
        field("safety_director_name", &input.safety_director_name, false, vec![]),
        field("headcount", &input.headcount, false, vec![]),
        field("risk_level", &input.risk_level, true, risk_options(lang)),
        field("supervision_class", &input.supervision_class, false, supervision),
    ];
    let work_kinds = HazardousWorkKind::ALL
        .iter()
        .map(|k| {
            let label =
                if lang == Lang::Zh { anze_service::sheet::hazardous_work_label(*k).to_string() } else { k.as_str().replace('_', " ") };
            (k.as_str().to_string(), label, input.hazardous_work_kinds.iter().any(|x| x == k.as_str()))
        })
        .collect();
    let cancel = if action == "/enterprises" { "/enterprises".to_string() } else { action.clone() };
    Ok(FormPage {
        lang,
        user: UserBar::of(u),
        title,
        action,
        cancel,
        csrf: u.csrf_token.clone(),
        fields,
        errors,
        major: input.major_hazard_source,
        insured: input.liability_insurance,
        work_kinds,
    })
}

/// The base-record form as typed (checkboxes: absent is no).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EnterpriseForm {
    name: String,
    credit_code: String,
    industry_code: String,
    region_code: String,
    grid_code: String,
    address: String,
    legal_representative: String,
    principal_name: String,
    principal_phone: String,
    safety_director_name: String,
    headcount: String,
    risk_level: String,
    supervision_class: String,
    #[serde(deserialize_with = "flag")]
    major_hazard_source: bool,
    hazardous_work_kinds: Vec<String>,
    #[serde(deserialize_with = "flag")]
    liability_insurance: bool,
}

impl From<EnterpriseForm> for EnterpriseInput {
    fn from(f: EnterpriseForm) -> Self {
        EnterpriseInput {
            name: f.name,
            credit_code: f.credit_code,
            industry_code: f.industry_code,
            region_code: f.region_code,
            grid_code: f.grid_code,
            address: f.address,
            legal_representative: f.legal_representative,
            principal_name: f.principal_name,
            principal_phone: f.principal_phone,
            safety_director_name: f.safety_director_name,
            headcount: f.headcount,
            risk_level: f.risk_level,
            supervision_class: f.supervision_class,
            major_hazard_source: f.major_hazard_source,
            hazardous_work_kinds: f.hazardous_work_kinds,
            liability_insurance: f.liability_insurance,
        }
    }
}

pub async fn new_form(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    let input = EnterpriseInput { supervision_class: "c".into(), ..Default::default() };
    let page = form_page(&s, &u, &input, vec![], "/enterprises".into(), u.lang.t("enterprise-new")).await?;
    Ok(html(&page).into_response())
}

pub async fn create(State(s): State<AppState>, u: CurrentUser, Form(f): Form<EnterpriseForm>) -> WebResult<Response> {
    let input = EnterpriseInput::from(f);
    match anze_service::org::create_enterprise(&s.ctx, &u.actor, &input, chrono::Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/enterprises/{id}?saved=1")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = form_page(&s, &u, &input, errors, "/enterprises".into(), u.lang.t("enterprise-new")).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    let lang = u.lang;
    let (o, e) = anze_service::scope::organisation(&s.ctx, &u.actor, id).await?;
    let e = e.ok_or_else(WebError::not_found)?;
    if !u.actor.can(Action::Edit, &target_of(&o, Some(&e))) {
        return Err(ServiceError::Forbidden.into());
    }
    let input = EnterpriseInput {
        name: o.name.clone(),
        credit_code: e.credit_code.clone(),
        industry_code: e.industry_code.clone(),
        region_code: o.region_code.clone(),
        grid_code: e.grid_code.clone().unwrap_or_default(),
        address: o.address.clone().unwrap_or_default(),
        legal_representative: e.legal_representative.clone(),
        principal_name: e.principal_name.clone(),
        principal_phone: e.principal_phone.clone().unwrap_or_default(),
        safety_director_name: e.safety_director_name.clone().unwrap_or_default(),
        headcount: e.headcount.to_string(),
        risk_level: e.risk_level.clone(),
        supervision_class: e.supervision_class.clone(),
        major_hazard_source: e.major_hazard_source,
        hazardous_work_kinds: e.hazardous_work_kinds.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
        liability_insurance: e.liability_insurance,
    };
    let page = form_page(&s, &u, &input, vec![], format!("/enterprises/{id}"), lang.t("enterprise-edit")).await?;
    Ok(html(&page).into_response())
}

pub async fn update(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<EnterpriseForm>) -> WebResult<Response> {
    let lang = u.lang;
    let input = EnterpriseInput::from(f);
    match anze_service::org::update_enterprise(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/enterprises/{id}?saved=1")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = form_page(&s, &u, &input, errors, format!("/enterprises/{id}"), lang.t("enterprise-edit")).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
