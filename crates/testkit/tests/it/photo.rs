//! Photos as evidence (issue 4, deliverable 9) with a real phone-like photo
//! (`fixtures/site-photo.jpg`, made by scripts/make-site-photo.py): the original is kept
//! unchanged in the object store under its SHA-256, its EXIF time and place are read, a
//! thumbnail is made and served in scope only; a renamed PDF, a pixel bomb and an oversized
//! file are refused naming `photo`, and nothing is written.

use anze_domain::auth::{Assignment, Role};
use anze_service::hazard::{NewHazardForm, report};
use anze_service::{Actor, ServiceError};
use anze_store::entity::photo;
use anze_testkit::*;
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use sha2::{Digest, Sha256};
use std::path::Path;
use uuid::Uuid;

const SITE_PHOTO: &[u8] = include_bytes!("../../fixtures/site-photo.jpg");

fn safety_manager(org: Uuid) -> Actor {
    Actor {
        user_id: Some(Uuid::now_v7()),
        name: "安全员".into(),
        assignments: vec![Assignment { role: Role::SafetyManager, region_path: None, organisation_id: Some(org), industries: vec![] }],
        address: "test".into(),
        locale: "zh-CN".into(),
        must_change_password: false,
    }
}

fn hazard_with(org: Uuid, photos: Vec<Vec<u8>>) -> NewHazardForm {
    let today = anze_domain::time::local_date(chrono::Utc::now());
    NewHazardForm {
        organisation_id: org.to_string(),
        description: "脚手架连墙件缺失".into(),
        location: "三号楼东侧".into(),
        grade: "general".into(),
        category: "thing".into(),
        origin: "self_check".into(),
        direction: "reported_up".into(),
        found_on: today.to_string(),
        deadline: (today + chrono::Duration::days(7)).to_string(),
        photos,
        ..Default::default()
    }
}

/// An enterprise in town A (the regions are already there).
async fn enterprise(ctx: &anze_service::Ctx, n: u32) -> Uuid {
    anze_service::org::create_enterprise(ctx, &Actor::system("t"), &enterprise_input("甲建筑", &credit_code(n)), chrono::Utc::now())
        .await
        .unwrap()
}

/// Every file under the object store's folder (temporary files included).
fn object_files(root: &Path) -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() { walk(&p, out) } else { out.push(p) }
        }
    }
    let mut out = vec![];
    walk(root, &mut out);
    out
}

#[tokio::test]
async fn a_site_photo_is_kept_unchanged_with_its_hash_time_place_and_a_thumbnail_served_in_scope() {
    let app = TestApp::new().await;
    let org = enterprise(app.ctx(), 1).await;
    let now = chrono::Utc::now();
    report(app.ctx(), &safety_manager(org), &hazard_with(org, vec![SITE_PHOTO.to_vec()]), now).await.unwrap();

    // The row keeps the metadata; the original is in the object store under its SHA-256.
    let row = photo::Entity::find().one(&app.ctx().db.read).await.unwrap().unwrap();
    let sha = hex::encode(Sha256::digest(SITE_PHOTO));
    assert_eq!(row.sha256, sha);
    assert_eq!(row.storage, "objects");
    assert_eq!(row.object_key.as_deref(), Some(format!("photos/{}/{}/{sha}", &sha[..2], &sha[2..4]).as_str()));
    assert!(row.bytes.is_empty(), "the database does not hold the original");
    assert_eq!(row.byte_size, SITE_PHOTO.len() as i64);
    assert_eq!((row.width, row.height), (Some(1600), Some(1200)));
    assert_eq!(row.content_type, "image/jpeg");
    let stored = std::fs::read(app.db.dir.path().join("objects").join(row.object_key.as_ref().unwrap())).unwrap();
    assert_eq!(stored, SITE_PHOTO, "the file in the object store is the original, byte for byte");

    // EXIF: 09:30:15 at +08:00, at 36°10'30" N 116°45'36" E.
    assert_eq!(row.taken_at.unwrap().to_rfc3339(), "2024-03-01T01:30:15+00:00");
    assert!((row.gps_lat.unwrap() - 36.175).abs() < 1e-9, "{:?}", row.gps_lat);
    assert!((row.gps_lon.unwrap() - 116.76).abs() < 1e-9, "{:?}", row.gps_lon);

    // Someone of the enterprise fetches the original unchanged and the thumbnail.
    let pw = app
        .user("boss", Assignment { role: Role::EnterpriseAdmin, region_path: None, organisation_id: Some(org), industries: vec![] })
        .await;
    let b = app.sign_in("boss", &pw).await;
    let original = app.send(b.get(format!("/photos/{}", row.id))).await;
    assert_eq!(original.status, 200);
    assert_eq!(original.headers.get("content-type").unwrap(), "image/jpeg");
    assert_eq!(original.bytes, SITE_PHOTO);
    let thumb = app.send(b.get(format!("/photos/{}/thumb", row.id))).await;
    assert_eq!(thumb.status, 200);
    assert_eq!(thumb.headers.get("content-type").unwrap(), "image/jpeg");
    let t = image::load_from_memory_with_format(&thumb.bytes, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((t.width(), t.height()), (240, 320), "longest side 320, turned upright (EXIF orientation 6)");
    assert!(thumb.bytes.len() < 40_000, "{} bytes", thumb.bytes.len());

    // The hazard page shows the thumbnail and links to the original.
    let hazard = anze_store::entity::hazard::Entity::find().one(&app.ctx().db.read).await.unwrap().unwrap();
    let page = app.send(b.get(format!("/hazards/{}", hazard.id))).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("<a href=\"/photos/{id}\"><img src=\"/photos/{id}/thumb\"", id = row.id)), "{}", page.body);

    // Outside the scope: 404 for both, as for an unknown photo.
    let pw = app
        .user(
            "town_b",
            Assignment { role: Role::TownshipOfficer, region_path: Some(TOWN_B_PATH.into()), organisation_id: None, industries: vec![] },
        )
        .await;
    let other = app.sign_in("town_b", &pw).await;
    for path in [format!("/photos/{}", row.id), format!("/photos/{}/thumb", row.id), format!("/photos/{}/thumb", Uuid::now_v7())] {
        assert_eq!(app.send(other.get(path.clone())).await.status, 404, "{path}");
    }

    // The same photo again is a second row but one stored file (content addressing).
    report(app.ctx(), &safety_manager(org), &hazard_with(org, vec![SITE_PHOTO.to_vec()]), now).await.unwrap();
    assert_eq!(photo::Entity::find().count(&app.ctx().db.read).await.unwrap(), 2);
    let files = object_files(&app.db.dir.path().join("objects"));
    assert_eq!(files.len(), 1, "{files:?}");
}

