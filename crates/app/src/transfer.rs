//! Moving a whole instance between stores: `nearmiss export` writes JSON lines, and
//! `nearmiss import --format nearmiss` reads them into another store of either kind.
//!
//! The first line is a header with the format version. Each further line is one record:
//! `{"kind": "staff_user" | "submission" | "report", "data": {...}}`. Submissions, with their
//! receipt hash, review draft and attachments, travel sealed under `keys/data.key`, so the
//! export reveals no raw text or image; importing them needs the same `keys/data.key`, and their
//! receipts check out only where the same `keys/receipt.key` is installed. Import keeps ids and
//! skips records whose id already exists, so running it twice adds nothing.

use std::io::{BufRead, Write};

use nearmiss_core::staff::StaffUser;
use nearmiss_core::{Report, Role, Submission};
use nearmiss_store::{Attachment, AttachmentInfo};
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
    /// The confirmed TOTP secret and last used step, sealed under the key-encryption key.
    #[serde(default)]
    totp: Option<String>,
}

/// A TOTP secret inside a sealed `UserRecord::totp`.
#[derive(Serialize, Deserialize)]
struct TotpRecord {
    secret: String,
    last_step: i64,
}

fn totp_aad(user_id: &str) -> String {
    format!("export-totp:{user_id}")
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
    /// The re-encoded images; absent in exports written before attachments existed.
    #[serde(default)]
    attachments: Vec<AttachmentRecord>,
}

/// One attachment inside a sealed submission record.
#[derive(Serialize, Deserialize)]
struct AttachmentRecord {
    id: String,
    position: i64,
    format: String,
    width: i64,
    height: i64,
    /// Hex of the re-encoded image file.
    bytes: String,
}

impl AttachmentRecord {
    fn new(attachment: Attachment) -> Self {
        let info = attachment.info;
        AttachmentRecord {
            id: info.id,
            position: info.position,
            format: info.format,
            width: info.width,
            height: info.height,
            bytes: hex::encode(attachment.bytes),
        }
    }

    fn into_attachment(self, submission_id: &str) -> AppResult<Attachment> {
        let invalid = |problem: &str| {
            AppError::BadRequest(format!(
                "submission {submission_id}: attachment {}: {problem}",
                self.position
            ))
        };
        if crate::attachments::media_type(&self.format).is_none() {
            return Err(invalid("format must be jpeg, png or webp"));
        }
        if self.position < 1 {
            return Err(invalid("position must be 1 or more"));
        }
        let bytes = hex::decode(&self.bytes).map_err(|_| invalid("bytes are not hex"))?;
        Ok(Attachment {
            info: AttachmentInfo {
                id: self.id,
                position: self.position,
                format: self.format,
                width: self.width,
                height: self.height,
            },
            bytes,
        })
    }
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
    Setting { name: String, value: String },
    Audit(nearmiss_core::audit::AuditEntry),
    Submission(SealedSubmission),
    Report(Report),
}

/// Counts of one export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub staff_users: usize,
    pub audit_entries: usize,
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
            let totp = self.store.totp(&user.id).await?.map(|totp| {
                let record = TotpRecord {
                    secret: hex::encode(&totp.secret),
                    last_step: totp.last_step,
                };
                let json =
                    serde_json::to_string(&record).expect("serializing plain data to JSON cannot fail");
                self.keys.sealer().seal_for_transfer(&json, &totp_aad(&user.id))
            });
            let record = UserRecord {
                totp,
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
                let mut attachments = Vec::new();
                for info in self.store.attachment_infos(&id).await? {
                    if let Some(attachment) = self.store.attachment(&id, info.position).await? {
                        attachments.push(AttachmentRecord::new(attachment));
                    }
                }
                let record = SubmissionRecord {
                    receipt_hash: submission.receipt_hash.as_deref().map(hex::encode),
                    review_draft: self.store.review_draft(&id).await?,
                    submission,
                    attachments,
                };
                let json =
                    serde_json::to_string(&record).expect("serializing plain data to JSON cannot fail");
                let sealed = self.keys.sealer().seal_for_transfer(&json, &transfer_aad(&id));
                write_line(output, &Record::Submission(SealedSubmission { id, sealed }))?;
                summary.submissions += 1;
            }
        }

        if let Some(value) = self.store.setting(crate::settings::PUBLISH_APPROVALS).await? {
            let name = crate::settings::PUBLISH_APPROVALS.to_owned();
            write_line(output, &Record::Setting { name, value })?;
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

        let mut after = 0;
        loop {
            let batch = self.store.audit_entries_after(after, BATCH).await?;
            let Some(last) = batch.last() else {
                break;
            };
            after = last.seq;
            for entry in batch {
                write_line(output, &Record::Audit(entry))?;
                summary.audit_entries += 1;
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
                let totp = user.totp;
                let user = StaffUser {
                    id: user.id,
                    username: user.username,
                    role: user.role,
                    password_hash: user.password_hash,
                    created_on: user.created_on,
                };
                let imported = self.store.import_user(&user).await?;
                if let (true, Some(sealed)) = (imported, totp) {
                    let json = self
                        .keys
                        .sealer()
                        .open_transfer(&sealed, &totp_aad(&user.id))
                        .map_err(|error| {
                            AppError::BadRequest(format!("staff account {}: {error}", user.username))
                        })?;
                    let record: TotpRecord = serde_json::from_str(&json).map_err(|error| {
                        AppError::BadRequest(format!(
                            "staff account {}: invalid TOTP record: {error}",
                            user.username
                        ))
                    })?;
                    let secret = hex::decode(&record.secret).map_err(|_| {
                        AppError::BadRequest(format!(
                            "staff account {}: TOTP secret is not hex",
                            user.username
                        ))
                    })?;
                    self.store
                        .insert_totp(&user.id, &secret, record.last_step)
                        .await?;
                }
                Ok(imported)
            }
            Record::Setting { name, value } => {
                if self.store.setting(&name).await?.as_deref() == Some(value.as_str()) {
                    return Ok(false);
                }
                self.store.set_setting(&name, &value).await?;
                Ok(true)
            }
            Record::Audit(entry) => match self.store.import_audit_entry(&entry).await {
                Err(nearmiss_store::StoreError::Conflict(message)) => Err(AppError::BadRequest(message)),
                other => Ok(other?),
            },
            Record::Submission(SealedSubmission { id, sealed }) => {
                let json = self
                    .keys
                    .sealer()
                    .open_transfer(&sealed, &transfer_aad(&id))
                    .map_err(|error| {
                        AppError::BadRequest(format!(
                            "submission {id}: {error}; is keys/data.key the source's?"
                        ))
                    })?;
                let record: SubmissionRecord = serde_json::from_str(&json).map_err(|error| {
                    AppError::BadRequest(format!("submission {id}: invalid record: {error}"))
                })?;
                let mut submission = record.submission;
                submission.receipt_hash = match record.receipt_hash {
                    Some(hash) => Some(hex::decode(&hash).map_err(|_| {
                        AppError::BadRequest(format!("submission {}: receipt_hash is not hex", submission.id))
                    })?),
                    None => None,
                };

                let attachments = record
                    .attachments
                    .into_iter()
                    .map(|attachment| attachment.into_attachment(&submission.id))
                    .collect::<AppResult<Vec<Attachment>>>()?;

                let imported = self.store.import_submission(&submission, &attachments).await?;
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
