//! Command-line arguments.
//!
//! Settings are resolved in this order: CLI flag > environment variable > `anze.toml` > default.
//! Clap handles the first two (flags carry `env`); `config::resolve` fills the rest.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "anze", version, about = "安责：安全生产责任清单平台（Anze）", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Without a subcommand, `anze` serves.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options shared by every subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Data directory (SQLite file, uploads, generated passwords).
    #[arg(long = "data", value_name = "DIR", env = "ANZE_DATA", default_value = "./data", global = true)]
    pub data: PathBuf,
    /// Configuration file [default: ./anze.toml if it exists].
    #[arg(long, value_name = "FILE", env = "ANZE_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub settings: SettingArgs,
}

/// Settings that may also come from `anze.toml` (flag > env > file > default).
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Settings (flag > env > anze.toml > default)")]
pub struct SettingArgs {
    /// Database URL (sqlite://… or postgres://…) [default: sqlite://<data>/anze.db].
    #[arg(long, value_name = "URL", env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// Maximum database connections in the read pool [default: 8].
    #[arg(long, value_name = "N", env = "ANZE_MAX_CONNECTIONS", global = true)]
    pub max_connections: Option<u32>,
    /// Password policy: dengbao (等保 2.0) or asvs (OWASP ASVS) [default: dengbao].
    #[arg(long, value_name = "POLICY", env = "ANZE_PASSWORD_POLICY", global = true)]
    pub password_policy: Option<String>,
    /// Sign out after this many idle minutes [default: 30].
    #[arg(long, value_name = "MIN", env = "ANZE_SESSION_IDLE_MINUTES", global = true)]
    pub session_idle_minutes: Option<i64>,
    /// Sign out this many hours after sign-in [default: 12].
    #[arg(long, value_name = "HOURS", env = "ANZE_SESSION_ABSOLUTE_HOURS", global = true)]
    pub session_absolute_hours: Option<i64>,
    /// Failed sign-ins before an account locks [default: 5].
    #[arg(long, value_name = "N", env = "ANZE_LOCKOUT_FAILURES", global = true)]
    pub lockout_failures: Option<i32>,
    /// Minutes an account stays locked [default: 15].
    #[arg(long, value_name = "MIN", env = "ANZE_LOCKOUT_MINUTES", global = true)]
    pub lockout_minutes: Option<i64>,
    /// Days an API token stays valid [default: 30].
    #[arg(long, value_name = "DAYS", env = "ANZE_TOKEN_DAYS", global = true)]
    pub token_days: Option<i64>,
    /// Days a person may hold a post without signing its current list before counting as stale [default: 7].
    #[arg(long, value_name = "DAYS", env = "ANZE_STALE_AFTER_DAYS", global = true)]
    pub stale_after_days: Option<i64>,
    /// Address for Prometheus metrics (separate from the web address).
    #[arg(long, value_name = "ADDR", env = "ANZE_METRICS_ADDR", global = true)]
    pub metrics_addr: Option<String>,
    /// Folder of the object store, where photo originals are kept [default: DATA/objects].
    #[arg(long, value_name = "DIR", env = "ANZE_OBJECT_STORE_ROOT", global = true)]
    pub object_store_root: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 启动服务（serve the web pages, API and jobs; the default）
    Serve(ServeArgs),
    /// 执行数据库迁移（apply migrations）
    Migrate,
    /// 载入演示数据（load the demo city into an empty database）
    Demo(DemoArgs),
    /// 管理账号（manage user accounts）
    #[command(subcommand)]
    User(UserCommand),
    /// 从 Excel/CSV 导入（import enterprises or staff）
    Import(ImportArgs),
    /// 导出 Excel（export enterprises or an import template）
    #[command(subcommand)]
    Export(ExportCommand),
    /// 审计（audit chain）
    #[command(subcommand)]
    Audit(AuditCommand),
    /// 备份 SQLite 数据库（consistent copy while serving）
    Backup(BackupArgs),
    /// 立即执行每日任务：刷新覆盖统计、提醒超期未签的单位、逾期隐患升级督办、任务到期与逾期提醒及每日汇总（run the daily jobs now）
    Daily,
    /// 查看发件箱：未送达的邮件与 Webhook（list the outbox; --all with delivered rows, --retry to retry now）
    Outbox {
        /// Include delivered rows.
        #[arg(long)]
        all: bool,
        /// Make every undelivered row due now.
        #[arg(long)]
        retry: bool,
    },
    /// 随机抽取（双随机）：核验已存的抽取结果（verify a stored random draw）
    #[command(subcommand)]
    Draw(DrawCommand),
    /// 活动与考核指标（campaigns, issue 5）
    #[command(subcommand)]
    Campaign(CampaignCommand),
}

