//! Duty lists on the enterprise page: coverage, versions, create from a template, publish,
//! and one list's page (which is also its print view).

use super::common::tier_label;
use super::{UserBar, html};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{CurrentUser, Form, Path};
use crate::i18n::Lang;
use anze_domain::org::PostTier;
use anze_service::ServiceError;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

pub struct ListRow {
    pub id: String,
    pub tier: String,
    pub title: String,
    pub version: i32,
    pub state: String,
    pub state_code: String,
    pub signatures: usize,
}

pub struct CoverageLine {
    pub text: String,
    pub missing: String,
    /// Fit-check findings.
    pub fit: Vec<FitLine>,
    /// Whether the viewer may dismiss a flag (inspection powers; the service decides per unit).
    pub can_dismiss: bool,
    /// People without a signed current list: name, tiers, stale.
    pub uncovered: Vec<(String, String, bool)>,
    /// The latest daily notices.
    pub notices: Vec<String>,
}

pub struct FitLine {
    pub text: String,
    pub key: String,
    /// "Dismissed by … on …: reason", when dismissed.
    pub dismissed: Option<String>,
}

pub async fn rows(s: &AppState, u: &CurrentUser, org: Uuid) -> WebResult<Vec<ListRow>> {
    let lang = u.lang;
    let lists = anze_service::duty::lists_of(&s.ctx, &u.actor, org).await?;
    Ok(lists
        .into_iter()
        .map(|l| ListRow {
            tier: tier_label(lang, &l.tier),
            state: lang.t(&format!("duty-state-{}", l.state)),
            state_code: l.state,
            id: l.id,
            title: l.title,
            version: l.version,
            signatures: l.signatures,
        })
        .collect())
}

