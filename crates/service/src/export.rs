//! .xlsx exports: import templates, import error tables, and the enterprise and staff lists
//! (within the caller's scope).

use crate::import::ImportKind;
use crate::sheet::{self, RowError, hazardous_work_label, tier_label, yes_no};
use crate::{Actor, Ctx, ServiceResult};
use anze_domain::org::{HazardousWorkKind, PostTier, industry};
use anze_store::repo::org::{self as org_repo, OrgFilter};
use anze_store::repo::person as person_repo;

/// The import template with one example row.
pub fn template(kind: ImportKind) -> ServiceResult<Vec<u8>> {
    let headers = sheet::template_headers(kind.columns());
    let example: Vec<String> = match kind {
        ImportKind::Enterprises => vec![
            "肥城市示例化工有限公司",
            "91350100M000100Y43",
            "26",
            "370983100",
            "",
            "潮泉镇工业园1号",
            "张三",
            "张三",
            "13800000000",
            "李四",
            "120",
            "橙",
            "B",
            "是",
            "动火作业、受限空间作业",
            "是",
        ],
        ImportKind::Staff => {
            vec!["91350100M000100Y43", "王五", "11010519491231002X", "13900000000", "操作工", "一般从业人员", "一车间", "2024-03-01", ""]
        }
    }
    .into_iter()
    .map(String::from)
    .collect();
    let title = match kind {
        ImportKind::Enterprises => "企业",
        ImportKind::Staff => "从业人员",
    };
    sheet::write(title, &headers, &[example])
}

/// The errors of a rejected import, as people can fix them row by row.
pub fn errors(errs: &[RowError], reason: impl Fn(&RowError) -> String) -> ServiceResult<Vec<u8>> {
    let rows: Vec<Vec<String>> =
        errs.iter().map(|e| vec![if e.row == 0 { String::new() } else { e.row.to_string() }, e.column.clone(), reason(e)]).collect();
    sheet::write("错误", &["行号", "列", "原因"], &rows)
}

/// The enterprises in the caller's scope, in the import template's columns (so an export can
/// be edited and imported back).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn enterprises(ctx: &Ctx, actor: &Actor, filter: &OrgFilter) -> ServiceResult<Vec<u8>> {
    let rows = org_repo::list_all(&ctx.db.read, &ctx.tenant, &actor.scope(), filter).await?;
    let data: Vec<Vec<String>> = rows
        .into_iter()
        .filter_map(|(o, e)| e.map(|e| (o, e)))
        .map(|(o, e)| {
            let kinds: Vec<&str> =
                e.hazardous_work_kinds.split(',').filter_map(HazardousWorkKind::parse).map(hazardous_work_label).collect();
            vec![
                o.name,
                e.credit_code,
                e.industry_code,
                o.region_code,
                e.grid_code.unwrap_or_default(),
                o.address.unwrap_or_default(),
                e.legal_representative,
                e.principal_name,
                e.principal_phone.unwrap_or_default(),
                e.safety_director_name.unwrap_or_default(),
                e.headcount.to_string(),
                e.risk_level,
                e.supervision_class.to_uppercase(),
                yes_no(e.major_hazard_source),
                kinds.join("、"),
                yes_no(e.liability_insurance),
            ]
        })
        .collect();
    let headers: Vec<&str> = ImportKind::Enterprises.columns().iter().map(|c| c.0).collect();
    sheet::write("企业", &headers, &data)
}

/// The current staff of one organisation (ID numbers and phones masked).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn staff(ctx: &Ctx, actor: &Actor, org_id: uuid::Uuid) -> ServiceResult<Vec<u8>> {
    let (o, e) = crate::scope::organisation(ctx, actor, org_id).await?;
    let staff = person_repo::staff(&ctx.db.read, &o.id, false).await?;
    let code = e.map(|e| e.credit_code).unwrap_or_default();
    let data: Vec<Vec<String>> = staff
        .into_iter()
        .map(|(j, p)| {
            vec![
                code.clone(),
                p.name,
                p.id_number.as_deref().map(anze_domain::org::mask).unwrap_or_default(),
                p.phone.as_deref().map(anze_domain::org::mask).unwrap_or_default(),
                j.post_title,
                PostTier::parse(&j.tier).map(tier_label).unwrap_or_default().to_string(),
                j.unit_name.unwrap_or_default(),
                j.start_date.to_string(),
                j.end_date.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let headers: Vec<&str> = ImportKind::Staff.columns().iter().map(|c| c.0).collect();
    sheet::write("从业人员", &headers, &data)
}

/// An industry's Chinese name, for screens and exports.
pub fn industry_name(code: &str) -> String {
    industry(code).map(|i| i.name_zh.to_string()).unwrap_or_else(|| code.to_string())
}
