//! Who may do what, where. Two axes, as in the notice: territory (属地: a region subtree) and
//! sector (行业: the industries a department supervises). A user holds role assignments;
//! each has a scope. `can` is the one place that decides access to an object; `Scope` is
//! also what every list query filters by, so a list never shows what a detail page refuses.

use crate::org::{INDUSTRIES, OrgKind, region_path_upper_bound};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CityAdmin,
    CommitteeOffice,
    SpecialCommitteeOffice,
    DepartmentLeader,
    DepartmentInspector,
    TownshipOfficer,
    GridWorker,
    EnterpriseAdmin,
    SafetyManager,
    Employee,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Self::CityAdmin,
        Self::CommitteeOffice,
        Self::SpecialCommitteeOffice,
        Self::DepartmentLeader,
        Self::DepartmentInspector,
        Self::TownshipOfficer,
        Self::GridWorker,
        Self::EnterpriseAdmin,
        Self::SafetyManager,
        Self::Employee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CityAdmin => "city_admin",
            Self::CommitteeOffice => "committee_office",
            Self::SpecialCommitteeOffice => "special_committee_office",
            Self::DepartmentLeader => "department_leader",
            Self::DepartmentInspector => "department_inspector",
            Self::TownshipOfficer => "township_officer",
            Self::GridWorker => "grid_worker",
            Self::EnterpriseAdmin => "enterprise_admin",
            Self::SafetyManager => "safety_manager",
            Self::Employee => "employee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn sql_list() -> String {
        Self::ALL.iter().map(|r| format!("'{}'", r.as_str())).collect::<Vec<_>>().join(",")
    }

    /// Roles that act for one organisation only (their scope is that organisation).
    pub fn is_organisation_bound(self) -> bool {
        matches!(self, Self::EnterpriseAdmin | Self::SafetyManager | Self::Employee)
    }
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read an object or a list of them.
    View,
    /// Change an object's record (base record, people, posts).
    Edit,
    /// Create organisations and enterprises, import lists.
    Create,
    /// Manage user accounts.
    ManageUsers,
    /// Inspect an enterprise as an official (list spot checks): government roles with
    /// inspection powers; grid workers patrol and report but do not inspect.
    Inspect,
    /// Report a hazard at a unit (measure 13, 16): everyone who sees an enterprise (its own
    /// people, grid workers, officials), and a government unit's own staff for their unit.
    Report,
}

impl Role {
    /// Roles with inspection powers over the enterprises they see.
    pub fn inspects(self) -> bool {
        matches!(
            self,
            Self::CityAdmin
                | Self::CommitteeOffice
                | Self::SpecialCommitteeOffice
                | Self::DepartmentLeader
                | Self::DepartmentInspector
                | Self::TownshipOfficer
        )
    }
}

/// One role held over one scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub role: Role,
    /// Territory: a region path whose subtree this assignment covers (`None`: whole tenant).
    pub region_path: Option<String>,
    /// Organisation-bound roles: the organisation. Departments and committees: their own unit.
    pub organisation_id: Option<Uuid>,
    /// Sector: industries (GB/T 4754 prefixes) a department supervises; empty = none.
    pub industries: Vec<String>,
}

/// What is known about an object when deciding access to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: OrgKind,
    pub organisation_id: Uuid,
    pub region_path: String,
    pub industry_code: Option<String>,
}

fn in_subtree(path: &str, root: &str) -> bool {
    path >= root && path < region_path_upper_bound(root).as_str()
}

/// Whether `code` lies in one of the supervised industry prefixes.
pub fn industry_covered(supervised: &[String], code: &str) -> bool {
    supervised.iter().any(|p| code.starts_with(p.as_str()))
}

/// Every catalogue code covered by the supervised prefixes (for SQL `IN` lists).
pub fn expand_industries(supervised: &[String]) -> Vec<String> {
    INDUSTRIES.iter().filter(|i| industry_covered(supervised, i.code)).map(|i| i.code.to_string()).collect()
}

