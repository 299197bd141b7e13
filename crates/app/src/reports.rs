//! Reading published reports.

use std::sync::Arc;

use nearmiss_core::Report;

use crate::random::is_valid_id;
use crate::{App, AppError, AppResult};

pub const PAGE_SIZE: i64 = 20;
/// Deeper pages are rejected: nobody pages this far, and huge offsets cost full scans.
const MAX_PAGE: i64 = 100_000;

/// One page of reports, newest first.
#[derive(Debug, Clone)]
pub struct ReportPage {
    pub total: i64,
    pub page: i64,
    pub page_count: i64,
    pub reports: Vec<Report>,
}

impl App {
    /// Returns page `page` (1-based) of the published reports.
    pub async fn list_reports(&self, page: i64) -> AppResult<ReportPage> {
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(AppError::BadRequest(format!(
                "invalid page {page}: expected 1 to {MAX_PAGE}"
            )));
        }

        let total = self.store.count_reports().await?;
        let reports = self.store.list_reports((page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
        let page_count = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        Ok(ReportPage {
            total,
            page,
            page_count,
            reports,
        })
    }

    /// Returns a published report; recently read reports come from a short-lived cache.
    pub async fn report(&self, id: &str) -> AppResult<Arc<Report>> {
        if !is_valid_id(id) {
            return Err(AppError::NotFound(format!("report {id:?}")));
        }
        if let Some(report) = self.report_cache.get(id) {
            return Ok(report);
        }

        let report = self
            .store
            .report(id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("report {id}")))?;
        let report = Arc::new(report);
        self.report_cache.insert(Arc::clone(&report));
        Ok(report)
    }
}
