//! Chinese for the terminal: service errors, error codes and role names, from the web
//! crate's translations (one table for pages, API and CLI), and column widths for tables.

use anze_domain::auth::Role;
use anze_service::ServiceError;
use anze_web::i18n::Lang;

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

/// The sentence for a code with its detail, from the translations the pages use, then the code.
pub fn code_with_detail(code: &str, detail: Option<&str>) -> String {
    format!("{}（{code}）", Lang::Zh.error(code, detail.map(one_line).as_deref()))
}

/// The sentence for a code, followed by the code.
pub fn code_sentence(code: &str) -> String {
    format!("{}（{code}）", Lang::Zh.error(code, None))
}

pub fn role(r: Role) -> String {
    Lang::Zh.t(&format!("role-{}", r.as_str()))
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
