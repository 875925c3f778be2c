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
    assert!(anze_service::org::get(&t.ctx, &town_a, id).await.is_ok());
    assert!(matches!(anze_service::org::get(&t.ctx, &town_b, id).await, Err(ServiceError::NotFound)));
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
