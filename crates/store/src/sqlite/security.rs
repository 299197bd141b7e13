//! `SecurityStore` on SQLite. Writes go through the single writer connection. The audit append
//! takes the database's write lock first (`BEGIN IMMEDIATE`), so a CLI command and a server on
//! the same file cannot both chain to the same last entry.

use async_trait::async_trait;
use nearmiss_core::audit::{AuditEntry, NewAuditEntry, GENESIS_HASH};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{user_from_row, SqliteStore};
use crate::sealing::{enrolment_aad, totp_aad};
use crate::security::{
    PendingLogin, SecurityStore, SignInFailures, ThrottlePolicy, TotpSecret, RECORD_FAILURE_SQL,
};
use crate::{StoreError, StoreResult};

fn audit_from_row(row: &SqliteRow) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        staff_id: row.try_get("staff_id")?,
        at: row.try_get("at")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        details: row.try_get("details")?,
        prev_hash: row.try_get("prev_hash")?,
        entry_hash: row.try_get("entry_hash")?,
    })
}

#[async_trait]
impl SecurityStore for SqliteStore {
    async fn totp(&self, user_id: &str) -> StoreResult<Option<TotpSecret>> {
        let row = sqlx::query("SELECT secret, last_step FROM staff_totp WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.reader)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let sealed: Vec<u8> = row.try_get("secret")?;
        let sealer = crate::require_sealer(self.sealer.as_deref())?;
        Ok(Some(TotpSecret {
            secret: sealer.open_secret(&sealed, &totp_aad(user_id))?,
            last_step: row.try_get("last_step")?,
        }))
    }

    async fn insert_totp(&self, user_id: &str, secret: &[u8], step: i64) -> StoreResult<()> {
        let inserted = sqlx::query(
            "INSERT INTO staff_totp (user_id, secret, last_step) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(crate::require_sealer(self.sealer.as_deref())?.seal_secret(secret, &totp_aad(user_id)))
        .bind(step)
        .execute(&self.writer)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "staff account {user_id} already has a TOTP secret"
            )));
        }
        Ok(())
    }

    async fn use_totp_step(&self, user_id: &str, step: i64) -> StoreResult<bool> {
        let updated =
            sqlx::query("UPDATE staff_totp SET last_step = $1 WHERE user_id = $2 AND last_step < $1")
                .bind(step)
                .bind(user_id)
                .execute(&self.writer)
                .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn reset_totp(&self, user_id: &str) -> StoreResult<bool> {
        let mut transaction = self.writer.begin().await?;
        let deleted = sqlx::query("DELETE FROM staff_totp WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        for table in ["staff_pending_logins", "staff_sessions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(deleted.rows_affected() == 1)
    }

    async fn insert_pending_login(
        &self,
        token_hash: &[u8],
        user_id: &str,
        enrol_secret: Option<&[u8]>,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO staff_pending_logins (token_hash, user_id, enrol_secret, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(match enrol_secret {
            Some(secret) => Some(
                crate::require_sealer(self.sealer.as_deref())?.seal_secret(secret, &enrolment_aad(user_id)),
            ),
            None => None,
        })
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn pending_login(&self, token_hash: &[u8]) -> StoreResult<Option<PendingLogin>> {
        let row = sqlx::query(
            "SELECT u.*, p.enrol_secret, p.created_at AS pending_created_at \
             FROM staff_pending_logins p JOIN staff_users u ON u.id = p.user_id WHERE p.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let user = user_from_row(&row)?;
        let enrol_secret = match row.try_get::<Option<Vec<u8>>, _>("enrol_secret")? {
            Some(sealed) => {
                let sealer = crate::require_sealer(self.sealer.as_deref())?;
                Some(sealer.open_secret(&sealed, &enrolment_aad(&user.id))?)
            }
            None => None,
        };
        Ok(Some(PendingLogin {
            user,
            enrol_secret,
            created_at: row.try_get("pending_created_at")?,
        }))
    }

    async fn delete_pending_login(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM staff_pending_logins WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn delete_pending_logins_before(&self, cutoff: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM staff_pending_logins WHERE created_at < $1")
            .bind(cutoff)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn record_sign_in_failure(
        &self,
        user_id: &str,
        now: i64,
        policy: ThrottlePolicy,
    ) -> StoreResult<SignInFailures> {
        let row = sqlx::query(RECORD_FAILURE_SQL)
            .bind(user_id)
            .bind(now)
            .bind(policy.window_seconds)
            .bind(policy.limit)
            .bind(policy.lock_seconds)
            .fetch_one(&self.writer)
            .await?;
        Ok(SignInFailures {
            failures: row.try_get("failures")?,
            locked_until: row.try_get("locked_until")?,
        })
    }

    async fn sign_in_locked_until(&self, user_id: &str) -> StoreResult<Option<i64>> {
        let locked: Option<Option<i64>> =
            sqlx::query_scalar("SELECT locked_until FROM staff_sign_in_failures WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&self.reader)
                .await?;
        Ok(locked.flatten())
    }

    async fn clear_sign_in_failures(&self, user_id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM staff_sign_in_failures WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn setting(&self, name: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.reader)
            .await?)
    }

    async fn set_setting(&self, name: &str, value: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<AuditEntry> {
        let mut transaction = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *transaction)
                .await?;
        let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS_HASH.to_owned()));
        let chained = AuditEntry::chain(entry, prev_seq, &prev_hash);

        sqlx::query(
            "INSERT INTO audit_log (seq, staff_id, at, action, subject, details, prev_hash, entry_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(chained.seq)
        .bind(&chained.staff_id)
        .bind(&chained.at)
        .bind(&chained.action)
        .bind(&chained.subject)
        .bind(&chained.details)
        .bind(&chained.prev_hash)
        .bind(&chained.entry_hash)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(chained)
    }

    async fn audit_entries_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn audit_entries_newest(&self, offset: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1 OFFSET $2")
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn count_audit_entries(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.reader)
            .await?)
    }

    async fn import_audit_entry(&self, entry: &AuditEntry) -> StoreResult<bool> {
        let inserted = sqlx::query(
            "INSERT INTO audit_log (seq, staff_id, at, action, subject, details, prev_hash, entry_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (seq) DO NOTHING",
        )
        .bind(entry.seq)
        .bind(&entry.staff_id)
        .bind(&entry.at)
        .bind(&entry.action)
        .bind(&entry.subject)
        .bind(&entry.details)
        .bind(&entry.prev_hash)
        .bind(&entry.entry_hash)
        .execute(&self.writer)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(true);
        }
        let existing: String = sqlx::query_scalar("SELECT entry_hash FROM audit_log WHERE seq = $1")
            .bind(entry.seq)
            .fetch_one(&self.writer)
            .await?;
        if existing != entry.entry_hash {
            return Err(StoreError::Conflict(format!(
                "audit entry {} differs from the entry with that number here: import into an empty audit log",
                entry.seq
            )));
        }
        Ok(false)
    }
}
