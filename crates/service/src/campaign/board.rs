//! The evaluator and the boards (issue 5): for a campaign version, its obligations, a set of
//! subject units and a date, count what was recorded, compute the domain status of every
//! period, and keep the evidence (the ids and titles of the records that counted) and what is
//! missing. Nobody types a status in (ADR 0007).
//!
//! Set-based: each record source is read once per board (one query per source and chunk of
//! 500 units, grouped here by unit), never once per cell, so the city's board (every
//! committee, department and township × every obligation) is a handful of queries.
//!
//! Sources: activities (by kind and unit, dated by `held_on`; a quarterly report counts for
//! the quarter it names); published duty lists (leaders' lists, the sections' task division;
//! whether they pass the fit check); people in post on the day looked at; coverage summaries
//! (coverage; signatures within the grace period after a change of post, as `1 − stale ÷
//! people`); the enterprises' "1+N" ledgers per township; list spot checks; inspections of
//! the kinds the notice names, once completed, for the unit that led them (only obligations
//! without flags such as "led by the unit's leader", which inspections do not carry yet).
//! Hazards, case transfers, quizzes and pledges are not counted yet: their obligations show
//! `not_recorded`, never a silent 0. Levels (people in post, coverage,
//! ledgers) are read as they stand today, except people in post, read on the day looked at.
//!
//! A cell's status is the most pressing of its periods that have begun (missed, then at risk,
//! then on track, then met), leaving out periods an officer exempted; its periods carry each
//! one's own status and evidence.

use crate::campaign::{CampaignSummary, ObligationView, get as get_campaign, obligation_view, parsed};
use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::FieldError;
use anze_domain::auth::Scope;
use anze_domain::campaign::{
    Campaign, Condition, Filter, Measure, Metric, Obligation, Period, RecordKind, Status, SubjectFacts, SubjectKind, Tally,
};
use anze_domain::org::{INDUSTRIES, OrgKind};
use anze_store::repo::campaign::{self as repo, ACTIVITY_KINDS, UnitFacts};
use anze_store::repo::org::Organisation;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A cell whose records the platform does not keep yet.
pub const NOT_RECORDED: &str = "not_recorded";

/// A record that counted (or failed a share's condition).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvidenceItem {
    pub id: String,
    /// `activity`, `duty_list`, `employment`, `spot_check` …
    pub source: String,
    pub title: String,
    pub date: Option<NaiveDate>,
}

/// One period of one obligation for one unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeriodStanding {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
    /// `not_started`, `on_track`, `at_risk`, `missed`, `met`, or `not_recorded`.
    pub status: String,
    pub counted: f64,
    pub needed: f64,
    pub missing: f64,
    pub evidence: Vec<EvidenceItem>,
    pub against: Vec<EvidenceItem>,
    /// The reason of an officer's exemption, shown beside the status.
    pub exemption: Option<String>,
    /// What a level was read from when it has no record list (e.g. `12/15`).
    pub note: Option<String>,
}

/// One obligation for one unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Cell {
    pub obligation: String,
    pub organisation_id: String,
    /// The most pressing status of the periods begun: `not_started`, `on_track`, `at_risk`,
    /// `missed`, `met`, or `not_recorded` when the platform keeps no such records yet.
    pub status: String,
    /// Whether every period begun and not met carries an exemption.
    pub exempted: bool,
    /// The next due date of a period not yet met.
    pub next_due: Option<NaiveDate>,
    /// The periods, with evidence (left empty on the whole board; see the unit's list).
    pub periods: Vec<PeriodStanding>,
}

/// A row of the city board: a unit and its cells, one per column (`None`: not a subject).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardRow {
    pub organisation_id: String,
    pub name: String,
    pub kind: String,
    pub cells: Vec<Option<Cell>>,
}

/// The city office's board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub campaign: CampaignSummary,
    pub on: NaiveDate,
    /// The measure filtered on, if any.
    pub measure: Option<String>,
    pub columns: Vec<ObligationView>,
    pub rows: Vec<BoardRow>,
    /// Cells per status, most pressing first.
    pub totals: Vec<StatusCount>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub count: usize,
}

/// One obligation on a unit's to-do list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TodoItem {
    pub obligation: ObligationView,
    pub cell: Cell,
}

/// A unit's own obligations with due dates and status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitTodo {
    pub campaign: CampaignSummary,
    pub on: NaiveDate,
    pub organisation_id: String,
    pub name: String,
    pub kind: String,
    pub items: Vec<TodoItem>,
}

