//! Campaigns (issue 5): the shipped notice loads and a typo is refused with its line; activity
//! records and their bad inputs; and a replay of a small city's 2024 records through the API,
//! whose obligations are checked on 1 March, 1 April, 1 July and 31 December against values
//! worked out by hand below.

use anze_domain::auth::{Assignment, Role};
use anze_service::Actor;
use anze_testkit::*;
use serde_json::{Value, json};

const SHIPPED: &str = include_str!("../../../../campaigns/feianfa-2024-4.toml");

fn city_admin() -> Assignment {
    Assignment { role: Role::CityAdmin, region_path: None, organisation_id: None, industries: vec![] }
}

async fn admin_token(app: &TestApp) -> String {
    let pw = app.user("office", city_admin()).await;
    app.token("office", &pw).await
}

fn api(method: &'static str, path: impl Into<String>, token: &str) -> Req {
    Req::new(method, path).header("authorization", format!("Bearer {token}"))
}

async fn load(app: &TestApp, token: &str, text: &str) -> TestResponse {
    app.send(api("POST", "/api/v1/campaigns", token).json(&json!({ "source": text }))).await
}

#[tokio::test]
async fn the_shipped_notice_loads_and_a_typo_is_refused_with_its_line_and_nothing_stored() {
    let app = TestApp::new().await;
    let token = admin_token(&app).await;

    // A typo in the first metric name: refused, with the line of that metric.
    let line = SHIPPED.lines().position(|l| l.trim() == "metric = \"count\"").unwrap() + 1;
    let typo = SHIPPED.replacen("metric = \"count\"", "metric = \"cuont\"", 1);
    let res = load(&app, &token, &typo).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let body = res.json();
    assert_eq!(body["errors"][0]["code"], "campaign.metric.unknown");
    assert_eq!(body["errors"][0]["line"], line);
    assert!(body["messages"][0].as_str().unwrap().contains(&format!("第 {line} 行")), "{}", body["messages"][0]);
    let list = app.send(api("GET", "/api/v1/campaigns", &token)).await.json();
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing half-loaded");

    // A threshold that is not a number, too.
    let bad = SHIPPED.replacen("threshold = 4", "threshold = \"four\"", 1);
    assert_eq!(load(&app, &token, &bad).await.json()["errors"][0]["code"], "campaign.threshold.not_number");

    // The shipped file loads, with every quantified measure of the notice.
    let res = load(&app, &token, SHIPPED).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let v1 = res.json();
    assert_eq!((v1["code"].as_str(), v1["version"].as_i64()), (Some("feianfa-2024-4"), Some(1)));
    let id = v1["id"].as_str().unwrap().to_string();
    let obligations = app.send(api("GET", format!("/api/v1/campaigns/{id}/obligations"), &token)).await.json();
    let obligations = obligations.as_array().unwrap();
    assert_eq!(obligations.len() as i64, v1["obligations"].as_i64().unwrap());
    let covert = obligations.iter().find(|o| o["code"] == "m12-covert-inspections").unwrap();
    assert_eq!((covert["threshold"].as_f64(), covert["measure"].as_str()), (Some(4.0), Some("12")));
    let measures: std::collections::BTreeSet<String> = obligations.iter().map(|o| o["measure"].as_str().unwrap().to_string()).collect();
    for m in ["1", "2", "3", "5", "6", "12", "14", "15", "16", "19", "21", "22", "24", "26", "work_plan"] {
        assert!(measures.contains(m), "measure {m} is in the shipped campaign");
    }

    // Loading it again makes version 2; version 1 stays readable.
    let v2 = load(&app, &token, SHIPPED).await.json();
    assert_eq!(v2["version"], 2);
    assert_eq!(app.send(api("GET", format!("/api/v1/campaigns/{id}/obligations"), &token)).await.status, 200);
    let list = app.send(api("GET", "/api/v1/campaigns", &token)).await.json();
    assert_eq!(list.as_array().unwrap().iter().filter(|c| c["latest"] == true).count(), 1);

    // Copy to next year: a new campaign with shifted dates.
    let copy = app.send(api("POST", format!("/api/v1/campaigns/{id}/copy"), &token).json(&json!({"years": 1}))).await;
    assert_eq!(copy.status, 201, "{}", copy.body);
    let copy = copy.json();
    assert_eq!(
        (copy["code"].as_str(), copy["start"].as_str(), copy["end"].as_str()),
        (Some("feianfa-2025-4"), Some("2025-02-04"), Some("2025-12-31"))
    );
    let ob = app.send(api("GET", format!("/api/v1/campaigns/{}/obligations", copy["id"].as_str().unwrap()), &token)).await.json();
    let first_deputy = ob.as_array().unwrap().iter().find(|o| o["code"] == "m14-first-deputy").unwrap().clone();
    assert_eq!(first_deputy["due_date"], "2025-03-31");

    // Only the city office loads campaigns.
    let pw = app
        .user(
            "town",
            Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] },
        )
        .await;
    let town = app.token("town", &pw).await;
    assert_eq!(load(&app, &town, SHIPPED).await.status, 403);

    // The page shows the campaigns and a refused paste lists the line.
    let b = app.sign_in("office", "Test#Pass2024").await;
    let page = app.send(b.get("/campaigns")).await;
    assert!(page.body.contains("feianfa-2024-4"), "{}", page.body);
    let refused = app.send(b.post("/campaigns", &[("source", typo.as_str())])).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains(&format!("第 {line} 行")), "{}", refused.body);
}

