//! Configuration: the optional `anze.toml` and how it merges with flags and the environment.
//!
//! Precedence, highest first: CLI flag > environment variable > `anze.toml` > built-in default.
//! The file is `--config FILE` (or `ANZE_CONFIG`); without either, `./anze.toml` is read when it
//! exists. Every field is optional and unknown fields are errors, so a typo cannot pass silently.

use crate::cli::{GlobalArgs, SettingArgs};
use anyhow::{Context, anyhow, bail};
use anze_domain::auth::PasswordPolicy;
use anze_service::Settings;
use anze_store::DbOptions;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
const DEFAULT_FILE: &str = "anze.toml";

/// The contents of `anze.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub addr: Option<String>,
    pub database_url: Option<String>,
    pub max_connections: Option<u32>,
    pub password_policy: Option<String>,
    pub session_idle_minutes: Option<i64>,
    pub session_absolute_hours: Option<i64>,
    pub lockout_failures: Option<i32>,
    pub lockout_minutes: Option<i64>,
    pub token_days: Option<i64>,
    pub stale_after_days: Option<i64>,
    pub metrics_addr: Option<String>,
    /// The folder of the object store (photo originals); `<data>/objects` when unset.
    pub object_store_root: Option<PathBuf>,
    /// `[hazard_escalation]`: the ladders per grade and the exposure rule (defaults in the domain).
    pub hazard_escalation: Option<anze_domain::escalation::Ladders>,
    /// `[notify]`: reminders and the outbox (issue 5).
    pub notify: Option<NotifyFile>,
}

/// `[notify]`: the reminder window (days before a due date), the webhook every notice is posted
/// to, and the SMTP server of the e-mails. Without `smtp_host` e-mails wait in the outbox.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyFile {
    pub reminder_days: Option<i64>,
    pub webhook_url: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_from: Option<String>,
    pub smtp_starttls: Option<bool>,
}

impl NotifyFile {
    fn settings(self) -> anyhow::Result<anze_service::notify::NotifySettings> {
        let d = anze_service::notify::NotifySettings::default();
        let reminder_days = match self.reminder_days {
            Some(n) if !(0..=90).contains(&n) => bail!("配置项 notify.reminder_days 须在 0 到 90 之间：{n}"),
            Some(n) => n,
            None => d.reminder_days,
        };
        let webhook_url = self.webhook_url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        if let Some(u) = &webhook_url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            bail!("配置项 notify.webhook_url 须以 http:// 或 https:// 开头：{u}");
        }
        let smtp = match self.smtp_host.map(|h| h.trim().to_string()).filter(|h| !h.is_empty()) {
            None => None,
            Some(host) => {
                let from = self.smtp_from.unwrap_or_default();
                if anze_domain::notify::Email::parse_optional("smtp_from", &from).ok().flatten().is_none() {
                    bail!("配置项 notify.smtp_from 须为有效的邮箱地址：{from:?}");
                }
                let starttls = self.smtp_starttls.unwrap_or(true);
                Some(anze_service::notify::SmtpSettings {
                    host,
                    port: self.smtp_port.unwrap_or(if starttls { 587 } else { 25 }),
                    username: self.smtp_username,
                    password: self.smtp_password,
                    from,
                    starttls,
                })
            }
        };
        Ok(anze_service::notify::NotifySettings { reminder_days, webhook_url, smtp })
    }
}

impl FileConfig {
    /// Reads the given file, or `./anze.toml` when none is given and it exists.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<(FileConfig, Option<PathBuf>)> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
            None => return Ok((FileConfig::default(), None)),
        };
        let text = std::fs::read_to_string(&path).with_context(|| format!("无法读取配置文件 {}", path.display()))?;
        let config = Self::parse(&text).map_err(|e| anyhow!("配置文件 {} 有误：{e}", path.display()))?;
        Ok((config, Some(path)))
    }

    /// Parses the file; the error is one line with the line number.
    pub fn parse(text: &str) -> Result<FileConfig, String> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().replace('\n', " ");
            match line {
                Some(l) => format!("第 {l} 行：{msg}"),
                None => msg,
            }
        })
    }
}

/// Where the database is and whether a missing SQLite file may be created.
#[derive(Debug, Clone)]
pub struct Database {
    pub url: String,
    /// True only for the URL derived from the data directory.
    pub derived: bool,
    pub max_connections: u32,
}

impl Database {
    /// Connection options; `create` asks for a missing derived SQLite file to be created.
    pub fn options(&self, create: bool) -> DbOptions {
        DbOptions { max_connections: self.max_connections, create_if_missing: create && self.derived, schema: None }
    }

    /// The file of a SQLite URL (`None` for PostgreSQL or an in-memory database).
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        sqlite_file(&self.url)
    }
}

/// Everything a command needs, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database: Database,
    pub settings: Settings,
    pub file_addr: Option<String>,
    pub metrics_addr: Option<String>,
    pub file: Option<PathBuf>,
}

