//! `anze serve`: migrate, bootstrap, start the jobs and the web server; stop on Ctrl-C or SIGTERM.

use crate::cli::ServeArgs;
use crate::commands::{self, Open, svc};
use crate::config::Config;
use anyhow::Context;
use anze_service::demo::{self, data::Scale};
use chrono::Utc;
use std::net::SocketAddr;
use std::process::ExitCode;

pub async fn serve(config: &Config, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let uploads = config.data_dir.join("uploads");
    std::fs::create_dir_all(&uploads).with_context(|| format!("无法创建数据目录 {}", uploads.display()))?;
    let ctx = commands::prepare(config, Open::Create).await?;
    commands::ensure_admin(config, &ctx).await?;
    if args.demo {
        match svc(demo::load(&ctx, Scale::Small, 2024, Utc::now()).await, "载入演示数据失败")? {
            Some(report) => commands::show_demo_accounts(config, &report)?,
            None => println!("数据库中已有机构，未载入演示数据（database not empty; demo skipped）"),
        }
    }
    if let Some(metrics) = &config.metrics_addr {
        // Prometheus metrics on their own address, never on the public listener.
        let at: SocketAddr =
            metrics.parse().with_context(|| format!("监控地址 metrics_addr 格式不正确：{metrics}（应如 127.0.0.1:9100）"))?;
        metrics_exporter_prometheus::PrometheusBuilder::new()
            .with_http_listener(at)
            .install()
            .with_context(|| format!("无法在 {at} 提供监控指标"))?;
        println!("监控指标（Prometheus）：http://{at}/metrics");
    }

    let addr = config.addr(args.addr.as_deref());
    let listener = tokio::net::TcpListener::bind(&addr).await.with_context(|| format!("无法监听地址 {addr}"))?;
    let local = listener.local_addr().with_context(|| format!("无法监听地址 {addr}"))?;
    let jobs = anze_jobs::spawn(ctx.clone());
    let app = anze_web::router(anze_web::AppState::new(ctx));
    println!("Anze 已启动：http://{local}");
    tracing::info!(%local, "listening");
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown()).await;
    jobs.abort();
    served.context("服务异常退出")?;
    println!("Anze 已停止（stopped）");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM; a signal that cannot be installed is simply never awaited.
async fn shutdown() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
