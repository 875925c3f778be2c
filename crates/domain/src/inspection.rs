//! Inspections (检查) of every kind the notice names: planned, carried out at the site with a
//! checklist, and archived with their plan, problem list and photos. An inspection moves
//! `planned → in_progress → completed → archived`, one step at a time.
//!
//! Each records its kind, lead unit, inspectors, targets and dates, so later counts per unit
//! and period need nothing else. Some kinds carry a rule of their own: special enforcement has
//! a theme; cross enforcement sends inspectors from another area or department; peer
//! inspection sends another enterprise; self-inspection looks at the lead unit only. A covert
//! inspection (四不两直) is hidden from the target's own users until it is completed: telling
//! them beforehand is exactly what it forbids.
//!
//! A failed checklist item becomes a hazard draft in one step (`hazard_from_finding`).

use crate::draw::InspectorFacts;
use crate::hazard::{Category, Direction, Grade, NewHazard, Origin, TEXT_MAX};
use crate::vocabulary::vocabulary;
use crate::{Collector, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

vocabulary!(
    /// Every kind of inspection in the glossary.
    InspectionKind {
        LeaderInspection = "leader_inspection",
        AssignedInspection = "assigned_inspection",
        CovertInspection = "covert_inspection",
        SpecialEnforcement = "special_enforcement",
        CrossEnforcement = "cross_enforcement",
        PeerInspection = "peer_inspection",
        Routine = "routine",
        GridPatrol = "grid_patrol",
        SpotCheck = "spot_check",
        SelfInspection = "self_inspection",
        ThirdParty = "third_party",
    }
);

impl InspectionKind {
    /// Kinds carried out by or for the enterprise itself (their findings are reported up);
    /// every other kind is an authority's (its findings are ordered down, 责令整改).
    pub fn is_enterprise_side(self) -> bool {
        matches!(self, Self::SelfInspection | Self::PeerInspection | Self::ThirdParty)
    }

    /// The origin a hazard found by this kind of inspection carries.
    pub fn finding_origin(self) -> Origin {
        match self {
            Self::CovertInspection => Origin::CovertVisit,
            Self::SelfInspection => Origin::SelfCheck,
            Self::GridPatrol => Origin::GridPatrol,
            Self::ThirdParty => Origin::ThirdParty,
            _ => Origin::Inspection,
        }
    }
}

vocabulary!(
    InspectionState {
        Planned = "planned",
        InProgress = "in_progress",
        Completed = "completed",
        Archived = "archived",
    }
);

impl InspectionState {
    /// The only state this one may move to (`None` for archived: an archive is final).
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Planned => Some(Self::InProgress),
            Self::InProgress => Some(Self::Completed),
            Self::Completed => Some(Self::Archived),
            Self::Archived => None,
        }
    }

    /// Whether moving to `to` is allowed: forward, one step at a time.
    pub fn check_transition(self, to: Self) -> Result<(), FieldError> {
        if self.next() == Some(to) { Ok(()) } else { Err(FieldError::new("state", "inspection.transition.forbidden")) }
    }

    /// The checklist is filled in at the site only while the visit is under way.
    pub fn check_record(self) -> Result<(), FieldError> {
        if self == Self::InProgress { Ok(()) } else { Err(FieldError::new("state", "inspection.not_in_progress")) }
    }
}

/// Whether the target enterprise's own users may see an inspection in `state`. Every kind is
/// visible to its target except a covert one before it is done: its plan, date and inspectors
/// stay hidden until it is completed (and then archived).
pub fn visible_to_target(kind: InspectionKind, state: InspectionState) -> bool {
    kind != InspectionKind::CovertInspection || matches!(state, InspectionState::Completed | InspectionState::Archived)
}

vocabulary!(
    /// The result of one checklist item.
    CheckResult {
        Pass = "pass",
        Fail = "fail",
        NotApplicable = "not_applicable",
    }
);

/// A target of a plan, with the facts the kind rules need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetUnit {
    pub unit_id: String,
    pub township_code: Option<String>,
    /// The units that supervise the target in the ordinary course: the departments of its
    /// industry and its township office.
    pub supervising_unit_ids: Vec<String>,
}

/// A plan as entered, before it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFacts {
    pub kind: InspectionKind,
    pub theme: String,
    pub lead_unit_id: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub inspectors: Vec<InspectorFacts>,
    pub targets: Vec<TargetUnit>,
}

