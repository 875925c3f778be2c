//! The demo city: a generator with a fixed seed (`data`) and a loader that writes it, with
//! one sign-in per role whose passwords are random (printed once by the caller).

pub mod data;
// grid work (issue 4)
mod grid;
mod hazards;
mod lists;

use crate::auth::{NewUser, create_user, random_password};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::{Assignment, Role};
use anze_domain::org::{OrgKind, RegionCode, TownshipKind};
use anze_store::TransactionTrait;
use anze_store::entity::{committee_member, department_industry, enterprise, organisation, region};
use anze_store::repo::{account, org as org_repo, person as person_repo, region as region_repo};
use chrono::{DateTime, Utc};
use data::{DemoCity, DemoPerson, Scale};
use sea_orm::Set;
use std::collections::HashMap;
use uuid::Uuid;

/// One demo sign-in.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: Role,
    pub username: String,
    pub password: String,
    pub scope: String,
}

#[derive(Debug, Clone)]
pub struct DemoReport {
    pub accounts: Vec<DemoAccount>,
    pub enterprises: usize,
    pub people: usize,
}

/// Loads the demo city when the database holds no organisations yet; `None` otherwise.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn load(ctx: &Ctx, scale: Scale, seed: u64, now: DateTime<Utc>) -> ServiceResult<Option<DemoReport>> {
    let any =
        org_repo::count(&ctx.db.read, &ctx.tenant, &anze_domain::auth::Scope { all: true, ..Default::default() }, &Default::default())
            .await?;
    if any > 0 {
        return Ok(None);
    }
    let city = data::city(scale, seed);
    let actor = Actor::system("demo");
    crate::duty::seed_templates(ctx, now).await?;
    let mut templates = vec![];
    for t in anze_store::repo::duty::templates(&ctx.db.read, &ctx.tenant).await? {
        let items = anze_store::repo::duty::template_items(&ctx.db.read, &t.id).await?;
        templates.push((t, items));
    }
    let library = lists::Library::new(templates);
    let tx = ctx.db.write.begin().await?;
    // Regions.
    let known: std::collections::HashSet<&str> = city.regions.iter().map(|r| r.code.as_str()).collect();
    let mut region_rows = vec![];
    let mut paths: HashMap<String, String> = HashMap::new();
    for r in &city.regions {
        let Ok(code) = RegionCode::parse(&r.code) else { continue };
        let path = code.path();
        paths.insert(r.code.clone(), path.clone());
        region_rows.push(region::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            code: Set(r.code.clone()),
            name: Set(r.name.clone()),
            level: Set(code.level().as_str().into()),
            township_kind: Set(r.township_kind.map(|k: TownshipKind| k.as_str().to_string())),
            parent_code: Set(code.parent().map(|p| p.as_str().to_string()).filter(|p| known.contains(p.as_str()))),
            path: Set(path),
            county_code: Set(code.county().map(String::from)),
            township_code: Set(code.township().map(String::from)),
            created_at: Set(now),
        });
    }
    region_repo::insert_many(&tx, region_rows).await?;
    let regions = crate::org::RegionIndex::load_with(&tx, &ctx.tenant).await?;
    let region_of = |code: &str| regions.get(code).ok_or_else(|| ServiceError::Internal(format!("demo region {code} missing")));
    // Government organisations, departments and committees.
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut gov = vec![];
    let all_orgs = city.organisations.iter().chain(city.departments.iter().map(|d| &d.org)).chain(city.committees.iter().map(|c| &c.org));
    for o in all_orgs.clone() {
        let id = anze_domain::ids::new_id().to_string();
        ids.insert(o.key.clone(), id.clone());
        let mut row = crate::org::new_org(ctx, o.kind, &o.name, region_of(&o.region_code)?, None, now);
        row.id = Set(id);
        gov.push((o.parent_key.clone(), row));
    }
    let gov: Vec<organisation::ActiveModel> = gov
        .into_iter()
        .map(|(parent, mut row)| {
            row.parent_id = Set(parent.and_then(|p| ids.get(&p).cloned()));
            row
        })
        .collect();
    // Parents first, so the self-reference holds row by row.
    let (roots, children): (Vec<_>, Vec<_>) = gov.into_iter().partition(|r| matches!(&r.parent_id, sea_orm::ActiveValue::Set(None)));
    org_repo::insert_many(&tx, roots, vec![]).await?;
    org_repo::insert_many(&tx, children, vec![]).await?;
    let mut links = vec![];
    for d in &city.departments {
        for code in &d.industries {
            links.push(department_industry::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                tenant_id: Set(ctx.tenant.clone()),
                department_id: Set(ids[&d.org.key].clone()),
                industry_code: Set(code.to_string()),
            });
        }
    }
    org_repo::set_department_industries(&tx, links).await?;
    let mut members = vec![];
    for c in &city.committees {
        for (key, role) in std::iter::once((&c.lead_key, "lead")).chain(c.member_keys.iter().map(|k| (k, "member"))) {
            if let Some(member) = ids.get(key) {
                members.push(committee_member::ActiveModel {
                    id: Set(anze_domain::ids::new_id().to_string()),
                    tenant_id: Set(ctx.tenant.clone()),
                    committee_id: Set(ids[&c.org.key].clone()),
                    member_id: Set(member.clone()),
                    role: Set(role.into()),
                });
            }
        }
    }
    org_repo::add_committee_members(&tx, members).await?;
    // Government staff.
    let mut people_total = 0usize;
    let mut duty_rows = lists::Rows::default();
    for (i, o) in all_orgs.enumerate() {
        let staff = data::government_staff(o, i, seed);
        people_total += staff.len();
        let held = write_staff(ctx, &tx, &ids[&o.key], &staff, now).await?;
        let u = lists::ListUnit { org_id: &ids[&o.key], org_name: &o.name, group: None, government: true, staff: &held };
        lists::unit(&mut duty_rows, &library, &ctx.tenant, u, i, seed, now);
    }
    let lists::Rows { lists: l, items, acks } = std::mem::take(&mut duty_rows);
    anze_store::repo::duty::insert_bulk(&tx, l, items, acks).await?;
    // Enterprises and their staff, in batches.
    let mut first_enterprise: Option<(String, String)> = None;
    for (batch_no, batch) in city.enterprises.chunks(1000).enumerate() {
        let (mut orgs, mut ents) = (vec![], vec![]);
        let mut staff_rows = vec![];
        let mut hazard_rows = hazards::Rows::default();
        for (j, e) in batch.iter().enumerate() {
            let index = batch_no * 1000 + j;
            let id = anze_domain::ids::new_id().to_string();
            // Placed at its grid (the most specific path), named by its locality.
            let place = region_of(&e.grid_code)?;
            let mut row = crate::org::new_org(ctx, OrgKind::Enterprise, &e.name, place, None, now);
            row.id = Set(id.clone());
            let township = RegionCode::parse(&e.region_code).ok().and_then(|c| c.township().map(String::from));
            let unit =
                hazards::Unit { id: &id, region_path: &place.path, township_code: township.as_deref(), industry_code: e.industry_code };
            // About twenty a year per enterprise at city scale: a million hazards to measure.
            let found = match scale {
                Scale::Small => 3,
                Scale::City => 10 + index % 21,
            };
            hazards::unit(&mut hazard_rows, &ctx.tenant, &unit, found, index, seed, now);
            row.region_code = Set(e.region_code.clone());
            row.address = Set(Some(e.address.clone()));
            orgs.push(row);
            ents.push(enterprise::ActiveModel {
                organisation_id: Set(id.clone()),
                tenant_id: Set(ctx.tenant.clone()),
                credit_code: Set(e.credit_code.clone()),
                industry_code: Set(e.industry_code.to_string()),
                high_risk_group: Set(anze_domain::org::industry(e.industry_code).and_then(|i| i.high_risk).map(|g| g.as_str().to_string())),
                grid_code: Set(Some(e.grid_code.clone())),
                legal_representative: Set(e.legal_representative.clone()),
                principal_name: Set(e.principal_name.clone()),
                principal_phone: Set(Some(e.principal_phone.clone())),
                safety_director_name: Set(e.safety_director_name.clone()),
                headcount: Set(e.headcount as i32),
                risk_level: Set(e.risk_level.as_str().into()),
                supervision_class: Set(e.supervision_class.as_str().into()),
                major_hazard_source: Set(e.major_hazard_source),
                hazardous_work_kinds: Set(e.hazardous_work_kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")),
                liability_insurance: Set(e.liability_insurance),
            });
            if first_enterprise.is_none() {
                let town = RegionCode::parse(&e.region_code).ok().and_then(|c| c.township().map(String::from)).unwrap_or_default();
                first_enterprise = Some((id.clone(), town));
            }
            let group = anze_domain::org::industry(e.industry_code).and_then(|i| i.high_risk).map(|g| g.as_str());
            staff_rows.push((id, e.name.clone(), group, index, data::enterprise_staff(e, index, seed)));
        }
        org_repo::insert_many(&tx, orgs, ents).await?;
        for (id, name, group, index, staff) in staff_rows {
            people_total += staff.len();
            let held = write_staff(ctx, &tx, &id, &staff, now).await?;
            let u = lists::ListUnit { org_id: &id, org_name: &name, group, government: false, staff: &held };
            lists::unit(&mut duty_rows, &library, &ctx.tenant, u, index + 1_000_000, seed, now);
        }
        let lists::Rows { lists: l, items, acks } = std::mem::take(&mut duty_rows);
        anze_store::repo::duty::insert_bulk(&tx, l, items, acks).await?;
        anze_store::repo::hazard::insert_many(&tx, hazard_rows.hazards).await?;
        anze_store::repo::hazard::insert_events(&tx, hazard_rows.events).await?;
    }
    audit::record(
        &tx,
        ctx,
        &actor,
        now,
        audit::Event::new(
            "demo.load",
            "tenant",
            &ctx.tenant,
            serde_json::json!({"enterprises": [null, city.enterprises.len()], "people": [null, people_total], "seed": [null, seed]}),
        ),
    )
    .await?;
    tx.commit().await?;
    // A bulk load leaves the planner without statistics; lists would pick slow plans.
    ctx.db.analyze().await?;
    // Coverage is computed from the records just written, as the daily job does.
    crate::coverage::run_daily(ctx, now).await?;
    crate::hazard::refresh_summaries(ctx, now).await?;
    ctx.db.checkpoint().await?;
    let accounts = demo_accounts(ctx, &actor, &city, &ids, &paths, first_enterprise, now).await?;
    Ok(Some(DemoReport { accounts, enterprises: city.enterprises.len(), people: people_total }))
}

