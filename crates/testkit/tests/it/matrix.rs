//! The authorisation matrix: every route the router declares, for every role, against one
//! object inside the role's scope and one outside it. Out of scope is always 404; inside,
//! reading works and writing works exactly when the access policy says so (403 otherwise).
//! The table below must name every route in the web crate's source, or the test fails.

use anze_domain::auth::{Assignment, Role};
use anze_service::Actor;
use anze_testkit::*;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub method: String,
    pub path: String,
}

/// Parses `.route("…", get(…).post(…))` lines from the web crate's sources.
pub fn declared_routes() -> Vec<Route> {
    let sources = [
        ("", include_str!("../../../web/src/lib.rs")),
        ("", include_str!("../../../web/src/pages/mod.rs")),
        ("/api/v1", include_str!("../../../web/src/api/mod.rs")),
    ];
    let mut out = vec![];
    for (prefix, src) in sources {
        for line in src.lines().filter(|l| l.trim_start().starts_with(".route(\"")) {
            let path = line.split('"').nth(1).unwrap_or_default();
            let rest = &line[line.find(',').unwrap_or(0)..];
            for m in ["get", "post", "put", "delete"] {
                if rest.contains(&format!("{m}(")) {
                    out.push(Route { method: m.to_uppercase(), path: format!("{prefix}{path}") });
                }
            }
        }
    }
    out
}

// Expected outcomes, one letter per role in the order of `Role::ALL`: city admin, committee
// office, special committee office, department leader, department inspector, township
// officer, grid worker, enterprise admin, safety manager, employee. The fixture's roles hold
// town A (the committee office and the township officer), the county for industry 26
// (chemicals; the special committee office and both department roles), town A's grid (the
// grid worker) and enterprise A (the enterprise roles); the inside object is enterprise A's,
// a chemical plant in that grid.
//   Y  done: 2xx or a redirect
//   A  allowed past the access check; the object's state decides (2xx, 3xx, 409 or 422:
//      an earlier role in the loop may already have moved it)
//   F  refused: 403 (the object is in scope, the role may not do this)
//   N  not found: 404 (out of scope, or no such route for this role)

/// Everyone signed in.
const ALL: &str = "YYYYYYYYYY";
/// City administrators only; the route does not exist for anyone else.
const ADMIN: &str = "YNNNNNNNNN";
/// The city office (city admin, committee office): campaigns, exemptions, subject flags,
/// government units.
const CITY_OFFICE: &str = "YYFFFFFFFF";
/// The same, where the first role's exemption stands and the next ones are told so (409).
const CITY_OFFICE_A: &str = "AAFFFFFFFF";
/// Officials who register units (city admin, committee office, department leader, township
/// officer); a special committee office, an inspector, a grid worker and enterprises may not.
const CREATE_UNITS: &str = "YYFYFYFFFF";
/// Those who keep enterprise A's records: officials with edit powers over it and its own admin
/// and safety manager; inspectors, grid workers and employees are refused.
const EDIT: &str = "YYYYFYFYYF";
const EDIT_A: &str = "AAAAFAFAAF";
/// Officials with inspection powers over enterprise A; grid workers patrol but do not inspect,
/// and an enterprise does not inspect itself this way.
const INSPECT: &str = "YYYYYYFFFF";
const INSPECT_A: &str = "AAAAAAFFFF";
/// A random draw: officials with inspection powers anywhere may ask; whether the pool and the
/// roster (after recusals) are big enough is the draw's own business, tested with inspections.
const DRAW: &str = "AAAAAAFFFF";
/// A draw: officials with inspection powers see it; for others it does not exist.
const OFFICIAL: &str = "YYYYYYNNNN";
/// Grid records (patrols, publicity): grid workers, the township officer, the city office.
const GRID_RECORDERS: &str = "YYFFFYYFFF";
/// A notice of enterprise A: only its own people mark it read.
const OWN: &str = "NNNNNNNYYY";
/// A draw's public page before its inspections are done: nobody.
const NOBODY: &str = "NNNNNNNNNN";