/// Longest theme, in characters.
pub const THEME_MAX: usize = 200;

/// Whether `inspector` comes from another area or another department than `target`: never
/// from the target itself, and either from a known township other than the target's, or from
/// a unit that does not supervise the target in the ordinary course.
pub fn from_elsewhere(inspector: &InspectorFacts, target: &TargetUnit) -> bool {
    let other_area = matches!((&inspector.township_code, &target.township_code), (Some(a), Some(b)) if a != b);
    let other_department = !target.supervising_unit_ids.contains(&inspector.unit_id);
    inspector.unit_id != target.unit_id && (other_area || other_department)
}

/// Checks a plan; every problem is reported at once, each naming its field.
pub fn validate_plan(plan: &PlanFacts) -> Result<(), Vec<FieldError>> {
    let mut c = Collector::default();
    if plan.lead_unit_id.trim().is_empty() {
        c.push(FieldError::new("lead_unit", "field.required"));
    }
    match (plan.starts_on, plan.ends_on) {
        (None, _) => c.push(FieldError::new("starts_on", "field.required")),
        (Some(s), Some(e)) if e < s => c.push(FieldError::new("ends_on", "inspection.dates.end_before_start")),
        _ => {}
    }
    if plan.targets.is_empty() {
        c.push(FieldError::new("targets", "inspection.targets.empty"));
    }
    if plan.inspectors.is_empty() {
        c.push(FieldError::new("inspectors", "inspection.inspectors.empty"));
    }
    let theme = plan.theme.trim();
    if theme.chars().count() > THEME_MAX {
        c.push(FieldError::new("theme", "field.too_long").with_detail(THEME_MAX.to_string()));
    }
    let every_target_has =
        |ok: &dyn Fn(&InspectorFacts, &TargetUnit) -> bool| plan.targets.iter().all(|t| plan.inspectors.iter().any(|i| ok(i, t)));
    let staffed = !plan.inspectors.is_empty();
    match plan.kind {
        InspectionKind::SpecialEnforcement if theme.is_empty() => c.push(FieldError::new("theme", "inspection.theme.required")),
        InspectionKind::CrossEnforcement if staffed && !every_target_has(&from_elsewhere) => {
            c.push(FieldError::new("inspectors", "inspection.cross.no_outsider"))
        }
        InspectionKind::PeerInspection if staffed && !every_target_has(&|i, t| i.unit_id != t.unit_id) => {
            c.push(FieldError::new("inspectors", "inspection.peer.own_unit"))
        }
        InspectionKind::SelfInspection if plan.targets.iter().any(|t| t.unit_id != plan.lead_unit_id) => {
            c.push(FieldError::new("targets", "inspection.self.other_unit"))
        }
        _ => {}
    }
    if c.is_empty() { Ok(()) } else { Err(c.0) }
}

/// One item of a checklist template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub text: String,
    pub category: Category,
    /// Items taken from the national criteria for major hazards find major hazards.
    pub grade: Grade,
}

/// Longest note on one item, in characters.
pub const NOTE_MAX: usize = 1000;

/// One item's result as recorded at the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub result: CheckResult,
    pub note: String,
}

/// Parses one item's result as typed: a result is required, and a failed item needs a note
/// saying what was found (it becomes the hazard's description).
pub fn parse_item_result(result: &str, note: &str) -> Result<ItemResult, Vec<FieldError>> {
    let mut c = Collector::default();
    let r = match result.trim() {
        "" => {
            c.push(FieldError::new("result", "field.required"));
            None
        }
        t => c.ok(CheckResult::parse(t).ok_or_else(|| FieldError::new("result", "inspection.result.invalid"))),
    };
    let note = note.trim().to_string();
    if note.chars().count() > NOTE_MAX {
        c.push(FieldError::new("item_note", "field.too_long").with_detail(NOTE_MAX.to_string()));
    }
    if r == Some(CheckResult::Fail) && note.is_empty() {
        c.push(FieldError::new("item_note", "inspection.item.note_required"));
    }
    match r {
        Some(result) if c.is_empty() => Ok(ItemResult { result, note }),
        _ => Err(c.0),
    }
}

