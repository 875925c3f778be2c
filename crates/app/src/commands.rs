//! One function per subcommand (except `serve`, in serve.rs), and the helpers they share.

use crate::cli::{CampaignCommand, DemoArgs, DemoScale, ExportCommand, ImportArgs, UserAddArgs, UserCommand};
use crate::config::Config;
use crate::zh;
use anyhow::{Context, anyhow, bail};
use anze_domain::auth::{Assignment, Role};
use anze_service::demo::{self, DemoReport, data::Scale};
use anze_service::{Actor, Ctx, ServiceResult, auth, export, import};
use anze_store::repo::audit::Verification;
use anze_store::{Db, redact};
use chrono::Utc;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Whether a command may create the database (the derived SQLite file only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    Create,
    Existing,
}

/// Connects to the database; a missing SQLite file is an error unless it may be created.
pub async fn connect(config: &Config, open: Open) -> anyhow::Result<Db> {
    let database = &config.database;
    let options = database.options(open == Open::Create);
    if let Some(file) = database.sqlite_file() {
        if options.create_if_missing {
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(|| format!("无法创建数据目录 {}", dir.display()))?;
            }
        } else if !file.exists() {
            if database.derived {
                bail!("数据库文件 {} 不存在：请先运行 anze migrate 或 anze serve（database not found）", file.display());
            }
            bail!(
                "数据库文件 {} 不存在；显式指定的数据库地址不会自动创建文件（an explicit database URL never creates a missing file）",
                file.display()
            );
        }
    }
    tracing::debug!(url = %redact(&database.url), "connecting to the database");
    Db::connect(&database.url, &options)
        .await
        .map_err(|e| anyhow!("无法连接数据库 {}：{}", redact(&database.url), zh::one_line(&e.to_string())))
}

/// Connects, applies pending migrations and makes sure the default tenant exists.
pub async fn prepare(config: &Config, open: Open) -> anyhow::Result<Ctx> {
    let db = connect(config, open).await?;
    db.migrate().await.map_err(|e| anyhow!("数据库迁移失败：{}", zh::one_line(&e.to_string())))?;
    db.optimize().await.map_err(|e| anyhow!("数据库优化失败：{}", zh::one_line(&e.to_string())))?;
    let ctx = ctx(config, db)?;
    anze_store::repo::tenant::ensure(&ctx.db.write, &ctx.tenant, "default", "默认租户", Utc::now())
        .await
        .map_err(|e| anyhow!("无法创建默认租户：{}", zh::one_line(&e.to_string())))?;
    svc(anze_service::duty::seed_templates(&ctx, Utc::now()).await, "载入责任清单模板失败")?;
    Ok(ctx)
}

pub fn ctx(config: &Config, db: Db) -> anyhow::Result<Ctx> {
    Ctx::new(db, config.settings.clone()).map_err(|e| anyhow!("无法打开对象存储（照片目录）：{}", zh::one_line(&e.to_string())))
}

/// Turns a service error into a one-line Chinese message prefixed with what failed.
pub fn svc<T>(r: ServiceResult<T>, what: &str) -> anyhow::Result<T> {
    r.map_err(|e| anyhow!("{what}：{}", zh::service_error(&e)))
}

/// Writes a file only its owner can read (passwords).
pub fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path).with_context(|| format!("无法写入 {}", path.display()))?;
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open; tighten it.
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600)).with_context(|| format!("无法设置 {} 的权限", path.display()))?;
    }
    f.write_all(text.as_bytes()).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

/// Creates the `admin` account on an empty database and shows its password once.
pub async fn ensure_admin(config: &Config, ctx: &Ctx) -> anyhow::Result<()> {
    if let Some(password) = svc(auth::ensure_admin(ctx, Utc::now()).await, "创建管理员账号失败")? {
        let file = config.data_dir.join("admin-password.txt");
        write_secret(&file, &format!("username: admin\npassword: {password}\n"))?;
        println!("已创建管理员账号 admin，初始密码：{password}（仅显示一次，已写入 {}）", file.display());
        println!("(admin account created; the password is shown only once)");
    }
    Ok(())
}

/// Prints the demo sign-ins and writes them to `<data>/demo-accounts.txt`.
pub fn show_demo_accounts(config: &Config, report: &DemoReport) -> anyhow::Result<()> {
    let table = demo_table(report);
    let file = config.data_dir.join("demo-accounts.txt");
    write_secret(&file, &table)?;
    println!("演示账号（demo sign-ins，已写入 {}）：", file.display());
    print!("{table}");
    Ok(())
}

