//! The embedded default store: one SQLite file in WAL mode. Writes go through a single
//! connection, so that they queue in the pool instead of spinning on SQLITE_BUSY; reads use a
//! pool of their own. `synchronous=FULL` makes every acknowledged commit survive a power loss.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use nearmiss_core::report::QuasiIdentifiers;
use nearmiss_core::staff::{Role, StaffUser};
use nearmiss_core::{Report, ReportSource, Submission, SubmissionInput, SubmissionStatus};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Executor, Row, SqlitePool};

use crate::sealing::{attachment_aad, draft_aad, input_aad, Sealer};
use crate::{
    decode_json, encode_json, require_sealer, Attachment, AttachmentInfo, StaffSession, Store, StoreError,
    StoreResult,
};

mod group_commit;
mod security;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_review_drafts.sql")),
    (3, include_str!("../migrations/sqlite/0003_staff_security.sql")),
    (
        4,
        include_str!("../migrations/sqlite/0004_sealed_submissions.sql"),
    ),
    (5, include_str!("../migrations/sqlite/0005_attachments.sql")),
];

const REPORT_COLUMNS: &str = "id, change_number, source, source_key, title, summary, what_happened, \
     lessons_learned, recommendations, event_type, contributing_factors, context, event_month, \
     source_tags, published_on";

#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    path: PathBuf,
    sealer: Option<Arc<Sealer>>,
    group: group_commit::GroupCommitter,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(10));

        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        migrate(&writer).await?;

        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() * 2) as u32;
        let reader = SqlitePoolOptions::new()
            .max_connections(readers)
            .connect_with(options.read_only(true))
            .await?;
        let group = group_commit::GroupCommitter::start(writer.clone());
        Ok(SqliteStore {
            writer,
            reader,
            path: path.to_owned(),
            sealer: None,
            group,
        })
    }

    /// Sets the key-encryption key that seals raw submission material; a store without one
    /// refuses to store or read submissions.
    pub fn with_sealer(mut self, sealer: Arc<Sealer>) -> Self {
        self.sealer = Some(sealer);
        self
    }
}

async fn migrate(pool: &SqlitePool) -> StoreResult<()> {
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")
        .execute(pool)
        .await?;

    for (version, sql) in MIGRATIONS {
        // IMMEDIATE takes the write lock before the check, so that two processes opening a new
        // file at once (a server and a CLI command, say) do not both try to migrate.
        let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *transaction)
                .await?;
        if applied.is_some() {
            continue;
        }

        // Executing a plain string runs several statements; unlike `sqlx::raw_sql`, its future
        // is `Send`, so `open` can run inside `tokio::spawn`.
        (&mut *transaction)
            .execute(*sql)
            .await
            .map_err(|source| StoreError::Migration {
                version: *version,
                source,
            })?;
        sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
            .bind(version)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        tracing::info!(version, "applied SQLite migration");
    }
    Ok(())
}

/// Decodes a submission row, opening its sealed input with its data key. A row whose data key
/// is gone had its raw material destroyed.
fn submission_from_row(row: &SqliteRow, sealer: Option<&Sealer>) -> StoreResult<Submission> {
    let id: String = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    let wrapped_key: Option<Vec<u8>> = row.try_get("wrapped_key")?;
    let (input, raw_destroyed) = match wrapped_key {
        Some(wrapped) => {
            let key = require_sealer(sealer)?.unwrap_data_key(&id, &wrapped)?;
            let sealed: String = row.try_get("input")?;
            (decode_json("input", &key.open(&sealed, &input_aad(&id))?)?, false)
        }
        None => (SubmissionInput::default(), true),
    };
    Ok(Submission {
        id,
        received_on: row.try_get("received_on")?,
        status: SubmissionStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("submission status {status:?}")))?,
        input,
        decision_reason: row.try_get("decision_reason")?,
        report_id: row.try_get("report_id")?,
        decided_on: row.try_get("decided_on")?,
        receipt_hash: row.try_get("receipt_hash")?,
        raw_destroyed,
    })
}

