//! Public report pages.

use std::collections::HashMap;

use axum::extract::{Path, Query, State as Extract};
use axum::response::Html;

use crate::error::PageError;
use crate::routes::page_number;
use crate::views::{render, ReportPage, ReportsPage};
use crate::State;

pub async fn index(
    Extract(state): Extract<State>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let page = page_number(query.get("page").map(String::as_str))?;
    let listing = state.app.list_reports(page).await?;
    Ok(Html(render(&ReportsPage {
        total: listing.total,
        page: listing.page,
        page_count: listing.page_count,
        reports: listing.reports,
    })))
}

pub async fn show(Extract(state): Extract<State>, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let report = state.app.report(&id).await?;
    Ok(Html(render(&ReportPage { report })))
}
