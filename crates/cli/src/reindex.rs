//! `nearmiss reindex`: rebuild the search index of a data directory from the database.

use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::DataArgs;

#[derive(Debug, Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    data: DataArgs,
}

pub async fn run(args: ReindexArgs) -> anyhow::Result<ExitCode> {
    let app = args.data.open().await?;
    let started = Instant::now();
    let count = app.rebuild_search_index().await?;
    println!(
        "search index rebuilt: {count} reports in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
