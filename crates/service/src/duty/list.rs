//! A list per post tier of an organisation: drafts from a template, the unit's own edits,
//! publishing, versions and their comparison.

use super::*;

async fn editable_org(ctx: &Ctx, actor: &Actor, org_id: Uuid) -> ServiceResult<anze_store::repo::org::Organisation> {
    let (o, e) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Edit, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    Ok(o)
}

/// A new draft for one tier of an organisation, copied from a template.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn create_list(ctx: &Ctx, actor: &Actor, org_id: Uuid, template_code: &str, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let org = editable_org(ctx, actor, org_id).await?;
    let t = repo::template_by_code(&ctx.db.read, &ctx.tenant, template_code)
        .await?
        .ok_or_else(|| ServiceError::field("template", "duty.template.unknown"))?;
    let tier = PostTier::parse(&t.tier).ok_or_else(|| ServiceError::field("template", "duty.template.unknown"))?;
    if !tier.fits(anze_domain::org::OrgKind::parse(&org.kind).unwrap_or(anze_domain::org::OrgKind::Enterprise)) {
        return Err(ServiceError::field("template", "person.tier.wrong_kind"));
    }
    let items = repo::template_items(&ctx.db.read, &t.id).await?;
    let id = anze_domain::ids::new_id();
    let tx = ctx.db.write.begin().await?;
    let version = repo::latest_version(&tx, &org.id, &t.tier).await? + 1;
    let texts = template_texts(&items);
    let rows = list_item_rows(&id.to_string(), &texts);
    let list = duty_list::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(org.id.clone()),
        tier: Set(t.tier.clone()),
        title: Set(t.name.clone()),
        version: Set(version),
        state: Set(ListState::Draft.as_str().into()),
        template_id: Set(Some(t.id.clone())),
        text_hash: Set(None),
        content_hash: Set(None),
        published_at: Set(None),
        superseded_at: Set(None),
        created_at: Set(now),
    };
    repo::insert_list(&tx, list, rows).await?;
    let changes = serde_json::json!({"tier": [null, t.tier], "version": [null, version], "template": [null, t.code]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("duty_list.create", "organisation", &org.id, changes)).await?;
    tx.commit().await?;
    Ok(id)
}

