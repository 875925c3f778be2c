use anze_domain::auth::{Assignment, Role};
use anze_testkit::*;

fn admin() -> Assignment {
    Assignment { role: Role::CityAdmin, region_path: None, organisation_id: None, industries: vec![] }
}

#[tokio::test]
async fn pages_need_sign_in_and_sign_in_opens_the_enterprise_list() {
    let app = TestApp::new().await;
    let res = app.send(Req::get("/enterprises?risk=red")).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/login?next=/enterprises%3Frisk%3Dred");
    let pw = app.user("chen", admin()).await;
    let bad = app.send(Req::new("POST", "/login").form(&[("username", "chen"), ("password", "nope")])).await;
    assert_eq!(bad.status, 401);
    assert!(bad.body.contains("用户名或密码错误"), "Chinese message");
    let b = app.sign_in("chen", &pw).await;
    anze_service::org::create_enterprise(
        app.ctx(),
        &anze_service::Actor::system("t"),
        &enterprise_input("肥城市恒达化工有限公司", &credit_code(1)),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let list = app.send(b.get("/enterprises?region=370983100&risk=orange")).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("肥城市恒达化工有限公司"));
    let none = app.send(b.get("/enterprises?risk=red")).await;
    assert!(!none.body.contains("肥城市恒达化工有限公司"));
    let en = app.send(b.get("/enterprises?lang=en")).await;
    assert!(en.body.contains("Enterprise"), "English switch");
    let bad_filter = app.send(b.get("/enterprises?region=999")).await;
    assert_eq!(bad_filter.status, 422);
    assert!(bad_filter.body.contains("行政区划代码格式不正确"), "{}", bad_filter.body);
}

