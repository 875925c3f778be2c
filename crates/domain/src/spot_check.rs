//! List spot checks (清单抽查, measure 19): an inspector picks units, by hand or drawn at random
//! from a filtered pool, and checks the notice's three points: everyone covered (全员覆盖),
//! lists adjusted when people change (动态调整), lists that fit the post (履行适用). The
//! system's own figures are pre-filled; the inspector records pass or fail for each point and
//! describes the problems. A check moves `open → recorded` once; a recorded check is final.
//!
//! A random draw is reproducible (the 双随机 habit): the pool is put in a canonical order (by
//! id), a seed drives the published generator of `crate::draw`, and the seed, the pool size
//! and a hash of the pool are recorded with each check, so anyone can draw again and get the
//! same units. The generator lives in `draw` alone; the names below are kept so the checks
//! recorded before it moved are verified by the very same code.

use crate::FieldError;
pub use crate::draw::{SplitMix64, pick as draw, pool_hash};
use serde::{Deserialize, Serialize};

/// How the unit was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Manual,
    Random,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Random => "random",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Manual, Self::Random].into_iter().find(|m| m.as_str() == s)
    }
}

/// The result of one of the three points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pass, Self::Fail].into_iter().find(|o| o.as_str() == s)
    }
    fn of(ok: bool) -> Self {
        if ok { Self::Pass } else { Self::Fail }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    Open,
    Recorded,
}

impl CheckState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Recorded => "recorded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Recorded].into_iter().find(|x| x.as_str() == s)
    }
    /// Only an open check takes a result; a recorded one is final.
    pub fn check_record(self) -> Result<(), &'static str> {
        match self {
            Self::Open => Ok(()),
            Self::Recorded => Err("spot_check.already_recorded"),
        }
    }
}

/// The system's own figures for a unit at the moment the check was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Figures {
    /// People holding at least one post.
    pub people: u64,
    /// People who signed the current list of every post they hold.
    pub covered: u64,
    /// People without a signature on a current list past the grace period.
    pub stale: u64,
    /// Tiers held by someone with no published list.
    pub missing_lists: u64,
    /// Fit-check findings (lists alike across tiers, items without a basis).
    pub fit_flags: u64,
}

impl Figures {
    /// What the figures suggest for the three points, in the notice's order (covered,
    /// adjusted, fits): everyone covered needs people, all of them covered and no tier
    /// without a list; adjusted needs nobody stale; fits needs no fit finding.
    pub fn suggest(&self) -> [Outcome; 3] {
        [
            Outcome::of(self.people > 0 && self.covered == self.people && self.missing_lists == 0),
            Outcome::of(self.stale == 0),
            Outcome::of(self.fit_flags == 0),
        ]
    }
}

/// A result as typed: three outcomes and the problems found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub covered: Outcome,
    pub adjusted: Outcome,
    pub fits: Outcome,
    pub problems: String,
}

/// Longest problem description, in characters.
pub const PROBLEMS_MAX: usize = 2000;

/// Parses a typed result: each point must be `pass` or `fail`, and a `fail` needs a problem
/// description. Every problem is reported at once, each naming its field.
pub fn parse_verdict(covered: &str, adjusted: &str, fits: &str, problems: &str) -> Result<Verdict, Vec<FieldError>> {
    let mut errors = vec![];
    let mut point = |field: &'static str, text: &str| {
        let o = Outcome::parse(text.trim());
        if o.is_none() {
            errors.push(FieldError::new(field, "spot_check.result_missing"));
        }
        o
    };
    let (c, a, f) = (point("covered_ok", covered), point("adjusted_ok", adjusted), point("fits_ok", fits));
    let problems = problems.trim().to_string();
    if problems.chars().count() > PROBLEMS_MAX {
        errors.push(FieldError::new("problems", "field.too_long").with_detail(PROBLEMS_MAX.to_string()));
    }
    let any_fail = [c, a, f].contains(&Some(Outcome::Fail));
    if any_fail && problems.is_empty() {
        errors.push(FieldError::new("problems", "spot_check.problems_required"));
    }
    match (c, a, f) {
        (Some(covered), Some(adjusted), Some(fits)) if errors.is_empty() => Ok(Verdict { covered, adjusted, fits, problems }),
        _ => Err(errors),
    }
}

