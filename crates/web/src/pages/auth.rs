use super::{UserBar, html};
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{ClientAddress, CurrentUser, Form, LANG_COOKIE, Language, SESSION_COOKIE};
use crate::i18n::Lang;
use anze_domain::org::OrgKind;
use anze_service::ServiceError;
use askama::Template;
use axum::extract::RawQuery;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    lang: Lang,
    user: Option<UserBar>,
    message: Option<String>,
    info: Option<String>,
    next: String,
    username: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    signed_out: Option<String>,
}

/// Only local paths may follow sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

fn with_lang_cookie(lang: Lang, raw: &Option<String>, mut res: Response) -> Response {
    if raw.as_deref().is_some_and(|q| q.contains("lang="))
        && let Ok(v) = HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub async fn login_page(Language(lang): Language, RawQuery(raw): RawQuery, Query(q): Query<LoginQuery>) -> Response {
    let page = LoginPage {
        lang,
        user: None,
        message: None,
        info: q.signed_out.map(|_| lang.t("signed-out")),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
    };
    with_lang_cookie(lang, &raw, html(&page).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

fn session_cookie(value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"))
        .unwrap_or_else(|_| HeaderValue::from_static("anze_session=; Path=/"))
}

pub async fn login(
    State(s): State<AppState>,
    Language(lang): Language,
    ClientAddress(addr): ClientAddress,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let fail = |code: &str| {
        let page = LoginPage {
            lang,
            user: None,
            message: Some(lang.error(code, None)),
            info: None,
            next: next.clone(),
            username: f.username.clone(),
        };
        (axum::http::StatusCode::UNAUTHORIZED, html(&page)).into_response()
    };
    if !s.throttle.allow(&addr) {
        return fail("throttled");
    }
    match anze_service::auth::sign_in(&s.ctx, &f.username, &f.password, &addr, chrono::Utc::now()).await {
        Ok(session) => {
            let target = if session.actor.must_change_password { "/password".to_string() } else { next.clone() };
            let mut res = Redirect::to(&target).into_response();
            let max_age = s.ctx.settings.session_absolute_hours * 3600;
            res.headers_mut().append(header::SET_COOKIE, session_cookie(&session.secret, max_age));
            res
        }
        Err(ServiceError::Unauthenticated(code)) => fail(code),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn logout(State(s): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = crate::extract::cookie(&headers, SESSION_COOKIE) {
        let _ = anze_service::auth::sign_out(&s.ctx, &secret).await;
    }
    let mut res = Redirect::to("/login?signed_out=1").into_response();
    res.headers_mut().append(header::SET_COOKIE, session_cookie("", 0));
    res
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    lang: Lang,
    user: Option<UserBar>,
    required: bool,
    message: Option<String>,
}

pub async fn password_page(u: CurrentUser) -> Response {
    html(&PasswordPage { lang: u.lang, user: UserBar::of(&u), required: u.actor.must_change_password, message: None }).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn change_password(State(s): State<AppState>, u: CurrentUser, Form(f): Form<PasswordForm>) -> Response {
    let lang = u.lang;
    let result = if f.new_password != f.confirm_password {
        Err(ServiceError::field("confirm_password", "password.mismatch"))
    } else {
        anze_service::auth::change_password(&s.ctx, &u.actor, &f.current_password, &f.new_password, chrono::Utc::now()).await
    };
    match result {
        Ok(()) => Redirect::to("/").into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let message = fields.iter().map(|f| lang.error(f.code, f.detail.as_deref())).collect::<Vec<_>>().join(" ");
            let page = PasswordPage { lang, user: UserBar::of(&u), required: u.actor.must_change_password, message: Some(message) };
            (axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response()
        }
        Err(e) => WebError::from(e).into_response(),
    }
}

async fn own_unit(s: &AppState, u: &CurrentUser) -> Option<(String, String)> {
    let id = u.actor.assignments.iter().find_map(|a| a.organisation_id)?;
    let (o, e) = anze_service::scope::organisation(&s.ctx, &u.actor, id).await.ok()?;
    let href = if e.is_some() { format!("/enterprises/{}", o.id) } else { format!("/organisations/{}", o.id) };
    Some((href, o.name))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    lang: Lang,
    user: Option<UserBar>,
    welcome: String,
    roles: String,
    enterprises: u64,
    departments: u64,
    townships: u64,
    committees: u64,
    /// The user's own unit (department, township office, enterprise), when they have one.
    own: Option<(String, String)>,
}

pub async fn home(State(s): State<AppState>, u: CurrentUser, RawQuery(raw): RawQuery) -> WebResult<Response> {
    let lang = u.lang;
    let count = |k| anze_service::org::count(&s.ctx, &u.actor, k);
    let page = HomePage {
        lang,
        user: UserBar::of(&u),
        welcome: lang.t_args("home-welcome", &[("name", u.actor.name.clone())]),
        roles: u.actor.roles().iter().map(|r| lang.t(&format!("role-{}", r.as_str()))).collect::<Vec<_>>().join("、"),
        enterprises: count(OrgKind::Enterprise).await?,
        departments: count(OrgKind::Department).await?,
        townships: count(OrgKind::TownshipOffice).await?,
        committees: count(OrgKind::SpecialCommittee).await?,
        own: own_unit(&s, &u).await,
    };
    Ok(with_lang_cookie(lang, &raw, html(&page).into_response()))
}