/// Which campaign, which measure, which day.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct BoardQuery {
    /// A campaign version's id; by default the one running on the day.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Only obligations of this measure (`12`, `work_plan`).
    #[serde(default)]
    pub measure: Option<String>,
    /// Only this obligation (a unit's list).
    #[serde(default)]
    pub obligation: Option<String>,
    /// The day to compute the status on (`2024-07-01`); today by default.
    #[serde(default)]
    pub on: Option<String>,
}

// ----- subjects ------------------------------------------------------------------------------

struct Subject {
    org: Organisation,
    facts: SubjectFacts,
}

fn subject_kind(k: OrgKind) -> Option<SubjectKind> {
    match k {
        OrgKind::CommitteeOffice => Some(SubjectKind::CommitteeOffice),
        OrgKind::SpecialCommittee => Some(SubjectKind::SpecialCommittee),
        OrgKind::Department => Some(SubjectKind::Department),
        OrgKind::TownshipOffice => Some(SubjectKind::TownshipOffice),
        OrgKind::Enterprise => Some(SubjectKind::Enterprise),
        _ => None,
    }
}

/// Whether a supervised prefix covers some high-risk industry of the catalogue.
fn supervises_high_risk(prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| INDUSTRIES.iter().any(|i| i.high_risk.is_some() && (i.code.starts_with(p.as_str()) || p.starts_with(i.code))))
}

fn subjects(orgs: Vec<Organisation>, f: &UnitFacts) -> Vec<Subject> {
    let flag = |id: &str, name: &str| f.flags.iter().any(|(o, g)| o == id && g == name);
    orgs.into_iter()
        .filter_map(|o| {
            let kind = subject_kind(OrgKind::parse(&o.kind)?)?;
            let enterprise = f.enterprises.iter().find(|e| e.organisation_id == o.id);
            let industries: Vec<String> = match enterprise {
                Some(e) => vec![e.industry_code.clone()],
                None => f.industries.iter().filter(|(d, _)| *d == o.id).map(|(_, c)| c.clone()).collect(),
            };
            let facts = SubjectFacts {
                kind,
                // Departments that supervise industries carry safety supervision duties (负有安全监管职责).
                enforcement_powers: kind == SubjectKind::Department && (!industries.is_empty() || flag(&o.id, "enforcement_powers")),
                comprehensive_enforcement: flag(&o.id, "comprehensive_enforcement"),
                committee_member: f.committee_members.contains(&o.id),
                high_risk: match enterprise {
                    Some(e) => e.high_risk_group.is_some(),
                    None => supervises_high_risk(&industries),
                },
                concentrated_risk: flag(&o.id, "concentrated_risk"),
                industries,
            };
            Some(Subject { org: o, facts })
        })
        .collect()
}

// ----- the records, read once per source -----------------------------------------------------

#[derive(Debug, Clone)]
struct Rec {
    id: String,
    source: &'static str,
    title: String,
    date: NaiveDate,
    /// The period a report concerns.
    label: Option<String>,
    filters: Vec<Filter>,
    /// Whether the record meets the share's condition, where one applies.
    ok: Option<bool>,
}

impl Rec {
    fn evidence(&self) -> EvidenceItem {
        EvidenceItem { id: self.id.clone(), source: self.source.to_string(), title: self.title.clone(), date: Some(self.date) }
    }
}

#[derive(Default)]
struct Data {
    /// Records by kind, then by unit.
    records: HashMap<RecordKind, HashMap<String, Vec<Rec>>>,
    /// Posts by (unit, tier): (employment id, post title).
    posts: HashMap<(String, String), Vec<(String, String)>>,
    /// Coverage by unit: (people, covered, stale).
    coverage: HashMap<String, (i64, i64, i64)>,
    /// Ledgers by township code: (enterprises, established).
    ledgers: HashMap<String, (i64, i64)>,
    /// Exemption reasons by (obligation, unit, period).
    exemptions: HashMap<(String, String, String), String>,
}

/// Whether the platform records this kind today, and so can count it.
fn recorded(kind: RecordKind, condition: Option<Condition>) -> bool {
    match (kind, condition) {
        (k, None) if ACTIVITY_KINDS.contains(&k) => true,
        (RecordKind::DutyListPublished, None | Some(Condition::FitCheckClear)) => true,
        (RecordKind::SpotCheck, None) => true,
        (RecordKind::Ledger, Some(Condition::LedgerEstablished)) => true,
        (RecordKind::PostChange, Some(Condition::SignedWithinGrace)) => true,
        _ => false,
    }
}

