//! Grid work (issue 4, deliverable 8): a patrol's problems become grid-patrol hazards of
//! their units in the patrol's own write (or nothing is written), per-worker yearly figures
//! against hand counts across a year boundary, scope (404 for another township), the rewards
//! list with a paid and an unpaid reward, and bad input refused by field.

use anze_domain::auth::{Assignment, Role};
use anze_service::hazard::{TransitionForm, transition};
use anze_service::patrol::{GridQuery, NewPatrol, NewPublicity, ProblemForm, create, create_publicity, detail, figures, list};
use anze_service::{Actor, ServiceError};
use anze_testkit::*;
use uuid::Uuid;

const GRID_A: &str = "/370000/370900/370983/370983100/370983100201/370983100201001";
const GRID_B: &str = "/370000/370900/370983/370983101/370983101201/370983101201001";

fn person(role: Role, org: Option<Uuid>, region: Option<&str>, name: &str) -> Actor {
    Actor {
        user_id: Some(Uuid::now_v7()),
        name: name.into(),
        assignments: vec![Assignment { role, region_path: region.map(String::from), organisation_id: org, industries: vec![] }],
        address: "test".into(),
        locale: "zh-CN".into(),
        must_change_password: false,
    }
}

async fn enterprise(ctx: &anze_service::Ctx, n: u32, town_b: bool) -> Uuid {
    let mut e = enterprise_input(&format!("企业{n:02}"), &credit_code(n));
    if town_b {
        e.region_code = "370983101201".into();
        e.grid_code = "370983101201001".into();
    }
    anze_service::org::create_enterprise(ctx, &Actor::system("t"), &e, chrono::Utc::now()).await.unwrap()
}

fn patrol(start: &str, end: &str, enterprise: Option<Uuid>) -> NewPatrol {
    NewPatrol {
        started_at: start.into(),
        ended_at: end.into(),
        place: "潮泉村工业园".into(),
        enterprise_id: enterprise.map(|e| e.to_string()).unwrap_or_default(),
        notes: "查看了消防通道和配电室".into(),
        ..Default::default()
    }
}

fn problem(unit: Option<Uuid>, description: &str, category: &str) -> ProblemForm {
    ProblemForm {
        organisation_id: unit.map(|u| u.to_string()).unwrap_or_default(),
        description: description.into(),
        category: category.into(),
        ..Default::default()
    }
}

fn code(e: ServiceError) -> String {
    match e {
        ServiceError::Invalid(f) => f.iter().map(|f| format!("{}:{}", f.field, f.code)).collect::<Vec<_>>().join(","),
        other => format!("{other:?}"),
    }
}

