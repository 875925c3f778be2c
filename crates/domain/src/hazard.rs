//! Hazards (隐患) and their closed loop (闭环): every hazard found or reported runs to an
//! accepted closure on time, or is escalated.
//!
//! The life of a hazard (DESIGN.md §6):
//!
//! ```text
//! reported ──confirm──▶ confirmed ──start_rectification──▶ rectifying ──submit_fix──▶ pending_acceptance ──accept──▶ closed
//!    │                                                        ▲                              │                     │
//!    └─reject──▶ rejected (not real, or a duplicate)          └──────fail_acceptance─────────┘                     │
//!                                                             ▲                                                    │
//!                                                             └──────────────────────reopen (with a reason)────────┘
//! ```
//!
//! Acceptance (验收) is made by someone other than the person who did the fix, and for a
//! general hazard it closes the hazard (销号). A major hazard (重大事故隐患) closes only with a
//! complete governance plan (治理方案) on record and a supervisor's check of the current fix:
//! either a supervisor records the check (`supervisor_check`) and the enterprise then accepts,
//! or a supervisor accepts in person, which is the check. The check belongs to one fix: a new
//! fix, a failed acceptance or a reopening asks for a new one.
//!
//! Overdue is never stored: it is derived from the deadline, for open hazards only.
//! Every function here is pure; the service records each applied transition as an event with
//! its actor, time, note and photos.

use crate::org::{parse_name, parse_optional};
use crate::vocabulary::vocabulary;
use crate::{Collector, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

vocabulary!(
    /// Where a hazard is in its life.
    HazardState {
        Reported = "reported",
        Confirmed = "confirmed",
        Rectifying = "rectifying",
        PendingAcceptance = "pending_acceptance",
        Closed = "closed",
        Rejected = "rejected",
    }
);

impl HazardState {
    /// A hazard is open until it is closed or rejected; only open hazards can be overdue.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Rejected)
    }
}

vocabulary!(
    /// 一般隐患 / 重大事故隐患 (the latter as the national criteria define it).
    Grade {
        General = "general",
        Major = "major",
    }
);

vocabulary!(
    /// The four causes a hazard is filed under: unsafe acts of people, unsafe state of things,
    /// unsafe environment, defects of management.
    Category {
        Person = "person",
        Thing = "thing",
        Environment = "environment",
        Management = "management",
    }
);

vocabulary!(
    /// How the hazard came to be known.
    Origin {
        SelfCheck = "self_check",
        EmployeeReport = "employee_report",
        GridPatrol = "grid_patrol",
        Inspection = "inspection",
        CovertVisit = "covert_visit",
        ThirdParty = "third_party",
        PublicTip = "public_tip",
    }
);

vocabulary!(
    /// Reported up by the enterprise, or ordered down by an authority (责令整改).
    Direction {
        ReportedUp = "reported_up",
        OrderedDown = "ordered_down",
    }
);

vocabulary!(
    /// Why a reported hazard was rejected.
    RejectReason {
        NotReal = "not_real",
        Duplicate = "duplicate",
    }
);

/// Longest description, measures or plan text, in characters.
pub const TEXT_MAX: usize = 2000;
/// Longest location, in characters.
pub const LOCATION_MAX: usize = 200;
/// Longest name of a responsible person, in characters.
pub const PERSON_MAX: usize = 50;

/// A step in the life of a hazard, as asked for; `apply` decides whether it may happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Transition {
    /// The hazard is real: reported → confirmed (needs a deadline on record).
    Confirm,
    /// reported → rejected: not real (a note says why), or a duplicate merged into another hazard.
    Reject { reason: RejectReason, note: String, merged_into: Option<String> },
    /// confirmed → rectifying.
    StartRectification,
    /// rectifying → pending_acceptance, with at least one photo of the fixed state.
    SubmitFix { after_photos: usize },
    /// A supervisor's check of the current fix of a major hazard (stays pending_acceptance).
    SupervisorCheck,
    /// pending_acceptance → closed, by someone other than the fixer (major: see the module).
    Accept,
    /// pending_acceptance → rectifying: the fix did not hold; the reason tells what to redo.
    FailAcceptance { reason: String },
    /// closed → rectifying: the hazard came back; audited with its reason.
    Reopen { reason: String },
}

