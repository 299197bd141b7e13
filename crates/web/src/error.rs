//! Turning `AppError` into responses: an HTML page for browsers, JSON for the API. Client
//! errors carry their safe message; server errors show only a request id and are logged once
//! with the detail.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use nearmiss_app::AppError;
use serde_json::json;

use crate::headers::current_request_id;
use crate::views;

fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The message shown to the client; internal details never leave the server.
fn public_message(error: &AppError, request_id: &str) -> String {
    match error {
        AppError::Internal(detail) => {
            tracing::error!(%detail, "request failed");
            format!("Something went wrong on our side. If it persists, tell the site operator request id {request_id}.")
        }
        other => other.to_string(),
    }
}

/// An error on an HTML page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Unauthenticated) {
            return Redirect::to("/staff/login").into_response();
        }
        let status = status_of(&self.0);
        let message = public_message(&self.0, &current_request_id());
        let page = views::ErrorPage {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or(""),
            message,
        };
        (status, Html(views::render(&page))).into_response()
    }
}

/// An error of the JSON API: `{"error": "...", "fields": {"name": "message"}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let body = match &self.0 {
            AppError::Invalid(errors) => {
                let fields: serde_json::Map<String, serde_json::Value> = errors
                    .0
                    .iter()
                    .map(|e| (e.field.clone(), json!(e.message)))
                    .collect();
                json!({"error": "invalid submission: see fields", "fields": fields})
            }
            other => json!({"error": public_message(other, &current_request_id())}),
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                "Cookie".parse().expect("valid header value"),
            );
        }
        response
    }
}
