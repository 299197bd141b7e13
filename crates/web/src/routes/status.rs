//! Receipt status: a reporter enters the receipt to see what became of the submission.

use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use nearmiss_app::{AppError, ReceiptStatus};
use serde_json::{json, Value};

use crate::error::{ApiError, PageError};
use crate::form;
use crate::routes::read_body;
use crate::views::{render, StatusPage};
use crate::State;

pub async fn form() -> Html<String> {
    Html(render(&StatusPage::default()))
}

pub async fn check(Extract(state): Extract<State>, body: Body) -> Result<Response, PageError> {
    let pairs = form::decode(&read_body(body).await?)?;
    let receipt = pairs
        .iter()
        .find(|(name, _)| name == "receipt")
        .map_or("", |(_, value)| value.as_str());

    match state.app.check_receipt(receipt).await {
        Ok(status) => Ok(Html(render(&StatusPage::found(status))).into_response()),
        Err(error @ (AppError::BadRequest(_) | AppError::NotFound(_) | AppError::TooManyRequests(_))) => {
            let code = match error {
                AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                _ => StatusCode::BAD_REQUEST,
            };
            let message = match &error {
                AppError::NotFound(_) => {
                    "No submission matches this receipt. Check each word and try again.".to_owned()
                }
                other => other.to_string(),
            };
            Ok((code, Html(render(&StatusPage::failed(message)))).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn check_json(Extract(state): Extract<State>, body: Body) -> Result<Json<Value>, ApiError> {
    let body = read_body(body).await?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|error| AppError::BadRequest(format!("invalid JSON body: {error}")))?;
    let Some(receipt) = value.get("receipt").and_then(Value::as_str) else {
        return Err(AppError::BadRequest("missing field receipt: expected a string".to_owned()).into());
    };

    let status = state.app.check_receipt(receipt).await?;
    Ok(Json(status_json(&status)))
}

fn status_json(status: &ReceiptStatus) -> Value {
    json!({
        "status": status.status,
        "received_on": status.received_on,
        "report_id": status.report_id,
        "decision_reason": status.decision_reason,
    })
}
