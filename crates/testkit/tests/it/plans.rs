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
