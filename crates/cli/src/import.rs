//! `nearmiss import`: bring reports from other systems in as published reports.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::DataArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// NASA ASRS Database Online CSV export (two header rows).
    Asrs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Format of the input files.
    #[arg(long, value_enum)]
    format: Format,
    /// Files to import.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    let mut failed = false;

    for file in &args.files {
        let summary = match args.format {
            Format::Asrs => app.import_asrs(file).await,
        };
        let summary = match summary {
            Ok(summary) => summary,
            Err(error) => {
                eprintln!("error: {error}");
                failed = true;
                continue;
            }
        };

        for (line, reason) in &summary.invalid {
            eprintln!("{}:{line}: skipped invalid row: {reason}", file.display());
        }
        println!(
            "{}: read {}, imported {}, skipped {} ({} already present, {} invalid)",
            file.display(),
            summary.read,
            summary.imported,
            summary.skipped(),
            summary.already_present,
            summary.invalid.len()
        );
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
