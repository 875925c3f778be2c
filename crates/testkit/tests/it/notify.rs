//! Reminders, the daily digest and the outbox (issue 5): a reminder before the due date and a
//! miss notice after it, each exactly once however often the daily job runs; one digest per
//! user per day; a webhook retried after a 500 and delivered once; an e-mail delivered to a
//! tiny SMTP server with its Chinese subject; an invalid e-mail address refused by field.

use anze_domain::auth::{Assignment, Role};
use anze_service::notify::{self, NotifySettings, SmtpSettings};
use anze_service::{Actor, Ctx, ServiceError, Settings};
use anze_testkit::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const CAMPAIGN: &str = r#"code = "notify-test-2024"
title = "提醒测试行动"
issuer = "测试市安全生产委员会"
start = 2024-03-01
end = 2024-06-30

[[obligation]]
code = "monthly-study"
measure = 1
words = "镇街每月至少组织1次安全生产专题学习"
subjects = { kind = "township_office" }
metric = "count"
record = "study_session"
threshold = 1
period = "month"
"#;

/// 09:00 in Shanghai on a day of 2024.
fn at(month: u32, day: u32) -> DateTime<Utc> {
    anze_domain::time::shanghai().with_ymd_and_hms(2024, month, day, 9, 0, 0).unwrap().with_timezone(&Utc)
}

fn api(method: &'static str, path: impl Into<String>, token: &str) -> Req {
    Req::new(method, path).header("authorization", format!("Bearer {token}"))
}

/// Another context over the test's database, with these notify settings.
fn with_notify(app: &TestApp, notify: NotifySettings) -> Ctx {
    let settings = Settings { data_dir: app.db.dir.path().to_path_buf(), notify, ..Default::default() };
    Ctx::new(app.ctx().db.clone(), settings).unwrap()
}

struct Towns {
    a: String,
    b: String,
}

