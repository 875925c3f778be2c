//! Duty lists (measures 6, 13, 19–22): templates, a list per post tier in each organisation,
//! versions, signatures bound to the exact text, and coverage measured from records.

use crate::org::{get, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::duty::{Frequency, ItemText, ListState, coverage_permille, is_stale, text_hash};
use anze_domain::org::PostTier;
use anze_store::entity::{acknowledgement, duty_list, duty_list_item, duty_template, duty_template_item};
use anze_store::repo::duty as repo;
use anze_store::repo::person;
use anze_store::{TransactionTrait, is_unique_violation};
use chrono::{DateTime, Utc};
use rust_embed::RustEmbed;
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The templates shipped with Anze (`duty_templates/*.toml`).
#[derive(RustEmbed)]
#[folder = "duty_templates/"]
struct Shipped;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateFile {
    pub code: String,
    pub name: String,
    pub tier: String,
    pub group: String,
    pub items: Vec<ItemInput>,
}

/// One duty as typed (a template file, a sheet row, a form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub text: String,
    #[serde(default)]
    pub legal_basis: String,
    pub frequency: String,
    #[serde(default)]
    pub evidence: String,
}

/// An item error names the item by its 1-based number in `detail`.
fn item_error(field: &'static str, code: &'static str, n: usize) -> FieldError {
    FieldError::new(field, code).with_detail(format!("第{n}条"))
}

/// Checks every item; an item needs its text and a known frequency.
pub fn validate_items(items: &[ItemInput]) -> Result<Vec<ItemText>, Vec<FieldError>> {
    let mut errors = vec![];
    let mut out = vec![];
    for (i, it) in items.iter().enumerate() {
        let n = i + 1;
        let text = it.text.trim();
        if text.is_empty() {
            errors.push(item_error("text", "duty.item.text_missing", n));
        } else if text.chars().count() > 1000 {
            errors.push(item_error("text", "field.too_long", n));
        }
        let frequency = Frequency::parse(it.frequency.trim());
        if frequency.is_none() {
            errors.push(item_error("frequency", "duty.item.frequency_invalid", n));
        }
        if let Some(frequency) = frequency {
            out.push(ItemText {
                text: text.to_string(),
                legal_basis: it.legal_basis.trim().to_string(),
                frequency,
                evidence: it.evidence.trim().to_string(),
            });
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Parses and checks a template file.
pub fn parse_template(text: &str) -> Result<(TemplateFile, PostTier, Vec<ItemText>), Vec<FieldError>> {
    let file: TemplateFile =
        toml::from_str(text).map_err(|e| vec![FieldError::new("file", "duty.template.format").with_detail(e.message().to_string())])?;
    let tier = PostTier::parse(file.tier.trim()).ok_or_else(|| vec![FieldError::new("tier", "person.tier.invalid")])?;
    let items = validate_items(&file.items)?;
    if items.is_empty() {
        return Err(vec![FieldError::new("items", "duty.list.empty")]);
    }
    Ok((file, tier, items))
}

/// Writes one parsed template inside the caller's transaction; returns its id.
async fn insert_template<C: anze_store::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    actor: &Actor,
    t: &TemplateFile,
    tier: PostTier,
    items: &[ItemText],
    now: DateTime<Utc>,
) -> ServiceResult<String> {
    let id = anze_domain::ids::new_id().to_string();
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, it)| duty_template_item::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            template_id: Set(id.clone()),
            position: Set(i as i32 + 1),
            text: Set(it.text.clone()),
            legal_basis: Set(it.legal_basis.clone()),
            frequency: Set(it.frequency.as_str().into()),
            evidence: Set(it.evidence.clone()),
        })
        .collect();
    let row = duty_template::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        code: Set(t.code.clone()),
        name: Set(t.name.clone()),
        tier: Set(tier.as_str().into()),
        industry_group: Set(t.group.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    repo::insert_template(db, row, rows).await?;
    let changes = serde_json::json!({"code": [null, t.code], "items": [null, items.len()]});
    audit::record(db, ctx, actor, now, "duty_template.create", "duty_template", &id, changes).await?;
    Ok(id)
}

