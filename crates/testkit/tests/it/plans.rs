//! The hot lists are served by an index that matches both their filter and their order, so
//! a page never sorts a whole town (DESIGN.md §3). SQLite only: the plan text is SQLite's.

use anze_domain::auth::Scope;
use anze_domain::org::OrgKind;
use anze_store::repo::org::{OrgFilter, explain_page};
use anze_testkit::*;

#[tokio::test]
async fn enterprise_lists_use_an_index_for_filter_and_order() {
    let t = test_db().await;
    if t.ctx.db.backend != anze_store::Backend::Sqlite {
        return;
    }
    seed_regions(&t.ctx).await;
    let sys = anze_service::Actor::system("t");
    for n in 0..20 {
        anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input(&format!("企业{n}"), &credit_code(n)), chrono::Utc::now())
            .await
            .unwrap();
    }
    t.ctx.db.analyze().await.unwrap();
    let all = Scope { all: true, ..Default::default() };
    let cases = [
        ("city", OrgFilter { kind: Some(OrgKind::Enterprise), ..Default::default() }, "ix_org_kind_name"),
        (
            "township",
            OrgFilter { kind: Some(OrgKind::Enterprise), township_code: Some("370983100".into()), ..Default::default() },
            "ix_org_kind_township",
        ),
        (
            "county",
            OrgFilter { kind: Some(OrgKind::Enterprise), county_code: Some("370983".into()), ..Default::default() },
            "ix_org_kind_county",
        ),
    ];
    for (what, filter, index) in cases {
        for after in [None, Some(anze_store::repo::cursor::encode("企业5", "0"))] {
            let plan = explain_page(&t.ctx.db.read, &t.ctx.tenant, &all, &filter, after.as_deref()).await.unwrap().join(" | ");
            assert!(plan.contains(index), "{what}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{what} sorts instead of reading in order: {plan}");
        }
    }
}

#[tokio::test]
async fn coverage_rollups_read_one_covering_index() {
    use anze_store::repo::coverage::{GroupBy, RollupFilter, explain_rollup};
    let t = test_db().await;
    if t.ctx.db.backend != anze_store::Backend::Sqlite {
        return; // the plan text is SQLite's
    }
    let town = Scope { enterprises_in: vec![TOWN_A_PATH.into()], ..Default::default() };
    for (scope, by) in [(Scope { all: true, ..Default::default() }, GroupBy::Township), (town, GroupBy::Industry)] {
        let plan = explain_rollup(&t.ctx.db.read, &t.ctx.tenant, &scope, &RollupFilter::default(), by).await.unwrap().join(" | ");
        assert!(plan.contains("COVERING INDEX ix_coverage_summaries_rollup"), "{by:?}: {plan}");
    }
}

#[tokio::test]
async fn hazard_lists_read_in_order_through_an_index() {
    use anze_store::repo::hazard::{HazardFilter, explain_list};
    let t = test_db().await;
    if t.ctx.db.backend != anze_store::Backend::Sqlite {
        return; // the plan text is SQLite's
    }
    seed_regions(&t.ctx).await;
    let sys = anze_service::Actor::system("t");
    let now = chrono::Utc::now();
    let org = anze_service::org::create_enterprise(&t.ctx, &sys, &enterprise_input("甲化工", &credit_code(1)), now).await.unwrap();
    for n in 0..30 {
        let form = anze_service::hazard::NewHazardForm {
            organisation_id: org.to_string(),
            description: format!("隐患{n}"),
            grade: "general".into(),
            category: "thing".into(),
            origin: "self_check".into(),
            direction: "reported_up".into(),
            found_on: "2024-03-01".into(),
            ..Default::default()
        };
        anze_service::hazard::report(&t.ctx, &sys, &form, now).await.unwrap();
    }
    t.ctx.db.analyze().await.unwrap();
    let all = Scope { all: true, ..Default::default() };
    let cases = [
        ("the city, newest first", HazardFilter::default(), Some("ix_hazards_newest")),
        ("one township", HazardFilter { township_code: Some("370983100".into()), ..Default::default() }, Some("ix_hazards_township")),
        // Which of two ordered indexes serves one unit is the planner's choice; neither sorts.
        ("one unit", HazardFilter { organisation_id: Some(org.to_string()), ..Default::default() }, None),
    ];
    for (what, filter, index) in cases {
        for before in [None, Some("01ffffff-ffff-7fff-bfff-ffffffffffff")] {
            let plan = explain_list(&t.ctx.db.read, &t.ctx.tenant, &all, &filter, before).await.unwrap().join(" | ");
            assert!(!plan.contains("TEMP B-TREE"), "{what} sorts instead of reading in order: {plan}");
            if let Some(index) = index {
                assert!(plan.contains(index), "{what}: {plan}");
            }
        }
    }
}
