//! The authorisation matrix: every route the router declares, for every role, against one
//! object inside the role's scope and one outside it. Out of scope is always 404; inside,
//! reading works and writing works exactly when the access policy says so (403 otherwise).
//! The table below must name every route in the web crate's source, or the test fails.

use anze_domain::auth::{Action, Assignment, Role, Target};
use anze_domain::org::OrgKind;
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

/// What a route does to the object it names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// No object: open to every signed-in user (or public).
    Open,
    /// City administrators only; others get 404.
    AdminOnly,
    /// Reads the object.
    View,
    /// Changes the object.
    Edit,
    /// Creates (scope checked on the new record).
    Create,
    /// Inspects the object (spot checks): officials with inspection powers over it.
    Inspect,
    /// No object in scope (a draw): officials with inspection powers anywhere; others 404.
    Official,
    /// Public once published (a draw's result after its inspections): the fixture's object is
    /// not, so 404 for everyone (publication is tested with the inspections).
    Unpublished,
    /// A notice of a unit the user acts for (reminders, issue 5): only the unit's own users;
    /// everyone else 404.
    Own,
}

const TABLE: &[(&str, &str, Kind)] = &[
    ("GET", "/api/openapi.json", Kind::Open),
    ("GET", "/api/docs", Kind::Open),
    ("GET", "/static/{*path}", Kind::Open),
    ("GET", "/healthz", Kind::Open),
    ("GET", "/readyz", Kind::Open),
    ("GET", "/", Kind::Open),
    ("GET", "/login", Kind::Open),
    ("POST", "/login", Kind::Open),
    ("POST", "/logout", Kind::Open),
    ("GET", "/password", Kind::Open),
    ("POST", "/password", Kind::Open),
    ("GET", "/enterprises", Kind::Open),
    ("POST", "/enterprises", Kind::Create),
    ("GET", "/enterprises/new", Kind::Open),
    ("GET", "/enterprises/{id}", Kind::View),
    ("POST", "/enterprises/{id}", Kind::Edit),
    ("GET", "/enterprises/{id}/edit", Kind::Edit),
    ("GET", "/organisations", Kind::Open),
    ("POST", "/organisations", Kind::Create),
    ("GET", "/organisations/new", Kind::Open),
    ("GET", "/organisations/{id}", Kind::View),
    ("POST", "/organisations/{id}/staff", Kind::Edit),
    ("POST", "/employments/{id}/end", Kind::Edit),
    ("GET", "/regions", Kind::Open),
    ("GET", "/m/{token}", Kind::Open),
    ("POST", "/m/{token}", Kind::Open),
    ("POST", "/m/{token}/sign", Kind::Open),
    ("GET", "/enterprises/{id}/qr.svg", Kind::Edit),
    ("POST", "/enterprises/{id}/duty-lists", Kind::Edit),
    ("GET", "/duty-lists/{id}", Kind::View),
    ("GET", "/duty-templates", Kind::Open),
    ("POST", "/duty-templates", Kind::Create),
    ("GET", "/duty-templates.xlsx", Kind::Open),
    ("GET", "/duty-lists/{id}/compare/{other}", Kind::View),
    ("POST", "/duty-lists/{id}/publish", Kind::Edit),
    ("POST", "/enterprises/{id}/qr/revoke", Kind::Edit),
    ("GET", "/users", Kind::AdminOnly),
    ("POST", "/users", Kind::AdminOnly),
    ("GET", "/users/new", Kind::AdminOnly),
    ("POST", "/users/{username}/reset", Kind::AdminOnly),
    ("POST", "/users/{username}/disable", Kind::AdminOnly),
    ("POST", "/users/{username}/enable", Kind::AdminOnly),
    ("GET", "/audit", Kind::AdminOnly),
    ("GET", "/audit/{object_type}/{id}", Kind::View),
    ("GET", "/imports", Kind::Open),
    ("POST", "/imports", Kind::Create),
    ("GET", "/imports/{id}", Kind::Open),
    ("GET", "/imports/{id}/errors.xlsx", Kind::Open),
    ("GET", "/imports/template/{file}", Kind::Open),
    ("GET", "/exports/enterprises.xlsx", Kind::Open),
    ("GET", "/organisations/{id}/staff.xlsx", Kind::View),
    ("POST", "/api/v1/auth/token", Kind::Open),
    ("DELETE", "/api/v1/auth/token", Kind::Open),
    ("GET", "/api/v1/me", Kind::Open),
    ("GET", "/api/v1/regions", Kind::Open),
    ("GET", "/api/v1/organisations", Kind::Open),
    ("POST", "/api/v1/organisations", Kind::Create),
    ("GET", "/api/v1/organisations/{id}", Kind::View),
    ("GET", "/api/v1/organisations/{id}/staff", Kind::View),
    ("POST", "/api/v1/organisations/{id}/staff", Kind::Edit),
    ("GET", "/api/v1/enterprises", Kind::Open),
    ("POST", "/api/v1/enterprises", Kind::Create),
    ("GET", "/api/v1/enterprises/{id}", Kind::View),
    ("PUT", "/api/v1/enterprises/{id}", Kind::Edit),
    ("POST", "/api/v1/imports/{kind}", Kind::Create),
    ("GET", "/api/v1/audit-events", Kind::View),
    ("GET", "/api/v1/duty-templates", Kind::Open),
    ("POST", "/api/v1/duty-lists", Kind::Create),
    ("PUT", "/api/v1/duty-lists/{id}/items", Kind::Edit),
    ("POST", "/api/v1/duty-lists/{id}/publish", Kind::Edit),
    ("GET", "/api/v1/organisations/{id}/coverage", Kind::View),
    ("GET", "/api/v1/organisations/{id}/fit", Kind::View),
    ("POST", "/employments/{id}/change-post", Kind::Edit),
    ("GET", "/coverage", Kind::Open),
    ("GET", "/coverage/enterprises", Kind::Open),
    ("GET", "/coverage/government", Kind::Open),
    ("POST", "/enterprises/{id}/fit/dismiss", Kind::Inspect),
    ("POST", "/api/v1/organisations/{id}/fit/dismissals", Kind::Inspect),
    ("GET", "/api/v1/organisations/{id}/duty-lists", Kind::View),
    ("GET", "/api/v1/organisations/{id}/acknowledgements", Kind::View),
    ("GET", "/api/v1/organisations/{id}/notifications", Kind::View),
    ("POST", "/api/v1/organisations/{id}/qr", Kind::Edit),
    ("POST", "/api/v1/employments/{id}/change-post", Kind::Edit),
    ("GET", "/api/v1/coverage", Kind::Open),
    ("GET", "/api/v1/coverage/enterprises", Kind::Open),
    ("GET", "/api/v1/coverage/government", Kind::Open),
    ("GET", "/duty-items/{id}", Kind::View),
    ("POST", "/duty-items/{id}/records", Kind::Edit),
    ("GET", "/photos/{id}", Kind::View),
    ("GET", "/photos/{id}/thumb", Kind::View),
    ("GET", "/duty-lists/{id}/print", Kind::View),
    ("GET", "/duty-lists/{id}/docx", Kind::View),
    ("GET", "/api/v1/duty-items/{id}/records", Kind::View),
    ("POST", "/api/v1/duty-items/{id}/records", Kind::Edit),
    ("GET", "/spot-checks", Kind::Open),
    ("POST", "/spot-checks", Kind::Create),
    ("GET", "/spot-checks/{id}", Kind::View),
    ("POST", "/spot-checks/{id}/result", Kind::Inspect),
    ("GET", "/enterprises/{id}/ledger", Kind::View),
    ("GET", "/ledgers", Kind::Open),
    ("GET", "/api/v1/spot-checks", Kind::Open),
    ("POST", "/api/v1/spot-checks", Kind::Create),
    ("GET", "/api/v1/spot-checks/{id}", Kind::View),
    ("POST", "/api/v1/spot-checks/{id}/result", Kind::Inspect),
    ("GET", "/api/v1/enterprises/{id}/ledger", Kind::View),
    ("GET", "/api/v1/ledgers", Kind::Open),
    // hazards (issue 4)
    ("GET", "/hazards", Kind::Open),
    ("POST", "/hazards", Kind::Create),
    ("GET", "/hazards/new", Kind::Open),
    ("GET", "/hazards/overview", Kind::Open),
    ("GET", "/hazards/{id}", Kind::View),
    ("POST", "/hazards/{id}/transition", Kind::Edit),
    ("POST", "/hazards/{id}/plan", Kind::Edit),
    ("POST", "/hazards/{id}/listing", Kind::Inspect),
    ("GET", "/api/v1/hazards", Kind::Open),
    ("POST", "/api/v1/hazards", Kind::Create),
    ("GET", "/api/v1/hazards/overview", Kind::Open),
    ("GET", "/api/v1/hazards/{id}", Kind::View),
    ("POST", "/api/v1/hazards/{id}/transitions", Kind::Edit),
    ("PUT", "/api/v1/hazards/{id}/plan", Kind::Edit),
    ("POST", "/hazards/{id}/exposure", Kind::Inspect),
    ("GET", "/exposure", Kind::Open),
    ("POST", "/hazards/{id}/reward", Kind::Edit),
    ("POST", "/hazards/{id}/payout", Kind::Edit),
    ("POST", "/api/v1/hazards/{id}/reward", Kind::Edit),
    ("POST", "/api/v1/hazards/{id}/payout", Kind::Edit),
    ("GET", "/inspections", Kind::Open),
    ("POST", "/inspections", Kind::Create),
    ("GET", "/inspections/stats", Kind::Open),
    ("GET", "/checklists", Kind::Open),
    ("POST", "/checklists", Kind::Create),
    ("GET", "/checklists/template.xlsx", Kind::Open),
    ("POST", "/api/v1/checklists", Kind::Create),
    ("GET", "/api/v1/inspections/stats", Kind::Open),
    ("GET", "/inspections/{id}", Kind::View),
    ("POST", "/inspections/{id}/state", Kind::Inspect),
    ("POST", "/inspections/{id}/visits", Kind::Inspect),
    ("GET", "/inspections/{id}/report.docx", Kind::View),
    ("GET", "/inspections/{id}/archive.zip", Kind::View),
    ("POST", "/draws", Kind::Create),
    ("GET", "/draws/{id}", Kind::Official),
    ("GET", "/draws/{id}/public", Kind::Unpublished),
    ("GET", "/api/v1/checklists", Kind::Open),
    ("GET", "/api/v1/inspections", Kind::Open),
    ("POST", "/api/v1/inspections", Kind::Create),
    ("GET", "/api/v1/inspections/{id}", Kind::View),
    ("POST", "/api/v1/inspections/{id}/state", Kind::Inspect),
    ("POST", "/api/v1/inspections/{id}/visits", Kind::Inspect),
    ("POST", "/api/v1/draws", Kind::Create),
    ("GET", "/api/v1/draws/{id}", Kind::Official),
    ("GET", "/m/{token}/hazard", Kind::Open),
    ("POST", "/m/{token}/hazard", Kind::Open),
    // campaigns (issue 5)
    ("GET", "/campaigns", Kind::Open),
    ("POST", "/campaigns", Kind::Create),
    ("GET", "/campaigns/{id}", Kind::Open),
    ("POST", "/campaigns/{id}/copy", Kind::Create),
    ("POST", "/campaigns/{id}/exemptions", Kind::Create),
    ("GET", "/activities", Kind::Open),
    ("POST", "/activities", Kind::Create),
    ("POST", "/activities/import", Kind::Create),
    ("GET", "/activities/template.xlsx", Kind::Open),
    ("GET", "/board", Kind::Open),
    ("GET", "/board.xlsx", Kind::Open),
    ("GET", "/board/units/{id}", Kind::View),
    ("GET", "/api/v1/campaigns", Kind::Open),
    ("POST", "/api/v1/campaigns", Kind::Create),
    ("GET", "/api/v1/campaigns/{id}/obligations", Kind::Open),
    ("POST", "/api/v1/campaigns/{id}/copy", Kind::Create),
    ("POST", "/api/v1/campaigns/{id}/exemptions", Kind::Create),
    ("POST", "/api/v1/organisations/{id}/subject-flags", Kind::Create),
    ("GET", "/api/v1/activities", Kind::Open),
    ("POST", "/api/v1/activities", Kind::Create),
    ("POST", "/api/v1/activities/import", Kind::Create),
    ("GET", "/api/v1/board", Kind::Open),
    ("GET", "/api/v1/board/units/{id}", Kind::View),
    ("GET", "/attachments/{id}", Kind::View),
    // reminders and outbox (issue 5)
    ("GET", "/notifications", Kind::Open),
    ("POST", "/notifications/{id}/read", Kind::Own),
    ("GET", "/api/v1/notifications", Kind::Open),
    ("POST", "/api/v1/notifications/{id}/read", Kind::Own),
    // grid work (issue 4)
    ("GET", "/patrols", Kind::Open),
    ("POST", "/patrols", Kind::Create),
    ("GET", "/patrols/new", Kind::Open),
    ("GET", "/patrols/{id}", Kind::View),
    ("GET", "/publicity", Kind::Open),
    ("POST", "/publicity", Kind::Create),
    ("GET", "/publicity/new", Kind::Open),
    ("GET", "/grid/figures", Kind::Open),
    ("GET", "/grid/figures.xlsx", Kind::Open),
    ("GET", "/api/v1/patrols", Kind::Open),
    ("POST", "/api/v1/patrols", Kind::Create),
    ("GET", "/api/v1/patrols/{id}", Kind::View),
    ("GET", "/api/v1/publicity", Kind::Open),
    ("POST", "/api/v1/publicity", Kind::Create),
    ("GET", "/api/v1/grid/figures", Kind::Open),
    ("GET", "/api/v1/rewards", Kind::Open),
];