/// The campaign, two township offices, and a study session of town B in March (town A has none).
async fn setup(app: &TestApp) -> Towns {
    let sys = Actor::system("t");
    anze_service::campaign::load(app.ctx(), &sys, CAMPAIGN, at(2, 1)).await.unwrap().unwrap();
    let admin = Assignment { role: Role::CityAdmin, region_path: None, organisation_id: None, industries: vec![] };
    let pw = app.user("admin", admin).await;
    let token = app.token("admin", &pw).await;
    let mut ids = vec![];
    for (name, region) in [("潮泉镇人民政府", "370983100"), ("桃园镇人民政府", "370983101")] {
        let body = json!({"kind": "township_office", "name": name, "region_code": region});
        let res = app.send(api("POST", "/api/v1/organisations", &token).json(&body)).await;
        assert_eq!(res.status, 201, "{}", res.body);
        ids.push(res.json()["id"].as_str().unwrap().to_string());
    }
    let body = json!({"organisation_id": ids[1], "kind": "study_session", "title": "三月专题学习", "held_on": "2024-03-05", "organiser": "办公室"});
    let res = app.send(api("POST", "/api/v1/activities", &token).json(&body)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    Towns { a: ids[0].clone(), b: ids[1].clone() }
}

/// A township officer acting for one township office, optionally with an e-mail address.
async fn officer(app: &TestApp, username: &str, unit: &str, email: Option<&str>) -> String {
    let password = "Test#Pass2024".to_string();
    let u = anze_service::auth::NewUser {
        username: username.into(),
        display_name: format!("{username}同志"),
        password: password.clone(),
        temporary: false,
        assignments: vec![Assignment {
            role: Role::TownshipOfficer,
            region_path: Some(TOWN_A_PATH.into()),
            organisation_id: Some(uuid::Uuid::parse_str(unit).unwrap()),
            industries: vec![],
        }],
        person_id: None,
        email: email.map(String::from),
    };
    anze_service::auth::create_user(app.ctx(), &Actor::system("t"), u, Utc::now()).await.unwrap();
    password
}

async fn notices_of(app: &TestApp, unit: &str) -> Vec<anze_store::repo::notification::Notification> {
    anze_store::repo::notification::of_organisation(&app.ctx().db.read, unit, 50).await.unwrap()
}

#[tokio::test]
async fn a_reminder_before_the_due_date_and_a_miss_notice_after_each_exactly_once() {
    let app = TestApp::new().await;
    let t = setup(&app).await;
    let ctx = app.ctx();

    // 11 days before the end of March: outside the 7-day window.
    let r = notify::run_reminders(ctx, at(3, 20)).await.unwrap();
    assert_eq!((r.campaigns, r.due_soon, r.missed, r.notices), (1, 0, 0, 0));

    // 4 days before: town A (nothing recorded) is reminded; town B met March.
    let r = notify::run_reminders(ctx, at(3, 27)).await.unwrap();
    assert_eq!((r.due_soon, r.missed, r.notices), (1, 0, 1));
    let a = notices_of(&app, &t.a).await;
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].kind, "campaign.due_soon");
    let params: Value = serde_json::from_str(&a[0].params).unwrap();
    assert_eq!(params["items"][0]["obligation"], "monthly-study");
    assert_eq!(params["items"][0]["period"], "2024-03");
    assert_eq!(params["items"][0]["due"], "2024-03-31");
    assert!(notices_of(&app, &t.b).await.is_empty(), "a unit that met the period is not reminded");

    // The daily job again the same day, and the next day: nothing new.
    for day in [at(3, 27), at(3, 27) + Duration::hours(5), at(3, 28), at(3, 31)] {
        let r = notify::run_reminders(ctx, day).await.unwrap();
        assert_eq!((r.due_soon, r.missed, r.notices), (0, 0, 0), "{day}");
    }

    // March is over: one miss notice for town A, once.
    let r = notify::run_reminders(ctx, at(4, 2)).await.unwrap();
    assert_eq!((r.due_soon, r.missed, r.notices), (0, 1, 1));
    for day in [at(4, 2), at(4, 3), at(4, 10)] {
        let r = notify::run_reminders(ctx, day).await.unwrap();
        assert_eq!((r.due_soon, r.missed, r.notices), (0, 0, 0), "{day}");
    }
    let a = notices_of(&app, &t.a).await;
    assert_eq!(a.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(), ["campaign.missed", "campaign.due_soon"]);
    assert!(notices_of(&app, &t.b).await.is_empty());

    // April's end comes near: town B, which recorded nothing in April, is reminded now.
    let r = notify::run_reminders(ctx, at(4, 25)).await.unwrap();
    assert_eq!((r.due_soon, r.notices), (2, 2), "both towns owe April");

    // The officer of town A sees the notices, newest first, and marks one read.
    let pw = officer(&app, "town_a", &t.a, None).await;
    let token = app.token("town_a", &pw).await;
    let list = app.send(api("GET", "/api/v1/notifications", &token)).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    let kinds: Vec<&str> = list.as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["campaign.due_soon", "campaign.missed", "campaign.due_soon"]);
    assert!(list[0]["read_at"].is_null());
    let first = list[1]["id"].as_str().unwrap().to_string();
    let res = app.send(api("POST", format!("/api/v1/notifications/{first}/read"), &token)).await;
    assert_eq!(res.status, 204, "{}", res.body);
    let list = app.send(api("GET", "/api/v1/notifications", &token)).await.json();
    assert!(!list[1]["read_at"].is_null(), "marked read");
    assert!(list[0]["read_at"].is_null(), "the others stay unread");

    // The page: unread marked, with a button; the read one without.
    let browser = app.sign_in("town_a", &pw).await;
    let page = app.send(browser.get("/notifications")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("任务逾期未完成") && page.body.contains("任务即将到期"), "{}", page.body);
    assert!(page.body.contains("镇街每月至少组织1次安全生产专题学习"));
    assert_eq!(page.body.matches("标为已读").count(), 2, "two unread notices have a button");
    assert!(page.body.contains("id=\"nav-unread\">2</span>"), "the header's badge counts them");
    let res = app.send(browser.post(format!("/notifications/{}/read", list[0]["id"].as_str().unwrap()), &[])).await;
    assert_eq!(res.status, 303);
    assert_eq!(app.send(browser.get("/notifications")).await.body.matches("标为已读").count(), 1);

    // Town B's officer cannot touch town A's notice.
    let pw_b = officer(&app, "town_b", &t.b, None).await;
    let token_b = app.token("town_b", &pw_b).await;
    assert_eq!(app.send(api("POST", format!("/api/v1/notifications/{first}/read"), &token_b)).await.status, 404);
    let theirs = app.send(api("GET", "/api/v1/notifications", &token_b)).await.json();
    assert_eq!(theirs.as_array().unwrap().len(), 1, "only town B's own April reminder");
}

