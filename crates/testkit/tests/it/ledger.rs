//! The "1+N" e-ledger: marks computed from records, and the city counts (aggregate SQL) against
//! a count made enterprise by enterprise in the test.

use anze_domain::auth::{Assignment, Role};
use anze_service::Actor;
use anze_service::duty::{Signature, acknowledge, add_template, create_list, publish};
use anze_service::ledger::{city, of_enterprise};
use anze_service::people::StaffInput;
use anze_testkit::*;
use std::collections::BTreeMap;
use uuid::Uuid;

fn template(code: &str, tier: &str) -> String {
    format!(
        "code = \"{code}\"\nname = \"{tier}清单\"\ntier = \"{tier}\"\ngroup = \"general\"\n[[items]]\ntext = \"{tier}的安全生产职责\"\nlegal_basis = \"《中华人民共和国安全生产法》第二十一条\"\nfrequency = \"monthly\"\n"
    )
}

async fn staff(t: &TestDb, org: Uuid, name: &str, tier: &str) -> (Uuid, Uuid) {
    let input =
        StaffInput { name: name.into(), post_title: name.into(), tier: tier.into(), start_date: "2024-01-01".into(), ..Default::default() };
    let job = anze_service::people::add_staff(&t.ctx, &Actor::system("t"), org, &input, chrono::Utc::now()).await.unwrap();
    let d = anze_service::org::detail(&t.ctx, &Actor::system("t"), org).await.unwrap();
    (Uuid::parse_str(&d.staff.iter().find(|(_, p)| p.name == name).unwrap().1.id).unwrap(), job)
}

fn marks(l: &anze_service::ledger::EnterpriseLedger) -> Vec<(&str, &str)> {
    l.entries.iter().map(|e| (e.kind.as_str(), e.mark.as_str())).collect()
}

#[tokio::test]
async fn the_ledger_completes_when_the_lists_are_published_and_signed() {
    let app = TestApp::new().await;
    let t = &app.db;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    add_template(&t.ctx, &sys, &template("l.principal", "principal"), now).await.unwrap();
    add_template(&t.ctx, &sys, &template("l.worker", "worker"), now).await.unwrap();
    let org = anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    let (boss, _) = staff(t, org, "张总", "principal").await;
    let (wang, _) = staff(t, org, "王工", "worker").await;

    let l = of_enterprise(&t.ctx, &sys, org, now).await.unwrap();
    assert_eq!(marks(&l)[..2], [("base_record", "complete"), ("duty_lists", "not_kept")]);
    assert!(l.entries[2..].iter().all(|e| e.mark == "not_kept"), "modules not in the platform yet are not kept");
    assert_eq!((l.score_permille, l.established), (125, false));

    let p = create_list(&t.ctx, &sys, org, "l.principal", now).await.unwrap();
    let w = create_list(&t.ctx, &sys, org, "l.worker", now).await.unwrap();
    publish(&t.ctx, &sys, p, now).await.unwrap();
    let l = of_enterprise(&t.ctx, &sys, org, now).await.unwrap();
    assert_eq!(marks(&l)[1], ("duty_lists", "incomplete"));
    assert_eq!(l.entries[1].missing, ["worker", "signatures"]);
    publish(&t.ctx, &sys, w, now).await.unwrap();
    acknowledge(&t.ctx, boss, p, Signature::Typed("张总".into()), "x", now).await.unwrap();
    assert!(!of_enterprise(&t.ctx, &sys, org, now).await.unwrap().established, "one of two signed");
    acknowledge(&t.ctx, wang, w, Signature::Typed("王工".into()), "x", now).await.unwrap();
    let l = of_enterprise(&t.ctx, &sys, org, now).await.unwrap();
    assert_eq!(marks(&l)[1], ("duty_lists", "complete"));
    assert_eq!((l.score_permille, l.established, l.people, l.covered), (250, true, 2, 2));

    // A newcomer without a signature undoes it; a base record without its safety director too.
    staff(t, org, "李工", "worker").await;
    assert_eq!(of_enterprise(&t.ctx, &sys, org, now).await.unwrap().entries[1].missing, ["signatures"]);
    let mut input = enterprise_input("甲化工", &credit_code(1));
    input.safety_director_name = String::new();
    input.address = String::new();
    anze_service::org::update_enterprise(&t.ctx, &sys, org, &input, now).await.unwrap();
    let l = of_enterprise(&t.ctx, &sys, org, now).await.unwrap();
    assert_eq!(
        (marks(&l)[0], l.entries[0].missing.as_slice()),
        (("base_record", "incomplete"), ["address".to_string(), "safety_director_name".into()].as_slice())
    );

    // The page and the API show the same marks; out of scope is 404.
    let a = Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] };
    let pw = app.user("town", a).await;
    let b = app.sign_in("town", &pw).await;
    let page = app.send(b.get(format!("/enterprises/{org}/ledger"))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("台账未建成") && page.body.contains("安全总监") && page.body.contains("未建立"), "{}", page.body);
    let detail = app.send(b.get(format!("/enterprises/{org}"))).await;
    assert!(detail.body.contains(&format!("/enterprises/{org}/ledger")), "the enterprise page links its ledger");
    let token = app.token("town", &pw).await;
    let json =
        app.send(Req::get(format!("/api/v1/enterprises/{org}/ledger")).header("authorization", format!("Bearer {token}"))).await.json();
    assert_eq!(json["entries"][0]["missing"], serde_json::json!(["address", "safety_director_name"]));
    assert_eq!(json["established"], false);
    let a = Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_B_PATH.into()), organisation_id: None, industries: vec![] };
    let pw = app.user("town_b", a).await;
    let token_b = app.token("town_b", &pw).await;
    let res = app.send(Req::get(format!("/api/v1/enterprises/{org}/ledger")).header("authorization", format!("Bearer {token_b}"))).await;
    assert_eq!(res.status, 404);
}