/// Record kinds that are inspections the platform records (issue 4), counted when completed.
fn is_inspection(kind: RecordKind) -> bool {
    anze_domain::inspection::InspectionKind::parse(kind.as_str()).is_some()
}

fn metric_recorded(m: &Metric) -> bool {
    match m {
        // Inspections carry no flags such as "led by the unit's leader" yet: only obligations
        // without such filters (a sensitive period is read from the date) can be counted.
        Metric::Count { record, filters } | Metric::ExistsBy { record, filters } if is_inspection(*record) => {
            filters.iter().all(|f| *f == Filter::InSensitivePeriod)
        }
        Metric::Count { record, .. } | Metric::ExistsBy { record, .. } => recorded(*record, None),
        Metric::Share { record, condition, .. } => recorded(*record, Some(*condition)),
        Metric::InOrder { first, then, .. } => recorded(*first, None) && recorded(*then, None),
        Metric::StaffInPost { .. } | Metric::Coverage => true,
    }
}

fn kinds_of(m: &Metric) -> Vec<RecordKind> {
    match m {
        Metric::Count { record, .. } | Metric::ExistsBy { record, .. } | Metric::Share { record, .. } => vec![*record],
        Metric::InOrder { first, then, .. } => vec![*first, *then],
        Metric::StaffInPost { .. } | Metric::Coverage => vec![],
    }
}

