//! HTML pages. Each handler extracts, calls a service, renders a template.

mod auth;
// campaigns (issue 5)
mod campaigns;
mod common;
mod coverage;
mod duty;
mod enterprises;
mod fulfilment;
// grid work (issue 4)
mod grid;
mod imports;
mod ledger;
// reminders and outbox (issue 5)
mod notify;
mod orgs;
mod phone;
mod spot_checks;
// hazards (issue 4)
mod hazards;
mod inspections;
mod users;

use crate::AppState;
use crate::error::FieldMessage;
use crate::extract::CurrentUser;
use crate::i18n::Lang;
use askama::Template;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(auth::home))
        // reminders and outbox (issue 5)
        .route("/notifications", get(notify::list))
        .route("/notifications/{id}/read", post(notify::mark_read))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/password", get(auth::password_page).post(auth::change_password))
        .route("/enterprises", get(enterprises::list).post(enterprises::create))
        .route("/enterprises/new", get(enterprises::new_form))
        .route("/enterprises/{id}", get(enterprises::detail).post(enterprises::update))
        .route("/enterprises/{id}/edit", get(enterprises::edit_form))
        .route("/organisations", get(orgs::list).post(orgs::create))
        .route("/organisations/new", get(orgs::new_form))
        .route("/organisations/{id}", get(orgs::detail))
        .route("/organisations/{id}/staff", post(orgs::add_staff))
        .route("/employments/{id}/end", post(orgs::end_employment))
        .route("/employments/{id}/change-post", post(orgs::change_post))
        .route("/coverage", get(coverage::rollup))
        .route("/coverage/enterprises", get(coverage::enterprises))
        .route("/coverage/government", get(coverage::government))
        .route("/enterprises/{id}/fit/dismiss", post(duty::dismiss_fit))
        .route("/regions", get(orgs::regions))
        .route("/m/{token}", get(phone::identify_form).post(phone::lists))
        .route("/m/{token}/sign", post(phone::sign))
        .route("/m/{token}/hazard", get(phone::hazard_form).post(phone::hazard_report))
        .route("/enterprises/{id}/qr.svg", get(phone::qr_svg))
        .route("/enterprises/{id}/duty-lists", post(duty::create))
        .route("/duty-lists/{id}", get(duty::show))
        .route("/duty-templates", get(duty::templates).post(duty::import_templates))
        .route("/duty-templates.xlsx", get(duty::templates_xlsx))
        .route("/duty-lists/{id}/publish", post(duty::publish))
        .route("/duty-lists/{id}/compare/{other}", get(duty::compare))
        .route("/enterprises/{id}/qr/revoke", post(phone::revoke_qr))
        .route("/users", get(users::list).post(users::create))
        .route("/users/new", get(users::new_form))
        .route("/users/{username}/reset", post(users::reset))
        .route("/users/{username}/disable", post(users::disable))
        .route("/users/{username}/enable", post(users::enable))
        .route("/audit", get(orgs::audit_recent))
        .route("/audit/{object_type}/{id}", get(orgs::audit_trail))
        .route("/imports", get(imports::show).post(imports::upload))
        .route("/imports/{id}", get(imports::job))
        .route("/imports/{id}/errors.xlsx", get(imports::errors_xlsx))
        .route("/imports/template/{file}", get(imports::template))
        .route("/exports/enterprises.xlsx", get(imports::export_enterprises))
        .route("/organisations/{id}/staff.xlsx", get(imports::export_staff))
        .route("/duty-items/{id}", get(fulfilment::item))
        .route("/duty-items/{id}/records", post(fulfilment::add))
        .route("/photos/{id}", get(fulfilment::photo))
        .route("/photos/{id}/thumb", get(fulfilment::photo_thumb))
        .route("/duty-lists/{id}/print", get(fulfilment::print))
        .route("/duty-lists/{id}/docx", get(fulfilment::docx))
        .route("/spot-checks", get(spot_checks::list).post(spot_checks::create))
        .route("/spot-checks/{id}", get(spot_checks::show))
        .route("/spot-checks/{id}/result", post(spot_checks::record))
        // hazards (issue 4)
        .route("/hazards", get(hazards::list).post(hazards::create))
        .route("/hazards/new", get(hazards::new_form))
        .route("/hazards/overview", get(hazards::overview))
        .route("/hazards/{id}", get(hazards::show))
        .route("/hazards/{id}/transition", post(hazards::transition))
        .route("/hazards/{id}/plan", post(hazards::save_plan))
        .route("/hazards/{id}/listing", post(hazards::set_listing))
        .route("/hazards/{id}/exposure", post(hazards::approve_exposure))
        .route("/hazards/{id}/reward", post(hazards::grant_reward))
        .route("/hazards/{id}/payout", post(hazards::record_payout))
        .route("/inspections", get(inspections::list).post(inspections::create))
        .route("/inspections/stats", get(inspections::stats))
        .route("/checklists", get(inspections::checklists).post(inspections::import_checklist))
        .route("/checklists/template.xlsx", get(inspections::checklist_template))
        .route("/inspections/{id}", get(inspections::show))
        .route("/inspections/{id}/state", post(inspections::advance))
        .route("/inspections/{id}/visits", post(inspections::visit))
        .route("/inspections/{id}/report.docx", get(inspections::report_docx))
        .route("/inspections/{id}/archive.zip", get(inspections::archive_zip))
        .route("/draws", post(inspections::create_draw))
        .route("/draws/{id}", get(inspections::show_draw))
        .route("/draws/{id}/public", get(inspections::public_draw))
        .route("/exposure", get(hazards::public_exposure))
        .route("/enterprises/{id}/ledger", get(ledger::enterprise))
        .route("/ledgers", get(ledger::city))
        // campaigns (issue 5)
        .route("/campaigns", get(campaigns::campaigns).post(campaigns::load))
        .route("/campaigns/{id}", get(campaigns::campaign))
        .route("/campaigns/{id}/copy", post(campaigns::copy))
        .route("/campaigns/{id}/exemptions", post(campaigns::exempt))
        .route("/activities", get(campaigns::activities).post(campaigns::create_activity))
        .route("/activities/import", post(campaigns::import_activities))
        .route("/activities/template.xlsx", get(campaigns::activities_template))
        .route("/attachments/{id}", get(campaigns::attachment))
        .route("/board", get(campaigns::board))
        .route("/board.xlsx", get(campaigns::board_xlsx))
        .route("/board/units/{id}", get(campaigns::unit))
        // grid work (issue 4)
        .route("/patrols", get(grid::patrols).post(grid::create_patrol))
        .route("/patrols/new", get(grid::new_patrol))
        .route("/patrols/{id}", get(grid::patrol))
        .route("/publicity", get(grid::publicity).post(grid::create_publicity))
        .route("/publicity/new", get(grid::new_publicity))
        .route("/grid/figures", get(grid::figures))
        .route("/grid/figures.xlsx", get(grid::figures_xlsx))
}

pub use imports::reason as imports_reason;

/// What the layout needs to know about the signed-in user.
pub struct UserBar {
    pub name: String,
    pub csrf: String,
    pub admin: bool,
    /// Unread notices of the user's units.
    pub unread: u64,
    /// Grid work (issue 4): grid workers and the officials who see their records.
    pub grid: bool,
}

impl UserBar {
    pub fn of(u: &CurrentUser) -> Option<UserBar> {
        Some(UserBar {
            name: u.actor.name.clone(),
            csrf: u.csrf_token.clone(),
            admin: u.actor.can_somewhere(anze_domain::auth::Action::ManageUsers),
            unread: u.unread,
            grid: u.actor.assignments.iter().any(|a| !a.role.is_organisation_bound()),
        })
    }
}

/// Renders a template; a template error is logged and shown as a plain message.
pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template error");
        "系统内部错误 (template)".to_string()
    })
}

pub fn html<T: Template>(t: &T) -> axum::response::Html<String> {
    axum::response::Html(render(t))
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub lang: Lang,
    pub status: u16,
    pub message: String,
    pub fields: Vec<FieldMessage>,
    pub user: Option<UserBar>,
}