/// The small city: the committee office, two departments (emergency management supervises
/// chemicals; education supervises nothing), one special committee led by the first with
/// both as members, and two township offices.
struct City {
    campaign: String,
    office: String,
    emergency: String,
    education: String,
    committee: String,
    town_a: String,
    town_b: String,
}

async fn organisation(app: &TestApp, token: &str, body: Value) -> String {
    let res = app.send(api("POST", "/api/v1/organisations", token).json(&body)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    res.json()["id"].as_str().unwrap().to_string()
}

async fn city(app: &TestApp, token: &str) -> City {
    let res = load(app, token, SHIPPED).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let campaign = res.json()["id"].as_str().unwrap().to_string();
    let office = organisation(app, token, json!({"kind": "committee_office", "name": "市安委会办公室", "region_code": "370983"})).await;
    let emergency =
        organisation(app, token, json!({"kind": "department", "name": "市应急管理局", "region_code": "370983", "industries": ["26"]}))
            .await;
    let education = organisation(app, token, json!({"kind": "department", "name": "市教育局", "region_code": "370983"})).await;
    let committee = organisation(
        app,
        token,
        json!({"kind": "special_committee", "name": "危险化学品安全专业委员会", "region_code": "370983", "lead_unit": emergency, "members": [emergency, education]}),
    )
    .await;
    let town_a = organisation(app, token, json!({"kind": "township_office", "name": "潮泉镇人民政府", "region_code": "370983100"})).await;
    let town_b = organisation(app, token, json!({"kind": "township_office", "name": "桃园镇人民政府", "region_code": "370983101"})).await;
    City { campaign, office, emergency, education, committee, town_a, town_b }
}

async fn activity(app: &TestApp, token: &str, body: Value) -> TestResponse {
    app.send(api("POST", "/api/v1/activities", token).json(&body)).await
}

async fn post(app: &TestApp, token: &str, unit: &str, kind: &str, on: &str, extra: Value) {
    let mut body = json!({"organisation_id": unit, "kind": kind, "title": format!("{kind} {on}"), "held_on": on, "organiser": "办公室"});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let res = activity(app, token, body).await;
    assert_eq!(res.status, 201, "{kind} on {on}: {}", res.body);
}

async fn staff(app: &TestApp, token: &str, unit: &str, name: &str, start: &str) {
    let body = json!({"name": name, "post_title": "安全生产专职人员", "tier": "staff", "start_date": start});
    let res = app.send(api("POST", format!("/api/v1/organisations/{unit}/staff"), token).json(&body)).await;
    assert_eq!(res.status, 201, "{}", res.body);
}

async fn status(app: &TestApp, token: &str, city: &City, unit: &str, obligation: &str, on: &str) -> Value {
    let url = format!("/api/v1/board/units/{unit}?campaign={}&obligation={obligation}&on={on}", city.campaign);
    let res = app.send(api("GET", url, token)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body = res.json();
    body["items"].as_array().and_then(|i| i.first()).map(|i| i["cell"].clone()).unwrap_or(Value::Null)
}

#[tokio::test]
async fn activities_refuse_bad_input_and_import_all_or_nothing() {
    let app = TestApp::new().await;
    let token = admin_token(&app).await;
    let c = city(&app, &token).await;
    let body = |kind: &str, on: &str| json!({"organisation_id": c.committee, "kind": kind, "title": "一季度报告", "held_on": on, "organiser": "专委会办公室", "period": "2024-Q1"});

    let outside = activity(
        &app,
        &token,
        json!({"organisation_id": c.town_a, "kind": "training", "title": "培训", "held_on": "2023-12-01", "organiser": "镇安监办"}),
    )
    .await;
    assert_eq!(outside.status, 422);
    assert_eq!(
        (outside.json()["fields"][0]["field"].as_str(), outside.json()["fields"][0]["code"].as_str()),
        (Some("held_on"), Some("activity.held_on.outside_campaign"))
    );

    assert_eq!(activity(&app, &token, body("quarterly_report", "2024-04-05")).await.status, 201);
    let twice = activity(&app, &token, body("quarterly_report", "2024-04-08")).await;
    assert_eq!(twice.status, 422, "{}", twice.body);
    assert_eq!(twice.json()["fields"][0]["code"], "activity.quarterly_report.duplicate");
    let no_quarter = activity(
        &app,
        &token,
        json!({"organisation_id": c.committee, "kind": "quarterly_report", "title": "报告", "held_on": "2024-07-05", "organiser": "办"}),
    )
    .await;
    assert_eq!(no_quarter.json()["fields"][0]["code"], "activity.period.required");
    let unknown = activity(
        &app,
        &token,
        json!({"organisation_id": c.committee, "kind": "covert_inspection", "title": "暗访", "held_on": "2024-07-05", "organiser": "办"}),
    )
    .await;
    assert_eq!(unknown.json()["fields"][0]["code"], "activity.kind.unknown");

    // Someone else's unit: a township officer of town A may not record for town B (404), nor
    // for the department (outside their scope, 404), but may for their own office.
    let pw = app
        .user(
            "a_officer",
            Assignment {
                role: Role::TownshipOfficer,
                region_path: Some(TOWN_A_PATH.into()),
                organisation_id: Some(uuid::Uuid::parse_str(&c.town_a).unwrap()),
                industries: vec![],
            },
        )
        .await;
    let officer = app.token("a_officer", &pw).await;
    let training = |unit: &str| json!({"organisation_id": unit, "kind": "training", "title": "网格员培训", "held_on": "2024-06-01", "organiser": "镇安监办", "for_grid_workers": true});
    assert_eq!(activity(&app, &officer, training(&c.town_b)).await.status, 404);
    assert_eq!(activity(&app, &officer, training(&c.town_a)).await.status, 201);
    let listed = app.send(api("GET", "/api/v1/activities", &officer)).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "the officer sees their own office's records only");

    // Import: one bad row refuses the whole file, naming row and column.
    let xlsx = |rows: &[[&str; 8]]| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["单位", "类型", "标题", "日期", "组织者", "参加人员", "纪要", "所属季度"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    };
    let good = ["市教育局", "组织学习", "学习安全生产重要论述", "2024-03-12", "局办公室", "全体干部", "", ""];
    let bad = ["不存在的局", "组织学习", "学习", "2024-13-01", "局办公室", "", "", ""];
    let mut req = api("POST", "/api/v1/activities/import", &token);
    req.body = xlsx(&[good, bad]);
    let res = app.send(req).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let errors = res.json()["errors"].clone();
    assert!(
        errors.as_array().unwrap().iter().any(|e| e["row"] == 3 && e["column"] == "单位" && e["code"] == "activity.unit.unknown"),
        "{errors}"
    );
    let before = app.send(api("GET", format!("/api/v1/activities?organisation_id={}", c.education), &token)).await.json();
    assert_eq!(before.as_array().unwrap().len(), 0, "nothing half-written");
    let report = ["危险化学品安全专业委员会", "季度书面报告", "二季度报告", "2024-07-05", "专委会办公室", "", "", "2024-Q2"];
    let mut req = api("POST", "/api/v1/activities/import", &token);
    req.body = xlsx(&[good, report]);
    let res = app.send(req).await;
    assert_eq!((res.status, res.json()["created"].as_i64()), (200, Some(2)), "{}", res.body);

    // An exemption needs a reason.
    let ex = json!({"obligation": "m14-first-deputy", "organisation_id": c.town_b, "period": "campaign", "reason": "  "});
    let res = app.send(api("POST", format!("/api/v1/campaigns/{}/exemptions", c.campaign), &token).json(&ex)).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["fields"][0]["code"], "campaign.exemption.reason_required");
    let _ = (&c.office, &c.emergency);
}

