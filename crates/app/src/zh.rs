//! Chinese sentences for the terminal: service errors, error codes and role names.

use anze_domain::auth::Role;
use anze_service::ServiceError;

/// A one-line description of a service error.
pub fn service_error(e: &ServiceError) -> String {
    match e {
        ServiceError::NotFound => "未找到（not found）".into(),
        ServiceError::Forbidden => "无权执行此操作（forbidden）".into(),
        ServiceError::Invalid(fields) => {
            let parts: Vec<String> = fields.iter().map(|f| code_with_detail(f.code, f.detail.as_deref())).collect();
            format!("输入无效：{}", parts.join("；"))
        }
        ServiceError::Refused(code) | ServiceError::Unauthenticated(code) => format!("操作被拒绝：{}", code_sentence(code)),
        ServiceError::Db(e) => format!("数据库错误：{}", one_line(&e.to_string())),
        ServiceError::Internal(e) => format!("内部错误：{}", one_line(e)),
    }
}

/// `code detail（sentence）`, the sentence when one is known.
pub fn code_with_detail(code: &str, detail: Option<&str>) -> String {
    let mut s = code.to_string();
    if let Some(d) = detail.filter(|d| !d.is_empty()) {
        s.push(' ');
        s.push_str(&one_line(d));
    }
    if let Some(t) = sentence(code) {
        s.push_str(&format!("（{t}）"));
    }
    s
}

/// The sentence for a code, or the code itself.
pub fn code_sentence(code: &str) -> String {
    sentence(code).map(|t| format!("{t}（{code}）")).unwrap_or_else(|| code.to_string())
}

fn sentence(code: &str) -> Option<&'static str> {
    Some(match code {
        "user.username.invalid" => "用户名只能包含字母、数字和 . _ -",
        "user.username.taken" => "用户名已存在",
        "password.too_short" => "密码太短（等保要求至少 8 位，ASVS 要求至少 12 位）",
        "password.too_long" => "密码太长（最多 128 位）",
        "password.classes" => "密码需包含大写字母、小写字母、数字、符号中的至少三类",
        "password.blocklisted" => "该密码过于常见，请换一个",
        "password.contains_username" => "密码不能包含用户名",
        "import.not_a_spreadsheet" => "文件不是 Excel（.xlsx）或 CSV 表格",
        "import.empty" => "表格为空",
        "import.missing_column" => "缺少必需的列",
        "import.merged_cells" => "该行含有合并单元格，请取消合并后再导入",
        "import.duplicate_in_file" => "与文件中另一行重复",
        "import.enterprise_unknown" => "找不到该统一社会信用代码对应的企业，请先导入企业",
        "org.credit_code.length" => "统一社会信用代码应为 18 位",
        "org.credit_code.charset" => "统一社会信用代码含有不允许的字符",
        "org.credit_code.check_digit" => "统一社会信用代码校验位不正确",
        "org.credit_code.taken" => "该统一社会信用代码已被其他企业使用",
        "org.industry.unknown" => "行业代码不存在",
        "org.region.level" => "属地应为镇街区或村（社区）",
        "org.region.outside_scope" => "属地或行业不在管辖范围内",
        "org.grid.not_grid" => "该代码不是网格",
        "org.grid.outside_region" => "网格不在该企业属地内",
        "org.risk_level.invalid" => "风险等级应为 红/橙/黄/蓝",
        "org.supervision_class.invalid" => "监管类别应为 A、B、C、D 之一",
        "org.hazardous_work.invalid" => "危险作业类型无法识别",
        "region.code.format" => "行政区划代码格式不正确（应为 6、9、12 或 15 位数字）",
        "region.code.unknown" => "行政区划代码不存在",
        "employment.end_before_start" => "离任日期不能早于任职日期",
        "employment.already_ended" => "该岗位已离任",
        "person.id_number.invalid" => "身份证号应为 18 位",
        "person.id_number.check_digit" => "身份证号校验位不正确",
        "person.phone.invalid" => "电话号码格式不正确",
        "person.tier.invalid" => "岗位层级无法识别",
        "person.tier.wrong_kind" => "该岗位层级不适用于此类机构",
        "audit.verify.missing" => "缺少事件（序号不连续）",
        "audit.verify.prev_hash" => "前序哈希不匹配",
        "audit.verify.hash" => "内容被篡改（哈希不匹配）",
        "audit.verify.changes" => "变更内容无法解析",
        "audit.verify.head" => "链头与最后一条事件不一致（事件被删除）",
        _ => return None,
    })
}

pub fn role(r: Role) -> &'static str {
    match r {
        Role::CityAdmin => "市级管理员",
        Role::CommitteeOffice => "安委会办公室",
        Role::SpecialCommitteeOffice => "专委会办公室",
        Role::DepartmentLeader => "部门负责人",
        Role::DepartmentInspector => "部门执法检查人员",
        Role::TownshipOfficer => "镇街区安监人员",
        Role::GridWorker => "网格员",
        Role::EnterpriseAdmin => "企业管理员",
        Role::SafetyManager => "企业安全管理人员",
        Role::Employee => "员工",
    }
}

/// Collapses line breaks so every message stays on one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Display width in a terminal: CJK and other wide characters count as two columns.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Pads to `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}
