//! Moving a whole instance between stores: `nearmiss export` writes JSON lines, and
//! `nearmiss import --format nearmiss` reads them into another store of either kind.
//!
//! The first line is a header with the format version. Each further line is one record:
//! `{"kind": "staff_user" | "submission" | "report", "data": {...}}`. Submissions, with their
//! receipt hash and review draft, travel sealed under `keys/data.key`, so the export reveals
//! no raw text; importing them needs the same `keys/data.key`, and their receipts check out
//! only where the same `keys/receipt.key` is installed. Import keeps ids and skips records
//! whose id already exists, so running it twice adds nothing.

use std::io::{BufRead, Write};

use nearmiss_core::staff::StaffUser;
use nearmiss_core::{Report, Role, Submission};
use serde::{Deserialize, Serialize};

use crate::{App, AppError, AppResult, ImportSummary};

pub const EXPORT_FORMAT: &str = "nearmiss-export";
pub const EXPORT_VERSION: u32 = 1;
const BATCH: i64 = 500;

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// A staff account with its password hash, which the domain type never serializes.
#[derive(Serialize, Deserialize)]
struct UserRecord {
    id: String,
    username: String,
    role: Role,
    password_hash: String,
    created_on: String,
}

/// A submission with what the domain type does not serialize, sealed as a whole.
#[derive(Serialize, Deserialize)]
struct SubmissionRecord {
    #[serde(flatten)]
    submission: Submission,
    /// Hex of the receipt's keyed hash.
    receipt_hash: Option<String>,
    /// The analyst's working copy, as JSON.
    review_draft: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct SealedSubmission {
    id: String,
    /// A `SubmissionRecord` as JSON, sealed under the key-encryption key.
    sealed: String,
}

fn transfer_aad(submission_id: &str) -> String {
    format!("export-submission:{submission_id}")
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
enum Record {
    StaffUser(UserRecord),
    Submission(SealedSubmission),
    Report(Report),
}

/// Counts of one export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub staff_users: usize,
    pub submissions: usize,
    pub reports: usize,
}

fn write_line(output: &mut impl Write, value: &impl Serialize) -> AppResult<()> {
    serde_json::to_writer(&mut *output, value)
        .and_then(|()| output.write_all(b"\n").map_err(serde_json::Error::io))
        .map_err(|error| AppError::Internal(format!("cannot write the export: {error}")))
}

impl App {
    /// Writes every staff account, submission and report.
    pub async fn export(&self, output: &mut impl Write) -> AppResult<ExportSummary> {
        let mut summary = ExportSummary::default();
        write_line(
            output,
            &Header {
                format: EXPORT_FORMAT.to_owned(),
                version: EXPORT_VERSION,
            },
        )?;

        for user in self.store.users().await? {
            let record = UserRecord {
                id: user.id,
                username: user.username,
                role: user.role,
                password_hash: user.password_hash,
                created_on: user.created_on,
            };
            write_line(output, &Record::StaffUser(record))?;
            summary.staff_users += 1;
        }

        let mut after = String::new();
        loop {
            let batch = self.store.submissions_after(&after, BATCH).await?;
            let Some(last) = batch.last() else {
                break;
            };
            after = last.id.clone();
            for submission in batch {
                let id = submission.id.clone();
                let record = SubmissionRecord {
                    receipt_hash: submission.receipt_hash.as_deref().map(hex::encode),
                    review_draft: self.store.review_draft(&id).await?,
                    submission,
                };
                let json = serde_json::to_string(&record).expect("serializing plain data to JSON cannot fail");
                let sealed = self.keys.sealer().seal_for_transfer(&json, &transfer_aad(&id));
                write_line(output, &Record::Submission(SealedSubmission { id, sealed }))?;
                summary.submissions += 1;
            }
        }

        let mut after = 0;
        loop {
            let batch = self.store.reports_changed_after(after, BATCH).await?;
            let Some(last) = batch.last() else {
                break;
            };
            after = last.change_number;
            for report in batch {
                write_line(output, &Record::Report(report))?;
                summary.reports += 1;
            }
        }

        output
            .flush()
            .map_err(|error| AppError::Internal(format!("cannot write the export: {error}")))?;
        Ok(summary)
    }

    /// Reads an export written by [`App::export`]. Invalid lines are skipped and listed by
    /// line number; records that exist already are counted and left alone.
    pub async fn import_export(&self, input: impl BufRead) -> AppResult<ImportSummary> {
        let mut summary = ImportSummary::default();
        let mut lines = input.lines().enumerate();

        let header = match lines.next() {
            Some((_, Ok(line))) => serde_json::from_str::<Header>(&line).ok(),
            _ => None,
        };
        match header {
            Some(header) if header.format == EXPORT_FORMAT && header.version == EXPORT_VERSION => {}
            _ => {
                return Err(AppError::BadRequest(format!(
                    "not a nearmiss export: the first line must be {{\"format\": \"{EXPORT_FORMAT}\", \"version\": {EXPORT_VERSION}}}"
                )))
            }
        }

        for (index, line) in lines {
            let line_number = index as u64 + 1;
            let line = line.map_err(|error| AppError::BadRequest(format!("line {line_number}: {error}")))?;
            if line.trim().is_empty() {
                continue;
            }
            summary.read += 1;

            let record = match serde_json::from_str::<Record>(&line) {
                Ok(record) => record,
                Err(error) => {
                    summary
                        .invalid
                        .push((line_number, format!("invalid record: {error}")));
                    continue;
                }
            };
            match self.import_record(record).await {
                Ok(true) => summary.imported += 1,
                Ok(false) => summary.already_present += 1,
                Err(AppError::BadRequest(reason)) => summary.invalid.push((line_number, reason)),
                Err(other) => return Err(other),
            }
        }
        Ok(summary)
    }

    async fn import_record(&self, record: Record) -> AppResult<bool> {
        match record {
            Record::StaffUser(user) => {
                let user = StaffUser {
                    id: user.id,
                    username: user.username,
                    role: user.role,
                    password_hash: user.password_hash,
                    created_on: user.created_on,
                };
                Ok(self.store.import_user(&user).await?)
            }
            Record::Submission(SealedSubmission { id, sealed }) => {
                let json = self.keys.sealer().open_transfer(&sealed, &transfer_aad(&id)).map_err(|error| {
                    AppError::BadRequest(format!("submission {id}: {error}; is keys/data.key the source's?"))
                })?;
                let record: SubmissionRecord = serde_json::from_str(&json)
                    .map_err(|error| AppError::BadRequest(format!("submission {id}: invalid record: {error}")))?;
                let mut submission = record.submission;
                submission.receipt_hash = match record.receipt_hash {
                    Some(hash) => Some(hex::decode(&hash).map_err(|_| {
                        AppError::BadRequest(format!("submission {}: receipt_hash is not hex", submission.id))
                    })?),
                    None => None,
                };

                let imported = self.store.import_submission(&submission).await?;
                if let (true, Some(draft)) = (imported, record.review_draft) {
                    self.store.save_review_draft(&submission.id, &draft).await?;
                }
                Ok(imported)
            }
            Record::Report(report) => Ok(self.store.insert_report(&report).await?.is_some()),
        }
    }

    /// Writes a consistent copy of the live database to `target`.
    pub async fn backup(&self, target: &std::path::Path) -> AppResult<()> {
        if target.exists() {
            return Err(AppError::BadRequest(format!(
                "{} exists: choose a new file name for the backup",
                target.display()
            )));
        }
        Ok(self.store.backup_to(target).await?)
    }
}
