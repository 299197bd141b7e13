//! The analyst's review: the queue, the working copy with its de-identification spans,
//! publication and rejection.
//!
//! Detection runs when a submission arrives and again whenever the analyst changes a text
//! field. Every span needs a decision (redact or keep) before the report can be published,
//! and the published text is exactly the preview the analyst saw.

use nearmiss_core::calendar::today;
use nearmiss_core::report::{QuasiIdentifiers, ReportDraft, MAX_REASON};
use nearmiss_core::review::{quarter_of, Coarsening, Decision, ReviewDraft, TEXT_FIELDS};
use nearmiss_core::submission::check_text;
use nearmiss_core::taxonomy::region_of_state;
use nearmiss_core::{FieldErrors, Report, Submission, SubmissionStatus};
use nearmiss_store::AttachmentInfo;

use crate::deidentify;
use crate::random::{is_valid_id, random_id};
use crate::staff::StaffContext;
use crate::{App, AppError, AppResult};
use nearmiss_core::audit::AuditAction;
use nearmiss_core::review::Approval;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The queue shows at most this many submissions at once, oldest first.
const QUEUE_LIMIT: i64 = 500;
/// A combination of quasi-identifiers shared by fewer published reports than this may single
/// out the event, so the analyst is warned.
pub const K_ANONYMITY: i64 = 5;

/// Everything the review page shows.
#[derive(Debug, Clone)]
pub struct Review {
    pub submission: Submission,
    pub working: ReviewDraft,
    /// The report as it would be published now.
    pub preview: ReportDraft,
    /// Set when fewer than `K_ANONYMITY` published reports share the quasi-identifiers.
    pub risk: Option<ReidentificationRisk>,
    /// The submission's images, by position; they are never published.
    pub attachments: Vec<AttachmentInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReidentificationRisk {
    /// Published reports that share state, agency type and size, event type and month.
    pub sharing: i64,
    pub region: Option<&'static str>,
    pub quarter: Option<String>,
}

/// Result of a request to publish.
#[derive(Debug, Clone)]
pub enum PublishOutcome {
    Published(Box<Report>),
    /// The approval is recorded; more analysts must approve the same text.
    Approved {
        approvals: usize,
        needed: usize,
    },
}

/// Edits and decisions sent from the review page.
#[derive(Debug, Clone, Default)]
pub struct ReviewEdit {
    pub draft: ReportDraft,
    /// (index into the spans shown, decision)
    pub decisions: Vec<(usize, Decision)>,
    /// (field, exact text, kind) of identifiers the detector missed.
    pub marks: Vec<(String, String, String)>,
    pub coarsening: Coarsening,
}

/// Builds the first working copy of a submission, with detection already run.
pub(crate) fn initial_review(submission: &Submission) -> ReviewDraft {
    let mut working = ReviewDraft {
        draft: ReportDraft::from_submission(&submission.input),
        ..ReviewDraft::default()
    };
    deidentify::detect(&mut working);
    working
}

/// The draft with the analyst's redactions and coarsening applied.
fn publishable(working: &ReviewDraft) -> ReportDraft {
    let mut draft = deidentify::redacted(working);
    if working.coarsening.region_instead_of_state {
        if let Some(state) = draft.context.remove("state") {
            if let Some(region) = region_of_state(&state) {
                draft.context.insert("region".to_owned(), region.to_owned());
            }
        }
    }
    if working.coarsening.quarter_instead_of_month {
        if let Some(quarter) = quarter_of(&draft.event_month) {
            draft.event_month = quarter;
        }
    }
    draft
}

/// Hex SHA-256 of what would be published, so approvals attach to one exact text.
fn preview_hash(preview: &ReportDraft) -> String {
    let json = serde_json::to_string(preview).expect("serializing plain data to JSON cannot fail");
    hex::encode(Sha256::digest(json.as_bytes()))
}

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

    async fn working_copy(&self, submission: &Submission) -> AppResult<ReviewDraft> {
        match self.store.review_draft(&submission.id).await? {
            Some(json) => serde_json::from_str(&json).map_err(|error| {
                AppError::Internal(format!(
                    "review draft of submission {} is invalid: {error}",
                    submission.id
                ))
            }),
            None => Ok(initial_review(submission)),
        }
    }

    async fn risk(&self, draft: &ReportDraft) -> AppResult<Option<ReidentificationRisk>> {
        let context = |name: &str| draft.context.get(name).cloned().unwrap_or_default();
        let key = QuasiIdentifiers {
            state: context("state"),
            agency_type: context("agency_type"),
            agency_size: context("agency_size"),
            event_type: draft.event_type.clone(),
            event_month: draft.event_month.clone(),
        };
        let sharing = self.store.count_reports_sharing(&key).await?;
        if sharing >= K_ANONYMITY {
            return Ok(None);
        }
        Ok(Some(ReidentificationRisk {
            sharing,
            region: region_of_state(&key.state),
            quarter: quarter_of(&key.event_month),
        }))
    }

