//! Translations: Fluent files under `locales/`, embedded at compile time. zh-CN is the
//! default and the fallback; English is the second language. Codes (`org.credit_code.check_digit`)
//! become message ids (`err-org-credit_code-check_digit`).

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "zh-CN",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH: LanguageIdentifier = langid!("zh-CN");
static EN: LanguageIdentifier = langid!("en");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" | "zh_CN" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The message for `id`, or the id itself when missing (visible, never a panic).
    pub fn t(self, id: &str) -> String {
        LOCALES.try_lookup(self.id(), id).unwrap_or_else(|| id.to_string())
    }

    pub fn t_args(self, id: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone()))).collect();
        LOCALES.try_lookup_with_args(self.id(), id, &map).unwrap_or_else(|| id.to_string())
    }

    /// A stable error code as a sentence: `org.credit_code.check_digit` →
    /// `err-org-credit_code-check_digit`; `detail` fills `{ $detail }`.
    pub fn error(self, code: &str, detail: Option<&str>) -> String {
        let id = format!("err-{}", code.replace('.', "-"));
        let text = self.t_args(&id, &[("detail", detail.unwrap_or("").to_string())]);
        match detail {
            Some(d) if !text.contains(d) && !d.is_empty() => format!("{text}（{d}）"),
            _ => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(ftl: &str) -> Vec<&str> {
        ftl.lines().filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim())).collect()
    }

    #[test]
    fn both_languages_have_the_same_messages_once() {
        let zh = ids(include_str!("../locales/zh-CN/main.ftl"));
        let en = ids(include_str!("../locales/en/main.ftl"));
        let mut sorted = zh.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), zh.len(), "a message id is defined twice");
        let (mut a, mut b) = (zh.clone(), en.clone());
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn translates_codes_in_both_languages() {
        assert_eq!(Lang::Zh.error("org.credit_code.check_digit", None), "统一社会信用代码校验位不正确，请核对。");
        assert!(Lang::En.error("org.credit_code.check_digit", None).to_lowercase().contains("check"));
        assert_eq!(Lang::Zh.t("no-such-message"), "no-such-message");
        assert!(Lang::Zh.error("import.duplicate_in_file", Some("7")).contains('7'));
    }
}
