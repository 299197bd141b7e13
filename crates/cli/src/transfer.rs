//! `nearmiss export`, `nearmiss backup` and `nearmiss purge`: whole-instance data handling.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::DataArgs;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    data: DataArgs,
    /// File to write the SQLite backup to; it must not exist yet.
    #[arg(long)]
    out: PathBuf,
}

/// Writes the export to standard output and the counts to standard error.
pub async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    let stdout = std::io::stdout();
    let mut output = std::io::BufWriter::new(stdout.lock());
    let summary = app.export(&mut output).await?;
    output.flush()?;
    eprintln!(
        "exported {} staff accounts, {} submissions, {} reports, {} audit entries",
        summary.staff_users, summary.submissions, summary.reports, summary.audit_entries
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Destroy the raw material of submissions decided at least this many days ago; 0 destroys
    /// it for every submission already published or rejected.
    #[arg(long, env = "NEARMISS_RETENTION_DAYS", default_value_t = nearmiss_app::DEFAULT_RETENTION_DAYS)]
    retention_days: u32,
}

pub async fn purge(args: PurgeArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    let purged = app.purge(args.retention_days).await?;
    println!("destroyed the raw material of {purged} submissions");
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    #[command(flatten)]
    data: DataArgs,
}

pub async fn rotate_data_key(args: RotateArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    let rewrapped = app.rotate_data_key().await?;
    println!(
        "re-wrapped {rewrapped} data keys under a new keys/data.key; the old key is keys/data.key.previous"
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    #[command(flatten)]
    data: DataArgs,
    /// How many distinct analysts must approve a report before it is published (1 to 5; the
    /// default of 2 is the two-person rule).
    #[arg(long)]
    publish_approvals: Option<String>,
}

/// Shows the settings, changing those given.
pub async fn settings(args: SettingsArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    if let Some(value) = &args.publish_approvals {
        app.set_publish_approvals_as_operator(value).await?;
    }
    println!("publish_approvals = {}", app.publish_approvals().await?);
    Ok(ExitCode::SUCCESS)
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    app.backup(&args.out).await?;
    println!("wrote backup {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
