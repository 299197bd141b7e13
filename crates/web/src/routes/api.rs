//! The JSON API under `/api/v1`, and the health check.

use axum::body::Body;
use axum::extract::{Path, RawQuery, State as Extract};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use nearmiss_app::{AppError, PAGE_SIZE};
use nearmiss_core::taxonomy::all_fields;
use nearmiss_core::{Report, SubmissionInput};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::routes::read_body;
use crate::State;

const OPENAPI: &str = include_str!("../../openapi.json");

pub async fn health(Extract(state): Extract<State>) -> impl IntoResponse {
    match state.app.health().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n")
        }
    }
}

pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

pub async fn taxonomy() -> Json<Value> {
    Json(json!({ "fields": all_fields() }))
}

pub async fn create_submission(
    Extract(state): Extract<State>,
    body: Body,
) -> Result<impl IntoResponse, ApiError> {
    let body = read_body(body).await?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|error| AppError::BadRequest(format!("invalid JSON body: {error}")))?;
    let input = SubmissionInput::from_json(&value).map_err(AppError::Invalid)?;

    let receipt = state.app.submit(input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "receipt": receipt }))))
}

/// Searches published reports with the parameters of `/reports`; see `SearchRequest`.
pub async fn list_reports(
    Extract(state): Extract<State>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = crate::form::decode(query.unwrap_or_default().as_bytes())?;
    let search = state.app.search_reports(&pairs).await?;
    let reports: Vec<Value> = search.hits.iter().map(|hit| report_json(&hit.report)).collect();
    Ok(Json(json!({
        "total": search.total,
        "page": search.page,
        "page_size": PAGE_SIZE,
        "page_count": search.page_count,
        "reports": reports,
        "facets": search.facets,
    })))
}

pub async fn show_report(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let report = state.app.report(&id).await?;
    Ok(Json(report_json(&report)))
}

fn report_json(report: &Report) -> Value {
    json!({
        "id": report.id,
        "title": report.title,
        "summary": report.summary,
        "what_happened": report.what_happened,
        "lessons_learned": report.lessons_learned,
        "recommendations": report.recommendations,
        "event_type": report.event_type,
        "contributing_factors": report.contributing_factors,
        "context": report.context,
        "event_month": report.event_month,
        "source": report.source,
        "source_key": report.source_key,
        "source_tags": report.source_tags,
        "published_on": report.published_on,
        "change_number": report.change_number,
    })
}