async fn write_staff<C: anze_store::ConnectionTrait>(
    ctx: &Ctx,
    db: &C,
    org_id: &str,
    staff: &[DemoPerson],
    now: DateTime<Utc>,
) -> ServiceResult<Vec<(String, String, String)>> {
    let (mut people, mut jobs) = (vec![], vec![]);
    let mut held = vec![];
    for p in staff {
        let person_id = anze_domain::ids::new_id().to_string();
        people.push(anze_store::entity::person::ActiveModel {
            id: Set(person_id.clone()),
            tenant_id: Set(ctx.tenant.clone()),
            name: Set(p.name.clone()),
            id_number: Set(Some(p.id_number.clone())),
            phone: Set(Some(p.phone.clone())),
            created_at: Set(now),
            updated_at: Set(now),
        });
        held.push((person_id.clone(), p.name.clone(), p.tier.as_str().to_string()));
        jobs.push(anze_store::entity::employment::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            person_id: Set(person_id),
            organisation_id: Set(org_id.into()),
            post_title: Set(p.post_title.clone()),
            tier: Set(p.tier.as_str().into()),
            unit_name: Set(p.unit_name.clone()),
            start_date: Set(p.start_date),
            end_date: Set(None),
            created_at: Set(now),
        });
    }
    person_repo::insert_people(db, people).await?;
    person_repo::insert_employments(db, jobs).await?;
    Ok(held)
}

