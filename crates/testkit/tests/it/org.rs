use anze_domain::auth::{Assignment, Role};
use anze_service::{Actor, ServiceError};
use anze_testkit::*;

fn township_officer(path: &str) -> Actor {
    Actor {
        assignments: vec![Assignment {
            role: Role::TownshipOfficer,
            region_path: Some(path.into()),
            organisation_id: None,
            industries: vec![],
        }],
        ..Actor::system("test")
    }
}

#[tokio::test]
async fn wrong_check_digit_is_refused_and_nothing_written() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let mut input = enterprise_input("肥城市恒达化工有限公司", "91350100M000100Y44");
    input.headcount = "很多".into();
    let err = anze_service::org::create_enterprise(&t.ctx, &Actor::system("test"), &input, chrono::Utc::now()).await.unwrap_err();
    let ServiceError::Invalid(fields) = err else { panic!("expected invalid, got {err:?}") };
    let codes: Vec<_> = fields.iter().map(|f| (f.field, f.code)).collect();
    assert!(codes.contains(&("credit_code", "org.credit_code.check_digit")), "{codes:?}");
    assert!(codes.contains(&("headcount", "field.not_a_count")), "{codes:?}");
    assert_eq!(anze_service::org::count(&t.ctx, &Actor::system("test"), anze_domain::org::OrgKind::Enterprise).await.unwrap(), 0);
}

#[tokio::test]
async fn unknown_region_and_grid_of_another_town_are_refused() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let mut input = enterprise_input("甲公司", &credit_code(1));
    input.grid_code = "370983101201001".into();
    let err = anze_service::org::create_enterprise(&t.ctx, &Actor::system("test"), &input, chrono::Utc::now()).await.unwrap_err();
    assert!(matches!(&err, ServiceError::Invalid(f) if f[0].code == "org.grid.outside_region"), "{err:?}");
    input.grid_code = String::new();
    input.region_code = "370983999".into();
    let err = anze_service::org::create_enterprise(&t.ctx, &Actor::system("test"), &input, chrono::Utc::now()).await.unwrap_err();
    assert!(matches!(&err, ServiceError::Invalid(f) if f[0].code == "region.code.unknown"), "{err:?}");
}

#[tokio::test]
async fn out_of_scope_enterprise_is_not_found_and_not_listed() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let now = chrono::Utc::now();
    let id = anze_service::org::create_enterprise(&t.ctx, &Actor::system("test"), &enterprise_input("甲公司", &credit_code(2)), now)
        .await
        .unwrap();
    let town_a = township_officer(TOWN_A_PATH);
    let town_b = township_officer(TOWN_B_PATH);
    assert!(anze_service::scope::organisation(&t.ctx, &town_a, id).await.is_ok());
    assert!(matches!(anze_service::scope::organisation(&t.ctx, &town_b, id).await, Err(ServiceError::NotFound)));
    let q = anze_service::org::ListQuery { kind: Some("enterprise".into()), ..Default::default() };
    assert_eq!(anze_service::org::list(&t.ctx, &town_a, &q, 50).await.unwrap().items.len(), 1);
    assert_eq!(anze_service::org::list(&t.ctx, &town_b, &q, 50).await.unwrap().items.len(), 0);
    // Town B may not create an enterprise in town A either.
    let err = anze_service::org::create_enterprise(&t.ctx, &town_b, &enterprise_input("乙公司", &credit_code(3)), now).await.unwrap_err();
    assert!(matches!(err, ServiceError::Forbidden), "{err:?}");
}

#[tokio::test]
async fn list_pages_with_a_cursor_and_filters() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    for n in 0..7 {
        let mut input = enterprise_input(&format!("企业{n:02}"), &credit_code(100 + n));
        if n % 2 == 0 {
            input.risk_level = "red".into();
        }
        anze_service::org::create_enterprise(&t.ctx, &sys, &input, chrono::Utc::now()).await.unwrap();
    }
    let mut q = anze_service::org::ListQuery { kind: Some("enterprise".into()), ..Default::default() };
    let first = anze_service::org::list(&t.ctx, &sys, &q, 5).await.unwrap();
    assert_eq!(first.items.iter().map(|(o, _)| o.name.as_str()).collect::<Vec<_>>(), ["企业00", "企业01", "企业02", "企业03", "企业04"]);
    q.after = first.next.clone();
    let second = anze_service::org::list(&t.ctx, &sys, &q, 5).await.unwrap();
    assert_eq!(second.items.iter().map(|(o, _)| o.name.as_str()).collect::<Vec<_>>(), ["企业05", "企业06"]);
    assert!(second.next.is_none());
    let red = anze_service::org::ListQuery {
        kind: Some("enterprise".into()),
        risk: Some("red".into()),
        region: Some("370983100".into()),
        ..Default::default()
    };
    assert_eq!(anze_service::org::list(&t.ctx, &sys, &red, 50).await.unwrap().items.len(), 4);
    let bad = anze_service::org::ListQuery { region: Some("999999".into()), ..Default::default() };
    assert!(matches!(anze_service::org::list(&t.ctx, &sys, &bad, 50).await, Err(ServiceError::Invalid(_))));
}