async fn load(
    ctx: &Ctx,
    actor: &Actor,
    campaign_id: &str,
    c: &Campaign,
    obligations: &[&Obligation],
    units: &[Subject],
    on: NaiveDate,
) -> ServiceResult<Data> {
    let db = &ctx.db.read;
    let ids: Vec<String> = units.iter().map(|s| s.org.id.clone()).collect();
    let mut d = Data::default();
    let kinds: HashSet<RecordKind> = obligations.iter().filter(|o| metric_recorded(&o.metric)).flat_map(|o| kinds_of(&o.metric)).collect();

    // Activities: one query for every kind the obligations count; a report on the last quarter
    // may come after the campaign's end, so read up to the last due date.
    let activity_kinds: Vec<RecordKind> = kinds.iter().copied().filter(|k| ACTIVITY_KINDS.contains(k)).collect();
    let until = (c.end + Duration::days(92)).min(on);
    if !activity_kinds.is_empty() && !ids.is_empty() {
        for a in repo::activities_between(db, &ctx.tenant, &activity_kinds, c.start, until, Some(&ids)).await? {
            let Some(kind) = RecordKind::parse(&a.kind) else { continue };
            let rec = Rec {
                filters: crate::campaign::activity::flags_of(&a),
                id: a.id,
                source: "activity",
                title: a.title,
                date: a.held_on,
                label: a.period_label,
                ok: None,
            };
            d.records.entry(kind).or_default().entry(a.organisation_id).or_default().push(rec);
        }
    }

    if kinds.contains(&RecordKind::DutyListPublished) {
        let fit_needed = obligations.iter().any(|o| matches!(o.metric, Metric::Share { condition: Condition::FitCheckClear, .. }));
        for l in anze_store::repo::duty::published_history(db, &ids).await? {
            let Some(at) = l.published_at else { continue };
            let mut filters = vec![];
            if matches!(l.tier.as_str(), "leader_in_charge" | "other_leader") {
                filters.push(Filter::LeadersLists);
            }
            if l.tier == "section" {
                filters.push(Filter::SectionDivision);
            }
            let rec = Rec {
                id: l.id,
                source: "duty_list",
                title: format!("{} v{}", l.title, l.version),
                date: anze_domain::time::local_date(at),
                label: None,
                filters,
                // Only the current version is judged by the fit check.
                ok: (fit_needed && l.state == "published").then_some(true),
            };
            d.records.entry(RecordKind::DutyListPublished).or_default().entry(l.organisation_id).or_default().push(rec);
        }
        if fit_needed {
            // The fit check compares a unit's lists item by item: a unit's own list only
            // (enterprises are never rows of the city board).
            for s in units.iter().filter(|s| s.facts.kind == SubjectKind::Enterprise) {
                let Ok(id) = Uuid::parse_str(&s.org.id) else { continue };
                let flagged: HashSet<String> = crate::duty::fit(ctx, actor, id)
                    .await?
                    .into_iter()
                    .filter(|f| f.dismissed.is_none())
                    .flat_map(|f| f.list_ids)
                    .collect();
                if let Some(recs) = d.records.get_mut(&RecordKind::DutyListPublished).and_then(|m| m.get_mut(&s.org.id)) {
                    for r in recs.iter_mut().filter(|r| r.ok.is_some()) {
                        r.ok = Some(!flagged.contains(&r.id));
                    }
                }
            }
        }
    }

    let inspection_kinds: Vec<&str> = kinds.iter().filter(|k| is_inspection(**k)).map(|k| k.as_str()).collect();
    if !inspection_kinds.is_empty() && !ids.is_empty() {
        let from = c.start.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - Duration::hours(8));
        let to = until.and_hms_opt(23, 59, 59).map(|t| t.and_utc() - Duration::hours(8));
        if let (Some(from), Some(to)) = (from, to) {
            for i in anze_store::repo::inspection::completed_led_by(db, &ctx.tenant, &ids, &inspection_kinds, from, to).await? {
                let (Some(kind), Some(unit), Some(at)) = (RecordKind::parse(&i.kind), i.lead_unit_id.clone(), i.completed_at) else {
                    continue;
                };
                let date = anze_domain::time::local_date(at);
                let title = if i.theme.is_empty() { format!("{} {date}", i.kind) } else { i.theme.clone() };
                let rec = Rec { id: i.id, source: "inspection", title, date, label: None, filters: vec![], ok: None };
                d.records.entry(kind).or_default().entry(unit).or_default().push(rec);
            }
        }
    }

    if kinds.contains(&RecordKind::SpotCheck) {
        let from = c.start.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - Duration::hours(8));
        let to = until.and_hms_opt(23, 59, 59).map(|t| t.and_utc() - Duration::hours(8));
        if let (Some(from), Some(to)) = (from, to) {
            for (id, org, at) in repo::spot_checks_between(db, &ids, from, to).await? {
                let date = anze_domain::time::local_date(at);
                let rec =
                    Rec { id, source: "spot_check", title: format!("清单抽查 {date}"), date, label: None, filters: vec![], ok: None };
                d.records.entry(RecordKind::SpotCheck).or_default().entry(org).or_default().push(rec);
            }
        }
    }

    let tiers: Vec<String> = obligations
        .iter()
        .filter_map(|o| match o.metric {
            Metric::StaffInPost { role } => Some(role.as_str().to_string()),
            _ => None,
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if !tiers.is_empty() {
        for (id, org, tier, title) in repo::posts_on(db, &ids, &tiers, on.min(c.end)).await? {
            d.posts.entry((org, tier)).or_default().push((id, title));
        }
    }

    let needs_coverage = obligations.iter().any(|o| {
        matches!(o.metric, Metric::Coverage | Metric::Share { record: RecordKind::PostChange, condition: Condition::SignedWithinGrace, .. })
    });
    if needs_coverage {
        for (org, people, covered, stale) in repo::coverage_of(db, &ids).await? {
            d.coverage.insert(org, (i64::from(people), i64::from(covered), i64::from(stale)));
        }
    }

    if kinds.contains(&RecordKind::Ledger) {
        // A township answers for every enterprise in it, whoever looks at its row: one pass over
        // the coverage summaries' covering index for the whole city (ADR 0009).
        let towns: std::collections::HashSet<&str> =
            units.iter().filter(|s| s.facts.kind == SubjectKind::TownshipOffice).filter_map(|s| s.org.township_code.as_deref()).collect();
        if !towns.is_empty() {
            let all = Scope { all: true, ..Default::default() };
            for l in anze_store::repo::ledger::counts(db, &ctx.tenant, &all).await? {
                let Some(code) = l.township_code.filter(|c| towns.contains(c.as_str())) else { continue };
                let e = d.ledgers.entry(code).or_default();
                e.0 += l.total;
                e.1 += l.established;
            }
        }
    }

    for e in repo::exemptions(db, &ctx.tenant, campaign_id).await? {
        d.exemptions.insert((e.obligation_code, e.organisation_id, e.period_label), e.reason);
    }
    Ok(d)
}

// ----- evaluating one cell -------------------------------------------------------------------

fn passes(r: &Rec, filters: &[Filter], c: &Campaign) -> bool {
    filters.iter().all(|f| match f {
        Filter::InSensitivePeriod => c.sensitive_periods.iter().any(|s| s.start <= r.date && r.date <= s.end),
        f => r.filters.contains(f),
    })
}

/// Whether a record falls in a period: a report in the period it names, else by its date.
fn in_period(r: &Rec, p: &Period, o: &Obligation) -> bool {
    match &r.label {
        Some(l) if o.period == anze_domain::campaign::PeriodKind::Quarter => *l == p.label,
        _ => p.contains(r.date),
    }
}

/// What one period counted: the tally, the records behind it, those that failed a share's
/// condition, and a note for a level read without a record list.
struct Counted {
    tally: Tally,
    evidence: Vec<EvidenceItem>,
    against: Vec<EvidenceItem>,
    note: Option<String>,
}

fn level(value: f64, needed: f64, evidence: Vec<EvidenceItem>, note: Option<String>) -> Counted {
    Counted { tally: Tally::level(value, needed, evidence.iter().map(|e| e.id.clone()).collect()), evidence, against: vec![], note }
}

/// The tally of one period, its evidence and what failed; `None` when not recorded.
fn tally(d: &Data, c: &Campaign, o: &Obligation, s: &Subject, p: &Period, on: NaiveDate) -> Option<Counted> {
    let needed = o.needed(c, p);
    let org = &s.org.id;
    let recs = |k: RecordKind| -> Vec<&Rec> {
        d.records.get(&k).and_then(|m| m.get(org)).map(|v| v.iter().filter(|r| r.date <= on).collect()).unwrap_or_default()
    };
    if !metric_recorded(&o.metric) {
        return None;
    }
    Some(match &o.metric {
        Metric::Count { record, filters } | Metric::ExistsBy { record, filters } => {
            let ev: Vec<EvidenceItem> =
                recs(*record).into_iter().filter(|r| in_period(r, p, o) && passes(r, filters, c)).map(Rec::evidence).collect();
            Counted { tally: Tally::count(ev.iter().map(|e| e.id.clone()).collect(), needed), evidence: ev, against: vec![], note: None }
        }
        Metric::Share { record, condition, filters } => match (record, condition) {
            (RecordKind::Ledger, Condition::LedgerEstablished) => {
                let (total, est) = s.org.township_code.as_ref().and_then(|t| d.ledgers.get(t)).copied().unwrap_or((0, 0));
                let ratio = if total == 0 { 1.0 } else { est as f64 / total as f64 };
                level(ratio, needed, vec![], Some(format!("{est}/{total}")))
            }
            (RecordKind::PostChange, Condition::SignedWithinGrace) => {
                let (people, _, stale) = d.coverage.get(org).copied().unwrap_or((0, 0, 0));
                let ratio = if people == 0 { 1.0 } else { (people - stale).max(0) as f64 / people as f64 };
                level(ratio, needed, vec![], Some(format!("{}/{people}", (people - stale).max(0))))
            }
            _ => {
                let (met, not): (Vec<&Rec>, Vec<&Rec>) = recs(*record)
                    .into_iter()
                    .filter(|r| in_period(r, p, o) && passes(r, filters, c) && r.ok.is_some())
                    .partition(|r| r.ok == Some(true));
                let (met, not): (Vec<EvidenceItem>, Vec<EvidenceItem>) =
                    (met.into_iter().map(Rec::evidence).collect(), not.into_iter().map(Rec::evidence).collect());
                let tally = Tally::share(met.iter().map(|e| e.id.clone()).collect(), not.iter().map(|e| e.id.clone()).collect(), needed);
                Counted { tally, evidence: met, against: not, note: None }
            }
        },
        Metric::InOrder { first, then, filters } => {
            let firsts: Vec<&Rec> = recs(*first).into_iter().filter(|r| in_period(r, p, o)).collect();
            let earliest = firsts.iter().min_by_key(|r| r.date);
            let second = earliest.and_then(|f| {
                recs(*then).into_iter().filter(|r| in_period(r, p, o) && passes(r, filters, c) && r.date >= f.date).min_by_key(|r| r.date)
            });
            match (earliest, second) {
                (Some(a), Some(b)) => level(1.0, needed, vec![a.evidence(), b.evidence()], None),
                (Some(a), None) => level(0.0, needed, vec![a.evidence()], None),
                _ => level(0.0, needed, vec![], None),
            }
        }
        Metric::StaffInPost { role } => {
            let posts = d.posts.get(&(org.clone(), role.as_str().to_string())).cloned().unwrap_or_default();
            let ev: Vec<EvidenceItem> =
                posts.into_iter().map(|(id, title)| EvidenceItem { id, source: "employment".into(), title, date: None }).collect();
            level(ev.len() as f64, needed, ev, None)
        }
        Metric::Coverage => {
            let (people, covered, _) = d.coverage.get(org).copied().unwrap_or((0, 0, 0));
            let ratio = if people == 0 { 0.0 } else { covered as f64 / people as f64 };
            level(ratio, needed, vec![], Some(format!("{covered}/{people}")))
        }
    })
}

fn severity(s: &str) -> u8 {
    match s {
        "missed" => 4,
        "at_risk" => 3,
        "on_track" => 2,
        "met" => 1,
        _ => 0,
    }
}

fn cell(d: &Data, c: &Campaign, o: &Obligation, s: &Subject, on: NaiveDate) -> Cell {
    let mut periods = vec![];
    for p in o.periods(c) {
        let exemption = d.exemptions.get(&(o.code.clone(), s.org.id.clone(), p.label.clone())).cloned();
        let standing = match tally(d, c, o, s, &p, on) {
            Some(Counted { tally: t, evidence, against, note }) => PeriodStanding {
                status: o.status_on(c, &p, t.counted, on).as_str().to_string(),
                counted: t.counted,
                needed: t.needed,
                missing: t.missing,
                evidence,
                against,
                exemption,
                note,
                label: p.label,
                start: p.start,
                end: p.end,
                due: p.due,
            },
            None => PeriodStanding {
                status: NOT_RECORDED.to_string(),
                counted: 0.0,
                needed: o.needed(c, &p),
                missing: o.needed(c, &p),
                evidence: vec![],
                against: vec![],
                exemption,
                note: None,
                label: p.label,
                start: p.start,
                end: p.end,
                due: p.due,
            },
        };
        periods.push(standing);
    }
    let begun: Vec<&PeriodStanding> = periods.iter().filter(|p| p.start <= on).collect();
    let open: Vec<&PeriodStanding> = begun.iter().copied().filter(|p| p.exemption.is_none() || p.status == Status::Met.as_str()).collect();
    let worst = |ps: &[&PeriodStanding]| ps.iter().max_by_key(|p| severity(&p.status)).map(|p| p.status.clone());
    let status = if !metric_recorded(&o.metric) {
        NOT_RECORDED.to_string()
    } else {
        worst(&open).or_else(|| worst(&begun)).unwrap_or_else(|| Status::NotStarted.as_str().to_string())
    };
    let exempted = open.is_empty() && !begun.is_empty() && begun.iter().any(|p| p.exemption.is_some());
    let next_due = periods.iter().filter(|p| p.status != Status::Met.as_str() && p.due >= on).map(|p| p.due).min();
    Cell { obligation: o.code.clone(), organisation_id: s.org.id.clone(), status, exempted, next_due, periods }
}

// ----- the boards ----------------------------------------------------------------------------

fn parse_on(q: &BoardQuery) -> ServiceResult<NaiveDate> {
    match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(anze_domain::time::local_date(chrono::Utc::now())),
        Some(t) => anze_domain::time::parse_date(t)
            .ok_or_else(|| ServiceError::Invalid(vec![FieldError::new("on", "field.date_invalid").with_detail(t)])),
    }
}

