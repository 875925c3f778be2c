//! List spot checks: random draws reproducible from their seed and confined to the inspector's
//! jurisdiction, figures pre-filled from coverage and fit, results recorded once.

use anze_domain::auth::{Assignment, Role};
use anze_service::duty::{Signature, acknowledge, add_template, create_list, publish};
use anze_service::people::StaffInput;
use anze_service::spot_check::{NewSpotChecks, SpotCheckResult, create, get_check, record};
use anze_service::{Actor, ServiceError};
use anze_testkit::*;
use uuid::Uuid;

fn official(role: Role, region: &str, industries: &[&str]) -> Actor {
    Actor {
        user_id: None,
        name: format!("{}检查员", role.as_str()),
        assignments: vec![Assignment {
            role,
            region_path: Some(region.into()),
            organisation_id: None,
            industries: industries.iter().map(|s| s.to_string()).collect(),
        }],
        address: "test".into(),
        locale: "zh-CN".into(),
        must_change_password: false,
    }
}

/// An enterprise numbered `n` in town A (`town_b` false) or B, of an industry and risk.
async fn enterprise(t: &TestDb, n: u32, town_b: bool, industry: &str, risk: &str) -> Uuid {
    let mut e = enterprise_input(&format!("企业{n:02}"), &credit_code(n));
    e.industry_code = industry.into();
    e.risk_level = risk.into();
    if town_b {
        e.region_code = "370983101201".into();
        e.grid_code = "370983101201001".into();
    }
    anze_service::org::create_enterprise(&t.ctx, &Actor::system("t"), &e, chrono::Utc::now()).await.unwrap()
}

fn random(region: Option<&str>, risk: Option<&str>, count: u32, seed: Option<&str>) -> NewSpotChecks {
    NewSpotChecks {
        method: "random".into(),
        region: region.map(String::from),
        risk: risk.map(String::from),
        count: Some(count),
        seed: seed.map(String::from),
        ..Default::default()
    }
}

async fn units_of(t: &TestDb, actor: &Actor, ids: &[String]) -> Vec<String> {
    let mut out = vec![];
    for id in ids {
        out.push(get_check(&t.ctx, actor, Uuid::parse_str(id).unwrap()).await.unwrap().organisation_id);
    }
    out
}

