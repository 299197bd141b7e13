//! Admin pages under `/staff/admin`: staff accounts, settings and the audit log. Every handler
//! goes through an `app` function that checks the admin role, and every form checks the
//! session's CSRF token.

use axum::body::Body;
use axum::extract::{Path, Query, State as Extract};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use nearmiss_app::{AppError, StaffContext};
use nearmiss_core::Role;
use serde::Deserialize;

use crate::error::PageError;
use crate::routes::staff::{checked_form, Staff};
use crate::staff_views::{AuditLogPage, SettingsPage, UsersPage};
use crate::views::render;
use crate::State;

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// Shows a page again with the message of a refused form; other errors pass through.
fn refused(error: AppError, page: impl FnOnce(String) -> String) -> Result<Response, PageError> {
    let (status, message) = match error {
        AppError::BadRequest(message) => (StatusCode::UNPROCESSABLE_ENTITY, message),
        AppError::Conflict(message) => (StatusCode::CONFLICT, message),
        AppError::NotFound(what) => (StatusCode::NOT_FOUND, format!("{what} not found")),
        other => return Err(other.into()),
    };
    Ok((status, Html(page(message))).into_response())
}

async fn users_page(state: &State, staff: &StaffContext, error: Option<String>) -> Result<String, PageError> {
    let accounts = state.app.staff_accounts(staff).await?;
    Ok(render(&UsersPage::new(staff, accounts, error)))
}

pub async fn users(Extract(state): Extract<State>, Staff(staff): Staff) -> Result<Html<String>, PageError> {
    Ok(Html(users_page(&state, &staff, None).await?))
}

pub async fn add_user(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    body: Body,
) -> Result<Response, PageError> {
    let pairs = checked_form(&staff, body).await?;
    staff.require_role(Role::Admin)?;
    let role = Role::parse(field(&pairs, "role"))
        .ok_or_else(|| AppError::BadRequest("choose the role analyst or admin".to_owned()));
    let username = field(&pairs, "username").trim();
    let added = match role {
        Ok(role) => {
            state
                .app
                .add_user((&staff).into(), username, role, field(&pairs, "password"))
                .await
        }
        Err(error) => Err(error),
    };
    match added {
        Ok(_) => Ok(Redirect::to("/staff/admin/users").into_response()),
        Err(error) => {
            let accounts = state.app.staff_accounts(&staff).await?;
            refused(error, |message| {
                render(&UsersPage::new(&staff, accounts, Some(message)))
            })
        }
    }
}

pub async fn reset_totp(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    Path(username): Path<String>,
    body: Body,
) -> Result<Response, PageError> {
    checked_form(&staff, body).await?;
    staff.require_role(Role::Admin)?;
    state.app.reset_totp((&staff).into(), &username).await?;
    Ok(Redirect::to("/staff/admin/users").into_response())
}

pub async fn settings(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
) -> Result<Html<String>, PageError> {
    staff.require_role(Role::Admin)?;
    let approvals = state.app.publish_approvals().await?;
    Ok(Html(render(&SettingsPage::new(
        &staff,
        approvals.to_string(),
        None,
    ))))
}

pub async fn save_settings(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    body: Body,
) -> Result<Response, PageError> {
    let pairs = checked_form(&staff, body).await?;
    let typed = field(&pairs, "publish_approvals");
    match state.app.set_publish_approvals(&staff, typed).await {
        Ok(_) => Ok(Redirect::to("/staff/admin/settings").into_response()),
        Err(error) => refused(error, |message| {
            render(&SettingsPage::new(&staff, typed.to_owned(), Some(message)))
        }),
    }
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    page: Option<String>,
}

pub async fn audit(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    Query(query): Query<AuditQuery>,
) -> Result<Html<String>, PageError> {
    let page = match query.page.as_deref() {
        None => 1,
        Some(text) => text
            .parse()
            .map_err(|_| AppError::BadRequest(format!("invalid page {text:?}: use a number from 1")))?,
    };
    let log = state.app.audit_page(&staff, page).await?;
    Ok(Html(render(&AuditLogPage::new(&staff, log))))
}