/// The demo sign-ins as an aligned text table (role, username, password, scope).
fn demo_table(report: &DemoReport) -> String {
    let header = ["角色 (role)", "用户名 (username)", "密码 (password)", "范围 (scope)"];
    let rows: Vec<[String; 4]> = report
        .accounts
        .iter()
        .map(|a| [format!("{} {}", zh::role(a.role), a.role.as_str()), a.username.clone(), a.password.clone(), a.scope.clone()])
        .collect();
    let mut widths = header.map(zh::width);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(zh::width(cell));
        }
    }
    let line = |cells: [&str; 4]| -> String {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| zh::pad(c, w)).collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut table = vec![line(header), widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  ")];
    table.extend(rows.iter().map(|r| line([&r[0], &r[1], &r[2], &r[3]])));
    table.join("\n") + "\n"
}

pub async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    prepare(config, Open::Create).await?;
    println!("数据库已迁移到最新版本（migrations applied）：{}", redact(&config.database.url));
    Ok(ExitCode::SUCCESS)
}

pub async fn demo(config: &Config, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let ctx = prepare(config, Open::Create).await?;
    ensure_admin(config, &ctx).await?;
    let scale = match args.scale {
        DemoScale::Small => Scale::Small,
        DemoScale::City => Scale::City,
    };
    let Some(report) = svc(demo::load(&ctx, scale, args.seed, Utc::now()).await, "载入演示数据失败")? else {
        println!("数据库中已有机构，未载入演示数据（database not empty; nothing loaded）");
        return Ok(ExitCode::SUCCESS);
    };
    println!("已载入演示数据：企业 {} 家，人员 {} 人，账号 {} 个", report.enterprises, report.people, report.accounts.len());
    println!("用时 {:.1} 秒", started.elapsed().as_secs_f64());
    if let Some(file) = config.database.sqlite_file() {
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let wal = size(Path::new(&format!("{}-wal", file.display())));
        println!("数据库文件 {}：{}（WAL {}）", file.display(), human(size(&file)), human(wal));
    }
    show_demo_accounts(config, &report)?;
    Ok(ExitCode::SUCCESS)
}

