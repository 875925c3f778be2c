//! Period arithmetic: the calendar periods in which an obligation is owed during a campaign,
//! each with its due date.
//!
//! Periods are calendar periods (ISO weeks from Monday, months, quarters, half-years, years)
//! clipped to the campaign. A clipped period at either end is kept when at least half of it
//! lies inside the campaign, and dropped otherwise: a campaign starting on Sunday 4 February
//! owes no weekly quiz for that one Sunday, but does owe February's monthly inspection. The
//! threshold of a kept partial period is the full one, as the notice states it per period.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::vocabulary::vocabulary;

vocabulary!(
    /// The period an obligation's threshold is counted over.
    PeriodKind {
        /// The whole campaign, start to end (年内 in a one-year campaign).
        Campaign = "campaign",
        /// Calendar years.
        Year = "year",
        /// January–June and July–December.
        HalfYear = "half_year",
        /// Calendar quarters.
        Quarter = "quarter",
        /// Calendar months.
        Month = "month",
        /// ISO weeks, Monday to Sunday.
        Week = "week",
    }
);

impl PeriodKind {
    /// The shortest full length of one period, in days: a campaign shorter than this cannot
    /// hold one (a quarterly duty in a two-month campaign is refused).
    pub fn min_days(self) -> i64 {
        match self {
            Self::Campaign => 1,
            Self::Year => 365,
            Self::HalfYear => 181,
            Self::Quarter => 90,
            Self::Month => 28,
            Self::Week => 7,
        }
    }

    /// The full calendar period of this kind that contains `d` (`None` for `Campaign`).
    pub fn containing(self, d: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
        let last = |y: i32, m: u32| {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            first(ny, nm).and_then(|n| n.pred_opt())
        };
        let y = d.year();
        match self {
            Self::Campaign => None,
            Self::Year => Some((first(y, 1)?, last(y, 12)?)),
            Self::HalfYear => {
                let m = if d.month() <= 6 { 1 } else { 7 };
                Some((first(y, m)?, last(y, m + 5)?))
            }
            Self::Quarter => {
                let m = (d.month0() / 3) * 3 + 1;
                Some((first(y, m)?, last(y, m + 2)?))
            }
            Self::Month => Some((first(y, d.month())?, last(y, d.month())?)),
            Self::Week => {
                let start = d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
                Some((start, start + Duration::days(6)))
            }
        }
    }

    /// A short stable label of the period starting at `start`: `2024`, `2024-H1`, `2024-Q2`,
    /// `2024-03`, `2024-W07` (ISO week-year), or `campaign`.
    pub fn label(self, start: NaiveDate) -> String {
        let y = start.year();
        match self {
            Self::Campaign => "campaign".to_string(),
            Self::Year => format!("{y}"),
            Self::HalfYear => format!("{y}-H{}", if start.month() <= 6 { 1 } else { 2 }),
            Self::Quarter => format!("{y}-Q{}", start.month0() / 3 + 1),
            Self::Month => format!("{y}-{:02}", start.month()),
            Self::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
        }
    }
}

/// When each period's obligation falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "due", content = "value")]
pub enum Due {
    /// On a fixed date (only for an obligation with a single period).
    Date(NaiveDate),
    /// This many days after each period ends (0: on its last day).
    AfterEnd(u32),
}

impl Due {
    pub fn for_period(self, end: NaiveDate) -> NaiveDate {
        match self {
            Self::Date(d) => d,
            Self::AfterEnd(days) => end.checked_add_signed(Duration::days(i64::from(days))).unwrap_or(NaiveDate::MAX),
        }
    }
}

/// One period of one obligation, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
}

impl Period {
    /// Days in the period, both ends counted.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// Whether `d` lies in the period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// Whether the period shares at least one day with `start..=end`.
    pub fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.start <= end && start <= self.end
    }
}

/// At most this many periods are computed for one obligation (ten years of weeks).
pub const MAX_PERIODS: usize = 530;

/// The periods of `kind` within `start..=end`, clipped, with partial ends of less than half
/// their full length dropped; each due as `due` says.
pub fn periods(kind: PeriodKind, start: NaiveDate, end: NaiveDate, due: Due) -> Vec<Period> {
    let mut out = vec![];
    if end < start {
        return out;
    }
    if kind == PeriodKind::Campaign {
        out.push(Period { label: kind.label(start), start, end, due: due.for_period(end) });
        return out;
    }
    let mut cursor = Some(start);
    while let Some(day) = cursor {
        if day > end || out.len() >= MAX_PERIODS {
            break;
        }
        let Some((full_start, full_end)) = kind.containing(day) else { break };
        let (s, e) = (full_start.max(start), full_end.min(end));
        let full = (full_end - full_start).num_days() + 1;
        let kept = (e - s).num_days() + 1;
        if kept * 2 >= full {
            out.push(Period { label: kind.label(full_start), start: s, end: e, due: due.for_period(e) });
        }
        cursor = full_end.succ_opt();
    }
    out
}