async fn chosen(ctx: &Ctx, actor: &Actor, q: &BoardQuery, on: NaiveDate) -> ServiceResult<Option<(CampaignSummary, Campaign)>> {
    match q.campaign.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => {
            let id = Uuid::parse_str(id).map_err(|_| ServiceError::NotFound)?;
            get_campaign(ctx, actor, id).await.map(Some)
        }
        None => match crate::campaign::current(ctx, on).await? {
            Some(row) => {
                let c = parsed(&row)?;
                let id = Uuid::parse_str(&row.id).map_err(|e| ServiceError::Internal(e.to_string()))?;
                get_campaign(ctx, actor, id).await.map(|(s, _)| Some((s, c)))
            }
            None => Ok(None),
        },
    }
}

fn measure_filter(q: &BoardQuery) -> ServiceResult<Option<Measure>> {
    match q.measure.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some("work_plan") => Ok(Some(Measure::WorkPlan)),
        Some(t) => match t.parse::<u8>() {
            Ok(n) if (1..=Measure::MAX).contains(&n) => Ok(Some(Measure::Numbered(n))),
            _ => Err(ServiceError::Invalid(vec![FieldError::new("measure", "campaign.measure.unknown").with_detail(t)])),
        },
    }
}

/// The city office's board: every committee, department and township in the caller's scope
/// against every obligation whose subjects are of those kinds (optionally of one measure).
/// `None` when no campaign is loaded.
#[tracing::instrument(level = "debug", skip(ctx, actor))]
pub async fn board(ctx: &Ctx, actor: &Actor, q: &BoardQuery) -> ServiceResult<Option<Board>> {
    let on = parse_on(q)?;
    let measure = measure_filter(q)?;
    let Some((summary, c)) = chosen(ctx, actor, q, on).await? else { return Ok(None) };
    let board_kinds = [SubjectKind::CommitteeOffice, SubjectKind::SpecialCommittee, SubjectKind::Department, SubjectKind::TownshipOffice];
    let obligations: Vec<&Obligation> =
        c.obligations.iter().filter(|o| board_kinds.contains(&o.subjects.kind) && measure.is_none_or(|m| o.measure == m)).collect();
    let orgs = repo::board_units(&ctx.db.read, &ctx.tenant, &actor.scope()).await?;
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let facts = repo::unit_facts(&ctx.db.read, &ctx.tenant, &ids).await?;
    let units = subjects(orgs, &facts);
    let data = load(ctx, actor, &summary.id, &c, &obligations, &units, on).await?;
    let mut totals: HashMap<String, usize> = HashMap::new();
    let rows = units
        .iter()
        .map(|s| BoardRow {
            organisation_id: s.org.id.clone(),
            name: s.org.name.clone(),
            kind: s.org.kind.clone(),
            cells: obligations
                .iter()
                .map(|o| {
                    o.subjects.matches(&s.facts).then(|| {
                        let mut cell = cell(&data, &c, o, s, on);
                        *totals.entry(cell.status.clone()).or_default() += 1;
                        cell.periods.clear();
                        cell
                    })
                })
                .collect(),
        })
        .collect();
    let mut totals: Vec<StatusCount> = totals.into_iter().map(|(status, count)| StatusCount { status, count }).collect();
    totals.sort_by_key(|t| std::cmp::Reverse(severity(&t.status)));
    Ok(Some(Board {
        measure: measure.map(Measure::label),
        columns: obligations.iter().map(|o| obligation_view(&c, o)).collect(),
        rows,
        totals,
        campaign: summary,
        on,
    }))
}

