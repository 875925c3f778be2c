//! The employee's phone page behind an enterprise's QR code (measure 19, 22): identify by
//! name and the last four characters of one's ID number or phone, read one's own lists, sign.
//!
//! The QR code carries an unguessable token (256 random bits) that is stable until revoked.
//! A revoked or unknown token, or a list of another enterprise, answers "not found".

use crate::duty::{Signature, acknowledge};
use crate::scope::{organisation as get, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::Action;
use anze_store::TransactionTrait;
use anze_store::entity::qr_code;
use anze_store::repo::duty as repo;
use anze_store::repo::phone as phone_repo;
use chrono::{DateTime, Utc};
use sea_orm::Set;
use serde::Serialize;
use uuid::Uuid;

/// The enterprise's active QR token, created on first use (editors of the enterprise only).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn qr_token(ctx: &Ctx, actor: &Actor, org_id: Uuid, now: DateTime<Utc>) -> ServiceResult<String> {
    let (o, e) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Edit, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    if let Some(q) = repo::active_qr(&ctx.db.read, &o.id).await? {
        return Ok(q.token);
    }
    let token = crate::auth::random_secret();
    let tx = ctx.db.write.begin().await?;
    repo::insert_qr(
        &tx,
        qr_code::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            organisation_id: Set(o.id.clone()),
            token: Set(token.clone()),
            created_at: Set(now),
            revoked_at: Set(None),
        },
    )
    .await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("qr_code.create", "organisation", &o.id, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(token)
}

/// Revokes the active QR code; the next `qr_token` makes a new one.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn revoke_qr(ctx: &Ctx, actor: &Actor, org_id: Uuid, now: DateTime<Utc>) -> ServiceResult<()> {
    let (o, e) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Edit, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    let Some(mut q) = repo::active_qr(&ctx.db.read, &o.id).await? else { return Ok(()) };
    q.revoked_at = Some(now);
    let tx = ctx.db.write.begin().await?;
    repo::update_qr(&tx, q).await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("qr_code.revoke", "organisation", &o.id, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// An SVG image of a URL (the QR code to print or show).
pub fn qr_svg(url: &str) -> ServiceResult<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).build())
}

/// The enterprise behind a token: unknown → not found; revoked → `duty.qr.revoked`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enterprise_of(ctx: &Ctx, token: &str) -> ServiceResult<(String, String)> {
    let (q, o) = repo::qr_with_organisation(&ctx.db.read, token).await?.ok_or(ServiceError::NotFound)?;
    if o.tenant_id != ctx.tenant {
        return Err(ServiceError::NotFound);
    }
    if q.revoked_at.is_some() {
        return Err(ServiceError::Refused("duty.qr.revoked"));
    }
    Ok((o.id, o.name))
}

#[derive(Debug, Clone, Serialize)]
pub struct PhoneItem {
    pub text: String,
    pub legal_basis: String,
    pub frequency: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhoneList {
    pub id: String,
    pub title: String,
    pub version: i32,
    pub signed: bool,
    pub items: Vec<PhoneItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhoneView {
    pub enterprise: String,
    pub person_id: String,
    pub name: String,
    pub lists: Vec<PhoneList>,
}

/// What an employee types to identify themselves: their name and the last four characters of
/// their ID number or phone.
#[derive(Debug, Clone)]
pub struct Identity {
    pub name: String,
    pub last4: String,
}

/// The employee of the QR code's enterprise who matches the identity, with the tiers of the
/// posts they hold there now, the enterprise's id and name. When no one matches, the code
/// itself is looked at, so a revoked or unknown code is told apart from a wrong name.
pub(crate) async fn identify(ctx: &Ctx, token: &str, who: &Identity) -> ServiceResult<(phone_repo::Holder, Vec<String>)> {
    let last4 = who.last4.trim().to_ascii_uppercase();
    if last4.chars().count() != 4 {
        enterprise_of(ctx, token).await?;
        return Err(ServiceError::field("last4", "duty.phone.last4"));
    }
    let posts = phone_repo::holders_named(&ctx.db.read, &ctx.tenant, token, who.name.trim()).await?;
    let matches = |h: &phone_repo::Holder| {
        h.id_number.as_deref().is_some_and(|i| i.ends_with(&last4)) || h.phone.as_deref().is_some_and(|ph| ph.ends_with(&last4))
    };
    let Some(found) = posts.iter().find(|h| matches(h)).cloned() else {
        enterprise_of(ctx, token).await?;
        return Err(ServiceError::Unauthenticated("duty.phone.not_found"));
    };
    let tiers = posts.into_iter().filter(|h| h.person_id == found.person_id).map(|h| h.tier).collect();
    Ok((found, tiers))
}

/// The employee's own current lists, each marked signed or not.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(ctx: &Ctx, token: &str, who: &Identity) -> ServiceResult<PhoneView> {
    let (p, tiers) = identify(ctx, token, who).await?;
    let rows = phone_repo::lists_of(&ctx.db.read, &p.organisation_id, &tiers, &p.person_id).await?;
    let mut lists: Vec<PhoneList> = vec![];
    for r in rows {
        let item = PhoneItem { text: r.text, legal_basis: r.legal_basis, frequency: r.frequency };
        match lists.last_mut() {
            Some(l) if l.id == r.list_id => l.items.push(item),
            _ => lists.push(PhoneList { id: r.list_id, title: r.title, version: r.version, signed: r.signed, items: vec![item] }),
        }
    }
    Ok(PhoneView { enterprise: p.organisation_name, person_id: p.person_id, name: p.name, lists })
}

/// Signs one of the employee's lists from the phone page (a typed name or a drawing).
#[tracing::instrument(level = "debug", skip_all, fields(list_id = %list_id))]
pub async fn sign(
    ctx: &Ctx,
    token: &str,
    who: &Identity,
    list_id: Uuid,
    signature: Signature,
    address: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let (p, _) = identify(ctx, token, who).await?;
    let l = repo::list(&ctx.db.read, &ctx.tenant, &list_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    if l.organisation_id != p.organisation_id {
        return Err(ServiceError::NotFound);
    }
    let person_id = Uuid::parse_str(&p.person_id).map_err(|_| ServiceError::NotFound)?;
    acknowledge(ctx, person_id, list_id, signature, address, now).await
}