/// The period among `periods` that contains `d`.
pub fn period_at(periods: &[Period], d: NaiveDate) -> Option<&Period> {
    periods.iter().find(|p| p.contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_of_the_2024_notice_include_february_and_end_in_december() {
        let ps = periods(PeriodKind::Month, d(2024, 2, 4), d(2024, 12, 31), Due::AfterEnd(0));
        assert_eq!(ps.len(), 11);
        assert_eq!((ps[0].label.as_str(), ps[0].start, ps[0].end), ("2024-02", d(2024, 2, 4), d(2024, 2, 29)));
        assert_eq!(ps[10].due, d(2024, 12, 31));
    }

    #[test]
    fn quarters_clip_and_take_their_offset() {
        let ps = periods(PeriodKind::Quarter, d(2024, 2, 4), d(2024, 12, 31), Due::AfterEnd(10));
        let labels: Vec<_> = ps.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]);
        assert_eq!((ps[0].start, ps[0].end, ps[0].due), (d(2024, 2, 4), d(2024, 3, 31), d(2024, 4, 10)));
        assert_eq!(ps[3].due, d(2025, 1, 10), "the last report is due after the campaign");
    }

    #[test]
    fn a_short_partial_period_is_dropped() {
        // 4 February 2024 is a Sunday: one day of that ISO week is not a week.
        let ps = periods(PeriodKind::Week, d(2024, 2, 4), d(2024, 3, 3), Due::AfterEnd(0));
        assert_eq!(ps[0].start, d(2024, 2, 5));
        assert_eq!(ps[0].label, "2024-W06");
        assert_eq!(ps.len(), 4);
        // A campaign starting mid-quarter keeps the quarter only if half of it is inside.
        assert_eq!(periods(PeriodKind::Quarter, d(2024, 3, 1), d(2024, 6, 30), Due::AfterEnd(0)).len(), 1);
        assert_eq!(periods(PeriodKind::Quarter, d(2024, 2, 1), d(2024, 6, 30), Due::AfterEnd(0)).len(), 2);
    }

    #[test]
    fn half_years_years_weeks_across_the_new_year_and_the_whole_campaign() {
        let ps = periods(PeriodKind::HalfYear, d(2025, 1, 1), d(2025, 12, 31), Due::AfterEnd(0));
        assert_eq!(
            ps.iter().map(|p| (p.start, p.end)).collect::<Vec<_>>(),
            [(d(2025, 1, 1), d(2025, 6, 30)), (d(2025, 7, 1), d(2025, 12, 31))]
        );
        let ps = periods(PeriodKind::Year, d(2024, 1, 1), d(2025, 12, 31), Due::AfterEnd(0));
        assert_eq!(ps.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["2024", "2025"]);
        // 30 December 2024 is a Monday in ISO week 1 of 2025.
        let ps = periods(PeriodKind::Week, d(2024, 12, 30), d(2025, 1, 5), Due::AfterEnd(0));
        assert_eq!((ps.len(), ps[0].label.as_str()), (1, "2025-W01"));
        let ps = periods(PeriodKind::Campaign, d(2024, 2, 4), d(2024, 12, 31), Due::Date(d(2024, 3, 31)));
        assert_eq!((ps.len(), ps[0].due, ps[0].days()), (1, d(2024, 3, 31), 332));
        assert!(periods(PeriodKind::Month, d(2024, 3, 1), d(2024, 2, 1), Due::AfterEnd(0)).is_empty());
    }

    #[test]
    fn finding_the_period_of_a_day() {
        let ps = periods(PeriodKind::Month, d(2024, 1, 1), d(2024, 12, 31), Due::AfterEnd(0));
        assert_eq!(period_at(&ps, d(2024, 2, 29)).map(|p| p.label.as_str()), Some("2024-02"));
        assert!(period_at(&ps, d(2025, 1, 1)).is_none());
        assert!(ps[1].overlaps(d(2024, 2, 10), d(2024, 2, 17)));
        assert!(!ps[2].overlaps(d(2024, 2, 10), d(2024, 2, 17)));
    }
}
