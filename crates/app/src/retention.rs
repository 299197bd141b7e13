//! Retention: raw submission material is destroyed a set number of days after the submission
//! is published or rejected. The published, de-identified report stays.

use nearmiss_core::calendar::days_ago;

use crate::{App, AppResult};

/// Days that raw material is kept after the decision, unless configured otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

impl App {
    /// Destroys the raw material of every submission decided `retention_days` or more days ago
    /// (0 destroys everything decided up to today) and returns how many were purged. The
    /// deadline counts from the first decision, which nothing changes afterwards.
    pub async fn purge(&self, retention_days: u32) -> AppResult<u64> {
        let cutoff = days_ago(retention_days);
        let purged = self.store.purge_raw_material(&cutoff).await?;
        tracing::info!(purged, decided_on_or_before = %cutoff, "purged raw submission material");
        Ok(purged)
    }
}

impl App {
    /// Rotates the key-encryption key in `keys/data.key`; every node must be stopped first and
    /// given the new file afterwards.
    pub async fn rotate_data_key(&self) -> AppResult<u64> {
        crate::keys::rotate_data_key(&self.data_dir, self.store.as_ref()).await
    }
}
