//! `nearmiss import`: bring reports from other systems in as published reports.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::DataArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// NASA ASRS Database Online CSV export (two header rows).
    Asrs,
    /// A file written by `nearmiss export`; `-` reads standard input.
    Nearmiss,
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

async fn import_export_file(
    app: &nearmiss_app::App,
    file: &std::path::Path,
) -> Result<nearmiss_app::ImportSummary, nearmiss_app::AppError> {
    if file.as_os_str() == "-" {
        return app.import_export(std::io::stdin().lock()).await;
    }
    let opened = std::fs::File::open(file)
        .map_err(|error| nearmiss_app::AppError::BadRequest(format!("{}: {error}", file.display())))?;
    app.import_export(std::io::BufReader::new(opened)).await
}

pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    let mut failed = false;

    for file in &args.files {
        let summary = match args.format {
            Format::Asrs => app.import_asrs(file).await,
            Format::Nearmiss => import_export_file(&app, file).await,
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