#[tokio::test]
async fn forms_without_csrf_are_refused_and_field_errors_are_shown() {
    let app = TestApp::new().await;
    let pw = app.user("chen", admin()).await;
    let b = app.sign_in("chen", &pw).await;
    let form = enterprise_form("甲公司", &credit_code(2));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let no_token = app.send(Req::new("POST", "/enterprises").form(&pairs).header("cookie", b.cookie.clone())).await;
    assert_eq!(no_token.status, 403);
    assert!(no_token.body.contains("CSRF"));
    let mut wrong: Vec<(&str, &str)> = pairs.clone();
    wrong[1] = ("credit_code", "91350100M000100Y44");
    let invalid = app.send(b.post("/enterprises", &wrong)).await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.body.contains("统一社会信用代码校验位不正确"), "field message shown");
    assert!(invalid.body.contains(r#"data-field="credit_code""#));
    let ok = app.send(b.post("/enterprises", &pairs)).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let detail = app.send(b.get(ok.location())).await;
    assert!(detail.body.contains("甲公司") && detail.body.contains("已保存"));
    assert!(detail.body.contains("138****5678"), "phone masked");
    assert!(!detail.body.contains("13812345678"), "phone never shown whole");
}

#[tokio::test]
async fn api_token_lists_and_refuses_revoked_tokens() {
    let app = TestApp::new().await;
    let pw = app.user("api", admin()).await;
    let token = app.token("api", &pw).await;
    let bearer = format!("Bearer {token}");
    let created = app
        .send(
            Req::new("POST", "/api/v1/enterprises")
                .json(&serde_json::json!({
                    "name": "乙公司", "credit_code": credit_code(3), "industry_code": "47", "region_code": "370983101201",
                    "legal_representative": "王", "principal_name": "王", "risk_level": "blue"
                }))
                .header("authorization", bearer.clone()),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let bad = app
        .send(
            Req::new("POST", "/api/v1/enterprises")
                .json(&serde_json::json!({
                    "name": "", "credit_code": "123", "industry_code": "47", "region_code": "370983101201",
                    "legal_representative": "王", "principal_name": "王", "risk_level": "purple"
                }))
                .header("authorization", bearer.clone()),
        )
        .await;
    assert_eq!(bad.status, 422);
    let fields: Vec<String> = bad.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["name", "credit_code", "risk_level"]);
    let list = app.send(Req::get("/api/v1/enterprises?limit=10").header("authorization", bearer.clone())).await;
    assert_eq!(list.json()["items"][0]["name"], "乙公司");
    let revoke = app.send(Req::new("DELETE", "/api/v1/auth/token").header("authorization", bearer.clone())).await;
    assert_eq!(revoke.status, 204);
    let after = app.send(Req::get("/api/v1/enterprises").header("authorization", bearer)).await;
    assert_eq!(after.status, 401);
    assert_eq!(after.json()["code"], "auth.token_revoked");
    let none = app.send(Req::get("/api/v1/me")).await;
    assert_eq!(none.json()["code"], "unauthenticated");
}

#[tokio::test]
async fn openapi_documents_every_api_route_and_docs_are_served_locally() {
    let app = TestApp::new().await;
    let doc = app.send(Req::get("/api/openapi.json")).await.json();
    let paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    for route in crate::matrix::declared_routes().into_iter().filter(|r| r.path.starts_with("/api/v1")) {
        assert!(paths.contains(&route.path), "{} missing from the OpenAPI document", route.path);
    }
    let docs = app.send(Req::get("/api/docs")).await;
    assert_eq!(docs.status, 200);
    assert!(!docs.body.contains("http"), "no CDN: {}", docs.body);
    assert_eq!(app.send(Req::get("/static/vendor/htmx/htmx.min.js")).await.status, 200);
    assert_eq!(app.send(Req::get("/readyz")).await.status, 200);
}

#[tokio::test]
async fn import_page_reports_rows_and_offers_the_errors_as_xlsx() {
    let app = TestApp::new().await;
    let pw = app.user("chen", admin()).await;
    let b = app.sign_in("chen", &pw).await;
    let csv = "企业名称,统一社会信用代码,行业代码,所在镇街或村居代码,法定代表人,主要负责人,风险等级\n甲,91350100M000100Y44,26,370983100,张,张,红\n";
    let boundary = "XBOUNDARYX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nenterprises\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let mut req = Req::new("POST", format!("/imports?csrf_token={}", b.csrf)).header("cookie", b.cookie.clone());
    req = req.header("content-type", format!("multipart/form-data; boundary={boundary}"));
    req.body = body.into_bytes();
    let res = app.send(req).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let job = res.location();
    assert!(job.starts_with("/imports/"), "{job}");
    let mut page = app.send(b.get(job.clone())).await;
    for _ in 0..100 {
        if !page.body.contains("import-running") {
            break;
        }
        assert!(page.body.contains("hx-trigger=\"every 1s\""), "a running job polls itself");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = app.send(b.get(job.clone())).await;
    }
    assert!(page.body.contains("统一社会信用代码校验位不正确"), "{}", page.body);
    let link = page.body.split("href=\"/imports/").nth(1).and_then(|s| s.split('"').next()).expect("errors link");
    let xlsx = app.send(b.get(format!("/imports/{link}"))).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
}

#[tokio::test]
async fn malformed_json_gets_a_clear_error() {
    let app = TestApp::new().await;
    let pw = app.user("api", admin()).await;
    let token = app.token("api", &pw).await;
    let mut req = Req::new("POST", "/api/v1/enterprises")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json");
    req.body = b"{\"name\": 1".to_vec();
    let res = app.send(req).await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json()["code"], "invalid_json");
    assert!(res.json()["message"].as_str().unwrap().contains("JSON"));
}

#[tokio::test]
async fn an_administrator_creates_an_account_that_must_change_its_password() {
    let app = TestApp::new().await;
    let pw = app.user("chen", admin()).await;
    let b = app.sign_in("chen", &pw).await;
    let bad = app
        .send(b.post(
            "/users",
            &[("username", "zhou"), ("display_name", "周主任"), ("role", "enterprise_admin"), ("organisation", "91350100M000100Y43")],
        ))
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("找不到该机构"), "{}", bad.body);
    let ok = app
        .send(b.post(
            "/users",
            &[("username", "zhou"), ("display_name", "周主任"), ("role", "township_officer"), ("region_code", "370983100")],
        ))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let temp =
        ok.body.split("id=\"temp-password\">").nth(1).and_then(|s| s.split('<').next()).expect("temporary password shown").to_string();
    let temp = temp.replace("&#43;", "+").replace("&#61;", "=").replace("&#35;", "#").replace("&amp;", "&");
    let first = app.send(Req::new("POST", "/login").form(&[("username", "zhou"), ("password", &temp), ("next", "/enterprises")])).await;
    assert_eq!(first.status, 303);
    assert_eq!(first.location(), "/password", "must change the temporary password first");
    let cookie = first.session_cookie().unwrap();
    let blocked = app.send(Req::get("/enterprises").header("cookie", cookie)).await;
    assert_eq!(blocked.location(), "/password");
    let list = app.send(b.get("/users")).await;
    assert!(list.body.contains("zhou") && list.body.contains("待修改密码"));
}