/// A list in the actor's scope (through its organisation).
pub(super) async fn list_in_scope(
    ctx: &Ctx,
    actor: &Actor,
    list_id: Uuid,
) -> ServiceResult<(repo::DutyList, anze_store::repo::org::Organisation)> {
    let l = repo::list(&ctx.db.read, &ctx.tenant, &list_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let org_id = Uuid::parse_str(&l.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (o, _) = get(ctx, actor, org_id).await?;
    Ok((l, o))
}

/// Replaces a draft's items (the enterprise's own edit of the template text).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, list_id = %list_id))]
pub async fn set_items(ctx: &Ctx, actor: &Actor, list_id: Uuid, items: &[ItemInput], now: DateTime<Utc>) -> ServiceResult<()> {
    let (l, o) = list_in_scope(ctx, actor, list_id).await?;
    editable_org(ctx, actor, Uuid::parse_str(&o.id).map_err(|_| ServiceError::NotFound)?).await?;
    ListState::parse(&l.state).unwrap_or(ListState::Superseded).check_edit().map_err(ServiceError::Refused)?;
    let valid = validate_items(items).map_err(ServiceError::Invalid)?;
    let rows = list_item_rows(&l.id, &valid);
    let before = repo::list_items(&ctx.db.read, &l.id).await?.len();
    let tx = ctx.db.write.begin().await?;
    repo::replace_items(&tx, &l.id, rows).await?;
    let changes = serde_json::json!({"items": [before, valid.len()], "texts": [null, valid.iter().map(|i| &i.text).collect::<Vec<_>>()]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("duty_list.edit", "organisation", &o.id, changes)).await?;
    tx.commit().await?;
    Ok(())
}

/// The rows of a list's items, numbered from 1 in order.
pub(crate) fn list_item_rows(list_id: &str, items: &[ItemText]) -> Vec<duty_list_item::ActiveModel> {
    items
        .iter()
        .enumerate()
        .map(|(i, it)| duty_list_item::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            duty_list_id: Set(list_id.to_string()),
            position: Set(i as i32 + 1),
            text: Set(it.text.clone()),
            legal_basis: Set(it.legal_basis.clone()),
            frequency: Set(it.frequency.as_str().into()),
            evidence: Set(it.evidence.clone()),
        })
        .collect()
}

pub(crate) fn template_texts(items: &[repo::DutyTemplateItem]) -> Vec<ItemText> {
    items
        .iter()
        .map(|i| ItemText {
            text: i.text.clone(),
            legal_basis: i.legal_basis.clone(),
            frequency: Frequency::parse(&i.frequency).unwrap_or(Frequency::OnEvent),
            evidence: i.evidence.clone(),
        })
        .collect()
}

pub(super) fn item_texts(items: &[repo::DutyListItem]) -> Vec<ItemText> {
    items
        .iter()
        .map(|i| ItemText {
            text: i.text.clone(),
            legal_basis: i.legal_basis.clone(),
            frequency: Frequency::parse(&i.frequency).unwrap_or(Frequency::OnEvent),
            evidence: i.evidence.clone(),
        })
        .collect()
}

/// Publishes a draft: its text is hashed and frozen; the tier's previous published version
/// is superseded, so everyone holding the post must sign again.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, list_id = %list_id))]
pub async fn publish(ctx: &Ctx, actor: &Actor, list_id: Uuid, now: DateTime<Utc>) -> ServiceResult<()> {
    let (mut l, o) = list_in_scope(ctx, actor, list_id).await?;
    editable_org(ctx, actor, Uuid::parse_str(&o.id).map_err(|_| ServiceError::NotFound)?).await?;
    let items = repo::list_items(&ctx.db.read, &l.id).await?;
    ListState::parse(&l.state).unwrap_or(ListState::Superseded).check_publish(items.len()).map_err(ServiceError::Refused)?;
    let tx = ctx.db.write.begin().await?;
    for mut old in repo::published_of(&tx, &o.id).await?.into_iter().filter(|p| p.tier == l.tier) {
        old.state = ListState::Superseded.as_str().into();
        old.superseded_at = Some(now);
        repo::update_list(&tx, old).await?;
    }
    let texts = item_texts(&items);
    let hash = text_hash(&l.title, &texts);
    l.content_hash = Some(anze_domain::duty::content_hash(&texts));
    l.state = ListState::Published.as_str().into();
    l.text_hash = Some(hash.clone());
    l.published_at = Some(now);
    let changes = serde_json::json!({"state": ["draft", "published"], "version": [null, l.version], "tier": [null, l.tier], "text_hash": [null, hash]});
    repo::update_list(&tx, l).await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("duty_list.publish", "organisation", &o.id, changes)).await?;
    refresh_coverage(&tx, ctx, &o.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// One version of a list as the enterprise page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ListSummary {
    pub id: String,
    pub tier: String,
    pub title: String,
    pub version: i32,
    pub state: String,
    pub signatures: usize,
    pub published_at: Option<DateTime<Utc>>,
}

/// Every version of every list of an organisation in the actor's scope, with signature counts.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn lists_of(ctx: &Ctx, actor: &Actor, org_id: Uuid) -> ServiceResult<Vec<ListSummary>> {
    let (o, _) = get(ctx, actor, org_id).await?;
    let lists = repo::lists_of(&ctx.db.read, &o.id).await?;
    let ids: Vec<String> = lists.iter().map(|l| l.id.clone()).collect();
    let acks = repo::acknowledgements_of(&ctx.db.read, &ids).await?;
    Ok(lists
        .into_iter()
        .map(|l| ListSummary {
            signatures: acks.iter().filter(|a| a.duty_list_id == l.id).count(),
            id: l.id,
            tier: l.tier,
            title: l.title,
            version: l.version,
            state: l.state,
            published_at: l.published_at,
        })
        .collect())
}

/// Item-by-item differences from version `before` to version `after` of one tier's list.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, before = %before, after = %after))]
pub async fn compare(ctx: &Ctx, actor: &Actor, before: Uuid, after: Uuid) -> ServiceResult<Vec<anze_domain::duty::ItemChange>> {
    let (a, _) = list_in_scope(ctx, actor, before).await?;
    let (b, _) = list_in_scope(ctx, actor, after).await?;
    if a.organisation_id != b.organisation_id || a.tier != b.tier {
        return Err(ServiceError::Refused("duty.compare.other_list"));
    }
    let ia = item_texts(&repo::list_items(&ctx.db.read, &a.id).await?);
    let ib = item_texts(&repo::list_items(&ctx.db.read, &b.id).await?);
    Ok(anze_domain::duty::compare(&ia, &ib))
}

/// The other versions of the same tier's list (for "compare with").
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, list_id = %list_id))]
pub async fn versions(ctx: &Ctx, actor: &Actor, list_id: Uuid) -> ServiceResult<Vec<(String, i32)>> {
    let (l, o) = list_in_scope(ctx, actor, list_id).await?;
    Ok(repo::lists_of(&ctx.db.read, &o.id)
        .await?
        .into_iter()
        .filter(|x| x.tier == l.tier && x.id != l.id)
        .map(|x| (x.id, x.version))
        .collect())
}

/// One list with its items (for its page and print view).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, list_id = %list_id))]
pub async fn list_detail(
    ctx: &Ctx,
    actor: &Actor,
    list_id: Uuid,
) -> ServiceResult<(repo::DutyList, Vec<repo::DutyListItem>, anze_store::repo::org::Organisation)> {
    let (l, o) = list_in_scope(ctx, actor, list_id).await?;
    let items = repo::list_items(&ctx.db.read, &l.id).await?;
    Ok((l, items, o))
}
