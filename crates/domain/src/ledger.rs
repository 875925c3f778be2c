//! The "1+N" e-ledger (电子台账, measure 19): each enterprise's base record (the "1") and its
//! topical ledgers (the "N"). Every mark is computed from records, never typed in.
//!
//! The rule, as this module applies it:
//! - A ledger is **complete** (完整) when its records satisfy the ledger's own test,
//!   **incomplete** (不完整) when it is kept but has gaps, and **not yet kept** (未建立) when
//!   nothing is recorded, including every ledger whose module the platform does not have yet.
//!   A module reports the mark of its own ledger; a kind nobody reports is not yet kept, so a
//!   later module plugs in by reporting its mark and nothing here changes.
//! - The **base record** is complete when, besides the fields every record has by
//!   construction (name, credit code, industry, locality, legal representative, principal,
//!   risk level, supervision class), it names an address, the principal's phone, a safety
//!   director, and a headcount above zero.
//! - The **duty-list ledger** is complete when someone holds a post, every tier held has a
//!   published list, and every person has signed the current list of each post they hold
//!   (coverage 100 %).
//! - A unit's ledger is **established** (已建立) when the base record and the duty-list
//!   ledger are both complete: the two the notice's 30 April deadline is about, and the two
//!   the platform keeps today.
//! - The **score** is the share of all kinds that are complete, in per mille (so a unit with
//!   only the "1" and the lists complete scores 250 until the other ledgers are kept).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    BaseRecord,
    DutyLists,
    Training,
    Hazards,
    Inspections,
    HazardousWork,
    Meetings,
    Insurance,
}

impl LedgerKind {
    /// In the order the ledger page shows them: the "1", then the "N".
    pub const ALL: [LedgerKind; 8] = [
        Self::BaseRecord,
        Self::DutyLists,
        Self::Training,
        Self::Hazards,
        Self::Inspections,
        Self::HazardousWork,
        Self::Meetings,
        Self::Insurance,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BaseRecord => "base_record",
            Self::DutyLists => "duty_lists",
            Self::Training => "training",
            Self::Hazards => "hazards",
            Self::Inspections => "inspections",
            Self::HazardousWork => "hazardous_work",
            Self::Meetings => "meetings",
            Self::Insurance => "insurance",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Complete,
    Incomplete,
    NotKept,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Incomplete => "incomplete",
            Self::NotKept => "not_kept",
        }
    }
}

/// One topical ledger's mark, with what is missing (stable codes: field names for the base
/// record, tier codes or `staff` / `signatures` for the lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: LedgerKind,
    pub mark: Mark,
    pub missing: Vec<String>,
}

/// An enterprise's whole ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// Every kind, in `LedgerKind::ALL` order.
    pub entries: Vec<Entry>,
    /// Complete kinds ÷ all kinds, in per mille, rounded down.
    pub score_permille: u64,
    pub established: bool,
}

/// The whole ledger from the marks its sources reported; unreported kinds are not yet kept.
pub fn assess(reported: Vec<Entry>) -> Ledger {
    let entries: Vec<Entry> = LedgerKind::ALL
        .iter()
        .map(|k| reported.iter().find(|e| e.kind == *k).cloned().unwrap_or(Entry { kind: *k, mark: Mark::NotKept, missing: vec![] }))
        .collect();
    let complete = |k: LedgerKind| entries.iter().any(|e| e.kind == k && e.mark == Mark::Complete);
    let done = entries.iter().filter(|e| e.mark == Mark::Complete).count() as u64;
    Ledger {
        score_permille: done * 1000 / LedgerKind::ALL.len() as u64,
        established: complete(LedgerKind::BaseRecord) && complete(LedgerKind::DutyLists),
        entries,
    }
}

/// The base-record fields that are optional when typed but required for a complete record.
#[derive(Debug, Clone, Default)]
pub struct BaseRecordFacts<'a> {
    pub address: Option<&'a str>,
    pub principal_phone: Option<&'a str>,
    pub safety_director_name: Option<&'a str>,
    pub headcount: i32,
}

/// The mark of the base record ("1"): complete when nothing is missing.
pub fn base_record(f: &BaseRecordFacts) -> Entry {
    let blank = |v: Option<&str>| v.is_none_or(|s| s.trim().is_empty());
    let mut missing = vec![];
    for (field, absent) in [
        ("address", blank(f.address)),
        ("principal_phone", blank(f.principal_phone)),
        ("safety_director_name", blank(f.safety_director_name)),
        ("headcount", f.headcount <= 0),
    ] {
        if absent {
            missing.push(field.to_string());
        }
    }
    let mark = if missing.is_empty() { Mark::Complete } else { Mark::Incomplete };
    Entry { kind: LedgerKind::BaseRecord, mark, missing }
}

