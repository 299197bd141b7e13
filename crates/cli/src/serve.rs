//! `nearmiss serve`: the web server, with a clean stop on Ctrl-C and SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use nearmiss_web::WebConfig;

use crate::DataArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Address and port to listen on.
    #[arg(long, env = "NEARMISS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Mark the staff session cookie Secure; set this whenever users reach the site over HTTPS.
    #[arg(long, env = "NEARMISS_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Days to keep raw submission material after publication or rejection; the server
    /// destroys older material at start and then once a day.
    #[arg(long, env = "NEARMISS_RETENTION_DAYS", default_value_t = nearmiss_app::DEFAULT_RETENTION_DAYS)]
    retention_days: u32,
}

/// Runs the retention purge now and then every 24 hours, logging failures and going on.
fn spawn_daily_purge(app: nearmiss_app::App, retention_days: u32) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            interval.tick().await;
            if let Err(error) = app.purge(retention_days).await {
                tracing::error!(%error, "retention purge failed; retrying in 24 hours");
            }
        }
    })
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;

    let applied = app
        .open_search_index()
        .await
        .context("cannot open the search index")?;
    tracing::info!(applied, "search index caught up with the store");
    let follower = app.spawn_search_follower();
    let purge = spawn_daily_purge(app.clone(), args.retention_days);

    let router = nearmiss_web::router(
        app,
        WebConfig {
            secure_cookies: args.secure_cookies,
        },
    );
    tracing::info!(url = %format!("http://{address}/"), data = %args.data.data.display(), "nearmiss started");
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if let Some(follower) = follower {
        follower.abort();
    }
    purge.abort();
    tracing::info!("nearmiss stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };

    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => tracing::info!("received Ctrl-C, shutting down"),
        () = terminate => tracing::info!("received SIGTERM, shutting down"),
    }
}