/// The hazard a failed item becomes: the item's text and the note as its description, the
/// item's category and grade, the origin of the inspection's kind, the target as the
/// responsible unit, found on the day of the visit. No deadline yet: it is set when the
/// hazard is confirmed. Items that did not fail find nothing.
pub fn hazard_from_finding(
    kind: InspectionKind,
    item: &ChecklistItem,
    result: &ItemResult,
    target_unit_id: &str,
    found_on: NaiveDate,
) -> Option<NewHazard> {
    if result.result != CheckResult::Fail {
        return None;
    }
    let text = item.text.trim();
    let note = result.note.trim();
    let joined = if note.is_empty() { text.to_string() } else { format!("{text}：{note}") };
    Some(NewHazard {
        description: joined.chars().take(TEXT_MAX).collect(),
        location: None,
        grade: item.grade,
        category: item.category,
        origin: kind.finding_origin(),
        direction: if kind.is_enterprise_side() { Direction::ReportedUp } else { Direction::OrderedDown },
        responsible_unit_id: target_unit_id.to_string(),
        responsible_person: None,
        found_on,
        deadline: None,
        measures: None,
        funds_fen: None,
    })
}

/// A checklist item as typed in a spreadsheet row: its text, its category and optional grade,
/// each as a code or in Chinese (人 / 物 / 环境 / 管理; 一般 / 重大).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChecklistRow {
    pub row: usize,
    pub text: String,
    pub category: String,
    pub grade: String,
}

/// A problem with one row of an imported checklist: the row, the field and the error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub field: &'static str,
    pub code: &'static str,
    pub detail: Option<String>,
}

/// The most items a checklist may have (a checklist is read on a phone at the site).
pub const CHECKLIST_MAX_ITEMS: usize = 300;

fn category_of(text: &str) -> Option<Category> {
    let t = text.trim();
    Category::parse(t).or(match t.trim_end_matches("的因素").trim_end_matches("因素") {
        "人" | "人员" | "人的不安全行为" => Some(Category::Person),
        "物" | "设备" | "物的不安全状态" => Some(Category::Thing),
        "环境" | "环境的不安全条件" => Some(Category::Environment),
        "管理" | "管理缺陷" => Some(Category::Management),
        _ => None,
    })
}

fn grade_of(text: &str) -> Option<Grade> {
    let t = text.trim();
    Grade::parse(t).or(match t.trim_end_matches("隐患").trim_end_matches("事故") {
        "一般" => Some(Grade::General),
        "重大" => Some(Grade::Major),
        _ => None,
    })
}

/// Checks every row of an imported checklist (all problems at once, by row), and gives its
/// items; a blank grade takes `default_grade`. The same text twice is refused, so a pasted
/// duplicate is caught before inspectors tick it twice.
pub fn parse_checklist_rows(rows: &[ChecklistRow], default_grade: Grade) -> Result<Vec<ChecklistItem>, Vec<RowProblem>> {
    let mut problems = vec![];
    let problem = |row, field, code, detail: Option<&str>| RowProblem { row, field, code, detail: detail.map(String::from) };
    if rows.is_empty() {
        return Err(vec![problem(0, "items", "checklist.items.empty", None)]);
    }
    if rows.len() > CHECKLIST_MAX_ITEMS {
        return Err(vec![problem(0, "items", "checklist.items.too_many", Some(&CHECKLIST_MAX_ITEMS.to_string()))]);
    }
    let mut seen = std::collections::HashSet::new();
    let mut items = vec![];
    for r in rows {
        let text = r.text.trim();
        if text.is_empty() {
            problems.push(problem(r.row, "text", "field.required", None));
        } else if text.chars().count() > TEXT_MAX {
            problems.push(problem(r.row, "text", "field.too_long", Some(&TEXT_MAX.to_string())));
        } else if !seen.insert(text.to_string()) {
            problems.push(problem(r.row, "text", "checklist.item.duplicate", Some(text)));
        }
        let category = category_of(&r.category);
        if category.is_none() {
            problems.push(problem(r.row, "category", "checklist.category.invalid", Some(r.category.trim())));
        }
        let grade = if r.grade.trim().is_empty() { Some(default_grade) } else { grade_of(&r.grade) };
        if grade.is_none() {
            problems.push(problem(r.row, "grade", "hazard.grade.invalid", Some(r.grade.trim())));
        }
        if let (Some(category), Some(grade)) = (category, grade) {
            items.push(ChecklistItem { text: text.to_string(), category, grade });
        }
    }
    if problems.is_empty() { Ok(items) } else { Err(problems) }
}

