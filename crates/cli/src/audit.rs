//! `nearmiss audit`: checks the hash chain of the staff audit log.

use std::process::ExitCode;

use clap::Subcommand;
use nearmiss_app::AuditVerification;

use crate::DataArgs;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log from its first entry and check every link. Exits 0 with the number
    /// of entries and the hash of the last one, or 1 naming the first entry that fails.
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

pub async fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify { data } => {
            let app = data.open().await?;
            match app.verify_audit().await? {
                AuditVerification::Intact { entries, head_hash } => {
                    println!("audit log intact: {entries} entries, last entry hash {head_hash}");
                    Ok(ExitCode::SUCCESS)
                }
                AuditVerification::Broken(broken) => {
                    eprintln!("audit log broken at entry {}: {broken}", broken.seq());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
