//! Receipt checks: a reporter enters the receipt to see what became of a submission.
//!
//! The receipt passes a length and format check before any hashing, is looked up by its keyed
//! hash, and is never logged. Wrong guesses are throttled for everyone at once, because no
//! client address is kept to throttle by: after `GUESS_BURST` misses, checks are refused until
//! the bucket refills at one miss per `GUESS_REFILL`.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use nearmiss_core::receipt::normalize_receipt;
use nearmiss_core::{Submission, SubmissionStatus};
use subtle::ConstantTimeEq;

use crate::{App, AppError, AppResult};

pub const GUESS_BURST: u32 = 20;
pub const GUESS_REFILL: Duration = Duration::from_secs(3);

/// What a reporter may learn with a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptStatus {
    pub status: SubmissionStatus,
    pub received_on: String,
    pub report_id: Option<String>,
    pub decision_reason: Option<String>,
}

/// A token bucket of wrong guesses shared by all clients.
pub struct GuessThrottle {
    state: Mutex<(f64, Instant)>,
}

impl Default for GuessThrottle {
    fn default() -> Self {
        GuessThrottle {
            state: Mutex::new((f64::from(GUESS_BURST), Instant::now())),
        }
    }
}

impl GuessThrottle {
    fn refilled(&self) -> std::sync::MutexGuard<'_, (f64, Instant)> {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let elapsed = state.1.elapsed().as_secs_f64();
        state.0 = (state.0 + elapsed / GUESS_REFILL.as_secs_f64()).min(f64::from(GUESS_BURST));
        state.1 = Instant::now();
        state
    }

    /// Fails when the bucket is empty.
    fn check(&self) -> AppResult<()> {
        if self.refilled().0 < 1.0 {
            return Err(AppError::TooManyRequests(format!(
                "too many wrong receipts were entered recently; try again in {} seconds",
                GUESS_REFILL.as_secs()
            )));
        }
        Ok(())
    }

    fn record_miss(&self) {
        let mut state = self.refilled();
        state.0 = (state.0 - 1.0).max(0.0);
    }
}

impl App {
    /// Looks up the submission behind a receipt.
    pub async fn check_receipt(&self, receipt: &str) -> AppResult<ReceiptStatus> {
        self.guess_throttle.check()?;
        let receipt = normalize_receipt(receipt).map_err(|error| AppError::BadRequest(error.to_string()))?;

        let hash = self.keys.receipt_hash(&receipt);
        let found = self.store.submission_by_receipt_hash(&hash).await?;
        let Some(submission) = found.filter(|submission| self.receipt_matches(submission, &hash)) else {
            self.guess_throttle.record_miss();
            return Err(AppError::NotFound("submission for this receipt".to_owned()));
        };

        Ok(ReceiptStatus {
            status: submission.status,
            received_on: submission.received_on,
            report_id: submission.report_id,
            decision_reason: submission.decision_reason,
        })
    }

    /// Compares the stored hash in constant time; the lookup by hash found the row, and this
    /// check keeps the decision independent of how the database compared.
    fn receipt_matches(&self, submission: &Submission, hash: &[u8]) -> bool {
        submission
            .receipt_hash
            .as_deref()
            .is_some_and(|stored| bool::from(stored.ct_eq(hash)))
    }
}
