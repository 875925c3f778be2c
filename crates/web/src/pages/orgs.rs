//! Organisations, their people and posts, the region browser and the audit trail.

use super::common::{Flash, StaffRow, field_sentence, staff_rows, tier_options, today};
use super::enterprises::industry_name;
use super::{UserBar, html};
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{CurrentUser, Form, Path, urlencode};
use crate::i18n::Lang;
use anze_domain::auth::Action;
use anze_domain::org::OrgKind;
use anze_service::ServiceError;
use anze_service::audit::AuditEvent;
use anze_service::org::ListQuery;
use anze_service::people::StaffInput;
use anze_service::scope::target_of;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

pub struct OrgRow {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub region: String,
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    kind: String,
    kinds: Vec<(String, String)>,
    rows: Vec<OrgRow>,
    next: Option<String>,
    can_create: bool,
}

pub async fn list(State(s): State<AppState>, u: CurrentUser, Query(mut q): Query<ListQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let kind = q.kind.clone().filter(|k| !k.is_empty()).unwrap_or_else(|| "department".into());
    q.kind = Some(kind.clone());
    let page = anze_service::org::list(&s.ctx, &u.actor, &q, 100).await?;
    let rows = page
        .items
        .into_iter()
        .map(|(o, e)| OrgRow {
            href: if e.is_some() { format!("/enterprises/{}", o.id) } else { format!("/organisations/{}", o.id) },
            kind: lang.t(&format!("kind-{}", o.kind)),
            region: o.region_code,
            name: o.name,
        })
        .collect();
    let kinds = OrgKind::ALL.iter().map(|k| (k.as_str().to_string(), lang.t(&format!("kind-{}", k.as_str())))).collect();
    Ok(html(&ListPage {
        lang,
        user: UserBar::of(&u),
        kind,
        kinds,
        rows,
        next: page.next,
        can_create: u.actor.can_somewhere(Action::Create),
    })
    .into_response())
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct DetailPage {
    lang: Lang,
    user: Option<UserBar>,
    id: String,
    name: String,
    kind: String,
    region: String,
    flash: Option<String>,
    industries: Vec<(String, String)>,
    members: Vec<(String, String, bool)>,
    committees: Vec<(String, String)>,
    staff: Vec<StaffRow>,
    staff_error: Option<String>,
    tiers: Vec<(String, String)>,
    can_edit: bool,
    csrf: String,
    today: String,
}

pub async fn detail(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Query(flash): Query<Flash>) -> WebResult<Response> {
    let lang = u.lang;
    let d = anze_service::org::detail(&s.ctx, &u.actor, id).await?;
    if d.enterprise.is_some() {
        return Ok(Redirect::to(&format!("/enterprises/{id}")).into_response());
    }
    let page = DetailPage {
        lang,
        user: UserBar::of(&u),
        id: d.org.id.clone(),
        name: d.org.name.clone(),
        kind: lang.t(&format!("kind-{}", d.org.kind)),
        region: d.region_chain.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(" / "),
        flash: flash.saved.map(|_| lang.t("saved")),
        industries: d.industries.iter().map(|c| (c.clone(), industry_name(lang, c))).collect(),
        members: d.committee_members.iter().map(|(o, role)| (o.id.clone(), o.name.clone(), role == "lead")).collect(),
        committees: d.committees.iter().map(|o| (o.id.clone(), o.name.clone())).collect(),
        staff: staff_rows(lang, &d.staff),
        staff_error: flash.error,
        tiers: tier_options(lang, false),
        can_edit: u.actor.can(Action::Edit, &target_of(&d.org, None)),
        csrf: u.csrf_token.clone(),
        today: today(),
    };
    Ok(html(&page).into_response())
}

fn org_page(id: Uuid, is_enterprise: bool) -> String {
    if is_enterprise { format!("/enterprises/{id}") } else { format!("/organisations/{id}") }
}

pub async fn add_staff(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    Form(input): Form<StaffForm>,
) -> WebResult<Response> {
    let (_, ent) = anze_service::scope::organisation(&s.ctx, &u.actor, id).await?;
    let back = org_page(id, ent.is_some());
    match anze_service::people::add_staff(&s.ctx, &u.actor, id, &input.into(), chrono::Utc::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("{back}?saved=1#staff-table")).into_response()),
        Err(ServiceError::Invalid(fields)) => {
            Ok(Redirect::to(&format!("{back}?error={}#staff-form", urlencode(&field_sentence(u.lang, &fields)))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The staff form (the organisation and enterprise pages).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StaffForm {
    name: String,
    id_number: String,
    phone: String,
    post_title: String,
    tier: String,
    unit_name: String,
    start_date: String,
    end_date: String,
}

impl From<StaffForm> for StaffInput {
    fn from(f: StaffForm) -> Self {
        StaffInput {
            name: f.name,
            id_number: f.id_number,
            phone: f.phone,
            post_title: f.post_title,
            tier: f.tier,
            unit_name: f.unit_name,
            start_date: f.start_date,
            end_date: f.end_date,
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EndForm {
    end_date: String,
}

pub async fn end_employment(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<EndForm>,
) -> WebResult<Response> {
    let (org, is_enterprise) = anze_service::people::end_employment(&s.ctx, &u.actor, id, &f.end_date, chrono::Utc::now()).await?;
    Ok(Redirect::to(&format!("{}?saved=1#staff-table", org_page(org, is_enterprise))).into_response())
}

/// The change-of-post form: the new post and the day it starts.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PostForm {
    post_title: String,
    tier: String,
    unit_name: String,
    start_date: String,
}

/// A change of post in one step (the old post ends the day before the new one starts).
pub async fn change_post(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PostForm>) -> WebResult<Response> {
    let change =
        anze_service::people::PostChange { post_title: f.post_title, tier: f.tier, unit_name: f.unit_name, start_date: f.start_date };
    anze_service::people::change_post(&s.ctx, &u.actor, id, &change, chrono::Utc::now()).await?;
    let (org, is_enterprise) = anze_service::people::employment(&s.ctx, &u.actor, id).await?;
    Ok(Redirect::to(&format!("{}?saved=1#staff-table", org_page(org, is_enterprise))).into_response())
}

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    lang: Lang,
    user: Option<UserBar>,
    current: Option<String>,
    chain: Vec<(String, String)>,
    children: Vec<(String, String, String)>,
}

#[derive(serde::Deserialize)]
pub struct RegionQuery {
    #[serde(default)]
    code: Option<String>,
}

pub async fn regions(State(s): State<AppState>, u: CurrentUser, Query(q): Query<RegionQuery>) -> WebResult<Response> {
    let lang = u.lang;
    let code = q.code.filter(|c| !c.is_empty());
    let (chain, children) = anze_service::org::region_children(&s.ctx, code.as_deref()).await?;
    let page = RegionsPage {
        lang,
        user: UserBar::of(&u),
        current: code,
        chain: chain.into_iter().map(|r| (r.code, r.name)).collect(),
        children: children.into_iter().map(|r| (r.code, r.name, lang.t(&format!("level-{}", r.level)))).collect(),
    };
    Ok(html(&page).into_response())
}

pub struct EventRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub changes: String,
    pub address: String,
}

fn event_rows(events: Vec<AuditEvent>) -> Vec<EventRow> {
    events
        .into_iter()
        .map(|e| EventRow {
            seq: e.seq,
            at: chrono::DateTime::parse_from_rfc3339(&e.occurred_at)
                .map(|t| t.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or(e.occurred_at),
            actor: e.actor_name,
            action: e.action,
            changes: e.changes,
            address: e.address,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    lang: Lang,
    user: Option<UserBar>,
    title: String,
    events: Vec<EventRow>,
}

/// The trail of one object; the object must be in the caller's scope.
pub async fn audit_trail(State(s): State<AppState>, u: CurrentUser, Path((object_type, id)): Path<(String, Uuid)>) -> WebResult<Response> {
    let lang = u.lang;
    let title = match object_type.as_str() {
        "organisation" => {
            let (o, _) = anze_service::scope::organisation(&s.ctx, &u.actor, id).await?;
            format!("{}：{}", lang.t("audit-trail"), o.name)
        }
        "user" if u.actor.can_somewhere(Action::ManageUsers) || u.actor.user_id == Some(id) => lang.t("audit-trail"),
        _ => return Err(WebError::not_found()),
    };
    let events = anze_service::audit::trail(&s.ctx, &object_type, &id.to_string()).await?;
    Ok(html(&AuditPage { lang, user: UserBar::of(&u), title, events: event_rows(events) }).into_response())
}

/// The newest events of the whole tenant: city administrators only.
pub async fn audit_recent(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    let lang = u.lang;
    if !u.actor.can_somewhere(Action::ManageUsers) {
        return Err(WebError::not_found());
    }
    let events = anze_service::audit::recent(&s.ctx, None, 200).await?;
    Ok(html(&AuditPage { lang, user: UserBar::of(&u), title: lang.t("audit-recent"), events: event_rows(events) }).into_response())
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
struct FormPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    message: Option<String>,
    kinds: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    industries: Vec<(String, String, bool)>,
    departments: Vec<(String, String)>,
    kind: String,
    name: String,
    region_code: String,
    address: String,
    lead_unit: String,
    members: Vec<String>,
}

/// The organisation form as typed; a refused one comes back filled in.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OrganisationForm {
    kind: String,
    name: String,
    region_code: String,
    address: String,
    industries: Vec<String>,
    lead_unit: String,
    members: Vec<String>,
}

async fn form_page(s: &AppState, u: &CurrentUser, f: OrganisationForm, message: Option<String>) -> WebResult<FormPage> {
    let lang = u.lang;
    let mut regions = vec![];
    for level in [anze_domain::org::RegionLevel::County, anze_domain::org::RegionLevel::Township] {
        let rs = anze_service::org::regions_of_level(&s.ctx, level).await?;
        regions.extend(rs.into_iter().map(|r| (r.code.clone(), format!("{} {}", r.code, r.name))));
    }
    let q = ListQuery { kind: Some("department".into()), ..Default::default() };
    let departments = anze_service::org::list(&s.ctx, &u.actor, &q, 200).await?.items.into_iter().map(|(o, _)| (o.id, o.name)).collect();
    Ok(FormPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        message,
        kinds: OrgKind::ALL
            .iter()
            .filter(|k| **k != OrgKind::Enterprise)
            .map(|k| (k.as_str().to_string(), lang.t(&format!("kind-{}", k.as_str()))))
            .collect(),
        regions,
        industries: anze_domain::org::INDUSTRIES
            .iter()
            .map(|i| (i.code.to_string(), industry_name(lang, i.code), f.industries.iter().any(|c| c == i.code)))
            .collect(),
        departments,
        kind: f.kind,
        name: f.name,
        region_code: f.region_code,
        address: f.address,
        lead_unit: f.lead_unit,
        members: f.members,
    })
}

pub async fn new_form(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    Ok(html(&form_page(&s, &u, OrganisationForm::default(), None).await?).into_response())
}

pub async fn create(State(s): State<AppState>, u: CurrentUser, Form(f): Form<OrganisationForm>) -> WebResult<Response> {
    let input = anze_service::org::OrganisationInput {
        kind: f.kind.clone(),
        name: f.name.clone(),
        region_code: f.region_code.clone(),
        address: f.address.clone(),
        industries: f.industries.clone(),
        lead_unit: Some(f.lead_unit.clone()),
        members: f.members.clone(),
    };
    match anze_service::org::create_organisation(&s.ctx, &u.actor, &input, chrono::Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/organisations/{id}?saved=1")).into_response()),
        Err(ServiceError::Invalid(fields)) => {
            let message = field_sentence(u.lang, &fields);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&form_page(&s, &u, f, Some(message)).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
