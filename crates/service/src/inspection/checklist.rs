//! Checklists (检查表): the shipped ones and those imported from a sheet.

use super::*;

/// A shipped checklist: its items with the category and grade a failure is filed under.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Checklist {
    pub code: String,
    pub name: String,
    pub basis: String,
    /// `major` for the criteria of major hazards; items default to the checklist's grade.
    #[serde(default = "general")]
    pub grade: String,
    /// The industry (GB/T 4754) and inspection kind it is meant for, when it says.
    #[serde(default)]
    pub industry_code: Option<String>,
    #[serde(default)]
    pub inspection_kind: Option<String>,
    /// Imported by this city (not shipped with the platform).
    #[serde(default)]
    pub imported: bool,
    pub items: Vec<ChecklistItemText>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChecklistItemText {
    pub text: String,
    pub category: String,
    /// The grade of a failure here, when it differs from the checklist's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
}

fn general() -> String {
    Grade::General.as_str().into()
}

const SHIPPED: [&str; 3] = [
    include_str!("../../checklists/responsibility-daily.toml"),
    include_str!("../../checklists/major-hazard-industry-trade.toml"),
    include_str!("../../checklists/hazardous-work-gb30871.toml"),
];

/// The shipped checklists (responsibility system, major-hazard criteria, GB 30871 work).
fn shipped_checklists() -> ServiceResult<Vec<Checklist>> {
    SHIPPED.iter().map(|t| toml::from_str(t).map_err(|e| ServiceError::Internal(format!("shipped checklist: {e}")))).collect()
}

fn stored_checklist(c: anze_store::repo::inspection::StoredChecklist) -> ServiceResult<Checklist> {
    let items = serde_json::from_str(&c.items).map_err(|e| ServiceError::Internal(format!("checklist {}: {e}", c.code)))?;
    Ok(Checklist {
        code: c.code,
        name: c.name,
        basis: c.basis,
        grade: c.grade,
        industry_code: c.industry_code,
        inspection_kind: c.inspection_kind,
        imported: true,
        items,
    })
}

/// Every checklist an inspection can use: the shipped ones, then the city's imported ones.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn checklists(ctx: &Ctx) -> ServiceResult<Vec<Checklist>> {
    let mut all = shipped_checklists()?;
    for c in repo::checklists(&ctx.db.read, &ctx.tenant).await? {
        all.push(stored_checklist(c)?);
    }
    Ok(all)
}

pub(super) async fn find_checklist(ctx: &Ctx, code: &str) -> ServiceResult<Option<Checklist>> {
    if let Some(c) = shipped_checklists()?.into_iter().find(|c| c.code == code) {
        return Ok(Some(c));
    }
    repo::checklist_by_code(&ctx.db.read, &ctx.tenant, code).await?.map(stored_checklist).transpose()
}

pub(super) fn items_of(c: &Checklist) -> Vec<ChecklistItem> {
    let grade = Grade::parse(&c.grade).unwrap_or(Grade::General);
    c.items
        .iter()
        .map(|i| ChecklistItem {
            text: i.text.clone(),
            category: Category::parse(&i.category).unwrap_or(Category::Management),
            grade: i.grade.as_deref().and_then(Grade::parse).unwrap_or(grade),
        })
        .collect()
}

/// What an imported checklist is: a code (letters, digits, `.`, `_`, `-`), a name, its basis,
/// the default grade of a failure, and optionally its industry and inspection kind.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
#[serde(default)]
pub struct NewChecklist {
    pub code: String,
    pub name: String,
    pub basis: String,
    pub grade: String,
    pub industry_code: String,
    pub inspection_kind: String,
}

/// The import template (.xlsx) with two example rows.
pub fn checklist_template() -> ServiceResult<Vec<u8>> {
    let rows = vec![
        vec!["动火作业票证齐全、审批手续完备".to_string(), "管理".into(), "一般".into()],
        vec!["动火点周边可燃气体检测合格".to_string(), "物".into(), "重大".into()],
    ];
    sheet::write("检查表", &sheet::template_headers(&CHECKLIST_COLUMNS), &rows)
}

/// The columns of a checklist sheet.
const CHECKLIST_COLUMNS: [sheet::Column; 3] = [("检查项目", "text", true), ("类别", "category", true), ("等级", "grade", false)];

