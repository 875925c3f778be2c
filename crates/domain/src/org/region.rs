//! Region codes (GB/T 2260 for province, city and county; the statistical 9- and 12-digit
//! extensions for township and village; a 15-digit code of our own for a grid inside a
//! village) and the materialised path `/370000/370900/370983/370983100/…`.

use crate::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
    Village,
    Grid,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 6] = [Self::Province, Self::City, Self::County, Self::Township, Self::Village, Self::Grid];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::City => "city",
            Self::County => "county",
            Self::Township => "township",
            Self::Village => "village",
            Self::Grid => "grid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Kinds of township-level area the notice names: 镇, 街道, and zones such as 高新区, 经开区.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TownshipKind {
    Town,
    Street,
    Zone,
}

impl TownshipKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Town => "town",
            Self::Street => "street",
            Self::Zone => "zone",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Town, Self::Street, Self::Zone].into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let t = text.trim();
        let ok = t.bytes().all(|b| b.is_ascii_digit()) && matches!(t.len(), 6 | 9 | 12 | 15);
        if ok { Ok(Self(t.to_string())) } else { Err(FieldError::new("region_code", "region.code.format")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level a code's shape implies (6 digits: province, city or county by its zeros).
    pub fn level(&self) -> RegionLevel {
        let s = &self.0;
        match s.len() {
            6 if s.ends_with("0000") => RegionLevel::Province,
            6 if s.ends_with("00") => RegionLevel::City,
            6 => RegionLevel::County,
            9 => RegionLevel::Township,
            12 => RegionLevel::Village,
            _ => RegionLevel::Grid,
        }
    }

    /// The code of the enclosing region, if any.
    pub fn parent(&self) -> Option<RegionCode> {
        let s = &self.0;
        let p = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => format!("{}0000", &s[..2]),
            RegionLevel::County => format!("{}00", &s[..4]),
            RegionLevel::Township => s[..6].to_string(),
            RegionLevel::Village => s[..9].to_string(),
            RegionLevel::Grid => s[..12].to_string(),
        };
        Some(RegionCode(p))
    }

    /// `/370000/370900/370983`: every ancestor from the province down, then this code.
    pub fn path(&self) -> String {
        let mut chain = vec![self.clone()];
        while let Some(p) = chain.last().and_then(RegionCode::parent) {
            chain.push(p);
        }
        chain.iter().rev().map(|c| format!("/{}", c.0)).collect()
    }

    /// The county code (6 digits) when this region lies at or below a county.
    pub fn county(&self) -> Option<&str> {
        (self.level() >= RegionLevel::County).then(|| &self.0[..6])
    }

    /// The township code (9 digits) when this region lies at or below a township.
    pub fn township(&self) -> Option<&str> {
        (self.level() >= RegionLevel::Township).then(|| &self.0[..9])
    }
}

/// Subtree filters are ranges, never `LIKE` (an index serves a range on SQLite and
/// PostgreSQL alike): the subtree of `p` is `p <= path < p + "0"`, because `0` is the
/// byte after `/`, and siblings never share a prefix (codes of one level have one length).
pub fn region_path_upper_bound(path: &str) -> String {
    format!("{path}0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_paths() {
        let c = RegionCode::parse("370983100").unwrap();
        assert_eq!(c.level(), RegionLevel::Township);
        assert_eq!(c.path(), "/370000/370900/370983/370983100");
        assert_eq!(c.county(), Some("370983"));
        assert_eq!(c.township(), Some("370983100"));
        let g = RegionCode::parse("370983100201001").unwrap();
        assert_eq!(g.level(), RegionLevel::Grid);
        assert_eq!(g.path(), "/370000/370900/370983/370983100/370983100201/370983100201001");
        assert_eq!(RegionCode::parse("370000").unwrap().level(), RegionLevel::Province);
        assert_eq!(RegionCode::parse("370900").unwrap().level(), RegionLevel::City);
        assert_eq!(RegionCode::parse("370900").unwrap().county(), None);
    }

    #[test]
    fn rejects_bad_codes() {
        for bad in ["", "37098", "37098310a", "3709831001"] {
            assert_eq!(RegionCode::parse(bad).unwrap_err().code, "region.code.format", "{bad}");
        }
    }

    #[test]
    fn subtree_range_includes_descendants_and_excludes_siblings() {
        let town = "/370000/370900/370983/370983100";
        let upper = region_path_upper_bound(town);
        let inside = [town.to_string(), format!("{town}/370983100201")];
        let outside = ["/370000/370900/370983/370983101", "/370000/370900/370983/3709831009"];
        for p in &inside {
            assert!(p.as_str() >= town && p.as_str() < upper.as_str(), "{p}");
        }
        for p in outside {
            assert!(!(p >= town && p < upper.as_str()), "{p}");
        }
    }
}