/// One unit's own obligations as a to-do list, most pressing first, each with its periods,
/// due dates and evidence. Out of scope is `NotFound`; `None` when no campaign is loaded.
#[tracing::instrument(level = "debug", skip(ctx, actor))]
pub async fn unit(ctx: &Ctx, actor: &Actor, id: Uuid, q: &BoardQuery) -> ServiceResult<Option<UnitTodo>> {
    let (o, _) = crate::scope::organisation(ctx, actor, id).await?;
    let on = parse_on(q)?;
    let measure = measure_filter(q)?;
    let Some((summary, c)) = chosen(ctx, actor, q, on).await? else { return Ok(None) };
    let facts = repo::unit_facts(&ctx.db.read, &ctx.tenant, std::slice::from_ref(&o.id)).await?;
    let (name, kind) = (o.name.clone(), o.kind.clone());
    let units = subjects(vec![o], &facts);
    let only = q.obligation.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let obligations: Vec<&Obligation> = c
        .obligations
        .iter()
        .filter(|ob| units.first().is_some_and(|s| ob.subjects.matches(&s.facts)))
        .filter(|ob| measure.is_none_or(|m| ob.measure == m) && only.is_none_or(|code| ob.code == code))
        .collect();
    let data = load(ctx, actor, &summary.id, &c, &obligations, &units, on).await?;
    let mut items: Vec<TodoItem> = match units.first() {
        Some(s) => {
            obligations.iter().map(|ob| TodoItem { obligation: obligation_view(&c, ob), cell: cell(&data, &c, ob, s, on) }).collect()
        }
        None => vec![],
    };
    items.sort_by_key(|i| (std::cmp::Reverse(severity(&i.cell.status)), i.cell.next_due.unwrap_or(NaiveDate::MAX)));
    Ok(Some(UnitTodo { campaign: summary, on, organisation_id: id.to_string(), name, kind, items }))
}

