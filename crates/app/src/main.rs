//! The `anze` binary: command line, configuration and wiring. See `cli.rs` for the commands
//! and `config.rs` for how settings are resolved (flag > env > anze.toml > default).

mod cli;
mod commands;
mod config;
mod serve;
mod zh;

use clap::Parser;
use cli::{AuditCommand, Cli, Command, DrawCommand, ServeArgs};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // Every service use case has a debug span; with `RUST_LOG=info,anze_service=debug` each one
    // logs its ids and its time when it closes, so a slow request can be read from the log.
    tracing_subscriber::fmt().with_env_filter(filter).with_span_events(FmtSpan::CLOSE).with_writer(std::io::stderr).init();

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{}", zh::one_line(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = config::Config::resolve(&cli.global)?;
    if let Some(file) = &config.file {
        tracing::debug!(file = %file.display(), "configuration file read");
    }
    match cli.command {
        // Without a subcommand: serve, still reading ANZE_ADDR from the environment.
        None => serve::serve(&config, &ServeArgs::parse_from(["anze"])).await,
        Some(Command::Serve(args)) => serve::serve(&config, &args).await,
        Some(Command::Migrate) => commands::migrate(&config).await,
        Some(Command::Demo(args)) => commands::demo(&config, &args).await,
        Some(Command::User(command)) => commands::user(&config, &command).await,
        Some(Command::Import(args)) => commands::import(&config, &args).await,
        Some(Command::Export(command)) => commands::export(&config, &command).await,
        Some(Command::Audit(AuditCommand::Verify)) => commands::audit_verify(&config).await,
        Some(Command::Backup(args)) => commands::backup(&config, &args.out).await,
        Some(Command::Daily) => commands::daily(&config).await,
        Some(Command::Outbox { all, retry }) => commands::outbox(&config, all, retry).await,
        Some(Command::Draw(DrawCommand::Verify { id })) => commands::draw_verify(&config, &id).await,
        Some(Command::Campaign(command)) => commands::campaign(&config, &command).await,
    }
}
