//! Hazards: the closed loop from report to closure with photos, the rules that refuse a step
//! (own fix, no photo of the fix, a major hazard without plan or supervisor), bad input that
//! writes nothing, scope (404 outside it), and the overview against an independent count.

use anze_domain::auth::{Assignment, Role};
use anze_service::hazard::{ListQuery, NewHazardForm, PlanForm, TransitionForm, detail, list, overview, report, save_plan, transition};
use anze_service::{Actor, ServiceError};
use anze_testkit::*;
use uuid::Uuid;

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

async fn enterprise(t: &TestDb, n: u32, town_b: bool) -> Uuid {
    let mut e = enterprise_input(&format!("企业{n:02}"), &credit_code(n));
    if town_b {
        e.region_code = "370983101201".into();
        e.grid_code = "370983101201001".into();
    }
    anze_service::org::create_enterprise(&t.ctx, &Actor::system("t"), &e, chrono::Utc::now()).await.unwrap()
}

fn form(org: Uuid, grade: &str) -> NewHazardForm {
    let today = anze_domain::time::local_date(chrono::Utc::now());
    NewHazardForm {
        organisation_id: org.to_string(),
        description: "配电箱门损坏，带电部位裸露".into(),
        location: "二号车间".into(),
        grade: grade.into(),
        category: "thing".into(),
        origin: "self_check".into(),
        direction: "reported_up".into(),
        found_on: today.to_string(),
        deadline: (today + chrono::Duration::days(7)).to_string(),
        photos: vec![TINY_PNG.to_vec()],
        ..Default::default()
    }
}

fn step(action: &str) -> TransitionForm {
    TransitionForm { action: action.into(), ..Default::default() }
}

fn fix() -> TransitionForm {
    TransitionForm { action: "submit_fix".into(), photos: vec![TINY_PNG.to_vec()], ..Default::default() }
}

