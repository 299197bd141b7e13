//! Rebuilding the index from scratch: a new index is filled from the store next to the old
//! one and then takes its place, so that a failed rebuild leaves the old index untouched.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nearmiss_store::Store;
use tantivy::{Index, TantivyDocument};

use crate::index::file_error;
use crate::{SearchError, SearchIndex, WriterOptions};

/// Memory of the writer held only to lock the old index; tantivy's minimum is 15 MB per thread.
const LOCK_WRITER_BYTES: usize = 15_000_000;

/// Rebuilds the index in `dir` from every report in the store and returns how many it holds.
/// Fails with [`SearchError::InUse`] while another process, such as a running server, has the
/// index open for writing.
pub async fn rebuild(dir: &Path, store: &dyn Store, options: WriterOptions) -> Result<u64, SearchError> {
    let old_index_lock = lock_existing(dir)?;

    let staging = sibling(dir, "rebuild");
    remove_dir_if_present(&staging)?;
    let index = Arc::new(SearchIndex::open_with(&staging, options)?);
    index.catch_up(store).await?;
    let count = index.num_reports();
    let index = Arc::into_inner(index)
        .ok_or_else(|| SearchError::Task("the new search index is still in use".to_owned()))?;
    tokio::task::spawn_blocking(move || index.wait_for_merges())
        .await
        .map_err(|error| SearchError::Task(error.to_string()))??;

    drop(old_index_lock);
    let retired = sibling(dir, "old");
    remove_dir_if_present(&retired)?;
    if dir.exists() {
        std::fs::rename(dir, &retired).map_err(|error| file_error(dir, error))?;
    }
    std::fs::rename(&staging, dir).map_err(|error| file_error(&staging, error))?;
    remove_dir_if_present(&retired)?;
    Ok(count)
}

/// Takes the writer lock of an existing index, so that no server writes to it during the
/// rebuild. A directory that holds no readable index needs no lock.
fn lock_existing(dir: &Path) -> Result<Option<tantivy::IndexWriter<TantivyDocument>>, SearchError> {
    let Ok(index) = Index::open_in_dir(dir) else {
        return Ok(None);
    };
    match index.writer_with_num_threads(1, LOCK_WRITER_BYTES) {
        Ok(writer) => Ok(Some(writer)),
        Err(tantivy::TantivyError::LockFailure(..)) => Err(SearchError::InUse(dir.to_owned())),
        Err(other) => Err(SearchError::Index(other)),
    }
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "search".into(), |name| name.to_string_lossy());
    dir.with_file_name(format!("{name}.{suffix}"))
}

fn remove_dir_if_present(dir: &Path) -> Result<(), SearchError> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(file_error(dir, error)),
    }
}