impl Assignment {
    fn territory_covers(&self, target: &Target) -> bool {
        self.region_path.as_deref().is_none_or(|root| in_subtree(&target.region_path, root))
    }

    /// Whether this assignment lets its holder see `target`.
    pub fn sees(&self, target: &Target) -> bool {
        let own = self.organisation_id == Some(target.organisation_id);
        match self.role {
            Role::CityAdmin | Role::CommitteeOffice => self.territory_covers(target),
            Role::TownshipOfficer | Role::GridWorker => own || (self.territory_covers(target) && target.kind == OrgKind::Enterprise),
            Role::SpecialCommitteeOffice | Role::DepartmentLeader | Role::DepartmentInspector => {
                own || (target.kind == OrgKind::Enterprise
                    && self.territory_covers(target)
                    && target.industry_code.as_deref().is_some_and(|c| industry_covered(&self.industries, c)))
                    || (target.kind.is_government() && self.territory_covers(target) && self.role != Role::DepartmentInspector)
            }
            Role::EnterpriseAdmin | Role::SafetyManager | Role::Employee => own,
        }
    }

    /// Whether this assignment lets its holder do `action` to `target`.
    pub fn permits(&self, action: Action, target: &Target) -> bool {
        if !self.sees(target) {
            return false;
        }
        match action {
            Action::View => true,
            Action::Edit => match self.role {
                Role::CityAdmin | Role::CommitteeOffice => true,
                Role::TownshipOfficer | Role::DepartmentLeader | Role::SpecialCommitteeOffice => {
                    target.kind == OrgKind::Enterprise || self.organisation_id == Some(target.organisation_id)
                }
                Role::EnterpriseAdmin | Role::SafetyManager => target.kind == OrgKind::Enterprise,
                Role::DepartmentInspector | Role::GridWorker | Role::Employee => false,
            },
            // Government units (departments, committees, township offices) are the city office's
            // to set up; enterprises are registered by the officials who supervise them.
            Action::Create if target.kind.is_government() => matches!(self.role, Role::CityAdmin | Role::CommitteeOffice),
            Action::Create => matches!(self.role, Role::CityAdmin | Role::CommitteeOffice | Role::TownshipOfficer | Role::DepartmentLeader),
            Action::ManageUsers => matches!(self.role, Role::CityAdmin),
            Action::Inspect => self.role.inspects() && target.kind == OrgKind::Enterprise,
            Action::Report => target.kind == OrgKind::Enterprise || self.organisation_id == Some(target.organisation_id),
        }
    }
}

/// The one access decision: any assignment that permits it suffices.
pub fn can(assignments: &[Assignment], action: Action, target: &Target) -> bool {
    assignments.iter().any(|a| a.permits(action, target))
}

/// Whether a user may do `action` at all somewhere (menus, routes without an object).
pub fn can_somewhere(assignments: &[Assignment], action: Action) -> bool {
    assignments.iter().any(|a| match action {
        Action::View => true,
        Action::Edit => !matches!(a.role, Role::DepartmentInspector | Role::GridWorker | Role::Employee),
        Action::Create => matches!(a.role, Role::CityAdmin | Role::CommitteeOffice | Role::TownshipOfficer | Role::DepartmentLeader),
        Action::ManageUsers => a.role == Role::CityAdmin,
        Action::Inspect => a.role.inspects(),
        Action::Report => true,
    })
}

/// The list filter derived from a user's assignments; `store` turns it into SQL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// `true`: the whole tenant, no filter.
    pub all: bool,
    /// Any organisation in one of these region subtrees (city admin, committee office).
    pub all_kinds_in: Vec<String>,
    /// Enterprises in one of these subtrees (township officers, grid workers).
    pub enterprises_in: Vec<String>,
    /// Enterprises of these industries within the subtree (departments, special committees).
    pub sector: Vec<(Option<String>, Vec<String>)>,
    /// Government organisations within these subtrees (department leaders see peers).
    pub government_in: Vec<String>,
    /// These organisations themselves.
    pub organisations: Vec<Uuid>,
}

