//! Signatures (签字确认): a person signs the exact text of their post's published list.

use super::*;

/// How a person signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    /// The person's typed full name (must match the record).
    Typed(String),
    /// A drawn signature (an image data URL from the phone page).
    Drawn(String),
}

/// A person signs the published list of a post they hold. The signature binds to the list's
/// text hash; signing a superseded version, or twice, is refused.
#[tracing::instrument(level = "debug", skip_all, fields(person_id = %person_id, list_id = %list_id))]
pub async fn acknowledge(
    ctx: &Ctx,
    person_id: Uuid,
    list_id: Uuid,
    signature: Signature,
    address: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let l = repo::list(&ctx.db.read, &ctx.tenant, &list_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let p = person::get_person(&ctx.db.read, &ctx.tenant, &person_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let holds = person::employments_of(&ctx.db.read, &p.id).await?.into_iter().any(|e| {
        e.organisation_id == l.organisation_id && e.tier == l.tier && e.end_date.is_none_or(|d| d >= anze_domain::time::local_date(now))
    });
    if !holds {
        return Err(ServiceError::NotFound);
    }
    ListState::parse(&l.state).unwrap_or(ListState::Superseded).check_sign().map_err(ServiceError::Refused)?;
    let (method, text) = match signature {
        Signature::Typed(name) if name.trim().is_empty() => return Err(ServiceError::field("signature", "duty.ack.signature_missing")),
        Signature::Typed(name) if name.trim() == p.name => ("typed", name.trim().to_string()),
        Signature::Typed(_) => return Err(ServiceError::field("signature", "duty.ack.name_mismatch")),
        Signature::Drawn(data) if data.starts_with("data:image/png;base64,") && data.len() <= 512 * 1024 => ("drawn", data),
        Signature::Drawn(_) => return Err(ServiceError::field("signature", "duty.ack.drawing_invalid")),
    };
    let hash = l.text_hash.clone().unwrap_or_default();
    let actor = Actor { name: p.name.clone(), address: address.to_string(), ..Actor::system("phone") };
    let tx = ctx.db.write.begin().await?;
    let row = ack_row::ActiveModel {
        id: Set(anze_domain::ids::new_id().to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        duty_list_id: Set(l.id.clone()),
        person_id: Set(p.id.clone()),
        text_hash: Set(hash.clone()),
        method: Set(method.into()),
        signature: Set(text),
        signed_at: Set(now),
        address: Set(address.to_string()),
    };
    match repo::insert_acknowledgement(&tx, row).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(ServiceError::Refused("duty.ack.already_signed")),
        Err(e) => return Err(e.into()),
    }
    let changes = serde_json::json!({"signed": [null, {"person": p.name, "version": l.version, "tier": l.tier, "text_hash": hash, "method": method}]});
    audit::record(&tx, ctx, &actor, now, audit::Event::new("acknowledgement.create", "organisation", &l.organisation_id, changes)).await?;
    refresh_coverage(&tx, ctx, &l.organisation_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Who signed a list and when (its page and print view show them).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, list_id = %list_id))]
pub async fn signatures(ctx: &Ctx, actor: &Actor, list_id: Uuid) -> ServiceResult<Vec<(String, DateTime<Utc>, String)>> {
    let (l, o) = list_in_scope(ctx, actor, list_id).await?;
    let acks = repo::acknowledgements_of(&ctx.db.read, std::slice::from_ref(&l.id)).await?;
    // Signers are staff of the unit (leavers too): one query for all names, not one per signature.
    let names: HashMap<String, String> = person::staff(&ctx.db.read, &o.id, true).await?.into_iter().map(|(_, p)| (p.id, p.name)).collect();
    let mut out: Vec<_> = acks.into_iter().map(|a| (names.get(&a.person_id).cloned().unwrap_or_default(), a.signed_at, a.method)).collect();
    out.sort_by_key(|(_, at, _)| *at);
    Ok(out)
}

/// One signature as the API lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureLine {
    pub duty_list_id: String,
    pub tier: String,
    pub version: i32,
    pub person_id: String,
    pub person: String,
    pub signed_at: DateTime<Utc>,
    pub method: String,
    pub text_hash: String,
}

/// Every signature on every version of an organisation's lists, newest first.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn acknowledgements(ctx: &Ctx, actor: &Actor, org_id: Uuid) -> ServiceResult<Vec<SignatureLine>> {
    let (o, _) = get(ctx, actor, org_id).await?;
    let db = &ctx.db.read;
    let lists: HashMap<String, repo::DutyList> = repo::lists_of(db, &o.id).await?.into_iter().map(|l| (l.id.clone(), l)).collect();
    let ids: Vec<String> = lists.keys().cloned().collect();
    let names: HashMap<String, String> = person::staff(db, &o.id, true).await?.into_iter().map(|(_, p)| (p.id, p.name)).collect();
    let mut out: Vec<SignatureLine> = repo::acknowledgements_of(db, &ids)
        .await?
        .into_iter()
        .filter_map(|a| {
            let l = lists.get(&a.duty_list_id)?;
            Some(SignatureLine {
                duty_list_id: a.duty_list_id.clone(),
                tier: l.tier.clone(),
                version: l.version,
                person: names.get(&a.person_id).cloned().unwrap_or_default(),
                person_id: a.person_id,
                signed_at: a.signed_at,
                method: a.method,
                text_hash: a.text_hash,
            })
        })
        .collect();
    out.sort_by_key(|a| std::cmp::Reverse(a.signed_at));
    Ok(out)
}
