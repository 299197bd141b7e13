//! The anonymous submit form.

use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use nearmiss_app::AppError;
use nearmiss_core::{FieldErrors, SubmissionInput};

use crate::error::PageError;
use crate::form;
use crate::routes::read_body;
use crate::views::{render, ReceiptPage, SubmitPage};
use crate::State;

pub async fn form() -> Html<String> {
    Html(render(&SubmitPage::new(
        &SubmissionInput::default(),
        &FieldErrors::default(),
    )))
}

pub async fn create(Extract(state): Extract<State>, body: Body) -> Result<Response, PageError> {
    let body = read_body(body).await?;
    let pairs = match form::decode(&body) {
        Ok(pairs) => pairs,
        Err(AppError::Invalid(errors)) => return Ok(invalid(&SubmissionInput::default(), &errors)),
        Err(other) => return Err(other.into()),
    };

    let input = SubmissionInput::from_pairs(pairs);
    match state.app.submit(input.clone()).await {
        Ok(receipt) => Ok(Html(render(&ReceiptPage { receipt })).into_response()),
        Err(AppError::Invalid(errors)) => Ok(invalid(&input, &errors)),
        Err(other) => Err(other.into()),
    }
}

/// Shows the form again with every answer kept and a message at each invalid field.
fn invalid(input: &SubmissionInput, errors: &FieldErrors) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Html(render(&SubmitPage::new(input, errors))),
    )
        .into_response()
}