impl Config {
    pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Config> {
        let (file, path) = FileConfig::load(global.config.as_deref())?;
        Self::merge(global, file, path)
    }

    fn merge(global: &GlobalArgs, file: FileConfig, path: Option<PathBuf>) -> anyhow::Result<Config> {
        let a: &SettingArgs = &global.settings;
        let d = Settings::default();
        let data_dir = global.data.clone();

        let max_connections = a.max_connections.or(file.max_connections).unwrap_or(8);
        if max_connections == 0 {
            bail!("max_connections 必须大于 0");
        }
        let database = match a.database_url.clone().or(file.database_url).filter(|u| !u.trim().is_empty()) {
            Some(url) => Database { url, derived: false, max_connections },
            None => Database { url: derived_url(&data_dir), derived: true, max_connections },
        };

        let policy = a.password_policy.clone().or(file.password_policy);
        let password_policy = match policy {
            Some(p) => PasswordPolicy::parse(p.trim()).ok_or_else(|| anyhow!("未知的密码策略 {p:?}（应为 dengbao 或 asvs）"))?,
            None => d.password_policy,
        };
        let settings = Settings {
            data_dir: data_dir.clone(),
            password_policy,
            session_idle_minutes: positive(
                "session_idle_minutes",
                a.session_idle_minutes.or(file.session_idle_minutes),
                d.session_idle_minutes,
            )?,
            session_absolute_hours: positive(
                "session_absolute_hours",
                a.session_absolute_hours.or(file.session_absolute_hours),
                d.session_absolute_hours,
            )?,
            lockout_failures: positive("lockout_failures", a.lockout_failures.or(file.lockout_failures), d.lockout_failures)?,
            lockout_minutes: positive("lockout_minutes", a.lockout_minutes.or(file.lockout_minutes), d.lockout_minutes)?,
            token_days: positive("token_days", a.token_days.or(file.token_days), d.token_days)?,
            hash_concurrency: d.hash_concurrency,
            stale_after_days: positive("stale_after_days", a.stale_after_days.or(file.stale_after_days), d.stale_after_days)?,
            hazard_ladders: match file.hazard_escalation {
                Some(l) => {
                    l.validate().map_err(|e| {
                        anyhow!(
                            "配置项 hazard_escalation 有误：{}",
                            e.iter().map(|f| format!("{} {}", f.field, f.code)).collect::<Vec<_>>().join("；")
                        )
                    })?;
                    l
                }
                None => d.hazard_ladders,
            },
            object_store_root: a.object_store_root.clone().or(file.object_store_root),
            notify: file.notify.unwrap_or_default().settings()?,
        };
        Ok(Config {
            data_dir,
            database,
            settings,
            file_addr: file.addr,
            metrics_addr: a.metrics_addr.clone().or(file.metrics_addr),
            file: path,
        })
    }

    /// The listen address: flag/env (already in `flag`) > file > default.
    pub fn addr(&self, flag: Option<&str>) -> String {
        flag.map(String::from).or_else(|| self.file_addr.clone()).unwrap_or_else(|| DEFAULT_ADDR.to_string())
    }
}

fn positive<T: PartialOrd + Default + Copy + std::fmt::Display>(name: &str, v: Option<T>, default: T) -> anyhow::Result<T> {
    let v = v.unwrap_or(default);
    if v <= T::default() {
        bail!("配置项 {name} 必须为正数（得到 {v}）");
    }
    Ok(v)
}

/// `sqlite://<data>/anze.db?mode=rwc`, with the characters SQLite URLs reserve escaped.
pub fn derived_url(data_dir: &Path) -> String {
    let path = data_dir.join("anze.db").to_string_lossy().replace('%', "%25").replace('?', "%3F").replace('#', "%23");
    format!("sqlite://{path}?mode=rwc")
}

