//! The escalation ladder (逐级督办) as data: per hazard grade, rungs of "this many days
//! overdue → tell these audiences". A job compares each open hazard's days overdue with its
//! grade's ladder and takes every rung now due that it has not taken before; each taken rung
//! notifies in-app and leaves an event, so a rung is taken once per hazard however often the
//! job runs. Major hazards long overdue become candidates for public exposure (公开曝光); an
//! officer decides.
//!
//! A rung at 0 days is due as soon as the hazard is overdue (the day after its deadline), never
//! before: a hazard on time escalates nowhere.
//!
//! The ladder is configuration (TOML in the app's config), read with serde and checked here:
//! rungs in strictly increasing day order, each telling someone.

use crate::hazard::Grade;
use crate::vocabulary::vocabulary;
use crate::{Collector, FieldError};
use serde::{Deserialize, Serialize};

vocabulary!(
    /// Who a rung tells.
    Audience {
        Township = "township",
        SupervisingDepartment = "supervising_department",
        CityOffice = "city_office",
        Enterprise = "enterprise",
    }
);

/// One rung: from this many days overdue, tell these audiences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub days_overdue: u32,
    pub notify: Vec<Audience>,
}

/// The rungs of one grade, in increasing day order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    pub steps: Vec<Step>,
}

impl Ladder {
    /// Rungs must come in strictly increasing day order (two rungs on one day are one rung),
    /// and each must tell someone. `field` names the ladder in the error.
    pub fn validate(&self, field: &'static str) -> Result<(), Vec<FieldError>> {
        let mut c = Collector::default();
        for (i, pair) in self.steps.windows(2).enumerate() {
            if pair[1].days_overdue <= pair[0].days_overdue {
                c.push(FieldError::new(field, "escalation.steps.order").with_detail((i + 2).to_string()));
            }
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.notify.is_empty() {
                c.push(FieldError::new(field, "escalation.step.notify_empty").with_detail((i + 1).to_string()));
            }
        }
        if c.is_empty() { Ok(()) } else { Err(c.0) }
    }

    /// Indices of the rungs due at `days_overdue` and not in `already_taken`, in order.
    pub fn due(&self, days_overdue: u32, already_taken: &[usize]) -> Vec<usize> {
        if days_overdue == 0 {
            return vec![];
        }
        self.steps
            .iter()
            .enumerate()
            .filter(|(i, s)| s.days_overdue <= days_overdue && !already_taken.contains(i))
            .map(|(i, _)| i)
            .collect()
    }
}

/// When a major hazard becomes a candidate for public exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExposureRule {
    /// Overdue by more than this many days.
    pub min_days_overdue: u32,
}

impl Default for ExposureRule {
    fn default() -> Self {
        Self { min_days_overdue: 30 }
    }
}

/// The whole configuration: a ladder per grade and the exposure rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladders {
    pub general: Ladder,
    pub major: Ladder,
    #[serde(default)]
    pub exposure: ExposureRule,
}

impl Default for Ladders {
    /// The issue's example, with one more rung each: a major hazard overdue tells the township
    /// and the supervising department at once and the city office after a week; a general
    /// hazard tells the township after three days and the supervising department after ten.
    fn default() -> Self {
        use Audience::*;
        let step = |days_overdue, notify: &[Audience]| Step { days_overdue, notify: notify.to_vec() };
        Self {
            general: Ladder { steps: vec![step(3, &[Township]), step(10, &[SupervisingDepartment])] },
            major: Ladder { steps: vec![step(0, &[Township, SupervisingDepartment]), step(7, &[CityOffice])] },
            exposure: ExposureRule::default(),
        }
    }
}

impl Ladders {
    pub fn ladder(&self, grade: Grade) -> &Ladder {
        match grade {
            Grade::General => &self.general,
            Grade::Major => &self.major,
        }
    }