/// Loads the shipped templates that the database does not have yet; returns how many.
pub async fn seed_templates(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<usize> {
    let mut added = 0;
    let mut names: Vec<_> = Shipped::iter().filter(|n| n.ends_with(".toml")).collect();
    names.sort();
    let tx = ctx.db.write.begin().await?;
    for name in names {
        let Some(file) = Shipped::get(&name) else { continue };
        let text = String::from_utf8_lossy(&file.data).to_string();
        let (t, tier, items) = parse_template(&text).map_err(|e| ServiceError::Internal(format!("shipped template {name}: {e:?}")))?;
        if repo::template_by_code(&tx, &ctx.tenant, &t.code).await?.is_some() {
            continue;
        }
        insert_template(&tx, ctx, &Actor::system("templates"), &t, tier, &items, now).await?;
        added += 1;
    }
    tx.commit().await?;
    Ok(added)
}

/// Adds a template written in the shipped format (city and department administrators).
pub async fn add_template(ctx: &Ctx, actor: &Actor, text: &str, now: DateTime<Utc>) -> ServiceResult<String> {
    if !actor.can_somewhere(Action::Create) {
        return Err(ServiceError::Forbidden);
    }
    let (t, tier, items) = parse_template(text).map_err(ServiceError::Invalid)?;
    let tx = ctx.db.write.begin().await?;
    if repo::template_by_code(&tx, &ctx.tenant, &t.code).await?.is_some() {
        return Err(ServiceError::field("code", "duty.template.code_taken"));
    }
    let id = insert_template(&tx, ctx, actor, &t, tier, &items, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The columns of the template sheet (one row per item; template fields repeat per row).
pub const TEMPLATE_COLUMNS: [&str; 8] = ["模板编号", "模板名称", "岗位层级", "行业分组", "职责", "依据", "频次", "履职凭证"];

/// All templates as one .xlsx sheet, in the columns `import_templates` reads.
pub async fn export_templates(ctx: &Ctx) -> ServiceResult<Vec<u8>> {
    let mut rows = vec![];
    for t in repo::templates(&ctx.db.read, &ctx.tenant).await? {
        for it in repo::template_items(&ctx.db.read, &t.id).await? {
            rows.push(vec![
                t.code.clone(),
                t.name.clone(),
                t.tier.clone(),
                t.industry_group.clone(),
                it.text,
                it.legal_basis,
                it.frequency,
                it.evidence,
            ]);
        }
    }
    crate::export::sheet("责任清单模板", &TEMPLATE_COLUMNS, &rows)
}

/// Imports templates from a sheet in the export's columns: every row is checked first (an
/// item missing its text is named by sheet row), then all new templates are written or none.
/// Codes that exist already are reported, not overwritten.
pub async fn import_templates(
    ctx: &Ctx,
    actor: &Actor,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> ServiceResult<Result<usize, Vec<crate::import::RowError>>> {
    use crate::import::{RowError, read_table};
    if !actor.can_somewhere(Action::Create) {
        return Err(ServiceError::Forbidden);
    }
    let table = match read_table(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(vec![e])),
    };
    let col = |name: &str| table.headers.iter().position(|h| h.trim().trim_end_matches('*') == name);
    let missing: Vec<RowError> = TEMPLATE_COLUMNS
        .iter()
        .filter(|c| col(c).is_none() && !matches!(**c, "依据" | "履职凭证"))
        .map(|c| RowError { row: 1, column: c.to_string(), code: "import.missing_column".into(), detail: None })
        .collect();
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    let get = |cells: &Vec<String>, name: &str| col(name).and_then(|i| cells.get(i)).cloned().unwrap_or_default();
    let mut files: Vec<(TemplateFile, Vec<usize>)> = vec![];
    for (row, cells) in &table.rows {
        let code = get(cells, "模板编号").trim().to_string();
        let item = ItemInput {
            text: get(cells, "职责"),
            legal_basis: get(cells, "依据"),
            frequency: get(cells, "频次"),
            evidence: get(cells, "履职凭证"),
        };
        match files.iter_mut().find(|(f, _)| f.code == code) {
            Some((f, rows)) => {
                f.items.push(item);
                rows.push(*row);
            }
            None => files.push((
                TemplateFile {
                    code,
                    name: get(cells, "模板名称"),
                    tier: get(cells, "岗位层级"),
                    group: get(cells, "行业分组"),
                    items: vec![item],
                },
                vec![*row],
            )),
        }
    }
    let mut errors = vec![];
    let mut valid = vec![];
    for (f, rows) in &files {
        let at = |field: &str| match field {
            "name" => "模板名称",
            "tier" => "岗位层级",
            "code" => "模板编号",
            "frequency" => "频次",
            _ => "职责",
        };
        if f.code.is_empty() {
            errors.push(RowError { row: rows[0], column: "模板编号".into(), code: "field.required".into(), detail: None });
            continue;
        }
        if f.name.trim().is_empty() {
            errors.push(RowError { row: rows[0], column: "模板名称".into(), code: "field.required".into(), detail: None });
        }
        let Some(tier) = PostTier::parse(f.tier.trim()) else {
            errors.push(RowError {
                row: rows[0],
                column: "岗位层级".into(),
                code: "person.tier.invalid".into(),
                detail: Some(f.tier.clone()),
            });
            continue;
        };
        match validate_items(&f.items) {
            Ok(items) => valid.push((f.clone(), tier, items)),
            Err(errs) => {
                for e in errs {
                    // The item's number maps back to its sheet row.
                    let n: usize =
                        e.detail.as_deref().and_then(|d| d.trim_start_matches('第').trim_end_matches('条').parse().ok()).unwrap_or(1);
                    errors.push(RowError {
                        row: rows.get(n - 1).copied().unwrap_or(rows[0]),
                        column: at(e.field).into(),
                        code: e.code.into(),
                        detail: None,
                    });
                }
            }
        }
        if repo::template_by_code(&ctx.db.read, &ctx.tenant, &f.code).await?.is_some() {
            errors.push(RowError {
                row: rows[0],
                column: "模板编号".into(),
                code: "duty.template.code_taken".into(),
                detail: Some(f.code.clone()),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }
    let tx = ctx.db.write.begin().await?;
    for (f, tier, items) in &valid {
        insert_template(&tx, ctx, actor, f, *tier, items, now).await?;
    }
    tx.commit().await?;
    Ok(Ok(valid.len()))
}

pub async fn templates(ctx: &Ctx) -> ServiceResult<Vec<repo::DutyTemplate>> {
    Ok(repo::templates(&ctx.db.read, &ctx.tenant).await?)
}

async fn editable_org(ctx: &Ctx, actor: &Actor, org_id: Uuid) -> ServiceResult<anze_store::repo::org::Organisation> {
    let (o, e) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Edit, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    Ok(o)
}

/// A new draft for one tier of an organisation, copied from a template.
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
    audit::record(&tx, ctx, actor, now, "duty_list.create", "organisation", &org.id, changes).await?;
    tx.commit().await?;
    Ok(id)
}

/// A list in the actor's scope (through its organisation).
async fn list_in_scope(ctx: &Ctx, actor: &Actor, list_id: Uuid) -> ServiceResult<(repo::DutyList, anze_store::repo::org::Organisation)> {
    let l = repo::list(&ctx.db.read, &ctx.tenant, &list_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let org_id = Uuid::parse_str(&l.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (o, _) = get(ctx, actor, org_id).await?;
    Ok((l, o))
}

/// Replaces a draft's items (the enterprise's own edit of the template text).
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
    audit::record(&tx, ctx, actor, now, "duty_list.edit", "organisation", &o.id, changes).await?;
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

fn item_texts(items: &[repo::DutyListItem]) -> Vec<ItemText> {
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
    audit::record(&tx, ctx, actor, now, "duty_list.publish", "organisation", &o.id, changes).await?;
    refresh_coverage(&tx, ctx, &o.id, now).await?;
    tx.commit().await?;
    Ok(())
}

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
    let row = acknowledgement::ActiveModel {
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
    audit::record(&tx, ctx, &actor, now, "acknowledgement.create", "organisation", &l.organisation_id, changes).await?;
    refresh_coverage(&tx, ctx, &l.organisation_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// One person's state against their posts' current lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonCoverage {
    pub person_id: String,
    pub name: String,
    pub tiers: Vec<String>,
    /// Every post held has a published list that the person signed.
    pub covered: bool,
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Coverage {
    pub people: u64,
    pub covered: u64,
    pub stale: u64,
    pub permille: u64,
    /// Tiers held by someone but with no published list.
    pub missing_lists: Vec<String>,
    pub persons: Vec<PersonCoverage>,
}

/// Coverage of one organisation in the actor's scope, computed from employments, published
/// lists and signatures.
pub async fn coverage(ctx: &Ctx, actor: &Actor, org_id: Uuid, grace_days: i64, now: DateTime<Utc>) -> ServiceResult<Coverage> {
    let (o, _) = get(ctx, actor, org_id).await?;
    compute_coverage(&ctx.db.read, &o.id, grace_days, now).await
}

/// Coverage of one organisation from its records (callers check scope).
pub(crate) async fn compute_coverage<C: anze_store::ConnectionTrait>(
    db: &C,
    org_id: &str,
    grace_days: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Coverage> {
    let staff = person::staff(db, org_id, false).await?;
    let published: HashMap<String, repo::DutyList> =
        repo::published_of(db, org_id).await?.into_iter().map(|l| (l.tier.clone(), l)).collect();
    let current: HashMap<&str, &str> = published.values().map(|l| (l.id.as_str(), l.text_hash.as_deref().unwrap_or_default())).collect();
    let ids: Vec<String> = published.values().map(|l| l.id.clone()).collect();
    let signed: HashSet<(String, String)> = repo::acknowledgements_of(db, &ids)
        .await?
        .into_iter()
        .filter(|a| current.get(a.duty_list_id.as_str()) == Some(&a.text_hash.as_str()))
        .map(|a| (a.duty_list_id, a.person_id))
        .collect();
    let mut by_person: HashMap<String, PersonCoverage> = HashMap::new();
    let mut missing: Vec<String> = vec![];
    for (e, p) in &staff {
        let list = published.get(&e.tier);
        if list.is_none() && !missing.contains(&e.tier) {
            missing.push(e.tier.clone());
        }
        let ok = list.is_some_and(|l| signed.contains(&(l.id.clone(), p.id.clone())));
        let held_since = e.start_date.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(now);
        let stale = is_stale(held_since, list.and_then(|l| l.published_at), ok, grace_days, now);
        let entry = by_person.entry(p.id.clone()).or_insert_with(|| PersonCoverage {
            person_id: p.id.clone(),
            name: p.name.clone(),
            tiers: vec![],
            covered: true,
            stale: false,
        });
        entry.tiers.push(e.tier.clone());
        entry.covered &= ok;
        entry.stale |= stale;
    }
    let mut persons: Vec<PersonCoverage> = by_person.into_values().collect();
    persons.sort_by(|a, b| a.covered.cmp(&b.covered).then_with(|| a.name.cmp(&b.name)));
    let people = persons.len() as u64;
    let covered = persons.iter().filter(|p| p.covered).count() as u64;
    let stale = persons.iter().filter(|p| p.stale).count() as u64;
    missing.sort();
    Ok(Coverage { people, covered, stale, permille: coverage_permille(covered, people), missing_lists: missing, persons })
}

/// Recomputes an organisation's coverage summary inside the caller's transaction, so the
/// rollups change in the same commit as the record that moved them.
pub(crate) async fn refresh_coverage<C: anze_store::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    org_id: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Coverage> {
    let all = anze_domain::auth::Scope { all: true, ..Default::default() };
    let (o, e) = anze_store::repo::org::get(db, &ctx.tenant, &all, org_id).await?.ok_or(ServiceError::NotFound)?;
    anze_store::repo::coverage::lock(db, summary_row(ctx, &o, e.as_ref(), None, now)).await?;
    let c = compute_coverage(db, &o.id, ctx.settings.stale_after_days, now).await?;
    anze_store::repo::coverage::upsert(db, summary_row(ctx, &o, e.as_ref(), Some(&c), now)).await?;
    Ok(c)
}

/// An organisation's summary row: its keys, and its figures (zero without `c`).
pub(crate) fn summary_row(
    ctx: &Ctx,
    o: &anze_store::repo::org::Organisation,
    e: Option<&anze_store::repo::org::Enterprise>,
    c: Option<&Coverage>,
    now: DateTime<Utc>,
) -> anze_store::entity::coverage_summary::ActiveModel {
    let n = |f: fn(&Coverage) -> u64| i32::try_from(c.map_or(0, f)).unwrap_or(i32::MAX);
    anze_store::entity::coverage_summary::ActiveModel {
        organisation_id: Set(o.id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        kind: Set(o.kind.clone()),
        region_path: Set(o.region_path.clone()),
        township_code: Set(o.township_code.clone()),
        industry_code: Set(e.map(|e| e.industry_code.clone())),
        people: Set(n(|c| c.people)),
        covered: Set(n(|c| c.covered)),
        stale: Set(n(|c| c.stale)),
        missing_lists: Set(n(|c| c.missing_lists.len() as u64)),
        base_complete: Set(e.is_some_and(|e| crate::ledger::base_record_source(o, e).mark == anze_domain::ledger::Mark::Complete)),
        supervision_class: Set(e.map(|e| e.supervision_class.clone())),
        computed_at: Set(now),
    }
}

/// One problem with how lists fit their posts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FitFlag {
    /// `duty.fit.same_across_tiers`, `duty.fit.copied_across_industries`,
    /// `duty.fit.tier_without_list` or `duty.fit.no_legal_basis`.
    pub code: &'static str,
    /// Names the flag for a dismissal; a new version of a list makes a new flag.
    pub key: String,
    pub tiers: Vec<String>,
    pub list_ids: Vec<String>,
    /// Similarity (0–1) for pairs and copies; the number of items without a basis otherwise.
    pub score: f64,
    /// For copies: the other enterprises (name and industry code), a few at most.
    pub others: Vec<(String, String)>,
    pub dismissed: Option<FitDismissal>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FitDismissal {
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The items hash of the template a list was made from (`None` without one).
async fn template_content_hash<C: anze_store::ConnectionTrait>(db: &C, template_id: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(id) = template_id else { return Ok(None) };
    Ok(Some(anze_domain::duty::content_hash(&template_texts(&repo::template_items(db, id).await?))))
}

fn flag(code: &'static str, tiers: Vec<String>, list_ids: Vec<String>, score: f64) -> FitFlag {
    let key = format!("{code}:{}:{}", tiers.join(","), list_ids.join(","));
    FitFlag { code, key, tiers, list_ids, score, others: vec![], dismissed: None }
}

/// The fit check of one organisation's lists: lists of different tiers that read alike (a copy
/// does not fit two posts), lists copied verbatim from an enterprise of another industry, posts
/// held with no list at all, and items with no legal basis. Dismissed flags stay, marked.
pub async fn fit(ctx: &Ctx, actor: &Actor, org_id: Uuid) -> ServiceResult<Vec<FitFlag>> {
    let (o, e) = get(ctx, actor, org_id).await?;
    let db = &ctx.db.read;
    let mut lists = vec![];
    for l in repo::published_of(db, &o.id).await? {
        let items = item_texts(&repo::list_items(db, &l.id).await?);
        lists.push((l, items));
    }
    lists.sort_by(|a, b| a.0.tier.cmp(&b.0.tier));
    let mut flags = vec![];
    for (i, (a, ia)) in lists.iter().enumerate() {
        for (b, ib) in &lists[i + 1..] {
            let score = anze_domain::duty::similarity(ia, ib);
            if score >= anze_domain::duty::SAME_ACROSS_TIERS {
                flags.push(flag(
                    "duty.fit.same_across_tiers",
                    vec![a.tier.clone(), b.tier.clone()],
                    vec![a.id.clone(), b.id.clone()],
                    score,
                ));
            }
        }
    }
    if let Some(e) = &e {
        // A template used as shipped is shared on purpose; a copy is text someone else wrote.
        // Only lists of the unit's own text are looked up (a shipped template's text is shared
        // by thousands of units: reading them all took most of an enterprise's to-do list).
        let mut own = vec![];
        for (l, _) in &lists {
            if template_content_hash(db, l.template_id.as_deref()).await? != l.content_hash {
                own.push(l);
            }
        }
        let hashes: Vec<String> = own.iter().filter_map(|l| l.content_hash.clone()).collect();
        let copies = if hashes.is_empty() { vec![] } else { repo::published_with_content(db, &ctx.tenant, &hashes, &o.id).await? };
        for l in own {
            let mut others = vec![];
            let mut other_ids = vec![];
            for (c, industry) in copies.iter().filter(|(c, _)| c.content_hash == l.content_hash) {
                match industry {
                    Some(ind) if *ind != e.industry_code && others.len() < 3 => {
                        let all = anze_domain::auth::Scope { all: true, ..Default::default() };
                        let name = anze_store::repo::org::get(db, &ctx.tenant, &all, &c.organisation_id)
                            .await?
                            .map(|(o, _)| o.name)
                            .unwrap_or_default();
                        others.push((name, ind.clone()));
                        other_ids.push(c.id.clone());
                    }
                    _ => {}
                }
            }
            if !others.is_empty() {
                let mut f = flag("duty.fit.copied_across_industries", vec![l.tier.clone()], vec![l.id.clone()], 1.0);
                f.others = others;
                f.list_ids.extend(other_ids);
                flags.push(f);
            }
        }
    }
    let mut held: Vec<String> = person::staff(db, &o.id, false).await?.into_iter().map(|(e, _)| e.tier).collect();
    held.sort();
    held.dedup();
    for t in held.into_iter().filter(|t| !lists.iter().any(|(l, _)| &l.tier == t)) {
        flags.push(flag("duty.fit.tier_without_list", vec![t], vec![], 0.0));
    }
    for (a, ia) in &lists {
        let missing = ia.iter().filter(|it| it.legal_basis.trim().is_empty()).count();
        if missing > 0 {
            flags.push(flag("duty.fit.no_legal_basis", vec![a.tier.clone()], vec![a.id.clone()], missing as f64));
        }
    }
    let dismissals = repo::fit_dismissals(db, &o.id).await?;
    for f in &mut flags {
        f.dismissed = dismissals.iter().find(|d| d.code == f.code && d.flag_key == f.key).map(|d| FitDismissal {
            reason: d.reason.clone(),
            by: d.dismissed_by.clone(),
            at: d.dismissed_at,
        });
    }
    Ok(flags)
}

/// An official with inspection powers over the unit (never the unit itself) dismisses a
/// current fit flag with a reason.
pub async fn dismiss_fit(ctx: &Ctx, actor: &Actor, org_id: Uuid, key: &str, reason: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let (o, e) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Inspect, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::field("reason", "field.required"));
    }
    if reason.chars().count() > 500 {
        return Err(ServiceError::field("reason", "field.too_long"));
    }
    let flags = fit(ctx, actor, org_id).await?;
    let Some(f) = flags.iter().find(|f| f.key == key) else { return Err(ServiceError::Refused("duty.fit.unknown_flag")) };
    if f.dismissed.is_some() {
        return Err(ServiceError::Refused("duty.fit.already_dismissed"));
    }
    let tx = ctx.db.write.begin().await?;
    let row = anze_store::entity::fit_dismissal::ActiveModel {
        id: Set(anze_domain::ids::new_id().to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(o.id.clone()),
        code: Set(f.code.to_string()),
        flag_key: Set(f.key.clone()),
        reason: Set(reason.to_string()),
        dismissed_by: Set(actor.name.clone()),
        dismissed_at: Set(now),
    };
    match repo::insert_fit_dismissal(&tx, row).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(ServiceError::Refused("duty.fit.already_dismissed")),
        Err(e) => return Err(e.into()),
    }
    let changes = serde_json::json!({"dismissed": [null, {"flag": f.code, "tiers": f.tiers, "reason": reason}]});
    audit::record(&tx, ctx, actor, now, "fit_flag.dismiss", "organisation", &o.id, changes).await?;
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
pub async fn versions(ctx: &Ctx, actor: &Actor, list_id: Uuid) -> ServiceResult<Vec<(String, i32)>> {
    let (l, o) = list_in_scope(ctx, actor, list_id).await?;
    Ok(repo::lists_of(&ctx.db.read, &o.id)
        .await?
        .into_iter()
        .filter(|x| x.tier == l.tier && x.id != l.id)
        .map(|x| (x.id, x.version))
        .collect())
}

/// Who signed a list and when (its page and print view show them).
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

/// One list with its items (for its page and print view).
pub async fn list_detail(
    ctx: &Ctx,
    actor: &Actor,
    list_id: Uuid,
) -> ServiceResult<(repo::DutyList, Vec<repo::DutyListItem>, anze_store::repo::org::Organisation)> {
    let (l, o) = list_in_scope(ctx, actor, list_id).await?;
    let items = repo::list_items(&ctx.db.read, &l.id).await?;
    Ok((l, items, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_templates_parse() {
        let mut n = 0;
        for name in Shipped::iter().filter(|n| n.ends_with(".toml")) {
            let text = String::from_utf8_lossy(&Shipped::get(&name).unwrap().data).to_string();
            let parsed = parse_template(&text);
            assert!(parsed.is_ok(), "{name}: {:?}", parsed.err());
            n += 1;
        }
        assert!(n >= 8, "the eight enterprise tiers at least: {n}");
    }

    #[test]
    fn an_item_without_text_is_named_by_number() {
        let items = vec![
            ItemInput {
                text: "组织制定安全生产规章制度".into(), legal_basis: "".into(), frequency: "yearly".into(), evidence: "".into()
            },
            ItemInput { text: " ".into(), legal_basis: "".into(), frequency: "sometimes".into(), evidence: "".into() },
        ];
        let errs = validate_items(&items).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!((errs[0].code, errs[0].detail.as_deref()), ("duty.item.text_missing", Some("第2条")));
        assert_eq!(errs[1].code, "duty.item.frequency_invalid");
    }

    #[test]
    fn a_template_file_with_an_unknown_field_is_refused() {
        let bad = "code = \"x\"\nname = \"x\"\ntier = \"worker\"\ngroup = \"general\"\ncolour = \"red\"\nitems = []\n";
        assert_eq!(parse_template(bad).unwrap_err()[0].code, "duty.template.format");
    }
}
