//! Following the store: the index reads published reports in change-number order and applies
//! them by report id, so that applying one twice changes nothing.
//!
//! PostgreSQL hands out change numbers from a sequence when a transaction inserts a row, and
//! those transactions can commit out of order across nodes: number 11 may become visible after
//! number 12 was read. Each poll therefore re-reads the last [`OVERLAP`] change numbers below
//! the highest one applied and applies the ones it has not seen.

use std::sync::Arc;
use std::time::Duration;

use nearmiss_store::Store;

use crate::{SearchError, SearchIndex};

/// Change numbers below the highest applied one that every poll reads again.
// NOTE: a publication that commits more than OVERLAP change numbers after a later one was
// applied is missed until `nearmiss reindex`; with reviews published by hand that needs a
// transaction held open across about a hundred other publications.
pub const OVERLAP: i64 = 100;
/// Reports read from the store per query.
const BATCH: i64 = 1_000;
/// Reports queued between two commits during a long catch-up, so that progress survives a stop.
const COMMIT_EVERY: usize = 50_000;
/// Pause between two polls of the store.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

impl SearchIndex {
    /// Applies every report published or changed since the last commit, and commits. Returns
    /// the number of reports applied.
    pub async fn catch_up(self: &Arc<Self>, store: &dyn Store) -> Result<usize, SearchError> {
        let (start, fresh) = {
            let follow = self.follow.lock().expect("follow state lock poisoned");
            let fresh = follow.applied == 0 && self.num_reports() == 0;
            ((follow.applied - OVERLAP).max(0), fresh)
        };

        let mut cursor = start;
        let mut highest = self.applied_change_number();
        let mut queued = 0;
        let mut applied_total = 0;
        let mut applied_numbers = Vec::new();
        loop {
            let batch = store.reports_changed_after(cursor, BATCH).await?;
            let batch_len = batch.len() as i64;
            let Some(last) = batch.last() else {
                break;
            };
            cursor = last.change_number;

            let new: Vec<_> = {
                let follow = self.follow.lock().expect("follow state lock poisoned");
                batch
                    .into_iter()
                    .filter(|report| !follow.recent.contains(&report.change_number))
                    .collect()
            };
            if !new.is_empty() {
                highest = highest.max(cursor);
                applied_numbers.extend(new.iter().map(|report| report.change_number));
                queued += new.len();
                applied_total += new.len();
                let index = Arc::clone(self);
                tokio::task::spawn_blocking(move || index.add_reports(&new, fresh))
                    .await
                    .map_err(|error| SearchError::Task(error.to_string()))??;
            }
            if queued >= COMMIT_EVERY {
                self.commit_applied(highest, std::mem::take(&mut applied_numbers))
                    .await?;
                tracing::info!(
                    applied = applied_total,
                    change_number = highest,
                    "search index catching up"
                );
                queued = 0;
            }
            if batch_len < BATCH {
                break;
            }
        }

        if queued > 0 {
            self.commit_applied(highest, applied_numbers).await?;
        }
        Ok(applied_total)
    }

    async fn commit_applied(self: &Arc<Self>, highest: i64, numbers: Vec<i64>) -> Result<(), SearchError> {
        let index = Arc::clone(self);
        tokio::task::spawn_blocking(move || index.commit(highest))
            .await
            .map_err(|error| SearchError::Task(error.to_string()))??;

        let mut follow = self.follow.lock().expect("follow state lock poisoned");
        follow.applied = follow.applied.max(highest);
        follow.recent.extend(numbers);
        let floor = follow.applied - OVERLAP;
        follow.recent.retain(|number| *number > floor);
        Ok(())
    }

    /// Polls the store every [`POLL_INTERVAL`] and applies what changed, until the task is
    /// dropped. Errors are logged and retried on the next poll.
    pub async fn follow(self: Arc<Self>, store: Arc<dyn Store>) {
        let mut failures: u64 = 0;
        loop {
            tokio::time::sleep(POLL_INTERVAL).await;
            match self.catch_up(store.as_ref()).await {
                Ok(0) => {}
                Ok(applied) => {
                    failures = 0;
                    tracing::debug!(
                        applied,
                        change_number = self.applied_change_number(),
                        "search index updated"
                    );
                }
                Err(error) => {
                    failures += 1;
                    // Log the first failure and then every hundredth, so that a database
                    // outage does not flood the log twice a second.
                    if failures == 1 || failures.is_multiple_of(100) {
                        tracing::error!(%error, failures, "search index update failed; retrying");
                    }
                }
            }
        }
    }
}