impl Transition {
    /// Every kind, for the CHECK constraint of the event table.
    pub const KINDS: [&'static str; 8] =
        ["confirm", "reject", "start_rectification", "submit_fix", "supervisor_check", "accept", "fail_acceptance", "reopen"];

    /// The kind as stored with the event.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Reject { .. } => "reject",
            Self::StartRectification => "start_rectification",
            Self::SubmitFix { .. } => "submit_fix",
            Self::SupervisorCheck => "supervisor_check",
            Self::Accept => "accept",
            Self::FailAcceptance { .. } => "fail_acceptance",
            Self::Reopen { .. } => "reopen",
        }
    }

    /// The state this transition leaves from, and the state it leads to (before the rules
    /// of `apply` that depend on more than the state).
    pub fn path(&self) -> (HazardState, HazardState) {
        use HazardState::*;
        match self {
            Self::Confirm => (Reported, Confirmed),
            Self::Reject { .. } => (Reported, Rejected),
            Self::StartRectification => (Confirmed, Rectifying),
            Self::SubmitFix { .. } => (Rectifying, PendingAcceptance),
            Self::SupervisorCheck => (PendingAcceptance, PendingAcceptance),
            Self::Accept => (PendingAcceptance, Closed),
            Self::FailAcceptance { .. } => (PendingAcceptance, Rectifying),
            Self::Reopen { .. } => (Closed, Rectifying),
        }
    }
}

/// What is on record about a hazard when a transition is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HazardFacts {
    pub id: String,
    pub state: HazardState,
    pub grade: Grade,
    pub deadline: Option<NaiveDate>,
    /// The user who submitted the current fix.
    pub fixed_by: Option<String>,
    pub plan: Option<GovernancePlan>,
    /// A supervisor has checked the current fix.
    pub supervisor_checked: bool,
}

/// Who asks for the transition. Whether they may act on this hazard at all is the access
/// policy's answer (`auth`); here only the facts the closed loop itself needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorFacts {
    pub user_id: String,
    /// The actor holds a government role supervising the hazard's unit (territory or sector).
    pub supervises: bool,
}

/// What a permitted transition leaves on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub state: HazardState,
    pub fixed_by: Option<String>,
    pub supervisor_checked: bool,
}

fn forbidden() -> FieldError {
    FieldError::new("state", "hazard.transition.forbidden")
}

fn required_text(field: &'static str, code: &'static str, text: &str) -> Result<(), FieldError> {
    if text.trim().is_empty() { Err(FieldError::new(field, code)) } else { Ok(()) }
}

/// Decides one transition: the new state and facts, or the first rule it breaks.
pub fn apply(hazard: &HazardFacts, transition: &Transition, actor: &ActorFacts) -> Result<Applied, FieldError> {
    let (from, to) = transition.path();
    if hazard.state != from {
        return Err(forbidden());
    }
    let own_fix = || hazard.fixed_by.as_deref() == Some(actor.user_id.as_str());
    let mut next = Applied { state: to, fixed_by: hazard.fixed_by.clone(), supervisor_checked: hazard.supervisor_checked };
    match transition {
        Transition::Confirm => {
            if hazard.deadline.is_none() {
                return Err(FieldError::new("deadline", "hazard.deadline.missing"));
            }
        }
        Transition::Reject { reason, note, merged_into } => {
            let merged_into = merged_into.as_deref().map(str::trim).filter(|m| !m.is_empty());
            match (reason, merged_into) {
                (RejectReason::NotReal, None) => required_text("reject_note", "hazard.reject.note_missing", note)?,
                (RejectReason::NotReal, Some(_)) => return Err(FieldError::new("merged_into", "hazard.reject.merged_not_duplicate")),
                (RejectReason::Duplicate, None) => return Err(FieldError::new("merged_into", "hazard.reject.merged_into_missing")),
                (RejectReason::Duplicate, Some(m)) if m == hazard.id => {
                    return Err(FieldError::new("merged_into", "hazard.reject.merged_into_self"));
                }
                (RejectReason::Duplicate, Some(_)) => {}
            }
        }
        Transition::StartRectification => {}
        Transition::SubmitFix { after_photos } => {
            if *after_photos == 0 {
                return Err(FieldError::new("photo", "hazard.fix.photo_missing"));
            }
            next.fixed_by = Some(actor.user_id.clone());
            next.supervisor_checked = false;
        }
        Transition::SupervisorCheck => {
            if hazard.grade != Grade::Major || hazard.supervisor_checked {
                return Err(forbidden());
            }
            if !actor.supervises {
                return Err(FieldError::new("actor", "hazard.supervisor_check.not_supervisor"));
            }
            if own_fix() {
                return Err(FieldError::new("actor", "hazard.accept.own_fix"));
            }
            next.supervisor_checked = true;
        }
        Transition::Accept => {
            if own_fix() {
                return Err(FieldError::new("actor", "hazard.accept.own_fix"));
            }
            if hazard.grade == Grade::Major {
                if hazard.plan.as_ref().is_none_or(|p| p.validate().is_err()) {
                    return Err(FieldError::new("plan", "hazard.major.plan_missing"));
                }
                if !hazard.supervisor_checked && !actor.supervises {
                    return Err(FieldError::new("actor", "hazard.major.supervisor_missing"));
                }
                next.supervisor_checked = true;
            }
        }
        Transition::FailAcceptance { reason } => {
            if own_fix() {
                return Err(FieldError::new("actor", "hazard.accept.own_fix"));
            }
            required_text("reason", "hazard.accept.reason_missing", reason)?;
            next.supervisor_checked = false;
        }
        Transition::Reopen { reason } => {
            required_text("reason", "hazard.reopen.reason_missing", reason)?;
            next.supervisor_checked = false;
        }
    }
    Ok(next)
}