#[tokio::test]
async fn the_digest_is_queued_once_per_user_per_day() {
    let app = TestApp::new().await;
    let t = setup(&app).await;
    let ctx = app.ctx();
    officer(&app, "li", &t.a, Some("li@example.cn")).await;
    officer(&app, "wang", &t.a, None).await;
    officer(&app, "zhao", &t.b, Some("zhao@example.cn")).await;

    let (r, q) = notify::run_daily(ctx, at(3, 27)).await.unwrap();
    assert_eq!(r.notices, 1);
    assert_eq!((q.digests, q.reminder_emails, q.webhooks), (1, 1, 0), "no webhook configured");
    let (_, q) = notify::run_daily(ctx, at(3, 27) + Duration::hours(3)).await.unwrap();
    assert_eq!((q.digests, q.reminder_emails), (0, 0), "once a day");
    let rows = notify::outbox(ctx, false, 50).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.recipient == "li@example.cn" && r.channel == "email"), "{rows:?}");
    assert!(rows.iter().all(|r| r.status == "waiting_for_smtp"), "{rows:?}");
    let digest = rows.iter().find(|r| r.subject.contains("每日提醒")).expect("the digest");
    assert!(digest.subject.contains("2024-03-27") && digest.subject.contains("1 条新通知"), "{}", digest.subject);

    // The next day brings nothing new: no digest.
    let (_, q) = notify::run_daily(ctx, at(3, 28)).await.unwrap();
    assert_eq!(q.digests, 0);
    // A day with a new notice brings one more.
    let (_, q) = notify::run_daily(ctx, at(4, 2)).await.unwrap();
    assert_eq!((q.digests, q.reminder_emails), (1, 1));
    assert_eq!(notify::outbox(ctx, false, 50).await.unwrap().len(), 4);

    // Without SMTP the dispatcher leaves e-mail queued, with no error and no attempt.
    let d = notify::dispatch(ctx, at(4, 2)).await.unwrap();
    assert_eq!((d.delivered, d.failed), (0, 0));
    assert!(notify::outbox(ctx, true, 50).await.unwrap().iter().all(|r| r.attempts == 0 && r.last_error.is_none()));
}

#[derive(Clone, Default)]
struct Hook {
    keys: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<Value>>>,
}

/// A local webhook receiver: the first call answers 500, later ones 200.
async fn hook_server() -> (String, Hook) {
    use axum::http::{HeaderMap, StatusCode};
    let hook = Hook::default();
    let h = hook.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let h = h.clone();
            async move {
                let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                let mut keys = h.keys.lock().unwrap();
                keys.push(key);
                h.bodies.lock().unwrap().push(serde_json::from_str(&body).unwrap_or(Value::Null));
                if keys.len() == 1 { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::OK }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), hook)
}