/// The cells, on `on`, of every unit of the tenant subject to the obligations of `c` that
/// `keep` retains and the platform records: the records are read once for all units, then
/// each cell is evaluated as on the boards (the daily reminders, issue 5). Each cell names
/// its unit and obligation.
pub(crate) async fn all_cells(
    ctx: &Ctx,
    campaign_id: &str,
    c: &Campaign,
    keep: &(dyn Fn(&Obligation) -> bool + Sync),
    on: NaiveDate,
) -> ServiceResult<Vec<Cell>> {
    let actor = Actor::system("reminders");
    let obligations: Vec<&Obligation> = c.obligations.iter().filter(|o| metric_recorded(&o.metric) && keep(o)).collect();
    let kinds: Vec<String> = obligations
        .iter()
        .filter_map(|o| o.subjects.kind.org_kind())
        .map(|k| k.as_str().to_string())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if kinds.is_empty() {
        return Ok(vec![]);
    }
    let orgs = anze_store::repo::notify::units_of_kinds(&ctx.db.read, &ctx.tenant, &kinds).await?;
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let facts = repo::unit_facts(&ctx.db.read, &ctx.tenant, &ids).await?;
    let units = subjects(orgs, &facts);
    let data = load(ctx, &actor, campaign_id, c, &obligations, &units, on).await?;
    let mut out = vec![];
    for s in &units {
        for o in obligations.iter().filter(|o| o.subjects.matches(&s.facts)) {
            out.push(cell(&data, c, o, s, on));
        }
    }
    Ok(out)
}