/// The kinds of transition that could be asked for from `state` (for the buttons on a page;
/// `apply` still decides).
pub fn available(state: HazardState, grade: Grade) -> Vec<&'static str> {
    let all = [
        Transition::Confirm,
        Transition::Reject { reason: RejectReason::NotReal, note: String::new(), merged_into: None },
        Transition::StartRectification,
        Transition::SubmitFix { after_photos: 0 },
        Transition::SupervisorCheck,
        Transition::Accept,
        Transition::FailAcceptance { reason: String::new() },
        Transition::Reopen { reason: String::new() },
    ];
    all.iter()
        .filter(|t| t.path().0 == state)
        .filter(|t| grade == Grade::Major || !matches!(t, Transition::SupervisorCheck))
        .map(Transition::kind)
        .collect()
}

/// The governance plan (治理方案) a major hazard needs, with the six parts the rules name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GovernancePlan {
    pub aims: String,
    pub measures: String,
    pub funds_and_materials: String,
    pub people: String,
    pub deadline: Option<NaiveDate>,
    pub safety_and_emergency_measures: String,
}

impl GovernancePlan {
    /// Every part is required; each missing or overlong part is named.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Collector::default();
        for (field, text) in [
            ("plan_aims", &self.aims),
            ("plan_measures", &self.measures),
            ("plan_funds_and_materials", &self.funds_and_materials),
            ("plan_people", &self.people),
            ("plan_safety_and_emergency_measures", &self.safety_and_emergency_measures),
        ] {
            c.ok(parse_name(field, text, TEXT_MAX));
        }
        if self.deadline.is_none() {
            c.push(FieldError::new("plan_deadline", "field.required"));
        }
        if c.is_empty() { Ok(()) } else { Err(c.0) }
    }
}

/// A new hazard as typed in a form or an import row.
#[derive(Debug, Clone, Default)]
pub struct HazardInput<'a> {
    pub description: &'a str,
    pub location: &'a str,
    pub grade: &'a str,
    pub category: &'a str,
    pub origin: &'a str,
    pub direction: &'a str,
    pub responsible_unit_id: &'a str,
    pub responsible_person: &'a str,
    pub found_on: &'a str,
    /// May be empty: a reported hazard gets its deadline when it is confirmed.
    pub deadline: &'a str,
    pub measures: &'a str,
    /// Yuan, up to two decimals; may be empty.
    pub funds: &'a str,
}

/// A new hazard, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHazard {
    pub description: String,
    pub location: Option<String>,
    pub grade: Grade,
    pub category: Category,
    pub origin: Origin,
    pub direction: Direction,
    pub responsible_unit_id: String,
    pub responsible_person: Option<String>,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub measures: Option<String>,
    /// Funds in fen (hundredths of a yuan), so no amount is rounded.
    pub funds_fen: Option<u64>,
}

fn vocab<T>(field: &'static str, code: &'static str, text: &str, parse: fn(&str) -> Option<T>) -> Result<T, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "field.required"));
    }
    parse(t).ok_or_else(|| FieldError::new(field, code))
}

fn date(field: &'static str, text: &str) -> Result<Option<NaiveDate>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::time::parse_date(text).map(Some).ok_or_else(|| FieldError::new(field, "field.date_invalid"))
}

/// A deadline is a date on or after the day the hazard was found.
pub fn check_deadline(found_on: NaiveDate, deadline: NaiveDate) -> Result<(), FieldError> {
    if deadline < found_on { Err(FieldError::new("deadline", "hazard.deadline.before_found")) } else { Ok(()) }
}

/// Parses an amount of money in yuan (`12000`, `1,200.50`, `¥800`) into fen.
pub fn parse_funds(text: &str) -> Result<Option<u64>, FieldError> {
    parse_yuan("funds", "hazard.funds.invalid", text)
}

