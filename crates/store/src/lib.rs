//! Persistence for nearmiss. The [`Store`] trait is the only way the rest of the product
//! reaches the database; [`sqlite`] is the embedded default and [`postgres`] serves several
//! nodes. Each implementation carries its own migrations.

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use nearmiss_core::report::QuasiIdentifiers;
use nearmiss_core::staff::StaffUser;
use nearmiss_core::{Report, Submission, SubmissionStatus};

pub mod postgres;
pub mod sealing;
pub mod security;
pub mod sqlite;

pub use postgres::{AdvisoryLockGuard, PostgresStore};
pub use security::{PendingLogin, SecurityStore, SignInFailures, ThrottlePolicy, TotpSecret};
pub use sqlite::SqliteStore;

/// File name of the SQLite database inside the data directory.
pub const SQLITE_FILE: &str = "nearmiss.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("stored row is invalid: {0}")]
    Corrupt(String),
    #[error("database migration {version} failed: {source}")]
    Migration { version: i64, source: sqlx::Error },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("file error: {0}")]
    File(String),
    #[error("{0}")]
    Commit(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A staff session as stored; the token itself is only ever held by the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub user: StaffUser,
    pub csrf_token: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub last_seen_at: i64,
}

/// Metadata of an attachment, stored beside its sealed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// 80 random bits in hex, like every id.
    pub id: String,
    /// 1 for the first image the reporter attached, in the order they were sent.
    pub position: i64,
    /// `jpeg`, `png` or `webp`: the format of the re-encoded file.
    pub format: String,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
}

/// An attachment with its re-encoded file. The bytes are plaintext in memory only: the store
/// seals them under the submission's data key.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub info: AttachmentInfo,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    /// Shows the length of `bytes` instead of the bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("info", &self.info)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

