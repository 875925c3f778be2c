//! Campaigns (活动) as data: a notice's quantified duties become obligations that the system
//! computes from what people record, and never a box someone ticks (ADR 0007).
//!
//! A campaign is a TOML file (`campaigns/*.toml`): code, title, issuer, start and end, an
//! optional calendar of sensitive periods, and obligations. Each obligation names the measure
//! it comes from and quotes the notice's words; it applies to a kind of subject (optionally
//! filtered), counts a metric from a closed set ([`Metric`]) against a threshold, per period
//! (campaign, year, half-year, quarter, month, ISO week), due on a date or some days after
//! each period ends. [`parse`] refuses a bad file with the line and the reason of every
//! problem; past it, a [`Campaign`] is valid by construction.

mod metric;
mod parse;
mod period;
mod status;
mod write;

pub use metric::{Condition, Filter, Metric, MetricName, Pace, RecordKind};
pub use parse::{CampaignError, parse};
pub use period::{Due, MAX_PERIODS, Period, PeriodKind, period_at, periods};
pub use status::{Exemption, REASON_MAX, Standing, Status, Tally, pro_rata, status};
pub use write::to_toml;

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

use crate::org::OrgKind;
use crate::vocabulary::vocabulary;

/// The measure an obligation comes from: a numbered measure of the notice (1–26 in the 2024
/// notice), or its work requirements (工作要求), which ask each unit for a work plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    Numbered(u8),
    WorkPlan,
}

impl Measure {
    /// The highest measure number a campaign file may name.
    pub const MAX: u8 = 99;

    /// `12` or `work_plan`: the spelling in files and the API.
    pub fn label(self) -> String {
        match self {
            Self::Numbered(n) => n.to_string(),
            Self::WorkPlan => "work_plan".to_string(),
        }
    }
}

impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Numbered(n) => s.serialize_u8(*n),
            Self::WorkPlan => s.serialize_str("work_plan"),
        }
    }
}

vocabulary!(
    /// Who an obligation applies to: the government and enterprise kinds of organisation, and
    /// grids (a region where a grid worker patrols).
    SubjectKind {
        /// The city safety committee's office (安委会办公室).
        CommitteeOffice = "committee_office",
        /// A special committee (专委会), run by its lead unit's office.
        SpecialCommittee = "special_committee",
        /// A government department (部门).
        Department = "department",
        /// A town, street or zone (镇街区).
        TownshipOffice = "township_office",
        /// A unit that produces or operates (生产经营单位).
        Enterprise = "enterprise",
        /// A grid and its grid worker (网格).
        Grid = "grid",
    }
);

impl SubjectKind {
    /// The organisation kind of the subject; `None` for a grid, which is a region.
    pub fn org_kind(self) -> Option<OrgKind> {
        match self {
            Self::CommitteeOffice => Some(OrgKind::CommitteeOffice),
            Self::SpecialCommittee => Some(OrgKind::SpecialCommittee),
            Self::Department => Some(OrgKind::Department),
            Self::TownshipOffice => Some(OrgKind::TownshipOffice),
            Self::Enterprise => Some(OrgKind::Enterprise),
            Self::Grid => None,
        }
    }
}

/// The subjects of an obligation: a kind, narrowed by optional filters. A filter left out does
/// not narrow; `Some(false)` asks for subjects without the property.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Subjects {
    pub kind: SubjectKind,
    /// Departments with safety supervision and enforcement powers (负有安全监管职责的部门).
    pub enforcement_powers: Option<bool>,
    /// The comprehensive administrative enforcement department (综合行政执法部门).
    pub comprehensive_enforcement: Option<bool>,
    /// Departments that are member units of a special committee (专委会成员单位).
    pub committee_member: Option<bool>,
    /// Enterprises in a high-risk industry; departments supervising one.
    pub high_risk: Option<bool>,
    /// Townships where enterprises concentrate, risks are many and supervision is heavy
    /// (企业集中、危险因素多、监管任务重), as marked by the city office.
    pub concentrated_risk: Option<bool>,
    /// GB/T 4754 codes; an enterprise in, or a department supervising, any of them (by prefix).
    pub industries: Vec<String>,
}

impl Subjects {
    pub fn of(kind: SubjectKind) -> Subjects {
        Subjects {
            kind,
            enforcement_powers: None,
            comprehensive_enforcement: None,
            committee_member: None,
            high_risk: None,
            concentrated_risk: None,
            industries: vec![],
        }
    }

    /// Whether a unit with these facts is a subject.
    pub fn matches(&self, unit: &SubjectFacts) -> bool {
        let flag = |want: Option<bool>, has: bool| want.is_none_or(|w| w == has);
        unit.kind == self.kind
            && flag(self.enforcement_powers, unit.enforcement_powers)
            && flag(self.comprehensive_enforcement, unit.comprehensive_enforcement)
            && flag(self.committee_member, unit.committee_member)
            && flag(self.high_risk, unit.high_risk)
            && flag(self.concentrated_risk, unit.concentrated_risk)
            && (self.industries.is_empty()
                || self.industries.iter().any(|want| unit.industries.iter().any(|has| has.starts_with(want.as_str()))))
    }
}

