//! A small in-memory cache of published reports for the hot report page.
//!
//! Entries expire after `REPORT_CACHE_TTL`, so a change made through another node shows here
//! within that time; missing reports are never cached, so a new publication is visible at once.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use nearmiss_core::Report;

pub const REPORT_CACHE_TTL: Duration = Duration::from_secs(2);
/// The cache is emptied when it grows past this many entries, which bounds its memory.
const MAX_ENTRIES: usize = 20_000;

#[derive(Default)]
pub struct ReportCache {
    entries: RwLock<HashMap<String, (Instant, Arc<Report>)>>,
}

impl ReportCache {
    pub fn get(&self, id: &str) -> Option<Arc<Report>> {
        let entries = self
            .entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (stored_at, report) = entries.get(id)?;
        (stored_at.elapsed() < REPORT_CACHE_TTL).then(|| Arc::clone(report))
    }

    pub fn insert(&self, report: Arc<Report>) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(report.id.clone(), (Instant::now(), report));
    }
}