    /// Checks both ladders; every problem is reported at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = vec![];
        for (field, ladder) in [("ladder_general", &self.general), ("ladder_major", &self.major)] {
            if let Err(e) = ladder.validate(field) {
                errors.extend(e);
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// The rungs of `grade`'s ladder now due for a hazard `days_overdue` days overdue (0: on
/// time) and not yet taken, in order.
pub fn due_steps(ladders: &Ladders, grade: Grade, days_overdue: u32, already_taken: &[usize]) -> Vec<usize> {
    ladders.ladder(grade).due(days_overdue, already_taken)
}

/// Whether a hazard is a candidate for public exposure: major, and overdue by more than the
/// rule's days. General hazards are never exposed by this rule.
pub fn exposure_candidate(grade: Grade, days_overdue: u32, rule: &ExposureRule) -> bool {
    grade == Grade::Major && days_overdue > rule.min_days_overdue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_ladder_follows_the_issue() {
        let l = Ladders::default();
        assert_eq!(l.validate(), Ok(()));
        // Major: township and supervising department as soon as overdue.
        assert_eq!(due_steps(&l, Grade::Major, 0, &[]), Vec::<usize>::new(), "on time: nobody is told");
        assert_eq!(due_steps(&l, Grade::Major, 1, &[]), [0]);
        assert_eq!(l.major.steps[0].notify, [Audience::Township, Audience::SupervisingDepartment]);
        assert_eq!(due_steps(&l, Grade::Major, 7, &[0]), [1]);
        // General: the township after three days.
        assert!(due_steps(&l, Grade::General, 2, &[]).is_empty());
        assert_eq!(due_steps(&l, Grade::General, 3, &[]), [0]);
        assert_eq!(l.general.steps[0].notify, [Audience::Township]);
        assert_eq!(due_steps(&l, Grade::General, 10, &[0]), [1]);
    }

    #[test]
    fn a_rung_is_taken_once_and_missed_rungs_are_caught_up() {
        let l = Ladders::default();
        assert_eq!(due_steps(&l, Grade::General, 12, &[]), [0, 1], "a job that did not run still takes both");
        assert!(due_steps(&l, Grade::General, 12, &[0, 1]).is_empty());
        assert_eq!(due_steps(&l, Grade::Major, 30, &[1]), [0]);
    }

    #[test]
    fn ladders_are_read_from_toml_and_checked() {
        let text = r#"
            [[general.steps]]
            days_overdue = 5
            notify = ["township", "enterprise"]

            [[major.steps]]
            days_overdue = 0
            notify = ["township", "supervising_department"]

            [exposure]
            min_days_overdue = 60
        "#;
        let l: Ladders = toml::from_str(text).unwrap();
        assert_eq!(l.validate(), Ok(()));
        assert_eq!(l.general.steps[0].notify, [Audience::Township, Audience::Enterprise]);
        assert_eq!(l.exposure.min_days_overdue, 60);
        let without_exposure: Ladders = toml::from_str("[general]\nsteps = []\n[major]\nsteps = []\n").unwrap();
        assert_eq!(without_exposure.exposure, ExposureRule::default());
        assert!(
            toml::from_str::<Ladders>("[general]\nsteps = []\n[major]\nsteps = []\n[minor]\nsteps = []\n").is_err(),
            "a typo is refused"
        );
        assert!(toml::from_str::<Ladders>("[general]\nsteps = [{days_overdue = 1, notify = [\"mayor\"]}]\n[major]\nsteps = []\n").is_err());
    }

    #[test]
    fn rungs_out_of_order_or_telling_nobody_are_refused() {
        let step = |days_overdue, notify: Vec<Audience>| Step { days_overdue, notify };
        let l = Ladders {
            general: Ladder { steps: vec![step(5, vec![Audience::Township]), step(3, vec![Audience::CityOffice])] },
            major: Ladder { steps: vec![step(0, vec![Audience::Township]), step(0, vec![]), step(2, vec![Audience::CityOffice])] },
            exposure: ExposureRule::default(),
        };
        let e = l.validate().unwrap_err();
        let got: Vec<(&str, &str, Option<&str>)> = e.iter().map(|e| (e.field, e.code, e.detail.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("ladder_general", "escalation.steps.order", Some("2")),
                ("ladder_major", "escalation.steps.order", Some("2")),
                ("ladder_major", "escalation.step.notify_empty", Some("2")),
            ]
        );
    }

    #[test]
    fn only_major_hazards_long_overdue_are_exposure_candidates() {
        let rule = ExposureRule::default();
        assert!(!exposure_candidate(Grade::Major, 30, &rule), "thirty days is not beyond thirty");
        assert!(exposure_candidate(Grade::Major, 31, &rule));
        assert!(!exposure_candidate(Grade::General, 365, &rule));
        assert!(!exposure_candidate(Grade::Major, 0, &ExposureRule { min_days_overdue: 0 }), "on time is never exposed");
        assert!(exposure_candidate(Grade::Major, 1, &ExposureRule { min_days_overdue: 0 }));
    }
}
