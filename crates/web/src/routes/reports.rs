//! Public report pages: the searchable list and one report with similar ones.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as Extract};
use axum::response::Html;

use crate::error::PageError;
use crate::search_views::{ReportPage, ReportsPage};
use crate::views::render;
use crate::State;

pub async fn index(
    Extract(state): Extract<State>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let pairs = crate::form::decode(query.unwrap_or_default().as_bytes())?;
    let search = state.app.search_reports(&pairs).await?;
    Ok(Html(render(&ReportsPage::new(search))))
}

pub async fn show(Extract(state): Extract<State>, Path(id): Path<String>) -> Result<Html<Bytes>, PageError> {
    if let Some(page) = state.report_pages.get(&id) {
        return Ok(Html(page));
    }

    let report = state.app.report(&id).await?;
    let similar = state.app.similar_reports(std::sync::Arc::clone(&report)).await?;
    let page = Bytes::from(render(&ReportPage { report, similar }));
    state.report_pages.insert(&id, page.clone());
    Ok(Html(page))
}