async fn count_rows(ctx: &anze_service::Ctx, table: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &ctx.db.read;
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn a_patrol_with_two_problems_makes_two_grid_patrol_hazards_for_their_units_in_one_write() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let (visited, neighbour) = (enterprise(&t.ctx, 1, false).await, enterprise(&t.ctx, 2, false).await);
    let worker = person(Role::GridWorker, None, Some(GRID_A), "网格员甲");
    let now = chrono::Utc::now();

    // One problem invalid (no category, a deadline before the patrol): nothing at all is written.
    let mut bad = patrol("2024-05-06T09:00", "2024-05-06T11:30", Some(visited));
    bad.problems = vec![
        problem(None, "消防通道堵塞", "management"),
        ProblemForm { deadline: "2024-05-01".into(), ..problem(Some(neighbour), "配电箱未上锁", "") },
    ];
    bad.photos = vec![TINY_PNG.to_vec()];
    let e = create(&t.ctx, &worker, &bad, now).await.unwrap_err();
    let ServiceError::Invalid(fields) = &e else { panic!("{e:?}") };
    let named: Vec<(&str, &str, Option<&str>)> = fields.iter().map(|f| (f.field, f.code, f.detail.as_deref())).collect();
    assert!(named.contains(&("problem_category", "field.required", Some("#2"))), "{named:?}");
    assert!(named.contains(&("problem_deadline", "hazard.deadline.before_found", Some("#2"))), "{named:?}");
    for table in ["patrols", "patrol_problems", "hazards", "hazard_events", "photos", "grid_photos"] {
        assert_eq!(count_rows(&t.ctx, table).await, 0, "{table} untouched");
    }

    // Both valid: the patrol, two hazards (origin grid_patrol, found on the patrol's day, each at
    // its own unit: the visited enterprise by default, the neighbour as typed), one photo.
    let mut good = bad.clone();
    good.problems[1] = ProblemForm { deadline: "2024-05-20".into(), ..problem(Some(neighbour), "配电箱未上锁", "thing") };
    let id = create(&t.ctx, &worker, &good, now).await.unwrap();
    let d = detail(&t.ctx, &worker, id).await.unwrap();
    assert_eq!(d.patrol.patrol_on.to_string(), "2024-05-06");
    assert_eq!(d.patrol.region_code, "370983100201001", "the worker's own grid by default");
    assert_eq!((d.patrol.problem_count, d.problems.len(), d.photo_ids.len()), (2, 2, 1));
    assert_eq!(d.enterprise_name.as_deref(), Some("企业01"));
    let sys = Actor::system("t");
    let units: Vec<String> = d.problems.iter().map(|p| p.organisation_id.clone()).collect();
    assert_eq!(units, [visited.to_string(), neighbour.to_string()]);
    for p in &d.problems {
        let h = anze_service::hazard::detail(&t.ctx, &sys, Uuid::parse_str(&p.hazard_id).unwrap(), now).await.unwrap().hazard;
        assert_eq!((h.origin.as_str(), h.state.as_str(), h.found_on.to_string().as_str()), ("grid_patrol", "reported", "2024-05-06"));
        assert_eq!(h.organisation_id, p.organisation_id);
        assert_eq!(h.reported_by_name, "网格员甲");
    }
    assert_eq!(count_rows(&t.ctx, "hazards").await, 2);
    let trail = anze_service::audit::trail(&t.ctx, "patrol", &id.to_string()).await.unwrap();
    assert_eq!(trail.len(), 1, "the patrol is audited");
}

