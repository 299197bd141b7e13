//! The shared store for several nodes: one PostgreSQL database. Every write is a single
//! statement or one transaction, and a commit returns only after PostgreSQL has flushed it to
//! its write-ahead log, unless the server runs with `synchronous_commit = off` (a warning is
//! logged at connect time in that case). Change numbers come from a sequence, so they are
//! unique and grow, but a transaction that took a lower number can commit after one that took a
//! higher number.

use std::str::FromStr;
use std::sync::Arc;

use async_trait::async_trait;
use nearmiss_core::report::QuasiIdentifiers;
use nearmiss_core::staff::{Role, StaffUser};
use nearmiss_core::{Report, ReportSource, Submission, SubmissionInput, SubmissionStatus};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{Connection, Executor, PgConnection, PgPool, Postgres, Row};

use crate::sealing::{attachment_aad, draft_aad, input_aad, Sealer};
use crate::{
    decode_json, encode_json, redact_database_url, require_sealer, Attachment, AttachmentInfo, StaffSession,
    Store, StoreError, StoreResult,
};

mod security;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_review_drafts.sql")),
    (3, include_str!("../migrations/postgres/0003_staff_security.sql")),
    (
        4,
        include_str!("../migrations/postgres/0004_sealed_submissions.sql"),
    ),
    (5, include_str!("../migrations/postgres/0005_attachments.sql")),
];

/// Key of the transaction-level advisory lock that lets one node at a time migrate. Advisory
/// locks are scoped to a database, so stores in different schemas of one database also wait
/// for each other. Scheduled jobs must not use this key with [`PostgresStore::try_advisory_lock`].
pub const MIGRATION_LOCK_KEY: i64 = 0x6e65_6172_6d69_7373;

/// Key of the transaction-level advisory lock held while one node purges raw material.
pub const PURGE_LOCK_KEY: i64 = 0x6e65_6172_7075_7267;

const REPORT_COLUMNS: &str = "id, change_number, source, source_key, title, summary, what_happened, \
     lessons_learned, recommendations, event_type, contributing_factors, context, event_month, \
     source_tags, published_on";

/// Connections per node. PostgreSQL's default `max_connections` is 100, which leaves room for
/// about eight nodes next to maintenance sessions.
const POOL_SIZE: u32 = 10;

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
    sealer: Option<Arc<Sealer>>,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://` or `postgresql://`) and applies pending
    /// migrations. Errors name no password; log the URL only through [`redact_database_url`].
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)?;
        let store = Self::connect_with(options).await?;
        tracing::info!(url = %redact_database_url(url), "connected to PostgreSQL");
        Ok(store)
    }

    /// Connects with parsed options and applies pending migrations.
    pub async fn connect_with(options: PgConnectOptions) -> StoreResult<Self> {
        // A single connection first: the pool retries a refused connection until its acquire
        // timeout and then reports only the timeout, while this fails at once with the cause.
        let mut connection = PgConnection::connect_with(&options).await?;
        migrate(&mut connection).await?;
        warn_if_commits_are_not_durable(&mut connection).await?;
        connection.close().await?;

        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .connect_with(options)
            .await?;
        Ok(PostgresStore { pool, sealer: None })
    }

    /// Sets the key-encryption key that seals raw submission material; a store without one
    /// refuses to store or read submissions.
    pub fn with_sealer(mut self, sealer: Arc<Sealer>) -> Self {
        self.sealer = Some(sealer);
        self
    }

    /// Takes the session-level advisory lock `key` without waiting, for a scheduled job that
    /// must run on one node only. Returns `None` when another session holds it.
    ///
    /// The guard keeps one pooled connection checked out until it is released or dropped, and
    /// that connection is then closed rather than returned to the pool, so that the lock can
    /// never stay behind on a pooled connection. If the connection breaks while the job runs,
    /// PostgreSQL releases the lock and another node may take it; jobs should be idempotent.
    pub async fn try_advisory_lock(&self, key: i64) -> StoreResult<Option<AdvisoryLockGuard>> {
        let mut connection = self.pool.acquire().await?;

        // Set before asking for the lock, so that a cancelled request closes the connection too.
        connection.close_on_drop();
        let acquired: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(key)
            .fetch_one(&mut *connection)
            .await?;
        if !acquired {
            return Ok(None);
        }
        Ok(Some(AdvisoryLockGuard {
            key,
            connection: Some(connection),
        }))
    }
}

/// A session-level advisory lock held on a dedicated connection. Dropping the guard closes the
/// connection, which releases the lock; [`AdvisoryLockGuard::release`] does the same and reports
/// errors.
#[derive(Debug)]
pub struct AdvisoryLockGuard {
    key: i64,
    connection: Option<PoolConnection<Postgres>>,
}

impl AdvisoryLockGuard {
    pub fn key(&self) -> i64 {
        self.key
    }

