//! View models of the sign-in second step and the admin pages.

use askama::Template;
use nearmiss_app::{AuditPage, Enrolment, StaffAccount, StaffContext};

#[derive(Template)]
#[template(path = "staff_totp.html")]
pub struct TotpPage {
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_enrol.html")]
pub struct EnrolPage {
    pub username: String,
    pub secret_base32: String,
    pub otpauth_uri: String,
    pub error: Option<String>,
}

impl EnrolPage {
    pub fn new(enrolment: Enrolment, error: Option<String>) -> Self {
        EnrolPage {
            username: enrolment.username,
            secret_base32: enrolment.secret_base32,
            otpauth_uri: enrolment.otpauth_uri,
            error,
        }
    }
}

/// One staff account in the admin's list.
pub struct AccountRow {
    pub username: String,
    pub role: &'static str,
    pub created_on: String,
    pub has_totp: bool,
}

#[derive(Template)]
#[template(path = "staff_admin_users.html")]
pub struct UsersPage {
    pub username: String,
    pub csrf_token: String,
    pub accounts: Vec<AccountRow>,
    pub error: Option<String>,
}

impl UsersPage {
    pub fn new(staff: &StaffContext, accounts: Vec<StaffAccount>, error: Option<String>) -> Self {
        UsersPage {
            username: staff.user.username.clone(),
            csrf_token: staff.csrf_token.clone(),
            accounts: accounts
                .into_iter()
                .map(|account| AccountRow {
                    username: account.user.username,
                    role: account.user.role.as_str(),
                    created_on: account.user.created_on,
                    has_totp: account.has_totp,
                })
                .collect(),
            error,
        }
    }
}

#[derive(Template)]
#[template(path = "staff_admin_settings.html")]
pub struct SettingsPage {
    pub username: String,
    pub csrf_token: String,
    pub publish_approvals: String,
    pub error: Option<String>,
}

impl SettingsPage {
    pub fn new(staff: &StaffContext, publish_approvals: String, error: Option<String>) -> Self {
        SettingsPage {
            username: staff.user.username.clone(),
            csrf_token: staff.csrf_token.clone(),
            publish_approvals,
            error,
        }
    }
}

/// One entry of the audit log as the viewer shows it.
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    /// The acting account's username, its id when the account no longer exists, or
    /// "operator" for the command line.
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
}

#[derive(Template)]
#[template(path = "staff_admin_audit.html")]
pub struct AuditLogPage {
    pub username: String,
    pub csrf_token: String,
    pub rows: Vec<AuditRow>,
    pub page: i64,
    pub pages: i64,
}

impl AuditLogPage {
    pub fn new(staff: &StaffContext, log: AuditPage) -> Self {
        let name_of = |id: &Option<String>| match id {
            Some(id) => log.usernames.get(id).cloned().unwrap_or_else(|| id.clone()),
            None => "operator".to_owned(),
        };
        let rows = log
            .entries
            .iter()
            .map(|entry| AuditRow {
                seq: entry.seq,
                at: entry.at.clone(),
                actor: name_of(&entry.staff_id),
                action: entry.action.clone(),
                subject: entry.subject.clone(),
                details: entry.details.clone(),
            })
            .collect();
        AuditLogPage {
            username: staff.user.username.clone(),
            csrf_token: staff.csrf_token.clone(),
            rows,
            page: log.page,
            pages: log.pages,
        }
    }
}
