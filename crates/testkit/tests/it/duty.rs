//! Duty lists from nothing to full coverage, versions, signatures bound to text, staleness.

use anze_service::coverage::of_unit as coverage;
use anze_service::duty::{Signature, acknowledge, add_template, create_list, publish, set_items};
use anze_service::people::StaffInput;
use anze_service::{Actor, ServiceError};
use anze_testkit::*;
use uuid::Uuid;

fn template(code: &str, tier: &str, items: &[&str]) -> String {
    let mut t = format!("code = \"{code}\"\nname = \"{tier}安全生产责任清单\"\ntier = \"{tier}\"\ngroup = \"general\"\n");
    for i in items {
        t.push_str(&format!("[[items]]\ntext = \"{i}\"\nlegal_basis = \"《中华人民共和国安全生产法》第二十一条\"\nfrequency = \"monthly\"\nevidence = \"记录\"\n"));
    }
    t
}

async fn staff(t: &TestDb, org: Uuid, name: &str, tier: &str, start: &str) -> Uuid {
    let input =
        StaffInput { name: name.into(), post_title: name.into(), tier: tier.into(), start_date: start.into(), ..Default::default() };
    anze_service::people::add_staff(&t.ctx, &Actor::system("t"), org, &input, chrono::Utc::now()).await.unwrap();
    let d = anze_service::org::detail(&t.ctx, &Actor::system("t"), org).await.unwrap();
    Uuid::parse_str(&d.staff.iter().find(|(_, p)| p.name == name).unwrap().1.id).unwrap()
}