/// An amount of money typed in yuan (`12000`, `1,200.50`, `￥300元`), in fen; empty is `None`.
pub fn parse_yuan(field: &'static str, code: &'static str, text: &str) -> Result<Option<u64>, FieldError> {
    let t: String = text.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',' && *c != '，').collect();
    let t = t.trim_end_matches('元');
    if t.is_empty() {
        return Ok(None);
    }
    let invalid = || FieldError::new(field, code);
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!frac.is_empty() && !digits(frac)) || frac.len() > 2 {
        return Err(invalid());
    }
    let yuan: u64 = whole.parse().map_err(|_| invalid())?;
    let fen: u64 = format!("{frac:0<2}").parse().map_err(|_| invalid())?;
    yuan.checked_mul(100).and_then(|y| y.checked_add(fen)).map(Some).ok_or_else(invalid)
}

/// Parses a new hazard; every problem is reported at once, each naming its field. The
/// finding date cannot be in the future, and a deadline cannot come before it.
pub fn parse_new(input: &HazardInput, today: NaiveDate) -> Result<NewHazard, Vec<FieldError>> {
    let mut c = Collector::default();
    let description = c.ok(parse_name("description", input.description, TEXT_MAX));
    let location = c.ok(parse_optional("location", input.location, LOCATION_MAX));
    let grade = c.ok(vocab("grade", "hazard.grade.invalid", input.grade, Grade::parse));
    let category = c.ok(vocab("category", "hazard.category.invalid", input.category, Category::parse));
    let origin = c.ok(vocab("origin", "hazard.origin.invalid", input.origin, Origin::parse));
    let direction = c.ok(vocab("direction", "hazard.direction.invalid", input.direction, Direction::parse));
    let unit = c.ok(parse_name("responsible_unit_id", input.responsible_unit_id, 64));
    let person = c.ok(parse_optional("responsible_person", input.responsible_person, PERSON_MAX));
    let found_on = match c.ok(date("found_on", input.found_on)) {
        Some(None) => {
            c.push(FieldError::new("found_on", "field.required"));
            None
        }
        Some(Some(d)) if d > today => {
            c.push(FieldError::new("found_on", "hazard.found_on.future"));
            None
        }
        other => other.flatten(),
    };
    let deadline = c.ok(date("deadline", input.deadline));
    if let (Some(found), Some(Some(deadline))) = (found_on, deadline) {
        c.ok(check_deadline(found, deadline));
    }
    let measures = c.ok(parse_optional("measures", input.measures, TEXT_MAX));
    let funds = c.ok(parse_funds(input.funds));
    match (description, location, grade, category, origin, direction, unit, person, found_on, deadline, measures, funds) {
        (
            Some(description),
            Some(location),
            Some(grade),
            Some(category),
            Some(origin),
            Some(direction),
            Some(responsible_unit_id),
            Some(responsible_person),
            Some(found_on),
            Some(deadline),
            Some(measures),
            Some(funds_fen),
        ) if c.is_empty() => Ok(NewHazard {
            description,
            location,
            grade,
            category,
            origin,
            direction,
            responsible_unit_id,
            responsible_person,
            found_on,
            deadline,
            measures,
            funds_fen,
        }),
        _ => Err(c.0),
    }
}

/// Days past the deadline (0 when not overdue). The deadline day itself is still on time; a
/// closed or rejected hazard, or one without a deadline yet, is never overdue.
pub fn days_overdue(state: HazardState, deadline: Option<NaiveDate>, today: NaiveDate) -> u32 {
    match deadline {
        Some(d) if state.is_open() && today > d => u32::try_from((today - d).num_days()).unwrap_or(u32::MAX),
        _ => 0,
    }
}

/// Whether an open hazard is past its deadline.
pub fn is_overdue(state: HazardState, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    days_overdue(state, deadline, today) > 0
}

