//! Fulfilment records (date, note, photo) and their gaps; a list's print view and Word export.

use anze_domain::auth::{Assignment, Role};
use anze_service::duty::{Signature, acknowledge, add_template, create_list, list_detail, publish};
use anze_service::fulfilment::{NewRecord, record};
use anze_service::people::StaffInput;
use anze_service::{Actor, ServiceError};
use anze_testkit::*;
use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, PaginatorTrait};
use std::io::Read;
use uuid::Uuid;

const TEMPLATE: &str = "code = \"f.worker\"\nname = \"一般从业人员安全生产责任清单\"\ntier = \"worker\"\ngroup = \"general\"\n\
[[items]]\ntext = \"每周检查本岗位消防器材\"\nlegal_basis = \"《中华人民共和国安全生产法》第五十七条\"\nfrequency = \"weekly\"\nevidence = \"检查记录及照片\"\n\
[[items]]\ntext = \"发现事故隐患立即报告\"\nlegal_basis = \"《中华人民共和国安全生产法》第五十九条\"\nfrequency = \"on_event\"\nevidence = \"隐患报告单\"\n";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

struct Setup {
    org: Uuid,
    list: Uuid,
    weekly: Uuid,
    on_event: Uuid,
}

/// An enterprise with a worker list published at `published`; returns the ids.
async fn setup(ctx: &anze_service::Ctx, n: u32, published: DateTime<Utc>) -> Setup {
    let sys = Actor::system("t");
    add_template(ctx, &sys, TEMPLATE, published).await.unwrap();
    let org = anze_service::org::create_enterprise(ctx, &sys, &enterprise_input("甲化工", &credit_code(n)), published).await.unwrap();
    let list = create_list(ctx, &sys, org, "f.worker", published).await.unwrap();
    publish(ctx, &sys, list, published).await.unwrap();
    let (_, items, _) = list_detail(ctx, &sys, list).await.unwrap();
    let id = |i: usize| Uuid::parse_str(&items[i].id).unwrap();
    Setup { org, list, weekly: id(0), on_event: id(1) }
}

async fn counts(ctx: &anze_service::Ctx) -> (u64, u64) {
    let records = anze_store::entity::fulfilment_record::Entity::find().count(&ctx.db.read).await.unwrap();
    let photos = anze_store::entity::photo::Entity::find().count(&ctx.db.read).await.unwrap();
    (records, photos)
}