/// Method, path, the inside outcome per role, and whether an outside object exists (then
/// every role but the city admin, who has no outside, gets 404 for it).
const TABLE: &[(&str, &str, &str, bool)] = &[
    ("GET", "/api/openapi.json", ALL, false),
    ("GET", "/api/docs", ALL, false),
    ("GET", "/static/{*path}", ALL, false),
    ("GET", "/healthz", ALL, false),
    ("GET", "/readyz", ALL, false),
    ("GET", "/", ALL, false),
    ("GET", "/login", ALL, false),
    ("POST", "/login", ALL, false),
    ("POST", "/logout", ALL, false),
    ("GET", "/password", ALL, false),
    ("POST", "/password", ALL, false),
    ("GET", "/enterprises", ALL, false),
    ("POST", "/enterprises", CREATE_UNITS, false),
    ("GET", "/enterprises/new", ALL, false),
    ("GET", "/enterprises/{id}", ALL, true),
    ("POST", "/enterprises/{id}", EDIT, true),
    ("GET", "/enterprises/{id}/edit", EDIT, true),
    ("GET", "/organisations", ALL, false),
    ("POST", "/organisations", CITY_OFFICE, false),
    ("GET", "/organisations/new", ALL, false),
    ("GET", "/organisations/{id}", ALL, true),
    ("POST", "/organisations/{id}/staff", EDIT, true),
    ("POST", "/employments/{id}/end", EDIT_A, true),
    ("GET", "/regions", ALL, false),
    ("GET", "/m/{token}", ALL, false),
    ("POST", "/m/{token}", ALL, false),
    ("POST", "/m/{token}/sign", ALL, false),
    ("GET", "/enterprises/{id}/qr.svg", EDIT, true),
    ("POST", "/enterprises/{id}/duty-lists", EDIT, true),
    ("GET", "/duty-lists/{id}", ALL, true),
    ("GET", "/duty-templates", ALL, false),
    ("POST", "/duty-templates", CREATE_UNITS, false),
    ("GET", "/duty-templates.xlsx", ALL, false),
    ("GET", "/duty-lists/{id}/compare/{other}", ALL, true),
    ("POST", "/duty-lists/{id}/publish", EDIT_A, true),
    ("POST", "/enterprises/{id}/qr/revoke", EDIT, true),
    ("GET", "/users", ADMIN, false),
    ("POST", "/users", ADMIN, false),
    ("GET", "/users/new", ADMIN, false),
    ("POST", "/users/{username}/reset", ADMIN, false),
    ("POST", "/users/{username}/disable", ADMIN, false),
    ("POST", "/users/{username}/enable", ADMIN, false),
    ("GET", "/audit", ADMIN, false),
    ("GET", "/audit/{object_type}/{id}", ALL, true),
    ("GET", "/imports", ALL, false),
    ("POST", "/imports", EDIT, false),
    ("GET", "/imports/{id}", ALL, false),
    ("GET", "/imports/{id}/errors.xlsx", ALL, false),
    ("GET", "/imports/template/{file}", ALL, false),
    ("GET", "/exports/enterprises.xlsx", ALL, false),
    ("GET", "/organisations/{id}/staff.xlsx", ALL, true),
    ("POST", "/api/v1/auth/token", ALL, false),
    ("DELETE", "/api/v1/auth/token", ALL, false),
    ("GET", "/api/v1/me", ALL, false),
    ("GET", "/api/v1/regions", ALL, false),
    ("GET", "/api/v1/organisations", ALL, false),
    ("POST", "/api/v1/organisations", CITY_OFFICE, false),
    ("GET", "/api/v1/organisations/{id}", ALL, true),
    ("GET", "/api/v1/organisations/{id}/staff", ALL, true),
    ("POST", "/api/v1/organisations/{id}/staff", EDIT, true),
    ("GET", "/api/v1/enterprises", ALL, false),
    ("POST", "/api/v1/enterprises", CREATE_UNITS, false),
    ("GET", "/api/v1/enterprises/{id}", ALL, true),
    ("PUT", "/api/v1/enterprises/{id}", EDIT, true),
    ("POST", "/api/v1/imports/{kind}", EDIT, false),
    ("GET", "/api/v1/audit-events", ALL, true),
    ("GET", "/api/v1/duty-templates", ALL, false),
    ("POST", "/api/v1/duty-lists", EDIT, false),
    ("PUT", "/api/v1/duty-lists/{id}/items", EDIT_A, true),
    ("POST", "/api/v1/duty-lists/{id}/publish", EDIT_A, true),
    ("GET", "/api/v1/organisations/{id}/coverage", ALL, true),
    ("GET", "/api/v1/organisations/{id}/fit", ALL, true),
    ("POST", "/employments/{id}/change-post", EDIT_A, true),
    ("GET", "/coverage", ALL, false),
    ("GET", "/coverage/enterprises", ALL, false),
    ("GET", "/coverage/government", ALL, false),
    ("POST", "/enterprises/{id}/fit/dismiss", INSPECT_A, true),
    ("POST", "/api/v1/organisations/{id}/fit/dismissals", INSPECT_A, true),
    ("GET", "/api/v1/organisations/{id}/duty-lists", ALL, true),
    ("GET", "/api/v1/organisations/{id}/acknowledgements", ALL, true),
    ("GET", "/api/v1/organisations/{id}/notifications", ALL, true),
    ("POST", "/api/v1/organisations/{id}/qr", EDIT, true),
    ("POST", "/api/v1/employments/{id}/change-post", EDIT_A, true),
    ("GET", "/api/v1/coverage", ALL, false),
    ("GET", "/api/v1/coverage/enterprises", ALL, false),
    ("GET", "/api/v1/coverage/government", ALL, false),
    ("GET", "/duty-items/{id}", ALL, true),
    ("POST", "/duty-items/{id}/records", EDIT, true),
    ("GET", "/photos/{id}", ALL, true),
    ("GET", "/photos/{id}/thumb", ALL, true),
    ("GET", "/duty-lists/{id}/print", ALL, true),
    ("GET", "/duty-lists/{id}/docx", ALL, true),
    ("GET", "/api/v1/duty-items/{id}/records", ALL, true),
    ("POST", "/api/v1/duty-items/{id}/records", EDIT, true),
    ("GET", "/spot-checks", ALL, false),
    ("POST", "/spot-checks", INSPECT, false),
    ("GET", "/spot-checks/{id}", ALL, true),
    ("POST", "/spot-checks/{id}/result", INSPECT_A, true),
    ("GET", "/enterprises/{id}/ledger", ALL, true),
    ("GET", "/ledgers", ALL, false),
    ("GET", "/api/v1/spot-checks", ALL, false),
    ("POST", "/api/v1/spot-checks", INSPECT, false),
    ("GET", "/api/v1/spot-checks/{id}", ALL, true),
    ("POST", "/api/v1/spot-checks/{id}/result", INSPECT_A, true),
    ("GET", "/api/v1/enterprises/{id}/ledger", ALL, true),
    ("GET", "/api/v1/ledgers", ALL, false),
    ("GET", "/hazards", ALL, false),
    ("POST", "/hazards", ALL, false),
    ("GET", "/hazards/new", ALL, false),
    ("GET", "/hazards/overview", ALL, false),
    ("GET", "/hazards/{id}", ALL, true),
    ("POST", "/hazards/{id}/transition", EDIT_A, true),
    ("POST", "/hazards/{id}/plan", EDIT, true),
    ("POST", "/hazards/{id}/listing", INSPECT, true),
    ("GET", "/api/v1/hazards", ALL, false),
    ("POST", "/api/v1/hazards", ALL, false),
    ("GET", "/api/v1/hazards/overview", ALL, false),
    ("GET", "/api/v1/hazards/{id}", ALL, true),
    ("POST", "/api/v1/hazards/{id}/transitions", EDIT_A, true),
    ("PUT", "/api/v1/hazards/{id}/plan", EDIT, true),
    ("POST", "/hazards/{id}/exposure", INSPECT_A, true),
    ("GET", "/exposure", ALL, false),
    ("POST", "/hazards/{id}/reward", EDIT_A, true),
    ("POST", "/hazards/{id}/payout", EDIT_A, true),
    ("POST", "/api/v1/hazards/{id}/reward", EDIT_A, true),
    ("POST", "/api/v1/hazards/{id}/payout", EDIT_A, true),
    ("GET", "/inspections", ALL, false),
    ("POST", "/inspections", INSPECT, false),
    ("GET", "/inspections/stats", ALL, false),
    ("GET", "/checklists", ALL, false),
    ("POST", "/checklists", INSPECT, false),
    ("GET", "/checklists/template.xlsx", ALL, false),
    ("POST", "/api/v1/checklists", INSPECT, false),
    ("GET", "/api/v1/inspections/stats", ALL, false),
    ("GET", "/inspections/{id}", ALL, true),
    ("POST", "/inspections/{id}/state", INSPECT_A, true),
    ("POST", "/inspections/{id}/visits", INSPECT_A, true),
    ("GET", "/inspections/{id}/report.docx", ALL, true),
    ("GET", "/inspections/{id}/archive.zip", ALL, true),
    ("POST", "/draws", DRAW, false),
    ("GET", "/draws/{id}", OFFICIAL, false),
    ("GET", "/draws/{id}/public", NOBODY, false),
    ("GET", "/api/v1/checklists", ALL, false),
    ("GET", "/api/v1/inspections", ALL, false),
    ("POST", "/api/v1/inspections", INSPECT, false),
    ("GET", "/api/v1/inspections/{id}", ALL, true),
    ("POST", "/api/v1/inspections/{id}/state", INSPECT_A, true),
    ("POST", "/api/v1/inspections/{id}/visits", INSPECT_A, true),
    ("POST", "/api/v1/draws", DRAW, false),
    ("GET", "/api/v1/draws/{id}", OFFICIAL, false),
    ("GET", "/m/{token}/hazard", ALL, false),
    ("POST", "/m/{token}/hazard", ALL, false),
    ("GET", "/campaigns", ALL, false),
    ("POST", "/campaigns", CITY_OFFICE, false),
    ("GET", "/campaigns/{id}", ALL, false),
    ("POST", "/campaigns/{id}/copy", CITY_OFFICE, false),
    ("POST", "/campaigns/{id}/exemptions", CITY_OFFICE_A, false),
    ("GET", "/activities", ALL, false),
    ("POST", "/activities", EDIT, false),
    ("POST", "/activities/import", EDIT, false),
    ("GET", "/activities/template.xlsx", ALL, false),
    ("GET", "/board", ALL, false),
    ("GET", "/board.xlsx", ALL, false),
    ("GET", "/board/units/{id}", ALL, true),
    ("GET", "/api/v1/campaigns", ALL, false),
    ("POST", "/api/v1/campaigns", CITY_OFFICE, false),
    ("GET", "/api/v1/campaigns/{id}/obligations", ALL, false),
    ("POST", "/api/v1/campaigns/{id}/copy", CITY_OFFICE, false),
    ("POST", "/api/v1/campaigns/{id}/exemptions", CITY_OFFICE_A, false),
    ("POST", "/api/v1/organisations/{id}/subject-flags", CITY_OFFICE, false),
    ("GET", "/api/v1/activities", ALL, false),
    ("POST", "/api/v1/activities", EDIT, false),
    ("POST", "/api/v1/activities/import", EDIT, false),
    ("GET", "/api/v1/board", ALL, false),
    ("GET", "/api/v1/board/units/{id}", ALL, true),
    ("GET", "/attachments/{id}", ALL, true),
    ("GET", "/notifications", ALL, false),
    ("POST", "/notifications/{id}/read", OWN, true),
    ("GET", "/api/v1/notifications", ALL, false),
    ("POST", "/api/v1/notifications/{id}/read", OWN, true),
    ("GET", "/patrols", ALL, false),
    ("POST", "/patrols", GRID_RECORDERS, false),
    ("GET", "/patrols/new", ALL, false),
    ("GET", "/patrols/{id}", ALL, true),
    ("GET", "/publicity", ALL, false),
    ("POST", "/publicity", GRID_RECORDERS, false),
    ("GET", "/publicity/new", ALL, false),
    ("GET", "/grid/figures", ALL, false),
    ("GET", "/grid/figures.xlsx", ALL, false),
    ("GET", "/api/v1/patrols", ALL, false),
    ("POST", "/api/v1/patrols", GRID_RECORDERS, false),
    ("GET", "/api/v1/patrols/{id}", ALL, true),
    ("GET", "/api/v1/publicity", ALL, false),
    ("POST", "/api/v1/publicity", GRID_RECORDERS, false),
    ("GET", "/api/v1/grid/figures", ALL, false),
    ("GET", "/api/v1/rewards", ALL, false),
];