/// What the test plants in one enterprise, and so whether its ledger is established.
#[derive(Clone, Copy, Debug)]
enum Plant {
    /// No staff at all.
    Empty,
    /// Lists published and signed by everyone.
    Signed,
    /// Signed, but one worker has not signed.
    OneUnsigned,
    /// Signed, then a new worker version published that nobody signed.
    Superseded,
    /// Signed, plus an unsigned worker who has left (does not count).
    LeaverUnsigned,
    /// Signed, but the base record lacks the principal's phone.
    BaseIncomplete,
    /// Staff but no list of their tier.
    NoList,
}

#[tokio::test]
async fn the_city_counts_agree_with_a_count_made_enterprise_by_enterprise() {
    let app = TestApp::new().await;
    let t = &app.db;
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    add_template(&t.ctx, &sys, &template("l.principal", "principal"), now).await.unwrap();
    add_template(&t.ctx, &sys, &template("l.worker", "worker"), now).await.unwrap();
    let plan = [
        (Plant::Signed, false, "a"),
        (Plant::Signed, false, "b"),
        (Plant::Empty, false, "b"),
        (Plant::OneUnsigned, false, "a"),
        (Plant::LeaverUnsigned, false, "c"),
        (Plant::Superseded, true, "a"),
        (Plant::Signed, true, "a"),
        (Plant::BaseIncomplete, true, "d"),
        (Plant::NoList, true, "c"),
        (Plant::Signed, true, "c"),
    ];
    let mut orgs = vec![];
    for (n, (plant, town_b, class)) in plan.iter().enumerate() {
        let mut e = enterprise_input(&format!("企业{n}"), &credit_code(n as u32 + 1));
        e.supervision_class = class.to_string();
        if *town_b {
            e.region_code = "370983101201".into();
            e.grid_code = "370983101201001".into();
        }
        if matches!(plant, Plant::BaseIncomplete) {
            e.principal_phone = String::new();
        }
        let org = anze_service::org::create_enterprise(&t.ctx, &sys, &e, now).await.unwrap();
        orgs.push(org);
        if matches!(plant, Plant::Empty) {
            continue;
        }
        let (boss, _) = staff(t, org, "张总", "principal").await;
        let (wang, _) = staff(t, org, "王工", "worker").await;
        if matches!(plant, Plant::NoList) {
            continue;
        }
        let p = create_list(&t.ctx, &sys, org, "l.principal", now).await.unwrap();
        let w = create_list(&t.ctx, &sys, org, "l.worker", now).await.unwrap();
        publish(&t.ctx, &sys, p, now).await.unwrap();
        publish(&t.ctx, &sys, w, now).await.unwrap();
        acknowledge(&t.ctx, boss, p, Signature::Typed("张总".into()), "x", now).await.unwrap();
        acknowledge(&t.ctx, wang, w, Signature::Typed("王工".into()), "x", now).await.unwrap();
        match plant {
            Plant::OneUnsigned => {
                staff(t, org, "李工", "worker").await;
            }
            Plant::Superseded => {
                let w2 = create_list(&t.ctx, &sys, org, "l.worker", now).await.unwrap();
                publish(&t.ctx, &sys, w2, now).await.unwrap();
            }
            Plant::LeaverUnsigned => {
                let (_, job) = staff(t, org, "刘工", "worker").await;
                anze_service::people::end_employment(&t.ctx, &sys, job, "2024-06-30", now).await.unwrap();
            }
            _ => {}
        }
    }

    // The count made here: the planted expectation, and the per-enterprise ledger (coverage
    // computed in Rust), which must agree with each other.
    let expected = |p: Plant| matches!(p, Plant::Signed | Plant::LeaverUnsigned);
    let mut by_town: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut by_class: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (org, (plant, town_b, class)) in orgs.iter().zip(plan.iter()) {
        let l = of_enterprise(&t.ctx, &sys, *org, now).await.unwrap();
        assert_eq!(l.established, expected(*plant), "{plant:?}");
        let town = if *town_b { "370983101" } else { "370983100" };
        for entry in [by_town.entry(town).or_default(), by_class.entry(class).or_default()] {
            entry.0 += 1;
            entry.1 += u64::from(l.established);
        }
    }
    assert_eq!(by_town["370983100"], (5, 3));
    assert_eq!(by_town["370983101"], (5, 2));

    let c = city(&t.ctx, &sys, now).await.unwrap();
    assert_eq!((c.total.total, c.total.established), (10, 5));
    let sql_towns: BTreeMap<String, (u64, u64)> = c.townships.iter().map(|r| (r.code.clone(), (r.total, r.established))).collect();
    assert_eq!(sql_towns, by_town.iter().map(|(k, v)| (k.to_string(), *v)).collect());
    let sql_classes: BTreeMap<String, (u64, u64)> = c.classes.iter().map(|r| (r.code.clone(), (r.total, r.established))).collect();
    assert_eq!(sql_classes, by_class.iter().map(|(k, v)| (k.to_string(), *v)).collect());
    assert_eq!(c.townships.iter().find(|r| r.code == "370983100").map(|r| r.name.as_str()), Some("潮泉镇"));
    // Base records: all but one complete; lists: every established unit plus the base-incomplete one.
    assert_eq!((c.total.base_complete, c.total.duty_complete), (9, 6));

    // The deadline, counted here from today's date.
    let today = anze_domain::time::local_date(now);
    let due = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 4, 30).unwrap();
    assert_eq!(c.deadline, due);
    let want = if today <= due { ("open", (due - today).num_days()) } else { ("missed", (today - due).num_days()) };
    assert_eq!((c.total.status.as_str(), c.total.days), want);

    // A township officer sees only their township; the page and API answer for it.
    let a = Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_A_PATH.into()), organisation_id: None, industries: vec![] };
    let pw = app.user("town", a).await;
    let token = app.token("town", &pw).await;
    let json = app.send(Req::get("/api/v1/ledgers").header("authorization", format!("Bearer {token}"))).await.json();
    assert_eq!((json["total"]["total"].as_u64(), json["total"]["established"].as_u64()), (Some(5), Some(3)));
    assert_eq!(json["townships"].as_array().map(|a| a.len()), Some(1));
    let b = app.sign_in("town", &pw).await;
    let page = app.send(b.get("/ledgers")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("潮泉镇") && !page.body.contains("桃园镇"), "{}", page.body);
    assert!(page.body.contains("id=\"ledgers-established\">3<"), "{}", page.body);
    // An enterprise's own users see their own unit only.
    let own = Actor {
        assignments: vec![Assignment {
            role: Role::EnterpriseAdmin,
            region_path: None,
            organisation_id: Some(orgs[0]),
            industries: vec![],
        }],
        ..Actor::system("t")
    };
    let c = city(&t.ctx, &own, now).await.unwrap();
    assert_eq!((c.total.total, c.total.established), (1, 1));
}

#[tokio::test]
async fn the_city_counts_read_the_summaries_covering_index_alone() {
    let t = test_db().await;
    if t.ctx.db.backend != anze_store::Backend::Sqlite {
        return; // the plan text is SQLite's
    }
    seed_regions(&t.ctx).await;
    let sys = Actor::system("t");
    add_template(&t.ctx, &sys, &template("l.worker", "worker"), chrono::Utc::now()).await.unwrap();
    for n in 0..5 {
        let org = anze_service::org::create_enterprise(
            &t.ctx,
            &sys,
            &enterprise_input(&format!("企业{n}"), &credit_code(n + 1)),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        staff(&t, org, "王工", "worker").await;
    }
    t.ctx.db.analyze().await.unwrap();
    let all = anze_domain::auth::Scope { all: true, ..Default::default() };
    let plan = anze_store::repo::ledger::explain_counts(&t.ctx.db.read, &t.ctx.tenant, &all).await.unwrap().join(" | ");
    assert!(plan.contains("USING COVERING INDEX ix_coverage_summaries_ledger"), "the summaries' index alone: {plan}");
    assert!(!plan.contains("organisations") && !plan.contains("enterprises"), "no join to the records: {plan}");
}
