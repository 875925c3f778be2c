//! Sign-in, sessions, API tokens and accounts.
//!
//! Passwords are hashed with argon2id on a fixed pool of threads (`hasher`), so a login
//! storm queues instead of exhausting memory. Unknown users are checked against a dummy hash
//! so timing does not reveal which usernames exist. Session and token secrets are random
//! 256-bit values; only their SHA-256 is stored.

use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::{Action, Assignment, Role};
use anze_store::TransactionTrait;
use anze_store::entity::{api_token, role_assignment, session, user_account};
use anze_store::repo::account::{self, User};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use rand::rngs::OsRng;
use sea_orm::Set;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use uuid::Uuid;

fn argon() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

async fn hash_password(ctx: &Ctx, password: &str) -> ServiceResult<String> {
    let password = password.to_string();
    ctx.hasher
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| ServiceError::Internal(e.to_string()))
        })
        .await?
}

async fn verify_password(ctx: &Ctx, password: &str, hash: &str) -> ServiceResult<bool> {
    let password = password.to_string();
    let hash = hash.to_string();
    ctx.hasher
        .run(move || {
            let parsed = PasswordHash::new(&hash).map_err(|e| ServiceError::Internal(e.to_string()))?;
            Ok(argon().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon().hash_password(b"not a password", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

/// A random secret, URL-safe.
/// A seed for a random draw: twelve digits, short enough to read out and publish.
pub fn new_seed() -> u64 {
    use rand::Rng;
    rand::thread_rng().gen_range(0..1_000_000_000_000u64)
}

pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A random password that satisfies both policies (16 characters, all four classes).
pub fn random_password() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"#%+-=@_";
    let sets = [LOWER, UPPER, DIGIT, SYMBOL];
    let mut out = Vec::with_capacity(16);
    for i in 0..16 {
        let set = sets[if i < 4 { i } else { (OsRng.next_u32() % 3) as usize }];
        out.push(set[(OsRng.next_u32() as usize) % set.len()]);
    }
    // Shuffle so the classes are not in a fixed order.
    for i in (1..out.len()).rev() {
        let j = (OsRng.next_u32() as usize) % (i + 1);
        out.swap(i, j);
    }
    String::from_utf8(out).unwrap_or_default()
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn assignments(rows: &[account::RoleAssignment]) -> Vec<Assignment> {
    rows.iter()
        .filter_map(|r| {
            Some(Assignment {
                role: Role::parse(&r.role)?,
                region_path: r.region_path.clone(),
                organisation_id: r.organisation_id.as_deref().and_then(|s| Uuid::parse_str(s).ok()),
                industries: r.industries.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
            })
        })
        .collect()
}

async fn actor_of(ctx: &Ctx, user: &User, address: &str, now: DateTime<Utc>) -> ServiceResult<Actor> {
    let roles = account::roles_of(&ctx.db.read, &user.id).await?;
    let expired = ctx.settings.password_policy.max_age_days().is_some_and(|days| user.password_changed_at + Duration::days(days) < now);
    Ok(Actor {
        user_id: Uuid::parse_str(&user.id).ok(),
        name: user.display_name.clone(),
        assignments: assignments(&roles),
        address: address.to_string(),
        locale: user.locale.clone(),
        must_change_password: user.must_change_password || expired,
    })
}

/// A signed-in browser session: the secret goes into the cookie; the CSRF token into forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: String,
    pub csrf_token: String,
    pub actor: Actor,
}

/// Checks a username and password; applies the lockout rule; on success opens a new session
/// (a fresh id every sign-in, so a planted id never becomes authenticated).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sign_in(ctx: &Ctx, username: &str, password: &str, address: &str, now: DateTime<Utc>) -> ServiceResult<NewSession> {
    let user = account::by_username(&ctx.db.read, &ctx.tenant, username.trim()).await?;
    let Some(mut user) = user else {
        let _ = verify_password(ctx, password, dummy_hash()).await;
        return Err(ServiceError::Unauthenticated("auth.bad_credentials"));
    };
    if user.disabled {
        let _ = verify_password(ctx, password, dummy_hash()).await;
        return Err(ServiceError::Unauthenticated("auth.bad_credentials"));
    }
    if user.locked_until.is_some_and(|t| t > now) {
        return Err(ServiceError::Unauthenticated("auth.locked"));
    }
    if !verify_password(ctx, password, &user.password_hash).await? {
        user.failed_logins += 1;
        let locked = user.failed_logins >= ctx.settings.lockout_failures;
        if locked {
            user.locked_until = Some(now + Duration::minutes(ctx.settings.lockout_minutes));
            user.failed_logins = 0;
        }
        user.updated_at = now;
        let tx = ctx.db.write.begin().await?;
        let user_id = user.id.clone();
        account::update(&tx, user).await?;
        if locked {
            let actor = Actor { user_id: Uuid::parse_str(&user_id).ok(), ..Actor::system("lockout") };
            let actor = Actor { address: address.into(), ..actor };
            audit::record(&tx, ctx, &actor, now, audit::Event::new("user.locked", "user", &user_id, serde_json::json!({}))).await?;
        }
        tx.commit().await?;
        return Err(ServiceError::Unauthenticated(if locked { "auth.locked" } else { "auth.bad_credentials" }));
    }
    let actor = actor_of(ctx, &user, address, now).await?;
    let secret = random_secret();
    let csrf_token = random_secret();
    let tx = ctx.db.write.begin().await?;
    if user.failed_logins != 0 || user.locked_until.is_some() {
        user.failed_logins = 0;
        user.locked_until = None;
        user.updated_at = now;
        account::update(&tx, user.clone()).await?;
    }
    account::insert_session(
        &tx,
        session::ActiveModel {
            id: Set(sha256_hex(&secret)),
            tenant_id: Set(ctx.tenant.clone()),
            user_id: Set(user.id.clone()),
            csrf_token: Set(csrf_token.clone()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + Duration::hours(ctx.settings.session_absolute_hours)),
            address: Set(Some(address.to_string())),
        },
    )
    .await?;
    audit::record(&tx, ctx, &actor, now, audit::Event::new("user.sign_in", "user", &user.id, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(NewSession { secret, csrf_token, actor })
}

/// The actor behind a session cookie, if the session is alive; refreshes its idle clock
/// at most once a minute (so reading pages does not mean writing on every request).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn session_actor(ctx: &Ctx, secret: &str, address: &str, now: DateTime<Utc>) -> ServiceResult<Option<(Actor, String)>> {
    let id = sha256_hex(secret);
    let Some(s) = account::session_by_id(&ctx.db.read, &id).await? else { return Ok(None) };
    let idle = Duration::minutes(ctx.settings.session_idle_minutes);
    if s.expires_at <= now || s.last_seen_at + idle <= now {
        account::delete_session(&ctx.db.write, &id).await?;
        return Ok(None);
    }
    let Some(user) = account::by_id(&ctx.db.read, &s.user_id).await? else { return Ok(None) };
    if user.disabled {
        return Ok(None);
    }
    if now - s.last_seen_at > Duration::seconds(60) {
        account::touch_session(&ctx.db.write, &id, now).await?;
    }
    Ok(Some((actor_of(ctx, &user, address, now).await?, s.csrf_token)))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn sign_out(ctx: &Ctx, secret: &str) -> ServiceResult<()> {
    account::delete_session(&ctx.db.write, &sha256_hex(secret)).await?;
    Ok(())
}

/// Issues an API token for a username and password (`POST /api/v1/auth/token`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue_token(
    ctx: &Ctx,
    username: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> ServiceResult<(String, DateTime<Utc>)> {
    // The same checks as a browser sign-in, including lockout.
    let session = sign_in(ctx, username, password, address, now).await?;
    sign_out(ctx, &session.secret).await?;
    if session.actor.must_change_password {
        return Err(ServiceError::Unauthenticated("auth.password_change_required"));
    }
    let user_id = session.actor.user_id.map(|u| u.to_string()).unwrap_or_default();
    let token = random_secret();
    let expires_at = now + Duration::days(ctx.settings.token_days);
    let tx = ctx.db.write.begin().await?;
    account::insert_token(
        &tx,
        api_token::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            user_id: Set(user_id.clone()),
            token_hash: Set(sha256_hex(&token)),
            label: Set("api".into()),
            created_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            last_used_at: Set(None),
        },
    )
    .await?;
    audit::record(&tx, ctx, &session.actor, now, audit::Event::new("token.issue", "user", &user_id, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok((token, expires_at))
}

/// The actor behind a bearer token; `auth.token_expired` / `auth.token_invalid` otherwise.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn token_actor(ctx: &Ctx, token: &str, address: &str, now: DateTime<Utc>) -> ServiceResult<Actor> {
    let Some(t) = account::token_by_hash(&ctx.db.read, &sha256_hex(token)).await? else {
        return Err(ServiceError::Unauthenticated("auth.token_invalid"));
    };
    if t.revoked_at.is_some() {
        return Err(ServiceError::Unauthenticated("auth.token_revoked"));
    }
    if t.expires_at <= now {
        return Err(ServiceError::Unauthenticated("auth.token_expired"));
    }
    let Some(user) = account::by_id(&ctx.db.read, &t.user_id).await?.filter(|u| !u.disabled) else {
        return Err(ServiceError::Unauthenticated("auth.token_invalid"));
    };
    actor_of(ctx, &user, address, now).await
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn revoke_token(ctx: &Ctx, actor: &Actor, token: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let tx = ctx.db.write.begin().await?;
    if !account::revoke_token(&tx, &sha256_hex(token), now).await? {
        return Err(ServiceError::NotFound);
    }
    let uid = actor.user_id.map(|u| u.to_string()).unwrap_or_default();
    audit::record(&tx, ctx, actor, now, audit::Event::new("token.revoke", "user", &uid, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the actor's own password after checking the current one and the policy.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn change_password(ctx: &Ctx, actor: &Actor, current: &str, new: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let uid = actor.user_id.ok_or(ServiceError::Forbidden)?.to_string();
    let mut user = account::by_id(&ctx.db.read, &uid).await?.ok_or(ServiceError::NotFound)?;
    if !verify_password(ctx, current, &user.password_hash).await? {
        return Err(ServiceError::field("current_password", "password.current_wrong"));
    }
    if current == new {
        return Err(ServiceError::field("new_password", "password.same_as_old"));
    }
    ctx.settings.password_policy.check(new, &user.username).map_err(|code| ServiceError::field("new_password", code))?;
    user.password_hash = hash_password(ctx, new).await?;
    user.must_change_password = false;
    user.password_changed_at = now;
    user.updated_at = now;
    let tx = ctx.db.write.begin().await?;
    account::update(&tx, user).await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("user.password_change", "user", &uid, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// A new account. `temporary` passwords must be changed at first sign-in.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub temporary: bool,
    pub assignments: Vec<Assignment>,
    pub person_id: Option<String>,
    /// An e-mail address for reminders and the daily digest; blank for none.
    pub email: Option<String>,
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn create_user(ctx: &Ctx, actor: &Actor, u: NewUser, now: DateTime<Utc>) -> ServiceResult<String> {
    if !actor.can_somewhere(Action::ManageUsers) {
        return Err(ServiceError::Forbidden);
    }
    let username = u.username.trim().to_string();
    let valid = !username.is_empty() && username.len() <= 64 && username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !valid {
        return Err(ServiceError::field("username", "user.username.invalid"));
    }
    if account::by_username(&ctx.db.read, &ctx.tenant, &username).await?.is_some() {
        return Err(ServiceError::field("username", "user.username.taken"));
    }
    ctx.settings.password_policy.check(&u.password, &username).map_err(|code| ServiceError::field("password", code))?;
    let email = anze_domain::notify::Email::parse_optional("email", u.email.as_deref().unwrap_or_default())
        .map_err(|e| ServiceError::Invalid(vec![e]))?
        .map(|e| e.as_str().to_string());
    let hash = hash_password(ctx, &u.password).await?;
    let id = anze_domain::ids::new_id().to_string();
    let roles: Vec<role_assignment::ActiveModel> = u
        .assignments
        .iter()
        .map(|a| role_assignment::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            user_id: Set(id.clone()),
            role: Set(a.role.as_str().into()),
            region_path: Set(a.region_path.clone()),
            organisation_id: Set(a.organisation_id.map(|o| o.to_string())),
            industries: Set(a.industries.join(",")),
            created_at: Set(now),
        })
        .collect();
    let tx = ctx.db.write.begin().await?;
    account::insert(
        &tx,
        user_account::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(ctx.tenant.clone()),
            username: Set(username.clone()),
            display_name: Set(u.display_name.trim().to_string()),
            password_hash: Set(hash),
            must_change_password: Set(u.temporary),
            password_changed_at: Set(now),
            failed_logins: Set(0),
            locked_until: Set(None),
            disabled: Set(false),
            person_id: Set(u.person_id.clone()),
            locale: Set("zh-CN".into()),
            email: Set(email),
            created_at: Set(now),
            updated_at: Set(now),
        },
        roles,
    )
    .await?;
    let roles_json: Vec<&str> = u.assignments.iter().map(|a| a.role.as_str()).collect();
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        audit::Event::new("user.create", "user", &id, serde_json::json!({"username": [null, username], "roles": [null, roles_json]})),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new temporary password (the user must change it at next sign-in) and ends the
/// user's sessions.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn reset_password(ctx: &Ctx, actor: &Actor, username: &str, password: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    if !actor.can_somewhere(Action::ManageUsers) {
        return Err(ServiceError::Forbidden);
    }
    let mut user = account::by_username(&ctx.db.read, &ctx.tenant, username).await?.ok_or(ServiceError::NotFound)?;
    ctx.settings.password_policy.check(password, &user.username).map_err(|code| ServiceError::field("password", code))?;
    user.password_hash = hash_password(ctx, password).await?;
    user.must_change_password = true;
    user.password_changed_at = now;
    user.failed_logins = 0;
    user.locked_until = None;
    user.updated_at = now;
    let id = user.id.clone();
    let tx = ctx.db.write.begin().await?;
    account::update(&tx, user).await?;
    account::delete_sessions_of(&tx, &id).await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("user.password_reset", "user", &id, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn set_disabled(ctx: &Ctx, actor: &Actor, username: &str, disabled: bool, now: DateTime<Utc>) -> ServiceResult<()> {
    if !actor.can_somewhere(Action::ManageUsers) {
        return Err(ServiceError::Forbidden);
    }
    let mut user = account::by_username(&ctx.db.read, &ctx.tenant, username).await?.ok_or(ServiceError::NotFound)?;
    let before = user.disabled;
    user.disabled = disabled;
    user.updated_at = now;
    let id = user.id.clone();
    let tx = ctx.db.write.begin().await?;
    account::update(&tx, user).await?;
    if disabled {
        account::delete_sessions_of(&tx, &id).await?;
    }
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        audit::Event::new("user.disable", "user", &id, serde_json::json!({"disabled": [before, disabled]})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A role assignment as typed on the users page: codes people know, resolved here.
#[derive(Debug, Clone, Default)]
pub struct AssignmentInput {
    pub role: String,
    /// A region code (county, township, village, grid); empty = the whole tenant.
    pub region_code: String,
    /// An organisation: an enterprise's credit code or an organisation id; empty = none.
    pub organisation: String,
    /// Industry codes, comma-separated (departments and special committees).
    pub industries: String,
}

/// Resolves typed codes into an assignment, naming the field that is wrong.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn resolve_assignment(ctx: &Ctx, a: &AssignmentInput) -> ServiceResult<Assignment> {
    use anze_domain::org::RegionCode;
    let role = Role::parse(a.role.trim()).ok_or_else(|| ServiceError::field("role", "user.role.invalid"))?;
    let region_path = match a.region_code.trim() {
        "" => None,
        code => {
            let parsed = RegionCode::parse(code).map_err(|_| ServiceError::field("region_code", "region.code.format"))?;
            let r = anze_store::repo::region::by_code(&ctx.db.read, &ctx.tenant, parsed.as_str())
                .await?
                .ok_or_else(|| ServiceError::field("region_code", "region.code.unknown"))?;
            Some(r.path)
        }
    };
    let organisation_id = match a.organisation.trim() {
        "" => None,
        text => match Uuid::parse_str(text) {
            Ok(id) => {
                let all = anze_domain::auth::Scope { all: true, ..Default::default() };
                anze_store::repo::org::get(&ctx.db.read, &ctx.tenant, &all, &id.to_string())
                    .await?
                    .ok_or_else(|| ServiceError::field("organisation", "user.organisation.unknown"))?;
                Some(id)
            }
            Err(_) => {
                let e = anze_store::repo::org::by_credit_code(&ctx.db.read, &ctx.tenant, &text.to_ascii_uppercase())
                    .await?
                    .ok_or_else(|| ServiceError::field("organisation", "user.organisation.unknown"))?;
                Uuid::parse_str(&e.organisation_id).ok()
            }
        },
    };
    if role.is_organisation_bound() && organisation_id.is_none() {
        return Err(ServiceError::field("organisation", "user.organisation.required"));
    }
    let industries: Vec<String> = a.industries.split([',', '，', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    if let Some(bad) = industries.iter().find(|c| anze_domain::org::industry(c).is_none()) {
        return Err(ServiceError::Invalid(vec![
            anze_domain::FieldError::new("industries", "org.industry.unknown").with_detail(bad.clone()),
        ]));
    }
    Ok(Assignment { role, region_path, organisation_id, industries })
}

/// On an empty database: the `admin` account with a random password, returned once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ensure_admin(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<Option<String>> {
    if account::count(&ctx.db.read, &ctx.tenant).await? > 0 {
        return Ok(None);
    }
    let password = random_password();
    let all = Assignment { role: Role::CityAdmin, region_path: None, organisation_id: None, industries: vec![] };
    let u = NewUser {
        username: "admin".into(),
        display_name: "系统管理员".into(),
        password: password.clone(),
        temporary: false,
        assignments: vec![all],
        person_id: None,
        email: None,
    };
    create_user(ctx, &Actor::system("bootstrap"), u, now).await?;
    Ok(Some(password))
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list_users(ctx: &Ctx, actor: &Actor) -> ServiceResult<Vec<(User, Vec<account::RoleAssignment>)>> {
    if !actor.can_somewhere(Action::ManageUsers) {
        return Err(ServiceError::Forbidden);
    }
    let users = account::list(&ctx.db.read, &ctx.tenant).await?;
    let mut out = vec![];
    for u in users {
        let roles = account::roles_of(&ctx.db.read, &u.id).await?;
        out.push((u, roles));
    }
    Ok(out)
}

/// Removes sessions past their absolute or idle limits (a periodic job).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn purge_sessions(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<u64> {
    let idle_before = now - Duration::minutes(ctx.settings.session_idle_minutes);
    Ok(account::purge_sessions(&ctx.db.write, now, idle_before).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anze_domain::auth::PasswordPolicy;

    #[test]
    fn random_passwords_satisfy_both_policies() {
        for _ in 0..200 {
            let p = random_password();
            assert_eq!(p.len(), 16);
            assert_eq!(PasswordPolicy::Dengbao.check(&p, "admin"), Ok(()), "{p}");
            assert_eq!(PasswordPolicy::Asvs.check(&p, "admin"), Ok(()), "{p}");
        }
    }

    #[test]
    fn secrets_are_distinct_and_hashes_stable() {
        assert_ne!(random_secret(), random_secret());
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