#[async_trait]
pub trait Store: SecurityStore + Send + Sync + 'static {
    /// Stores a new submission with the analyst's first working copy (`review_draft`, JSON) in
    /// one transaction, durably, before returning. It has no receipt yet.
    async fn insert_submission(&self, submission: &Submission, review_draft: &str) -> StoreResult<()> {
        self.insert_submission_with_attachments(submission, review_draft, &[])
            .await
    }

    /// Stores a new submission, its first working copy and its attachments in one transaction,
    /// durably, before returning. The attachments are sealed under the submission's data key.
    async fn insert_submission_with_attachments(
        &self,
        submission: &Submission,
        review_draft: &str,
        attachments: &[Attachment],
    ) -> StoreResult<()>;

    /// The attachments of a submission, by position, without their bytes. Empty once the raw
    /// material is destroyed.
    async fn attachment_infos(&self, submission_id: &str) -> StoreResult<Vec<AttachmentInfo>>;

    /// One attachment with its bytes unsealed, or `None` when the submission has none at
    /// `position`.
    async fn attachment(&self, submission_id: &str, position: i64) -> StoreResult<Option<Attachment>>;

    /// Stores the keyed hash of the receipt minted for a committed submission. Fails with
    /// `Conflict` when the submission already has a receipt.
    async fn attach_receipt(&self, submission_id: &str, receipt_hash: &[u8]) -> StoreResult<()>;

    async fn submission(&self, id: &str) -> StoreResult<Option<Submission>>;

    /// Finds the submission whose receipt has this keyed hash.
    async fn submission_by_receipt_hash(&self, receipt_hash: &[u8]) -> StoreResult<Option<Submission>>;

    /// Submissions in one state, oldest first.
    async fn submissions_with_status(
        &self,
        status: SubmissionStatus,
        limit: i64,
    ) -> StoreResult<Vec<Submission>>;

    /// Publishes a pending submission as `report` in one transaction and returns the report
    /// with its change number. Fails with `Conflict` when the submission is no longer pending.
    async fn publish_submission(
        &self,
        submission_id: &str,
        report: &Report,
        decided_on: &str,
    ) -> StoreResult<Report>;

    /// Rejects a pending submission. Fails with `Conflict` when it is no longer pending.
    async fn reject_submission(&self, submission_id: &str, reason: &str, decided_on: &str)
        -> StoreResult<()>;

    /// Inserts a report with the id it carries; returns `None`, storing nothing, when a report
    /// with the same id or source key exists. The store assigns the change number.
    async fn insert_report(&self, report: &Report) -> StoreResult<Option<i64>>;

    async fn count_reports(&self) -> StoreResult<i64>;

    /// Reports newest first: by publication day, then event month, then change number.
    async fn list_reports(&self, offset: i64, limit: i64) -> StoreResult<Vec<Report>>;

    async fn report(&self, id: &str) -> StoreResult<Option<Report>>;

    /// Reports whose change number is greater than `after`, in change-number order.
    async fn reports_changed_after(&self, after: i64, limit: i64) -> StoreResult<Vec<Report>>;

    /// Submissions whose id sorts after `after`, in id order; for export.
    async fn submissions_after(&self, after: &str, limit: i64) -> StoreResult<Vec<Submission>>;

    /// Stores a submission exported from another instance as it is, receipt hash, decision and
    /// attachments included, in one transaction; returns false, storing nothing, when its id
    /// exists. Attachments of a submission whose raw material was destroyed are not stored.
    async fn import_submission(
        &self,
        submission: &Submission,
        attachments: &[Attachment],
    ) -> StoreResult<bool>;

    /// Saves (inserting or replacing) the analyst's working copy of a submission, as JSON.
    async fn save_review_draft(&self, submission_id: &str, draft: &str) -> StoreResult<()>;

    async fn review_draft(&self, submission_id: &str) -> StoreResult<Option<String>>;

    /// Destroys the raw material (sealed input, attachments, data key and review draft) of
    /// submissions decided on or before `decided_on_or_before` (`YYYY-MM-DD`); the submission
    /// row keeps its status, decision and receipt hash, and published reports stay. Returns how many
    /// submissions were purged. On PostgreSQL only one node purges at a time; the others
    /// return 0.
    async fn purge_raw_material(&self, decided_on_or_before: &str) -> StoreResult<u64>;

    /// Re-wraps every stored data key under the key-encryption key of `new`, in one
    /// transaction, and returns how many were re-wrapped. Afterwards only `new` opens them.
    async fn rewrap_data_keys(&self, new: &sealing::Sealer) -> StoreResult<u64>;

    /// Counts published reports with these quasi-identifiers; an empty value matches reports
    /// without that field.
    async fn count_reports_sharing(&self, key: &QuasiIdentifiers) -> StoreResult<i64>;

    /// Lists every staff account, by username.
    async fn users(&self) -> StoreResult<Vec<StaffUser>>;

    /// Stores a staff account exported from another instance; returns false, storing nothing,
    /// when its id or username exists.
    async fn import_user(&self, user: &StaffUser) -> StoreResult<bool>;

    /// Fails with `Conflict` when the username is taken.
    async fn insert_user(&self, user: &StaffUser) -> StoreResult<()>;

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<StaffUser>>;

    async fn insert_session(
        &self,
        token_hash: &[u8],
        user_id: &str,
        csrf_token: &str,
        now: i64,
    ) -> StoreResult<()>;

    async fn session(&self, token_hash: &[u8]) -> StoreResult<Option<StaffSession>>;

    async fn touch_session(&self, token_hash: &[u8], now: i64) -> StoreResult<()>;

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()>;

    /// Runs a cheap query to check that the database responds.
    async fn ping(&self) -> StoreResult<()>;

    /// Writes a consistent copy of the live database to `target`, a file that must not exist.
    /// Only SQLite supports this; PostgreSQL deployments use the server's own tools.
    async fn backup_to(&self, target: &Path) -> StoreResult<()> {
        Err(StoreError::Conflict(format!(
            "cannot back up to {}: online backup is built in for SQLite only; back up PostgreSQL \
             with pg_dump or the server's base backups",
            target.display()
        )))
    }

    /// Sets the modification time of the store's local files back to the start of the current
    /// UTC day, so that file times do not reveal when a submission arrived. Stores without
    /// local files do nothing.
    fn coarsen_file_times(&self) -> StoreResult<()> {
        Ok(())
    }
}

/// Opens the store: PostgreSQL when a database URL is given, otherwise SQLite in `data_dir`.
/// A URL whose scheme is not `postgres` or `postgresql` is rejected.
pub async fn open(
    data_dir: &Path,
    database_url: Option<&str>,
    sealer: Arc<sealing::Sealer>,
) -> StoreResult<Arc<dyn Store>> {
    let Some(url) = database_url else {
        return Ok(Arc::new(
            SqliteStore::open(&data_dir.join(SQLITE_FILE))
                .await?
                .with_sealer(sealer),
        ));
    };

    if !is_postgres_url(url) {
        let message = format!(
            "unsupported database URL {}: use a postgres:// or postgresql:// URL for PostgreSQL, \
             or give no URL to use SQLite in the data directory",
            redact_database_url(url)
        );
        return Err(StoreError::Database(sqlx::Error::Configuration(message.into())));
    }
    Ok(Arc::new(PostgresStore::connect(url).await?.with_sealer(sealer)))
}

/// Tells whether `url` has the `postgres` or `postgresql` scheme, in any letter case.
pub fn is_postgres_url(url: &str) -> bool {
    let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
    scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql")
}

/// Hides the password in a database URL for logs and messages.
pub fn redact_database_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

pub(crate) fn require_sealer(sealer: Option<&sealing::Sealer>) -> StoreResult<&sealing::Sealer> {
    sealer.ok_or_else(|| {
        StoreError::Conflict("no key-encryption key is configured: open the store with a sealer".to_owned())
    })
}

pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|error| StoreError::Corrupt(format!("column {column}: {error}")))
}

pub(crate) fn encode_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serializing plain data to JSON cannot fail")
}