#[test]
fn every_declared_route_is_in_the_matrix() {
    let routes = declared_routes();
    assert!(routes.len() > 30, "the parser found the routes: {routes:?}");
    for r in &routes {
        assert!(
            TABLE.iter().any(|(m, p, _, _)| *m == r.method && *p == r.path),
            "route {} {} is missing from the matrix table",
            r.method,
            r.path
        );
    }
    for (m, p, _, _) in TABLE {
        assert!(routes.iter().any(|r| r.method == *m && r.path == *p), "matrix names {m} {p}, which the router no longer has");
    }
}

struct Fixture {
    inside: Uuid,
    outside: Uuid,
    inside_job: String,
    outside_job: String,
    inside_list: String,
    outside_list: String,
    /// An item of each list, and a photo of each enterprise (fulfilment records).
    inside_item: String,
    outside_item: String,
    inside_photo: String,
    outside_photo: String,
    inside_check: String,
    outside_check: String,
    /// A major hazard of each enterprise.
    inside_hazard: String,
    outside_hazard: String,
    /// A routine inspection of each enterprise, and one draw.
    inside_inspection: String,
    outside_inspection: String,
    draw: String,
    /// The shipped campaign, loaded (campaigns, issue 5).
    campaign: String,
    /// A notice to each enterprise (reminders, issue 5).
    inside_notice: String,
    outside_notice: String,
    /// An activity of each enterprise with one attachment (issue 5).
    inside_attachment: String,
    outside_attachment: String,
    /// A patrol visiting each enterprise, in its own grid (grid work, issue 4).
    inside_patrol: String,
    outside_patrol: String,
    /// Town A's emergency department and township office: the units of the officials (a draw
    /// needs inspectors with a unit in its jurisdiction).
    department: Uuid,
    town_office: Uuid,
}

