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
    /// Drops the test's PostgreSQL schema when the test ends (passed or failed).
    _schema: Option<SchemaGuard>,
}

/// A PostgreSQL schema made for one test, dropped with everything in it when the guard goes.
/// The test's runtime is shutting down by then, so the drop runs on a thread of its own with a
/// connection of its own.
struct SchemaGuard {
    url: String,
    schema: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let (url, schema) = (self.url.clone(), self.schema.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                let admin = Db::connect(&url, &DbOptions { max_connections: 1, ..Default::default() }).await.ok()?;
                admin.write.execute_unprepared(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("test schema {} was not dropped", self.schema);
        }
    }
}

pub async fn test_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (db, guard) = match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(url) => {
            let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
            let admin =
                Db::connect(&url, &DbOptions { max_connections: 1, ..Default::default() }).await.expect("connect to TEST_DATABASE_URL");
            admin.write.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.expect("create test schema");
            let guard = SchemaGuard { url: url.clone(), schema: schema.clone() };
            let db = Db::connect(&url, &DbOptions { max_connections: 4, schema: Some(schema), ..Default::default() })
                .await
                .expect("connect to test schema");
            (db, Some(guard))
        }
        None => {
            let url = format!("sqlite://{}/anze.db?mode=rwc", dir.path().display());
            let db = Db::connect(&url, &DbOptions { max_connections: 4, create_if_missing: true, ..Default::default() })
                .await
                .expect("open SQLite");
            (db, None)
        }
    };
    db.migrate().await.expect("migrations");
    let ctx =
        Ctx::new(db, Settings { data_dir: dir.path().to_path_buf(), hash_concurrency: 2, ..Default::default() }).expect("object store");
    anze_store::repo::tenant::ensure(&ctx.db.write, &ctx.tenant, "default", "默认租户", chrono::Utc::now()).await.expect("tenant");
    TestDb { ctx, dir, _schema: guard }
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

/// The real router over a test database, called in-process (no socket).
pub struct TestApp {
    pub db: TestDb,
    pub router: axum::Router,
}

/// A response, read whole.
pub struct TestResponse {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (binary downloads: photos, .docx).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
    pub fn location(&self) -> String {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
    /// The `anze_session` cookie set by this response.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            let first = c.split(';').next()?;
            first.starts_with("anze_session=").then(|| first.to_string())
        })
    }
}

/// A request to send: method, path, headers and a body.
pub struct Req {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn get(path: impl Into<String>) -> Req {
        Req { method: "GET", path: path.into(), headers: vec![], body: vec![] }
    }
    pub fn new(method: &'static str, path: impl Into<String>) -> Req {
        Req { method, path: path.into(), headers: vec![], body: vec![] }
    }
    pub fn header(mut self, k: &str, v: impl Into<String>) -> Req {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn form(mut self, pairs: &[(&str, &str)]) -> Req {
        let enc = |s: &str| anze_web::extract::urlencode(s).replace('/', "%2F");
        self.body = pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&").into_bytes();
        self.header("content-type", "application/x-www-form-urlencoded")
    }
    pub fn json(mut self, v: &serde_json::Value) -> Req {
        self.body = v.to_string().into_bytes();
        self.header("content-type", "application/json")
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        let db = test_db().await;
        seed_regions(&db.ctx).await;
        let router = anze_web::router(anze_web::AppState::new(db.ctx.clone()));
        TestApp { db, router }
    }

    pub fn ctx(&self) -> &Ctx {
        &self.db.ctx
    }

    pub async fn send(&self, req: Req) -> TestResponse {
        use tower::ServiceExt;
        let mut b = axum::http::Request::builder().method(req.method).uri(&req.path);
        for (k, v) in &req.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        let request = b.body(axum::body::Body::from(req.body)).expect("request");
        let res = self.router.clone().oneshot(request).await.expect("router is infallible");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = http_body_util::BodyExt::collect(res.into_body()).await.expect("body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).to_string(), bytes: bytes.to_vec() }
    }

    /// Creates a user with one role assignment and a known password.
    pub async fn user(&self, username: &str, assignment: anze_domain::auth::Assignment) -> String {
        let password = "Test#Pass2024".to_string();
        let u = anze_service::auth::NewUser {
            username: username.into(),
            display_name: username.into(),
            password: password.clone(),
            temporary: false,
            assignments: vec![assignment],
            person_id: None,
            email: None,
        };
        anze_service::auth::create_user(self.ctx(), &anze_service::Actor::system("test"), u, chrono::Utc::now()).await.expect("user");
        password
    }

    /// Signs in through the page; returns the cookie header value and the CSRF token.
    pub async fn sign_in(&self, username: &str, password: &str) -> Browser {
        let res = self.send(Req::new("POST", "/login").form(&[("username", username), ("password", password), ("next", "/")])).await;
        assert_eq!(res.status, 303, "sign-in of {username}: {}", res.body);
        let cookie = res.session_cookie().expect("session cookie");
        let home = self.send(Req::get("/").header("cookie", cookie.clone())).await;
        let csrf = home.body.split("name=\"csrf-token\" content=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_string();
        assert!(!csrf.is_empty(), "home page carries the CSRF token");
        Browser { cookie, csrf }
    }

    /// An API token for a user.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let res =
            self.send(Req::new("POST", "/api/v1/auth/token").json(&serde_json::json!({"username": username, "password": password}))).await;
        assert_eq!(res.status, 200, "{}", res.body);
        res.json()["token"].as_str().unwrap_or_default().to_string()
    }
}

/// A signed-in browser: its cookie and the CSRF token of its session.
#[derive(Clone)]
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

impl Browser {
    pub fn get(&self, path: impl Into<String>) -> Req {
        Req::get(path).header("cookie", self.cookie.clone())
    }
    /// A form POST carrying the CSRF token.
    pub fn post(&self, path: impl Into<String>, pairs: &[(&str, &str)]) -> Req {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        all.push(("csrf_token", &self.csrf));
        Req::new("POST", path).form(&all).header("cookie", self.cookie.clone())
    }
}

/// The form fields of `enterprise_input`, for page tests.
pub fn enterprise_form(name: &str, credit_code: &str) -> Vec<(&'static str, String)> {
    let i = enterprise_input(name, credit_code);
    vec![
        ("name", i.name),
        ("credit_code", i.credit_code),
        ("industry_code", i.industry_code),
        ("region_code", i.region_code),
        ("grid_code", i.grid_code),
        ("address", i.address),
        ("legal_representative", i.legal_representative),
        ("principal_name", i.principal_name),
        ("principal_phone", i.principal_phone),
        ("safety_director_name", i.safety_director_name),
        ("headcount", i.headcount),
        ("risk_level", i.risk_level),
        ("supervision_class", i.supervision_class),
        ("hazardous_work_kinds", "hot".into()),
    ]
}

/// A real 4×3 red PNG (RGB, zlib-compressed), as a phone camera or signature pad would send.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
    0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x3b, 0x96, 0x39, 0x91, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
    0x38, 0x21, 0x27, 0x07, 0x47, 0x0c, 0x38, 0x39, 0x00, 0xf5, 0xc7, 0x0c, 0x31, 0x07, 0xeb, 0xad, 0x99, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// How many rows a table holds (for tests that prove nothing was written).
pub async fn count_rows(t: &TestDb, table: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &t.ctx.db.read;
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}