pub async fn user(config: &Config, command: &UserCommand) -> anyhow::Result<ExitCode> {
    let ctx = prepare(config, Open::Existing).await?;
    let actor = Actor::system("cli");
    let now = Utc::now();
    match command {
        UserCommand::Add(args) => user_add(&ctx, &actor, args).await?,
        UserCommand::ResetPassword { username, password } => {
            let (password, random) = match password {
                Some(p) => (p.clone(), false),
                None => (auth::random_password(), true),
            };
            svc(auth::reset_password(&ctx, &actor, username, &password, now).await, &format!("重置账号 {username} 的密码失败"))?;
            if random {
                println!("已重置账号 {username} 的密码，临时密码：{password}（仅显示一次，下次登录须修改）");
            } else {
                println!("已重置账号 {username} 的密码（下次登录须修改）");
            }
        }
        UserCommand::Disable { username } => {
            svc(auth::set_disabled(&ctx, &actor, username, true, now).await, &format!("停用账号 {username} 失败"))?;
            println!("已停用账号 {username}（disabled; sessions ended）");
        }
        UserCommand::Enable { username } => {
            svc(auth::set_disabled(&ctx, &actor, username, false, now).await, &format!("启用账号 {username} 失败"))?;
            println!("已启用账号 {username}（enabled）");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn user_add(ctx: &Ctx, actor: &Actor, args: &UserAddArgs) -> anyhow::Result<()> {
    let role = Role::parse(args.role.trim()).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        anyhow!("未知角色 {:?}，可选：{}", args.role, all.join(", "))
    })?;
    if role.is_organisation_bound() && args.org.is_none() {
        bail!("角色 {} 属于单位，请用 --org 指定单位 id", role.as_str());
    }
    let industries: Vec<String> = args.industries.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let assignment = Assignment { role, region_path: args.region_path.clone(), organisation_id: args.org, industries };
    let (password, temporary) = match &args.password {
        Some(p) => (p.clone(), false),
        None => (auth::random_password(), true),
    };
    let new = auth::NewUser {
        username: args.username.clone(),
        display_name: args.name.clone(),
        password: password.clone(),
        temporary,
        assignments: vec![assignment],
        person_id: None,
        email: args.email.clone(),
    };
    svc(auth::create_user(ctx, actor, new, Utc::now()).await, &format!("创建账号 {} 失败", args.username))?;
    println!("已创建账号 {}（{} {}）", args.username.trim(), zh::role(role), role.as_str());
    if temporary {
        println!("初始密码：{password}（仅显示一次，首次登录须修改）");
    }
    Ok(())
}

pub async fn import(config: &Config, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取文件 {}", args.file.display()))?;
    let ctx = prepare(config, Open::Existing).await?;
    let actor = Actor::system("cli");
    let kind = args.kind.service();
    match svc(import::run(&ctx, &actor, kind, &bytes, Utc::now(), args.dry_run).await, "导入失败")? {
        Ok(o) => {
            let verb = if args.dry_run { "校验通过（dry run，未写入）：将" } else { "导入完成：" };
            println!("{verb}新增 {} 条，更新 {} 条，未变 {} 条（created/updated/unchanged）", o.created, o.updated, o.unchanged);
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                let at = if e.row == 0 { "文件".to_string() } else { format!("第{}行", e.row) };
                println!("{at} [{}] {}", e.column, zh::code_with_detail(&e.code, e.detail.as_deref()));
            }
            eprintln!("校验未通过：共 {} 处错误，未写入任何数据（import rejected）", errors.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

pub async fn export(config: &Config, command: &ExportCommand) -> anyhow::Result<ExitCode> {
    let (bytes, out) = match command {
        ExportCommand::Enterprises { out } => {
            let ctx = ctx(config, connect(config, Open::Existing).await?)?;
            let actor = Actor::system("cli");
            let filter = anze_store::repo::org::OrgFilter::default();
            (svc(export::enterprises(&ctx, &actor, &filter).await, "导出企业失败")?, out)
        }
        ExportCommand::Template { kind, out } => (svc(export::template(kind.service()), "生成模板失败")?, out),
    };
    std::fs::write(out, &bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    println!("已导出到 {}（{}）", out.display(), human(bytes.len() as u64));
    Ok(ExitCode::SUCCESS)
}

/// Loads a campaign file (issue 5): every problem with its line, or the new version.
pub async fn campaign(config: &Config, command: &CampaignCommand) -> anyhow::Result<ExitCode> {
    let CampaignCommand::Load { file } = command;
    let text = std::fs::read_to_string(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    let ctx = prepare(config, Open::Existing).await?;
    let actor = Actor::system("cli");
    match svc(anze_service::campaign::load(&ctx, &actor, &text, Utc::now()).await, "载入活动失败")? {
        Ok(c) => {
            println!(
                "已载入活动 {}（{}）第 {} 版：{} 项考核指标，{} 至 {}（campaign loaded）",
                c.code, c.title, c.version, c.obligations, c.start, c.end
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                println!("第{}行 [{}] {}", e.line, e.field, zh::code_with_detail(&e.code, e.detail.as_deref()));
            }
            eprintln!("校验未通过：共 {} 处错误，未载入任何内容（campaign rejected）", errors.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Runs the daily jobs once (coverage, hazard escalation, campaign reminders and the outbox's
/// digests; they also run by themselves at 02:00 while serving).
pub async fn daily(config: &Config) -> anyhow::Result<ExitCode> {
    // It writes: after an upgrade it must find the schema its code expects, as `serve` does.
    let ctx = prepare(config, Open::Existing).await?;
    let started = Instant::now();
    let r = svc(anze_service::coverage::run_daily(&ctx, chrono::Utc::now()).await, "每日任务失败")?;
    println!(
        "已刷新 {} 个单位的覆盖统计；{} 个单位有超期未签人员，新发提醒 {} 条（用时 {:.1} 秒）",
        r.refreshed,
        r.units_with_stale,
        r.notified,
        started.elapsed().as_secs_f64()
    );
    let e = svc(anze_service::hazard::escalate(&ctx, chrono::Utc::now()).await, "隐患逾期督办失败")?;
    println!("逾期隐患 {} 条；新升级督办 {} 次，发出提醒 {} 条", e.overdue, e.steps_taken, e.notices);
    let n = svc(anze_service::hazard::refresh_summaries(&ctx, chrono::Utc::now()).await, "隐患统计刷新失败")?;
    println!("已刷新 {n} 个单位的隐患统计");
    let (r, q) = svc(anze_service::notify::run_daily(&ctx, chrono::Utc::now()).await, "任务提醒失败")?;
    println!(
        "任务提醒：即将到期 {} 项、逾期 {} 项，新发通知 {} 条；待发送邮件 {} 封、每日汇总 {} 封、Webhook {} 条",
        r.due_soon, r.missed, r.notices, q.reminder_emails, q.digests, q.webhooks
    );
    Ok(ExitCode::SUCCESS)
}

/// Lists the outbox (undelivered rows unless `all`), or makes failed rows due now (`retry`).
pub async fn outbox(config: &Config, all: bool, retry: bool) -> anyhow::Result<ExitCode> {
    let ctx = prepare(config, Open::Existing).await?;
    if retry {
        let n = svc(anze_service::notify::retry_now(&ctx, chrono::Utc::now()).await, "重试失败")?;
        println!("{n} 条待发消息将在下一分钟重试（queued for the next minute）");
        return Ok(ExitCode::SUCCESS);
    }
    let rows = svc(anze_service::notify::outbox(&ctx, !all, 200).await, "读取发件箱失败")?;
    if rows.is_empty() {
        println!("发件箱为空（outbox empty）");
    }
    for r in rows {
        let status = match r.status.as_str() {
            "delivered" => "已送达",
            "waiting_for_smtp" => "等待配置 SMTP",
            "retrying" => "重试中",
            _ => "排队中",
        };
        println!(
            "{}  {:<7} {:<30} {}（{}） 尝试 {} 次  下次 {}  {}",
            r.id,
            r.channel,
            r.recipient,
            status,
            r.status,
            r.attempts,
            r.next_attempt_at.format("%Y-%m-%d %H:%M"),
            r.last_error.unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs a stored draw again and says whether it gives the same targets and inspectors.
pub async fn draw_verify(config: &Config, id: &str) -> anyhow::Result<ExitCode> {
    let ctx = ctx(config, connect(config, Open::Existing).await?)?;
    let Ok(uid) = uuid::Uuid::parse_str(id.trim()) else {
        eprintln!("抽取编号格式不对：{id}");
        return Ok(ExitCode::FAILURE);
    };
    let (draw, result) = match anze_service::inspection::verify_draw(&ctx, uid).await {
        Ok(x) => x,
        Err(anze_service::ServiceError::NotFound) => {
            eprintln!("找不到抽取记录 {id}");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(anyhow::anyhow!("核验失败：{e}")),
    };
    println!("种子 {}；名单 {} 个单位，哈希 {}", draw.seed, draw.pool.len(), draw.pool_hash);
    println!("抽中单位：{}", draw.targets.join("、"));
    println!("抽中检查人员：{}", draw.inspectors.join("、"));
    match result {
        Ok(()) => {
            println!("核验通过：重新抽取的结果与记录一致。");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("核验不通过：{}（{}）", e.code, e.field);
            Ok(ExitCode::FAILURE)
        }
    }
}

pub async fn audit_verify(config: &Config) -> anyhow::Result<ExitCode> {
    let ctx = ctx(config, connect(config, Open::Existing).await?)?;
    let results = svc(anze_service::audit::verify_all(&ctx).await, "审计链校验失败")?;
    let many = results.len() > 1;
    let mut total = 0;
    let mut broken = false;
    for (tenant, v) in &results {
        let prefix = if many { format!("[{tenant}] ") } else { String::new() };
        match v {
            Verification::Intact { events } => {
                total += events;
                if many {
                    println!("{prefix}审计链完整 OK ({events} events)");
                }
            }
            Verification::Broken { seq, id, reason } => {
                broken = true;
                let id = id.as_deref().unwrap_or("-");
                println!("{prefix}审计链断裂：第 {seq} 条事件 (id {id})：{}", zh::code_sentence(reason));
            }
        }
    }
    if broken {
        return Ok(ExitCode::from(2));
    }
    println!("审计链完整 OK ({total} events)");
    Ok(ExitCode::SUCCESS)
}

pub async fn backup(config: &Config, out: &Path) -> anyhow::Result<ExitCode> {
    if config.database.sqlite_file().is_none() {
        bail!("备份命令仅适用于 SQLite；PostgreSQL 请使用 pg_dump（backup is for SQLite）");
    }
    if out.exists() {
        bail!("备份文件 {} 已存在，未覆盖（refusing to overwrite）", out.display());
    }
    let db = connect(config, Open::Existing).await?;
    let started = Instant::now();
    db.backup_to(out).await.map_err(|e| anyhow!("备份失败：{}", zh::one_line(&e.to_string())))?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!("已备份到 {}（{}，用时 {:.1} 秒）", out.display(), human(size), started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// Bytes as B / KiB / MiB / GiB.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{v:.1} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anze_service::demo::DemoAccount;

    #[test]
    fn demo_table_aligns_wide_characters() {
        let account = |role, username: &str, scope: &str| DemoAccount {
            role,
            username: username.into(),
            password: "Pw#12345abcd".into(),
            scope: scope.into(),
        };
        let report = DemoReport {
            accounts: vec![account(Role::CityAdmin, "city", "全市"), account(Role::GridWorker, "grid01", "潮泉镇第一网格")],
            enterprises: 0,
            people: 0,
        };
        let table = demo_table(&report);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        // The password column starts at the same display column on every row.
        let col = |l: &str| zh::width(&l[..l.find("Pw#").unwrap_or(l.find("密码").unwrap_or(0))]);
        assert_eq!(col(lines[0]), col(lines[2]));
        assert_eq!(col(lines[2]), col(lines[3]));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human(512), "512 B");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(3 * 1024 * 1024), "3.0 MiB");
    }

    #[cfg(unix)]
    #[test]
    fn secrets_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("anze-secret-{}", std::process::id()));
        let file = dir.join("p.txt");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_secret(&file, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
