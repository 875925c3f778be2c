//! The browser check: headless Chromium, driven through chromedriver, against a real server
//! on a loopback port. The tests are ignored by a plain `cargo test` (a bare machine has no
//! browser); `.ci/run` installs Debian's chromium and chromium-driver and runs them with
//! `cargo test -p anze-testkit --test browser -- --include-ignored`, where a missing driver
//! is a failure, never a silent pass.

use anze_domain::auth::{Assignment, Role};
use anze_service::Actor;
use anze_testkit::*;
use fantoccini::{ClientBuilder, Locator};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// The reason every test here is ignored unless asked for.
const NEEDS_BROWSER: &str = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)";

/// Chromium through chromedriver; a missing driver fails the test that asked for it.
async fn browser() -> (Driver, fantoccini::Client) {
    let driver_path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or_else(|| panic!("chromedriver is not installed: {NEEDS_BROWSER}"));
    let port = free_port();
    let driver = Driver(
        Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
        }
    }))
    .unwrap();
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let c = client.expect("connect to chromedriver");
    (driver, c)
}

/// The application on a real loopback socket.
async fn serve(app: &TestApp) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await });
    addr
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn sign_in_filter_the_enterprise_list_and_open_one() {
    // The application on a real socket.
    let app = TestApp::new().await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    for (n, (name, risk)) in
        [("肥城市恒达化工有限公司", "red"), ("肥城市安康食品有限公司", "blue"), ("肥城市鑫源建材有限公司", "red")].iter().enumerate()
    {
        let mut input = enterprise_input(name, &credit_code(n as u32 + 1));
        input.risk_level = risk.to_string();
        anze_service::org::create_enterprise(app.ctx(), &sys, &input, now).await.unwrap();
    }
    let pw = app
        .user(
            "zhou",
            Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] },
        )
        .await;
    let addr = serve(&app).await;
    let (_driver, c) = browser().await;
    let base = format!("http://{addr}");

    // Sign in: the list asks for it first and returns there after.
    c.goto(&format!("{base}/enterprises")).await.unwrap();
    assert!(c.current_url().await.unwrap().as_str().contains("/login"));
    c.find(Locator::Id("username")).await.unwrap().send_keys("zhou").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(&pw).await.unwrap();
    c.find(Locator::Id("sign-in")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("enterprise-table")).await.unwrap();
    let table = c.find(Locator::Id("enterprise-table")).await.unwrap().text().await.unwrap();
    assert!(table.contains("肥城市安康食品有限公司") && table.contains("肥城市恒达化工有限公司"), "{table}");

    // Filter by risk: only the red ones remain.
    c.find(Locator::Css("#filter-risk option[value='red']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("filter-submit")).await.unwrap().click().await.unwrap();
    for _ in 0..50 {
        if c.current_url().await.unwrap().as_str().contains("risk=red") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(c.current_url().await.unwrap().as_str().contains("risk=red"), "the filter submitted");
    let table = c.find(Locator::Id("enterprise-table")).await.unwrap().text().await.unwrap();
    assert!(table.contains("肥城市恒达化工有限公司") && table.contains("肥城市鑫源建材有限公司"), "{table}");
    assert!(!table.contains("肥城市安康食品有限公司"), "filtered out: {table}");

    // Open one enterprise.
    c.find(Locator::LinkText("肥城市鑫源建材有限公司")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("enterprise-name")).await.unwrap();
    let name = c.find(Locator::Id("enterprise-name")).await.unwrap().text().await.unwrap();
    assert_eq!(name, "肥城市鑫源建材有限公司");
    let page = c.source().await.unwrap();
    assert!(page.contains("企业基础信息") && page.contains("138****5678"));
    c.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn an_enterprise_goes_from_no_lists_to_full_coverage_through_the_phone_page() {
    let app = TestApp::new().await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let org = anze_service::org::create_enterprise(app.ctx(), &sys, &enterprise_input("肥城市恒达化工有限公司", &credit_code(9)), now)
        .await
        .unwrap();
    let people = [("赵一", "principal", "13900000001"), ("钱二", "worker", "13900000002")];
    for (name, tier, phone) in people {
        let s = anze_service::people::StaffInput {
            name: name.into(),
            phone: phone.into(),
            post_title: name.into(),
            tier: tier.into(),
            start_date: "2024-01-01".into(),
            ..Default::default()
        };
        anze_service::people::add_staff(app.ctx(), &sys, org, &s, now).await.unwrap();
    }
    let before = anze_service::coverage::of_unit(app.ctx(), &sys, org, 7, now).await.unwrap();
    assert_eq!((before.people, before.covered), (2, 0));
    anze_service::duty::seed_templates(app.ctx(), now).await.unwrap();
    for code in ["general.principal", "general.worker"] {
        let list = anze_service::duty::create_list(app.ctx(), &sys, org, code, now).await.unwrap();
        anze_service::duty::publish(app.ctx(), &sys, list, now).await.unwrap();
    }
    let token = anze_service::phone::qr_token(app.ctx(), &sys, org, now).await.unwrap();
    let addr = serve(&app).await;
    let (_driver, c) = browser().await;
    for (name, _, phone) in people {
        c.goto(&format!("http://{addr}/m/{token}")).await.unwrap();
        c.find(Locator::Id("name")).await.unwrap().send_keys(name).await.unwrap();
        c.find(Locator::Id("last4")).await.unwrap().send_keys(&phone[phone.len() - 4..]).await.unwrap();
        c.find(Locator::Id("identify")).await.unwrap().click().await.unwrap();
        c.wait().for_element(Locator::Css("form.sign-form")).await.unwrap();
        c.find(Locator::Css("form.sign-form input[name='typed_name']")).await.unwrap().send_keys(name).await.unwrap();
        c.find(Locator::Css("form.sign-form button[type='submit']")).await.unwrap().click().await.unwrap();
        c.wait().for_element(Locator::Id("phone-flash")).await.unwrap();
        let text = c.find(Locator::Id("phone-flash")).await.unwrap().text().await.unwrap();
        assert!(text.contains("签字成功"), "{text}");
    }
    c.close().await.unwrap();
    let after = anze_service::coverage::of_unit(app.ctx(), &sys, org, 7, chrono::Utc::now()).await.unwrap();
    assert_eq!((after.people, after.covered, after.permille), (2, 2, 1000));
}

/// Signs in through the login page (after dropping any earlier session).
async fn sign_in_as(c: &fantoccini::Client, base: &str, username: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
    c.find(Locator::Id("sign-in")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("nav")).await.unwrap();
}

/// Takes one step on the hazard page (its form `#step-<action>`), after filling `fields`
/// (selector, value) and attaching `photo`; waits for the page to come back.
async fn step(c: &fantoccini::Client, base: &str, hazard: &str, action: &str, fields: &[(&str, &str)], photo: Option<&str>) {
    c.goto(&format!("{base}/hazards/{hazard}")).await.unwrap();
    let form = format!("#step-{action}");
    c.wait().for_element(Locator::Css(&form)).await.unwrap();
    for (name, value) in fields {
        // Date inputs take their value through the DOM: typed keys follow the browser's locale.
        c.execute(
            "document.querySelector(arguments[0]).value = arguments[1];",
            vec![serde_json::json!(format!("{form} [name='{name}']")), serde_json::json!(value)],
        )
        .await
        .unwrap();
    }
    if let Some(path) = photo {
        c.find(Locator::Css(&format!("{form} input[type='file']"))).await.unwrap().send_keys(path).await.unwrap();
    }
    c.find(Locator::Css(&format!("{form} button[type='submit']"))).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("hazard-state")).await.unwrap();
    let error = c.find(Locator::Id("hazard-error")).await.ok();
    if let Some(e) = error {
        panic!("{action} was refused: {}", e.text().await.unwrap());
    }
}

async fn state_of(c: &fantoccini::Client) -> String {
    c.find(Locator::Id("hazard-state")).await.unwrap().attr("data-state").await.unwrap().unwrap_or_default()
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn a_hazard_runs_from_an_employees_phone_report_through_reward_failed_acceptance_and_a_second_fix_to_closure() {
    let app = TestApp::new().await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let org = anze_service::org::create_enterprise(app.ctx(), &sys, &enterprise_input("肥城市恒达化工有限公司", &credit_code(9)), now)
        .await
        .unwrap();
    let worker = anze_service::people::StaffInput {
        name: "孙五".into(),
        phone: "13900000005".into(),
        post_title: "操作工".into(),
        tier: "worker".into(),
        start_date: "2024-01-01".into(),
        ..Default::default()
    };
    anze_service::people::add_staff(app.ctx(), &sys, org, &worker, now).await.unwrap();
    let token = anze_service::phone::qr_token(app.ctx(), &sys, org, now).await.unwrap();
    let assign = |role| Assignment { role, region_path: None, organisation_id: Some(org), industries: vec![] };
    let boss_pw = app.user("boss", assign(Role::EnterpriseAdmin)).await;
    let safety_pw = app.user("safety", assign(Role::SafetyManager)).await;
    let photo = app.db.dir.path().join("site.png");
    std::fs::write(&photo, TINY_PNG).unwrap();
    let photo = photo.to_string_lossy().to_string();
    let addr = serve(&app).await;
    let (_driver, c) = browser().await;
    let base = format!("http://{addr}");

    // The employee reports from the QR code's phone page, with a photo and their name.
    c.goto(&format!("{base}/m/{token}")).await.unwrap();
    c.find(Locator::Id("report-hazard")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("hazard-report-form")).await.unwrap();
    c.find(Locator::Id("description")).await.unwrap().send_keys("二号车间配电箱门损坏，带电部位裸露").await.unwrap();
    c.find(Locator::Css("#category option[value='thing']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("photo")).await.unwrap().send_keys(&photo).await.unwrap();
    c.find(Locator::Id("name")).await.unwrap().send_keys("孙五").await.unwrap();
    c.find(Locator::Id("last4")).await.unwrap().send_keys("0005").await.unwrap();
    c.find(Locator::Id("hazard-report-submit")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("receipt-code")).await.unwrap();
    let code = c.find(Locator::Id("receipt-code")).await.unwrap().text().await.unwrap();
    assert_eq!(code.len(), 8, "{code}");

    // The enterprise verifies it (confirms with a deadline) and grants the reward.
    sign_in_as(&c, &base, "boss", &boss_pw).await;
    c.goto(&format!("{base}/hazards")).await.unwrap();
    c.find(Locator::LinkText("二号车间配电箱门损坏，带电部位裸露")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("hazard-state")).await.unwrap();
    let hazard = c.current_url().await.unwrap().path().trim_start_matches("/hazards/").to_string();
    assert!(c.find(Locator::Id("before-photos")).await.is_ok(), "the employee's photo is on the page");
    assert!(c.source().await.unwrap().contains("孙五"));
    let deadline = (anze_domain::time::local_date(now) + chrono::Duration::days(5)).to_string();
    step(&c, &base, &hazard, "confirm", &[("deadline", &deadline)], None).await;
    assert_eq!(state_of(&c).await, "confirmed");
    c.find(Locator::Css("#reward-form input[name='amount']")).await.unwrap().send_keys("200").await.unwrap();
    c.find(Locator::Css("#reward-form button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("payout-form")).await.unwrap();
    c.find(Locator::Css("#payout-form input[name='receipt_code']")).await.unwrap().send_keys(&code).await.unwrap();
    c.find(Locator::Css("#payout-form button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("hazard-saved")).await.unwrap();
    let reward = c.find(Locator::Id("hazard-reward")).await.unwrap().text().await.unwrap();
    assert!(reward.contains("200.00") && reward.contains("已发放"), "{reward}");

    // The safety manager rectifies with a photo of the fix.
    sign_in_as(&c, &base, "safety", &safety_pw).await;
    step(&c, &base, &hazard, "start_rectification", &[], None).await;
    step(&c, &base, &hazard, "submit_fix", &[], Some(&photo)).await;
    assert_eq!(state_of(&c).await, "pending_acceptance");

    // The boss fails the acceptance with a reason; the second fix is accepted and closes it.
    sign_in_as(&c, &base, "boss", &boss_pw).await;
    step(&c, &base, &hazard, "fail_acceptance", &[("note", "防护罩未装回")], None).await;
    assert_eq!(state_of(&c).await, "rectifying");
    sign_in_as(&c, &base, "safety", &safety_pw).await;
    step(&c, &base, &hazard, "submit_fix", &[], Some(&photo)).await;
    sign_in_as(&c, &base, "boss", &boss_pw).await;
    step(&c, &base, &hazard, "accept", &[], None).await;
    assert_eq!(state_of(&c).await, "closed");
    let history = c.find(Locator::Id("hazard-events")).await.unwrap().text().await.unwrap();
    for s in ["上报", "确认", "开始整改", "提交整改", "验收不通过", "验收通过并销号", "防护罩未装回"] {
        assert!(history.contains(s), "{s} in {history}");
    }
    c.close().await.unwrap();
    let d = anze_service::hazard::detail(app.ctx(), &sys, uuid::Uuid::parse_str(&hazard).unwrap(), chrono::Utc::now()).await.unwrap();
    assert_eq!(d.photos.iter().filter(|p| p.phase == "after").count(), 2);
}

/// The city office's board (issue 5) in a real browser: a township that named its first
/// deputy in time shows green, one that did not shows red, with the colours applied; the
/// measure filter narrows the columns; a cell drills down to the unit's to-do list with the
/// record that counted.
#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn the_campaign_board_shows_who_is_behind_and_drills_down_to_the_evidence() {
    let app = TestApp::new().await;
    let pw = app.user("office", Assignment { role: Role::CityAdmin, region_path: None, organisation_id: None, industries: vec![] }).await;
    let token = app.token("office", &pw).await;
    let api = |method: &'static str, path: String| Req::new(method, path).header("authorization", format!("Bearer {token}"));
    let shipped = include_str!("../../../campaigns/feianfa-2024-4.toml");
    let res = app.send(api("POST", "/api/v1/campaigns".into()).json(&serde_json::json!({ "source": shipped }))).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let mut towns = vec![];
    for (name, code) in [("潮泉镇人民政府", "370983100"), ("桃园镇人民政府", "370983101")] {
        let body = serde_json::json!({"kind": "township_office", "name": name, "region_code": code});
        let res = app.send(api("POST", "/api/v1/organisations".into()).json(&body)).await;
        assert_eq!(res.status, 201, "{}", res.body);
        towns.push(res.json()["id"].as_str().unwrap().to_string());
    }
    let body = serde_json::json!({"organisation_id": towns[0], "kind": "leader_assignment", "title": "明确党委副书记为安全生产第一分管负责人",
        "held_on": "2024-03-20", "organiser": "党政办"});
    let res = app.send(api("POST", "/api/v1/activities".into()).json(&body)).await;
    assert_eq!(res.status, 201, "{}", res.body);

    let addr = serve(&app).await;
    let (_driver, c) = browser().await;
    let base = format!("http://{addr}");
    sign_in_as(&c, &base, "office", &pw).await;
    c.goto(&format!("{base}/board?on=2024-07-01")).await.unwrap();
    c.wait().for_element(Locator::Id("board-table")).await.unwrap();
    let table = c.find(Locator::Id("board-table")).await.unwrap().text().await.unwrap();
    assert!(table.contains("潮泉镇人民政府") && table.contains("桃园镇人民政府"), "{table}");

    let cell = |town: &str| format!("#board-table a[href^='/board/units/{town}?obligation=m14-first-deputy&']");
    let colour = |selector: String| {
        let c = c.clone();
        async move {
            c.execute(
                "return getComputedStyle(document.querySelector(arguments[0]).parentElement).backgroundColor;",
                vec![serde_json::json!(selector)],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string()
        }
    };
    assert_eq!(c.find(Locator::Css(&cell(&towns[0]))).await.unwrap().text().await.unwrap(), "已完成");
    assert_eq!(colour(cell(&towns[0])).await, "rgb(198, 239, 206)", "met is green");
    assert_eq!(c.find(Locator::Css(&cell(&towns[1]))).await.unwrap().text().await.unwrap(), "未完成");
    assert_eq!(colour(cell(&towns[1])).await, "rgb(255, 199, 206)", "missed is red");

    // Filter by measure 14: only its obligations remain as columns.
    c.find(Locator::Css("#board-measure option[value='14']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#board-filter button[type='submit']")).await.unwrap().click().await.unwrap();
    for _ in 0..50 {
        if c.current_url().await.unwrap().as_str().contains("measure=14") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.wait().for_element(Locator::Id("board-table")).await.unwrap();
    let headers = c.find_all(Locator::Css("#board-table th.ob")).await.unwrap();
    assert!(!headers.is_empty());
    for h in headers {
        let text = h.text().await.unwrap();
        assert!(text.starts_with("14"), "a column of another measure: {text}");
    }

    // Drill into the green cell: the to-do list names the record that counted.
    c.find(Locator::Css(&cell(&towns[0]))).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("unit-name")).await.unwrap();
    assert!(c.find(Locator::Id("unit-name")).await.unwrap().text().await.unwrap().contains("潮泉镇人民政府"));
    let todo = c.find(Locator::Id("todo-m14-first-deputy")).await.unwrap().text().await.unwrap();
    assert!(todo.contains("明确党委副书记为安全生产第一分管负责人") && todo.contains("2024-03-20"), "{todo}");
    c.close().await.unwrap();
}