#[derive(Debug, Subcommand)]
pub enum DrawCommand {
    /// 用已公布的种子和冻结的名单重新抽取，核对结果是否一致（run a stored draw again）
    Verify {
        /// The draw's id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// 载入活动文件（load a campaign file as the next version of its code）
    Load {
        /// The campaign file (TOML), e.g. campaigns/feianfa-2024-4.toml.
        file: PathBuf,
    },
}

#[derive(Debug, Parser, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR", env = "ANZE_ADDR")]
    pub addr: Option<String>,
    /// Load the demo city when the database is empty.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DemoScale {
    /// A few hundred enterprises.
    Small,
    /// 50 000 enterprises and about 1 000 000 staff.
    City,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[arg(long, value_enum, default_value_t = DemoScale::Small)]
    pub scale: DemoScale,
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 新建账号（create an account）
    Add(UserAddArgs),
    /// 重置密码（set a temporary password）
    ResetPassword {
        username: String,
        /// New password; a random temporary one when absent.
        #[arg(long)]
        password: Option<String>,
    },
    /// 停用账号（disable an account and end its sessions）
    Disable { username: String },
    /// 启用账号（enable an account）
    Enable { username: String },
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    pub username: String,
    /// Display name (姓名).
    #[arg(long)]
    pub name: String,
    /// Role, e.g. city_admin, township_officer, enterprise_admin.
    #[arg(long)]
    pub role: String,
    /// Region path of the scope, e.g. /370000/370900/370983.
    #[arg(long, value_name = "PATH")]
    pub region_path: Option<String>,
    /// Organisation id (UUID) for organisation-bound roles.
    #[arg(long, value_name = "UUID")]
    pub org: Option<uuid::Uuid>,
    /// Industries (GB/T 4754 codes) a department supervises, comma-separated, e.g. 26,47.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub industries: Vec<String>,
    /// Password; a random temporary one when absent.
    #[arg(long)]
    pub password: Option<String>,
    /// E-mail address for reminders and the daily digest (邮箱).
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Enterprises,
    Staff,
}

impl Kind {
    pub fn service(self) -> anze_service::import::ImportKind {
        match self {
            Kind::Enterprises => anze_service::import::ImportKind::Enterprises,
            Kind::Staff => anze_service::import::ImportKind::Staff,
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub kind: Kind,
    pub file: PathBuf,
    /// Validate and count without writing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// 导出全部企业（all enterprises, in the import template's columns）
    Enterprises {
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// 导出导入模板（the import template）
    Template {
        #[arg(value_enum)]
        kind: Kind,
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 校验审计哈希链（verify every tenant's hash chain）
    Verify,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Backup file (must not exist).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn subcommands_parse() {
        let cli =
            Cli::try_parse_from(["anze", "user", "add", "li", "--name", "李", "--role", "department_leader", "--industries", "26,47"]);
        let Ok(Cli { command: Some(Command::User(UserCommand::Add(a))), .. }) = cli else { panic!("user add did not parse") };
        assert_eq!(a.industries, ["26", "47"]);
        assert!(Cli::try_parse_from(["anze", "export", "template", "staff", "--out", "t.xlsx"]).is_ok());
        assert!(Cli::try_parse_from(["anze", "import", "people", "x.xlsx"]).is_err());
        assert!(Cli::try_parse_from(["anze", "audit", "verify", "--data", "/tmp/d"]).is_ok());
    }
}
