//! The anonymous submit form. It posts as `multipart/form-data` so that images can be attached;
//! `application/x-www-form-urlencoded` posts keep working.

use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use nearmiss_app::attachments::FIELD as ATTACHMENTS;
use nearmiss_app::AppError;
use nearmiss_core::{FieldErrors, SubmissionInput};

use crate::error::PageError;
use crate::form::{self, MultipartForm};
use crate::routes::{read_body, read_body_up_to};
use crate::views::{render, ReceiptPage, SubmitPage};
use crate::{max_submit_body_bytes, State};

pub async fn form() -> Html<String> {
    Html(render(&SubmitPage::new(
        &SubmissionInput::default(),
        &FieldErrors::default(),
        false,
    )))
}

pub async fn create(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, PageError> {
    let submitted = match read_form(&headers, body).await {
        Ok(submitted) => submitted,
        Err(AppError::Invalid(errors)) => return Ok(invalid(&SubmissionInput::default(), &errors, false)),
        Err(other) => return Err(other.into()),
    };

    let had_files = !submitted.files.is_empty();
    let input = SubmissionInput::from_pairs(submitted.pairs);
    match state
        .app
        .submit_with_attachments(input.clone(), submitted.files)
        .await
    {
        Ok(receipt) => Ok(Html(render(&ReceiptPage { receipt })).into_response()),
        Err(AppError::Invalid(errors)) => Ok(invalid(&input, &errors, had_files)),
        Err(other) => Err(other.into()),
    }
}

/// Reads the form as multipart or as URL-encoded pairs, whichever `Content-Type` announces; no
/// other header is read. Only a multipart body may exceed `MAX_BODY_BYTES`.
async fn read_form(headers: &HeaderMap, body: Body) -> Result<MultipartForm, AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let mut submitted = if form::is_multipart(content_type) {
        let body = read_body_up_to(body, max_submit_body_bytes()).await?;
        form::decode_multipart(content_type, body, ATTACHMENTS).await?
    } else {
        let pairs = form::decode(&read_body(body).await?)?;
        MultipartForm {
            pairs,
            files: Vec::new(),
        }
    };

    // A browser that posts the file input URL-encoded sends the file name as its value, and a
    // file name must never reach the submission.
    submitted.pairs.retain(|(name, _)| name != ATTACHMENTS);
    Ok(submitted)
}

/// Shows the form again with every answer kept and a message at each invalid field. Files
/// cannot be put back into a file input, so the page asks for them again when some were sent.
fn invalid(input: &SubmissionInput, errors: &FieldErrors, had_files: bool) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Html(render(&SubmitPage::new(input, errors, had_files))),
    )
        .into_response()
}