#[tokio::test]
async fn staff_end_date_before_start_is_refused() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    let id =
        anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("甲公司", &credit_code(4)), chrono::Utc::now()).await.unwrap();
    let input = anze_service::people::StaffInput {
        name: "王五".into(),
        post_title: "操作工".into(),
        tier: "worker".into(),
        start_date: "2024-03-01".into(),
        end_date: "2024-02-01".into(),
        ..Default::default()
    };
    let err = anze_service::people::add_staff(&t.ctx, &sys, id, &input, chrono::Utc::now()).await.unwrap_err();
    assert!(matches!(&err, ServiceError::Invalid(f) if f[0].code == "employment.end_before_start"), "{err:?}");
    let ok = anze_service::people::StaffInput { end_date: String::new(), ..input };
    anze_service::people::add_staff(&t.ctx, &sys, id, &ok, chrono::Utc::now()).await.unwrap();
    let detail = anze_service::org::detail(&t.ctx, &sys, id).await.unwrap();
    assert_eq!(detail.staff.len(), 1);
}

#[tokio::test]
async fn departments_and_committees_are_created_with_their_industries_and_members() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    let now = chrono::Utc::now();
    let dept = |name: &str, industries: &[&str]| anze_service::org::OrganisationInput {
        kind: "department".into(),
        name: name.into(),
        region_code: "370983".into(),
        industries: industries.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let emergency = anze_service::org::create_organisation(&t.ctx, &sys, &dept("肥城市应急管理局", &["26", "08"]), now).await.unwrap();
    let housing = anze_service::org::create_organisation(&t.ctx, &sys, &dept("肥城市住房和城乡建设局", &["47"]), now).await.unwrap();
    let bad = anze_service::org::create_organisation(&t.ctx, &sys, &dept("某局", &["99"]), now).await.unwrap_err();
    assert!(matches!(&bad, ServiceError::Invalid(f) if f[0].field == "industries"), "{bad:?}");
    let committee = anze_service::org::OrganisationInput {
        kind: "special_committee".into(),
        name: "危险化学品安全专业委员会".into(),
        region_code: "370983".into(),
        lead_unit: Some(emergency.to_string()),
        members: vec![housing.to_string(), emergency.to_string()],
        ..Default::default()
    };
    let sc = anze_service::org::create_organisation(&t.ctx, &sys, &committee, now).await.unwrap();
    let d = anze_service::org::detail(&t.ctx, &sys, sc).await.unwrap();
    let members: Vec<(&str, &str)> = d.committee_members.iter().map(|(o, r)| (o.name.as_str(), r.as_str())).collect();
    assert_eq!(members, [("肥城市应急管理局", "lead"), ("肥城市住房和城乡建设局", "member")], "the lead is not repeated as a member");
    // "管行业必须管安全": an enterprise of industry 2672 is supervised by the department of 26.
    let e = anze_service::org::create_enterprise(
        &t.ctx,
        &sys,
        &{
            let mut i = enterprise_input("烟花厂", &credit_code(77));
            i.industry_code = "2672".into();
            i
        },
        now,
    )
    .await
    .unwrap();
    let ed = anze_service::org::detail(&t.ctx, &sys, e).await.unwrap();
    assert_eq!(ed.supervising_departments.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["肥城市应急管理局"]);
    let no_lead = anze_service::org::OrganisationInput { lead_unit: Some(e.to_string()), ..committee };
    let err = anze_service::org::create_organisation(&t.ctx, &sys, &no_lead, now).await.unwrap_err();
    assert!(matches!(&err, ServiceError::Invalid(f) if f[0].field == "lead_unit" && f[0].code == "org.department.unknown"), "{err:?}");
    // A township officer may not create a city department.
    let town = township_officer(TOWN_A_PATH);
    let err = anze_service::org::create_organisation(&t.ctx, &town, &dept("另一个局", &[]), now).await.unwrap_err();
    assert!(matches!(err, ServiceError::Forbidden), "{err:?}");
}