#[tokio::test]
async fn the_templates_page_lists_exports_and_imports() {
    let app = TestApp::new().await;
    let pw = app.user("chen", admin()).await;
    let b = app.sign_in("chen", &pw).await;
    anze_service::duty::seed_templates(app.ctx(), chrono::Utc::now()).await.unwrap();
    let page = app.send(b.get("/duty-templates")).await;
    assert!(page.body.contains("general.principal") && page.body.contains("hazardous_chemicals.worker"));
    let xlsx = app.send(b.get("/duty-templates.xlsx")).await;
    assert!(xlsx.headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let boundary = "XB";
    let csv = "模板编号,模板名称,岗位层级,行业分组,职责,依据,频次,履职凭证\nlocal.worker,本企业一般从业人员清单,worker,general,遵守操作规程,安全生产法第五十七条,daily,交接班记录\n";
    let body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\n\r\n{csv}\r\n--{boundary}--\r\n");
    let mut req = Req::new("POST", format!("/duty-templates?csrf_token={}", b.csrf)).header("cookie", b.cookie.clone());
    req = req.header("content-type", format!("multipart/form-data; boundary={boundary}"));
    req.body = body.into_bytes();
    let res = app.send(req).await;
    assert!(res.body.contains("已导入 1 个模板") && res.body.contains("local.worker"), "{}", res.body);
}

#[tokio::test]
async fn coverage_pages_drill_from_the_town_to_the_names_and_a_post_change_is_one_form() {
    let app = TestApp::new().await;
    let sys = anze_service::Actor::system("t");
    let now = chrono::Utc::now();
    anze_service::duty::seed_templates(app.ctx(), now).await.unwrap();
    let org = anze_service::org::create_enterprise(app.ctx(), &sys, &enterprise_input("肥城市恒达化工有限公司", &credit_code(1)), now)
        .await
        .unwrap();
    for name in ["赵一", "钱二"] {
        let s = anze_service::people::StaffInput {
            name: name.into(),
            post_title: "操作工".into(),
            tier: "worker".into(),
            start_date: "2024-01-01".into(),
            ..Default::default()
        };
        anze_service::people::add_staff(app.ctx(), &sys, org, &s, now).await.unwrap();
    }
    let list = anze_service::duty::create_list(app.ctx(), &sys, org, "general.worker", now).await.unwrap();
    anze_service::duty::publish(app.ctx(), &sys, list, now).await.unwrap();
    let d = anze_service::org::detail(app.ctx(), &sys, org).await.unwrap();
    let zhao = d.staff.iter().find(|(_, p)| p.name == "赵一").unwrap();
    let zhao_person = uuid::Uuid::parse_str(&zhao.1.id).unwrap();
    anze_service::duty::acknowledge(app.ctx(), zhao_person, list, anze_service::duty::Signature::Typed("赵一".into()), "t", now)
        .await
        .unwrap();
    let officer =
        Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] };
    let pw = app.user("zhou", officer).await;
    let b = app.sign_in("zhou", &pw).await;

    let town = app.send(b.get("/coverage")).await;
    assert_eq!(town.status, 200);
    assert!(town.body.contains("潮泉镇") && town.body.contains("50.0%"), "{}", town.body);
    let ents = app.send(b.get("/coverage/enterprises?township=370983100")).await;
    assert!(ents.body.contains("肥城市恒达化工有限公司"), "{}", ents.body);
    let bad = app.send(b.get("/coverage?township=999")).await;
    assert_eq!(bad.status, 422);
    let page = app.send(b.get(format!("/enterprises/{org}"))).await;
    assert!(page.body.contains("未签署当前清单的人员") && page.body.contains("钱二"), "the names behind the figure");
    let gov = app.send(b.get("/coverage/government")).await;
    assert_eq!(gov.status, 200);
    assert!(gov.body.contains("部门和镇街区清单"));

    // Change Zhao's post with the page's form: the person is no longer covered.
    let res = app
        .send(b.post(
            format!("/employments/{}/change-post", zhao.0.id),
            &[("post_title", "班组长"), ("tier", "team_leader"), ("unit_name", ""), ("start_date", "2024-06-01")],
        ))
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let after = app.send(b.get("/coverage")).await;
    assert!(after.body.contains("0.0%"), "{}", after.body);
    let en = app.send(b.get("/coverage?lang=en")).await;
    assert!(en.body.contains("Coverage of duty lists"));
}
