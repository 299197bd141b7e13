//! The second step of staff sign-in: a TOTP code, or enrolment for an account that has no TOTP
//! yet. Between the password and this step the browser holds only a pending sign-in cookie,
//! which opens no other staff page. These forms carry no CSRF token: the pending cookie is
//! itself an unguessable secret that browsers send only from our own pages (`SameSite=Strict`).

use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use nearmiss_app::staff::{PENDING_LOGIN_SECONDS, SESSION_MAX_SECONDS};
use nearmiss_app::{AppError, AppResult, LoginOutcome, PendingOutcome, SecondStep};

use crate::error::PageError;
use crate::form;
use crate::routes::read_body;
use crate::routes::staff::{cookie, session_cookie, staff_cookie};
use crate::staff_views::{EnrolPage, TotpPage};
use crate::views::render;
use crate::State;

const PENDING_COOKIE: &str = "nearmiss_pending";
const TOTP_PATH: &str = "/staff/login/totp";
const ENROL_PATH: &str = "/staff/totp/enrol";

/// Sends the browser from an accepted password to its second step, holding the pending sign-in.
pub fn to_second_step(state: &State, outcome: &PendingOutcome) -> Response {
    let cookie = staff_cookie(
        state,
        PENDING_COOKIE,
        &outcome.pending_token,
        PENDING_LOGIN_SECONDS,
    );
    let target = match outcome.step {
        SecondStep::Enrol => ENROL_PATH,
        SecondStep::Totp => TOTP_PATH,
    };
    ([(header::SET_COOKIE, cookie)], Redirect::to(target)).into_response()
}

fn pending_token(headers: &HeaderMap) -> AppResult<String> {
    cookie(headers, PENDING_COOKIE).ok_or(AppError::Unauthenticated)
}

/// Opens the session: a fresh session cookie, and the pending cookie removed.
fn signed_in(state: &State, outcome: &LoginOutcome) -> Response {
    let session = session_cookie(state, &outcome.session_token, SESSION_MAX_SECONDS);
    let pending = staff_cookie(state, PENDING_COOKIE, "", 0);
    // A header array would keep only the last of two equal names; both cookies must be sent.
    let cookies = AppendHeaders([(header::SET_COOKIE, session), (header::SET_COOKIE, pending)]);
    (cookies, Redirect::to("/staff")).into_response()
}

async fn code_from(body: Body) -> Result<String, AppError> {
    let pairs = form::decode(&read_body(body).await?)?;
    Ok(pairs
        .into_iter()
        .find(|(name, _)| name == "code")
        .map_or_else(String::new, |(_, value)| value))
}

/// Renders the page for a refused code with its status. Other errors pass through.
fn refused(error: AppError, page: impl FnOnce(String) -> String) -> Result<Response, PageError> {
    let (status, message) = match error {
        AppError::BadRequest(message) => (StatusCode::UNAUTHORIZED, message),
        AppError::TooManyRequests(message) => (StatusCode::TOO_MANY_REQUESTS, message),
        other => return Err(other.into()),
    };
    Ok((status, Html(page(message))).into_response())
}

pub async fn totp_form(Extract(state): Extract<State>, headers: HeaderMap) -> Result<Response, PageError> {
    let token = pending_token(&headers)?;
    if state.app.pending_step(&token).await? == SecondStep::Enrol {
        return Ok(Redirect::to(ENROL_PATH).into_response());
    }
    Ok(Html(render(&TotpPage { error: None })).into_response())
}

pub async fn totp(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, PageError> {
    let token = pending_token(&headers)?;
    let code = code_from(body).await?;
    match state.app.login_totp(&token, &code).await {
        Ok(outcome) => Ok(signed_in(&state, &outcome)),
        Err(error) => refused(error, |message| render(&TotpPage { error: Some(message) })),
    }
}

pub async fn enrol_form(Extract(state): Extract<State>, headers: HeaderMap) -> Result<Response, PageError> {
    let token = pending_token(&headers)?;
    if state.app.pending_step(&token).await? == SecondStep::Totp {
        return Ok(Redirect::to(TOTP_PATH).into_response());
    }
    let enrolment = state.app.enrolment(&token).await?;
    Ok(Html(render(&EnrolPage::new(enrolment, None))).into_response())
}

pub async fn enrol(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, PageError> {
    let token = pending_token(&headers)?;
    let code = code_from(body).await?;
    match state.app.confirm_enrolment(&token, &code).await {
        Ok(outcome) => Ok(signed_in(&state, &outcome)),
        Err(error) => {
            let enrolment = state.app.enrolment(&token).await;
            refused(error, |message| match enrolment {
                Ok(enrolment) => render(&EnrolPage::new(enrolment, Some(message))),
                Err(_) => render(&TotpPage { error: Some(message) }),
            })
        }
    }
}