/// The board as an .xlsx workbook, in the language of `t` (a message lookup): one row per unit,
/// one column per obligation, each cell its status; a second sheet lists the obligations.
pub fn board_xlsx(b: &Board, t: &dyn Fn(&str) -> String) -> ServiceResult<Vec<u8>> {
    use rust_xlsxwriter::{Color, Format, Workbook};
    let xerr = |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(e.to_string());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t("board-sheet")).map_err(xerr)?;
    let bold = Format::new().set_bold().set_text_wrap();
    let fill = |c: u32| Format::new().set_background_color(Color::RGB(c));
    let formats: HashMap<&str, Format> = [
        ("met", fill(0xC6EFCE)),
        ("on_track", fill(0xE2F0D9)),
        ("at_risk", fill(0xFFEB9C)),
        ("missed", fill(0xFFC7CE)),
        ("not_started", fill(0xEDEDED)),
        (NOT_RECORDED, fill(0xD9D9D9)),
    ]
    .into_iter()
    .collect();
    ws.write_string_with_format(0, 0, t("board-unit"), &bold).map_err(xerr)?;
    ws.write_string_with_format(0, 1, t("board-unit-kind"), &bold).map_err(xerr)?;
    ws.set_column_width(0, 28).map_err(xerr)?;
    ws.set_column_width(1, 12).map_err(xerr)?;
    for (i, col) in b.columns.iter().enumerate() {
        let c = (i + 2) as u16;
        ws.write_string_with_format(0, c, &col.code, &bold).map_err(xerr)?;
        ws.set_column_width(c, 14).map_err(xerr)?;
    }
    for (r, row) in b.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        ws.write_string(r, 0, &row.name).map_err(xerr)?;
        ws.write_string(r, 1, t(&format!("kind-{}", row.kind))).map_err(xerr)?;
        for (i, cell) in row.cells.iter().enumerate() {
            let Some(cell) = cell else { continue };
            let mut text = t(&format!("campaign-status-{}", cell.status));
            if cell.exempted {
                text = format!("{text}（{}）", t("campaign-exempted"));
            }
            match formats.get(cell.status.as_str()) {
                Some(f) => ws.write_string_with_format(r, (i + 2) as u16, text, f),
                None => ws.write_string(r, (i + 2) as u16, text),
            }
            .map_err(xerr)?;
        }
    }
    ws.set_freeze_panes(1, 2).map_err(xerr)?;
    let ws2 = wb.add_worksheet();
    ws2.set_name(t("board-sheet-obligations")).map_err(xerr)?;
    let heads = ["board-obligation-code", "board-measure", "board-words", "board-metric", "board-threshold", "board-period"];
    for (i, h) in heads.iter().enumerate() {
        ws2.write_string_with_format(0, i as u16, t(h), &bold).map_err(xerr)?;
    }
    ws2.set_column_width(2, 60).map_err(xerr)?;
    for (r, col) in b.columns.iter().enumerate() {
        let r = (r + 1) as u32;
        ws2.write_string(r, 0, &col.code).map_err(xerr)?;
        ws2.write_string(r, 1, &col.measure).map_err(xerr)?;
        ws2.write_string(r, 2, &col.words).map_err(xerr)?;
        ws2.write_string(r, 3, t(&format!("campaign-metric-{}", col.metric))).map_err(xerr)?;
        ws2.write_number(r, 4, col.threshold).map_err(xerr)?;
        ws2.write_string(r, 5, t(&format!("campaign-period-{}", col.period))).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}
