//! Atom feeds of published reports: the newest ones, and any search of the reports page.

use axum::extract::{RawQuery, State as Extract};
use axum::http::header;
use axum::response::IntoResponse;

use crate::error::PageError;
use crate::search_views::{link, AtomFeed};
use crate::views::render;
use crate::State;

const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

pub async fn reports(Extract(state): Extract<State>) -> Result<impl IntoResponse, PageError> {
    let search = state.app.search_reports(&[]).await?;
    let reports: Vec<_> = search.hits.into_iter().map(|hit| hit.report).collect();
    let feed = AtomFeed::new(
        "nearmiss: newest reports".to_owned(),
        "reports",
        "/feeds/reports.atom".to_owned(),
        "/reports".to_owned(),
        &reports,
    );
    Ok(([(header::CONTENT_TYPE, CONTENT_TYPE)], render(&feed)))
}

/// Takes the parameters of `/reports`; without `sort`, a feed lists the newest matches first,
/// since a feed reader shows entries by date.
pub async fn search(
    Extract(state): Extract<State>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, PageError> {
    let mut pairs = crate::form::decode(query.unwrap_or_default().as_bytes())?;
    if !pairs
        .iter()
        .any(|(name, value)| name == "sort" && !value.trim().is_empty())
    {
        pairs.push(("sort".to_owned(), "newest".to_owned()));
    }
    let search = state.app.search_reports(&pairs).await?;

    let key = search.request.to_pairs();
    let title = match search.request.text.as_str() {
        "" => "nearmiss: reports matching a search".to_owned(),
        text => format!("nearmiss: reports matching {text}"),
    };
    let reports: Vec<_> = search.hits.into_iter().map(|hit| hit.report).collect();
    let feed = AtomFeed::new(
        title,
        &link("search", &key),
        link("/feeds/search.atom", &key),
        link("/reports", &key),
        &reports,
    );
    Ok(([(header::CONTENT_TYPE, CONTENT_TYPE)], render(&feed)))
}
