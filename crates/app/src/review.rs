//! The analyst's review: the queue, publication and rejection.

use nearmiss_core::calendar::today;
use nearmiss_core::report::{ReportDraft, MAX_REASON};
use nearmiss_core::submission::check_text;
use nearmiss_core::{FieldErrors, Report, Submission, SubmissionStatus};

use crate::random::{is_valid_id, random_id};
use crate::staff::StaffContext;
use crate::{App, AppError, AppResult};

/// The queue shows at most this many submissions at once, oldest first.
const QUEUE_LIMIT: i64 = 500;

impl App {
    pub async fn review_queue(&self, _staff: &StaffContext) -> AppResult<Vec<Submission>> {
        Ok(self
            .store
            .submissions_with_status(SubmissionStatus::Pending, QUEUE_LIMIT)
            .await?)
    }

    pub async fn submission(&self, _staff: &StaffContext, id: &str) -> AppResult<Submission> {
        if !is_valid_id(id) {
            return Err(AppError::NotFound(format!("submission {id:?}")));
        }
        self.store
            .submission(id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("submission {id}")))
    }

    /// Publishes a pending submission with the analyst's edited content.
    pub async fn publish(
        &self,
        staff: &StaffContext,
        submission_id: &str,
        draft: ReportDraft,
    ) -> AppResult<Report> {
        let submission = self.submission(staff, submission_id).await?;
        if submission.status != SubmissionStatus::Pending {
            return Err(AppError::Conflict(format!(
                "submission {submission_id} is already {}",
                submission.status.as_str()
            )));
        }
        draft.validate()?;

        let report = Report::from_draft(random_id(), draft, today());
        let report = self
            .store
            .publish_submission(submission_id, &report, &today())
            .await?;
        tracing::info!(submission = %submission_id, report = %report.id, staff = %staff.user.id, "published report");
        Ok(report)
    }

    /// Rejects a pending submission; the reason is required.
    pub async fn reject(&self, staff: &StaffContext, submission_id: &str, reason: &str) -> AppResult<()> {
        let mut errors = FieldErrors::default();
        check_text(&mut errors, "reason", reason, 1, MAX_REASON);
        errors.into_result()?;

        self.submission(staff, submission_id).await?;
        self.store
            .reject_submission(submission_id, reason.trim(), &today())
            .await?;
        tracing::info!(submission = %submission_id, staff = %staff.user.id, "rejected submission");
        Ok(())
    }
}
