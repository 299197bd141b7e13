//! The `nearmiss` command. Each subcommand turns its arguments into calls of `nearmiss_app`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod audit;
mod deid;
mod import;
mod reindex;
mod serve;
mod transfer;
mod user;

#[derive(Debug, Parser)]
#[command(
    name = "nearmiss",
    version,
    about = "Anonymous near-miss reporting and lessons learned for law enforcement"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server.
    Serve(serve::ServeArgs),
    /// Import reports from other systems, or a nearmiss export.
    Import(import::ImportArgs),
    /// Write every staff account, submission and report as JSON lines to standard output.
    Export(transfer::ExportArgs),
    /// Find and redact identifiers in JSON lines read from standard input.
    Deid,
    /// Replace keys/data.key and re-wrap every stored data key under the new key; stop every
    /// server first.
    RotateDataKey(transfer::RotateArgs),
    /// Show or change settings shared by every node.
    Settings(transfer::SettingsArgs),
    /// Destroy raw submission material past the retention period now.
    Purge(transfer::PurgeArgs),
    /// Write a consistent copy of the live SQLite database to a file.
    Backup(transfer::BackupArgs),
    /// Rebuild the search index from the database; stop `serve` on this data directory first.
    Reindex(reindex::ReindexArgs),
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Check the staff audit log.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
}

/// Where the data lives; shared by every subcommand that touches data.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Directory for the SQLite database, keys and other local files; created if missing.
    #[arg(long, env = "NEARMISS_DATA", default_value = "nearmiss-data")]
    pub data: PathBuf,
    /// PostgreSQL URL (postgres://...); without it the store is SQLite inside --data.
    #[arg(long, env = "NEARMISS_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl DataArgs {
    pub async fn open(&self) -> anyhow::Result<nearmiss_app::App> {
        Ok(nearmiss_app::App::open(&self.data, self.database_url.as_deref()).await?)
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEARMISS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Import(args) => import::run(args).await,
            Command::Export(args) => transfer::export(args).await,
            Command::Deid => deid::run(),
            Command::Purge(args) => transfer::purge(args).await,
            Command::Settings(args) => transfer::settings(args).await,
            Command::RotateDataKey(args) => transfer::rotate_data_key(args).await,
            Command::Backup(args) => transfer::backup(args).await,
            Command::Reindex(args) => reindex::run(args).await,
            Command::User { command } => user::run(command).await,
            Command::Audit { command } => audit::run(command).await,
        }
    });

    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