fn code(e: ServiceError) -> String {
    match e {
        ServiceError::Invalid(f) => f.iter().map(|f| format!("{}:{}", f.field, f.code)).collect::<Vec<_>>().join(","),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn a_general_hazard_runs_from_report_to_closure_and_the_fixer_cannot_accept_their_own_fix() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let org = enterprise(&t, 1, false).await;
    let safety = person(Role::SafetyManager, Some(org), None, "安全员");
    let boss = person(Role::EnterpriseAdmin, Some(org), None, "厂长");
    let now = chrono::Utc::now();

    let id = report(&t.ctx, &safety, &form(org, "general"), now).await.unwrap();
    for a in ["confirm", "start_rectification"] {
        transition(&t.ctx, &safety, id, &step(a), now).await.unwrap();
    }
    assert_eq!(code(transition(&t.ctx, &safety, id, &step("submit_fix"), now).await.unwrap_err()), "photo:hazard.fix.photo_missing");
    transition(&t.ctx, &safety, id, &fix(), now).await.unwrap();
    assert_eq!(code(transition(&t.ctx, &safety, id, &step("accept"), now).await.unwrap_err()), "actor:hazard.accept.own_fix");
    assert_eq!(
        code(transition(&t.ctx, &boss, id, &step("fail_acceptance"), now).await.unwrap_err()),
        "reason:hazard.accept.reason_missing"
    );
    let fail = TransitionForm { action: "fail_acceptance".into(), note: "防护罩未装回".into(), ..Default::default() };
    assert_eq!(transition(&t.ctx, &boss, id, &fail, now).await.unwrap().as_str(), "rectifying");
    transition(&t.ctx, &safety, id, &fix(), now).await.unwrap();
    assert_eq!(transition(&t.ctx, &boss, id, &step("accept"), now).await.unwrap().as_str(), "closed");

    let d = detail(&t.ctx, &safety, id, now).await.unwrap();
    assert_eq!(d.hazard.state, "closed");
    assert_eq!(d.hazard.closed_on, Some(anze_domain::time::local_date(now)));
    let steps: Vec<&str> = d.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(steps, ["report", "confirm", "start_rectification", "submit_fix", "fail_acceptance", "submit_fix", "accept"]);
    assert_eq!(d.photos.iter().filter(|p| p.phase == "before").count(), 1);
    assert_eq!(d.photos.iter().filter(|p| p.phase == "after").count(), 2, "each fix kept its photo");
    assert!(d.actions.contains(&"reopen"), "a closed hazard can be reopened: {:?}", d.actions);
    // Every write left an audit entry on the hazard.
    let audited = anze_service::audit::trail(&t.ctx, "hazard", &id.to_string()).await.unwrap();
    assert_eq!(audited.len(), 7, "{audited:?}");
    // Reopening needs a reason and is itself an event.
    assert_eq!(code(transition(&t.ctx, &boss, id, &step("reopen"), now).await.unwrap_err()), "reason:hazard.reopen.reason_missing");
    let reopen = TransitionForm { action: "reopen".into(), note: "复查发现再次损坏".into(), ..Default::default() };
    assert_eq!(transition(&t.ctx, &boss, id, &reopen, now).await.unwrap().as_str(), "rectifying");
    assert_eq!(detail(&t.ctx, &boss, id, now).await.unwrap().hazard.closed_on, None);
}

#[tokio::test]
async fn a_major_hazard_needs_a_governance_plan_and_a_supervisors_check_before_it_closes() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let org = enterprise(&t, 1, false).await;
    let safety = person(Role::SafetyManager, Some(org), None, "安全员");
    let boss = person(Role::EnterpriseAdmin, Some(org), None, "厂长");
    let officer = person(Role::TownshipOfficer, None, Some(TOWN_A_PATH), "镇街安监员");
    let now = chrono::Utc::now();
    let id = report(&t.ctx, &safety, &form(org, "major"), now).await.unwrap();
    for a in ["confirm", "start_rectification"] {
        transition(&t.ctx, &safety, id, &step(a), now).await.unwrap();
    }
    transition(&t.ctx, &safety, id, &fix(), now).await.unwrap();
    assert_eq!(code(transition(&t.ctx, &boss, id, &step("accept"), now).await.unwrap_err()), "plan:hazard.major.plan_missing");

    // A plan with a missing part is refused naming that part; nothing is stored.
    let mut plan = PlanForm {
        aims: "消除触电风险".into(),
        measures: "更换配电箱".into(),
        funds_and_materials: "8000 元，配电箱一台".into(),
        people: "设备科张三".into(),
        deadline: anze_domain::time::local_date(now).to_string(),
        safety_and_emergency_measures: String::new(),
    };
    let e = code(save_plan(&t.ctx, &safety, id, &plan, now).await.unwrap_err());
    assert!(e.contains("plan_safety_and_emergency_measures:"), "{e}");
    assert!(detail(&t.ctx, &safety, id, now).await.unwrap().plan.is_none());
    plan.safety_and_emergency_measures = "断电作业，配备绝缘用具".into();
    save_plan(&t.ctx, &safety, id, &plan, now).await.unwrap();

    // The enterprise cannot check its own major hazard; the township can, then the boss accepts.
    assert_eq!(code(transition(&t.ctx, &boss, id, &step("accept"), now).await.unwrap_err()), "actor:hazard.major.supervisor_missing");
    assert!(matches!(transition(&t.ctx, &boss, id, &step("supervisor_check"), now).await, Err(ServiceError::Forbidden)));
    transition(&t.ctx, &officer, id, &step("supervisor_check"), now).await.unwrap();
    assert_eq!(transition(&t.ctx, &boss, id, &step("accept"), now).await.unwrap().as_str(), "closed");
}