    /// Releases the lock and closes its connection.
    pub async fn release(mut self) -> StoreResult<()> {
        let Some(mut connection) = self.connection.take() else {
            return Ok(());
        };

        let released: bool = sqlx::query_scalar("SELECT pg_advisory_unlock($1)")
            .bind(self.key)
            .fetch_one(&mut *connection)
            .await?;
        connection.close().await?;
        if !released {
            return Err(StoreError::Conflict(format!(
                "advisory lock {} was no longer held by this session",
                self.key
            )));
        }
        Ok(())
    }
}

impl Drop for AdvisoryLockGuard {
    fn drop(&mut self) {
        if self.connection.is_some() {
            tracing::debug!(
                key = self.key,
                "advisory lock dropped without release; closing its connection"
            );
        }
    }
}

/// Applies pending migrations, each in its own transaction that first takes the migration
/// lock, so that nodes starting at once apply each migration exactly once.
async fn migrate(connection: &mut PgConnection) -> StoreResult<()> {
    let mut transaction = connection.begin().await?;
    lock_migrations(&mut transaction).await?;
    let missing: bool = sqlx::query_scalar("SELECT to_regclass('schema_migrations') IS NULL")
        .fetch_one(&mut *transaction)
        .await?;
    if missing {
        sqlx::query("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY)")
            .execute(&mut *transaction)
            .await?;
    }
    transaction.commit().await?;

    for (version, sql) in MIGRATIONS {
        let mut transaction = connection.begin().await?;
        lock_migrations(&mut transaction).await?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *transaction)
                .await?;
        if applied.is_some() {
            continue;
        }

        // `Executor::execute` with a plain string uses the simple query protocol, which runs
        // several statements. `sqlx::raw_sql` does the same, but in sqlx 0.8.6 its future is not
        // `Send` when it borrows a connection, so `crate::open` would not be `Send` either.
        transaction
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
        tracing::info!(version, "applied PostgreSQL migration");
    }
    Ok(())
}

async fn lock_migrations(connection: &mut PgConnection) -> StoreResult<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK_KEY)
        .execute(connection)
        .await?;
    Ok(())
}

async fn warn_if_commits_are_not_durable(connection: &mut PgConnection) -> StoreResult<()> {
    let setting: String = sqlx::query_scalar("SELECT current_setting('synchronous_commit')")
        .fetch_one(connection)
        .await?;
    if setting == "off" {
        tracing::warn!(
            "PostgreSQL runs with synchronous_commit = off: a crash can lose submissions that were \
             already acknowledged to reporters; set it to on"
        );
    }
    Ok(())
}

/// Maps a negative limit to no limit and a negative offset to 0, as SQLite reads them, because
/// PostgreSQL rejects negative LIMIT and OFFSET values.
fn limit_and_offset(limit: i64, offset: i64) -> (Option<i64>, i64) {
    let limit = (limit >= 0).then_some(limit);
    (limit, offset.max(0))
}

/// Decodes a submission row, opening its sealed input with its data key. A row whose data key
/// is gone had its raw material destroyed.
fn submission_from_row(row: &PgRow, sealer: Option<&Sealer>) -> StoreResult<Submission> {
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

fn report_from_row(row: &PgRow) -> StoreResult<Report> {
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

fn user_from_row(row: &PgRow) -> StoreResult<StaffUser> {
    let role: String = row.try_get("role")?;
    Ok(StaffUser {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("staff role {role:?}")))?,
        password_hash: row.try_get("password_hash")?,
        created_on: row.try_get("created_on")?,
    })
}

/// Inserts a report, numbering it from the sequence. A report whose source key exists already
/// is skipped, though the skipped insert still uses up a sequence value.
async fn insert_report_in(
    connection: &mut PgConnection,
    report: &Report,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO reports (id, source, source_key, title, summary, what_happened, lessons_learned, \
             recommendations, event_type, contributing_factors, context, event_month, source_tags, published_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT DO NOTHING \
         RETURNING change_number",
    )
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
    connection: &mut PgConnection,
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

fn attachment_info_from_row(row: &PgRow) -> StoreResult<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: row.try_get("id")?,
        position: row.try_get("position")?,
        format: row.try_get("format")?,
        width: row.try_get("width")?,
        height: row.try_get("height")?,
    })
}

