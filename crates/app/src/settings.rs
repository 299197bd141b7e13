//! Settings that admins change at run time, kept in the store so that every node reads the same.

use nearmiss_core::audit::AuditAction;
use nearmiss_core::Role;
use serde_json::json;

use crate::staff::StaffContext;
use crate::{App, AppError, AppResult};

/// Name of the setting for how many analysts must approve a report before publication.
pub const PUBLISH_APPROVALS: &str = "publish_approvals";
/// Approvals needed when no admin has set the number: the two-person rule.
pub const DEFAULT_PUBLISH_APPROVALS: u8 = 2;
/// The range an admin may choose from; 1 turns the two-person rule off for small teams.
pub const PUBLISH_APPROVALS_RANGE: std::ops::RangeInclusive<u8> = 1..=5;

fn parse_approvals(value: &str) -> Option<u8> {
    value
        .trim()
        .parse()
        .ok()
        .filter(|count| PUBLISH_APPROVALS_RANGE.contains(count))
}

impl App {
    /// How many analysts must approve a report before it is published.
    pub async fn publish_approvals(&self) -> AppResult<u8> {
        let Some(stored) = self.store.setting(PUBLISH_APPROVALS).await? else {
            return Ok(DEFAULT_PUBLISH_APPROVALS);
        };
        parse_approvals(&stored).ok_or_else(|| {
            AppError::Internal(format!(
                "stored setting {PUBLISH_APPROVALS} is invalid: {stored:?}"
            ))
        })
    }

    /// Sets the number of approvals, as an admin, from the value typed in the settings form.
    pub async fn set_publish_approvals(&self, staff: &StaffContext, value: &str) -> AppResult<u8> {
        staff.require_role(Role::Admin)?;
        let Some(count) = parse_approvals(value) else {
            return Err(AppError::BadRequest(format!(
                "invalid number of approvals {value:?}: enter a whole number from {} to {}",
                PUBLISH_APPROVALS_RANGE.start(),
                PUBLISH_APPROVALS_RANGE.end()
            )));
        };

        let previous = self.publish_approvals().await?;
        self.store
            .set_setting(PUBLISH_APPROVALS, &count.to_string())
            .await?;
        tracing::info!(staff = %staff.user.id, previous, count, "changed publish approvals");
        let details = json!({"name": PUBLISH_APPROVALS, "from": previous, "to": count});
        self.audit(staff, AuditAction::SettingChanged, PUBLISH_APPROVALS, details)
            .await?;
        Ok(count)
    }

    /// Sets the number of approvals from the server's command line; the audit log records the
    /// operator as the actor.
    pub async fn set_publish_approvals_as_operator(&self, value: &str) -> AppResult<u8> {
        let Some(count) = parse_approvals(value) else {
            return Err(AppError::BadRequest(format!(
                "invalid number of approvals {value:?}: enter a whole number from {} to {}",
                PUBLISH_APPROVALS_RANGE.start(),
                PUBLISH_APPROVALS_RANGE.end()
            )));
        };
        let previous = self.publish_approvals().await?;
        self.store
            .set_setting(PUBLISH_APPROVALS, &count.to_string())
            .await?;
        let details = json!({"name": PUBLISH_APPROVALS, "from": previous, "to": count});
        self.audit(
            crate::audit::Actor::Operator,
            AuditAction::SettingChanged,
            PUBLISH_APPROVALS,
            details,
        )
        .await?;
        Ok(count)
    }
}