#[tokio::test]
async fn a_random_draw_is_reproducible_from_its_seed_and_stays_in_scope() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let mut town_a = vec![];
    for n in 1..=7 {
        let risk = if n % 3 == 0 { "red" } else { "yellow" };
        town_a.push(enterprise(&t, n, false, "26", risk).await.to_string());
    }
    let mut town_b = vec![];
    for n in 11..=15 {
        town_b.push(enterprise(&t, n, true, "26", "red").await.to_string());
    }
    let officer = official(Role::TownshipOfficer, TOWN_A_PATH, &[]);
    let now = chrono::Utc::now();

    let first = create(&t.ctx, &officer, &random(None, None, 3, Some("20240430")), now).await.unwrap();
    let again = create(&t.ctx, &officer, &random(None, None, 3, Some("20240430")), now).await.unwrap();
    let (a, b) = (units_of(&t, &officer, &first.ids).await, units_of(&t, &officer, &again.ids).await);
    assert_eq!(a, b, "the same seed over the same pool draws the same units, in the same order");
    assert_eq!(a.len(), 3);
    assert!(a.iter().all(|u| town_a.contains(u) && !town_b.contains(u)), "only units of the officer's township: {a:?}");

    // The record lets anyone repeat the draw: the pool is town A's enterprises by id.
    let d = first.draw.clone().expect("a random draw is recorded");
    let mut pool = town_a.clone();
    pool.sort();
    assert_eq!((d.seed.as_str(), d.pool_size), ("20240430", 7));
    assert_eq!(d.pool_hash, anze_domain::spot_check::pool_hash(&pool));
    assert_eq!(a, anze_domain::spot_check::draw(&pool, 3, 20_240_430));
    let c = get_check(&t.ctx, &officer, Uuid::parse_str(&first.ids[0]).unwrap()).await.unwrap();
    assert_eq!((c.method.as_str(), c.seed.as_deref(), c.pool_size), ("random", Some("20240430"), 7));

    // Other seeds give other draws (over a few seeds at least one differs).
    let mut differs = false;
    for seed in ["1", "2", "3"] {
        let other = create(&t.ctx, &officer, &random(None, None, 3, Some(seed)), now).await.unwrap();
        differs |= units_of(&t, &officer, &other.ids).await != a;
    }
    assert!(differs);

    // A filter narrows the pool: the red units of town A are 3, 6; asking for 50 gets exactly those.
    let red = create(&t.ctx, &officer, &random(None, Some("red"), 50, None), now).await.unwrap();
    let mut got = units_of(&t, &officer, &red.ids).await;
    got.sort();
    let mut want = vec![town_a[2].clone(), town_a[5].clone()];
    want.sort();
    assert_eq!(got, want);
    let seed = red.draw.unwrap().seed;
    assert!(seed.parse::<u64>().is_ok(), "the system chose and recorded a seed: {seed}");

    // Town B is outside the officer's jurisdiction: its pool is empty for them.
    let e = create(&t.ctx, &officer, &random(Some("370983101"), None, 2, None), now).await.unwrap_err();
    assert!(matches!(&e, ServiceError::Invalid(f) if f[0].field == "pool" && f[0].code == "spot_check.pool_empty"), "{e:?}");
    // Bad counts and seeds name their fields.
    let e = create(&t.ctx, &officer, &random(None, None, 0, Some("x")), now).await.unwrap_err();
    let ServiceError::Invalid(f) = e else { panic!("{e:?}") };
    assert_eq!(f.iter().map(|x| x.field).collect::<Vec<_>>(), ["count", "seed"]);

    // A city-wide draw of every unit reaches both towns; a grid worker may not draw at all.
    let city = official(Role::CityAdmin, "/370000", &[]);
    let all = create(&t.ctx, &city, &random(None, None, 50, Some("7")), now).await.unwrap();
    assert_eq!(all.ids.len(), 12);
    let grid = official(Role::GridWorker, TOWN_A_PATH, &[]);
    assert!(matches!(create(&t.ctx, &grid, &random(None, None, 1, None), now).await, Err(ServiceError::Forbidden)));
    // The officer's list shows only town A's checks.
    let listed = anze_service::spot_check::list(&t.ctx, &officer, None, None, 200).await.unwrap();
    assert!(listed.iter().all(|c| town_a.contains(&c.organisation_id)));
    assert!(!listed.is_empty());
}

fn template(code: &str, tier: &str, items: &[&str]) -> String {
    let mut t = format!("code = \"{code}\"\nname = \"{tier}清单\"\ntier = \"{tier}\"\ngroup = \"general\"\n");
    for i in items {
        t.push_str(&format!("[[items]]\ntext = \"{i}\"\nlegal_basis = \"《中华人民共和国安全生产法》第二十一条\"\nfrequency = \"monthly\"\nevidence = \"记录\"\n"));
    }
    t
}

async fn staff(t: &TestDb, org: Uuid, name: &str, tier: &str) -> Uuid {
    let input =
        StaffInput { name: name.into(), post_title: name.into(), tier: tier.into(), start_date: "2024-01-01".into(), ..Default::default() };
    anze_service::people::add_staff(&t.ctx, &Actor::system("t"), org, &input, chrono::Utc::now()).await.unwrap();
    let d = anze_service::org::detail(&t.ctx, &Actor::system("t"), org).await.unwrap();
    Uuid::parse_str(&d.staff.iter().find(|(_, p)| p.name == name).unwrap().1.id).unwrap()
}