#[tokio::test]
async fn figures_per_worker_count_patrols_days_enterprises_problems_closures_and_publicity_within_the_year() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let (e1, e2) = (enterprise(&t.ctx, 1, false).await, enterprise(&t.ctx, 2, false).await);
    let a = person(Role::GridWorker, None, Some(GRID_A), "网格员甲");
    let b = person(Role::GridWorker, None, Some(GRID_A), "网格员乙");
    let now = chrono::Utc::now();
    // A: two patrols on 1 June (two enterprises), one late on 31 December (local time), one on
    // 1 January of the next year; B: one patrol with a problem that is then closed.
    for (start, end, e) in [
        ("2024-06-01T08:00", "2024-06-01T09:00", Some(e1)),
        ("2024-06-01T14:00", "2024-06-01T15:00", Some(e2)),
        ("2024-12-31T23:10", "2024-12-31T23:50", Some(e1)),
        ("2025-01-01T08:00", "2025-01-01T09:00", None),
    ] {
        create(&t.ctx, &a, &patrol(start, end, e), now).await.unwrap();
    }
    let mut with_problem = patrol("2024-03-01T09:00", "2024-03-01T10:00", Some(e2));
    with_problem.problems = vec![problem(None, "灭火器过期", "thing"), ProblemForm { grade: "general".into(), ..Default::default() }];
    let pid = create(&t.ctx, &b, &with_problem, now).await.unwrap();
    let hazard = Uuid::parse_str(&detail(&t.ctx, &b, pid).await.unwrap().problems[0].hazard_id).unwrap();
    let boss = person(Role::EnterpriseAdmin, Some(e2), None, "厂长");
    let fixer = person(Role::SafetyManager, Some(e2), None, "安全员");
    let step = |action: &str| TransitionForm { action: action.into(), deadline: "2024-03-30".into(), ..Default::default() };
    for s in ["confirm", "start_rectification"] {
        transition(&t.ctx, &fixer, hazard, &step(s), now).await.unwrap();
    }
    let fix = TransitionForm { action: "submit_fix".into(), photos: vec![TINY_PNG.to_vec()], ..Default::default() };
    transition(&t.ctx, &fixer, hazard, &fix, now).await.unwrap();
    assert_eq!(transition(&t.ctx, &boss, hazard, &step("accept"), now).await.unwrap().as_str(), "closed");
    let event = |day: &str, audience: &str| NewPublicity {
        held_on: day.into(),
        place: "潮泉村委会".into(),
        kind: "lecture".into(),
        audience: audience.into(),
        ..Default::default()
    };
    for (day, n) in [("2024-04-01", "30"), ("2024-12-31", "0"), ("2025-01-02", "100")] {
        create_publicity(&t.ctx, &a, &event(day, n), now).await.unwrap();
    }

    let township = person(Role::TownshipOfficer, None, Some(TOWN_A_PATH), "镇安监办");
    let rows = figures(&t.ctx, &township, 2024, "").await.unwrap();
    let by_name = |name: &str| rows.iter().find(|r| r.worker_name == name).cloned().unwrap_or_default();
    let fa = by_name("网格员甲");
    assert_eq!(
        (fa.patrols, fa.days_patrolled, fa.enterprises_visited, fa.problems_found, fa.hazards_closed, fa.publicity_events, fa.audience),
        (3, 2, 2, 0, 0, 2, 30)
    );
    let fb = by_name("网格员乙");
    assert_eq!(
        (fb.patrols, fb.days_patrolled, fb.enterprises_visited, fb.problems_found, fb.hazards_closed, fb.publicity_events),
        (1, 1, 1, 1, 1, 0)
    );
    assert_eq!(rows[0].worker_name, "网格员甲", "sorted by patrols, most first");
    let by_closed = figures(&t.ctx, &township, 2024, "closed").await.unwrap();
    assert_eq!(by_closed[0].worker_name, "网格员乙");
    let next = figures(&t.ctx, &township, 2025, "").await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!((next[0].patrols, next[0].enterprises_visited, next[0].audience), (1, 0, 100));
    assert_eq!(code(figures(&t.ctx, &township, 2024, "height").await.unwrap_err()), "sort:patrol.sort.invalid");
    // A worker's own figures only; another township sees no one.
    let own = figures(&t.ctx, &person(Role::GridWorker, None, Some(GRID_B), "网格员丙"), 2024, "").await.unwrap();
    assert!(own.is_empty(), "{own:?}");
    let other = figures(&t.ctx, &person(Role::TownshipOfficer, None, Some(TOWN_B_PATH), "桃园镇"), 2024, "").await.unwrap();
    assert!(other.is_empty());
    // The month filter of the list counts the same.
    let june = list(&t.ctx, &township, &GridQuery { month: Some("2024-06".into()), ..Default::default() }, 50).await.unwrap().0;
    assert_eq!(june.len(), 2);
}