#[tokio::test]
async fn a_year_of_a_small_city_replayed_through_the_api() {
    let app = TestApp::new().await;
    let token = admin_token(&app).await;
    let c = city(&app, &token).await;
    let none = json!({});

    // The special committee: four study sessions; reports on Q1 (filed 5 April), Q3 and Q4,
    // none on Q2.
    for on in ["2024-02-20", "2024-05-10", "2024-08-15", "2024-11-20"] {
        post(&app, &token, &c.committee, "study_session", on, none.clone()).await;
    }
    for (on, q) in [("2024-04-05", "2024-Q1"), ("2024-10-08", "2024-Q3"), ("2024-12-28", "2024-Q4")] {
        post(&app, &token, &c.committee, "quarterly_report", on, json!({"period": q})).await;
    }
    // Town A names its first deputy on 20 March and trains its grid workers on 1 June; town B
    // names no one and trains its own staff, not grid workers.
    post(&app, &token, &c.town_a, "leader_assignment", "2024-03-20", none.clone()).await;
    post(&app, &token, &c.town_a, "training", "2024-06-01", json!({"for_grid_workers": true})).await;
    post(&app, &token, &c.town_b, "training", "2024-06-01", none.clone()).await;
    // Departments: emergency management staffed since 2023 and its work plan on 1 March;
    // education staffed from 15 June, no work plan.
    staff(&app, &token, &c.emergency, "王安全", "2023-09-01").await;
    staff(&app, &token, &c.education, "李专职", "2024-06-15").await;
    post(&app, &token, &c.emergency, "work_plan", "2024-03-01", none.clone()).await;
    // One enterprise in town A, its base record complete but nobody in post: its "1+N" ledger
    // is not established. Town B has no enterprise.
    anze_service::org::create_enterprise(app.ctx(), &Actor::system("t"), &enterprise_input("甲化工", &credit_code(1)), chrono::Utc::now())
        .await
        .unwrap();

    let dates = ["2024-03-01", "2024-04-01", "2024-07-01", "2024-12-31"];
    // (unit, obligation, statuses on the four dates), worked out by hand:
    let expected: Vec<(&str, &str, [&str; 4])> = vec![
        // ≥4 over 4 Feb – 31 Dec (332 days), pro rata rounded down: 4×27/332 = 0 on 1 March,
        // 4×58/332 = 0 on 1 April, 4×149/332 = 1 on 1 July (two held): on track; four by December.
        (&c.committee, "m2-study-sessions", ["on_track", "on_track", "on_track", "met"]),
        // Q1 (4 Feb – 31 Mar) due 10 April: on 1 March 0 of 1, 1×27/57 = 0 owed: on track. On
        // 1 April the Q1 report (filed 5 April) is not in yet and 9 days < the 10-day window:
        // at risk. On 1 July Q1 is met, Q2 is due 10 July (9 days): at risk. On 31 December Q2
        // has been missed since 11 July, whatever Q3 and Q4 say.
        (&c.committee, "m5-quarterly-report", ["on_track", "at_risk", "at_risk", "missed"]),
        // Due 31 March, 14-day window: 30 days left on 1 March. Town A assigned on 20 March.
        (&c.town_a, "m14-first-deputy", ["on_track", "met", "met", "met"]),
        (&c.town_b, "m14-first-deputy", ["on_track", "missed", "missed", "missed"]),
        // One grid-worker training by 31 December, 30-day window; town B's training was not for
        // grid workers, so on 31 December it is inside the window: at risk.
        (&c.town_a, "m16-grid-worker-training", ["on_track", "on_track", "met", "met"]),
        (&c.town_b, "m16-grid-worker-training", ["on_track", "on_track", "on_track", "at_risk"]),
        // One staff member in post on the day looked at.
        (&c.emergency, "m6-staff", ["met", "met", "met", "met"]),
        (&c.education, "m6-staff", ["on_track", "on_track", "met", "met"]),
        // A work plan by 31 December with a 60-day window: education's is at risk at the end.
        (&c.emergency, "wp-department-work-plan", ["met", "met", "met", "met"]),
        (&c.education, "wp-department-work-plan", ["on_track", "on_track", "on_track", "at_risk"]),
        // Every enterprise's ledger by 30 April (a share due on a date: judged at the deadline,
        // 14-day window): town A's one enterprise has none, so on track until 30 April, then
        // missed; town B has no enterprise, nothing is missing.
        (&c.town_a, "m19-ledger", ["on_track", "on_track", "missed", "missed"]),
        (&c.town_b, "m19-ledger", ["met", "met", "met", "met"]),
        // Covert inspections (four a year) are counted from completed inspections; this city
        // completes none: nothing owed pro rata on 1 March and 1 April (4×26/332 = 0,
        // 4×57/332 = 0), behind on 1 July (4×148/332 = 1), still behind on the due day.
        (&c.emergency, "m12-covert-inspections", ["on_track", "on_track", "at_risk", "at_risk"]),
        // The committee office: five benchmark enterprises, none named: on track while nothing
        // is owed pro rata (5×27/332 = 0, 5×58/332 = 0), behind by 1 July (5×149/332 = 2).
        (&c.office, "m26-benchmark-enterprises", ["on_track", "on_track", "at_risk", "at_risk"]),
    ];
    let mut wrong = vec![];
    for (unit, obligation, want) in &expected {
        for (on, want) in dates.iter().zip(want) {
            let cell = status(&app, &token, &c, unit, obligation, on).await;
            if cell["status"] != *want {
                wrong.push(format!("{obligation} of {unit} on {on}: want {want}, got {}", cell["status"]));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The city office marks town B as a township of concentrated risk: it then owes five staff
    // in post, not three.
    let flag = |on: bool| json!({"flag": "concentrated_risk", "on": on});
    let res = app.send(api("POST", format!("/api/v1/organisations/{}/subject-flags", c.town_b), &token).json(&flag(true))).await;
    assert_eq!(res.status, 204, "{}", res.body);
    let codes = |todo: &Value| -> Vec<String> {
        todo["items"].as_array().unwrap().iter().map(|i| i["obligation"]["code"].as_str().unwrap().to_string()).collect()
    };
    let url = |unit: &str| format!("/api/v1/board/units/{unit}?campaign={}&on=2024-07-01&measure=15", c.campaign);
    assert_eq!(codes(&app.send(api("GET", url(&c.town_b), &token)).await.json()), ["m15-office-staff-concentrated"]);
    assert_eq!(codes(&app.send(api("GET", url(&c.town_a), &token)).await.json()), ["m15-office-staff"]);
    let res =
        app.send(api("POST", format!("/api/v1/organisations/{}/subject-flags", c.town_b), &token).json(&json!({"flag": "risky"}))).await;
    assert_eq!(res.json()["fields"][0]["code"], "campaign.flag.unknown");

    // Education has no enforcement powers: covert inspections are not its obligation.
    let url = format!("/api/v1/board/units/{}?campaign={}&on=2024-07-01", c.education, c.campaign);
    let todo = app.send(api("GET", url, &token)).await.json();
    assert!(todo["items"].as_array().unwrap().iter().all(|i| i["obligation"]["code"] != "m12-covert-inspections"));

    // The evidence names the records that counted, and the quarter a report concerns.
    let cell = status(&app, &token, &c, &c.committee, "m5-quarterly-report", "2024-12-31").await;
    let periods = cell["periods"].as_array().unwrap();
    let q1 = periods.iter().find(|p| p["label"] == "2024-Q1").unwrap();
    assert_eq!((q1["status"].as_str(), q1["evidence"][0]["date"].as_str()), (Some("met"), Some("2024-04-05")));
    assert_eq!(periods.iter().find(|p| p["label"] == "2024-Q2").unwrap()["status"], "missed");

    // An exemption sits beside the status and never replaces it.
    let ex = json!({"obligation": "m14-first-deputy", "organisation_id": c.town_b, "period": "campaign", "reason": "镇领导班子调整，省委组织部批复前暂缓"});
    let res = app.send(api("POST", format!("/api/v1/campaigns/{}/exemptions", c.campaign), &token).json(&ex)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let cell = status(&app, &token, &c, &c.town_b, "m14-first-deputy", "2024-07-01").await;
    assert_eq!((cell["status"].as_str(), cell["exempted"].as_bool()), (Some("missed"), Some(true)));
    assert!(cell["periods"][0]["exemption"].as_str().unwrap().contains("暂缓"));

    // The city board: every unit a row, filtered by measure; the page and the export in Chinese.
    let url = format!("/api/v1/board?campaign={}&on=2024-07-01&measure=14", c.campaign);
    let board = app.send(api("GET", url, &token)).await.json();
    assert_eq!(board["columns"].as_array().unwrap().len(), 1);
    let rows = board["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "office, two departments, the committee, two townships");
    let town_b = rows.iter().find(|r| r["organisation_id"] == c.town_b.as_str()).unwrap();
    assert_eq!(town_b["cells"][0]["status"], "missed");
    assert!(rows.iter().find(|r| r["organisation_id"] == c.emergency.as_str()).unwrap()["cells"][0].is_null(), "not a subject");
    let b = app.sign_in("office", "Test#Pass2024").await;
    let page = app.send(b.get(format!("/board?campaign={}&on=2024-07-01", c.campaign))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("未完成") && page.body.contains("平台尚未记录"), "{}", page.body);
    let unit_page = app.send(b.get(format!("/board/units/{}?campaign={}&on=2024-12-31", c.committee, c.campaign))).await;
    assert!(unit_page.body.contains("m5-quarterly-report") && unit_page.body.contains("2024-04-05"), "{}", unit_page.body);
    let xlsx = app.send(b.get(format!("/board.xlsx?campaign={}&on=2024-07-01", c.campaign))).await;
    assert_eq!(xlsx.status, 200);
    let sheet = anze_service::sheet::read_table(&xlsx.bytes).expect("the board opens as a workbook");
    assert_eq!(sheet.headers[0], "单位");
    let m14 = sheet.headers.iter().position(|h| h == "m14-first-deputy").expect("the first-deputy column");
    let (_, town_b_row) = sheet.rows.iter().find(|(_, r)| r[0] == "桃园镇人民政府").expect("town B's row");
    // Missed, with the exemption granted above written beside it, never instead of it.
    assert_eq!(town_b_row[m14], "未完成（已豁免）", "town B has no first deputy head by 31 March");

    // A township officer sees their own row only.
    let pw = app
        .user(
            "a_officer",
            Assignment {
                role: Role::TownshipOfficer,
                region_path: Some(TOWN_A_PATH.into()),
                organisation_id: Some(uuid::Uuid::parse_str(&c.town_a).unwrap()),
                industries: vec![],
            },
        )
        .await;
    let officer = app.token("a_officer", &pw).await;
    let board = app.send(api("GET", format!("/api/v1/board?campaign={}&on=2024-07-01", c.campaign), &officer)).await.json();
    let names: Vec<&str> = board["rows"].as_array().unwrap().iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["潮泉镇人民政府"]);
    let other = format!("/api/v1/board/units/{}?campaign={}", c.town_b, c.campaign);
    assert_eq!(app.send(api("GET", other, &officer)).await.status, 404);
}

/// Attachments of activity records (issue 5 item 3): a PDF and a real photo are kept and
/// served back unchanged to those who see the activity (404 to others); a renamed program is
/// refused by field and nothing is written.
#[tokio::test]
async fn activity_attachments_are_kept_served_in_scope_and_a_renamed_program_is_refused() {
    use base64::Engine;
    let app = TestApp::new().await;
    let token = admin_token(&app).await;
    let c = city(&app, &token).await;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    let photo = include_bytes!("../../fixtures/site-photo.jpg").to_vec();
    let body = |files: Value| {
        json!({"organisation_id": c.town_a, "kind": "training", "title": "网格员培训", "held_on": "2024-06-01", "organiser": "镇安监办",
               "for_grid_workers": true, "attachments_base64": files})
    };
    let bad = activity(&app, &token, body(json!([{"name": "签到表.pdf", "content_base64": b64(b"MZ\x90\x00\x03")}]))).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let field = (bad.json()["fields"][0]["field"].as_str().map(String::from), bad.json()["fields"][0]["code"].as_str().map(String::from));
    assert_eq!(field, (Some("attachment".into()), Some("evidence.attachment.kind".into())));
    assert_eq!(count_rows(&app.db, "activities").await, 0, "nothing written");

    let files = json!([{"name": "C:\\材料\\签到表.pdf", "content_base64": b64(&pdf)}, {"name": "现场.jpg", "content_base64": b64(&photo)}]);
    let ok = activity(&app, &token, body(files)).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let list = app.send(api("GET", format!("/api/v1/activities?organisation_id={}", c.town_a), &token)).await.json();
    let files = list[0]["attachments"].as_array().cloned().expect("attachments listed");
    let names: Vec<&str> = files.iter().filter_map(|f| f["name"].as_str()).collect();
    assert_eq!(names, ["签到表.pdf", "现场.jpg"], "the shown name drops the path");

    let pw = app.user("office2", city_admin()).await;
    let office = app.sign_in("office2", &pw).await;
    let got = app.send(office.get(format!("/attachments/{}", files[1]["id"].as_str().unwrap()))).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("image/jpeg"));
    assert_eq!(got.bytes, photo, "served back unchanged");
    // Another town's officer does not see town A's records.
    let other =
        Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_B_PATH.into()), organisation_id: None, industries: vec![] };
    let pw = app.user("other", other).await;
    let other = app.sign_in("other", &pw).await;
    assert_eq!(app.send(other.get(format!("/attachments/{}", files[0]["id"].as_str().unwrap()))).await.status, 404);
}