/// How many inspections one unit led of one kind, per month of a year (January first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyCount {
    pub unit: String,
    pub kind: String,
    pub months: [u32; 12],
    pub total: u32,
}

/// Counts inspections (unit that led, kind, start date) per unit, kind and month of `year`,
/// ordered by unit then kind; inspections of other years are left out.
pub fn count_by_month(year: i32, inspections: &[(String, String, NaiveDate)]) -> Vec<MonthlyCount> {
    use chrono::Datelike;
    let mut counts: std::collections::BTreeMap<(String, String), [u32; 12]> = Default::default();
    for (unit, kind, on) in inspections.iter().filter(|(_, _, on)| on.year() == year) {
        counts.entry((unit.clone(), kind.clone())).or_default()[on.month0() as usize] += 1;
    }
    counts.into_iter().map(|((unit, kind), months)| MonthlyCount { unit, kind, total: months.iter().sum(), months }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use InspectionKind::*;
    use InspectionState::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn inspector(id: &str, unit: &str, town: Option<&str>) -> InspectorFacts {
        InspectorFacts { id: id.into(), unit_id: unit.into(), township_code: town.map(Into::into) }
    }

    fn target(unit: &str, town: &str, supervisors: &[&str]) -> TargetUnit {
        TargetUnit {
            unit_id: unit.into(),
            township_code: Some(town.into()),
            supervising_unit_ids: supervisors.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn plan(kind: InspectionKind) -> PlanFacts {
        PlanFacts {
            kind,
            theme: String::new(),
            lead_unit_id: "bureau-a".into(),
            starts_on: Some(d("2024-05-06")),
            ends_on: Some(d("2024-05-08")),
            inspectors: vec![inspector("p1", "bureau-a", None)],
            targets: vec![target("ent-1", "t1", &["bureau-a", "town-1"])],
        }
    }

    fn codes(p: &PlanFacts) -> Vec<(&'static str, &'static str)> {
        validate_plan(p).err().unwrap_or_default().iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn kinds_and_states_round_trip() {
        assert_eq!(InspectionKind::ALL.len(), 11);
        for k in InspectionKind::ALL {
            assert_eq!(InspectionKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(CheckResult::parse("not_applicable"), Some(CheckResult::NotApplicable));
        assert_eq!(InspectionState::parse("in_progress"), Some(InProgress));
    }

    #[test]
    fn an_inspection_moves_forward_one_step_at_a_time() {
        assert_eq!(Planned.check_transition(InProgress), Ok(()));
        assert_eq!(InProgress.check_transition(Completed), Ok(()));
        assert_eq!(Completed.check_transition(Archived), Ok(()));
        for (from, to) in [(Planned, Completed), (Completed, InProgress), (Archived, Planned), (Planned, Planned)] {
            assert_eq!(from.check_transition(to).unwrap_err().code, "inspection.transition.forbidden", "{from:?} → {to:?}");
        }
        assert_eq!(InProgress.check_record(), Ok(()));
        assert_eq!(Completed.check_record().unwrap_err().code, "inspection.not_in_progress");
    }

    #[test]
    fn a_covert_inspection_is_hidden_from_its_target_until_done() {
        assert!(!visible_to_target(CovertInspection, Planned));
        assert!(!visible_to_target(CovertInspection, InProgress));
        assert!(visible_to_target(CovertInspection, Completed));
        assert!(visible_to_target(CovertInspection, Archived));
        for k in InspectionKind::ALL.iter().filter(|k| **k != CovertInspection) {
            assert!(visible_to_target(*k, Planned), "{k:?}");
        }
    }

    #[test]
    fn a_plan_needs_dates_targets_inspectors_and_a_lead() {
        assert_eq!(codes(&plan(Routine)), []);
        let empty = PlanFacts { lead_unit_id: " ".into(), starts_on: None, inspectors: vec![], targets: vec![], ..plan(Routine) };
        assert_eq!(
            codes(&empty),
            [
                ("lead_unit", "field.required"),
                ("starts_on", "field.required"),
                ("targets", "inspection.targets.empty"),
                ("inspectors", "inspection.inspectors.empty")
            ]
        );
        let backwards = PlanFacts { ends_on: Some(d("2024-05-05")), ..plan(Routine) };
        assert_eq!(codes(&backwards), [("ends_on", "inspection.dates.end_before_start")]);
        let one_day = PlanFacts { ends_on: Some(d("2024-05-06")), ..plan(Routine) };
        assert_eq!(codes(&one_day), []);
    }

    #[test]
    fn special_enforcement_has_a_theme() {
        assert_eq!(codes(&plan(SpecialEnforcement)), [("theme", "inspection.theme.required")]);
        assert_eq!(codes(&PlanFacts { theme: "有限空间作业专项执法".into(), ..plan(SpecialEnforcement) }), []);
        assert_eq!(codes(&PlanFacts { theme: "题".repeat(THEME_MAX + 1), ..plan(SpecialEnforcement) }), [("theme", "field.too_long")]);
    }

    #[test]
    fn cross_enforcement_sends_someone_from_another_area_or_department() {
        // Only the target's own supervising department: not cross enforcement.
        assert_eq!(codes(&plan(CrossEnforcement)), [("inspectors", "inspection.cross.no_outsider")]);
        let other_department = PlanFacts { inspectors: vec![inspector("p2", "bureau-b", None)], ..plan(CrossEnforcement) };
        assert_eq!(codes(&other_department), []);
        let other_town = PlanFacts { inspectors: vec![inspector("p3", "bureau-a", Some("t2"))], ..plan(CrossEnforcement) };
        assert_eq!(codes(&other_town), []);
        let own_town = PlanFacts { inspectors: vec![inspector("p4", "town-1", Some("t1"))], ..plan(CrossEnforcement) };
        assert_eq!(codes(&own_town), [("inspectors", "inspection.cross.no_outsider")]);
        // Every target needs its outsider.
        let mut two = other_town.clone();
        two.targets.push(target("ent-2", "t2", &["bureau-a"]));
        assert_eq!(codes(&two), [("inspectors", "inspection.cross.no_outsider")]);
        two.inspectors.push(inspector("p5", "bureau-c", Some("t1")));
        assert_eq!(codes(&two), []);
    }

    #[test]
    fn peer_and_self_inspections() {
        let peer = PlanFacts { lead_unit_id: "ent-2".into(), inspectors: vec![inspector("q", "ent-2", None)], ..plan(PeerInspection) };
        assert_eq!(codes(&peer), []);
        let own = PlanFacts { inspectors: vec![inspector("q", "ent-1", None)], ..peer.clone() };
        assert_eq!(codes(&own), [("inspectors", "inspection.peer.own_unit")]);
        let own_site = PlanFacts { lead_unit_id: "ent-1".into(), inspectors: vec![inspector("q", "ent-1", None)], ..plan(SelfInspection) };
        assert_eq!(codes(&own_site), []);
        let elsewhere = PlanFacts { lead_unit_id: "ent-9".into(), ..own_site };
        assert_eq!(codes(&elsewhere), [("targets", "inspection.self.other_unit")]);
    }

    #[test]
    fn an_item_result_is_parsed_and_a_fail_needs_a_note() {
        assert_eq!(parse_item_result("pass", "").unwrap().result, CheckResult::Pass);
        assert_eq!(parse_item_result(" not_applicable ", "").unwrap().result, CheckResult::NotApplicable);
        assert_eq!(parse_item_result("fail", " ").unwrap_err(), [FieldError::new("item_note", "inspection.item.note_required")]);
        assert_eq!(parse_item_result("fail", "灭火器过期").unwrap().note, "灭火器过期");
        assert_eq!(parse_item_result("", "").unwrap_err()[0], FieldError::new("result", "field.required"));
        assert_eq!(parse_item_result("ok", "").unwrap_err()[0].code, "inspection.result.invalid");
        assert_eq!(parse_item_result("pass", &"字".repeat(NOTE_MAX + 1)).unwrap_err()[0].code, "field.too_long");
    }

    #[test]
    fn a_failed_item_becomes_a_hazard_draft() {
        let item = ChecklistItem { text: "消防器材完好有效".into(), category: Category::Thing, grade: Grade::General };
        let fail = ItemResult { result: CheckResult::Fail, note: "灭火器过期".into() };
        let h = hazard_from_finding(CovertInspection, &item, &fail, "ent-1", d("2024-05-06")).unwrap();
        assert_eq!(h.description, "消防器材完好有效：灭火器过期");
        assert_eq!(
            (h.origin, h.direction, h.category, h.grade),
            (Origin::CovertVisit, Direction::OrderedDown, Category::Thing, Grade::General)
        );
        assert_eq!((h.responsible_unit_id.as_str(), h.found_on, h.deadline), ("ent-1", d("2024-05-06"), None));
        assert_eq!(hazard_from_finding(Routine, &item, &fail, "ent-1", d("2024-05-06")).unwrap().origin, Origin::Inspection);
        let own = hazard_from_finding(SelfInspection, &item, &fail, "ent-1", d("2024-05-06")).unwrap();
        assert_eq!((own.origin, own.direction), (Origin::SelfCheck, Direction::ReportedUp));
        let major = ChecklistItem { grade: Grade::Major, ..item.clone() };
        assert_eq!(hazard_from_finding(Routine, &major, &fail, "ent-1", d("2024-05-06")).unwrap().grade, Grade::Major);
        let pass = ItemResult { result: CheckResult::Pass, note: String::new() };
        assert_eq!(hazard_from_finding(Routine, &item, &pass, "ent-1", d("2024-05-06")), None);
        let na = ItemResult { result: CheckResult::NotApplicable, note: String::new() };
        assert_eq!(hazard_from_finding(Routine, &item, &na, "ent-1", d("2024-05-06")), None);
        let long = ItemResult { result: CheckResult::Fail, note: "字".repeat(TEXT_MAX) };
        assert_eq!(hazard_from_finding(Routine, &item, &long, "ent-1", d("2024-05-06")).unwrap().description.chars().count(), TEXT_MAX);
    }

    #[test]
    fn inspections_are_counted_per_unit_kind_and_month_of_the_year_asked() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let rows = vec![
            ("应急局".to_string(), "routine".to_string(), d(2026, 1, 5)),
            ("应急局".to_string(), "routine".to_string(), d(2026, 1, 31)),
            ("应急局".to_string(), "covert_inspection".to_string(), d(2026, 3, 1)),
            ("潮泉镇".to_string(), "routine".to_string(), d(2026, 12, 31)),
            ("潮泉镇".to_string(), "routine".to_string(), d(2025, 12, 31)),
        ];
        let c = count_by_month(2026, &rows);
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].unit.as_str(), c[0].kind.as_str(), c[0].months[2], c[0].total), ("应急局", "covert_inspection", 1, 1));
        assert_eq!((c[1].months[0], c[1].total), (2, 2));
        assert_eq!((c[2].unit.as_str(), c[2].months[11], c[2].total), ("潮泉镇", 1, 1), "the 2025 one is not counted");
    }

    #[test]
    fn checklist_rows_take_chinese_labels_and_every_bad_row_is_named() {
        let row = |row, text: &str, category: &str, grade: &str| ChecklistRow {
            row,
            text: text.into(),
            category: category.into(),
            grade: grade.into(),
        };
        let ok = parse_checklist_rows(
            &[
                row(2, "动火作业票证齐全", "管理", ""),
                row(3, "可燃气体检测合格", "物", "重大"),
                row(4, "作业人员持证", "person", "general"),
            ],
            Grade::General,
        )
        .unwrap();
        assert_eq!(ok.len(), 3);
        assert_eq!((ok[0].category, ok[0].grade), (Category::Management, Grade::General));
        assert_eq!((ok[1].category, ok[1].grade), (Category::Thing, Grade::Major));
        assert_eq!(ok[2].category, Category::Person);

        let bad = parse_checklist_rows(
            &[row(2, "", "管理", ""), row(3, "通道畅通", "天气", "紧急"), row(4, "通道畅通", "环境", "")],
            Grade::General,
        )
        .unwrap_err();
        let named: Vec<(usize, &str, &str)> = bad.iter().map(|p| (p.row, p.field, p.code)).collect();
        assert_eq!(
            named,
            [
                (2, "text", "field.required"),
                (3, "category", "checklist.category.invalid"),
                (3, "grade", "hazard.grade.invalid"),
                (4, "text", "checklist.item.duplicate")
            ]
        );
        assert_eq!(parse_checklist_rows(&[], Grade::General).unwrap_err()[0].code, "checklist.items.empty");
    }
}
