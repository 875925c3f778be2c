//! The phone page behind an enterprise's QR code: identify, read one's lists, sign; revoked,
//! forged and other enterprises' codes.

use anze_service::Actor;
use anze_service::people::StaffInput;
use anze_testkit::*;

async fn setup(app: &TestApp) -> (uuid::Uuid, String, Browser) {
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let t = "code = \"p.worker\"\nname = \"一般从业人员安全生产责任清单\"\ntier = \"worker\"\ngroup = \"general\"\n[[items]]\ntext = \"严格遵守本岗位安全操作规程\"\nlegal_basis = \"《中华人民共和国安全生产法》第五十七条\"\nfrequency = \"per_shift\"\nevidence = \"交接班记录\"\n";
    anze_service::duty::add_template(app.ctx(), &sys, t, now).await.unwrap();
    let org = anze_service::org::create_enterprise(app.ctx(), &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    let staff = StaffInput {
        name: "王工".into(),
        phone: "13900001234".into(),
        post_title: "操作工".into(),
        tier: "worker".into(),
        start_date: "2024-01-01".into(),
        ..Default::default()
    };
    anze_service::people::add_staff(app.ctx(), &sys, org, &staff, now).await.unwrap();
    let list = anze_service::duty::create_list(app.ctx(), &sys, org, "p.worker", now).await.unwrap();
    anze_service::duty::publish(app.ctx(), &sys, list, now).await.unwrap();
    let pw = app
        .user(
            "ent",
            anze_domain::auth::Assignment {
                role: anze_domain::auth::Role::EnterpriseAdmin,
                region_path: None,
                organisation_id: Some(org),
                industries: vec![],
            },
        )
        .await;
    let b = app.sign_in("ent", &pw).await;
    let qr = app.send(b.get(format!("/enterprises/{org}/qr.svg"))).await;
    assert_eq!(qr.status, 200);
    assert!(qr.body.contains("<svg"));
    let token = anze_service::phone::qr_token(app.ctx(), &sys, org, now).await.unwrap();
    (org, token, b)
}

#[tokio::test]
async fn an_employee_signs_on_the_phone_page() {
    let app = TestApp::new().await;
    let (org, token, b) = setup(&app).await;
    let page = app.send(Req::get(format!("/m/{token}"))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("甲化工") && !page.body.contains("<script"), "light page, no scripts");
    assert!(page.body.len() < 100_000);
    let wrong = app.send(Req::new("POST", format!("/m/{token}")).form(&[("name", "王工"), ("last4", "9999")])).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("未找到与姓名和后四位相符的在岗人员"));
    let lists = app.send(Req::new("POST", format!("/m/{token}")).form(&[("name", "王工"), ("last4", "1234")])).await;
    assert_eq!(lists.status, 200);
    assert!(lists.body.contains("严格遵守本岗位安全操作规程") && lists.body.contains("每班"));
    let list_id = lists.body.split("name=\"list_id\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
    let signed = app
        .send(Req::new("POST", format!("/m/{token}/sign")).form(&[
            ("name", "王工"),
            ("last4", "1234"),
            ("list_id", &list_id),
            ("typed_name", "王工"),
        ]))
        .await;
    assert_eq!(signed.status, 200);
    assert!(signed.body.contains("签字成功") && signed.body.contains("已签字确认"), "{}", signed.body);
    let c = anze_service::coverage::of_unit(app.ctx(), &Actor::system("t"), org, 7, chrono::Utc::now()).await.unwrap();
    assert_eq!((c.people, c.covered), (1, 1));
    let again = app
        .send(Req::new("POST", format!("/m/{token}/sign")).form(&[
            ("name", "王工"),
            ("last4", "1234"),
            ("list_id", &list_id),
            ("typed_name", "王工"),
        ]))
        .await;
    assert!(again.body.contains("您已签署过该版本"));
    // The list's page shows who signed and how.
    let page = app.send(b.get(format!("/duty-lists/{list_id}"))).await;
    assert!(page.body.contains("签字人数（1）") && page.body.contains("王工") && page.body.contains("输入姓名"), "{}", page.body);
}

#[tokio::test]
async fn revoked_forged_and_foreign_codes_are_refused() {
    let app = TestApp::new().await;
    let (org, token, b) = setup(&app).await;
    assert_eq!(app.send(Req::get("/m/forged-token")).await.status, 404);
    // Another enterprise's list cannot be signed through this enterprise's code.
    let sys = Actor::system("t");
    let mut other = enterprise_input("乙化工", &credit_code(2));
    other.grid_code = String::new();
    let other = anze_service::org::create_enterprise(app.ctx(), &sys, &other, chrono::Utc::now()).await.unwrap();
    let foreign = anze_service::duty::create_list(app.ctx(), &sys, other, "p.worker", chrono::Utc::now()).await.unwrap();
    let res = app
        .send(Req::new("POST", format!("/m/{token}/sign")).form(&[
            ("name", "王工"),
            ("last4", "1234"),
            ("list_id", &foreign.to_string()),
            ("typed_name", "王工"),
        ]))
        .await;
    assert_eq!(res.status, 404);
    // Revoked: the old code stops working and a new one is made.
    let revoke = app.send(b.post(format!("/enterprises/{org}/qr/revoke"), &[])).await;
    assert_eq!(revoke.status, 303);
    let old = app.send(Req::get(format!("/m/{token}"))).await;
    assert_eq!(old.status, 409);
    assert!(old.body.contains("该二维码已失效"));
    let new = anze_service::phone::qr_token(app.ctx(), &sys, org, chrono::Utc::now()).await.unwrap();
    assert_ne!(new, token);
    assert_eq!(app.send(Req::get(format!("/m/{new}"))).await.status, 200);
}

#[tokio::test]
async fn the_enterprise_page_creates_publishes_and_measures_lists() {
    let app = TestApp::new().await;
    let (org, _, b) = setup(&app).await;
    let page = app.send(b.get(format!("/enterprises/{org}"))).await;
    assert!(page.body.contains("全员覆盖：0 / 1 人已签署当前清单"), "{}", page.body);
    let created = app.send(b.post(format!("/enterprises/{org}/duty-lists"), &[("template", "p.worker")])).await;
    assert_eq!(created.status, 303);
    let list = created.location();
    let draft = app.send(b.get(list.clone())).await;
    assert!(draft.body.contains("草稿") && draft.body.contains("严格遵守本岗位安全操作规程"));
    let published = app.send(b.post(format!("{list}/publish"), &[])).await;
    assert_eq!(published.status, 303);
    let shown = app.send(b.get(published.location())).await;
    assert!(shown.body.contains("已发布") && shown.body.contains("SHA-256"), "{}", shown.body);
    let again = app.send(b.post(format!("{list}/publish"), &[])).await;
    let refused = app.send(b.get(again.location())).await;
    assert!(refused.body.contains("该版本已发布"), "{}", refused.body);
    let page = app.send(b.get(format!("/enterprises/{org}"))).await;
    assert!(page.body.contains("已被替代"), "version 1 superseded by version 2");
}

#[tokio::test]
async fn two_versions_are_compared_item_by_item() {
    let app = TestApp::new().await;
    let (org, _, b) = setup(&app).await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let lists = anze_service::duty::lists_of(app.ctx(), &sys, org).await.unwrap();
    let v1 = lists[0].id.clone();
    let v2 = anze_service::duty::create_list(app.ctx(), &sys, org, "p.worker", now).await.unwrap();
    let items = vec![
        anze_service::duty::ItemInput {
            text: "严格遵守本岗位安全操作规程".into(),
            legal_basis: "《中华人民共和国安全生产法》第五十七条".into(),
            frequency: "daily".into(),
            evidence: "交接班记录".into(),
        },
        anze_service::duty::ItemInput {
            text: "发现事故隐患立即报告".into(),
            legal_basis: "《中华人民共和国安全生产法》第五十九条".into(),
            frequency: "on_event".into(),
            evidence: "隐患报告单".into(),
        },
    ];
    anze_service::duty::set_items(app.ctx(), &sys, v2, &items, now).await.unwrap();
    let page = app.send(b.get(format!("/duty-lists/{v2}/compare/{v1}"))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("修改") && page.body.contains("新增") && page.body.contains("发现事故隐患立即报告"), "{}", page.body);
    assert!(page.body.contains("每班") && page.body.contains("每日"), "the frequency change is shown");
}

#[tokio::test]
async fn the_enterprises_own_industry_templates_come_first() {
    let app = TestApp::new().await;
    let (org, _, b) = setup(&app).await;
    anze_service::duty::seed_templates(app.ctx(), chrono::Utc::now()).await.unwrap();
    let page = app.send(b.get(format!("/enterprises/{org}"))).await;
    let first =
        page.body.split("<select name=\"template\" id=\"template\"><option value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    assert!(first.starts_with("hazardous_chemicals."), "a chemicals enterprise sees chemicals templates first: {first}");
}

#[tokio::test]
async fn a_drawn_signature_is_accepted_and_an_empty_one_is_named() {
    let app = TestApp::new().await;
    let (org, token, _) = setup(&app).await;
    let lists = app.send(Req::new("POST", format!("/m/{token}")).form(&[("name", "王工"), ("last4", "1234")])).await;
    assert!(lists.body.contains("m-sign.js") && lists.body.contains("sign-pad"), "the signature pad is offered");
    let list_id = lists.body.split("name=\"list_id\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
    let empty = app
        .send(Req::new("POST", format!("/m/{token}/sign")).form(&[
            ("name", "王工"),
            ("last4", "1234"),
            ("list_id", &list_id),
            ("typed_name", ""),
            ("drawn", ""),
        ]))
        .await;
    assert!(empty.body.contains("请输入姓名或手写签名"), "{}", empty.body);
    let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    let drawn = app
        .send(Req::new("POST", format!("/m/{token}/sign")).form(&[
            ("name", "王工"),
            ("last4", "1234"),
            ("list_id", &list_id),
            ("typed_name", ""),
            ("drawn", png),
        ]))
        .await;
    assert!(drawn.body.contains("签字成功"), "{}", drawn.body);
    let c = anze_service::coverage::of_unit(app.ctx(), &Actor::system("t"), org, 7, chrono::Utc::now()).await.unwrap();
    assert_eq!(c.covered, 1);
    let sigs = anze_service::duty::signatures(app.ctx(), &Actor::system("t"), list_id.parse().unwrap()).await.unwrap();
    assert_eq!(sigs[0].2, "drawn");
}

#[tokio::test]
async fn guessing_the_last_four_digits_is_stopped() {
    let app = TestApp::new().await;
    let (_, token, _) = setup(&app).await;
    let guess = |last4: String| Req::new("POST", format!("/m/{token}")).form(&[("name", "王工"), ("last4", &last4)]);
    for n in 0..anze_web::PHONE_FAILURES {
        let res = app.send(guess(format!("{:04}", 9000 + n))).await;
        assert_eq!(res.status, 422, "attempt {n} is answered");
    }
    // Over the limit even the right digits are refused, with a clear message.
    let res = app.send(guess("1234".into())).await;
    assert_eq!(res.status, 429);
    assert!(res.body.contains("核对失败次数过多"), "{}", res.body);
}
