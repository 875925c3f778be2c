//! Hazards of the demo city: about twenty per enterprise at city scale (a million in all),
//! found over the last year, most closed on time, some overdue, a few major. Each has its
//! report event, so every hazard page reads as a real one.

use anze_domain::draw::SplitMix64;
use anze_domain::hazard::{Category, Grade, HazardState, Origin};
use anze_store::entity::{hazard, hazard_event};
use chrono::{DateTime, Duration, Utc};
use sea_orm::Set;

/// The unit a hazard is found at, with the copies its row carries.
pub struct Unit<'a> {
    pub id: &'a str,
    pub region_path: &'a str,
    pub township_code: Option<&'a str>,
    pub industry_code: &'a str,
}

const FINDINGS: [&str; 10] = [
    "配电箱门损坏，带电部位裸露",
    "消防通道被货物堵塞",
    "灭火器压力不足、未按期检验",
    "有限空间未设置安全警示标志",
    "动火作业未办理作业票",
    "员工未正确佩戴安全帽",
    "安全生产责任清单未随岗位调整",
    "机械设备防护罩缺失",
    "危险化学品储存未分类隔离",
    "应急照明损坏",
];

#[derive(Default)]
pub struct Rows {
    pub hazards: Vec<hazard::ActiveModel>,
    pub events: Vec<hazard_event::ActiveModel>,
}

/// `count` hazards of one unit, drawn from `seed` and the unit's index (reproducible).
pub fn unit(rows: &mut Rows, tenant: &str, u: &Unit, count: usize, index: usize, seed: u64, now: DateTime<Utc>) {
    let mut rng = SplitMix64::new(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let today = anze_domain::time::local_date(now);
    for _ in 0..count {
        let found_on = today - Duration::days(rng.below(365) as i64);
        let deadline = found_on + Duration::days(7 + rng.below(24) as i64);
        let grade = if rng.below(50) == 0 { Grade::Major } else { Grade::General };
        let roll = rng.below(100);
        // Old hazards are mostly closed; recent ones still in hand.
        let state = match (roll, deadline < today) {
            (0..=4, _) => HazardState::Rejected,
            (5..=79, true) => HazardState::Closed,
            (5..=49, false) => HazardState::Closed,
            (80..=87, _) | (50..=79, false) => HazardState::Rectifying,
            (88..=92, _) => HazardState::PendingAcceptance,
            (93..=96, _) => HazardState::Confirmed,
            _ => HazardState::Reported,
        };
        let closed_on = (state == HazardState::Closed).then(|| (found_on + Duration::days(1 + rng.below(30) as i64)).min(today));
        let id = anze_domain::ids::new_id().to_string();
        let origin = Origin::ALL[rng.below(Origin::ALL.len() as u64) as usize];
        let description = FINDINGS[rng.below(FINDINGS.len() as u64) as usize];
        rows.hazards.push(hazard::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(tenant.to_string()),
            organisation_id: Set(u.id.to_string()),
            organisation_kind: Set("enterprise".into()),
            region_path: Set(u.region_path.to_string()),
            township_code: Set(u.township_code.map(String::from)),
            industry_code: Set(Some(u.industry_code.to_string())),
            description: Set(description.to_string()),
            location: Set(None),
            grade: Set(grade.as_str().into()),
            category: Set(Category::ALL[rng.below(4) as usize].as_str().into()),
            origin: Set(origin.as_str().into()),
            direction: Set(if matches!(origin, Origin::SelfCheck | Origin::EmployeeReport) { "reported_up" } else { "ordered_down" }.into()),
            state: Set(state.as_str().into()),
            responsible_person: Set(None),
            found_on: Set(found_on),
            deadline: Set((state != HazardState::Reported).then_some(deadline)),
            measures: Set(String::new()),
            funds_fen: Set(None),
            reported_by_id: Set(None),
            reported_by_name: Set("演示数据".into()),
            fixed_by_id: Set(None),
            supervisor_checked: Set(false),
            listed: Set(grade == Grade::Major && state.is_open() && rng.below(3) == 0),
            merged_into: Set(None),
            closed_on: Set(closed_on),
            days_to_close: Set(closed_on.map(|c| (c - found_on).num_days())),
            exposure: Set("none".into()),
            exposed_at: Set(None),
            exposed_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        rows.events.push(hazard_event::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            hazard_id: Set(id),
            action: Set("report".into()),
            from_state: Set("reported".into()),
            to_state: Set("reported".into()),
            note: Set(String::new()),
            actor_id: Set(None),
            actor_name: Set("演示数据".into()),
            at: Set(now),
        });
    }
}
