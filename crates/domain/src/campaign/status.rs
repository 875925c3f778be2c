//! Status: where one subject stands on one obligation in one period, computed from what was
//! counted; never typed in. An officer may grant an exemption, which is shown beside the status
//! and never replaces it, so a board always tells what the records say.
//!
//! The rule, in order: met when what was counted reaches what is needed; not started before
//! the period begins; missed once the due date has passed; at risk inside the warning window
//! before the due date; otherwise at risk when behind the metric's pace (pro rata of the
//! period's elapsed days, rounded down to whole records, for counts; at once for a share below
//! its level), and on track when not.

use chrono::NaiveDate;
use serde::Serialize;

use super::metric::Pace;
use super::period::Period;
use crate::FieldError;
use crate::vocabulary::vocabulary;

vocabulary!(
    /// Where a subject stands on an obligation in one period.
    Status {
        /// The period has not begun.
        NotStarted = "not_started",
        /// Not reached yet, but at least at the pace the period asks for.
        OnTrack = "on_track",
        /// Behind the pace, or due within the warning window.
        AtRisk = "at_risk",
        /// The due date has passed and the threshold was not reached.
        Missed = "missed",
        /// The threshold is reached.
        Met = "met",
    }
);

/// The status on `today` of a period needing `needed`, where `counted` was counted so far.
pub fn status(needed: f64, counted: f64, pace: Pace, period: &Period, warning_days: u32, today: NaiveDate) -> Status {
    if counted >= needed {
        return Status::Met;
    }
    if today < period.start {
        return Status::NotStarted;
    }
    if today > period.due {
        return Status::Missed;
    }
    if (period.due - today).num_days() < i64::from(warning_days) {
        return Status::AtRisk;
    }
    let behind = match pace {
        Pace::Deadline => false,
        Pace::Level => true,
        Pace::ProRata => counted < pro_rata(needed, period, today),
    };
    if behind { Status::AtRisk } else { Status::OnTrack }
}

/// What should have been counted by `today` at an even pace: the elapsed share of the
/// period's days times `needed`, rounded down so a single yearly duty is never behind before
/// its period ends.
pub fn pro_rata(needed: f64, period: &Period, today: NaiveDate) -> f64 {
    let total = period.days().max(1);
    let elapsed = ((today.min(period.end) - period.start).num_days() + 1).clamp(0, total);
    // Whole records, computed in integers where the threshold is whole, so 4 × 183/366 is 2.
    if needed.fract() == 0.0 && (0.0..1e12).contains(&needed) {
        ((needed as i64) * elapsed / total) as f64
    } else {
        (needed * elapsed as f64 / total as f64).floor()
    }
}

/// The evidence behind a status: what was counted against what is needed, the records that
/// counted, and those that did not meet a share's condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    /// Records counted, people in post, or the ratio reached (0 to 1).
    pub counted: f64,
    /// The threshold, raised by any sensitive-period extras.
    pub needed: f64,
    /// How far short: `needed − counted`, never below 0.
    pub missing: f64,
    /// Ids of the records that counted.
    pub evidence: Vec<String>,
    /// Ids of the records that failed a share's condition (what is still wrong).
    pub against: Vec<String>,
}

impl Tally {
    fn new(counted: f64, needed: f64, evidence: Vec<String>, against: Vec<String>) -> Tally {
        Tally { counted, needed, missing: (needed - counted).max(0.0), evidence, against }
    }

    /// A count: each record in `evidence` counts once.
    pub fn count(evidence: Vec<String>, needed: f64) -> Tally {
        Tally::new(evidence.len() as f64, needed, evidence, vec![])
    }

    /// A share: `met` records met the condition, `not_met` did not. No records at all is a share
    /// of 1 (nothing was handled late); the count of records is another obligation's business.
    pub fn share(met: Vec<String>, not_met: Vec<String>, needed: f64) -> Tally {
        let all = met.len() + not_met.len();
        let ratio = if all == 0 { 1.0 } else { met.len() as f64 / all as f64 };
        Tally::new(ratio, needed, met, not_met)
    }

    /// A level measured on the day (people in post, a coverage ratio), with its evidence.
    pub fn level(value: f64, needed: f64, evidence: Vec<String>) -> Tally {
        Tally::new(value, needed, evidence, vec![])
    }
}

/// Longest exemption reason, in characters.
pub const REASON_MAX: usize = 1000;

/// A documented exemption granted by an officer: shown beside the status, never instead of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exemption {
    pub reason: String,
}

impl Exemption {
    /// An exemption needs a reason someone can read later.
    pub fn new(reason: &str) -> Result<Exemption, FieldError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(FieldError::new("reason", "campaign.exemption.reason_required"));
        }
        if reason.chars().count() > REASON_MAX {
            return Err(FieldError::new("reason", "field.too_long").with_detail(REASON_MAX.to_string()));
        }
        Ok(Exemption { reason: reason.to_string() })
    }
}

/// One cell of a board: the computed status, its evidence, and any exemption beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub status: Status,
    pub tally: Tally,
    pub exemption: Option<Exemption>,
}