impl Scope {
    pub fn of(assignments: &[Assignment]) -> Scope {
        let mut s = Scope::default();
        let root = |a: &Assignment| a.region_path.clone().unwrap_or_else(|| "/".to_string());
        for a in assignments {
            if let Some(id) = a.organisation_id {
                s.organisations.push(id);
            }
            match a.role {
                Role::CityAdmin | Role::CommitteeOffice => {
                    if a.region_path.is_none() {
                        s.all = true;
                    } else {
                        s.all_kinds_in.push(root(a));
                    }
                }
                Role::TownshipOfficer | Role::GridWorker => s.enterprises_in.push(root(a)),
                Role::SpecialCommitteeOffice | Role::DepartmentLeader | Role::DepartmentInspector => {
                    s.sector.push((a.region_path.clone(), expand_industries(&a.industries)));
                    if a.role != Role::DepartmentInspector {
                        s.government_in.push(root(a));
                    }
                }
                Role::EnterpriseAdmin | Role::SafetyManager | Role::Employee => {}
            }
        }
        s
    }

    /// The same decision as `Assignment::sees`, for checking that list and detail agree.
    pub fn admits(&self, t: &Target) -> bool {
        self.all
            || self.organisations.contains(&t.organisation_id)
            || self.all_kinds_in.iter().any(|r| in_subtree(&t.region_path, r))
            || (t.kind == OrgKind::Enterprise && self.enterprises_in.iter().any(|r| in_subtree(&t.region_path, r)))
            || (t.kind.is_government() && self.government_in.iter().any(|r| in_subtree(&t.region_path, r)))
            || (t.kind == OrgKind::Enterprise
                && self.sector.iter().any(|(r, codes)| {
                    r.as_deref().is_none_or(|r| in_subtree(&t.region_path, r))
                        && t.industry_code.as_ref().is_some_and(|c| codes.contains(c))
                }))
    }
}

/// Password policies: 等保 (China's graded protection: length 8, three of four classes,
/// change every 90 days) and OWASP ASVS (length 12, no composition rules, a blocklist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PasswordPolicy {
    #[default]
    Dengbao,
    Asvs,
}

const BLOCKLIST: &[&str] = &[
    "password",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "11111111",
    "88888888",
    "iloveyou",
    "admin123",
    "password1",
    "Password1",
    "P@ssw0rd",
    "Passw0rd!",
    "abc12345",
    "Aa123456",
    "qwerty123",
    "1q2w3e4r",
    "anze123456",
    "000000000000",
    "123456789012",
    "passwordpassword",
    "administrator",
];