fn multipart(b: &Browser, path: &str, done_on: &str, note: &str, photo: Option<(&str, &[u8])>) -> Req {
    let boundary = "XFULFILMENTX";
    let mut body = Vec::new();
    for (name, value) in [("done_on", done_on), ("note", note)] {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some((filename, bytes)) = photo {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut r = Req::new("POST", format!("{path}?csrf_token={}", b.csrf))
        .header("cookie", b.cookie.clone())
        .header("content-type", format!("multipart/form-data; boundary={boundary}"));
    r.body = body;
    r
}

fn today() -> chrono::NaiveDate {
    anze_domain::time::local_date(Utc::now())
}

#[tokio::test]
async fn a_record_with_a_real_photo_is_saved_served_back_identical_and_audited() {
    let app = TestApp::new().await;
    let s = setup(app.ctx(), 1, Utc::now() - chrono::Duration::days(30)).await;
    let pw = app
        .user("boss", Assignment { role: Role::EnterpriseAdmin, region_path: None, organisation_id: Some(s.org), industries: vec![] })
        .await;
    let b = app.sign_in("boss", &pw).await;
    let yesterday = (today() - chrono::Duration::days(1)).to_string();

    let res = app
        .send(multipart(
            &b,
            &format!("/duty-items/{}/records", s.weekly),
            &yesterday,
            "检查灭火器8具，均在有效期内",
            Some(("a.png", TINY_PNG)),
        ))
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), format!("/duty-items/{}?saved=1", s.weekly));
    assert_eq!(counts(app.ctx()).await, (1, 1));

    // The item page shows the record and its photo; the API names the photo.
    let page = app.send(b.get(format!("/duty-items/{}?saved=1", s.weekly))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("检查灭火器8具，均在有效期内") && page.body.contains(&yesterday), "{}", page.body);
    assert!(page.body.contains("履职记录已保存"));
    let token = app.token("boss", &pw).await;
    let api =
        app.send(Req::get(format!("/api/v1/duty-items/{}/records", s.weekly)).header("authorization", format!("Bearer {token}"))).await;
    assert_eq!(api.status, 200, "{}", api.body);
    let photo = api.json()["records"][0]["photo_id"].as_str().unwrap().to_string();
    assert_eq!(api.json()["records"][0]["done_on"], yesterday.as_str());
    assert!(page.body.contains(&format!("/photos/{photo}")));

    // The photo comes back byte for byte, with its type.
    let img = app.send(b.get(format!("/photos/{photo}"))).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.headers.get("content-type").unwrap(), "image/png");
    assert_eq!(img.bytes, TINY_PNG);

    // The list page shows the last record per item and links to the item page.
    let list = app.send(b.get(format!("/duty-lists/{}", s.list))).await;
    assert!(
        list.body.contains(&format!("/duty-items/{}", s.weekly)) && list.body.contains(&format!("最近履职 {yesterday}")),
        "{}",
        list.body
    );

    // The API records too, with a photo as a data URL.
    let data_url = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(TINY_PNG));
    let res = app
        .send(
            Req::new("POST", format!("/api/v1/duty-items/{}/records", s.weekly))
                .header("authorization", format!("Bearer {token}"))
                .json(&serde_json::json!({"done_on": today().to_string(), "note": "复查", "photo_base64": data_url})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(counts(app.ctx()).await, (2, 2));

    // Both writes are in the organisation's audit trail, by the user who made them.
    let trail = anze_service::audit::trail(app.ctx(), "organisation", &s.org.to_string()).await.unwrap();
    let events: Vec<_> = trail.iter().filter(|e| e.action == "fulfilment.create").collect();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.actor_name == "boss"));
    assert!(events.iter().any(|e| e.changes.contains("检查灭火器8具") && e.changes.contains(&photo)), "{:?}", events);
}

#[tokio::test]
async fn a_future_date_and_a_file_that_is_not_an_image_are_refused_naming_the_field() {
    let app = TestApp::new().await;
    let s = setup(app.ctx(), 2, Utc::now() - chrono::Duration::days(10)).await;
    let pw = app
        .user("boss", Assignment { role: Role::EnterpriseAdmin, region_path: None, organisation_id: Some(s.org), industries: vec![] })
        .await;
    let b = app.sign_in("boss", &pw).await;
    let audit_before = anze_service::audit::trail(app.ctx(), "organisation", &s.org.to_string()).await.unwrap().len();
    let path = format!("/duty-items/{}/records", s.weekly);

    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    let res = app.send(multipart(&b, &path, &tomorrow, "提前登记", Some(("a.png", TINY_PNG)))).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("data-field=\"done_on\"") && res.body.contains("履职日期不能晚于今天"), "{}", res.body);
    assert!(!res.body.contains("data-field=\"photo\""), "the photo itself was fine");
    assert!(res.body.contains("提前登记"), "the typed note is kept");

    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n";
    let res = app.send(multipart(&b, &path, &today().to_string(), "附件", Some(("report.png", pdf)))).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("data-field=\"photo\"") && res.body.contains("照片必须是 JPEG、PNG 或 WebP 格式的图片"), "{}", res.body);

    // A truncated PNG header is not an image either; a bad date is named.
    let res = app.send(multipart(&b, &path, "三月底", "", Some(("x.png", &TINY_PNG[..10])))).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("data-field=\"done_on\"") && res.body.contains("data-field=\"photo\""), "{}", res.body);

    // The service says the same with codes; a draft list refuses records.
    let sys = Actor::system("t");
    let future = NewRecord { done_on: tomorrow.clone(), note: String::new(), photo: None };
    let e = record(app.ctx(), &sys, s.weekly, &future, Utc::now()).await.unwrap_err();
    assert!(matches!(&e, ServiceError::Invalid(f) if f[0].field == "done_on" && f[0].code == "fulfilment.date.future"), "{e:?}");
    let long = NewRecord { done_on: today().to_string(), note: "查".repeat(501), photo: None };
    let e = record(app.ctx(), &sys, s.weekly, &long, Utc::now()).await.unwrap_err();
    assert!(matches!(&e, ServiceError::Invalid(f) if f[0].field == "note"), "{e:?}");
    let draft = create_list(app.ctx(), &sys, s.org, "f.worker", Utc::now()).await.unwrap();
    let draft_item = Uuid::parse_str(&list_detail(app.ctx(), &sys, draft).await.unwrap().1[0].id).unwrap();
    let ok = NewRecord { done_on: today().to_string(), note: String::new(), photo: None };
    let e = record(app.ctx(), &sys, draft_item, &ok, Utc::now()).await.unwrap_err();
    assert!(matches!(e, ServiceError::Refused("fulfilment.list.not_published")), "{e:?}");

    // Nothing was written, not even the good photo of the first attempt.
    assert_eq!(counts(app.ctx()).await, (0, 0));
    let audit_after = anze_service::audit::trail(app.ctx(), "organisation", &s.org.to_string()).await.unwrap();
    assert_eq!(audit_after.iter().filter(|e| e.action == "fulfilment.create").count(), 0);
    assert_eq!(audit_after.len(), audit_before + 1, "only the draft's creation");
}