/// A PNG of 20 000 × 20 000 pixels in under a hundred bytes: a header and nothing behind it.
fn pixel_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = vec![];
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for b in data {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

#[tokio::test]
async fn a_renamed_pdf_a_pixel_bomb_and_an_oversized_photo_are_refused_naming_photo_and_nothing_is_written() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let org = enterprise(&t.ctx, 2).await;
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    let bomb = pixel_bomb();
    assert!(bomb.len() < 100, "{} bytes", bomb.len());
    let mut huge = SITE_PHOTO.to_vec();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    for (what, bytes, code) in [
        ("a renamed PDF", pdf, "evidence.photo.not_image"),
        ("20 000 × 20 000 pixels", bomb, "evidence.photo.too_many_pixels"),
        ("over 10 MB", huge, "evidence.photo.too_large"),
    ] {
        // A good photo beside the bad one is not written either.
        let e = report(&t.ctx, &safety_manager(org), &hazard_with(org, vec![SITE_PHOTO.to_vec(), bytes]), chrono::Utc::now())
            .await
            .unwrap_err();
        let ServiceError::Invalid(fields) = e else { panic!("{what}: {e:?}") };
        assert_eq!(fields.iter().map(|f| (f.field, f.code)).collect::<Vec<_>>(), vec![("photo", code)], "{what}");
    }
    assert_eq!(anze_store::entity::hazard::Entity::find().count(&t.ctx.db.read).await.unwrap(), 0);
    assert_eq!(photo::Entity::find().count(&t.ctx.db.read).await.unwrap(), 0);
    assert_eq!(object_files(&t.dir.path().join("objects")), Vec::<std::path::PathBuf>::new(), "no object file");
}

#[tokio::test]
async fn photos_stored_in_the_database_before_the_object_store_are_still_served() {
    let app = TestApp::new().await;
    let org = enterprise(app.ctx(), 3).await;
    let id = anze_domain::ids::new_id().to_string();
    let row = photo::ActiveModel {
        id: sea_orm::Set(id.clone()),
        tenant_id: sea_orm::Set(app.ctx().tenant.clone()),
        organisation_id: sea_orm::Set(org.to_string()),
        content_type: sea_orm::Set("image/png".into()),
        byte_size: sea_orm::Set(TINY_PNG.len() as i64),
        sha256: sea_orm::Set(hex::encode(Sha256::digest(TINY_PNG))),
        bytes: sea_orm::Set(TINY_PNG.to_vec()),
        created_by: sea_orm::Set("t".into()),
        created_at: sea_orm::Set(chrono::Utc::now()),
        storage: sea_orm::Set("db".into()),
        ..Default::default()
    };
    anze_store::repo::evidence::insert_photo(&app.ctx().db.write, row).await.unwrap();
    let pw = app
        .user("boss", Assignment { role: Role::EnterpriseAdmin, region_path: None, organisation_id: Some(org), industries: vec![] })
        .await;
    let b = app.sign_in("boss", &pw).await;
    assert_eq!(app.send(b.get(format!("/photos/{id}"))).await.bytes, TINY_PNG);
    let thumb = app.send(b.get(format!("/photos/{id}/thumb"))).await;
    assert_eq!((thumb.status, thumb.bytes.as_slice()), (200, TINY_PNG), "no thumbnail: the original stands in");
    let newest = photo::Entity::find().order_by_desc(photo::Column::CreatedAt).one(&app.ctx().db.read).await.unwrap().unwrap();
    assert_eq!(newest.storage, "db");
}