/// The file a SQLite URL names (`sqlite://path?…` or `sqlite:path?…`).
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(path.replace("%3F", "?").replace("%23", "#").replace("%25", "%")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arguments as parsed, without reading the environment (tests must not depend on it).
    fn global(data: &str, settings: SettingArgs) -> GlobalArgs {
        GlobalArgs { data: PathBuf::from(data), config: None, settings }
    }

    #[test]
    fn unknown_field_is_an_error_with_its_line() {
        let e = FileConfig::parse("addr = \"0.0.0.0:80\"\npasword_policy = \"asvs\"\n").unwrap_err();
        assert!(e.contains("第 2 行"), "{e}");
        assert!(e.contains("pasword_policy"), "{e}");
    }

    #[test]
    fn flag_beats_file_beats_default() {
        let file = FileConfig::parse("password_policy = \"asvs\"\ntoken_days = 7\naddr = \"0.0.0.0:9000\"\n").unwrap();
        let c = Config::merge(&global("/tmp/x", SettingArgs { token_days: Some(3), ..Default::default() }), file, None).unwrap();
        assert_eq!(c.settings.token_days, 3);
        assert_eq!(c.settings.password_policy, PasswordPolicy::Asvs);
        assert_eq!(c.settings.lockout_failures, 5);
        assert_eq!(c.addr(None), "0.0.0.0:9000");
        assert_eq!(c.addr(Some("127.0.0.1:1")), "127.0.0.1:1");
        assert!(c.database.derived);
        assert_eq!(c.database.url, "sqlite:///tmp/x/anze.db?mode=rwc");
        assert!(c.database.options(true).create_if_missing);
    }

    #[test]
    fn explicit_url_never_creates() {
        let file = FileConfig::parse("database_url = \"sqlite://other.db\"\n").unwrap();
        let c = Config::merge(&global("./data", SettingArgs::default()), file, None).unwrap();
        assert!(!c.database.derived);
        assert!(!c.database.options(true).create_if_missing);
        assert_eq!(c.database.sqlite_file(), Some(PathBuf::from("other.db")));
    }

    #[test]
    fn bad_values_are_refused() {
        let file = FileConfig::parse("password_policy = \"strict\"\n").unwrap();
        assert!(Config::merge(&global("./data", SettingArgs::default()), file, None).is_err());
        let file = FileConfig::parse("lockout_failures = 0\n").unwrap();
        assert!(Config::merge(&global("./data", SettingArgs::default()), file, None).is_err());
    }

    #[test]
    fn the_hazard_ladder_is_read_from_the_file_and_checked() {
        let text = "[hazard_escalation]\ngeneral = { steps = [{ days_overdue = 5, notify = [\"township\"] }] }\nmajor = { steps = [{ days_overdue = 0, notify = [\"city_office\"] }] }\nexposure = { min_days_overdue = 60 }\n";
        let c = Config::merge(&global("./data", SettingArgs::default()), FileConfig::parse(text).unwrap(), None).unwrap();
        assert_eq!(c.settings.hazard_ladders.general.steps[0].days_overdue, 5);
        assert_eq!(c.settings.hazard_ladders.exposure.min_days_overdue, 60);
        let out_of_order = "[hazard_escalation]\ngeneral = { steps = [{ days_overdue = 9, notify = [\"township\"] }, { days_overdue = 2, notify = [\"township\"] }] }\nmajor = { steps = [] }\n";
        let e = Config::merge(&global("./data", SettingArgs::default()), FileConfig::parse(out_of_order).unwrap(), None).unwrap_err();
        assert!(e.to_string().contains("escalation.steps.order"), "{e}");
        assert!(FileConfig::parse("[hazard_escalation]\ngeneral = { steps = [{ days = 1, notify = [] }] }\n").is_err());
        assert_eq!(
            Config::merge(&global("./data", SettingArgs::default()), FileConfig::default(), None).unwrap().settings.hazard_ladders,
            Default::default()
        );
    }

    #[test]
    fn the_object_store_folder_defaults_to_the_data_folder() {
        let c = Config::merge(&global("/tmp/x", SettingArgs::default()), FileConfig::default(), None).unwrap();
        assert_eq!(c.settings.object_root(), PathBuf::from("/tmp/x/objects"));
        let file = FileConfig::parse("object_store_root = \"/srv/anze-objects\"\n").unwrap();
        let c = Config::merge(&global("/tmp/x", SettingArgs::default()), file, None).unwrap();
        assert_eq!(c.settings.object_root(), PathBuf::from("/srv/anze-objects"));
    }

    #[test]
    fn the_notify_section_is_read_and_checked() {
        let f = FileConfig::parse("[notify]\nreminder_days = 3\nwebhook_url = \"https://hooks.example.cn/anze\"\nsmtp_host = \"smtp.example.cn\"\nsmtp_from = \"anze@example.cn\"\n").unwrap();
        let n = f.notify.unwrap().settings().unwrap();
        assert_eq!(n.reminder_days, 3);
        assert_eq!(n.webhook_url.as_deref(), Some("https://hooks.example.cn/anze"));
        let smtp = n.smtp.unwrap();
        assert_eq!((smtp.port, smtp.starttls), (587, true), "STARTTLS on 587 by default");
        let bad_from = FileConfig::parse("[notify]\nsmtp_host = \"smtp.example.cn\"\nsmtp_from = \"anze\"\n").unwrap();
        assert!(bad_from.notify.unwrap().settings().unwrap_err().to_string().contains("smtp_from"));
        assert!(FileConfig::parse("[notify]\nreminder_day = 3\n").is_err(), "a typo is refused");
        assert!(FileConfig::parse("[notify]\nreminder_days = 300\n").unwrap().notify.unwrap().settings().is_err());
        assert_eq!(FileConfig::default().notify.unwrap_or_default().settings().unwrap().smtp, None);
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_file("sqlite:///var/lib/anze/anze.db?mode=rwc"), Some(PathBuf::from("/var/lib/anze/anze.db")));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u:p@h/db"), None);
        assert_eq!(sqlite_file(&derived_url(Path::new("a?b"))), Some(PathBuf::from("a?b/anze.db")));
    }
}
