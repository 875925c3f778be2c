//! Test support: a migrated database per test. `TEST_DATABASE_URL` unset → a temporary
//! SQLite file; set to a PostgreSQL URL → a fresh schema on that server per test, so tests
//! run in parallel without touching each other.

use anze_service::{Ctx, Settings};
use anze_store::{Db, DbOptions};
use sea_orm::ConnectionTrait;

pub struct TestDb {
    pub ctx: Ctx,
    /// Keeps the temporary folder (SQLite file, uploads) alive for the test.
    pub dir: tempfile::TempDir,
}

pub async fn test_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(url) => {
            let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
            let admin =
                Db::connect(&url, &DbOptions { max_connections: 1, ..Default::default() }).await.expect("connect to TEST_DATABASE_URL");
            admin.write.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.expect("create test schema");
            Db::connect(&url, &DbOptions { max_connections: 4, schema: Some(schema), ..Default::default() })
                .await
                .expect("connect to test schema")
        }
        None => {
            let url = format!("sqlite://{}/anze.db?mode=rwc", dir.path().display());
            Db::connect(&url, &DbOptions { max_connections: 4, create_if_missing: true, ..Default::default() }).await.expect("open SQLite")
        }
    };
    db.migrate().await.expect("migrations");
    let ctx = Ctx::new(db, Settings { data_dir: dir.path().to_path_buf(), hash_concurrency: 2, ..Default::default() });
    anze_store::repo::tenant::ensure(&ctx.db.write, &ctx.tenant, "default", "默认租户", chrono::Utc::now()).await.expect("tenant");
    TestDb { ctx, dir }
}

/// Two towns of one county, each with a village and a grid; returns nothing, codes are fixed:
/// town A 370983100 (village 370983100201, grid 370983100201001), town B 370983101
/// (village 370983101201, grid 370983101201001).
pub async fn seed_regions(ctx: &Ctx) {
    use anze_domain::org::RegionCode;
    use anze_store::entity::region;
    use sea_orm::Set;
    let names = [
        ("370000", "山东省"),
        ("370900", "泰安市"),
        ("370983", "肥城市"),
        ("370983100", "潮泉镇"),
        ("370983100201", "潮泉村"),
        ("370983100201001", "第1网格"),
        ("370983101", "桃园镇"),
        ("370983101201", "桃园村"),
        ("370983101201001", "第1网格"),
    ];
    let rows = names
        .iter()
        .map(|(code, name)| {
            let c = RegionCode::parse(code).expect("fixture code");
            region::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                tenant_id: Set(ctx.tenant.clone()),
                code: Set(code.to_string()),
                name: Set(name.to_string()),
                level: Set(c.level().as_str().into()),
                township_kind: Set(None),
                parent_code: Set(c.parent().map(|p| p.as_str().to_string())),
                path: Set(c.path()),
                county_code: Set(c.county().map(String::from)),
                township_code: Set(c.township().map(String::from)),
                created_at: Set(chrono::Utc::now()),
            }
        })
        .collect();
    anze_store::repo::region::insert_many(&ctx.db.write, rows).await.expect("regions");
}

pub const TOWN_A_PATH: &str = "/370000/370900/370983/370983100";
pub const TOWN_B_PATH: &str = "/370000/370900/370983/370983101";

/// A valid enterprise record in town A, with the given credit code.
pub fn enterprise_input(name: &str, credit_code: &str) -> anze_service::org::EnterpriseInput {
    anze_service::org::EnterpriseInput {
        name: name.into(),
        credit_code: credit_code.into(),
        industry_code: "26".into(),
        region_code: "370983100201".into(),
        grid_code: "370983100201001".into(),
        address: "潮泉镇工业园1号".into(),
        legal_representative: "张三".into(),
        principal_name: "张三".into(),
        principal_phone: "13812345678".into(),
        safety_director_name: "李四".into(),
        headcount: "120".into(),
        risk_level: "orange".into(),
        supervision_class: "b".into(),
        major_hazard_source: true,
        hazardous_work_kinds: vec!["hot".into(), "confined_space".into()],
        liability_insurance: true,
    }
}

/// A valid credit code for test number `n` (distinct for distinct `n`).
pub fn credit_code(n: u32) -> String {
    let first17 = format!("91370983MA{n:07}");
    anze_domain::org::CreditCode::complete(&first17).expect("valid characters").as_str().to_string()
}
