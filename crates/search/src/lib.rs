//! Search over published reports: a tantivy index per node that follows the store's change
//! numbers. The database stays the source of truth; the index can be deleted at any time and
//! is rebuilt from it.
//!
//! [`SearchRequest`] parses and validates the parameters shared by the reports page, the API
//! and the feeds; [`SearchIndex::search`] answers them with one page of hits, the total and
//! facet counts.

mod analyzer;
mod facets;
mod follow;
mod index;
mod rebuild;
pub mod request;
mod schema;

use std::path::PathBuf;

pub use facets::FacetCounts;
pub use follow::{OVERLAP, POLL_INTERVAL};
pub use index::{Hit, SearchIndex, SearchResults, SnippetPart, WriterOptions};
pub use rebuild::rebuild;
pub use request::{FacetField, ParameterError, SearchRequest, Sort, MAX_PAGE, PAGE_SIZE};
pub use schema::narrative_text;

/// Name of the index directory inside the data directory.
pub const INDEX_DIR: &str = "search";

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Parameter(#[from] ParameterError),
    #[error(
        "the search index at {} is in use by another process; stop that process (usually \
         `nearmiss serve` on the same data directory) and try again",
        .0.display()
    )]
    InUse(PathBuf),
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("reading reports for the search index failed: {0}")]
    Store(#[from] nearmiss_store::StoreError),
    #[error("search index is corrupt: {0}; rebuild it with `nearmiss reindex`")]
    Corrupt(String),
    #[error("search index file error: {0}")]
    File(String),
    #[error("search index task failed: {0}")]
    Task(String),
}
