//! A short-lived cache of rendered report pages, the hottest page of the site. Each page also
//! runs a similar-reports search, which the cache spares for repeat readers.
//!
//! Entries live for `nearmiss_app::REPORT_CACHE_TTL`, the same bound on staleness as the
//! report cache below it; a report that does not exist is never cached.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Instant;

use axum::body::Bytes;

/// The cache is emptied when it grows past this many pages, which bounds its memory.
const MAX_PAGES: usize = 5_000;

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, (Instant, Bytes)>>,
}

impl PageCache {
    pub fn get(&self, id: &str) -> Option<Bytes> {
        let pages = self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (stored_at, page) = pages.get(id)?;
        (stored_at.elapsed() < nearmiss_app::REPORT_CACHE_TTL).then(|| page.clone())
    }

    pub fn insert(&self, id: &str, page: Bytes) {
        let mut pages = self
            .pages
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if pages.len() >= MAX_PAGES {
            pages.clear();
        }
        pages.insert(id.to_owned(), (Instant::now(), page));
    }
}