#[tokio::test]
async fn a_patrol_is_seen_by_its_worker_its_township_and_the_enterprise_visited_and_not_found_elsewhere() {
    let app = TestApp::new().await;
    let ctx = app.ctx();
    let visited = enterprise(ctx, 1, false).await;
    let now = chrono::Utc::now();
    let worker_pw = app
        .user("grid_a", Assignment { role: Role::GridWorker, region_path: Some(GRID_A.into()), organisation_id: None, industries: vec![] })
        .await;
    let browser = app.sign_in("grid_a", &worker_pw).await;
    let res = app
        .send(browser.post(
            "/patrols",
            &[
                ("started_at", "2024-05-06T09:00"),
                ("ended_at", "2024-05-06T10:00"),
                ("enterprise_id", &visited.to_string()),
                ("place", "一号厂区"),
                ("notes", "巡查无异常"),
            ],
        ))
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = res.location().trim_start_matches("/patrols/").split('?').next().unwrap_or_default().to_string();
    assert!(Uuid::parse_str(&id).is_ok(), "{}", res.location());
    let page = app.send(browser.get(format!("/patrols/{id}"))).await;
    assert!(page.status == 200 && page.body.contains("巡查无异常") && page.body.contains("企业01"), "{}", page.body);

    for (name, a, expected) in [
        (
            "town_a",
            Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] },
            200,
        ),
        ("boss", Assignment { role: Role::EnterpriseAdmin, region_path: None, organisation_id: Some(visited), industries: vec![] }, 200),
        (
            "town_b",
            Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_B_PATH.into()), organisation_id: None, industries: vec![] },
            404,
        ),
        ("grid_b", Assignment { role: Role::GridWorker, region_path: Some(GRID_B.into()), organisation_id: None, industries: vec![] }, 404),
    ] {
        let pw = app.user(name, a).await;
        let token = app.token(name, &pw).await;
        let res = app.send(Req::get(format!("/api/v1/patrols/{id}")).header("authorization", format!("Bearer {token}"))).await;
        assert_eq!(res.status, expected, "{name}: {}", res.body);
        let listed = app.send(Req::get("/api/v1/patrols").header("authorization", format!("Bearer {token}"))).await.json();
        let n = listed["items"].as_array().map_or(0, Vec::len);
        assert_eq!(n, usize::from(expected == 200), "{name}: the list agrees with the detail");
    }
    let officer = person(Role::TownshipOfficer, None, Some(TOWN_B_PATH), "桃园镇");
    assert!(matches!(detail(ctx, &officer, Uuid::parse_str(&id).unwrap()).await, Err(ServiceError::NotFound)));
    let _ = now;
}

#[tokio::test]
async fn bad_patrol_and_publicity_input_is_refused_by_field_and_an_enterprise_out_of_scope_is_not_found() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let inside = enterprise(&t.ctx, 1, false).await;
    let outside = enterprise(&t.ctx, 2, true).await;
    let worker = person(Role::GridWorker, None, Some(GRID_A), "网格员甲");
    let now = chrono::Utc::now();
    let tomorrow = (anze_domain::time::local_date(now) + chrono::Duration::days(1)).to_string();

    let e = code(create(&t.ctx, &worker, &patrol("2024-05-06T10:00", "2024-05-06T09:00", Some(inside)), now).await.unwrap_err());
    assert_eq!(e, "ended_at:patrol.end.before_start");
    let future = patrol(&format!("{tomorrow}T09:00"), &format!("{tomorrow}T10:00"), None);
    assert_eq!(code(create(&t.ctx, &worker, &future, now).await.unwrap_err()), "started_at:patrol.time.future,ended_at:patrol.time.future");
    let far = create(&t.ctx, &worker, &patrol("2024-05-06T09:00", "2024-05-06T10:00", Some(outside)), now).await.unwrap_err();
    assert!(matches!(far, ServiceError::NotFound), "{far:?}");
    let mut elsewhere = patrol("2024-05-06T09:00", "2024-05-06T10:00", None);
    elsewhere.region_code = "370983101201001".into();
    assert_eq!(code(create(&t.ctx, &worker, &elsewhere, now).await.unwrap_err()), "region_code:patrol.region.outside");
    let mut no_notes = patrol("2024-05-06T09:00", "2024-05-06T10:00", None);
    no_notes.notes = " ".into();
    assert_eq!(code(create(&t.ctx, &worker, &no_notes, now).await.unwrap_err()), "notes:field.required");
    let inspector = person(Role::DepartmentInspector, None, Some("/370000/370900/370983"), "检查员");
    assert!(matches!(
        create(&t.ctx, &inspector, &patrol("2024-05-06T09:00", "2024-05-06T10:00", None), now).await,
        Err(ServiceError::Forbidden)
    ));

    let event = |day: &str, kind: &str, audience: &str| NewPublicity {
        held_on: day.into(),
        place: "村委会".into(),
        kind: kind.into(),
        audience: audience.into(),
        ..Default::default()
    };
    assert_eq!(
        code(create_publicity(&t.ctx, &worker, &event("2024-05-06", "lecture", "-5"), now).await.unwrap_err()),
        "audience:publicity.audience.negative"
    );
    assert_eq!(
        code(create_publicity(&t.ctx, &worker, &event(&tomorrow, "lecture", "5"), now).await.unwrap_err()),
        "held_on:publicity.held_on.future"
    );
    assert_eq!(
        code(create_publicity(&t.ctx, &worker, &event("2024-05-06", "parade", "5"), now).await.unwrap_err()),
        "kind:publicity.kind.invalid"
    );
    for table in ["patrols", "publicity_events", "hazards", "audit_events"] {
        let n = count_rows(&t.ctx, table).await;
        assert!(table == "audit_events" || n == 0, "{table}: {n}");
    }
    assert_eq!(count_rows(&t.ctx, "patrols").await + count_rows(&t.ctx, "publicity_events").await, 0);
}