#[async_trait]
impl Store for PostgresStore {
    async fn insert_submission_with_attachments(
        &self,
        submission: &Submission,
        review_draft: &str,
        attachments: &[Attachment],
    ) -> StoreResult<()> {
        let (key, wrapped) = require_sealer(self.sealer.as_deref())?.new_data_key(&submission.id);
        let input = key.seal(&encode_json(&submission.input), &input_aad(&submission.id));
        let draft = key.seal(review_draft, &draft_aad(&submission.id));
        let sealed: Vec<Vec<u8>> = attachments
            .iter()
            .map(|attachment| {
                key.seal_bytes(
                    &attachment.bytes,
                    &attachment_aad(&submission.id, &attachment.info.id),
                )
            })
            .collect();

        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO submissions (id, received_on, status, input, wrapped_key) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&submission.id)
        .bind(&submission.received_on)
        .bind(submission.status.as_str())
        .bind(input)
        .bind(wrapped)
        .execute(&mut *transaction)
        .await?;
        sqlx::query("INSERT INTO review_drafts (submission_id, draft) VALUES ($1, $2)")
            .bind(&submission.id)
            .bind(draft)
            .execute(&mut *transaction)
            .await?;
        for (attachment, sealed) in attachments.iter().zip(sealed) {
            insert_attachment_in(&mut transaction, &submission.id, &attachment.info, sealed).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    async fn attachment_infos(&self, submission_id: &str) -> StoreResult<Vec<AttachmentInfo>> {
        let rows = sqlx::query(
            "SELECT id, position, format, width, height FROM attachments WHERE submission_id = $1 ORDER BY position",
        )
        .bind(submission_id)
        .fetch_all(&self.pool)
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
        .fetch_optional(&self.pool)
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
        let updated =
            sqlx::query("UPDATE submissions SET receipt_hash = $1 WHERE id = $2 AND receipt_hash IS NULL")
                .bind(receipt_hash)
                .bind(submission_id)
                .execute(&self.pool)
                .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "submission {submission_id} already has a receipt"
            )));
        }
        Ok(())
    }

    async fn submission(&self, id: &str) -> StoreResult<Option<Submission>> {
        let row = sqlx::query("SELECT * FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(|row| submission_from_row(row, self.sealer.as_deref()))
            .transpose()
    }

    async fn submission_by_receipt_hash(&self, receipt_hash: &[u8]) -> StoreResult<Option<Submission>> {
        let row = sqlx::query("SELECT * FROM submissions WHERE receipt_hash = $1")
            .bind(receipt_hash)
            .fetch_optional(&self.pool)
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
        let (limit, _) = limit_and_offset(limit, 0);
        let rows =
            sqlx::query("SELECT * FROM submissions WHERE status = $1 ORDER BY received_on, id LIMIT $2")
                .bind(status.as_str())
                .bind(limit)
                .fetch_all(&self.pool)
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
        let mut transaction = self.pool.begin().await?;

        // The row lock taken here makes a concurrent publish or reject wait; once this
        // transaction commits, the other one finds the submission no longer pending.
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
        .execute(&self.pool)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "submission {submission_id} is not pending"
            )));
        }
        Ok(())
    }

    async fn insert_report(&self, report: &Report) -> StoreResult<Option<i64>> {
        let mut connection = self.pool.acquire().await?;
        Ok(insert_report_in(&mut connection, report).await?)
    }

    async fn count_reports(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM reports")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn list_reports(&self, offset: i64, limit: i64) -> StoreResult<Vec<Report>> {
        let (limit, offset) = limit_and_offset(limit, offset);
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports \
             ORDER BY published_on DESC, event_month DESC, change_number DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(report_from_row).collect()
    }

    async fn report(&self, id: &str) -> StoreResult<Option<Report>> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(report_from_row).transpose()
    }

    async fn reports_changed_after(&self, after: i64, limit: i64) -> StoreResult<Vec<Report>> {
        let (limit, _) = limit_and_offset(limit, 0);
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE change_number > $1 ORDER BY change_number LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(report_from_row).collect()
    }

    async fn submissions_after(&self, after: &str, limit: i64) -> StoreResult<Vec<Submission>> {
        let rows = sqlx::query("SELECT * FROM submissions WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
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

        let mut transaction = self.pool.begin().await?;
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
                .fetch_optional(&self.pool)
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
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn review_draft(&self, submission_id: &str) -> StoreResult<Option<String>> {
        let row = sqlx::query(
            "SELECT d.draft, s.wrapped_key FROM review_drafts d JOIN submissions s ON s.id = d.submission_id \
             WHERE d.submission_id = $1",
        )
        .bind(submission_id)
        .fetch_optional(&self.pool)
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
        let mut transaction = self.pool.begin().await?;
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(PURGE_LOCK_KEY)
            .fetch_one(&mut *transaction)
            .await?;
        if !locked {
            tracing::info!("another node is purging raw material; skipped");
            return Ok(0);
        }
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
        Ok(purged)
    }

    async fn rewrap_data_keys(&self, new: &Sealer) -> StoreResult<u64> {
        let sealer = require_sealer(self.sealer.as_deref())?;
        let mut transaction = self.pool.begin().await?;
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
                   AND COALESCE(CAST(context AS jsonb) ->> 'state', '') = $3 \
                   AND COALESCE(CAST(context AS jsonb) ->> 'agency_type', '') = $4 \
                   AND COALESCE(CAST(context AS jsonb) ->> 'agency_size', '') = $5";
        Ok(sqlx::query_scalar(sql)
            .bind(&key.event_type)
            .bind(&key.event_month)
            .bind(&key.state)
            .bind(&key.agency_type)
            .bind(&key.agency_size)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn users(&self) -> StoreResult<Vec<StaffUser>> {
        let rows = sqlx::query("SELECT * FROM staff_users ORDER BY username")
            .fetch_all(&self.pool)
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
        .execute(&self.pool)
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
        .execute(&self.pool)
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
            .fetch_optional(&self.pool)
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
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &[u8]) -> StoreResult<Option<StaffSession>> {
        let row = sqlx::query(
            "SELECT u.*, s.csrf_token, s.created_at, s.last_seen_at \
             FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
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
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
