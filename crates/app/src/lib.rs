//! The use cases of nearmiss. The web pages, the JSON API and the CLI all call these
//! functions, so each workflow rule is written once, here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nearmiss_store::Store;

pub mod attachments;
pub mod audit;
mod cache;
mod deidentify;
mod error;
pub mod import;
pub mod keys;
pub mod random;
mod receipt;
mod reports;
mod retention;
pub mod review;
mod search;
pub mod settings;
pub mod staff;
mod submit;
pub mod transfer;

pub use audit::{Actor, AuditPage, AuditVerification};
pub use cache::REPORT_CACHE_TTL;
pub use error::{AppError, AppResult};
pub use import::ImportSummary;
pub use receipt::ReceiptStatus;
pub use reports::{ReportPage, PAGE_SIZE};
pub use retention::DEFAULT_RETENTION_DAYS;
pub use review::{PublishOutcome, ReidentificationRisk, Review, ReviewEdit};
pub use search::{facet_fields, narrative_text, FacetField, ReportSearch, SearchRequest, SnippetPart, Sort};
pub use staff::{Enrolment, LoginOutcome, PendingOutcome, SecondStep, StaffAccount, StaffContext};

/// The application: a store plus the keys kept outside it.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    keys: Arc<keys::Keys>,
    data_dir: PathBuf,
    report_cache: Arc<cache::ReportCache>,
    guess_throttle: Arc<receipt::GuessThrottle>,
    /// Set by `serve` through `open_search_index`; other commands leave the index closed.
    search_index: Arc<std::sync::OnceLock<Arc<nearmiss_search::SearchIndex>>>,
    /// Bounds how many attachment uploads are decoded at once.
    sanitize_permits: Arc<tokio::sync::Semaphore>,
}

impl App {
    /// Opens the data directory (creating it and its keys on first use) and the store.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> AppResult<App> {
        std::fs::create_dir_all(data_dir).map_err(|error| {
            AppError::Internal(format!(
                "cannot create data directory {}: {error}",
                data_dir.display()
            ))
        })?;
        let keys = keys::Keys::load_or_create(data_dir)?;
        let store = nearmiss_store::open(data_dir, database_url, Arc::clone(keys.sealer())).await?;
        Ok(App {
            store,
            keys: Arc::new(keys),
            data_dir: data_dir.to_owned(),
            report_cache: Arc::default(),
            guess_throttle: Arc::default(),
            search_index: Arc::default(),
            sanitize_permits: attachments::sanitize_permits(),
        })
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Checks that the store responds.
    pub async fn health(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }
}