/// Enterprise A (town A, chemicals) is inside every non-city role's scope; enterprise B (town B,
/// construction) is outside all of them.
async fn fixture(app: &TestApp) -> Fixture {
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let inside = anze_service::org::create_enterprise(app.ctx(), &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    let mut b = enterprise_input("乙建筑", &credit_code(2));
    b.industry_code = "47".into();
    b.region_code = "370983101201".into();
    b.grid_code = "370983101201001".into();
    let outside = anze_service::org::create_enterprise(app.ctx(), &sys, &b, now).await.unwrap();
    let staff = |name: &str| anze_service::people::StaffInput {
        name: name.into(),
        post_title: "操作工".into(),
        tier: "worker".into(),
        start_date: "2024-01-01".into(),
        ..Default::default()
    };
    app.user("spare", Assignment { role: Role::Employee, region_path: None, organisation_id: Some(inside), industries: vec![] }).await;
    let inside_job = anze_service::people::add_staff(app.ctx(), &sys, inside, &staff("王一"), now).await.unwrap().to_string();
    let outside_job = anze_service::people::add_staff(app.ctx(), &sys, outside, &staff("王二"), now).await.unwrap().to_string();
    let template = "code = \"m.worker\"\nname = \"一般从业人员清单\"\ntier = \"worker\"\ngroup = \"general\"\n[[items]]\ntext = \"遵守操作规程\"\nfrequency = \"daily\"\n";
    anze_service::duty::add_template(app.ctx(), &sys, template, now).await.unwrap();
    let inside_list = anze_service::duty::create_list(app.ctx(), &sys, inside, "m.worker", now).await.unwrap().to_string();
    let outside_list = anze_service::duty::create_list(app.ctx(), &sys, outside, "m.worker", now).await.unwrap().to_string();
    let mut items = vec![];
    for list in [&inside_list, &outside_list] {
        let (_, rows, _) = anze_service::duty::list_detail(app.ctx(), &sys, Uuid::parse_str(list).unwrap()).await.unwrap();
        items.push(rows[0].id.clone());
    }
    let (inside_item, outside_item) = (items[0].clone(), items[1].clone());
    let photo = |org: Uuid| async move {
        let id = anze_domain::ids::new_id().to_string();
        let row = anze_store::entity::photo::ActiveModel {
            id: sea_orm::Set(id.clone()),
            tenant_id: sea_orm::Set(app.ctx().tenant.clone()),
            organisation_id: sea_orm::Set(org.to_string()),
            content_type: sea_orm::Set("image/png".into()),
            byte_size: sea_orm::Set(TINY_PNG.len() as i64),
            sha256: sea_orm::Set(String::new()),
            bytes: sea_orm::Set(TINY_PNG.to_vec()),
            created_by: sea_orm::Set("t".into()),
            created_at: sea_orm::Set(now),
            storage: sea_orm::Set("db".into()),
            ..Default::default()
        };
        anze_store::repo::evidence::insert_photo(&app.ctx().db.write, row).await.unwrap();
        id
    };
    let (inside_photo, outside_photo) = (photo(inside).await, photo(outside).await);
    let check = |id: Uuid| anze_service::spot_check::NewSpotChecks {
        method: "manual".into(),
        organisation_ids: vec![id.to_string()],
        ..Default::default()
    };
    let inside_check = anze_service::spot_check::create(app.ctx(), &sys, &check(inside), now).await.unwrap().ids[0].clone();
    let outside_check = anze_service::spot_check::create(app.ctx(), &sys, &check(outside), now).await.unwrap().ids[0].clone();
    let hazard = |org: Uuid| anze_service::hazard::NewHazardForm {
        organisation_id: org.to_string(),
        description: "配电箱门损坏".into(),
        grade: "major".into(),
        category: "thing".into(),
        origin: "self_check".into(),
        direction: "reported_up".into(),
        found_on: "2024-03-01".into(),
        deadline: "2024-03-10".into(),
        ..Default::default()
    };
    let inside_hazard = anze_service::hazard::report(app.ctx(), &sys, &hazard(inside), now).await.unwrap().to_string();
    let outside_hazard = anze_service::hazard::report(app.ctx(), &sys, &hazard(outside), now).await.unwrap().to_string();
    let inspect = |org: Uuid| anze_service::inspection::NewInspection {
        kind: "routine".into(),
        starts_on: "2024-03-01".into(),
        ends_on: "2024-03-02".into(),
        targets: vec![org.to_string()],
        inspectors: vec!["检查员甲".into()],
        checklist: "responsibility.daily".into(),
        ..Default::default()
    };
    let inside_inspection = anze_service::inspection::create(app.ctx(), &sys, &inspect(inside), now).await.unwrap().to_string();
    let outside_inspection = anze_service::inspection::create(app.ctx(), &sys, &inspect(outside), now).await.unwrap().to_string();
    let facts = |id: Uuid| anze_domain::draw::TargetFacts { id: id.to_string(), unit_id: None, township_code: None };
    let roster = [anze_domain::draw::InspectorFacts { id: "i1".into(), unit_id: "u1".into(), township_code: None }];
    let stored = anze_domain::draw::run(7, &[facts(inside), facts(outside)], 1, &roster, 1).unwrap();
    let draw = anze_domain::ids::new_id().to_string();
    let record = serde_json::json!({"draw": stored, "names": {}}).to_string();
    let row = anze_store::entity::draw::ActiveModel {
        id: sea_orm::Set(draw.clone()),
        tenant_id: sea_orm::Set(app.ctx().tenant.clone()),
        seed: sea_orm::Set("7".into()),
        pool_size: sea_orm::Set(2),
        pool_hash: sea_orm::Set(stored.pool_hash.clone()),
        pool_filter: sea_orm::Set("{}".into()),
        record: sea_orm::Set(record),
        created_by: sea_orm::Set("t".into()),
        created_at: sea_orm::Set(now),
    };
    anze_store::repo::inspection::insert_draw(&app.ctx().db.write, row).await.unwrap();
    let text = include_str!("../../../../campaigns/feianfa-2024-4.toml");
    let campaign = anze_service::campaign::load(app.ctx(), &sys, text, now).await.unwrap().unwrap().id;
    let notice = |org: Uuid| async move {
        let id = anze_domain::ids::new_id().to_string();
        let row = anze_store::entity::notification::ActiveModel {
            id: sea_orm::Set(id.clone()),
            tenant_id: sea_orm::Set(app.ctx().tenant.clone()),
            organisation_id: sea_orm::Set(org.to_string()),
            kind: sea_orm::Set("campaign.due_soon".into()),
            params: sea_orm::Set("{\"items\":[]}".into()),
            issued_on: sea_orm::Set(now.date_naive()),
            created_at: sea_orm::Set(now),
            read_at: sea_orm::Set(None),
        };
        assert!(anze_store::repo::notification::issue(&app.ctx().db.write, row).await.unwrap());
        id
    };
    let (inside_notice, outside_notice) = (notice(inside).await, notice(outside).await);
    let attached = |org: Uuid| async move {
        let input = anze_service::campaign::activity::ActivityInput {
            organisation_id: org.to_string(),
            kind: "training".into(),
            title: "安全培训".into(),
            held_on: "2024-03-01".into(),
            organiser: "安全部".into(),
            attachments: vec![("签到表.pdf".into(), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec())],
            ..Default::default()
        };
        let activity = anze_service::campaign::activity::create(app.ctx(), &Actor::system("t"), &input, now).await.unwrap();
        let views = anze_service::campaign::activity::list(
            app.ctx(),
            &Actor::system("t"),
            &anze_service::campaign::activity::ActivityQuery { organisation_id: Some(org.to_string()), ..Default::default() },
        )
        .await
        .unwrap();
        views.into_iter().find(|v| v.id == activity).unwrap().attachments[0].id.clone()
    };
    let (inside_attachment, outside_attachment) = (attached(inside).await, attached(outside).await);
    let patrol = |grid: &str, org: Uuid| anze_service::patrol::NewPatrol {
        started_at: "2024-03-01T09:00".into(),
        ended_at: "2024-03-01T10:00".into(),
        region_code: grid.into(),
        enterprise_id: org.to_string(),
        notes: "巡查".into(),
        ..Default::default()
    };
    let inside_patrol = anze_service::patrol::create(app.ctx(), &sys, &patrol("370983100201001", inside), now).await.unwrap().to_string();
    let outside_patrol = anze_service::patrol::create(app.ctx(), &sys, &patrol("370983101201001", outside), now).await.unwrap().to_string();
    let unit = |kind: &str, name: &str| anze_service::org::OrganisationInput {
        kind: kind.into(),
        name: name.into(),
        region_code: "370983100".into(),
        industries: if kind == "department" { vec!["26".into()] } else { vec![] },
        ..Default::default()
    };
    let department = anze_service::org::create_organisation(app.ctx(), &sys, &unit("department", "潮泉镇应急办"), now).await.unwrap();
    let town_office = anze_service::org::create_organisation(app.ctx(), &sys, &unit("township_office", "潮泉镇安监办"), now).await.unwrap();
    // An inspector of the department, on every draw's roster from the first role on.
    let roster = Assignment {
        role: Role::DepartmentInspector,
        region_path: Some("/370000/370900/370983".into()),
        organisation_id: Some(department),
        industries: vec!["26".into()],
    };
    app.user("roster", roster).await;
    Fixture {
        department,
        town_office,
        inside_attachment,
        outside_attachment,
        inside_notice,
        outside_notice,
        inside_patrol,
        outside_patrol,
        inside_inspection,
        outside_inspection,
        draw,
        campaign,
        inside,
        outside,
        inside_job,
        outside_job,
        inside_list,
        outside_list,
        inside_item,
        outside_item,
        inside_photo,
        outside_photo,
        inside_check,
        outside_check,
        inside_hazard,
        outside_hazard,
    }
}

fn assignment(role: Role, fx: &Fixture) -> Assignment {
    let (region_path, organisation_id, industries) = match role {
        Role::CityAdmin => (None, None, vec![]),
        Role::CommitteeOffice => (Some(TOWN_A_PATH.to_string()), None, vec![]),
        Role::SpecialCommitteeOffice | Role::DepartmentLeader | Role::DepartmentInspector => {
            (Some("/370000/370900/370983".into()), Some(fx.department), vec!["26".to_string()])
        }
        Role::TownshipOfficer => (Some(TOWN_A_PATH.into()), Some(fx.town_office), vec![]),
        Role::GridWorker => (Some(format!("{TOWN_A_PATH}/370983100201/370983100201001")), None, vec![]),
        Role::EnterpriseAdmin | Role::SafetyManager | Role::Employee => (None, Some(fx.inside), vec![]),
    };
    Assignment { role, region_path, organisation_id, industries }
}

/// A multipart form (the pages' uploads) with text fields and one file named `file`.
fn multipart(b: &Browser, url: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Req {
    let boundary = "XBOUNDARYX";
    let mut body: Vec<u8> = vec![];
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
    }
    if let Some((name, bytes)) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n").into_bytes());
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    let mut r = Req::new("POST", format!("{url}?csrf_token={}", b.csrf))
        .header("cookie", b.cookie.clone())
        .header("content-type", format!("multipart/form-data; boundary={boundary}"));
    r.body = body;
    r
}

/// A one-sheet workbook.
fn xlsx(headers: &[&str], row: &[&str]) -> Vec<u8> {
    let rows = vec![row.iter().map(|c| c.to_string()).collect::<Vec<String>>()];
    anze_service::sheet::write("表", headers, &rows).unwrap()
}

fn fill(path: &str, id: Uuid, [job, list, item, photo, check, hazard, inspection, draw]: [&str; 8]) -> String {
    path.replace("/employments/{id}", &format!("/employments/{job}"))
        .replace("/inspections/{id}", &format!("/inspections/{inspection}"))
        .replace("/draws/{id}", &format!("/draws/{draw}"))
        .replace("/hazards/{id}", &format!("/hazards/{hazard}"))
        .replace("/duty-items/{id}", &format!("/duty-items/{item}"))
        .replace("/photos/{id}", &format!("/photos/{photo}"))
        .replace("/spot-checks/{id}", &format!("/spot-checks/{check}"))
        .replace("/duty-lists/{id}", &format!("/duty-lists/{list}"))
        .replace("{id}", &id.to_string())
        .replace("{object_type}", "organisation")
        .replace("{*path}", "app.css")
        .replace("{file}", "staff.xlsx")
        .replace("{kind}", "enterprises")
        .replace("{username}", "spare")
        .replace("{other}", list)
}

/// Whether a status is the outcome a table letter promises.
fn meets(letter: u8, status: u16) -> bool {
    match letter {
        b'Y' => (200..400).contains(&status),
        b'A' => (200..400).contains(&status) || status == 409 || status == 422,
        b'F' => status == 403,
        b'N' => status == 404,
        _ => false,
    }
}

#[test]
fn every_table_row_names_ten_roles_with_known_letters() {
    for (m, p, e, _) in TABLE {
        assert_eq!(e.len(), Role::ALL.len(), "{m} {p}");
        assert!(e.bytes().all(|c| b"YAFN".contains(&c)), "{m} {p}: {e}");
    }
}

#[tokio::test]
async fn every_route_for_every_role_inside_and_outside_scope() {
    let app = TestApp::new().await;
    let fx = fixture(&app).await;
    let campaign_text = include_str!("../../../../campaigns/feianfa-2024-4.toml");
    let mut failures = vec![];
    for (ri, role) in Role::ALL.into_iter().enumerate() {
        let a = assignment(role, &fx);
        let username = format!("u_{}", role.as_str());
        let pw = app.user(&username, a.clone()).await;
        let browser = app.sign_in(&username, &pw).await;
        let token = app.token(&username, &pw).await;
        for (method, path, expected, has_outside) in TABLE {
            if matches!(*path, "/logout" | "/api/v1/auth/token" | "/login" | "/password")
                || path.starts_with("/imports/{id}")
                || path.starts_with("/m/")
            {
                continue; // session, credential and phone (token-only) routes are covered by their own tests
            }
            let inside_objects = [
                &*fx.inside_job,
                &fx.inside_list,
                &fx.inside_item,
                &fx.inside_photo,
                &fx.inside_check,
                &fx.inside_hazard,
                &fx.inside_inspection,
                &fx.draw,
            ];
            let outside_objects = [
                &*fx.outside_job,
                &fx.outside_list,
                &fx.outside_item,
                &fx.outside_photo,
                &fx.outside_check,
                &fx.outside_hazard,
                &fx.outside_inspection,
                &fx.draw,
            ];
            let mut cases: Vec<(bool, Uuid, [&str; 8])> = vec![(true, fx.inside, inside_objects)];
            // The city admin sees the whole city: it has no outside.
            if *has_outside && role != Role::CityAdmin {
                cases.push((false, fx.outside, outside_objects));
            }
            for (inside, id, objects) in cases {
                let notice = if inside { &fx.inside_notice } else { &fx.outside_notice };
                let patrol = if inside { &fx.inside_patrol } else { &fx.outside_patrol };
                let attachment = if inside { &fx.inside_attachment } else { &fx.outside_attachment };
                let with_campaign = path
                    .replace("/campaigns/{id}", &format!("/campaigns/{}", fx.campaign))
                    .replace("/notifications/{id}", &format!("/notifications/{notice}"))
                    .replace("/patrols/{id}", &format!("/patrols/{patrol}"))
                    .replace("/attachments/{id}", &format!("/attachments/{attachment}"))
                    .replace("/imports/{kind}", "/imports/staff");
                let mut url = fill(&with_campaign, id, objects);
                if *path == "/api/v1/audit-events" {
                    url = format!("{url}?object_type=organisation&object_id={id}");
                }
                let api = url.starts_with("/api/v1");
                // Each role creates its own new things, so a create is never refused as a duplicate.
                let fresh = 1000 + 10 * ri as u32 + u32::from(api);
                let new_code = credit_code(fresh);
                let form = if *method == "POST" && (url == "/enterprises" || url == "/api/v1/enterprises") {
                    enterprise_form(&format!("新企业{fresh}"), &new_code)
                } else {
                    enterprise_form(if inside { "甲化工" } else { "乙建筑" }, &credit_code(if inside { 1 } else { 2 }))
                };
                let mut pairs: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, v.clone())).collect();
                let inside_code = credit_code(1);
                let inside_id = fx.inside.to_string();
                let set =
                    |v: &[(&'static str, &str)]| -> Vec<(&'static str, String)> { v.iter().map(|(k, x)| (*k, x.to_string())).collect() };
                if url.contains("/staff") {
                    pairs = set(&[("name", "新员工"), ("post_title", "操作工"), ("tier", "worker"), ("start_date", "2024-02-01")]);
                }
                if url == "/organisations" || url == "/api/v1/organisations" {
                    pairs = vec![("kind", "department".into()), ("name", format!("某局{fresh}")), ("region_code", "370983100".into())];
                }
                if url.ends_with("/duty-lists") {
                    pairs = set(&[("template", "m.worker")]);
                }
                if url.contains("/records") {
                    pairs = set(&[("done_on", "2024-03-01"), ("note", "已检查")]);
                }
                if url.contains("/end") {
                    pairs = set(&[("end_date", "2024-12-31")]);
                }
                if url.contains("/change-post") {
                    pairs = set(&[("post_title", "班组长"), ("tier", "team_leader"), ("start_date", "2024-06-01")]);
                }
                if url.contains("/fit/dismiss") {
                    pairs = set(&[("key", "no-such-flag"), ("reason", "核实后不适用")]);
                }
                if url == "/spot-checks" {
                    pairs = set(&[("method", "manual"), ("units", inside_code.as_str())]);
                }
                if url == "/hazards" || url == "/api/v1/hazards" {
                    pairs = set(&[
                        ("organisation_id", inside_id.as_str()),
                        ("description", "消防通道堵塞"),
                        ("grade", "general"),
                        ("category", "management"),
                        ("origin", "grid_patrol"),
                        ("direction", "ordered_down"),
                        ("found_on", "2024-03-01"),
                    ]);
                }
                // The step needs the enterprise's own editors: officials get 403 before the state is looked at.
                if url.ends_with("/transition") || url.ends_with("/transitions") {
                    pairs = set(&[("action", "start_rectification")]);
                }
                if url.ends_with("/state") {
                    pairs = set(&[("state", "in_progress")]);
                }
                if url.ends_with("/visits") {
                    pairs = set(&[("target", inside_id.as_str())]);
                }
                if url.ends_with("/listing") {
                    pairs = set(&[("listed", "1")]);
                }
                if url.starts_with("/hazards/") && url.ends_with("/plan") || url.starts_with("/api/v1/hazards/") && url.ends_with("/plan") {
                    pairs = set(&[
                        ("aims", "消除隐患"),
                        ("measures", "更换"),
                        ("funds_and_materials", "8000 元"),
                        ("people", "设备科"),
                        ("deadline", "2024-03-20"),
                        ("safety_and_emergency_measures", "断电作业"),
                    ]);
                }
                if url.ends_with("/reward") {
                    pairs = set(&[("amount", "200")]);
                }
                if url.ends_with("/payout") {
                    pairs = set(&[("code", "NOSUCHCODE"), ("note", "现金")]);
                }
                if url.ends_with("/result") {
                    pairs = set(&[("covered_ok", "pass"), ("adjusted_ok", "fail"), ("fits_ok", "pass"), ("problems", "新员工未签字")]);
                }
                if url == "/inspections" {
                    pairs = set(&[
                        ("kind", "routine"),
                        ("starts_on", "2024-03-01"),
                        ("ends_on", "2024-03-02"),
                        ("targets", inside_code.as_str()),
                        ("inspectors", "检查员甲"),
                        ("checklist", "responsibility.daily"),
                    ]);
                }
                if url == "/draws" || url == "/api/v1/draws" {
                    pairs = set(&[("region", "370983100"), ("n", "1"), ("m", "1"), ("seed", "20240301")]);
                }
                if url.ends_with("/exemptions") {
                    pairs = set(&[
                        ("obligation", "m19-lists-cover-everyone"),
                        ("organisation_id", inside_id.as_str()),
                        ("period", "campaign"),
                        ("reason", "停产整顿"),
                    ]);
                }
                if url.ends_with("/subject-flags") {
                    pairs = set(&[("flag", "comprehensive_enforcement")]);
                }
                if url == "/activities" || url == "/api/v1/activities" {
                    pairs = set(&[
                        ("organisation_id", inside_id.as_str()),
                        ("kind", "training"),
                        ("title", "安全培训"),
                        ("held_on", "2024-03-05"),
                        ("organiser", "安全部"),
                    ]);
                }
                if url == "/patrols" || url == "/api/v1/patrols" {
                    pairs = set(&[
                        ("started_at", "2024-03-01T09:00"),
                        ("ended_at", "2024-03-01T10:00"),
                        ("region_code", "370983100201001"),
                        ("enterprise_id", inside_id.as_str()),
                        ("notes", "巡查"),
                    ]);
                }
                if url == "/publicity" || url == "/api/v1/publicity" {
                    pairs = set(&[
                        ("held_on", "2024-03-01"),
                        ("region_code", "370983100201001"),
                        ("place", "村委会"),
                        ("kind", "lecture"),
                        ("audience", "30"),
                    ]);
                }
                if url == "/users" {
                    pairs = vec![
                        ("username", format!("new_{fresh}")),
                        ("display_name", "新用户".into()),
                        ("role", "committee_office".into()),
                        ("region_code", "370983".into()),
                    ];
                }
                let staff_csv = format!("统一社会信用代码,姓名,岗位名称,岗位层级,任职日期\n{inside_code},赵六,班长,班组长,2024-03-02\n");
                let template_code = format!("t.{fresh}");
                let template_sheet = xlsx(
                    &["模板编号", "模板名称", "岗位层级", "行业分组", "职责", "依据", "频次", "履职凭证"],
                    &[&template_code, "测试模板", "worker", "general", "遵守操作规程", "", "daily", ""],
                );
                let checklist_sheet = xlsx(&["检查项目", "类别", "等级"], &[&format!("消防通道畅通{fresh}"), "管理", "一般"]);
                let activity_sheet =
                    xlsx(&["单位", "类型", "标题", "日期", "组织者"], &[&inside_id, "培训", "安全培训", "2024-03-06", "安全部"]);
                let checklist_code = format!("c.{fresh}");
                let pair_refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let req = match (*method, api) {
                    ("GET", false) => browser.get(url.clone()),
                    ("POST", false) if url == "/imports" => {
                        multipart(&browser, &url, &[("kind", "staff")], Some(("s.csv", staff_csv.as_bytes())))
                    }
                    ("POST", false) if url == "/duty-templates" => multipart(&browser, &url, &[], Some(("t.xlsx", &template_sheet))),
                    ("POST", false) if url == "/checklists" => multipart(
                        &browser,
                        &url,
                        &[("code", &checklist_code), ("name", "消防检查"), ("grade", "general")],
                        Some(("c.xlsx", &checklist_sheet)),
                    ),
                    ("POST", false) if url == "/campaigns" => multipart(&browser, &url, &[("source", campaign_text)], None),
                    ("POST", false) if url == "/activities/import" => multipart(&browser, &url, &[], Some(("a.xlsx", &activity_sheet))),
                    (_, false) => browser.post(url.clone(), &pair_refs),
                    (m, true) => {
                        let r = Req::new(m, url.clone()).header("authorization", format!("Bearer {token}"));
                        let raw = |mut r: Req, bytes: &[u8]| {
                            r.body = bytes.to_vec();
                            r
                        };
                        if m == "GET" {
                            r
                        } else if url == "/api/v1/imports/staff" {
                            raw(r, staff_csv.as_bytes())
                        } else if url.starts_with("/api/v1/checklists") {
                            let mut r = raw(r, &checklist_sheet);
                            r.path = format!("{url}?code={checklist_code}&name=%E6%B6%88%E9%98%B2&grade=general");
                            r
                        } else if url == "/api/v1/activities/import" {
                            raw(r, &activity_sheet)
                        } else {
                            let mut body = serde_json::Map::new();
                            for (k, v) in &pairs {
                                let value = if *k == "hazardous_work_kinds" { serde_json::json!([v]) } else { serde_json::json!(v) };
                                body.insert(k.to_string(), value);
                            }
                            let body = if url.ends_with("/items") {
                                serde_json::json!([{"text": "遵守操作规程", "frequency": "daily"}])
                            } else if url == "/api/v1/spot-checks" {
                                serde_json::json!({"method": "manual", "organisation_ids": [fx.inside.to_string()]})
                            } else if url == "/api/v1/duty-lists" {
                                serde_json::json!({"organisation_id": fx.inside.to_string(), "template": "m.worker"})
                            } else if url == "/api/v1/inspections" {
                                serde_json::json!({"kind": "routine", "starts_on": "2024-03-01", "ends_on": "2024-03-02",
                                    "targets": [fx.inside.to_string()], "inspectors": ["检查员甲"], "checklist": "responsibility.daily"})
                            } else if url == "/api/v1/draws" {
                                serde_json::json!({"region": "370983100", "n": 1, "m": 1, "seed": "20240301"})
                            } else if url == "/api/v1/campaigns" {
                                serde_json::json!({"source": campaign_text})
                            } else if url.ends_with("/subject-flags") {
                                serde_json::json!({"flag": "comprehensive_enforcement", "on": true})
                            } else if url.ends_with("/reward") {
                                serde_json::json!({"amount": "200"})
                            } else if url.ends_with("/payout") {
                                serde_json::json!({"code": "NOSUCHCODE", "note": "现金"})
                            } else if url == "/api/v1/patrols" {
                                serde_json::json!({"started_at": "2024-03-01T09:00", "ended_at": "2024-03-01T10:00",
                                    "region_code": "370983100201001", "place": "", "enterprise_id": inside_id, "notes": "巡查",
                                    "problems": [], "photos_base64": []})
                            } else if url == "/api/v1/publicity" {
                                serde_json::json!({"held_on": "2024-03-01", "region_code": "370983100201001", "place": "村委会",
                                    "kind": "lecture", "audience": "30", "notes": "", "photos_base64": []})
                            } else {
                                serde_json::Value::Object(body)
                            };
                            r.json(&body)
                        }
                    }
                };
                let res = app.send(req).await;
                let letter = if inside { expected.as_bytes()[ri] } else { b'N' };
                if !meets(letter, res.status) {
                    let why: String = res.body.chars().take(160).collect();
                    failures
                        .push(format!("{role:?} {method} {url} inside={inside}: expected {}, got {} {why}", letter as char, res.status));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
