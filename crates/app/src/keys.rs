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
        file.write_all(&random_bytes::<KEY_BYTES>()).map_err(|error| failed("write", error))?;
        file.sync_all().map_err(|error| failed("sync", error))?;
        tracing::info!(path = %path.display(), "created key file");
    }

    let bytes = fs::read(&path).map_err(|error| failed("read", error))?;
    bytes.try_into().map_err(|bytes: Vec<u8>| {
        AppError::Internal(format!("{} holds {} bytes, expected {KEY_BYTES}", path.display(), bytes.len()))
    })
}

impl Keys {
    /// Reads the key files under `DATA/keys`, creating each on first start: `receipt.key` (the
    /// HMAC key of receipts) and `data.key` (the key-encryption key of raw submission material).
    pub fn load_or_create(data_dir: &Path) -> AppResult<Keys> {
        let directory = data_dir.join("keys");
        let receipt_key = load_or_create_key(&directory, RECEIPT_KEY_FILE)?;
        let data_key = load_or_create_key(&directory, DATA_KEY_FILE)?;
        Ok(Keys { receipt_key, sealer: Arc::new(Sealer::new(data_key)) })
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