/// Parses a seed as typed (decimal digits, up to 2^64 − 1).
pub fn parse_seed(text: &str) -> Result<Option<u64>, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u64>().map(Some).map_err(|_| FieldError::new("seed", "spot_check.seed_invalid"))
}

/// The most units one draw may pick.
pub const DRAW_MAX: usize = 50;

/// How many units to draw: 1 to `DRAW_MAX` (absent is invalid too).
pub fn check_count(n: Option<u32>) -> Result<usize, FieldError> {
    n.map(|n| n as usize)
        .filter(|n| (1..=DRAW_MAX).contains(n))
        .ok_or_else(|| FieldError::new("count", "spot_check.count_invalid").with_detail(DRAW_MAX.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_is_reproducible_distinct_and_within_the_pool() {
        let pool: Vec<String> = (0..100).map(|i| format!("u{i:03}")).collect();
        let a = draw(&pool, 10, 42);
        assert_eq!(a, draw(&pool, 10, 42), "same seed, same draw");
        assert_ne!(a, draw(&pool, 10, 43), "another seed, another draw");
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 10, "no unit twice");
        assert!(a.iter().all(|x| pool.contains(x)));
        assert_eq!(draw(&pool[..3], 10, 1).len(), 3, "a small pool is drawn whole");
        assert!(draw::<String>(&[], 5, 1).is_empty());
    }

    #[test]
    fn the_figures_suggest_the_three_points() {
        let good = Figures { people: 5, covered: 5, stale: 0, missing_lists: 0, fit_flags: 0 };
        assert_eq!(good.suggest(), [Outcome::Pass; 3]);
        let bad = Figures { people: 5, covered: 3, stale: 1, missing_lists: 1, fit_flags: 2 };
        assert_eq!(bad.suggest(), [Outcome::Fail; 3]);
        assert_eq!(Figures::default().suggest()[0], Outcome::Fail, "nobody recorded is not everyone covered");
    }

    #[test]
    fn a_fail_needs_a_problem_description_and_every_point_a_result() {
        let v = parse_verdict("pass", "pass", "pass", "").unwrap();
        assert_eq!((v.covered, v.problems.as_str()), (Outcome::Pass, ""));
        let e = parse_verdict("pass", "fail", "pass", "  ").unwrap_err();
        assert_eq!((e[0].field, e[0].code), ("problems", "spot_check.problems_required"));
        let e = parse_verdict("", "maybe", "pass", "").unwrap_err();
        assert_eq!(e.iter().map(|f| f.field).collect::<Vec<_>>(), ["covered_ok", "adjusted_ok"]);
        assert!(parse_verdict("fail", "pass", "pass", "三名新员工未签字").is_ok());
        assert_eq!(parse_verdict("pass", "pass", "pass", &"字".repeat(2001)).unwrap_err()[0].code, "field.too_long");
    }

    #[test]
    fn a_recorded_check_is_final() {
        assert_eq!(CheckState::Open.check_record(), Ok(()));
        assert_eq!(CheckState::Recorded.check_record(), Err("spot_check.already_recorded"));
    }

    #[test]
    fn seeds_counts_and_pool_hashes() {
        assert_eq!(parse_seed(" 20240430 ").unwrap(), Some(20_240_430));
        assert_eq!(parse_seed("").unwrap(), None);
        assert_eq!(parse_seed("-1").unwrap_err().code, "spot_check.seed_invalid");
        assert_eq!(check_count(Some(3)).unwrap(), 3);
        assert!(check_count(Some(0)).is_err() && check_count(Some(51)).is_err() && check_count(None).is_err());
        let ids = vec!["a".to_string(), "b".to_string()];
        assert_eq!(pool_hash(&ids), pool_hash(&ids.clone()));
        assert_ne!(pool_hash(&ids), pool_hash(&["b".to_string(), "a".to_string()]));
    }
}
