//! Time: instants are UTC; dates the notice states ("by 31 March") are local dates in
//! Asia/Shanghai, which has no daylight saving, so a fixed +08:00 offset is exact.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&shanghai()).date_naive()
}

/// Parses the date forms people type in China: 2024-03-31, 2024/3/31, 2024.3.31, 20240331,
/// 2024年3月31日.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(t, "%Y%m%d").ok();
    }
    let normalised: String = t
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            c => c,
        })
        .filter(|c| *c != '日')
        .collect();
    NaiveDate::parse_from_str(&normalised, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_chinese_date_forms() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
        for t in ["2024-03-31", "2024/3/31", "2024.3.31", "20240331", "2024年3月31日", " 2024-3-31 "] {
            assert_eq!(parse_date(t), Some(d), "{t}");
        }
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("三月底"), None);
    }

    #[test]
    fn local_date_is_shanghai() {
        let at = DateTime::parse_from_rfc3339("2024-03-31T17:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(local_date(at), NaiveDate::from_ymd_opt(2024, 4, 1).unwrap());
    }
}