#[tokio::test]
async fn an_enterprise_goes_from_no_lists_to_full_coverage_and_a_new_version_asks_again() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    add_template(&t.ctx, &sys, &template("t.principal", "principal", &["建立健全全员安全生产责任制", "组织制定应急预案"]), now)
        .await
        .unwrap();
    add_template(&t.ctx, &sys, &template("t.worker", "worker", &["遵守操作规程", "发现隐患立即报告"]), now).await.unwrap();
    let org = anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    let zhang = staff(&t, org, "张总", "principal", "2024-01-01").await;
    let wang = staff(&t, org, "王工", "worker", "2024-01-01").await;
    let li = staff(&t, org, "李工", "worker", "2024-01-01").await;

    let c = coverage(&t.ctx, &sys, org, 7, now).await.unwrap();
    assert_eq!((c.people, c.covered), (3, 0));
    assert_eq!(c.missing_lists, ["principal", "worker"]);

    let p1 = create_list(&t.ctx, &sys, org, "t.principal", now).await.unwrap();
    let w1 = create_list(&t.ctx, &sys, org, "t.worker", now).await.unwrap();
    // A draft cannot be signed, and an emptied draft cannot be published.
    let e = acknowledge(&t.ctx, wang, w1, Signature::Typed("王工".into()), "x", now).await.unwrap_err();
    assert!(matches!(e, ServiceError::Refused("duty.list.not_published")), "{e:?}");
    set_items(&t.ctx, &sys, p1, &[], now).await.unwrap();
    assert!(matches!(publish(&t.ctx, &sys, p1, now).await, Err(ServiceError::Refused("duty.list.empty"))));
    let items = vec![anze_service::duty::ItemInput {
        text: "全面负责本单位安全生产工作".into(),
        legal_basis: "安全生产法第五条".into(),
        frequency: "yearly".into(),
        evidence: "".into(),
    }];
    set_items(&t.ctx, &sys, p1, &items, now).await.unwrap();
    publish(&t.ctx, &sys, p1, now).await.unwrap();
    publish(&t.ctx, &sys, w1, now).await.unwrap();
    assert!(matches!(set_items(&t.ctx, &sys, w1, &items, now).await, Err(ServiceError::Refused("duty.list.not_draft"))));

    // Signatures: a wrong name, the right one, twice, and a list of a post not held.
    let e = acknowledge(&t.ctx, wang, w1, Signature::Typed("王五".into()), "x", now).await.unwrap_err();
    assert!(matches!(&e, ServiceError::Invalid(f) if f[0].code == "duty.ack.name_mismatch"), "{e:?}");
    acknowledge(&t.ctx, wang, w1, Signature::Typed("王工".into()), "x", now).await.unwrap();
    let e = acknowledge(&t.ctx, wang, w1, Signature::Typed("王工".into()), "x", now).await.unwrap_err();
    assert!(matches!(e, ServiceError::Refused("duty.ack.already_signed")), "{e:?}");
    assert!(matches!(acknowledge(&t.ctx, wang, p1, Signature::Typed("王工".into()), "x", now).await, Err(ServiceError::NotFound)));
    // Two people signing at the same moment both succeed.
    let (a, b) = tokio::join!(
        acknowledge(&t.ctx, zhang, p1, Signature::Typed("张总".into()), "x", now),
        acknowledge(&t.ctx, li, w1, Signature::Drawn("data:image/png;base64,iVBORw0KGgo=".into()), "x", now),
    );
    a.unwrap();
    b.unwrap();
    let c = coverage(&t.ctx, &sys, org, 7, now).await.unwrap();
    assert_eq!((c.people, c.covered, c.stale, c.permille), (3, 3, 0, 1000));
    assert!(c.missing_lists.is_empty());

    // A new worker version: the workers must sign again; the old version refuses signatures.
    let w2 = create_list(&t.ctx, &sys, org, "t.worker", now).await.unwrap();
    publish(&t.ctx, &sys, w2, now).await.unwrap();
    let c = coverage(&t.ctx, &sys, org, 7, now).await.unwrap();
    let uncovered: Vec<&str> = c.persons.iter().filter(|p| !p.covered).map(|p| p.name.as_str()).collect();
    assert_eq!(uncovered, ["李工", "王工"]);
    let e = acknowledge(&t.ctx, wang, w1, Signature::Typed("王工".into()), "x", now).await.unwrap_err();
    assert!(matches!(e, ServiceError::Refused("duty.ack.already_signed") | ServiceError::Refused("duty.list.superseded")), "{e:?}");
    acknowledge(&t.ctx, wang, w2, Signature::Typed("王工".into()), "x", now).await.unwrap();
    // Eight days later Li has still not signed: stale.
    let later = now + chrono::Duration::days(8);
    let c = coverage(&t.ctx, &sys, org, 7, later).await.unwrap();
    let stale: Vec<&str> = c.persons.iter().filter(|p| p.stale).map(|p| p.name.as_str()).collect();
    assert_eq!(stale, ["李工"]);
    // An independent count: the people who signed the current version of their post's list.
    let independent = ["张总", "王工"].len() as u64;
    assert_eq!(c.covered, independent);
    assert_eq!(c.permille, independent * 1000 / 3);
}

#[tokio::test]
async fn a_template_with_an_item_missing_its_text_is_refused_whole() {
    let t = test_db().await;
    let text = template("t.bad", "worker", &["遵守操作规程", ""]);
    let e = add_template(&t.ctx, &Actor::system("t"), &text, chrono::Utc::now()).await.unwrap_err();
    assert!(
        matches!(&e, ServiceError::Invalid(f) if f[0].code == "duty.item.text_missing" && f[0].detail.as_deref() == Some("第2条")),
        "{e:?}"
    );
    assert!(anze_service::duty::templates(&t.ctx).await.unwrap().is_empty(), "nothing written");
}