/// Listed supervision (挂牌督办) is for open major hazards.
pub fn check_listing(state: HazardState, grade: Grade) -> Result<(), FieldError> {
    if grade != Grade::Major {
        return Err(FieldError::new("grade", "hazard.listing.not_major"));
    }
    if !state.is_open() {
        return Err(FieldError::new("state", "hazard.listing.not_open"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use HazardState::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn plan() -> GovernancePlan {
        GovernancePlan {
            aims: "消除储罐区泄漏风险".into(),
            measures: "更换法兰垫片，加装可燃气体报警".into(),
            funds_and_materials: "资金 12 万元，垫片、报警器".into(),
            people: "设备部 张三 等 4 人".into(),
            deadline: Some(d("2024-06-30")),
            safety_and_emergency_measures: "作业期间停用储罐，现场配备应急器材".into(),
        }
    }

    fn hazard(state: HazardState, grade: Grade) -> HazardFacts {
        HazardFacts {
            id: "h1".into(),
            state,
            grade,
            deadline: Some(d("2024-05-31")),
            fixed_by: (state == PendingAcceptance || state == Closed).then(|| "fixer".to_string()),
            plan: None,
            supervisor_checked: false,
        }
    }

    fn actor(id: &str) -> ActorFacts {
        ActorFacts { user_id: id.into(), supervises: false }
    }

    fn supervisor(id: &str) -> ActorFacts {
        ActorFacts { user_id: id.into(), supervises: true }
    }

    fn code(r: Result<Applied, FieldError>) -> &'static str {
        r.unwrap_err().code
    }

    #[test]
    fn vocabularies_round_trip() {
        for s in HazardState::ALL {
            assert_eq!(HazardState::parse(s.as_str()), Some(*s));
        }
        for o in Origin::ALL {
            assert_eq!(Origin::parse(o.as_str()), Some(*o));
        }
        assert_eq!(Grade::parse("major"), Some(Grade::Major));
        assert_eq!(Category::parse("environment"), Some(Category::Environment));
        assert_eq!(Direction::parse("ordered_down"), Some(Direction::OrderedDown));
        assert_eq!(Grade::parse("重大"), None);
        assert_eq!(serde_json::to_string(&HazardState::PendingAcceptance).unwrap(), "\"pending_acceptance\"");
        let mut every: Vec<&str> = HazardState::ALL.iter().flat_map(|s| available(*s, Grade::Major)).collect();
        every.sort();
        let mut kinds = Transition::KINDS.to_vec();
        kinds.sort();
        assert_eq!(every, kinds, "every kind is stored under its name and leads somewhere");
    }

    #[test]
    fn a_general_hazard_runs_the_whole_loop_with_a_failed_acceptance() {
        let mut h = hazard(Reported, Grade::General);
        let steps = [
            (Transition::Confirm, "officer", Confirmed),
            (Transition::StartRectification, "fixer", Rectifying),
            (Transition::SubmitFix { after_photos: 2 }, "fixer", PendingAcceptance),
            (Transition::FailAcceptance { reason: "垫片仍渗漏".into() }, "checker", Rectifying),
            (Transition::SubmitFix { after_photos: 1 }, "fixer", PendingAcceptance),
            (Transition::Accept, "checker", Closed),
            (Transition::Reopen { reason: "复查发现再次渗漏".into() }, "officer", Rectifying),
        ];
        for (t, who, expected) in steps {
            let a = apply(&h, &t, &actor(who)).unwrap_or_else(|e| panic!("{}: {e:?}", t.kind()));
            assert_eq!(a.state, expected, "{}", t.kind());
            h.state = a.state;
            h.fixed_by = a.fixed_by;
            h.supervisor_checked = a.supervisor_checked;
        }
        assert_eq!(h.fixed_by.as_deref(), Some("fixer"));
    }

    #[test]
    fn transitions_the_state_machine_forbids() {
        // Closing a hazard never rectified.
        for s in [Reported, Confirmed, Rectifying] {
            assert_eq!(code(apply(&hazard(s, Grade::General), &Transition::Accept, &actor("x"))), "hazard.transition.forbidden", "{s:?}");
        }
        assert_eq!(code(apply(&hazard(Rejected, Grade::General), &Transition::Confirm, &actor("x"))), "hazard.transition.forbidden");
        assert_eq!(
            code(apply(&hazard(Confirmed, Grade::General), &Transition::SubmitFix { after_photos: 1 }, &actor("x"))),
            "hazard.transition.forbidden",
            "no fix before rectification starts"
        );
        let reopen = Transition::Reopen { reason: "again".into() };
        assert_eq!(code(apply(&hazard(Rejected, Grade::General), &reopen, &actor("x"))), "hazard.transition.forbidden");
        assert_eq!(code(apply(&hazard(Rectifying, Grade::General), &reopen, &actor("x"))), "hazard.transition.forbidden");
        let reject = Transition::Reject { reason: RejectReason::NotReal, note: "误报".into(), merged_into: None };
        assert_eq!(code(apply(&hazard(Confirmed, Grade::General), &reject, &actor("x"))), "hazard.transition.forbidden");
        assert_eq!(available(Closed, Grade::General), ["reopen"]);
        assert_eq!(available(PendingAcceptance, Grade::General), ["accept", "fail_acceptance"]);
        assert_eq!(available(PendingAcceptance, Grade::Major), ["supervisor_check", "accept", "fail_acceptance"]);
    }

    #[test]
    fn nobody_accepts_their_own_fix() {
        let h = hazard(PendingAcceptance, Grade::General);
        assert_eq!(code(apply(&h, &Transition::Accept, &actor("fixer"))), "hazard.accept.own_fix");
        assert_eq!(code(apply(&h, &Transition::FailAcceptance { reason: "x".into() }, &actor("fixer"))), "hazard.accept.own_fix");
        assert_eq!(apply(&h, &Transition::Accept, &actor("other")).unwrap().state, Closed);
        // The fixer is whoever submitted the current fix.
        let a = apply(&hazard(Rectifying, Grade::General), &Transition::SubmitFix { after_photos: 1 }, &actor("second")).unwrap();
        assert_eq!(a.fixed_by.as_deref(), Some("second"));
    }

    #[test]
    fn a_major_hazard_needs_a_plan_and_a_supervisors_check_to_close() {
        let mut h = hazard(PendingAcceptance, Grade::Major);
        assert_eq!(code(apply(&h, &Transition::Accept, &supervisor("officer"))), "hazard.major.plan_missing");
        h.plan = Some(GovernancePlan { people: " ".into(), ..plan() });
        assert_eq!(code(apply(&h, &Transition::Accept, &supervisor("officer"))), "hazard.major.plan_missing", "an incomplete plan is none");
        h.plan = Some(plan());
        assert_eq!(code(apply(&h, &Transition::Accept, &actor("manager"))), "hazard.major.supervisor_missing");
        // A supervisor accepting in person is the check.
        let a = apply(&h, &Transition::Accept, &supervisor("officer")).unwrap();
        assert_eq!((a.state, a.supervisor_checked), (Closed, true));
        // Or a supervisor checks first, and the enterprise accepts.
        assert_eq!(code(apply(&h, &Transition::SupervisorCheck, &actor("manager"))), "hazard.supervisor_check.not_supervisor");
        assert_eq!(code(apply(&h, &Transition::SupervisorCheck, &supervisor("fixer"))), "hazard.accept.own_fix");
        let a = apply(&h, &Transition::SupervisorCheck, &supervisor("officer")).unwrap();
        assert_eq!((a.state, a.supervisor_checked), (PendingAcceptance, true));
        h.supervisor_checked = a.supervisor_checked;
        assert_eq!(code(apply(&h, &Transition::SupervisorCheck, &supervisor("officer"))), "hazard.transition.forbidden", "checked once");
        assert_eq!(apply(&h, &Transition::Accept, &actor("manager")).unwrap().state, Closed);
        // A general hazard has no supervisor's check and needs no plan.
        let g = hazard(PendingAcceptance, Grade::General);
        assert_eq!(code(apply(&g, &Transition::SupervisorCheck, &supervisor("officer"))), "hazard.transition.forbidden");
        assert_eq!(apply(&g, &Transition::Accept, &actor("manager")).unwrap().state, Closed);
    }

    #[test]
    fn the_supervisors_check_belongs_to_one_fix() {
        let mut h = hazard(PendingAcceptance, Grade::Major);
        h.supervisor_checked = true;
        h.plan = Some(plan());
        let failed = apply(&h, &Transition::FailAcceptance { reason: "未整改到位".into() }, &actor("manager")).unwrap();
        assert!(!failed.supervisor_checked);
        let mut r = hazard(Rectifying, Grade::Major);
        r.supervisor_checked = true;
        assert!(!apply(&r, &Transition::SubmitFix { after_photos: 1 }, &actor("fixer")).unwrap().supervisor_checked);
        let mut c = hazard(Closed, Grade::Major);
        c.supervisor_checked = true;
        assert!(!apply(&c, &Transition::Reopen { reason: "复发".into() }, &actor("officer")).unwrap().supervisor_checked);
    }

    #[test]
    fn reasons_are_required() {
        let closed = hazard(Closed, Grade::General);
        assert_eq!(
            apply(&closed, &Transition::Reopen { reason: "  ".into() }, &actor("o")).unwrap_err(),
            FieldError::new("reason", "hazard.reopen.reason_missing")
        );
        let pending = hazard(PendingAcceptance, Grade::General);
        assert_eq!(code(apply(&pending, &Transition::FailAcceptance { reason: "".into() }, &actor("o"))), "hazard.accept.reason_missing");
        let fixing = hazard(Rectifying, Grade::General);
        assert_eq!(
            apply(&fixing, &Transition::SubmitFix { after_photos: 0 }, &actor("f")).unwrap_err(),
            FieldError::new("photo", "hazard.fix.photo_missing")
        );
        let mut reported = hazard(Reported, Grade::General);
        reported.deadline = None;
        assert_eq!(code(apply(&reported, &Transition::Confirm, &actor("o"))), "hazard.deadline.missing");
    }

    #[test]
    fn rejection_needs_a_reason_and_a_duplicate_names_the_hazard_it_joins() {
        let h = hazard(Reported, Grade::General);
        let reject = |reason, note: &str, merged: Option<&str>| Transition::Reject {
            reason,
            note: note.into(),
            merged_into: merged.map(Into::into),
        };
        assert_eq!(code(apply(&h, &reject(RejectReason::NotReal, " ", None), &actor("o"))), "hazard.reject.note_missing");
        assert_eq!(apply(&h, &reject(RejectReason::NotReal, "现场无此情况", None), &actor("o")).unwrap().state, Rejected);
        assert_eq!(code(apply(&h, &reject(RejectReason::NotReal, "x", Some("h2")), &actor("o"))), "hazard.reject.merged_not_duplicate");
        assert_eq!(code(apply(&h, &reject(RejectReason::Duplicate, "", None), &actor("o"))), "hazard.reject.merged_into_missing");
        assert_eq!(code(apply(&h, &reject(RejectReason::Duplicate, "", Some(" ")), &actor("o"))), "hazard.reject.merged_into_missing");
        assert_eq!(code(apply(&h, &reject(RejectReason::Duplicate, "", Some("h1")), &actor("o"))), "hazard.reject.merged_into_self");
        assert_eq!(apply(&h, &reject(RejectReason::Duplicate, "", Some("h2")), &actor("o")).unwrap().state, Rejected);
    }

    #[test]
    fn a_plan_names_every_missing_part() {
        assert_eq!(plan().validate(), Ok(()));
        let fields: Vec<&str> = GovernancePlan::default().validate().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "plan_aims",
                "plan_measures",
                "plan_funds_and_materials",
                "plan_people",
                "plan_safety_and_emergency_measures",
                "plan_deadline"
            ]
        );
        let long = GovernancePlan { aims: "字".repeat(TEXT_MAX + 1), ..plan() };
        assert_eq!(long.validate().unwrap_err()[0].code, "field.too_long");
    }

    fn input() -> HazardInput<'static> {
        HazardInput {
            description: "配电箱未接地",
            location: "二号车间",
            grade: "general",
            category: "thing",
            origin: "self_check",
            direction: "reported_up",
            responsible_unit_id: "org-1",
            responsible_person: "张三",
            found_on: "2024-05-06",
            deadline: "2024-05-20",
            measures: "加装接地线",
            funds: "1,200.5",
        }
    }

    #[test]
    fn a_new_hazard_is_parsed() {
        let h = parse_new(&input(), d("2024-05-06")).unwrap();
        assert_eq!(
            (h.grade, h.category, h.origin, h.direction),
            (Grade::General, Category::Thing, Origin::SelfCheck, Direction::ReportedUp)
        );
        assert_eq!((h.found_on, h.deadline, h.funds_fen), (d("2024-05-06"), Some(d("2024-05-20")), Some(120_050)));
        let reported = parse_new(&HazardInput { deadline: "", location: "", funds: "", ..input() }, d("2024-05-06")).unwrap();
        assert_eq!((reported.deadline, reported.location, reported.funds_fen), (None, None, None));
        let same_day = parse_new(&HazardInput { deadline: "2024-05-06", ..input() }, d("2024-05-06")).unwrap();
        assert_eq!(same_day.deadline, Some(d("2024-05-06")), "fixed on the day it is found");
    }

    #[test]
    fn a_new_hazard_reports_every_problem_at_once() {
        let bad = HazardInput { description: " ", grade: "重大", origin: "", deadline: "2024-05-01", funds: "-3", ..input() };
        let e = parse_new(&bad, d("2024-05-06")).unwrap_err();
        let got: Vec<(&str, &str)> = e.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            got,
            [
                ("description", "field.required"),
                ("grade", "hazard.grade.invalid"),
                ("origin", "field.required"),
                ("deadline", "hazard.deadline.before_found"),
                ("funds", "hazard.funds.invalid"),
            ]
        );
        let future = parse_new(&HazardInput { found_on: "2024-05-07", ..input() }, d("2024-05-06")).unwrap_err();
        assert_eq!(future[0], FieldError::new("found_on", "hazard.found_on.future"));
        let missing = parse_new(&HazardInput { found_on: "", ..input() }, d("2024-05-06")).unwrap_err();
        assert_eq!(missing[0], FieldError::new("found_on", "field.required"));
        let garbled = parse_new(&HazardInput { found_on: "五月", deadline: "later", ..input() }, d("2024-05-06")).unwrap_err();
        assert_eq!(garbled.iter().map(|e| e.code).collect::<Vec<_>>(), ["field.date_invalid", "field.date_invalid"]);
    }

    #[test]
    fn funds_are_yuan_with_at_most_two_decimals() {
        assert_eq!(parse_funds("12000").unwrap(), Some(1_200_000));
        assert_eq!(parse_funds("¥800元").unwrap(), Some(80_000));
        assert_eq!(parse_funds("0.5").unwrap(), Some(50));
        assert_eq!(parse_funds(" ").unwrap(), None);
        for bad in ["1.234", "abc", ".5", "1e3", "99999999999999999999"] {
            assert_eq!(parse_funds(bad).unwrap_err().code, "hazard.funds.invalid", "{bad}");
        }
    }

    #[test]
    fn overdue_is_derived_and_only_for_open_hazards() {
        let deadline = Some(d("2024-05-31"));
        assert_eq!(days_overdue(Rectifying, deadline, d("2024-05-31")), 0, "the deadline day is on time");
        assert_eq!(days_overdue(Rectifying, deadline, d("2024-06-01")), 1);
        assert_eq!(days_overdue(PendingAcceptance, deadline, d("2024-06-10")), 10);
        assert!(is_overdue(Reported, deadline, d("2024-06-01")));
        assert!(!is_overdue(Closed, deadline, d("2024-06-10")));
        assert!(!is_overdue(Rejected, deadline, d("2024-06-10")));
        assert!(!is_overdue(Rectifying, None, d("2030-01-01")), "no deadline yet");
    }

    #[test]
    fn listed_supervision_is_for_open_major_hazards() {
        assert_eq!(check_listing(Rectifying, Grade::Major), Ok(()));
        assert_eq!(check_listing(Rectifying, Grade::General).unwrap_err().code, "hazard.listing.not_major");
        assert_eq!(check_listing(Closed, Grade::Major).unwrap_err().code, "hazard.listing.not_open");
    }
}