#[test]
fn every_declared_route_is_in_the_matrix() {
    let routes = declared_routes();
    assert!(routes.len() > 30, "the parser found the routes: {routes:?}");
    for r in &routes {
        assert!(
            TABLE.iter().any(|(m, p, _)| *m == r.method && *p == r.path),
            "route {} {} is missing from the matrix table",
            r.method,
            r.path
        );
    }
    for (m, p, _) in TABLE {
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
    Fixture {
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

fn assignment(role: Role, inside: Uuid) -> Assignment {
    let (region_path, organisation_id, industries) = match role {
        Role::CityAdmin => (None, None, vec![]),
        Role::CommitteeOffice => (Some(TOWN_A_PATH.to_string()), None, vec![]),
        Role::SpecialCommitteeOffice | Role::DepartmentLeader | Role::DepartmentInspector => {
            (Some("/370000/370900/370983".into()), None, vec!["26".to_string()])
        }
        Role::TownshipOfficer => (Some(TOWN_A_PATH.into()), None, vec![]),
        Role::GridWorker => (Some(format!("{TOWN_A_PATH}/370983100201/370983100201001")), None, vec![]),
        Role::EnterpriseAdmin | Role::SafetyManager | Role::Employee => (None, Some(inside), vec![]),
    };
    Assignment { role, region_path, organisation_id, industries }
}

/// The import form with a one-row staff CSV for enterprise A.
fn multipart(b: &Browser, code: &str) -> Req {
    let boundary = "XBOUNDARYX";
    let csv = format!("统一社会信用代码,姓名,岗位名称,岗位层级,任职日期\n{code},赵六,班长,班组长,2024-03-02\n");
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nstaff\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let mut r = Req::new("POST", format!("/imports?csrf_token={}", b.csrf))
        .header("cookie", b.cookie.clone())
        .header("content-type", format!("multipart/form-data; boundary={boundary}"));
    r.body = body.into_bytes();
    r
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

/// Authorised outcomes: success, a redirect, a validation error, or a business refusal
/// (409: the post was already ended by an earlier role in the loop).
fn is_ok(status: u16) -> bool {
    (200..400).contains(&status) || status == 422 || status == 409
}

#[tokio::test]
async fn every_route_for_every_role_inside_and_outside_scope() {
    let app = TestApp::new().await;
    let fx = fixture(&app).await;
    let mut failures = vec![];
    for role in Role::ALL {
        let a = assignment(role, fx.inside);
        let username = format!("u_{}", role.as_str());
        let pw = app.user(&username, a.clone()).await;
        let browser = app.sign_in(&username, &pw).await;
        let token = app.token(&username, &pw).await;
        let target_of = |id: Uuid, industry: &str, town: &str| Target {
            kind: OrgKind::Enterprise,
            organisation_id: id,
            region_path: format!("{town}/370983100201"),
            industry_code: Some(industry.into()),
        };
        let inside_target = target_of(fx.inside, "26", TOWN_A_PATH);
        let outside_target = Target { region_path: format!("{TOWN_B_PATH}/370983101201"), ..target_of(fx.outside, "47", TOWN_B_PATH) };
        let sees_outside = anze_domain::auth::can(std::slice::from_ref(&a), Action::View, &outside_target);
        let can_edit = anze_domain::auth::can(std::slice::from_ref(&a), Action::Edit, &inside_target);
        let can_inspect = anze_domain::auth::can(std::slice::from_ref(&a), Action::Inspect, &inside_target);
        for (method, path, kind) in TABLE {
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
            let cases: Vec<(bool, Uuid, [&str; 8])> = match kind {
                Kind::View | Kind::Edit | Kind::Inspect | Kind::Own => {
                    vec![(true, fx.inside, inside_objects), (false, fx.outside, outside_objects)]
                }
                _ => vec![(true, fx.inside, inside_objects)],
            };
            for (inside, id, objects) in cases {
                if !inside && sees_outside {
                    continue; // city-wide roles have no "outside"
                }
                let notice = if inside { &fx.inside_notice } else { &fx.outside_notice };
                let patrol = if inside { &fx.inside_patrol } else { &fx.outside_patrol };
                let attachment = if inside { &fx.inside_attachment } else { &fx.outside_attachment };
                let with_campaign = path
                    .replace("/campaigns/{id}", &format!("/campaigns/{}", fx.campaign))
                    .replace("/notifications/{id}", &format!("/notifications/{notice}"))
                    .replace("/patrols/{id}", &format!("/patrols/{patrol}"))
                    .replace("/attachments/{id}", &format!("/attachments/{attachment}"));
                let mut url = fill(&with_campaign, id, objects);
                if *path == "/api/v1/audit-events" {
                    url = format!("{url}?object_type=organisation&object_id={id}");
                }
                let api = url.starts_with("/api/v1");
                let form = enterprise_form(if inside { "甲化工" } else { "乙建筑" }, &credit_code(if inside { 1 } else { 2 }));
                let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                if url.contains("/staff") {
                    pairs = vec![("name", "新员工"), ("post_title", "操作工"), ("tier", "worker"), ("start_date", "2024-02-01")];
                }
                if url == "/organisations" || url == "/api/v1/organisations" {
                    pairs = vec![("kind", "department"), ("name", "某局"), ("region_code", "370983100")];
                }
                if url.ends_with("/duty-lists") {
                    pairs = vec![("template", "m.worker")];
                }
                if url.contains("/records") {
                    pairs = vec![("done_on", "2024-03-01"), ("note", "已检查")];
                }
                if url.contains("/end") {
                    pairs = vec![("end_date", "2024-12-31")];
                }
                if url.contains("/change-post") {
                    pairs = vec![("post_title", "班组长"), ("tier", "team_leader"), ("start_date", "2024-06-01")];
                }
                if url.contains("/fit/dismiss") {
                    pairs = vec![("key", "no-such-flag"), ("reason", "核实后不适用")];
                }
                let inside_code = credit_code(1);
                let inside_id = fx.inside.to_string();
                if url == "/spot-checks" {
                    pairs = vec![("method", "manual"), ("units", inside_code.as_str())];
                }
                if url == "/hazards" || url == "/api/v1/hazards" {
                    pairs = vec![
                        ("organisation_id", inside_id.as_str()),
                        ("description", "消防通道堵塞"),
                        ("grade", "general"),
                        ("category", "management"),
                        ("origin", "grid_patrol"),
                        ("direction", "ordered_down"),
                        ("found_on", "2024-03-01"),
                    ];
                }
                // The step needs the enterprise's own editors: officials get 403 before the state is looked at.
                if url.ends_with("/transition") || url.ends_with("/transitions") {
                    pairs = vec![("action", "start_rectification")];
                }
                if url.ends_with("/state") {
                    pairs = vec![("state", "in_progress")];
                }
                if url.ends_with("/visits") {
                    pairs = vec![("target", inside_id.as_str())];
                }
                if url.ends_with("/listing") {
                    pairs = vec![("listed", "1")];
                }
                if url.starts_with("/hazards/") && url.ends_with("/plan") || url.starts_with("/api/v1/hazards/") && url.ends_with("/plan") {
                    pairs = vec![
                        ("aims", "消除隐患"),
                        ("measures", "更换"),
                        ("funds_and_materials", "8000 元"),
                        ("people", "设备科"),
                        ("deadline", "2024-03-20"),
                        ("safety_and_emergency_measures", "断电作业"),
                    ];
                }
                if url.ends_with("/result") {
                    pairs = vec![("covered_ok", "pass"), ("adjusted_ok", "fail"), ("fits_ok", "pass"), ("problems", "新员工未签字")];
                }
                let req = match (*method, api) {
                    ("GET", false) => browser.get(url.clone()),
                    ("POST", false) if url == "/imports" || url == "/duty-templates" => multipart(&browser, &credit_code(1)),
                    (_, false) => browser.post(url.clone(), &pairs),
                    (m, true) => {
                        let mut body = serde_json::Map::new();
                        for (k, v) in &pairs {
                            let value = if *k == "hazardous_work_kinds" { serde_json::json!([v]) } else { serde_json::json!(v) };
                            body.insert(k.to_string(), value);
                        }
                        let r = Req::new(m, url.clone()).header("authorization", format!("Bearer {token}"));
                        let body = if url.ends_with("/items") {
                            serde_json::json!([{"text": "遵守操作规程", "frequency": "daily"}])
                        } else if url == "/api/v1/spot-checks" {
                            serde_json::json!({"method": "manual", "organisation_ids": [fx.inside.to_string()]})
                        } else if url == "/api/v1/duty-lists" {
                            serde_json::json!({"organisation_id": fx.inside.to_string(), "template": "m.worker"})
                        } else {
                            serde_json::Value::Object(body)
                        };
                        if m == "GET" { r } else { r.json(&body) }
                    }
                };
                let status = app.send(req).await.status;
                let expected_ok = match kind {
                    Kind::Open => true,
                    Kind::AdminOnly => role == Role::CityAdmin,
                    Kind::View => inside,
                    Kind::Edit => inside && can_edit,
                    Kind::Inspect => inside && can_inspect,
                    Kind::Official => a.role.inspects(),
                    Kind::Own => inside && a.organisation_id == Some(fx.inside),
                    Kind::Create => true, // refused per row or per record, covered by service tests
                    Kind::Unpublished => false,
                };
                let good = if expected_ok {
                    is_ok(status) || (*kind == Kind::Create && status == 403)
                } else if matches!(kind, Kind::AdminOnly | Kind::Official | Kind::Unpublished | Kind::Own) {
                    status == 404
                } else if inside {
                    status == 403
                } else {
                    status == 404
                };
                if !good {
                    failures.push(format!("{role:?} {method} {url} inside={inside}: got {status}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