#[tokio::test]
async fn figures_are_pre_filled_from_coverage_and_a_result_is_recorded_once() {
    let app = TestApp::new().await;
    let t = &app.db;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    add_template(&t.ctx, &sys, &template("s.principal", "principal", &["全面负责本单位安全生产工作"]), now).await.unwrap();
    add_template(&t.ctx, &sys, &template("s.worker", "worker", &["遵守操作规程", "发现隐患立即报告"]), now).await.unwrap();
    let org = enterprise(t, 1, false, "26", "orange").await;
    let other = enterprise(t, 2, false, "47", "orange").await;
    let boss = staff(t, org, "张总", "principal").await;
    let wang = staff(t, org, "王工", "worker").await;
    staff(t, org, "李工", "worker").await;
    staff(t, org, "赵班长", "team_leader").await;
    let w = create_list(&t.ctx, &sys, org, "s.worker", now).await.unwrap();
    let p = create_list(&t.ctx, &sys, org, "s.principal", now).await.unwrap();
    publish(&t.ctx, &sys, w, now).await.unwrap();
    publish(&t.ctx, &sys, p, now).await.unwrap();
    acknowledge(&t.ctx, wang, w, Signature::Typed("王工".into()), "x", now).await.unwrap();
    acknowledge(&t.ctx, boss, p, Signature::Typed("张总".into()), "x", now).await.unwrap();

    // A department inspector for chemicals (26) in the county, through the API.
    let inspector = Assignment {
        role: Role::DepartmentInspector,
        region_path: Some("/370000/370900/370983".into()),
        organisation_id: None,
        industries: vec!["26".into()],
    };
    let pw = app.user("inspector", inspector).await;
    let token = app.token("inspector", &pw).await;
    let bearer = format!("Bearer {token}");
    let res = app
        .send(
            Req::new("POST", "/api/v1/spot-checks")
                .header("authorization", bearer.clone())
                .json(&serde_json::json!({"method": "manual", "organisation_ids": [org.to_string()]})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = res.json()["ids"][0].as_str().unwrap().to_string();
    assert!(res.json()["draw"].is_null());

    // The pre-filled figures are the coverage and fit figures, counted again here.
    let c = anze_service::coverage::of_unit(&t.ctx, &sys, org, 7, now).await.unwrap();
    let flags = anze_service::duty::fit(&t.ctx, &sys, org).await.unwrap();
    assert_eq!((c.people, c.covered, c.missing_lists.as_slice()), (4, 2, ["team_leader".to_string()].as_slice()));
    let got = app.send(Req::get(format!("/api/v1/spot-checks/{id}")).header("authorization", bearer.clone())).await.json();
    assert_eq!(got["people"], 4);
    assert_eq!(got["covered"], 2);
    assert_eq!(got["stale"], c.stale);
    assert_eq!(got["missing_lists"], 1);
    assert_eq!(got["fit_flags"], flags.len());
    assert_eq!(got["suggested"][0], "fail", "two of four covered, one tier without a list");
    assert_eq!((got["state"].as_str(), got["may_record"].as_bool()), (Some("open"), Some(true)));

    // A unit outside the inspector's sector is 404; nothing is written for it.
    let res = app
        .send(
            Req::new("POST", "/api/v1/spot-checks")
                .header("authorization", bearer.clone())
                .json(&serde_json::json!({"method": "manual", "organisation_ids": [other.to_string(), org.to_string()]})),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.body);
    let mine = app.send(Req::get("/api/v1/spot-checks").header("authorization", bearer.clone())).await.json();
    assert_eq!(mine.as_array().map(|a| a.len()), Some(1), "the failed request wrote nothing");
    assert_eq!(mine[0]["may_record"], true, "the list tells the inspector the open check is theirs to record");

    // A "fail" without a problem description is refused naming the field; the check stays open.
    let url = format!("/api/v1/spot-checks/{id}/result");
    let res = app
        .send(
            Req::new("POST", url.clone())
                .header("authorization", bearer.clone())
                .json(&serde_json::json!({"covered_ok": "fail", "adjusted_ok": "pass", "fits_ok": "pass", "problems": " "})),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.json()["fields"][0]["field"], "problems");
    assert_eq!(get_check(&t.ctx, &sys, Uuid::parse_str(&id).unwrap()).await.unwrap().state, "open");

    let body =
        serde_json::json!({"covered_ok": "fail", "adjusted_ok": "pass", "fits_ok": "pass", "problems": "班组长岗位无清单；李工未签字"});
    let res = app.send(Req::new("POST", url.clone()).header("authorization", bearer.clone()).json(&body)).await;
    assert_eq!(res.status, 204, "{}", res.body);
    let res = app.send(Req::new("POST", url.clone()).header("authorization", bearer.clone()).json(&body)).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(res.json()["code"], "spot_check.already_recorded");
    assert_eq!(res.json()["message"], "该抽查已录入结论，不能重复录入。");
    let done = get_check(&t.ctx, &sys, Uuid::parse_str(&id).unwrap()).await.unwrap();
    assert_eq!((done.covered_ok.as_deref(), done.problems.as_str()), (Some("fail"), "班组长岗位无清单；李工未签字"));
    assert_eq!(done.recorded_by_name.as_deref(), Some("inspector"));

    // Two inspectors recording at once: one wins, the other is told it is recorded.
    let second = create(
        &t.ctx,
        &sys,
        &NewSpotChecks { method: "manual".into(), organisation_ids: vec![org.to_string()], ..Default::default() },
        now,
    )
    .await
    .unwrap()
    .ids[0]
        .clone();
    let ok = SpotCheckResult { covered_ok: "pass".into(), adjusted_ok: "pass".into(), fits_ok: "pass".into(), problems: String::new() };
    let sid = Uuid::parse_str(&second).unwrap();
    let (x, y) = tokio::join!(record(&t.ctx, &sys, sid, &ok, now), record(&t.ctx, &sys, sid, &ok, now));
    let refused = [&x, &y].iter().filter(|r| matches!(r, Err(ServiceError::Refused("spot_check.already_recorded")))).count();
    assert_eq!((x.is_ok() as u8 + y.is_ok() as u8, refused), (1, 1), "{x:?} {y:?}");

    // Enterprise roles may read their own checks but not make or record them.
    let admin = Actor {
        assignments: vec![Assignment { role: Role::EnterpriseAdmin, region_path: None, organisation_id: Some(org), industries: vec![] }],
        ..official(Role::EnterpriseAdmin, TOWN_A_PATH, &[])
    };
    let req = NewSpotChecks { method: "manual".into(), organisation_ids: vec![org.to_string()], ..Default::default() };
    assert!(matches!(create(&t.ctx, &admin, &req, now).await, Err(ServiceError::Forbidden)));
    assert!(!get_check(&t.ctx, &admin, Uuid::parse_str(&id).unwrap()).await.unwrap().may_record);

    // Every write is audited on the unit's trail.
    let trail = anze_service::audit::trail(&t.ctx, "organisation", &org.to_string()).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"spot_check.create") && actions.contains(&"spot_check.record"), "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "spot_check.record").count(), 2);
}

#[tokio::test]
async fn the_pages_draw_show_the_figures_and_record_a_result() {
    let app = TestApp::new().await;
    let t = &app.db;
    for n in 1..=4 {
        enterprise(t, n, false, "26", "yellow").await;
    }
    let a = Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] };
    let pw = app.user("town", a).await;
    let b = app.sign_in("town", &pw).await;
    let res = app
        .send(
            b.post("/spot-checks", &[("method", "random"), ("count", "2"), ("seed", "99"), ("region", ""), ("industry", ""), ("risk", "")]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(res.location().starts_with("/spot-checks?created=2&seed=99&pool=4"), "{}", res.location());
    let list = app.send(b.get(res.location())).await;
    assert!(list.body.contains("随机数种子 99"), "{}", list.body);
    let id = list.body.split("href=\"/spot-checks/").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
    let page = app.send(b.get(format!("/spot-checks/{id}"))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("0 / 0 人已签署当前清单") && page.body.contains("draw-seed"), "{}", page.body);
    // A fail without problems comes back with the field named and the choices kept.
    let res = app
        .send(b.post(
            format!("/spot-checks/{id}/result"),
            &[("covered_ok", "fail"), ("adjusted_ok", "pass"), ("fits_ok", "pass"), ("problems", "")],
        ))
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("存在问题：有“不符合”项时，必须填写存在的问题。"), "{}", res.body);
    let res = app
        .send(b.post(
            format!("/spot-checks/{id}/result"),
            &[("covered_ok", "fail"), ("adjusted_ok", "pass"), ("fits_ok", "pass"), ("problems", "未登记任何从业人员")],
        ))
        .await;
    assert_eq!((res.status, res.location()), (303, format!("/spot-checks/{id}?saved=1")));
    let res = app
        .send(b.post(format!("/spot-checks/{id}/result"), &[("covered_ok", "pass"), ("adjusted_ok", "pass"), ("fits_ok", "pass")]))
        .await;
    let shown = app.send(b.get(res.location())).await;
    assert!(shown.body.contains("该抽查已录入结论，不能重复录入。") && shown.body.contains("未登记任何从业人员"), "{}", shown.body);
    // By hand: an unknown code is named; a known one opens its check.
    let res = app.send(b.post("/spot-checks", &[("method", "manual"), ("units", "91370983MA0000000X")])).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("找不到该单位，或不在您的管辖范围内。"), "{}", res.body);
    let res = app.send(b.post("/spot-checks", &[("method", "manual"), ("units", &credit_code(1))])).await;
    assert_eq!(res.status, 303);
    assert!(res.location().starts_with("/spot-checks/"));
}