    async fn assemble(&self, submission: Submission, working: ReviewDraft) -> AppResult<Review> {
        let risk = self.risk(&working.draft).await?;
        let preview = publishable(&working);
        let attachments = self.store.attachment_infos(&submission.id).await?;
        Ok(Review {
            submission,
            working,
            preview,
            risk,
            attachments,
        })
    }

    /// Opens a submission for review.
    pub async fn review(&self, staff: &StaffContext, id: &str) -> AppResult<Review> {
        let submission = self.submission(staff, id).await?;
        let working = self.working_copy(&submission).await?;
        self.assemble(submission, working).await
    }

    /// Applies the analyst's edits and decisions, runs detection again over changed text, and
    /// saves the working copy.
    pub async fn save_review(&self, staff: &StaffContext, id: &str, edit: ReviewEdit) -> AppResult<Review> {
        let submission = self.submission(staff, id).await?;
        if submission.status != SubmissionStatus::Pending {
            return Err(AppError::Conflict(format!(
                "submission {id} is already {}",
                submission.status.as_str()
            )));
        }
        let mut working = self.working_copy(&submission).await?;

        for (index, decision) in &edit.decisions {
            if let Some(span) = working.spans.get_mut(*index) {
                span.decision = *decision;
            }
        }
        let edited = ReviewDraft {
            draft: edit.draft.clone(),
            ..ReviewDraft::default()
        };
        let text_changed = TEXT_FIELDS
            .iter()
            .any(|field| edited.field_text(field) != working.field_text(field));
        working.draft = edit.draft.clone();
        working.coarsening = edit.coarsening;
        if text_changed {
            deidentify::detect(&mut working);
        }
        for (field, phrase, kind) in &edit.marks {
            deidentify::mark(&mut working, field, phrase, kind, Decision::Redact);
        }

        let json = serde_json::to_string(&working).expect("serializing plain data to JSON cannot fail");
        self.store.save_review_draft(id, &json).await?;

        let details = json!({"text_changed": text_changed, "decisions": edit.decisions.len(), "marks": edit.marks.len()});
        self.audit(staff, AuditAction::Edited, id, details).await?;
        if !edit.decisions.is_empty() || !edit.marks.is_empty() {
            let redactions = working
                .spans
                .iter()
                .filter(|span| span.decision == Decision::Redact)
                .count();
            self.audit(
                staff,
                AuditAction::Redacted,
                id,
                json!({"redacted_spans": redactions}),
            )
            .await?;
        }
        self.assemble(submission, working).await
    }

    /// Saves the analyst's edits and records this analyst's approval of the redacted report;
    /// publishes it once the configured number of distinct analysts approved the same text.
    /// Refused while any span is undecided or a field is invalid.
    pub async fn publish(
        &self,
        staff: &StaffContext,
        id: &str,
        edit: ReviewEdit,
    ) -> AppResult<PublishOutcome> {
        let mut review = self.save_review(staff, id, edit).await?;

        let mut errors = FieldErrors::default();
        let undecided = review.working.undecided();
        if undecided > 0 {
            errors.add(
                "spans",
                format!(
                    "{undecided} identifiers are undecided: choose redact or keep for each before publishing"
                ),
            );
        }
        if let Err(invalid) = review.working.draft.validate() {
            errors.0.extend(invalid.0);
        }
        errors.into_result()?;
        review.preview.validate()?;

        let preview_hash = preview_hash(&review.preview);
        let working = &mut review.working;
        working
            .approvals
            .retain(|approval| approval.preview_hash == preview_hash);
        if !working
            .approvals
            .iter()
            .any(|approval| approval.staff_id == staff.user.id)
        {
            working.approvals.push(Approval {
                staff_id: staff.user.id.clone(),
                preview_hash: preview_hash.clone(),
            });
        }
        let approvals = working.approvals.len();
        let needed = usize::from(self.publish_approvals().await?);
        self.audit(
            staff,
            AuditAction::Approved,
            id,
            json!({"approvals": approvals, "needed": needed}),
        )
        .await?;

        if approvals < needed {
            let json =
                serde_json::to_string(&review.working).expect("serializing plain data to JSON cannot fail");
            self.store.save_review_draft(id, &json).await?;
            return Ok(PublishOutcome::Approved { approvals, needed });
        }

        let report = Report::from_draft(random_id(), review.preview, today());
        let report = self.store.publish_submission(id, &report, &today()).await?;
        tracing::info!(submission = %id, report = %report.id, staff = %staff.user.id, "published report");
        self.audit(
            staff,
            AuditAction::Published,
            id,
            json!({"report": report.id, "approvals": approvals}),
        )
        .await?;
        Ok(PublishOutcome::Published(Box::new(report)))
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
        self.audit(staff, AuditAction::Rejected, submission_id, json!({}))
            .await?;
        tracing::info!(submission = %submission_id, staff = %staff.user.id, "rejected submission");
        Ok(())
    }
}