#[tokio::test]
async fn the_rewards_list_shows_a_paid_and_an_unpaid_reward_in_scope_with_the_code_masked() {
    use anze_service::hazard::{PhoneReport, grant_reward, phone_report, record_payout};
    let app = TestApp::new().await;
    let ctx = app.ctx();
    let org = enterprise(ctx, 1, false).await;
    let other = enterprise(ctx, 2, true).await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let boss = person(Role::EnterpriseAdmin, Some(org), None, "厂长");
    let confirm = TransitionForm {
        action: "confirm".into(),
        deadline: (anze_domain::time::local_date(now) + chrono::Duration::days(5)).to_string(),
        ..Default::default()
    };
    let mut receipts = vec![];
    for (unit, text) in [(org, "二号车间配电箱门损坏"), (org, "仓库灭火器过期三个月"), (other, "脚手架缺少扫地杆")]
    {
        let token = anze_service::phone::qr_token(ctx, &sys, unit, now).await.unwrap();
        let r = PhoneReport { description: text.into(), category: "thing".into(), ..Default::default() };
        let receipt = phone_report(ctx, &token, &r, "10.0.0.7", now).await.unwrap();
        transition(ctx, &sys, receipt.hazard_id, &confirm, now).await.unwrap();
        grant_reward(ctx, &sys, receipt.hazard_id, "200", now).await.unwrap();
        receipts.push(receipt);
    }
    record_payout(ctx, &boss, receipts[0].hazard_id, &receipts[0].code, "现金发放", now).await.unwrap();

    let pw = app
        .user(
            "town_a",
            Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] },
        )
        .await;
    let token = app.token("town_a", &pw).await;
    let res = app.send(Req::get("/api/v1/rewards").header("authorization", format!("Bearer {token}"))).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let items = res.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "town B's reward is out of scope: {items:?}");
    let of = |id: Uuid| items.iter().find(|i| i["hazard_id"] == id.to_string()).cloned().unwrap_or_default();
    let (paid, unpaid) = (of(receipts[0].hazard_id), of(receipts[1].hazard_id));
    assert_eq!((paid["paid"].as_bool(), paid["reward_fen"].as_i64()), (Some(true), Some(20000)));
    assert_eq!((unpaid["paid"].as_bool(), unpaid["paid_at"].is_null()), (Some(false), true));
    let masked = paid["receipt_code_masked"].as_str().unwrap_or_default();
    assert_eq!(masked, format!("******{}", &receipts[0].code[6..]));
    assert!(!res.body.contains(&receipts[1].code), "no full claim code in the list");
}