pub async fn coverage_line(s: &AppState, u: &CurrentUser, org: Uuid) -> WebResult<CoverageLine> {
    let lang = u.lang;
    let c = anze_service::coverage::of_unit(&s.ctx, &u.actor, org, s.ctx.settings.stale_after_days, chrono::Utc::now()).await?;
    let text = lang.t_args(
        "duty-coverage",
        &[
            ("covered", c.covered.to_string()),
            ("people", c.people.to_string()),
            ("percent", format!("{:.1}", c.permille as f64 / 10.0)),
            ("stale", c.stale.to_string()),
        ],
    );
    let tiers = |ts: &[String]| ts.iter().map(|t| tier_label(lang, t)).collect::<Vec<_>>().join("、");
    let missing = tiers(&c.missing_lists);
    let uncovered = c.persons.iter().filter(|p| !p.covered).map(|p| (p.name.clone(), tiers(&p.tiers), p.stale)).collect();
    let flags = anze_service::duty::fit(&s.ctx, &u.actor, org).await?;
    let fit = flags
        .iter()
        .map(|f| {
            let tiers = f.tiers.iter().map(|t| tier_label(lang, t)).collect::<Vec<_>>().join(" / ");
            let score = match f.code {
                "duty.fit.same_across_tiers" => format!("{:.0}%", f.score * 100.0),
                "duty.fit.copied_across_industries" => f
                    .others
                    .iter()
                    .map(|(n, i)| format!("{n}（{}）", super::enterprises::industry_name(lang, i)))
                    .collect::<Vec<_>>()
                    .join("、"),
                _ => format!("{}", f.score),
            };
            FitLine {
                text: lang.t_args(&format!("duty-fit-{}", f.code.rsplit('.').next().unwrap_or("")), &[("tiers", tiers), ("score", score)]),
                key: f.key.clone(),
                dismissed: f.dismissed.as_ref().map(|d| {
                    let at = d.at.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d").to_string();
                    lang.t_args("duty-fit-dismissed", &[("by", d.by.clone()), ("at", at), ("reason", d.reason.clone())])
                }),
            }
        })
        .collect();
    let can_dismiss = u.actor.can_somewhere(anze_domain::auth::Action::Inspect);
    let notices = anze_service::coverage::notices(&s.ctx, &u.actor, org)
        .await?
        .into_iter()
        .map(|n| {
            if n.kind == anze_service::hazard::ESCALATION_NOTICE {
                return lang.t_args("hazard-escalation-notice", &[("date", n.issued_on.to_string()), ("hazards", n.hazards.join("；"))]);
            }
            lang.t_args(
                "duty-stale-notice",
                &[("date", n.issued_on.to_string()), ("stale", n.stale.to_string()), ("names", n.names.join("、"))],
            )
        })
        .collect();
    Ok(CoverageLine { text, missing, fit, can_dismiss, uncovered, notices })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DismissForm {
    key: String,
    reason: String,
}

/// An officer dismisses a fit flag with a reason; back to the enterprise page.
pub async fn dismiss_fit(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<DismissForm>,
) -> WebResult<Response> {
    match anze_service::duty::dismiss_fit(&s.ctx, &u.actor, id, &f.key, &f.reason, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/enterprises/{id}?saved=1#fit-flags")).into_response()),
        Err(ServiceError::Refused(code)) => {
            Ok(Redirect::to(&format!("/enterprises/{id}?error={}#fit-flags", crate::extract::urlencode(&u.lang.error(code, None))))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Templates for the enterprise (or government) tiers, for the "new list" form: the
/// enterprise's own high-risk group first, then the general ones, then the rest.
pub async fn template_options(s: &AppState, enterprise: bool, group: Option<&str>) -> WebResult<Vec<(String, String)>> {
    let mut all: Vec<_> = anze_service::duty::templates(&s.ctx)
        .await?
        .into_iter()
        .filter(|t| PostTier::parse(&t.tier).is_some_and(|x| x.is_enterprise_tier() == enterprise))
        .collect();
    let tier_rank = |t: &str| PostTier::ALL.iter().position(|x| x.as_str() == t).unwrap_or(usize::MAX);
    all.sort_by_key(|t| {
        (Some(t.industry_group.as_str()) != group, t.industry_group != "general", t.industry_group.clone(), tier_rank(&t.tier))
    });
    Ok(all.into_iter().map(|t| (t.code, t.name)).collect())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewListForm {
    template: String,
}

pub async fn create(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<NewListForm>) -> WebResult<Response> {
    let list = anze_service::duty::create_list(&s.ctx, &u.actor, id, &f.template, chrono::Utc::now()).await?;
    Ok(Redirect::to(&format!("/duty-lists/{list}")).into_response())
}

pub async fn publish(State(s): State<AppState>, u: CurrentUser, Path(id): Path<Uuid>) -> WebResult<Response> {
    match anze_service::duty::publish(&s.ctx, &u.actor, id, chrono::Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/duty-lists/{id}?published=1")).into_response()),
        Err(ServiceError::Refused(code)) => Ok(Redirect::to(&format!("/duty-lists/{id}?error={code}")).into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "duty_list.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    id: String,
    org_id: String,
    org_name: String,
    title: String,
    tier: String,
    version: i32,
    state: String,
    is_draft: bool,
    text_hash: String,
    items: Vec<(i32, String, String, String, String)>,
    flash: Option<String>,
    message: Option<String>,
    versions: Vec<(String, i32)>,
    signatures: Vec<(String, String, String)>,
    /// Per item (in `items` order): its id, its last fulfilment date and its gaps (empty: none).
    fulfil: Vec<(String, String, String)>,
}

#[derive(serde::Deserialize, Default)]
pub struct ListFlash {
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    u: CurrentUser,
    Path(id): Path<Uuid>,
    axum::extract::Query(f): axum::extract::Query<ListFlash>,
) -> WebResult<Response> {
    let lang = u.lang;
    let (l, items, o) = anze_service::duty::list_detail(&s.ctx, &u.actor, id).await?;
    let summary = anze_service::fulfilment::list_summary(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    let fulfil = items
        .iter()
        .map(|i| {
            let f = summary.get(&i.id).cloned().unwrap_or_default();
            let gaps = if f.gaps > 0 { f.gaps.to_string() } else { String::new() };
            (i.id.clone(), f.last.map(|r| r.done_on.to_string()).unwrap_or_default(), gaps)
        })
        .collect();
    let page = ListPage {
        fulfil,
        lang,
        user: UserBar::of(&u),
        csrf: u.csrf_token.clone(),
        id: l.id.clone(),
        org_id: o.id.clone(),
        org_name: o.name.clone(),
        title: l.title.clone(),
        tier: tier_label(lang, &l.tier),
        version: l.version,
        state: lang.t(&format!("duty-state-{}", l.state)),
        is_draft: l.state == "draft",
        text_hash: l.text_hash.clone().unwrap_or_default(),
        items: items
            .into_iter()
            .map(|i| (i.position, i.text, i.legal_basis, lang.t(&format!("frequency-{}", i.frequency)), i.evidence))
            .collect(),
        flash: f.published.map(|_| lang.t("duty-published")),
        message: f.error.filter(|c| c.starts_with("duty.")).map(|c| lang.error(&c, None)),
        versions: anze_service::duty::versions(&s.ctx, &u.actor, id).await?,
        signatures: anze_service::duty::signatures(&s.ctx, &u.actor, id)
            .await?
            .into_iter()
            .map(|(name, at, method)| {
                let local = at.with_timezone(&anze_domain::time::shanghai()).format("%Y-%m-%d %H:%M").to_string();
                (name, local, lang.t(&format!("duty-sign-{method}")))
            })
            .collect(),
    };
    Ok(html(&page).into_response())
}

#[derive(Template)]
#[template(path = "duty_compare.html")]
struct ComparePage {
    lang: Lang,
    user: Option<UserBar>,
    id: String,
    rows: Vec<(String, String, String)>,
}

/// Item-by-item comparison of this version (`id`) against another version (`other`).
pub async fn compare(State(s): State<AppState>, u: CurrentUser, Path((after, before)): Path<(Uuid, Uuid)>) -> WebResult<Response> {
    use anze_domain::duty::ItemChange;
    let lang = u.lang;
    let changes = anze_service::duty::compare(&s.ctx, &u.actor, before, after).await?;
    let rows = changes
        .into_iter()
        .map(|c| match c {
            ItemChange::Same { text } => ("same".to_string(), text.clone(), text),
            ItemChange::Changed { before, after } => (
                "changed".into(),
                format!("{}（{} · {}）", before.text, before.legal_basis, lang.t(&format!("frequency-{}", before.frequency.as_str()))),
                format!("{}（{} · {}）", after.text, after.legal_basis, lang.t(&format!("frequency-{}", after.frequency.as_str()))),
            ),
            ItemChange::Added { after } => ("added".into(), String::new(), after.text),
            ItemChange::Removed { before } => ("removed".into(), before.text, String::new()),
        })
        .map(|(k, b, a)| (lang.t(&format!("duty-change-{k}")), b, a))
        .collect();
    Ok(html(&ComparePage { lang, user: UserBar::of(&u), id: after.to_string(), rows }).into_response())
}

#[derive(Template)]
#[template(path = "duty_templates.html")]
struct TemplatesPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    can_import: bool,
    flash: Option<String>,
    errors: Vec<String>,
    rows: Vec<(String, String, String, String)>,
}

async fn templates_page(s: &AppState, u: &CurrentUser, flash: Option<String>, errors: Vec<String>) -> WebResult<TemplatesPage> {
    let lang = u.lang;
    let all = anze_service::duty::templates(&s.ctx).await?;
    Ok(TemplatesPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        can_import: u.actor.can_somewhere(anze_domain::auth::Action::Create),
        flash,
        errors,
        rows: all.into_iter().map(|t| (t.code, t.name, tier_label(lang, &t.tier), t.industry_group)).collect(),
    })
}

pub async fn templates(State(s): State<AppState>, u: CurrentUser) -> WebResult<Response> {
    Ok(html(&templates_page(&s, &u, None, vec![]).await?).into_response())
}

pub async fn templates_xlsx(State(s): State<AppState>, _: CurrentUser) -> WebResult<Response> {
    let bytes = anze_service::duty::export_templates(&s.ctx).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"duty-templates.xlsx\""),
        ],
        bytes,
    )
        .into_response())
}

pub async fn import_templates(State(s): State<AppState>, u: CurrentUser, mut form: axum::extract::Multipart) -> WebResult<Response> {
    let lang = u.lang;
    let mut file = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            file = field.bytes().await.ok();
        }
    }
    let Some(file) = file else { return Err(ServiceError::field("file", "field.required").into()) };
    let result = anze_service::duty::import_templates(&s.ctx, &u.actor, &file, chrono::Utc::now()).await?;
    let page = match result {
        Ok(n) => templates_page(&s, &u, Some(lang.t_args("duty-templates-imported", &[("count", n.to_string())])), vec![]).await?,
        Err(errors) => {
            let lines = errors.iter().map(|e| format!("第{}行 {}：{}", e.row, e.column, super::imports::reason(lang, e))).collect();
            templates_page(&s, &u, None, lines).await?
        }
    };
    Ok(html(&page).into_response())
}