fn report_from_row(row: &SqliteRow) -> StoreResult<Report> {
    let source: String = row.try_get("source")?;
    Ok(Report {
        id: row.try_get("id")?,
        change_number: row.try_get("change_number")?,
        source: ReportSource::parse(&source)
            .ok_or_else(|| StoreError::Corrupt(format!("report source {source:?}")))?,
        source_key: row.try_get("source_key")?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        what_happened: row.try_get("what_happened")?,
        lessons_learned: row.try_get("lessons_learned")?,
        recommendations: row.try_get("recommendations")?,
        event_type: row.try_get("event_type")?,
        contributing_factors: decode_json("contributing_factors", row.try_get("contributing_factors")?)?,
        context: decode_json("context", row.try_get("context")?)?,
        event_month: row.try_get("event_month")?,
        source_tags: decode_json("source_tags", row.try_get("source_tags")?)?,
        published_on: row.try_get("published_on")?,
    })
}

fn user_from_row(row: &SqliteRow) -> StoreResult<StaffUser> {
    let role: String = row.try_get("role")?;
    Ok(StaffUser {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("staff role {role:?}")))?,
        password_hash: row.try_get("password_hash")?,
        created_on: row.try_get("created_on")?,
    })
}

/// Inserts a report inside an open write transaction, numbering it after the highest change
/// number; the single writer connection makes MAX()+1 race-free.
async fn insert_report_in(
    connection: &mut sqlx::SqliteConnection,
    report: &Report,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!(
        "INSERT INTO reports ({REPORT_COLUMNS}) \
         VALUES ($1, (SELECT COALESCE(MAX(change_number), 0) + 1 FROM reports), $2, $3, $4, $5, $6, \
                 $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT DO NOTHING \
         RETURNING change_number"
    );
    sqlx::query_scalar(&sql)
        .bind(&report.id)
        .bind(report.source.as_str())
        .bind(&report.source_key)
        .bind(&report.title)
        .bind(&report.summary)
        .bind(&report.what_happened)
        .bind(&report.lessons_learned)
        .bind(&report.recommendations)
        .bind(&report.event_type)
        .bind(encode_json(&report.contributing_factors))
        .bind(encode_json(&report.context))
        .bind(&report.event_month)
        .bind(encode_json(&report.source_tags))
        .bind(&report.published_on)
        .fetch_optional(connection)
        .await
}

/// Inserts one attachment row, its bytes already sealed, inside an open transaction.
async fn insert_attachment_in(
    connection: &mut sqlx::SqliteConnection,
    submission_id: &str,
    info: &AttachmentInfo,
    sealed: Vec<u8>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO attachments (id, submission_id, position, format, width, height, sealed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&info.id)
    .bind(submission_id)
    .bind(info.position)
    .bind(&info.format)
    .bind(info.width)
    .bind(info.height)
    .bind(sealed)
    .execute(connection)
    .await?;
    Ok(())
}

