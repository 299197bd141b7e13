//! Home, privacy and static files.

use axum::extract::State as Extract;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse};
use nearmiss_app::AppError;

use crate::error::PageError;
use crate::views::{render, HomePage, PrivacyPage};
use crate::State;

const STYLESHEET: &str = include_str!("../../static/style.css");
const ICON: &str = include_str!("../../static/icon.svg");

pub async fn home(Extract(state): Extract<State>) -> Result<Html<String>, PageError> {
    let report_count = state.app.store().count_reports().await.map_err(AppError::from)?;
    Ok(Html(render(&HomePage { report_count })))
}

pub async fn privacy() -> Html<String> {
    Html(render(&PrivacyPage))
}

pub async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLESHEET)
}

pub async fn icon() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/svg+xml")], ICON)
}

pub async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        PageError(AppError::NotFound("page".to_owned())),
    )
}