#[tokio::test]
async fn gaps_are_the_weeks_without_a_record_and_on_event_items_have_none() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    // Published on Wednesday 6 March 2024 (Shanghai); the first whole week starts on the 11th.
    let s = setup(&t.ctx, 3, at("2024-03-06T02:00:00Z")).await;
    let sys = Actor::system("t");
    for (day, now) in
        [("2024-03-12", "2024-03-12T09:00:00Z"), ("2024-03-27", "2024-03-27T09:00:00Z"), ("2024-03-28", "2024-03-28T09:00:00Z")]
    {
        let r = NewRecord { done_on: day.into(), note: "已检查".into(), photo: None };
        record(&t.ctx, &sys, s.weekly, &r, at(now)).await.unwrap();
    }
    // Thursday 4 April 2024, 00:30 in Shanghai (still 3 April in UTC): the week of 1 April is open.
    let now = at("2024-04-03T16:30:00Z");
    let f = anze_service::fulfilment::item(&t.ctx, &sys, s.weekly, now).await.unwrap();
    let weeks: Vec<(String, &str)> = f
        .periods
        .iter()
        .map(|p| {
            let state = match p.state {
                anze_domain::fulfilment::PeriodState::Done => "done",
                anze_domain::fulfilment::PeriodState::Missed => "missed",
                anze_domain::fulfilment::PeriodState::Open => "open",
            };
            (p.start.to_string(), state)
        })
        .collect();
    assert_eq!(
        weeks,
        [
            ("2024-03-11".to_string(), "done"),
            ("2024-03-18".to_string(), "missed"),
            ("2024-03-25".to_string(), "done"),
            ("2024-04-01".to_string(), "open"),
        ]
    );
    assert_eq!(f.gaps, 1);
    assert_eq!(f.records.len(), 3);
    assert_eq!(f.records[0].done_on.to_string(), "2024-03-28", "newest first");

    // Three weeks later with no new record: three more weeks are gaps.
    let later = at("2024-04-24T04:00:00Z");
    let summary = anze_service::fulfilment::list_summary(&t.ctx, &sys, s.list, later).await.unwrap();
    let weekly = &summary[&s.weekly.to_string()];
    assert_eq!((weekly.gaps, weekly.records), (4, 3));
    assert_eq!(weekly.last.as_ref().unwrap().done_on.to_string(), "2024-03-28");
    assert_eq!(summary[&s.on_event.to_string()].gaps, 0, "an on-event duty is never late");

    // Once superseded, the old version owes nothing after the day it was replaced.
    let v2 = create_list(&t.ctx, &sys, s.org, "f.worker", at("2024-04-10T02:00:00Z")).await.unwrap();
    publish(&t.ctx, &sys, v2, at("2024-04-10T02:00:00Z")).await.unwrap();
    let old = anze_service::fulfilment::item(&t.ctx, &sys, s.weekly, later).await.unwrap();
    assert_eq!(old.periods.last().unwrap().start.to_string(), "2024-04-08");
    assert_eq!(old.gaps, 2, "18 March and 1 April; the week of 8 April was still open when replaced");
}