#[tokio::test]
async fn bad_input_is_refused_by_name_and_writes_nothing() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let org = enterprise(&t, 1, false).await;
    let safety = person(Role::SafetyManager, Some(org), None, "安全员");
    let now = chrono::Utc::now();
    let today = anze_domain::time::local_date(now);

    let mut early = form(org, "general");
    early.deadline = (today - chrono::Duration::days(1)).to_string();
    assert_eq!(code(report(&t.ctx, &safety, &early, now).await.unwrap_err()), "deadline:hazard.deadline.before_found");

    let mut pdf = form(org, "general");
    pdf.photos = vec![b"%PDF-1.7\n1 0 obj <<>> endobj\n".to_vec()];
    let e = code(report(&t.ctx, &safety, &pdf, now).await.unwrap_err());
    assert!(e.starts_with("photo:"), "a renamed PDF is not a photo: {e}");

    let mut all_wrong = form(org, "severe");
    all_wrong.description = String::new();
    all_wrong.found_on = (today + chrono::Duration::days(3)).to_string();
    let e = code(report(&t.ctx, &safety, &all_wrong, now).await.unwrap_err());
    for field in ["description:", "grade:", "found_on:"] {
        assert!(e.contains(field), "every bad field is named at once: {e}");
    }
    for table in ["hazards", "hazard_events", "hazard_photos", "photos"] {
        assert_eq!(count_rows(&t, table).await, 0, "{table} is untouched");
    }

    // A step the state forbids: closing a hazard never rectified.
    let id = report(&t.ctx, &safety, &form(org, "general"), now).await.unwrap();
    let boss = person(Role::EnterpriseAdmin, Some(org), None, "厂长");
    assert_eq!(code(transition(&t.ctx, &boss, id, &step("accept"), now).await.unwrap_err()), "state:hazard.transition.forbidden");
    assert_eq!(code(transition(&t.ctx, &boss, id, &step("close_now"), now).await.unwrap_err()), "action:hazard.transition.unknown");
    assert_eq!(count_rows(&t, "hazard_events").await, 1, "only the report is an event");
}

#[tokio::test]
async fn hazards_outside_the_scope_are_not_found_and_the_overview_agrees_with_a_count() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let a = enterprise(&t, 1, false).await;
    let b = enterprise(&t, 2, true).await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let mut ids = vec![];
    for (org, grade) in [(a, "general"), (a, "major"), (b, "general")] {
        ids.push(report(&t.ctx, &sys, &form(org, grade), now).await.unwrap());
    }
    // Close one hazard of A.
    let fixer = person(Role::SafetyManager, Some(a), None, "安全员");
    let checker = person(Role::EnterpriseAdmin, Some(a), None, "厂长");
    for s in [step("confirm"), step("start_rectification"), fix()] {
        transition(&t.ctx, &fixer, ids[0], &s, now).await.unwrap();
    }
    transition(&t.ctx, &checker, ids[0], &step("accept"), now).await.unwrap();

    let town_a = person(Role::TownshipOfficer, None, Some(TOWN_A_PATH), "甲镇");
    assert!(matches!(detail(&t.ctx, &town_a, ids[2], now).await, Err(ServiceError::NotFound)));
    assert!(matches!(transition(&t.ctx, &town_a, ids[2], &step("confirm"), now).await, Err(ServiceError::NotFound)));
    let employee_b = person(Role::Employee, Some(b), None, "乙员工");
    assert!(matches!(detail(&t.ctx, &employee_b, ids[0], now).await, Err(ServiceError::NotFound)));
    let (seen, _) = list(&t.ctx, &town_a, &ListQuery::default(), 50, now).await.unwrap();
    let mut seen: Vec<String> = seen.into_iter().map(|h| h.id).collect();
    seen.sort();
    let mut expected = vec![ids[0].to_string(), ids[1].to_string()];
    expected.sort();
    assert_eq!(seen, expected);

    let anze_service::hazard::Overview { rows, total, overdue_as_of } =
        overview(&t.ctx, &sys, &ListQuery::default(), "township", now).await.unwrap();
    assert_eq!(overdue_as_of, None, "every write brought its unit's summary to the day");
    assert_eq!((total.total, total.closed, total.open, total.major), (3, 1, 2, 1));
    assert_eq!(total.closure_permille, 333);
    let town_a_row = rows.iter().find(|r| r.key.as_deref() == Some("370983100")).expect("town A");
    assert_eq!((town_a_row.total, town_a_row.closed), (2, 1));
    let scoped = overview(&t.ctx, &town_a, &ListQuery::default(), "grade", now).await.unwrap().total;
    assert_eq!(scoped.total, 2, "the overview is scoped like the list");
    let by_place = overview(&t.ctx, &town_a, &ListQuery::default(), "industry", now).await.unwrap().total;
    assert_eq!(by_place.total, 2, "the summaries are scoped like the list");
    let major = ListQuery { grade: Some("major".into()), ..Default::default() };
    assert_eq!(list(&t.ctx, &sys, &major, 50, now).await.unwrap().0.len(), 1);
    let bad = ListQuery { grade: Some("huge".into()), ..Default::default() };
    assert_eq!(code(list(&t.ctx, &sys, &bad, 50, now).await.unwrap_err()), "grade:field.unknown_code");
}