#[tokio::test]
async fn the_pages_record_a_patrol_with_a_problem_and_publicity_and_the_figures_export_to_xlsx() {
    let app = TestApp::new().await;
    let visited = enterprise(app.ctx(), 1, false).await;
    let pw = app
        .user("grid_a", Assignment { role: Role::GridWorker, region_path: Some(GRID_A.into()), organisation_id: None, industries: vec![] })
        .await;
    let b = app.sign_in("grid_a", &pw).await;
    let home = app.send(b.get("/")).await;
    assert!(home.body.contains("id=\"nav-grid\""), "grid workers get the nav link");

    let form = app.send(b.get("/patrols/new")).await;
    assert!(form.status == 200 && form.body.contains("id=\"patrol-form\"") && form.body.contains("企业01"), "{}", form.body);
    let visited_id = visited.to_string();
    let fields = |end: &'static str| {
        vec![
            ("started_at", "2024-05-06T09:00"),
            ("ended_at", end),
            ("enterprise_id", visited_id.as_str()),
            ("notes", "检查了危化品仓库"),
            ("problem_description_1", "危化品仓库未设置防爆灯具"),
            ("problem_category_1", "thing"),
            ("problem_grade_1", "general"),
            ("problem_grade_2", "general"),
        ]
    };
    let refused = app.send(b.post("/patrols", &fields("2024-05-06T08:00"))).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("结束时间不能早于开始时间"), "the field's sentence in Chinese: {}", refused.body);
    let saved = app.send(b.post("/patrols", &fields("2024-05-06T10:00"))).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = app.send(b.get(saved.location())).await;
    assert!(page.body.contains("危化品仓库未设置防爆灯具") && page.body.contains("/hazards/"), "{}", page.body);
    let list = app.send(b.get("/patrols?month=2024-05")).await;
    assert!(list.body.contains("检查了危化品仓库"));
    let bad_month = app.send(b.get("/patrols?month=May")).await;
    assert!(bad_month.status == 200 && bad_month.body.contains("月份格式应为 2024-03"), "{}", bad_month.body);

    let pform = app.send(b.get("/publicity/new")).await;
    assert!(pform.status == 200 && pform.body.contains("id=\"publicity-form\""));
    let event =
        |audience: &'static str| vec![("held_on", "2024-05-07"), ("kind", "leaflets"), ("place", "潮泉村文化广场"), ("audience", audience)];
    let negative = app.send(b.post("/publicity", &event("-1"))).await;
    assert!(negative.status == 422 && negative.body.contains("受众人数不能为负数"), "{}", negative.body);
    let ok = app.send(b.post("/publicity", &event("45"))).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let events = app.send(b.get("/publicity")).await;
    assert!(events.body.contains("潮泉村文化广场") && events.body.contains("发放资料"));

    let figures = app.send(b.get("/grid/figures?year=2024&sort=audience")).await;
    assert!(figures.status == 200 && figures.body.contains("grid_a") && figures.body.contains("受众人数"), "{}", figures.body);
    let xlsx = app.send(b.get("/grid/figures.xlsx?year=2024")).await;
    assert_eq!(xlsx.status, 200);
    let sheet = anze_service::sheet::read_table(&xlsx.bytes).expect("the figures open as a workbook");
    let col = |h: &str| sheet.headers.iter().position(|x| x == h).unwrap_or_else(|| panic!("column {h}: {:?}", sheet.headers));
    assert_eq!(sheet.headers[0], "网格员");
    let (_, row) = sheet.rows.iter().find(|(_, r)| r[0] == "grid_a").expect("grid_a's row");
    assert_eq!((row[col("巡查次数")].as_str(), row[col("发现问题数")].as_str(), row[col("受众人数")].as_str()), ("1", "1", "45"));
    let api = app
        .send(Req::get("/api/v1/grid/figures?year=2024").header("authorization", format!("Bearer {}", app.token("grid_a", &pw).await)))
        .await;
    let row = &api.json()["rows"][0];
    assert_eq!(
        (row["patrols"].as_i64(), row["problems_found"].as_i64(), row["audience"].as_i64()),
        (Some(1), Some(1), Some(45)),
        "{}",
        api.body
    );
}

#[tokio::test]
async fn the_demo_grid_worker_has_recent_patrols_and_publicity() {
    let t = test_db().await;
    let now = chrono::Utc::now();
    anze_service::demo::load(&t.ctx, anze_service::demo::data::Scale::Small, 7, now).await.unwrap().expect("an empty database");
    let sys = Actor::system("t");
    let (patrols, _) = list(&t.ctx, &sys, &GridQuery::default(), 50).await.unwrap();
    assert_eq!(patrols.len(), 3);
    assert!(patrols.iter().all(|p| p.worker_name == "网格员 吴芳" && p.patrol_on < anze_domain::time::local_date(now)));
    let (events, _) = anze_service::patrol::list_publicity(&t.ctx, &sys, &GridQuery::default(), 50).await.unwrap();
    assert_eq!(events.len(), 1);
}