#[tokio::test]
async fn items_photos_and_documents_out_of_scope_are_404_and_read_only_roles_get_403() {
    let app = TestApp::new().await;
    let s = setup(app.ctx(), 4, Utc::now() - chrono::Duration::days(10)).await;
    let sys = Actor::system("t");
    let r = NewRecord { done_on: today().to_string(), note: "已检查".into(), photo: Some(TINY_PNG.to_vec()) };
    record(app.ctx(), &sys, s.weekly, &r, Utc::now()).await.unwrap();
    let photo = anze_service::fulfilment::item(app.ctx(), &sys, s.weekly, Utc::now()).await.unwrap().records[0].photo_id.clone().unwrap();

    // An officer of the other town sees none of it.
    let pw = app
        .user(
            "town_b",
            Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_B_PATH.into()), organisation_id: None, industries: vec![] },
        )
        .await;
    let b = app.sign_in("town_b", &pw).await;
    let token = app.token("town_b", &pw).await;
    for path in [
        format!("/duty-items/{}", s.weekly),
        format!("/photos/{photo}"),
        format!("/duty-lists/{}/print", s.list),
        format!("/duty-lists/{}/docx", s.list),
    ] {
        assert_eq!(app.send(b.get(path.clone())).await.status, 404, "{path}");
    }
    let res = app
        .send(multipart(&b, &format!("/duty-items/{}/records", s.weekly), &today().to_string(), "越权", Some(("a.png", TINY_PNG))))
        .await;
    assert_eq!(res.status, 404);
    let api = |m: &'static str| {
        Req::new(m, format!("/api/v1/duty-items/{}/records", s.weekly)).header("authorization", format!("Bearer {token}"))
    };
    assert_eq!(app.send(api("GET")).await.status, 404);
    assert_eq!(app.send(api("POST").json(&serde_json::json!({"done_on": today().to_string()}))).await.status, 404);
    assert_eq!(app.send(b.get(format!("/photos/{}", Uuid::now_v7()))).await.status, 404, "an unknown photo");

    // An employee of the enterprise reads the item but cannot record.
    let pw =
        app.user("worker", Assignment { role: Role::Employee, region_path: None, organisation_id: Some(s.org), industries: vec![] }).await;
    let w = app.sign_in("worker", &pw).await;
    assert_eq!(app.send(w.get(format!("/duty-items/{}", s.weekly))).await.status, 200);
    assert_eq!(app.send(w.get(format!("/photos/{photo}"))).await.bytes, TINY_PNG);
    let res = app.send(multipart(&w, &format!("/duty-items/{}/records", s.weekly), &today().to_string(), "无权", None)).await;
    assert_eq!(res.status, 403);
    assert_eq!(counts(app.ctx()).await, (1, 1));
}