#[tokio::test]
async fn the_fit_check_finds_a_planted_copy_and_items_without_a_basis() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    anze_service::duty::seed_templates(&t.ctx, now).await.unwrap();
    let org = anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("甲化工", &credit_code(3)), now).await.unwrap();
    let mut ids = vec![];
    for code in ["general.principal", "general.safety_manager", "general.worker"] {
        let l = create_list(&t.ctx, &sys, org, code, now).await.unwrap();
        ids.push(l);
    }
    // The shipped lists fit: no two tiers read alike.
    for l in &ids {
        publish(&t.ctx, &sys, *l, now).await.unwrap();
    }
    assert!(anze_service::duty::fit(&t.ctx, &sys, org).await.unwrap().is_empty());
    // Plant a copy: the worker's new version is the principal's text, one item without a basis.
    let (_, principal_items, _) = anze_service::duty::list_detail(&t.ctx, &sys, ids[0]).await.unwrap();
    let copy: Vec<anze_service::duty::ItemInput> = principal_items
        .iter()
        .enumerate()
        .map(|(i, it)| anze_service::duty::ItemInput {
            text: it.text.clone(),
            legal_basis: if i == 0 { String::new() } else { it.legal_basis.clone() },
            frequency: it.frequency.clone(),
            evidence: it.evidence.clone(),
        })
        .collect();
    let w2 = create_list(&t.ctx, &sys, org, "general.worker", now).await.unwrap();
    set_items(&t.ctx, &sys, w2, &copy, now).await.unwrap();
    publish(&t.ctx, &sys, w2, now).await.unwrap();
    let flags = anze_service::duty::fit(&t.ctx, &sys, org).await.unwrap();
    let copied = flags.iter().find(|f| f.code == "duty.fit.same_across_tiers").expect("the planted copy is found");
    assert_eq!(copied.tiers, ["principal", "worker"]);
    assert!(copied.score > 0.99, "{}", copied.score);
    let basis = flags.iter().find(|f| f.code == "duty.fit.no_legal_basis").expect("the item without a basis is found");
    assert_eq!((basis.tiers.as_slice(), basis.score), (["worker".to_string()].as_slice(), 1.0));
}

#[tokio::test]
async fn templates_round_trip_through_xlsx_and_a_bad_sheet_names_its_rows() {
    let t = test_db().await;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    anze_service::duty::seed_templates(&t.ctx, now).await.unwrap();
    let shipped = anze_service::duty::templates(&t.ctx).await.unwrap().len();
    let sheet = anze_service::duty::export_templates(&t.ctx).await.unwrap();
    // Into an empty database: every template comes back.
    let other = test_db().await;
    let n = anze_service::duty::import_templates(&other.ctx, &sys, &sheet, now).await.unwrap().unwrap();
    assert_eq!(n, shipped);
    assert_eq!(anze_service::duty::templates(&other.ctx).await.unwrap().len(), shipped);
    // Again: the codes exist, so nothing is written and each is reported.
    let again = anze_service::duty::import_templates(&other.ctx, &sys, &sheet, now).await.unwrap().unwrap_err();
    assert!(again.iter().all(|e| e.code == "duty.template.code_taken"));
    // A sheet with an item missing its text names that row; nothing is written.
    let rows = vec![
        vec![
            "x.worker".to_string(),
            "测试清单".into(),
            "worker".into(),
            "general".into(),
            "遵守操作规程".into(),
            "".into(),
            "daily".into(),
            "".into(),
        ],
        vec!["x.worker".to_string(), "测试清单".into(), "worker".into(), "general".into(), "".into(), "".into(), "daily".into(), "".into()],
    ];
    let bad = anze_service::sheet::write("模板", &anze_service::duty::TEMPLATE_COLUMNS.map(|c| c.0), &rows).unwrap();
    let third = test_db().await;
    let errs = anze_service::duty::import_templates(&third.ctx, &sys, &bad, now).await.unwrap().unwrap_err();
    assert_eq!((errs[0].row, errs[0].column.as_str(), errs[0].code.as_str()), (3, "职责", "duty.item.text_missing"));
    assert!(anze_service::duty::templates(&third.ctx).await.unwrap().is_empty());
}