/// Imports a checklist from an .xlsx (or CSV) file: the form's fields are checked by name, the
/// rows by row and column (the inner `Err`); all or nothing, audited. Officials with
/// inspection powers may import; others get 403.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn import_checklist(
    ctx: &Ctx,
    actor: &Actor,
    meta: &NewChecklist,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> ServiceResult<Result<String, Vec<RowError>>> {
    if !actor.can_somewhere(Action::Inspect) {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = vec![];
    let code = meta.code.trim();
    if code.is_empty() {
        errors.push(FieldError::new("code", "field.required"));
    } else if code.len() > 64 || !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        errors.push(FieldError::new("code", "checklist.code.invalid").with_detail(code.to_string()));
    } else if find_checklist(ctx, code).await?.is_some() {
        errors.push(FieldError::new("code", "checklist.code.taken").with_detail(code.to_string()));
    }
    if meta.name.trim().is_empty() {
        errors.push(FieldError::new("name", "field.required"));
    }
    let grade = if meta.grade.trim().is_empty() { Some(Grade::General) } else { Grade::parse(meta.grade.trim()) };
    if grade.is_none() {
        errors.push(FieldError::new("grade", "hazard.grade.invalid").with_detail(meta.grade.clone()));
    }
    let kind = meta.inspection_kind.trim();
    if !kind.is_empty() && InspectionKind::parse(kind).is_none() {
        errors.push(FieldError::new("inspection_kind", "inspection.kind.invalid").with_detail(kind.to_string()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let table = match sheet::read_table(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(vec![e])),
    };
    let columns = match sheet::columns(&table, &CHECKLIST_COLUMNS) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let rows: Vec<rules::ChecklistRow> = table
        .rows
        .iter()
        .map(|(row, cells)| rules::ChecklistRow {
            row: *row,
            text: columns.cell(cells, "text"),
            category: columns.cell(cells, "category"),
            grade: columns.cell(cells, "grade"),
        })
        .collect();
    let items = match rules::parse_checklist_rows(&rows, grade.unwrap_or(Grade::General)) {
        Ok(items) => items,
        Err(problems) => {
            return Ok(Err(problems
                .into_iter()
                .map(|p| RowError {
                    row: p.row,
                    column: sheet::header_of(&CHECKLIST_COLUMNS, p.field).into(),
                    code: p.code.into(),
                    detail: p.detail,
                })
                .collect()));
        }
    };
    let stored: Vec<ChecklistItemText> = items
        .iter()
        .map(|i| ChecklistItemText { text: i.text.clone(), category: i.category.as_str().into(), grade: Some(i.grade.as_str().into()) })
        .collect();
    let items_json = serde_json::to_string(&stored).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let id = anze_domain::ids::new_id().to_string();
    let some = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let tx = ctx.db.write.begin().await?;
    repo::insert_checklist(
        &tx,
        anze_store::entity::checklist::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(ctx.tenant.clone()),
            code: Set(code.to_string()),
            name: Set(meta.name.trim().to_string()),
            basis: Set(meta.basis.trim().to_string()),
            grade: Set(grade.unwrap_or(Grade::General).as_str().into()),
            industry_code: Set(some(&meta.industry_code)),
            inspection_kind: Set(some(kind)),
            items: Set(items_json),
            created_by: Set(actor.name.clone()),
            created_at: Set(now),
        },
    )
    .await?;
    let changes = serde_json::json!({"checklist": [null, {"code": code, "name": meta.name.trim(), "items": stored.len()}]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("checklist.import", "checklist", &id, changes)).await?;
    tx.commit().await?;
    Ok(Ok(code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_checklists_read_and_every_item_has_a_known_category() {
        let lists = shipped_checklists().unwrap();
        let codes: Vec<&str> = lists.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["responsibility.daily", "major_hazard.industry_trade", "hazardous_work.gb30871"]);
        for c in &lists {
            assert!(c.items.len() >= 8, "{} has its items", c.code);
            assert!(c.items.iter().all(|i| Category::parse(&i.category).is_some()), "{}", c.code);
        }
        assert!(items_of(&lists[1]).iter().all(|i| i.grade == Grade::Major), "the criteria of major hazards find major hazards");
        assert!(items_of(&lists[0]).iter().all(|i| i.grade == Grade::General));
    }
}