impl Standing {
    /// Whether nothing more is asked of the subject: met, or exempted.
    pub fn settled(&self) -> bool {
        self.status == Status::Met || self.exemption.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn year() -> Period {
        Period { label: "campaign".into(), start: d(1, 1), end: d(12, 31), due: d(12, 31) }
    }

    #[test]
    fn met_as_soon_as_the_threshold_is_reached_even_late() {
        assert_eq!(status(4.0, 4.0, Pace::ProRata, &year(), 30, d(2, 1)), Status::Met);
        assert_eq!(status(4.0, 5.0, Pace::ProRata, &year(), 30, d(12, 31)), Status::Met);
        assert_eq!(status(0.0, 0.0, Pace::ProRata, &year(), 30, d(6, 1)), Status::Met);
    }

    #[test]
    fn not_started_before_and_missed_after() {
        let q2 = Period { label: "2024-Q2".into(), start: d(4, 1), end: d(6, 30), due: d(7, 10) };
        assert_eq!(status(1.0, 0.0, Pace::ProRata, &q2, 0, d(3, 31)), Status::NotStarted);
        assert_eq!(status(1.0, 0.0, Pace::ProRata, &q2, 0, d(7, 10)), Status::AtRisk, "after the period, before the due date");
        assert_eq!(status(1.0, 0.0, Pace::ProRata, &q2, 0, d(7, 11)), Status::Missed);
    }

    #[test]
    fn pro_rata_counts_whole_records() {
        // 4 covert inspections over 2024 (366 days): one owed from 1 April (92 days elapsed, 4×92/366 = 1.005).
        assert_eq!(status(4.0, 0.0, Pace::ProRata, &year(), 0, d(3, 31)), Status::OnTrack);
        assert_eq!(status(4.0, 0.0, Pace::ProRata, &year(), 0, d(4, 1)), Status::AtRisk);
        assert_eq!(status(4.0, 1.0, Pace::ProRata, &year(), 0, d(4, 1)), Status::OnTrack);
        assert_eq!(status(4.0, 1.0, Pace::ProRata, &year(), 0, d(7, 1)), Status::AtRisk, "two owed by mid-year");
        assert_eq!(pro_rata(4.0, &year(), d(7, 1)), 2.0);
        assert_eq!(pro_rata(4.0, &year(), d(1, 1)), 0.0);
        assert_eq!(pro_rata(1.0, &year(), d(12, 30)), 0.0, "a single duty is never behind before its end");
    }

    #[test]
    fn the_warning_window_puts_a_deadline_at_risk() {
        let by_march = Period { label: "campaign".into(), start: d(2, 4), end: d(12, 31), due: d(3, 31) };
        assert_eq!(status(1.0, 0.0, Pace::Deadline, &by_march, 14, d(3, 17)), Status::OnTrack);
        assert_eq!(status(1.0, 0.0, Pace::Deadline, &by_march, 14, d(3, 18)), Status::AtRisk);
        assert_eq!(status(1.0, 0.0, Pace::Deadline, &by_march, 14, d(3, 31)), Status::AtRisk);
        assert_eq!(status(1.0, 0.0, Pace::Deadline, &by_march, 14, d(4, 1)), Status::Missed);
        assert_eq!(status(1.0, 0.0, Pace::Deadline, &by_march, 0, d(3, 31)), Status::OnTrack, "no window: on track to the last day");
    }

    #[test]
    fn a_share_below_its_level_is_at_risk_at_once() {
        assert_eq!(status(1.0, 0.9, Pace::Level, &year(), 0, d(2, 1)), Status::AtRisk);
        assert_eq!(status(1.0, 1.0, Pace::Level, &year(), 0, d(2, 1)), Status::Met);
        assert_eq!(status(1.0, 0.9, Pace::Level, &year(), 0, d(12, 31)), Status::AtRisk);
        assert_eq!(status(1.0, 0.9, Pace::Level, &year(), 0, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()), Status::Missed);
    }

    #[test]
    fn tallies_say_what_counted_and_what_is_missing() {
        let t = Tally::count(vec!["a".into(), "b".into()], 4.0);
        assert_eq!((t.counted, t.missing, t.evidence.len()), (2.0, 2.0, 2));
        let t = Tally::count(vec!["a".into(); 5], 4.0);
        assert_eq!(t.missing, 0.0);
        let t = Tally::share(vec!["c1".into(), "c2".into(), "c3".into()], vec!["c4".into()], 1.0);
        assert_eq!((t.counted, t.missing, t.against.clone()), (0.75, 0.25, vec!["c4".to_string()]));
        assert_eq!(Tally::share(vec![], vec![], 1.0).counted, 1.0, "no case, none late");
        assert_eq!(Tally::level(2.0, 3.0, vec![]).missing, 1.0);
    }

    #[test]
    fn an_exemption_needs_a_reason_and_sits_beside_the_status() {
        assert_eq!(Exemption::new("  ").unwrap_err().code, "campaign.exemption.reason_required");
        assert_eq!(Exemption::new(&"字".repeat(REASON_MAX + 1)).unwrap_err().code, "field.too_long");
        let e = Exemption::new(" 机构改革，科室合并中 ").unwrap();
        assert_eq!(e.reason, "机构改革，科室合并中");
        let s = Standing { status: Status::Missed, tally: Tally::count(vec![], 1.0), exemption: Some(e) };
        assert_eq!(s.status, Status::Missed, "the status stays what the records say");
        assert!(s.settled());
        assert!(!Standing { exemption: None, ..s }.settled());
    }

    #[test]
    fn statuses_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
    }
}