/// The mark of the duty-list ledger from the coverage figures: not yet kept when nothing is
/// published; complete when people hold posts, no tier lacks a list and everyone signed.
pub fn duty_lists(people: u64, covered: u64, tiers_without_list: &[String], published_lists: usize) -> Entry {
    let mut missing: Vec<String> = tiers_without_list.to_vec();
    if people == 0 {
        missing.push("staff".into());
    } else if covered < people {
        missing.push("signatures".into());
    }
    let mark = if published_lists == 0 {
        Mark::NotKept
    } else if missing.is_empty() {
        Mark::Complete
    } else {
        Mark::Incomplete
    };
    Entry { kind: LedgerKind::DutyLists, mark, missing }
}

/// Where a count of established ledgers stands against the notice's deadline (30 April).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum DeadlineStatus {
    /// Before or on the deadline, not every unit established yet.
    Open { days_left: i64 },
    /// Every unit established (a zero count is met trivially).
    Met,
    /// Past the deadline with units not established.
    Missed { days_over: i64 },
}

/// The ledger deadline of `today`'s year: 30 April (a local date in Asia/Shanghai).
pub fn deadline_of(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year(), 4, 30).unwrap_or(today)
}

/// Status of `established` out of `total` units on `today` against that year's deadline.
pub fn deadline_status(today: NaiveDate, established: u64, total: u64) -> DeadlineStatus {
    let due = deadline_of(today);
    if established >= total {
        DeadlineStatus::Met
    } else if today <= due {
        DeadlineStatus::Open { days_left: (due - today).num_days() }
    } else {
        DeadlineStatus::Missed { days_over: (today - due).num_days() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> BaseRecordFacts<'static> {
        BaseRecordFacts {
            address: Some("工业园1号"),
            principal_phone: Some("13812345678"),
            safety_director_name: Some("李四"),
            headcount: 9,
        }
    }

    #[test]
    fn the_base_record_names_what_it_lacks() {
        assert_eq!(base_record(&full()).mark, Mark::Complete);
        let gaps = BaseRecordFacts { address: Some(" "), safety_director_name: None, headcount: 0, ..full() };
        let e = base_record(&gaps);
        assert_eq!(e.mark, Mark::Incomplete);
        assert_eq!(e.missing, ["address", "safety_director_name", "headcount"]);
    }

    #[test]
    fn the_duty_list_ledger_needs_lists_people_and_every_signature() {
        assert_eq!(duty_lists(3, 3, &[], 2).mark, Mark::Complete);
        assert_eq!(duty_lists(3, 2, &[], 2).missing, ["signatures"]);
        let e = duty_lists(3, 0, &["worker".into()], 1);
        assert_eq!((e.mark, e.missing.as_slice()), (Mark::Incomplete, ["worker".to_string(), "signatures".into()].as_slice()));
        assert_eq!(duty_lists(0, 0, &[], 1).missing, ["staff"]);
        assert_eq!(duty_lists(3, 0, &["worker".into()], 0).mark, Mark::NotKept);
    }

    #[test]
    fn unreported_kinds_are_not_kept_and_the_score_counts_complete_kinds() {
        let l = assess(vec![base_record(&full()), duty_lists(2, 2, &[], 1)]);
        assert_eq!(l.entries.len(), 8);
        assert_eq!(l.entries.iter().map(|e| e.kind).collect::<Vec<_>>(), LedgerKind::ALL);
        assert!(l.entries[2..].iter().all(|e| e.mark == Mark::NotKept));
        assert_eq!(l.score_permille, 250);
        assert!(l.established);
        let l = assess(vec![base_record(&full()), duty_lists(2, 1, &[], 1)]);
        assert_eq!((l.score_permille, l.established), (125, false));
        // A later module plugs in by reporting its own kind.
        let training = Entry { kind: LedgerKind::Training, mark: Mark::Complete, missing: vec![] };
        assert_eq!(assess(vec![base_record(&full()), duty_lists(2, 2, &[], 1), training]).score_permille, 375);
    }

    #[test]
    fn the_deadline_is_30_april_of_the_year() {
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        assert_eq!(deadline_of(d(1, 5)), d(4, 30));
        assert_eq!(deadline_status(d(4, 20), 3, 5), DeadlineStatus::Open { days_left: 10 });
        assert_eq!(deadline_status(d(4, 30), 3, 5), DeadlineStatus::Open { days_left: 0 });
        assert_eq!(deadline_status(d(5, 2), 3, 5), DeadlineStatus::Missed { days_over: 2 });
        assert_eq!(deadline_status(d(5, 2), 5, 5), DeadlineStatus::Met);
        assert_eq!(deadline_status(d(1, 2), 0, 0), DeadlineStatus::Met);
    }
}
