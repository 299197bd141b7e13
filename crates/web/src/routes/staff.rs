//! Staff pages: sign-in, the review queue and the review of one submission. The session
//! cookie is scoped to `/staff`, so browsers never send it on reporter or reader paths.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State as Extract};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use nearmiss_app::{AppError, PublishOutcome, ReviewEdit, StaffContext};
use nearmiss_core::audit::AuditAction;
use nearmiss_core::report::ReportDraft;
use nearmiss_core::review::{Coarsening, Decision};
use nearmiss_core::FieldErrors;
use subtle::ConstantTimeEq;

use crate::error::PageError;
use crate::form;
use crate::review_view::ReviewPage;
use crate::routes::{read_body, staff_totp};
use crate::views::{render, LoginPage, QueuePage, QueueRow};
use crate::State;

const SESSION_COOKIE: &str = "nearmiss_staff";

/// The signed-in staff member; requests without a valid session are sent to the sign-in page.
pub struct Staff(pub StaffContext);

impl FromRequestParts<State> for Staff {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthenticated)?;
        Ok(Staff(state.app.staff_context(&token).await?))
    }
}

/// The value of the cookie `name`; no other header is read.
pub(crate) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Decodes a staff form and checks its CSRF token against the session's.
pub(crate) async fn checked_form(
    staff: &StaffContext,
    body: Body,
) -> Result<Vec<(String, String)>, AppError> {
    let pairs = form::decode(&read_body(body).await?)?;
    let sent = pairs
        .iter()
        .find(|(name, _)| name == "csrf")
        .map_or("", |(_, value)| value.as_str());
    if !bool::from(sent.as_bytes().ct_eq(staff.csrf_token.as_bytes())) {
        return Err(AppError::Forbidden(
            "invalid or missing form token: reload the page and try again".to_owned(),
        ));
    }
    Ok(pairs)
}

pub(crate) fn session_cookie(state: &State, value: &str, max_age: i64) -> String {
    staff_cookie(state, SESSION_COOKIE, value, max_age)
}

/// A cookie that browsers send only to `/staff` paths and only from our own pages.
pub(crate) fn staff_cookie(state: &State, name: &str, value: &str, max_age: i64) -> String {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

pub async fn login_form() -> Html<String> {
    Html(render(&LoginPage {
        username: String::new(),
        error: None,
    }))
}

fn login_page(username: String, message: String, status: StatusCode) -> Response {
    let page = LoginPage {
        username,
        error: Some(message),
    };
    (status, Html(render(&page))).into_response()
}

pub async fn login(Extract(state): Extract<State>, body: Body) -> Result<Response, PageError> {
    let pairs = form::decode(&read_body(body).await?)?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    };
    let username = field("username").trim().to_owned();

    // The password opens a pending sign-in only; the session comes after the TOTP step.
    match state.app.login(&username, field("password")).await {
        Ok(outcome) => Ok(staff_totp::to_second_step(&state, &outcome)),
        Err(AppError::BadRequest(message)) => Ok(login_page(username, message, StatusCode::UNAUTHORIZED)),
        Err(AppError::TooManyRequests(message)) => {
            Ok(login_page(username, message, StatusCode::TOO_MANY_REQUESTS))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn logout(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    body: Body,
) -> Result<Response, PageError> {
    checked_form(&staff, body).await?;
    state.app.logout(&staff).await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, "", 0))],
        Redirect::to("/staff/login"),
    )
        .into_response())
}

pub async fn queue(Extract(state): Extract<State>, Staff(staff): Staff) -> Result<Html<String>, PageError> {
    let submissions = state.app.review_queue(&staff).await?;
    Ok(Html(render(&QueuePage {
        is_admin: staff.user.role == nearmiss_core::Role::Admin,
        username: staff.user.username,
        csrf_token: staff.csrf_token,
        rows: submissions.iter().map(QueueRow::new).collect(),
    })))
}

pub async fn review(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let review = state.app.review(&staff, &id).await?;
    state
        .app
        .audit(&staff, AuditAction::ViewedSubmission, &id, serde_json::json!({}))
        .await?;
    let page = ReviewPage::new(
        staff.user.username,
        staff.csrf_token,
        &review,
        &FieldErrors::default(),
        "",
    );
    Ok(Html(render(&page)))
}

/// Reads the review form: the draft fields, a decision per span (`span_N`), an optional missed
/// identifier to mark, and the coarsening choices.
fn review_edit(pairs: Vec<(String, String)>) -> ReviewEdit {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    };
    let mut edit = ReviewEdit {
        coarsening: Coarsening {
            region_instead_of_state: field("region_instead_of_state") == "on",
            quarter_instead_of_month: field("quarter_instead_of_month") == "on",
        },
        ..ReviewEdit::default()
    };
    for (name, value) in &pairs {
        let index = name
            .strip_prefix("span_")
            .and_then(|index| index.parse::<usize>().ok());
        if let (Some(index), Some(decision)) = (index, Decision::parse(value)) {
            edit.decisions.push((index, decision));
        }
    }
    if !field("mark_text").trim().is_empty() {
        edit.marks.push((
            field("mark_field").to_owned(),
            field("mark_text").to_owned(),
            field("mark_kind").to_owned(),
        ));
    }
    edit.draft = ReportDraft::from_pairs(pairs);
    edit
}

/// Shows the review page again with the errors of a refused save, publication or rejection.
async fn review_again(
    state: &State,
    staff: StaffContext,
    id: &str,
    errors: &FieldErrors,
    reason: &str,
) -> Result<Response, PageError> {
    let review = state.app.review(&staff, id).await?;
    let page = ReviewPage::new(staff.user.username, staff.csrf_token, &review, errors, reason);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
}

pub async fn save(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, PageError> {
    let edit = review_edit(checked_form(&staff, body).await?);
    let review = state.app.save_review(&staff, &id, edit).await?;
    let page = ReviewPage::new(
        staff.user.username,
        staff.csrf_token,
        &review,
        &FieldErrors::default(),
        "",
    );
    Ok(Html(render(&page)).into_response())
}

pub async fn publish(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, PageError> {
    let edit = review_edit(checked_form(&staff, body).await?);
    match state.app.publish(&staff, &id, edit).await {
        Ok(PublishOutcome::Published(report)) => {
            Ok(Redirect::to(&format!("/reports/{}", report.id)).into_response())
        }
        Ok(PublishOutcome::Approved { approvals, needed }) => {
            let review = state.app.review(&staff, &id).await?;
            let mut page = ReviewPage::new(
                staff.user.username,
                staff.csrf_token,
                &review,
                &FieldErrors::default(),
                "",
            );
            page.notice = Some(format!(
                "Your approval is recorded: {approvals} of {needed}. Another analyst must approve this exact text before it is published."
            ));
            Ok(Html(render(&page)).into_response())
        }
        Err(AppError::Invalid(errors)) => review_again(&state, staff, &id, &errors, "").await,
        Err(other) => Err(other.into()),
    }
}

pub async fn reject(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, PageError> {
    let pairs = checked_form(&staff, body).await?;
    let reason = pairs
        .iter()
        .find(|(name, _)| name == "reason")
        .map_or("", |(_, value)| value.as_str());
    match state.app.reject(&staff, &id, reason).await {
        Ok(()) => Ok(Redirect::to("/staff").into_response()),
        Err(AppError::Invalid(errors)) => review_again(&state, staff, &id, &errors, reason).await,
        Err(other) => Err(other.into()),
    }
}