#[tokio::test]
async fn the_api_reports_and_moves_a_hazard_and_refuses_what_the_rules_forbid() {
    let app = TestApp::new().await;
    let org = anze_service::org::create_enterprise(
        app.ctx(),
        &Actor::system("t"),
        &enterprise_input("甲化工", &credit_code(1)),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let safety = app
        .user("safety", Assignment { role: Role::SafetyManager, region_path: None, organisation_id: Some(org), industries: vec![] })
        .await;
    let token = app.token("safety", &safety).await;
    let today = anze_domain::time::local_date(chrono::Utc::now());
    let png = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, TINY_PNG);
    let body = serde_json::json!({
        "organisation_id": org.to_string(), "description": "消防通道堵塞", "grade": "general", "category": "management",
        "origin": "self_check", "direction": "reported_up", "found_on": today.to_string(),
        "deadline": (today + chrono::Duration::days(3)).to_string(), "photos_base64": [png],
    });
    let auth = format!("Bearer {token}");
    let res = app.send(Req::new("POST", "/api/v1/hazards").header("authorization", auth.clone()).json(&body)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = res.json()["id"].as_str().unwrap().to_string();
    let post = |action: &str| {
        Req::new("POST", format!("/api/v1/hazards/{id}/transitions"))
            .header("authorization", auth.clone())
            .json(&serde_json::json!({"action": action}))
    };
    assert_eq!(app.send(post("confirm")).await.status, 200);
    let res = app.send(post("accept")).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.json()["fields"][0]["code"], "hazard.transition.forbidden");
    let res = app.send(Req::get(format!("/api/v1/hazards/{id}")).header("authorization", auth.clone())).await;
    assert_eq!(res.status, 200);
    let d = res.json();
    assert_eq!(d["hazard"]["state"], "confirmed");
    assert_eq!(d["before_photo_ids"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["actions"], serde_json::json!(["start_rectification"]));
    let res = app.send(Req::get(format!("/api/v1/hazards/{}", Uuid::now_v7())).header("authorization", auth)).await;
    assert_eq!(res.status, 404);
}

#[tokio::test]
async fn the_report_page_names_a_bad_field_in_chinese_and_the_hazard_page_offers_the_next_step() {
    let app = TestApp::new().await;
    let org = anze_service::org::create_enterprise(
        app.ctx(),
        &Actor::system("t"),
        &enterprise_input("甲化工", &credit_code(1)),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let pw = app
        .user("safety", Assignment { role: Role::SafetyManager, region_path: None, organisation_id: Some(org), industries: vec![] })
        .await;
    let b = app.sign_in("safety", &pw).await;
    let page = app.send(b.get("/hazards/new")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("甲化工"), "the user's own unit is the default");
    let today = anze_domain::time::local_date(chrono::Utc::now());
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let (org_id, found) = (org.to_string(), today.to_string());
    let mut fields = vec![
        ("organisation_id", org_id.as_str()),
        ("description", "消防通道堵塞"),
        ("grade", "general"),
        ("category", "management"),
        ("origin", "self_check"),
        ("direction", "reported_up"),
        ("found_on", found.as_str()),
        ("deadline", yesterday.as_str()),
    ];
    let res = app.send(b.post("/hazards", &fields)).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("data-field=\"deadline\"") && res.body.contains("整改期限不能早于发现日期"), "{}", res.body);
    fields.retain(|(k, _)| *k != "deadline");
    let res = app.send(b.post("/hazards", &fields)).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let page = app.send(b.get(res.location())).await;
    assert!(page.body.contains("data-state=\"reported\"") && page.body.contains("已上报"));
    assert!(page.body.contains("id=\"step-confirm\""), "the enterprise can confirm its own report");
    let list = app.send(b.get("/hazards")).await;
    assert!(list.body.contains("消防通道堵塞"));
}

#[tokio::test]
async fn overdue_hazards_climb_the_ladder_once_per_rung_and_a_long_overdue_major_one_can_be_exposed() {
    use anze_service::hazard::{approve_exposure, escalate, exposed};
    let app = TestApp::new().await;
    let t = app.ctx();
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let org = anze_service::org::create_enterprise(t, &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    let gov = |kind: &str, name: &str, region: &str, industries: &[&str]| anze_service::org::OrganisationInput {
        kind: kind.into(),
        name: name.into(),
        region_code: region.into(),
        industries: industries.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let town = anze_service::org::create_organisation(t, &sys, &gov("township_office", "甲镇安监办", "370983100", &[]), now).await.unwrap();
    let other_town =
        anze_service::org::create_organisation(t, &sys, &gov("township_office", "乙镇安监办", "370983101", &[]), now).await.unwrap();
    let chem = anze_service::org::create_organisation(t, &sys, &gov("department", "应急管理局", "370983", &["26"]), now).await.unwrap();
    let roads = anze_service::org::create_organisation(t, &sys, &gov("department", "交通运输局", "370983", &["54"]), now).await.unwrap();

    // Found 40 days ago, due 30 days ago: a general and a major hazard, both overdue 30 days.
    let today = anze_domain::time::local_date(now);
    let mut ids = vec![];
    for grade in ["general", "major"] {
        let mut f = form(org, grade);
        f.found_on = (today - chrono::Duration::days(40)).to_string();
        f.deadline = (today - chrono::Duration::days(30)).to_string();
        ids.push(report(t, &sys, &f, now).await.unwrap());
    }
    let first = escalate(t, now).await.unwrap();
    assert_eq!(first.overdue, 2);
    // General: township at 3 days, department at 10; major: township and department at once, city office at 7.
    assert_eq!(first.steps_taken, 4, "{first:?}");
    assert_eq!(first.notices, 2, "the township and the department (the city has no committee office here): {first:?}");
    let again = escalate(t, now).await.unwrap();
    assert_eq!((again.steps_taken, again.notices), (0, 0), "a second run the same day takes no rung twice");
    let notice_of =
        |unit: Uuid| async move { anze_store::repo::notification::of_organisation(&t.db.read, &unit.to_string(), 10).await.unwrap() };
    let town_notices = notice_of(town).await;
    assert_eq!(town_notices.len(), 1, "one notice a day per unit");
    assert!(town_notices[0].params.contains(&ids[0].to_string()) && town_notices[0].params.contains(&ids[1].to_string()));
    assert_eq!(notice_of(chem).await.len(), 1, "the department supervising chemicals (26) is told");
    assert!(notice_of(roads).await.is_empty(), "a department of another industry is not");
    assert!(notice_of(other_town).await.is_empty(), "another township is not");
    let events = detail(t, &sys, ids[1], now).await.unwrap().events;
    assert_eq!(events.iter().filter(|e| e.action == "escalate").count(), 2, "each rung is an event on the hazard");

    // Exposure: only the major hazard past 30 days qualifies; an official approves it.
    let inspector = Actor {
        user_id: Some(Uuid::now_v7()),
        name: "监管员".into(),
        assignments: vec![Assignment {
            role: Role::DepartmentLeader,
            region_path: Some("/370000/370900/370983".into()),
            organisation_id: Some(chem),
            industries: vec!["26".into()],
        }],
        address: "t".into(),
        locale: "zh-CN".into(),
        must_change_password: false,
    };
    assert!(
        matches!(approve_exposure(t, &inspector, ids[1], now).await, Err(ServiceError::Refused("hazard.exposure.not_candidate"))),
        "30 days is not beyond 30"
    );
    let later = now + chrono::Duration::days(1);
    assert!(
        matches!(approve_exposure(t, &inspector, ids[0], later).await, Err(ServiceError::Refused(_))),
        "a general hazard is never exposed"
    );
    let safety = person(Role::SafetyManager, Some(org), None, "安全员");
    assert!(matches!(approve_exposure(t, &safety, ids[1], later).await, Err(ServiceError::Forbidden)));
    approve_exposure(t, &inspector, ids[1], later).await.unwrap();
    let public = exposed(t, later).await.unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!((public[0].unit.as_str(), public[0].days_overdue), ("甲化工", 31));
    let page = app.send(Req::get("/exposure")).await;
    assert_eq!(page.status, 200, "no sign-in needed");
    assert!(page.body.contains("甲化工") && page.body.contains("配电箱门损坏"));
}

#[tokio::test]
async fn an_employee_reports_from_the_phone_anonymously_or_by_name_and_a_verified_report_earns_a_reward_once() {
    use anze_service::hazard::{PhoneReport, grant_reward, phone_report, record_payout};
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let org = enterprise(&t, 1, false).await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let staff = anze_service::people::StaffInput {
        name: "李四".into(),
        phone: "13800001234".into(),
        post_title: "操作工".into(),
        tier: "worker".into(),
        start_date: "2024-01-01".into(),
        ..Default::default()
    };
    anze_service::people::add_staff(&t.ctx, &sys, org, &staff, now).await.unwrap();
    let token = anze_service::phone::qr_token(&t.ctx, &sys, org, now).await.unwrap();
    let report = |description: &str, name: &str, last4: &str| PhoneReport {
        description: description.into(),
        category: "thing".into(),
        name: name.into(),
        last4: last4.into(),
        photos: vec![TINY_PNG.to_vec()],
        ..Default::default()
    };

    let named = phone_report(&t.ctx, &token, &report("二号车间配电箱门损坏带电部位裸露", "李四", "1234"), "10.0.0.7", now).await.unwrap();
    assert_eq!(named.code.len(), 8);
    assert!(!named.suspected_duplicate);
    let anonymous = phone_report(&t.ctx, &token, &report("二号车间配电箱门坏了带电部位裸露", "", ""), "10.0.0.8", now).await.unwrap();
    assert!(anonymous.suspected_duplicate, "a report like an open one is flagged, not refused");
    let wrong = phone_report(&t.ctx, &token, &report("仓库灭火器过期", "李四", "9999"), "10.0.0.7", now).await.unwrap_err();
    assert!(matches!(wrong, ServiceError::Unauthenticated("duty.phone.not_found")), "{wrong:?}");
    let forged = phone_report(&t.ctx, "no-such-token", &report("仓库灭火器过期", "", ""), "10.0.0.7", now).await.unwrap_err();
    assert!(matches!(forged, ServiceError::NotFound));
    assert_eq!(code(phone_report(&t.ctx, &token, &report("", "", ""), "10.0.0.7", now).await.unwrap_err()), "description:field.required");

    let d = detail(&t.ctx, &sys, named.hazard_id, now).await.unwrap();
    assert_eq!((d.hazard.origin.as_str(), d.hazard.grade.as_str(), d.hazard.state.as_str()), ("employee_report", "general", "reported"));
    let r = d.report.expect("the report is kept");
    assert_eq!(r.reporter_name.as_deref(), Some("李四"));
    assert!(r.person_id.is_some());
    let dup = detail(&t.ctx, &sys, anonymous.hazard_id, now).await.unwrap().report.unwrap();
    assert_eq!(dup.reporter_name, None);
    assert_eq!(dup.suspected_duplicate_of, Some(named.hazard_id.to_string()));

    // The enterprise merges the duplicate, verifies the named one and rewards it once.
    let boss = person(Role::EnterpriseAdmin, Some(org), None, "厂长");
    let merge = TransitionForm {
        action: "reject".into(),
        reason: "duplicate".into(),
        merged_into: named.hazard_id.to_string(),
        ..Default::default()
    };
    assert_eq!(transition(&t.ctx, &boss, anonymous.hazard_id, &merge, now).await.unwrap().as_str(), "rejected");
    assert_eq!(code(grant_reward(&t.ctx, &boss, anonymous.hazard_id, "100", now).await.unwrap_err()), "amount:hazard.reward.not_verified");
    assert_eq!(code(grant_reward(&t.ctx, &boss, named.hazard_id, "200", now).await.unwrap_err()), "amount:hazard.reward.not_verified");
    let confirm = TransitionForm {
        action: "confirm".into(),
        deadline: (anze_domain::time::local_date(now) + chrono::Duration::days(5)).to_string(),
        ..Default::default()
    };
    transition(&t.ctx, &boss, named.hazard_id, &confirm, now).await.unwrap();
    let employee = person(Role::Employee, Some(org), None, "员工");
    assert!(matches!(grant_reward(&t.ctx, &employee, named.hazard_id, "200", now).await, Err(ServiceError::Forbidden)));
    grant_reward(&t.ctx, &boss, named.hazard_id, "200", now).await.unwrap();
    assert_eq!(code(grant_reward(&t.ctx, &boss, named.hazard_id, "300", now).await.unwrap_err()), "amount:hazard.reward.already");
    assert_eq!(
        code(record_payout(&t.ctx, &boss, named.hazard_id, "WRONG123", "", now).await.unwrap_err()),
        "receipt_code:hazard.reward.code_mismatch"
    );
    record_payout(&t.ctx, &boss, named.hazard_id, &named.code.to_lowercase(), "现金发放", now).await.unwrap();
    assert!(matches!(
        record_payout(&t.ctx, &boss, named.hazard_id, &named.code, "", now).await,
        Err(ServiceError::Refused("hazard.reward.paid"))
    ));
    let paid = detail(&t.ctx, &sys, named.hazard_id, now).await.unwrap().report.unwrap();
    assert_eq!((paid.reward_fen, paid.payout_note.as_str()), (Some(20_000), "现金发放"));
    let trail = anze_service::audit::trail(&t.ctx, "hazard", &named.hazard_id.to_string()).await.unwrap();
    for action in ["hazard.reward", "hazard.reward_paid"] {
        assert!(trail.iter().any(|e| e.action == action), "{action} is audited");
    }
}

#[tokio::test]
async fn the_phone_report_page_is_rate_limited_per_address_and_code() {
    let app = TestApp::new().await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let org = anze_service::org::create_enterprise(app.ctx(), &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    let token = anze_service::phone::qr_token(app.ctx(), &sys, org, now).await.unwrap();
    let page = app.send(Req::get(format!("/m/{token}/hazard"))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("报告事故隐患") && !page.body.contains("<script"), "a light page without scripts");
    let mut statuses = vec![];
    for n in 0..=anze_web::HAZARD_REPORTS {
        let description = format!("第{n}处：楼梯扶手松动");
        let res = app
            .send(Req::new("POST", format!("/m/{token}/hazard")).form(&[("description", description.as_str()), ("category", "thing")]))
            .await;
        if n == 0 {
            assert!(res.body.contains("id=\"receipt-code\""), "{}", res.body);
        }
        statuses.push(res.status);
    }
    assert!(statuses[..anze_web::HAZARD_REPORTS as usize].iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429));
    let revoked = app.send(Req::get("/m/not-a-token/hazard")).await;
    assert_eq!(revoked.status, 404);
}

#[tokio::test]
async fn guessing_names_on_the_signing_page_also_stops_named_reports_but_not_anonymous_ones() {
    let app = TestApp::new().await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let org = anze_service::org::create_enterprise(app.ctx(), &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    let token = anze_service::phone::qr_token(app.ctx(), &sys, org, now).await.unwrap();
    for _ in 0..anze_web::PHONE_FAILURES {
        let res = app.send(Req::new("POST", format!("/m/{token}")).form(&[("name", "张三"), ("last4", "0000")])).await;
        assert_eq!(res.status, 422);
    }
    let named = [("description", "楼梯扶手松动"), ("category", "thing"), ("name", "张三"), ("last4", "0001")];
    let res = app.send(Req::new("POST", format!("/m/{token}/hazard")).form(&named)).await;
    assert_eq!(res.status, 429, "a named report is an identification, and identifications are used up");
    assert!(res.body.contains("匿名报告"), "the page says how to go on: {}", res.body);
    let res = app.send(Req::new("POST", format!("/m/{token}/hazard")).form(&named[..2])).await;
    assert_eq!(res.status, 200, "an anonymous report still goes through");
    assert!(res.body.contains("id=\"receipt-code\""));
}

/// The overview by place reads the per-unit summaries (ADR 0009): they agree with a count of
/// the hazards after every kind of write, and say so when their overdue figures are from an
/// earlier day, until the daily refresh brings them to the day.
#[tokio::test]
async fn the_summaries_agree_with_the_hazards_and_the_daily_refresh_brings_overdue_to_the_day() {
    use anze_store::repo::hazard::{GroupBy, HazardFilter, counts};
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let a = enterprise(&t, 1, false).await;
    let b = enterprise(&t, 2, true).await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let mut ids = vec![];
    for (org, grade) in [(a, "general"), (a, "general"), (b, "major"), (b, "general")] {
        ids.push(report(&t.ctx, &sys, &form(org, grade), now).await.unwrap());
    }
    let fixer = person(Role::SafetyManager, Some(a), None, "安全员");
    for s in [step("confirm"), step("start_rectification"), fix()] {
        transition(&t.ctx, &fixer, ids[0], &s, now).await.unwrap();
    }
    transition(&t.ctx, &person(Role::EnterpriseAdmin, Some(a), None, "厂长"), ids[0], &step("accept"), now).await.unwrap();
    transition(&t.ctx, &fixer, ids[1], &step("confirm"), now).await.unwrap();

    let all = anze_domain::auth::Scope { all: true, ..Default::default() };
    let live = |day| {
        let t = &t;
        let all = all.clone();
        async move { counts(&t.ctx.db.read, &t.ctx.tenant, &all, &HazardFilter::default(), GroupBy::Township, day).await.unwrap() }
    };
    let today = anze_domain::time::local_date(now);
    let summed = overview(&t.ctx, &sys, &ListQuery::default(), "township", now).await.unwrap();
    let expected = live(today).await;
    assert_eq!(summed.rows.len(), expected.len());
    for (r, e) in summed.rows.iter().zip(&expected) {
        assert_eq!((&r.key, r.total, r.open, r.overdue, r.major, r.closed), (&e.key, e.total, e.open, e.overdue, e.major, e.closed));
    }
    assert_eq!((summed.total.total, summed.total.closed, summed.total.major, summed.total.overdue), (4, 1, 1, 0));

    // A month later the open hazards with a deadline are overdue; the summaries still count the
    // day of their last write, and say so.
    let later = now + chrono::Duration::days(30);
    let stale = overview(&t.ctx, &sys, &ListQuery::default(), "township", later).await.unwrap();
    assert_eq!(stale.overdue_as_of, Some(today));
    assert_eq!(stale.total.overdue, 0);
    let filtered = ListQuery { grade: Some("general".into()), ..Default::default() };
    let general = HazardFilter { grade: Some("general".into()), ..Default::default() };
    let live_general: i64 = counts(&t.ctx.db.read, &t.ctx.tenant, &all, &general, GroupBy::Township, anze_domain::time::local_date(later))
        .await
        .unwrap()
        .iter()
        .map(|c| c.overdue)
        .sum();
    assert!(live_general > 0);
    assert_eq!(
        overview(&t.ctx, &sys, &filtered, "township", later).await.unwrap().total.overdue,
        live_general,
        "other cuts read the hazards"
    );

    assert_eq!(anze_service::hazard::refresh_summaries(&t.ctx, later).await.unwrap(), 2);
    let fresh = overview(&t.ctx, &sys, &ListQuery::default(), "township", later).await.unwrap();
    assert_eq!(fresh.overdue_as_of, None);
    let expected: i64 = live(anze_domain::time::local_date(later)).await.iter().map(|c| c.overdue).sum();
    assert!(expected > 0, "the open hazards are past their deadlines");
    assert_eq!(fresh.total.overdue, expected);
}