/// What the store knows about a unit, for matching it against [`Subjects`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectFacts {
    pub kind: SubjectKind,
    pub enforcement_powers: bool,
    pub comprehensive_enforcement: bool,
    pub committee_member: bool,
    pub high_risk: bool,
    pub concentrated_risk: bool,
    /// The enterprise's industry, or the industries a department supervises.
    pub industries: Vec<String>,
}

/// A calendar entry (holidays, big events) in which some obligations ask for more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitivePeriod {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// One quantified duty of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Obligation {
    /// Unique within the campaign (`m12-covert-inspections`).
    pub code: String,
    pub measure: Measure,
    /// The notice's own words, quoted.
    pub words: String,
    pub subjects: Subjects,
    pub metric: Metric,
    /// Records or people per period (whole), or a ratio in (0, 1] for a share or coverage.
    pub threshold: f64,
    pub period: PeriodKind,
    pub due: Due,
    /// Days before a due date from which an unmet obligation shows as at risk.
    pub warning_days: u32,
    /// Extra records needed for each sensitive period overlapping a period (counts only).
    pub sensitive_extra: u32,
}

impl Obligation {
    /// The periods in which this obligation is owed during `campaign`.
    pub fn periods(&self, campaign: &Campaign) -> Vec<Period> {
        periods(self.period, campaign.start, campaign.end, self.due)
    }

    /// What one period needs: the threshold, plus the extras for every sensitive period that
    /// overlaps it ("在重大节假日、重大活动期间等敏感时间节点，应增加检查频次").
    pub fn needed(&self, campaign: &Campaign, period: &Period) -> f64 {
        let sensitive = campaign.sensitive_periods.iter().filter(|s| period.overlaps(s.start, s.end)).count();
        self.threshold + f64::from(self.sensitive_extra) * sensitive as f64
    }

    /// How progress is judged: the metric's own pace, except that a share due on a fixed date
    /// is something to have in place by then (every enterprise's ledger set up by 30 April),
    /// not a level to hold from the first day.
    pub fn pace(&self) -> Pace {
        match (self.metric.pace(), self.due) {
            (Pace::Level, Due::Date(_)) => Pace::Deadline,
            (pace, _) => pace,
        }
    }

    /// The status on `today` of one period, given what was counted in it.
    pub fn status_on(&self, campaign: &Campaign, period: &Period, counted: f64, today: NaiveDate) -> Status {
        status(self.needed(campaign, period), counted, self.pace(), period, self.warning_days, today)
    }
}

/// A campaign, valid by construction (see [`parse`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    pub code: String,
    pub title: String,
    pub issuer: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub sensitive_periods: Vec<SensitivePeriod>,
    pub obligations: Vec<Obligation>,
}

impl Campaign {
    pub fn obligation(&self, code: &str) -> Option<&Obligation> {
        self.obligations.iter().find(|o| o.code == code)
    }

    /// The measures the campaign's obligations come from, in order.
    pub fn measures(&self) -> std::collections::BTreeSet<Measure> {
        self.obligations.iter().map(|o| o.measure).collect()
    }
}

/// The same date `years` later (or earlier); 29 February becomes 28 February in a common year.
pub fn shift_date(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year().saturating_add(years);
    NaiveDate::from_ymd_opt(y, d.month(), d.day()).or_else(|| NaiveDate::from_ymd_opt(y, d.month(), d.day() - 1)).unwrap_or(d)
}

/// A copy of `campaign` for another year: every date moves by `years`, and the campaign code
/// takes the new year where it names the old one (else gains a `-YYYY` suffix). The notice's
/// quoted words stay as written; a lunar-calendar holiday falls elsewhere each year, so the
/// sensitive periods must be reviewed before the copy is loaded.
pub fn shift_years(campaign: &Campaign, years: i32) -> Campaign {
    let old = campaign.start.year().to_string();
    let new_start = shift_date(campaign.start, years);
    let new = new_start.year().to_string();
    let code = if campaign.code.contains(&old) { campaign.code.replace(&old, &new) } else { format!("{}-{new}", campaign.code) };
    Campaign {
        code,
        title: campaign.title.clone(),
        issuer: campaign.issuer.clone(),
        start: new_start,
        end: shift_date(campaign.end, years),
        sensitive_periods: campaign
            .sensitive_periods
            .iter()
            .map(|s| SensitivePeriod { name: s.name.clone(), start: shift_date(s.start, years), end: shift_date(s.end, years) })
            .collect(),
        obligations: campaign
            .obligations
            .iter()
            .map(|o| Obligation {
                due: match o.due {
                    Due::Date(d) => Due::Date(shift_date(d, years)),
                    other => other,
                },
                ..o.clone()
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;
