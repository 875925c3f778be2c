//! Accounts (city administrators only; everyone else gets 404, as for any object they may
//! not see). New and reset passwords are generated, shown once, and must be changed.

use super::{UserBar, html};
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{CurrentUser, Form, Path};
use crate::i18n::Lang;
use anze_domain::auth::{Action, Role};
use anze_service::ServiceError;
use anze_service::auth::{AssignmentInput, NewUser, random_password};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

fn admin_only(u: &CurrentUser) -> WebResult<()> {
    if u.actor.can_somewhere(Action::ManageUsers) { Ok(()) } else { Err(WebError::not_found()) }
}

pub struct UserRow {
    pub username: String,
    pub name: String,
    pub roles: String,
    pub status: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct ListPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    flash: Option<String>,
    rows: Vec<UserRow>,
}

#[derive(serde::Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    done: Option<String>,
}

pub async fn list(State(s): State<AppState>, u: CurrentUser, Query(f): Query<Flash>) -> WebResult<Response> {
    admin_only(&u)?;
    let lang = u.lang;
    let now = chrono::Utc::now();
    let users = anze_service::auth::list_users(&s.ctx, &u.actor).await?;
    let rows = users
        .into_iter()
        .map(|(usr, roles)| UserRow {
            status: lang.t(if usr.disabled {
                "user-state-disabled"
            } else if usr.locked_until.is_some_and(|t| t > now) {
                "user-state-locked"
            } else if usr.must_change_password {
                "user-state-must-change"
            } else {
                "user-state-active"
            }),
            roles: roles.iter().map(|r| lang.t(&format!("role-{}", r.role))).collect::<Vec<_>>().join("、"),
            username: usr.username,
            name: usr.display_name,
            disabled: usr.disabled,
        })
        .collect();
    let flash = f.done.and_then(|d| match d.as_str() {
        "disabled" => Some(lang.t("user-disabled")),
        "enabled" => Some(lang.t("user-enabled")),
        _ => None,
    });
    Ok(html(&ListPage { lang, user: UserBar::of(&u), csrf: u.csrf_token.clone(), flash, rows }).into_response())
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage {
    lang: Lang,
    user: Option<UserBar>,
    csrf: String,
    message: Option<String>,
    roles: Vec<(String, String)>,
    username: String,
    display_name: String,
    email: String,
    role: String,
    region_code: String,
    organisation: String,
    industries: String,
}

/// The new-account form as typed; a refused one comes back filled in.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    username: String,
    display_name: String,
    email: String,
    role: String,
    region_code: String,
    organisation: String,
    industries: String,
}

fn form_page(u: &CurrentUser, f: UserForm, message: Option<String>) -> FormPage {
    let lang = u.lang;
    FormPage {
        lang,
        user: UserBar::of(u),
        csrf: u.csrf_token.clone(),
        message,
        roles: Role::ALL.iter().map(|r| (r.as_str().to_string(), lang.t(&format!("role-{}", r.as_str())))).collect(),
        username: f.username,
        display_name: f.display_name,
        email: f.email,
        role: f.role,
        region_code: f.region_code,
        organisation: f.organisation,
        industries: f.industries,
    }
}

pub async fn new_form(u: CurrentUser) -> WebResult<Response> {
    admin_only(&u)?;
    Ok(html(&form_page(&u, UserForm::default(), None)).into_response())
}

#[derive(Template)]
#[template(path = "user_password.html")]
struct PasswordPage {
    lang: Lang,
    user: Option<UserBar>,
    title: String,
    username: String,
    password: String,
}

pub async fn create(State(s): State<AppState>, u: CurrentUser, Form(f): Form<UserForm>) -> WebResult<Response> {
    admin_only(&u)?;
    let lang = u.lang;
    let input = AssignmentInput {
        role: f.role.clone(),
        region_code: f.region_code.clone(),
        organisation: f.organisation.clone(),
        industries: f.industries.clone(),
    };
    let password = random_password();
    let result = match anze_service::auth::resolve_assignment(&s.ctx, &input).await {
        Ok(assignment) => {
            let new = NewUser {
                username: f.username.clone(),
                display_name: f.display_name.clone(),
                password: password.clone(),
                temporary: true,
                assignments: vec![assignment],
                person_id: None,
                email: Some(f.email.clone()),
            };
            anze_service::auth::create_user(&s.ctx, &u.actor, new, chrono::Utc::now()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(html(&PasswordPage {
            lang,
            user: UserBar::of(&u),
            title: lang.t("user-created"),
            username: f.username.trim().to_string(),
            password,
        })
        .into_response()),
        Err(ServiceError::Invalid(fields)) => {
            let message = super::common::field_sentence(lang, &fields);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&form_page(&u, f, Some(message)))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn reset(State(s): State<AppState>, u: CurrentUser, Path(username): Path<String>) -> WebResult<Response> {
    admin_only(&u)?;
    let lang = u.lang;
    let password = random_password();
    anze_service::auth::reset_password(&s.ctx, &u.actor, &username, &password, chrono::Utc::now()).await?;
    Ok(html(&PasswordPage { lang, user: UserBar::of(&u), title: lang.t("user-password-reset"), username, password }).into_response())
}

async fn set_disabled(s: &AppState, u: &CurrentUser, username: &str, disabled: bool) -> WebResult<Response> {
    admin_only(u)?;
    anze_service::auth::set_disabled(&s.ctx, &u.actor, username, disabled, chrono::Utc::now()).await?;
    Ok(Redirect::to(if disabled { "/users?done=disabled" } else { "/users?done=enabled" }).into_response())
}

pub async fn disable(State(s): State<AppState>, u: CurrentUser, Path(username): Path<String>) -> WebResult<Response> {
    set_disabled(&s, &u, &username, true).await
}

pub async fn enable(State(s): State<AppState>, u: CurrentUser, Path(username): Path<String>) -> WebResult<Response> {
    set_disabled(&s, &u, &username, false).await
}
