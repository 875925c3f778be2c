//! The `anze` binary end to end: a fresh data folder, an account, a tampered audit row.

use std::path::Path;
use std::process::{Command, Output};

fn anze(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anze")).arg("--data").arg(data).args(args).env_remove("DATABASE_URL").output().expect("run anze")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[tokio::test]
async fn audit_verify_catches_a_row_edited_behind_the_applications_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let out = anze(data, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = anze(data, &["user", "add", "zhou", "--name", "周主任", "--role", "city_admin"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("zhou"));
    let ok = anze(data, &["audit", "verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(text(&ok).contains("OK"));

    // Someone with the database file changes who did it.
    let url = format!("sqlite://{}/anze.db", data.display());
    let db = anze_store::Db::connect(&url, &anze_store::DbOptions::default()).await.unwrap();
    use anze_store::ConnectionTrait;
    db.write.execute_unprepared("UPDATE audit_events SET actor_name = 'someone else' WHERE seq = 1").await.unwrap();
    drop(db);

    let broken = anze(data, &["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(2), "{}", text(&broken));
    assert!(text(&broken).contains("第 1 条"), "names the first broken event: {}", text(&broken));
}

#[test]
fn a_mistyped_database_url_is_an_error_not_an_empty_city() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite://{}/typo.db", dir.path().display());
    let out = Command::new(env!("CARGO_BIN_EXE_anze"))
        .arg("--data")
        .arg(dir.path())
        .args(["--database-url", &missing, "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!dir.path().join("typo.db").exists(), "no file was created");
    assert!(text(&out).contains("数据库"), "{}", text(&out));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn metrics_are_served_on_their_own_address_only() {
    let dir = tempfile::tempdir().unwrap();
    let (web, metrics) = (free_port(), free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_anze"))
        .arg("--data")
        .arg(dir.path())
        .args(["--metrics-addr", &format!("127.0.0.1:{metrics}"), "serve", "--addr", &format!("127.0.0.1:{web}")])
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut health = None;
    for _ in 0..100 {
        health = http_get(web, "/healthz").filter(|r| r.contains("200 OK"));
        if health.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let public = http_get(web, "/metrics").unwrap_or_default();
    let scraped = http_get(metrics, "/metrics").unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(health.is_some(), "the server came up");
    assert!(public.starts_with("HTTP/1.1 404"), "no metrics on the public listener: {public}");
    assert!(scraped.contains("http_requests_total") && scraped.contains("route=\"/healthz\""), "{scraped}");
}