/// Reports this alike (0–1, `text::similarity`) from the same unit within
/// [`DUPLICATE_WINDOW_DAYS`] are flagged as a suspected duplicate of the open one; the unit
/// then merges or keeps it. A report is never refused for looking like another.
pub const DUPLICATE_SIMILARITY: f64 = 0.6;
pub const DUPLICATE_WINDOW_DAYS: i64 = 30;

/// The most similar open hazard among `candidates` (id, description), if alike enough.
pub fn suspected_duplicate<'a>(description: &str, candidates: &'a [(String, String)]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|(id, text)| (id.as_str(), crate::text::similarity([description], [text.as_str()])))
        .filter(|(_, s)| *s >= DUPLICATE_SIMILARITY)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// The largest reward one report may earn (10 000 yuan), against typing slips.
pub const REWARD_MAX_FEN: u64 = 1_000_000;

/// A reward (员工报告奖励) is granted once a report is verified as true (confirmed or later,
/// not rejected), only once, and for a positive amount within the cap.
pub fn check_reward(state: HazardState, already: bool, amount: &str) -> Result<u64, FieldError> {
    if matches!(state, HazardState::Reported | HazardState::Rejected) {
        return Err(FieldError::new("amount", "hazard.reward.not_verified"));
    }
    if already {
        return Err(FieldError::new("amount", "hazard.reward.already"));
    }
    match parse_yuan("amount", "hazard.reward.amount_invalid", amount)? {
        None => Err(FieldError::new("amount", "field.required")),
        Some(0) => Err(FieldError::new("amount", "hazard.reward.amount_invalid")),
        Some(f) if f > REWARD_MAX_FEN => Err(FieldError::new("amount", "hazard.reward.too_large")),
        Some(f) => Ok(f),
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;

    #[test]
    fn a_report_like_an_open_one_is_flagged_with_the_closest() {
        let open = vec![("a".to_string(), "消防通道堵塞".to_string()), ("b".to_string(), "二号车间配电箱门损坏带电部位裸露".to_string())];
        assert_eq!(suspected_duplicate("二号车间配电箱门坏了带电部位裸露", &open), Some("b"));
        assert_eq!(suspected_duplicate("仓库灭火器过期", &open), None);
    }

    #[test]
    fn rewards_need_a_verified_report_once_and_a_sensible_amount() {
        assert_eq!(check_reward(HazardState::Confirmed, false, "200").unwrap(), 20_000);
        assert_eq!(check_reward(HazardState::Closed, false, "1,000.5元").unwrap(), 100_050);
        assert_eq!(check_reward(HazardState::Reported, false, "200").unwrap_err().code, "hazard.reward.not_verified");
        assert_eq!(check_reward(HazardState::Rejected, false, "200").unwrap_err().code, "hazard.reward.not_verified");
        assert_eq!(check_reward(HazardState::Rectifying, true, "200").unwrap_err().code, "hazard.reward.already");
        assert_eq!(check_reward(HazardState::Rectifying, false, "").unwrap_err().code, "field.required");
        assert_eq!(check_reward(HazardState::Rectifying, false, "0").unwrap_err().code, "hazard.reward.amount_invalid");
        assert_eq!(check_reward(HazardState::Rectifying, false, "abc").unwrap_err().code, "hazard.reward.amount_invalid");
        assert_eq!(check_reward(HazardState::Rectifying, false, "20000").unwrap_err().code, "hazard.reward.too_large");
    }
}
