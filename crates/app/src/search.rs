//! Searching published reports through the node's search index, which follows the store.

use std::sync::Arc;

use nearmiss_core::Report;
use nearmiss_search::{FacetCounts, Hit, SearchError, SearchIndex, WriterOptions, INDEX_DIR};

use crate::{App, AppError, AppResult};

pub use nearmiss_search::request::facet_fields;
pub use nearmiss_search::{narrative_text, FacetField, SearchRequest, SnippetPart, Sort};

/// Most similar reports shown with a report.
pub const SIMILAR_REPORTS: usize = 5;

/// One page of a search over published reports.
#[derive(Debug, Clone)]
pub struct ReportSearch {
    pub request: SearchRequest,
    pub total: u64,
    pub page: usize,
    pub page_count: usize,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
}

impl From<SearchError> for AppError {
    fn from(error: SearchError) -> Self {
        match error {
            SearchError::Parameter(error) => AppError::BadRequest(error.to_string()),
            SearchError::InUse(_) => AppError::Conflict(error.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl App {
    /// Opens the search index in `DATA/search` and applies what the store published since it
    /// was last written. Returns the number of reports applied.
    pub async fn open_search_index(&self) -> AppResult<usize> {
        let dir = self.data_dir.join(INDEX_DIR);
        let index = tokio::task::spawn_blocking(move || SearchIndex::open(&dir))
            .await
            .map_err(|error| AppError::Internal(format!("opening the search index failed: {error}")))??;
        let index = Arc::new(index);
        let applied = index.catch_up(self.store.as_ref()).await?;
        self.search_index
            .set(index)
            .map_err(|_| AppError::Internal("the search index is already open".to_owned()))?;
        Ok(applied)
    }

    /// Starts the background task that keeps the open search index in step with the store.
    pub fn spawn_search_follower(&self) -> Option<tokio::task::JoinHandle<()>> {
        let index = Arc::clone(self.search_index.get()?);
        Some(tokio::spawn(index.follow(Arc::clone(&self.store))))
    }

    /// Builds the search index anew from the store; fails while a server has it open.
    pub async fn rebuild_search_index(&self) -> AppResult<u64> {
        let dir = self.data_dir.join(INDEX_DIR);
        let options = WriterOptions {
            threads: std::thread::available_parallelism()
                .map_or(1, |count| count.get())
                .min(4),
            memory_bytes: 256 * 1024 * 1024,
        };
        Ok(nearmiss_search::rebuild(&dir, self.store.as_ref(), options).await?)
    }

    /// Searches published reports with query-string parameters (see [`SearchRequest`]).
    ///
    /// A plain listing, without text or filters, reads its page and total from the store, so
    /// that a report is listed as soon as it is published; facet counts always come from the
    /// index, which trails the store by up to one poll interval.
    pub async fn search_reports(&self, pairs: &[(String, String)]) -> AppResult<ReportSearch> {
        let request = SearchRequest::from_pairs(pairs).map_err(SearchError::from)?;
        let index = self.search_index.get().cloned();

        if request.is_plain_listing() {
            let listing = self.list_reports(request.page as i64).await?;
            let facets = match index {
                Some(index) => run_blocking(move || index.facet_counts_of_all()).await?,
                None => FacetCounts::new(),
            };
            return Ok(ReportSearch {
                total: listing.total as u64,
                page: request.page,
                page_count: listing.page_count as usize,
                hits: listing
                    .reports
                    .into_iter()
                    .map(|report| Hit {
                        report,
                        snippet: Vec::new(),
                    })
                    .collect(),
                facets,
                request,
            });
        }

        let index = index.ok_or_else(|| AppError::Internal("the search index is not open".to_owned()))?;
        let query = request.clone();
        let results = run_blocking(move || index.search(&query)).await?;
        let page_count = (results.total as usize)
            .div_ceil(nearmiss_search::PAGE_SIZE)
            .max(1);
        Ok(ReportSearch {
            request,
            total: results.total,
            page: results.page,
            page_count,
            hits: results.hits,
            facets: results.facets,
        })
    }

    /// Returns up to five published reports like `report`; none while the index is closed.
    pub async fn similar_reports(&self, report: Arc<Report>) -> AppResult<Vec<Report>> {
        let Some(index) = self.search_index.get().cloned() else {
            return Ok(Vec::new());
        };
        run_blocking(move || index.similar(&report, SIMILAR_REPORTS)).await
    }
}

/// Runs index work on the blocking pool: a search can take milliseconds of CPU.
async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> AppResult<T> {
    let result = tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| AppError::Internal(format!("search task failed: {error}")))?;
    Ok(result?)
}
