//! Anonymous submission: validate, commit, then mint the receipt.

use nearmiss_core::calendar::today;
use nearmiss_core::receipt::{receipt_from_entropy, RECEIPT_ENTROPY_BYTES};
use nearmiss_core::{Submission, SubmissionInput, SubmissionStatus};

use crate::random::{random_bytes, random_id};
use crate::{App, AppResult};

impl App {
    /// Stores a valid submission and returns its receipt code, which exists nowhere else
    /// afterwards: the store keeps only its keyed hash.
    ///
    /// The submission is committed first and the receipt minted after, so a reporter is never
    /// handed a receipt for a submission that was not stored.
    pub async fn submit(&self, input: SubmissionInput) -> AppResult<String> {
        self.submit_with_attachments(input, Vec::new()).await
    }

    /// Stores a valid submission with its image attachments, re-encoded without metadata, and
    /// returns its receipt code. The uploads are checked after the text, and every error of
    /// either is returned at once; nothing is stored while any part is invalid.
    pub async fn submit_with_attachments(
        &self,
        input: SubmissionInput,
        uploads: Vec<Vec<u8>>,
    ) -> AppResult<String> {
        let mut errors = input.validate().err().unwrap_or_default();
        let attachments = self.sanitize_uploads(uploads, &mut errors).await?;
        errors.into_result()?;

        let submission = Submission {
            id: random_id(),
            received_on: today(),
            status: SubmissionStatus::Pending,
            input,
            decision_reason: None,
            report_id: None,
            decided_on: None,
            receipt_hash: None,
            raw_destroyed: false,
        };
        let working = serde_json::to_string(&crate::review::initial_review(&submission))
            .expect("serializing plain data to JSON cannot fail");
        self.store
            .insert_submission_with_attachments(&submission, &working, &attachments)
            .await?;

        let receipt = receipt_from_entropy(&random_bytes::<RECEIPT_ENTROPY_BYTES>());
        self.store
            .attach_receipt(&submission.id, &self.keys.receipt_hash(&receipt))
            .await?;
        if let Err(error) = self.store.coarsen_file_times() {
            tracing::warn!(%error, "cannot coarsen database file times");
        }
        Ok(receipt)
    }
}