impl PasswordPolicy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "dengbao" => Some(Self::Dengbao),
            "asvs" => Some(Self::Asvs),
            _ => None,
        }
    }

    pub fn min_len(self) -> usize {
        match self {
            Self::Dengbao => 8,
            Self::Asvs => 12,
        }
    }

    /// Days after which a password must be changed (`None`: never forced).
    pub fn max_age_days(self) -> Option<i64> {
        match self {
            Self::Dengbao => Some(90),
            Self::Asvs => None,
        }
    }

    /// Checks a new password; the error code names the broken rule.
    pub fn check(self, password: &str, username: &str) -> Result<(), &'static str> {
        let len = password.chars().count();
        if len < self.min_len() {
            return Err("password.too_short");
        }
        if len > 128 {
            return Err("password.too_long");
        }
        if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
            return Err("password.contains_username");
        }
        match self {
            Self::Dengbao => {
                let classes = [
                    password.chars().any(|c| c.is_ascii_lowercase()),
                    password.chars().any(|c| c.is_ascii_uppercase()),
                    password.chars().any(|c| c.is_ascii_digit()),
                    password.chars().any(|c| !c.is_ascii_alphanumeric()),
                ];
                if classes.iter().filter(|c| **c).count() < 3 {
                    return Err("password.classes");
                }
            }
            Self::Asvs => {
                if BLOCKLIST.iter().any(|b| b.eq_ignore_ascii_case(password)) {
                    return Err("password.blocklisted");
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOWN_A: &str = "/370000/370900/370983/370983100";
    const TOWN_B: &str = "/370000/370900/370983/370983101";

    fn ent(town: &str, industry: &str) -> Target {
        Target {
            kind: OrgKind::Enterprise,
            organisation_id: Uuid::from_u128(7),
            region_path: format!("{town}/370983100201"),
            industry_code: Some(industry.into()),
        }
    }

    fn assign(role: Role, region: Option<&str>, org: Option<u128>, industries: &[&str]) -> Assignment {
        Assignment {
            role,
            region_path: region.map(String::from),
            organisation_id: org.map(Uuid::from_u128),
            industries: industries.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn hazards_are_reported_by_whoever_sees_the_enterprise_but_government_units_only_by_their_own_staff() {
        let grid = [assign(Role::GridWorker, Some(TOWN_A), None, &[])];
        assert!(can(&grid, Action::Report, &ent(TOWN_A, "26")));
        assert!(!can(&grid, Action::Report, &ent(TOWN_B, "26")), "outside the grid worker's town");
        let employee = [assign(Role::Employee, None, Some(7), &[])];
        assert!(can(&employee, Action::Report, &ent(TOWN_A, "26")));
        let department = Target { kind: OrgKind::Department, organisation_id: Uuid::from_u128(9), ..ent(TOWN_A, "26") };
        let city = [assign(Role::CommitteeOffice, Some(TOWN_A), Some(1), &[])];
        assert!(can(&city, Action::View, &department));
        assert!(!can(&city, Action::Report, &department), "another unit's hazards are its own staff's to report");
        let own = [assign(Role::DepartmentLeader, Some(TOWN_A), Some(9), &[])];
        assert!(can(&own, Action::Report, &department));
    }

    #[test]
    fn township_sees_only_its_own_territory() {
        let a = [assign(Role::TownshipOfficer, Some(TOWN_A), Some(1), &[])];
        assert!(can(&a, Action::View, &ent(TOWN_A, "26")));
        assert!(can(&a, Action::Edit, &ent(TOWN_A, "26")));
        assert!(!can(&a, Action::View, &ent(TOWN_B, "26")));
    }

    #[test]
    fn department_sees_its_sector_anywhere_in_its_region() {
        let a = [assign(Role::DepartmentInspector, Some("/370000/370900/370983"), Some(2), &["26"])];
        assert!(can(&a, Action::View, &ent(TOWN_B, "2672")));
        assert!(!can(&a, Action::View, &ent(TOWN_B, "47")));
        assert!(!can(&a, Action::Edit, &ent(TOWN_B, "26")));
    }

    #[test]
    fn only_the_city_office_sets_up_government_units() {
        let department =
            Target { kind: OrgKind::Department, organisation_id: Uuid::from_u128(9), region_path: TOWN_A.into(), industry_code: None };
        for (role, may) in [
            (Role::CityAdmin, true),
            (Role::CommitteeOffice, true),
            (Role::DepartmentLeader, false),
            (Role::SpecialCommitteeOffice, false),
            (Role::TownshipOfficer, false),
        ] {
            let a = [assign(role, Some("/370000/370900/370983"), None, &["26"])];
            assert_eq!(can(&a, Action::Create, &department), may, "{role:?}");
        }
        // Enterprises stay the business of the officials who supervise them.
        let leader = [assign(Role::DepartmentLeader, Some("/370000/370900/370983"), None, &["26"])];
        assert!(can(&leader, Action::Create, &ent(TOWN_A, "26")));
    }

    #[test]
    fn enterprise_roles_see_only_their_enterprise() {
        let a = [assign(Role::EnterpriseAdmin, None, Some(7), &[])];
        assert!(can(&a, Action::Edit, &ent(TOWN_A, "26")));
        let mut other = ent(TOWN_A, "26");
        other.organisation_id = Uuid::from_u128(8);
        assert!(!can(&a, Action::View, &other));
        assert!(!can(&a, Action::Create, &other));
    }

    #[test]
    fn scope_admits_exactly_what_assignments_see() {
        let cases = [
            assign(Role::CityAdmin, None, None, &[]),
            assign(Role::CommitteeOffice, Some(TOWN_A), None, &[]),
            assign(Role::TownshipOfficer, Some(TOWN_A), Some(1), &[]),
            assign(Role::GridWorker, Some(TOWN_B), Some(1), &[]),
            assign(Role::DepartmentLeader, Some("/370000/370900/370983"), Some(2), &["26", "47"]),
            assign(Role::DepartmentInspector, None, Some(2), &["54"]),
            assign(Role::EnterpriseAdmin, None, Some(7), &[]),
            assign(Role::Employee, None, Some(8), &[]),
        ];
        let mut targets = vec![];
        for town in [TOWN_A, TOWN_B] {
            for ind in ["26", "2672", "47", "54", "62"] {
                targets.push(ent(town, ind));
            }
            for kind in [OrgKind::Department, OrgKind::TownshipOffice] {
                targets.push(Target { kind, organisation_id: Uuid::from_u128(1), region_path: town.into(), industry_code: None });
            }
        }
        for a in &cases {
            let scope = Scope::of(std::slice::from_ref(a));
            for t in &targets {
                assert_eq!(scope.admits(t), a.sees(t), "{a:?} {t:?}");
            }
        }
    }

    #[test]
    fn officials_inspect_enterprises_they_see_and_enterprise_roles_do_not() {
        let inspector = [assign(Role::DepartmentInspector, Some("/370000/370900/370983"), Some(2), &["26"])];
        assert!(can(&inspector, Action::Inspect, &ent(TOWN_B, "2672")));
        assert!(!can(&inspector, Action::Inspect, &ent(TOWN_B, "47")), "outside the sector");
        let town = [assign(Role::TownshipOfficer, Some(TOWN_A), Some(1), &[])];
        assert!(can(&town, Action::Inspect, &ent(TOWN_A, "47")));
        assert!(!can(&town, Action::Inspect, &ent(TOWN_B, "47")));
        for role in [Role::GridWorker, Role::EnterpriseAdmin, Role::SafetyManager, Role::Employee] {
            let a = [assign(role, Some(TOWN_A), Some(7), &[])];
            assert!(!can(&a, Action::Inspect, &ent(TOWN_A, "26")), "{role:?}");
            assert!(!can_somewhere(&a, Action::Inspect), "{role:?}");
        }
    }

    #[test]
    fn dengbao_policy() {
        let p = PasswordPolicy::Dengbao;
        assert_eq!(p.check("Ab1!", "u"), Err("password.too_short"));
        assert_eq!(p.check("abcdefgh1", "u"), Err("password.classes"));
        assert_eq!(p.check("Zhang2024", "zhang"), Err("password.contains_username"));
        assert_eq!(p.check("Abcdefg1", "u"), Ok(()));
        assert_eq!(p.max_age_days(), Some(90));
    }

    #[test]
    fn asvs_policy() {
        let p = PasswordPolicy::Asvs;
        assert_eq!(p.check("Abcdefg1", "u"), Err("password.too_short"));
        assert_eq!(p.check("passwordpassword", "u"), Err("password.blocklisted"));
        assert_eq!(p.check("correct horse battery", "u"), Ok(()));
    }
}
