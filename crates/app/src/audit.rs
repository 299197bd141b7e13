//! The audit log of staff actions. Every entry names the staff account that acted (or the
//! operator at the command line), the action, its subject and details, and is chained to the
//! entry before it by SHA-256 (see `nearmiss_core::audit`). Nothing about reporters goes in.

use std::collections::HashMap;

use nearmiss_core::audit::{
    utc_timestamp, AuditAction, AuditEntry, ChainBreak, ChainVerifier, NewAuditEntry,
};
use nearmiss_core::staff::StaffUser;
use nearmiss_core::{Role, Submission};
use serde_json::json;

use crate::staff::{now, StaffContext};
use crate::{App, AppError, AppResult};

/// Entries per page of the admin's audit log viewer.
pub const AUDIT_PAGE_SIZE: i64 = 50;
/// Entries read at a time while verifying the chain.
const VERIFY_BATCH: i64 = 1_000;

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    /// A signed-in staff member, by account id.
    Staff(&'a str),
    /// The person who runs the `nearmiss` command on the server, recorded without an account.
    Operator,
}

impl<'a> From<&'a StaffContext> for Actor<'a> {
    fn from(staff: &'a StaffContext) -> Self {
        Actor::Staff(&staff.user.id)
    }
}

impl<'a> From<&'a StaffUser> for Actor<'a> {
    fn from(user: &'a StaffUser) -> Self {
        Actor::Staff(&user.id)
    }
}

/// The result of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    Intact { entries: i64, head_hash: String },
    Broken(ChainBreak),
}

/// One page of the audit log, newest first, with the usernames of the accounts it names.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub usernames: HashMap<String, String>,
    pub page: i64,
    pub pages: i64,
}

impl App {
    /// Appends an entry to the audit log. `subject` is the id of what the action concerns: a
    /// submission, a staff account or a setting name. `details` is a JSON object with what else
    /// a reader of the log needs. It must contain nothing about the reporter: no narrative text,
    /// no receipt.
    pub async fn audit<'a>(
        &self,
        actor: impl Into<Actor<'a>>,
        action: AuditAction,
        subject: &str,
        details: serde_json::Value,
    ) -> AppResult<AuditEntry> {
        if !details.is_object() {
            return Err(AppError::Internal(format!(
                "audit details for {} must be a JSON object, got {details}",
                action.as_str()
            )));
        }
        let staff_id = match actor.into() {
            Actor::Staff(id) => Some(id.to_owned()),
            Actor::Operator => None,
        };
        let entry = NewAuditEntry {
            staff_id,
            at: utc_timestamp(now()),
            action: action.as_str().to_owned(),
            subject: subject.to_owned(),
            details: details.to_string(),
        };
        Ok(self.store.append_audit(&entry).await?)
    }

    /// Loads a submission for the review page and records that this staff member saw its raw
    /// text.
    pub async fn view_submission(&self, staff: &StaffContext, id: &str) -> AppResult<Submission> {
        let submission = self.submission(staff, id).await?;
        self.audit(staff, AuditAction::ViewedSubmission, &submission.id, json!({}))
            .await?;
        Ok(submission)
    }

    /// Walks the whole chain from the first entry.
    pub async fn verify_audit(&self) -> AppResult<AuditVerification> {
        let mut verifier = ChainVerifier::default();
        loop {
            let batch = self
                .store
                .audit_entries_after(verifier.count(), VERIFY_BATCH)
                .await?;
            if batch.is_empty() {
                break;
            }
            for entry in &batch {
                if let Err(broken) = verifier.check(entry) {
                    return Ok(AuditVerification::Broken(broken));
                }
            }
        }
        Ok(AuditVerification::Intact {
            entries: verifier.count(),
            head_hash: verifier.head_hash().to_owned(),
        })
    }

    /// Reads one page of the audit log, newest first, for an admin. Pages count from 1.
    pub async fn audit_page(&self, staff: &StaffContext, page: i64) -> AppResult<AuditPage> {
        staff.require_role(Role::Admin)?;
        let total = self.store.count_audit_entries().await?;
        let pages = ((total + AUDIT_PAGE_SIZE - 1) / AUDIT_PAGE_SIZE).max(1);
        if !(1..=pages).contains(&page) {
            return Err(AppError::NotFound(format!(
                "audit log page {page} (there are {pages})"
            )));
        }

        let entries = self
            .store
            .audit_entries_newest((page - 1) * AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE)
            .await?;
        let usernames = self
            .store
            .users()
            .await?
            .into_iter()
            .map(|user| (user.id, user.username))
            .collect();
        Ok(AuditPage {
            entries,
            usernames,
            page,
            pages,
        })
    }
}