fn attachment_info_from_row(row: &SqliteRow) -> StoreResult<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: row.try_get("id")?,
        position: row.try_get("position")?,
        format: row.try_get("format")?,
        width: row.try_get("width")?,
        height: row.try_get("height")?,
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn insert_submission_with_attachments(
        &self,
        submission: &Submission,
        review_draft: &str,
        attachments: &[Attachment],
    ) -> StoreResult<()> {
        let (key, wrapped_key) = require_sealer(self.sealer.as_deref())?.new_data_key(&submission.id);
        let input = key.seal(&encode_json(&submission.input), &input_aad(&submission.id));
        let draft = key.seal(review_draft, &draft_aad(&submission.id));
        let attachments = attachments
            .iter()
            .map(|attachment| {
                let aad = attachment_aad(&submission.id, &attachment.info.id);
                (attachment.info.clone(), key.seal_bytes(&attachment.bytes, &aad))
            })
            .collect();

        self.group
            .write(group_commit::GroupWrite::Submission {
                id: submission.id.clone(),
                received_on: submission.received_on.clone(),
                status: submission.status.as_str(),
                input,
                wrapped_key,
                draft,
                attachments,
            })
            .await
    }

    async fn attachment_infos(&self, submission_id: &str) -> StoreResult<Vec<AttachmentInfo>> {
        let rows = sqlx::query(
            "SELECT id, position, format, width, height FROM attachments WHERE submission_id = $1 ORDER BY position",
        )
        .bind(submission_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(attachment_info_from_row).collect()
    }

    async fn attachment(&self, submission_id: &str, position: i64) -> StoreResult<Option<Attachment>> {
        let row = sqlx::query(
            "SELECT a.id, a.position, a.format, a.width, a.height, a.sealed, s.wrapped_key \
             FROM attachments a JOIN submissions s ON s.id = a.submission_id \
             WHERE a.submission_id = $1 AND a.position = $2",
        )
        .bind(submission_id)
        .bind(position)
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let Some(wrapped) = row.try_get::<Option<Vec<u8>>, _>("wrapped_key")? else {
            return Ok(None);
        };
        let key = require_sealer(self.sealer.as_deref())?.unwrap_data_key(submission_id, &wrapped)?;
        let info = attachment_info_from_row(&row)?;
        let sealed: Vec<u8> = row.try_get("sealed")?;
        let bytes = key.open_bytes(&sealed, &attachment_aad(submission_id, &info.id))?;
        Ok(Some(Attachment { info, bytes }))
    }

    async fn attach_receipt(&self, submission_id: &str, receipt_hash: &[u8]) -> StoreResult<()> {
        self.group
            .write(group_commit::GroupWrite::Receipt {
                submission_id: submission_id.to_owned(),
                receipt_hash: receipt_hash.to_vec(),
            })
            .await
    }

    async fn submission(&self, id: &str) -> StoreResult<Option<Submission>> {
        let row = sqlx::query("SELECT * FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref()
            .map(|row| submission_from_row(row, self.sealer.as_deref()))
            .transpose()
    }

    async fn submission_by_receipt_hash(&self, receipt_hash: &[u8]) -> StoreResult<Option<Submission>> {
        let row = sqlx::query("SELECT * FROM submissions WHERE receipt_hash = $1")
            .bind(receipt_hash)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref()
            .map(|row| submission_from_row(row, self.sealer.as_deref()))
            .transpose()
    }

    async fn submissions_with_status(
        &self,
        status: SubmissionStatus,
        limit: i64,
    ) -> StoreResult<Vec<Submission>> {
        let rows =
            sqlx::query("SELECT * FROM submissions WHERE status = $1 ORDER BY received_on, id LIMIT $2")
                .bind(status.as_str())
                .bind(limit)
                .fetch_all(&self.reader)
                .await?;
        rows.iter()
            .map(|row| submission_from_row(row, self.sealer.as_deref()))
            .collect()
    }

    async fn publish_submission(
        &self,
        submission_id: &str,
        report: &Report,
        decided_on: &str,
    ) -> StoreResult<Report> {
        let mut transaction = self.writer.begin().await?;
        let updated = sqlx::query(
            "UPDATE submissions SET status = 'published', report_id = $1, decided_on = $2 \
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(&report.id)
        .bind(decided_on)
        .bind(submission_id)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "submission {submission_id} is not pending"
            )));
        }

        let change_number = insert_report_in(&mut transaction, report)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("report {} already exists", report.id)))?;
        transaction.commit().await?;
        Ok(Report {
            change_number,
            ..report.clone()
        })
    }

    async fn reject_submission(
        &self,
        submission_id: &str,
        reason: &str,
        decided_on: &str,
    ) -> StoreResult<()> {
        let updated = sqlx::query(
            "UPDATE submissions SET status = 'rejected', decision_reason = $1, decided_on = $2 \
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(reason)
        .bind(decided_on)
        .bind(submission_id)
        .execute(&self.writer)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "submission {submission_id} is not pending"
            )));
        }
        Ok(())
    }

    async fn insert_report(&self, report: &Report) -> StoreResult<Option<i64>> {
        let mut connection = self.writer.acquire().await?;
        Ok(insert_report_in(&mut connection, report).await?)
    }

    async fn count_reports(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM reports")
            .fetch_one(&self.reader)
            .await?)
    }

    async fn list_reports(&self, offset: i64, limit: i64) -> StoreResult<Vec<Report>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports \
             ORDER BY published_on DESC, event_month DESC, change_number DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(report_from_row).collect()
    }

    async fn report(&self, id: &str) -> StoreResult<Option<Report>> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.reader).await?;
        row.as_ref().map(report_from_row).transpose()
    }

    async fn reports_changed_after(&self, after: i64, limit: i64) -> StoreResult<Vec<Report>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE change_number > $1 ORDER BY change_number LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(report_from_row).collect()
    }

    async fn submissions_after(&self, after: &str, limit: i64) -> StoreResult<Vec<Submission>> {
        let rows = sqlx::query("SELECT * FROM submissions WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|row| submission_from_row(row, self.sealer.as_deref()))
            .collect()
    }

    async fn import_submission(
        &self,
        submission: &Submission,
        attachments: &[Attachment],
    ) -> StoreResult<bool> {
        let (input, wrapped, sealed) = if submission.raw_destroyed {
            (String::new(), None, Vec::new())
        } else {
            let (key, wrapped) = require_sealer(self.sealer.as_deref())?.new_data_key(&submission.id);
            let sealed: Vec<Vec<u8>> = attachments
                .iter()
                .map(|attachment| {
                    key.seal_bytes(
                        &attachment.bytes,
                        &attachment_aad(&submission.id, &attachment.info.id),
                    )
                })
                .collect();
            (
                key.seal(&encode_json(&submission.input), &input_aad(&submission.id)),
                Some(wrapped),
                sealed,
            )
        };

        let mut transaction = self.writer.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO submissions \
             (id, received_on, status, receipt_hash, input, decision_reason, report_id, decided_on, wrapped_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(&submission.id)
        .bind(&submission.received_on)
        .bind(submission.status.as_str())
        .bind(&submission.receipt_hash)
        .bind(input)
        .bind(&submission.decision_reason)
        .bind(&submission.report_id)
        .bind(&submission.decided_on)
        .bind(wrapped)
        .execute(&mut *transaction)
        .await?;
        if inserted.rows_affected() == 0 {
            return Ok(false);
        }
        for (attachment, sealed) in attachments.iter().zip(sealed) {
            insert_attachment_in(&mut transaction, &submission.id, &attachment.info, sealed).await?;
        }
        transaction.commit().await?;
        Ok(true)
    }

    async fn save_review_draft(&self, submission_id: &str, draft: &str) -> StoreResult<()> {
        let wrapped: Option<Option<Vec<u8>>> =
            sqlx::query_scalar("SELECT wrapped_key FROM submissions WHERE id = $1")
                .bind(submission_id)
                .fetch_optional(&self.writer)
                .await?;
        let Some(wrapped) = wrapped else {
            return Err(StoreError::NotFound(format!("submission {submission_id}")));
        };
        let Some(wrapped) = wrapped else {
            return Err(StoreError::Conflict(format!(
                "the raw material of submission {submission_id} was destroyed after the retention period"
            )));
        };
        let key = require_sealer(self.sealer.as_deref())?.unwrap_data_key(submission_id, &wrapped)?;

        sqlx::query(
            "INSERT INTO review_drafts (submission_id, draft) VALUES ($1, $2) \
             ON CONFLICT (submission_id) DO UPDATE SET draft = excluded.draft",
        )
        .bind(submission_id)
        .bind(key.seal(draft, &draft_aad(submission_id)))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn review_draft(&self, submission_id: &str) -> StoreResult<Option<String>> {
        let row = sqlx::query(
            "SELECT d.draft, s.wrapped_key FROM review_drafts d JOIN submissions s ON s.id = d.submission_id \
             WHERE d.submission_id = $1",
        )
        .bind(submission_id)
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let Some(wrapped) = row.try_get::<Option<Vec<u8>>, _>("wrapped_key")? else {
            return Ok(None);
        };
        let key = require_sealer(self.sealer.as_deref())?.unwrap_data_key(submission_id, &wrapped)?;
        let sealed: String = row.try_get("draft")?;
        Ok(Some(key.open(&sealed, &draft_aad(submission_id))?))
    }

    async fn purge_raw_material(&self, decided_on_or_before: &str) -> StoreResult<u64> {
        let mut transaction = self.writer.begin().await?;
        sqlx::query(
            "DELETE FROM review_drafts WHERE submission_id IN \
             (SELECT id FROM submissions WHERE wrapped_key IS NOT NULL AND decided_on <= $1)",
        )
        .bind(decided_on_or_before)
        .execute(&mut *transaction)
        .await?;
        sqlx::query(
            "DELETE FROM attachments WHERE submission_id IN \
             (SELECT id FROM submissions WHERE wrapped_key IS NOT NULL AND decided_on <= $1)",
        )
        .bind(decided_on_or_before)
        .execute(&mut *transaction)
        .await?;
        let purged = sqlx::query(
            "UPDATE submissions SET wrapped_key = NULL, input = '' \
             WHERE wrapped_key IS NOT NULL AND decided_on <= $1",
        )
        .bind(decided_on_or_before)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        transaction.commit().await?;

        // secure_delete zeroes the freed bytes in the database file. The checkpoint then copies the
        // zeroed pages back from the WAL and truncates it, so no old page image stays behind.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await?;
        Ok(purged)
    }

    async fn rewrap_data_keys(&self, new: &Sealer) -> StoreResult<u64> {
        let sealer = require_sealer(self.sealer.as_deref())?;
        let mut transaction = self.writer.begin().await?;
        let rows: Vec<(String, Vec<u8>)> =
            sqlx::query_as("SELECT id, wrapped_key FROM submissions WHERE wrapped_key IS NOT NULL")
                .fetch_all(&mut *transaction)
                .await?;
        for (id, wrapped) in &rows {
            sqlx::query("UPDATE submissions SET wrapped_key = $1 WHERE id = $2")
                .bind(sealer.rewrap(id, wrapped, new)?)
                .bind(id)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(rows.len() as u64)
    }

    async fn count_reports_sharing(&self, key: &QuasiIdentifiers) -> StoreResult<i64> {
        let sql = "SELECT COUNT(*) FROM reports WHERE event_type = $1 AND event_month = $2 \
                   AND COALESCE(json_extract(context, '$.state'), '') = $3 \
                   AND COALESCE(json_extract(context, '$.agency_type'), '') = $4 \
                   AND COALESCE(json_extract(context, '$.agency_size'), '') = $5";
        Ok(sqlx::query_scalar(sql)
            .bind(&key.event_type)
            .bind(&key.event_month)
            .bind(&key.state)
            .bind(&key.agency_type)
            .bind(&key.agency_size)
            .fetch_one(&self.reader)
            .await?)
    }

    async fn users(&self) -> StoreResult<Vec<StaffUser>> {
        let rows = sqlx::query("SELECT * FROM staff_users ORDER BY username")
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn import_user(&self, user: &StaffUser) -> StoreResult<bool> {
        let inserted = sqlx::query(
            "INSERT INTO staff_users (id, username, role, password_hash, created_on) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&user.id)
        .bind(&user.username)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(&user.created_on)
        .execute(&self.writer)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn insert_user(&self, user: &StaffUser) -> StoreResult<()> {
        let inserted = sqlx::query(
            "INSERT INTO staff_users (id, username, role, password_hash, created_on) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (username) DO NOTHING",
        )
        .bind(&user.id)
        .bind(&user.username)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(&user.created_on)
        .execute(&self.writer)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "username {:?} is taken",
                user.username
            )));
        }
        Ok(())
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<StaffUser>> {
        let row = sqlx::query("SELECT * FROM staff_users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn insert_session(
        &self,
        token_hash: &[u8],
        user_id: &str,
        csrf_token: &str,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &[u8]) -> StoreResult<Option<StaffSession>> {
        let row = sqlx::query(
            "SELECT u.*, s.csrf_token, s.created_at, s.last_seen_at \
             FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(StaffSession {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            created_at: row.try_get("created_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
        }))
    }

    async fn touch_session(&self, token_hash: &[u8], now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    /// `VACUUM INTO` writes a consistent, compacted copy while the database stays online.
    async fn backup_to(&self, target: &Path) -> StoreResult<()> {
        let target = target.to_str().ok_or_else(|| {
            StoreError::File(format!("backup path {} is not valid UTF-8", target.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.reader)
            .await?;
        Ok(())
    }

    fn coarsen_file_times(&self) -> StoreResult<()> {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let midnight = UNIX_EPOCH + Duration::from_secs(seconds - seconds % 86_400);
        let times = std::fs::FileTimes::new()
            .set_modified(midnight)
            .set_accessed(midnight);

        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let Ok(file) = std::fs::File::options().write(true).open(&name) else {
                continue;
            };
            file.set_times(times).map_err(|error| {
                StoreError::File(format!(
                    "cannot set the file times of {}: {error}",
                    PathBuf::from(&name).display()
                ))
            })?;
        }
        Ok(())
    }
}
