//! Persistence for staff account security: TOTP secrets, pending sign-ins, sign-in throttling,
//! settings and the audit log. Every `Store` is also a [`SecurityStore`].

use async_trait::async_trait;
use nearmiss_core::audit::{AuditEntry, NewAuditEntry};
use nearmiss_core::staff::StaffUser;

use crate::StoreResult;

/// A confirmed TOTP secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSecret {
    pub secret: Vec<u8>,
    /// The last time step whose code was accepted.
    pub last_step: i64,
}

/// A sign-in whose password was accepted and that waits for the second step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub user: StaffUser,
    /// Set when the account has no TOTP yet: the secret offered for enrolment.
    pub enrol_secret: Option<Vec<u8>>,
    /// Unix seconds.
    pub created_at: i64,
}

/// The sign-in throttle of one account after a failure was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInFailures {
    /// Failures in the current window.
    pub failures: i64,
    /// Unix seconds; set once the account is locked.
    pub locked_until: Option<i64>,
}

/// How failures are counted; the numbers come from the app, the arithmetic runs in one
/// statement so that nodes counting at once lose no failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures in one window that lock the account.
    pub limit: i64,
    /// Length of the counting window, in seconds, from its first failure.
    pub window_seconds: i64,
    /// How long a lock lasts, in seconds.
    pub lock_seconds: i64,
}

#[async_trait]
pub trait SecurityStore: Send + Sync {
    /// The confirmed TOTP secret of an account.
    async fn totp(&self, user_id: &str) -> StoreResult<Option<TotpSecret>>;

    /// Stores a confirmed secret with the step of the code that confirmed it. Fails with
    /// `Conflict` when the account has one.
    async fn insert_totp(&self, user_id: &str, secret: &[u8], step: i64) -> StoreResult<()>;

    /// Records `step` as used when it is later than the last used step; returns false, changing
    /// nothing, otherwise. Two nodes accepting the same code at once: one wins.
    async fn use_totp_step(&self, user_id: &str, step: i64) -> StoreResult<bool>;

    /// Removes an account's TOTP secret, its pending sign-ins and its sessions, so that its
    /// next sign-in enrols again. Returns false when it had no secret.
    async fn reset_totp(&self, user_id: &str) -> StoreResult<bool>;

    async fn insert_pending_login(
        &self,
        token_hash: &[u8],
        user_id: &str,
        enrol_secret: Option<&[u8]>,
        now: i64,
    ) -> StoreResult<()>;

    async fn pending_login(&self, token_hash: &[u8]) -> StoreResult<Option<PendingLogin>>;

    async fn delete_pending_login(&self, token_hash: &[u8]) -> StoreResult<()>;

    /// Deletes pending sign-ins created before `cutoff` (Unix seconds).
    async fn delete_pending_logins_before(&self, cutoff: i64) -> StoreResult<()>;

    /// Counts one failed attempt at `now` and locks the account when the count reaches the
    /// policy's limit within its window.
    async fn record_sign_in_failure(
        &self,
        user_id: &str,
        now: i64,
        policy: ThrottlePolicy,
    ) -> StoreResult<SignInFailures>;

    /// Until when (Unix seconds) the account is locked, if a lock was ever set.
    async fn sign_in_locked_until(&self, user_id: &str) -> StoreResult<Option<i64>>;

    async fn clear_sign_in_failures(&self, user_id: &str) -> StoreResult<()>;

    async fn setting(&self, name: &str) -> StoreResult<Option<String>>;

    async fn set_setting(&self, name: &str, value: &str) -> StoreResult<()>;

    /// Numbers `entry` after the last entry and chains it to that entry's hash, in one
    /// transaction that excludes every other append, also from other nodes.
    async fn append_audit(&self, entry: &NewAuditEntry) -> StoreResult<AuditEntry>;

    /// Entries with a sequence number greater than `after`, oldest first.
    async fn audit_entries_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditEntry>>;

    /// Entries newest first.
    async fn audit_entries_newest(&self, offset: i64, limit: i64) -> StoreResult<Vec<AuditEntry>>;

    async fn count_audit_entries(&self) -> StoreResult<i64>;

    /// Stores an audit entry exported from another instance as it is, hash chain included.
    /// Returns false when the same entry exists; fails with `Conflict` when another entry has
    /// its sequence number, since merging two logs would break the chain.
    async fn import_audit_entry(&self, entry: &AuditEntry) -> StoreResult<bool>;
}

/// The one upsert that counts a failure, shared by both backends (both accept `ON CONFLICT ...
/// DO UPDATE` and `RETURNING`). Parameters: user id, now, window, limit, lock length. In `SET`,
/// column names read the row's old values.
pub(crate) const RECORD_FAILURE_SQL: &str = "\
    INSERT INTO staff_sign_in_failures (user_id, failures, window_start, locked_until) \
    VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 ELSE NULL END) \
    ON CONFLICT (user_id) DO UPDATE SET \
        failures = CASE WHEN staff_sign_in_failures.window_start <= $2 - $3 THEN 1 \
                        ELSE staff_sign_in_failures.failures + 1 END, \
        window_start = CASE WHEN staff_sign_in_failures.window_start <= $2 - $3 THEN $2 \
                            ELSE staff_sign_in_failures.window_start END, \
        locked_until = CASE \
            WHEN (CASE WHEN staff_sign_in_failures.window_start <= $2 - $3 THEN 1 \
                       ELSE staff_sign_in_failures.failures + 1 END) >= $4 THEN $2 + $5 \
            ELSE staff_sign_in_failures.locked_until END \
    RETURNING failures, locked_until";