#[tokio::test]
async fn a_webhook_that_fails_first_is_retried_and_delivered_exactly_once() {
    let app = TestApp::new().await;
    let t = setup(&app).await;
    let (url, hook) = hook_server().await;
    let ctx = with_notify(&app, NotifySettings { webhook_url: Some(url.clone()), ..Default::default() });
    let now = at(3, 27);
    let (_, q) = notify::run_daily(&ctx, now).await.unwrap();
    assert_eq!(q.webhooks, 1, "one per notice");
    assert_eq!(notify::run_daily(&ctx, now).await.unwrap().1.webhooks, 0, "queued once");
    let notice = notices_of(&app, &t.a).await.remove(0);

    // First attempt: 500, recorded, retried after the backoff.
    let d = notify::dispatch(&ctx, now).await.unwrap();
    assert_eq!((d.delivered, d.failed), (0, 1));
    let row = notify::outbox(&ctx, true, 10).await.unwrap().remove(0);
    assert_eq!((row.status.as_str(), row.attempts), ("retrying", 1));
    assert_eq!(row.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(row.next_attempt_at, now + Duration::minutes(1));
    // Not due yet: nothing sent.
    assert_eq!(notify::dispatch(&ctx, now + Duration::seconds(30)).await.unwrap().failed, 0);
    assert_eq!(hook.keys.lock().unwrap().len(), 1);

    // A replica that claimed the row keeps others off it.
    let stored = anze_store::repo::notify::list(&ctx.db.read, &ctx.tenant, true, 10).await.unwrap().remove(0);
    let later = now + Duration::minutes(2);
    assert!(anze_store::repo::notify::claim(&ctx.db.write, &stored.id, later, later + Duration::seconds(30)).await.unwrap());
    assert!(!anze_store::repo::notify::claim(&ctx.db.write, &stored.id, later, later + Duration::seconds(30)).await.unwrap());
    assert_eq!(notify::dispatch(&ctx, later).await.unwrap().delivered, 0, "claimed by the other replica");

    // After the claim runs out: delivered.
    let d = notify::dispatch(&ctx, later + Duration::minutes(1)).await.unwrap();
    assert_eq!((d.delivered, d.failed), (1, 0));
    for m in [2, 10, 60 * 24] {
        assert_eq!(notify::dispatch(&ctx, later + Duration::minutes(m)).await.unwrap().delivered, 0, "never sent again");
    }
    let keys = hook.keys.lock().unwrap().clone();
    let expected = format!("webhook:{}", notice.id);
    assert_eq!(keys, [expected.clone(), expected], "the same Idempotency-Key on both attempts");
    let body = hook.bodies.lock().unwrap()[1].clone();
    assert_eq!(body["kind"], "campaign.due_soon");
    assert_eq!(body["organisation_id"], t.a.as_str());
    assert_eq!(body["params"]["items"][0]["obligation"], "monthly-study");
    let row = notify::outbox(&ctx, false, 10).await.unwrap().remove(0);
    assert_eq!((row.status.as_str(), row.attempts, row.last_error), ("delivered", 2, None));
    assert!(notify::outbox(&ctx, true, 10).await.unwrap().is_empty());
}

/// A tiny SMTP server: enough of the protocol for one client (220/250/354/250/221); keeps the
/// DATA of every message.
async fn smtp_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    let got = Arc::new(Mutex::new(vec![]));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let store = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 test ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test\r\n",
                        "DATA" => {
                            w.write_all(b"354 go ahead\r\n").await.unwrap();
                            let mut data = vec![];
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push(l);
                            }
                            store.lock().unwrap().push(data.join("\n"));
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

/// The Subject header of a message, its RFC 2047 words decoded.
fn subject_of(message: &str) -> String {
    use base64::Engine;
    let mut raw = String::new();
    let mut inside = false;
    for l in message.lines() {
        if l.to_ascii_lowercase().starts_with("subject:") {
            inside = true;
            raw.push_str(&l[8..]);
        } else if inside && l.starts_with([' ', '\t']) {
            raw.push_str(l);
        } else if inside {
            break;
        }
    }
    // Whitespace between two encoded words is dropped (RFC 2047 §6.2); elsewhere it stays.
    let mut bytes = vec![];
    let mut last_encoded = None;
    for word in raw.split_whitespace() {
        let encoded = word.strip_prefix("=?utf-8?b?").or_else(|| word.strip_prefix("=?UTF-8?B?")).and_then(|w| w.strip_suffix("?="));
        if last_encoded.is_some() && !(last_encoded == Some(true) && encoded.is_some()) {
            bytes.push(b' ');
        }
        match encoded {
            Some(b64) => bytes.extend(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()),
            None => bytes.extend(word.as_bytes()),
        }
        last_encoded = Some(encoded.is_some());
    }
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn an_email_reaches_a_local_smtp_server_once_with_its_chinese_subject() {
    let app = TestApp::new().await;
    let t = setup(&app).await;
    officer(&app, "li", &t.b, Some("li@example.cn")).await;
    // A notice of another kind to town B: only the digest goes by e-mail.
    let row = anze_store::entity::notification::ActiveModel {
        id: sea_orm::Set(anze_domain::ids::new_id().to_string()),
        tenant_id: sea_orm::Set(app.ctx().tenant.clone()),
        organisation_id: sea_orm::Set(t.b.clone()),
        kind: sea_orm::Set("duty.stale".into()),
        params: sea_orm::Set("{\"stale\": 1}".into()),
        issued_on: sea_orm::Set(anze_domain::time::local_date(at(3, 20))),
        created_at: sea_orm::Set(at(3, 20)),
        read_at: sea_orm::Set(None),
    };
    assert!(anze_store::repo::notification::issue(&app.ctx().db.write, row).await.unwrap());
    let (port, got) = smtp_server().await;
    let smtp =
        SmtpSettings { host: "127.0.0.1".into(), port, username: None, password: None, from: "anze@example.cn".into(), starttls: false };
    let ctx = with_notify(&app, NotifySettings { smtp: Some(smtp), ..Default::default() });
    let (_, q) = notify::run_daily(&ctx, at(3, 20)).await.unwrap();
    assert_eq!((q.digests, q.reminder_emails), (1, 0));
    let d = notify::dispatch(&ctx, at(3, 20)).await.unwrap();
    assert_eq!((d.delivered, d.failed), (1, 0), "{:?}", notify::outbox(&ctx, false, 5).await.unwrap());
    for m in [1, 5, 60] {
        assert_eq!(notify::dispatch(&ctx, at(3, 20) + Duration::minutes(m)).await.unwrap().delivered, 0);
    }
    assert_eq!(notify::run_daily(&ctx, at(3, 20)).await.unwrap().1.digests, 0);
    let messages = got.lock().unwrap().clone();
    assert_eq!(messages.len(), 1, "exactly one message");
    let subject = subject_of(&messages[0]);
    assert_eq!(subject, "【安责】每日提醒 2024-03-20：1 条新通知 (daily digest)");
    assert!(messages[0].contains("li@example.cn"));
}

#[tokio::test]
async fn an_invalid_email_address_is_refused_by_field() {
    let app = TestApp::new().await;
    let sys = Actor::system("t");
    let u = |email: &str| anze_service::auth::NewUser {
        username: "li".into(),
        display_name: "李四".into(),
        password: "Test#Pass2024".into(),
        temporary: false,
        assignments: vec![Assignment { role: Role::CityAdmin, region_path: None, organisation_id: None, industries: vec![] }],
        person_id: None,
        email: Some(email.into()),
    };
    for bad in ["li", "li@example", "li @example.cn", "li@@example.cn"] {
        match anze_service::auth::create_user(app.ctx(), &sys, u(bad), Utc::now()).await {
            Err(ServiceError::Invalid(f)) => assert_eq!((f[0].field, f[0].code), ("email", "user.email.invalid"), "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert!(
        anze_store::repo::account::by_username(&app.ctx().db.read, &app.ctx().tenant, "li").await.unwrap().is_none(),
        "nothing written"
    );

    // The page names the field in Chinese and keeps the form.
    let admin = Assignment { role: Role::CityAdmin, region_path: None, organisation_id: None, industries: vec![] };
    let pw = app.user("admin", admin).await;
    let b = app.sign_in("admin", &pw).await;
    let form = [("username", "wang"), ("display_name", "王五"), ("role", "city_admin"), ("email", "wang@")];
    let res = app.send(b.post("/users", &form)).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("邮箱地址格式不正确"), "{}", res.body);
    assert!(anze_store::repo::account::by_username(&app.ctx().db.read, &app.ctx().tenant, "wang").await.unwrap().is_none());

    // A good one is kept, trimmed.
    anze_service::auth::create_user(app.ctx(), &sys, u(" li@example.cn "), Utc::now()).await.unwrap();
    let li = anze_store::repo::account::by_username(&app.ctx().db.read, &app.ctx().tenant, "li").await.unwrap().unwrap();
    assert_eq!(li.email.as_deref(), Some("li@example.cn"));
}