async fn demo_accounts(
    ctx: &Ctx,
    actor: &Actor,
    city: &DemoCity,
    ids: &HashMap<String, String>,
    paths: &HashMap<String, String>,
    first_enterprise: Option<(String, String)>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<DemoAccount>> {
    let county = city.regions.iter().find(|r| r.code.len() == 6 && !r.code.ends_with("00")).map(|r| r.code.clone()).unwrap_or_default();
    let county_path = paths.get(&county).cloned();
    let (ent_id, ent_town) = first_enterprise.unwrap_or_default();
    let town_path = paths.get(&ent_town).cloned();
    let town_org = ids.get(&format!("town:{ent_town}")).cloned();
    let emergency = city.departments.iter().find(|d| d.industries.contains(&"26")).or(city.departments.first());
    let dept_id = emergency.and_then(|d| ids.get(&d.org.key).cloned());
    let dept_industries: Vec<String> = emergency.map(|d| d.industries.iter().map(|s| s.to_string()).collect()).unwrap_or_default();
    let committee = city.committees.first();
    let committee_industries: Vec<String> = committee
        .and_then(|c| city.departments.iter().find(|d| d.org.key == c.lead_key))
        .map(|d| d.industries.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    let grid =
        city.regions.iter().find(|r| r.code.len() == 15 && r.code.starts_with(&ent_town)).map(|r| r.code.clone()).unwrap_or_default();
    let uuid = |s: Option<String>| s.and_then(|s| Uuid::parse_str(&s).ok());
    let a = |role, region_path: Option<String>, org: Option<Uuid>, industries: Vec<String>| Assignment {
        role,
        region_path,
        organisation_id: org,
        industries,
    };
    let ent_uuid = uuid(Some(ent_id.clone()));
    let plan: Vec<(Role, &str, &str, Assignment)> = vec![
        (Role::CityAdmin, "demo.admin", "市级管理员", a(Role::CityAdmin, None, None, vec![])),
        (
            Role::CommitteeOffice,
            "demo.office",
            "安委办 王主任",
            a(Role::CommitteeOffice, county_path.clone(), uuid(ids.get("committee_office").cloned()), vec![]),
        ),
        (
            Role::SpecialCommitteeOffice,
            "demo.special",
            "专委会办公室 刘科长",
            a(
                Role::SpecialCommitteeOffice,
                county_path.clone(),
                uuid(committee.and_then(|c| ids.get(&c.org.key).cloned())),
                committee_industries,
            ),
        ),
        (
            Role::DepartmentLeader,
            "demo.dept",
            "应急局 赵局长",
            a(Role::DepartmentLeader, county_path.clone(), uuid(dept_id.clone()), dept_industries.clone()),
        ),
        (
            Role::DepartmentInspector,
            "demo.inspector",
            "应急局 执法员 孙明",
            a(Role::DepartmentInspector, county_path.clone(), uuid(dept_id), dept_industries),
        ),
        (
            Role::TownshipOfficer,
            "demo.town",
            "镇安监办 周主任",
            a(Role::TownshipOfficer, town_path.clone(), uuid(town_org.clone()), vec![]),
        ),
        (
            Role::GridWorker,
            "demo.grid",
            "网格员 吴芳",
            a(Role::GridWorker, paths.get(&grid).cloned().or(town_path), uuid(town_org), vec![]),
        ),
        (Role::EnterpriseAdmin, "demo.enterprise", "企业管理员", a(Role::EnterpriseAdmin, None, ent_uuid, vec![])),
        (Role::SafetyManager, "demo.safety", "企业安全员", a(Role::SafetyManager, None, ent_uuid, vec![])),
        (Role::Employee, "demo.employee", "一线员工", a(Role::Employee, None, ent_uuid, vec![])),
    ];
    let mut out = vec![];
    for (role, username, name, assignment) in plan {
        if account::by_username(&ctx.db.read, &ctx.tenant, username).await?.is_some() {
            continue;
        }
        let password = random_password();
        let scope = assignment
            .region_path
            .clone()
            .unwrap_or_else(|| assignment.organisation_id.map(|o| o.to_string()).unwrap_or_else(|| "全市".into()));
        let u = NewUser {
            username: username.into(),
            display_name: name.into(),
            password: password.clone(),
            temporary: false,
            assignments: vec![assignment.clone()],
            person_id: None,
            email: None,
        };
        let user_id = create_user(ctx, actor, u, now).await?;
        if role == Role::GridWorker {
            grid::record(ctx, &user_id, name, &assignment, now).await?;
        }
        out.push(DemoAccount { role, username: username.into(), password, scope });
    }
    Ok(out)
}
