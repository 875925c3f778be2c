//! Duty templates: the shipped ones, one written in their format, and templates in a sheet.

use super::*;

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
    audit::record(db, ctx, actor, now, audit::Event::new("duty_template.create", "duty_template", &id, changes)).await?;
    Ok(id)
}

/// Loads the shipped templates that the database does not have yet; returns how many.
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
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
pub const TEMPLATE_COLUMNS: [sheet::Column; 8] = [
    ("模板编号", "code", true),
    ("模板名称", "name", true),
    ("岗位层级", "tier", true),
    ("行业分组", "group", true),
    ("职责", "text", true),
    ("依据", "legal_basis", false),
    ("频次", "frequency", true),
    ("履职凭证", "evidence", false),
];

/// All templates as one .xlsx sheet, in the columns `import_templates` reads.
#[tracing::instrument(level = "debug", skip_all)]
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
    sheet::write("责任清单模板", &TEMPLATE_COLUMNS.map(|c| c.0), &rows)
}

/// Imports templates from a sheet in the export's columns: every row is checked first (an
/// item missing its text is named by sheet row), then all new templates are written or none.
/// Codes that exist already are reported, not overwritten.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn import_templates(ctx: &Ctx, actor: &Actor, bytes: &[u8], now: DateTime<Utc>) -> ServiceResult<Result<usize, Vec<RowError>>> {
    if !actor.can_somewhere(Action::Create) {
        return Err(ServiceError::Forbidden);
    }
    let table = match read_table(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(vec![e])),
    };
    let columns = match sheet::columns(&table, &TEMPLATE_COLUMNS) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let get = |cells: &Vec<String>, field: &str| columns.cell(cells, field);
    let mut files: Vec<(TemplateFile, Vec<usize>)> = vec![];
    for (row, cells) in &table.rows {
        let code = get(cells, "code").trim().to_string();
        let item = ItemInput {
            text: get(cells, "text"),
            legal_basis: get(cells, "legal_basis"),
            frequency: get(cells, "frequency"),
            evidence: get(cells, "evidence"),
        };
        match files.iter_mut().find(|(f, _)| f.code == code) {
            Some((f, rows)) => {
                f.items.push(item);
                rows.push(*row);
            }
            None => files.push((
                TemplateFile { code, name: get(cells, "name"), tier: get(cells, "tier"), group: get(cells, "group"), items: vec![item] },
                vec![*row],
            )),
        }
    }
    let mut errors = vec![];
    let mut valid = vec![];
    for (f, rows) in &files {
        let at = |field: &str| match sheet::header_of(&TEMPLATE_COLUMNS, field) {
            "" => "职责",
            header => header,
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

#[tracing::instrument(level = "debug", skip_all)]
pub async fn templates(ctx: &Ctx) -> ServiceResult<Vec<repo::DutyTemplate>> {
    Ok(repo::templates(&ctx.db.read, &ctx.tenant).await?)
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