#[tokio::test]
async fn the_print_view_and_the_word_export_show_items_signatures_and_dates() {
    let app = TestApp::new().await;
    let published = at("2024-03-06T02:00:00Z");
    let s = setup(app.ctx(), 5, published).await;
    let sys = Actor::system("t");
    let mut people = vec![];
    for name in ["王建国", "李秀英"] {
        let input = StaffInput {
            name: name.into(),
            post_title: "操作工".into(),
            tier: "worker".into(),
            start_date: "2024-01-02".into(),
            ..Default::default()
        };
        anze_service::people::add_staff(app.ctx(), &sys, s.org, &input, published).await.unwrap();
        let d = anze_service::org::detail(app.ctx(), &sys, s.org).await.unwrap();
        people.push(Uuid::parse_str(&d.staff.iter().find(|(_, p)| p.name == name).unwrap().1.id).unwrap());
    }
    // 15:20 UTC on 7 March is 23:20 in Shanghai; 16:45 UTC on 8 March is 00:45 on the 9th.
    acknowledge(app.ctx(), people[0], s.list, Signature::Typed("王建国".into()), "x", at("2024-03-07T15:20:00Z")).await.unwrap();
    let drawn = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(TINY_PNG));
    acknowledge(app.ctx(), people[1], s.list, Signature::Drawn(drawn.clone()), "x", at("2024-03-08T16:45:00Z")).await.unwrap();

    let pw = app
        .user("boss", Assignment { role: Role::EnterpriseAdmin, region_path: None, organisation_id: Some(s.org), industries: vec![] })
        .await;
    let b = app.sign_in("boss", &pw).await;
    let list_page = app.send(b.get(format!("/duty-lists/{}", s.list))).await;
    assert!(
        list_page.body.contains(&format!("/duty-lists/{}/print", s.list))
            && list_page.body.contains(&format!("/duty-lists/{}/docx", s.list))
    );

    let print = app.send(b.get(format!("/duty-lists/{}/print", s.list))).await;
    assert_eq!(print.status, 200);
    let body = &print.body;
    for text in [
        "甲化工",
        "一般从业人员安全生产责任清单",
        "每周检查本岗位消防器材",
        "《中华人民共和国安全生产法》第五十七条",
        "每周",
        "检查记录及照片",
    ] {
        assert!(body.contains(text), "print view lacks {text}");
    }
    assert!(body.contains("王建国") && body.contains("2024-03-07 23:20"), "typed signature and its local time");
    assert!(body.contains("李秀英") && body.contains("2024-03-09 00:45"), "drawn signature and its local time");
    assert!(body.contains(&format!("src=\"{drawn}\"")), "the drawn signature is shown as its image");
    let (l, _, _) = list_detail(app.ctx(), &sys, s.list).await.unwrap();
    assert!(body.contains(l.text_hash.as_deref().unwrap()), "the text hash is printed");
    assert!(!body.contains("<nav>"), "no navigation on the print view");
    assert!(body.contains("@media print"));

    let res = app.send(b.get(format!("/duty-lists/{}/docx", s.list))).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.headers.get("content-type").unwrap(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(res.bytes.clone())).expect("a .docx is a zip archive");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).unwrap();
    for text in [
        "每周检查本岗位消防器材",
        "发现事故隐患立即报告",
        "《中华人民共和国安全生产法》第五十九条",
        "一般从业人员安全生产责任清单",
        "甲化工",
    ] {
        assert!(xml.contains(text), "document.xml lacks {text}");
    }
    assert!(xml.contains("王建国") && xml.contains("2024-03-07 23:20"), "typed signer and date");
    assert!(xml.contains("李秀英") && xml.contains("2024-03-09 00:45"), "drawn signer and date");
    assert!(xml.contains("<w:drawing>") || xml.contains("<w:drawing"), "the drawn signature is embedded as a picture");
    let media: Vec<String> =
        zip.file_names().filter_map(|n| n.ok()).filter(|n| n.starts_with("word/media/") && n.ends_with(".png")).map(String::from).collect();
    assert_eq!(media.len(), 1, "{media:?}");
    let mut embedded = vec![];
    zip.by_name(&media[0]).unwrap().read_to_end(&mut embedded).unwrap();
    assert_eq!(embedded, TINY_PNG, "the signature image is the one drawn");
}
