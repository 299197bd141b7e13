//! Secrets kept in the data directory, outside the database, so that a copy of the database
//! alone neither allows guessing receipts nor reveals raw submissions.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use nearmiss_store::sealing::Sealer;
use sha2::Sha256;

use crate::random::random_bytes;
use crate::{AppError, AppResult};

const RECEIPT_KEY_FILE: &str = "receipt.key";
const DATA_KEY_FILE: &str = "data.key";
const KEY_BYTES: usize = 32;

pub struct Keys {
    receipt_key: [u8; KEY_BYTES],
    sealer: Arc<Sealer>,
}

/// Reads `keys/NAME`, creating it with 32 random bytes (mode 0600) when it does not exist.
fn load_or_create_key(directory: &Path, name: &str) -> AppResult<[u8; KEY_BYTES]> {
    let path = directory.join(name);
    let failed = |action: &str, error: std::io::Error| {
        AppError::Internal(format!("cannot {action} {}: {error}", path.display()))
    };

    if !path.exists() {
        fs::create_dir_all(directory).map_err(|error| failed("create the directory of", error))?;
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path).map_err(|error| failed("create", error))?;
        file.write_all(&random_bytes::<KEY_BYTES>())
            .map_err(|error| failed("write", error))?;
        file.sync_all().map_err(|error| failed("sync", error))?;
        tracing::info!(path = %path.display(), "created key file");
    }

    let bytes = fs::read(&path).map_err(|error| failed("read", error))?;
    bytes.try_into().map_err(|bytes: Vec<u8>| {
        AppError::Internal(format!(
            "{} holds {} bytes, expected {KEY_BYTES}",
            path.display(),
            bytes.len()
        ))
    })
}

impl Keys {
    /// Reads the key files under `DATA/keys`, creating each on first start: `receipt.key` (the
    /// HMAC key of receipts) and `data.key` (the key-encryption key of raw submission material).
    pub fn load_or_create(data_dir: &Path) -> AppResult<Keys> {
        let directory = data_dir.join("keys");
        let receipt_key = load_or_create_key(&directory, RECEIPT_KEY_FILE)?;
        let data_key = load_or_create_key(&directory, DATA_KEY_FILE)?;
        Ok(Keys {
            receipt_key,
            sealer: Arc::new(Sealer::new(data_key)),
        })
    }

    /// Seals and opens raw submission material under `keys/data.key`.
    pub fn sealer(&self) -> &Arc<Sealer> {
        &self.sealer
    }

    /// HMAC-SHA-256 of a normalised receipt under the receipt key.
    pub fn receipt_hash(&self, receipt: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.receipt_key).expect("HMAC accepts any key length");
        mac.update(receipt.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// Replaces `keys/data.key` with a new random key and re-wraps every stored data key under it.
///
/// The new key is written to `data.key.new` and synced before the database changes; after the
/// re-wrap commits, the old key is kept as `data.key.previous` (backups taken before the
/// rotation still need it) and the new one takes its place. If the process stops between the
/// commit and the renames, `data.key.new` is the key that opens the database.
pub(crate) async fn rotate_data_key(data_dir: &Path, store: &dyn nearmiss_store::Store) -> AppResult<u64> {
    let directory = data_dir.join("keys");
    let current = directory.join(DATA_KEY_FILE);
    let next = directory.join(format!("{DATA_KEY_FILE}.new"));
    let previous = directory.join(format!("{DATA_KEY_FILE}.previous"));
    if next.exists() {
        return Err(AppError::Conflict(format!(
            "{} exists from an interrupted rotation: find out which key opens the database before rotating again",
            next.display()
        )));
    }

    let new_key = random_bytes::<KEY_BYTES>();
    let failed = |action: &str, path: &Path, error: std::io::Error| {
        AppError::Internal(format!("cannot {action} {}: {error}", path.display()))
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&next)
        .map_err(|error| failed("create", &next, error))?;
    file.write_all(&new_key)
        .map_err(|error| failed("write", &next, error))?;
    file.sync_all().map_err(|error| failed("sync", &next, error))?;

    let rewrapped = store.rewrap_data_keys(&Sealer::new(new_key)).await?;

    fs::rename(&current, &previous).map_err(|error| failed("rename", &current, error))?;
    fs::rename(&next, &current).map_err(|error| failed("rename", &next, error))?;
    if let Ok(directory) = fs::File::open(&directory) {
        let _ = directory.sync_all();
    }
    tracing::info!(rewrapped, "rotated the key-encryption key");
    Ok(rewrapped)
}
