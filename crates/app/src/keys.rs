//! Secrets kept in the data directory, outside the database, so that a copy of the database
//! alone does not allow guessing receipts.

use std::fs;
use std::io::Write;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::random::random_bytes;
use crate::{AppError, AppResult};

const RECEIPT_KEY_FILE: &str = "receipt.key";
const KEY_BYTES: usize = 32;

pub struct Keys {
    receipt_key: [u8; KEY_BYTES],
}

impl Keys {
    /// Reads `keys/receipt.key`, creating it with 32 random bytes (mode 0600) on first start.
    pub fn load_or_create(data_dir: &Path) -> AppResult<Keys> {
        let directory = data_dir.join("keys");
        let path = directory.join(RECEIPT_KEY_FILE);
        let failed = |action: &str, error: std::io::Error| {
            AppError::Internal(format!("cannot {action} {}: {error}", path.display()))
        };

        if !path.exists() {
            fs::create_dir_all(&directory).map_err(|error| failed("create the directory of", error))?;
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&path).map_err(|error| failed("create", error))?;
            file.write_all(&random_bytes::<KEY_BYTES>())
                .map_err(|error| failed("write", error))?;
            file.sync_all().map_err(|error| failed("sync", error))?;
            tracing::info!(path = %path.display(), "created receipt key");
        }

        let bytes = fs::read(&path).map_err(|error| failed("read", error))?;
        let receipt_key: [u8; KEY_BYTES] = bytes.try_into().map_err(|bytes: Vec<u8>| {
            AppError::Internal(format!(
                "{} holds {} bytes, expected {KEY_BYTES}",
                path.display(),
                bytes.len()
            ))
        })?;
        Ok(Keys { receipt_key })
    }

    /// HMAC-SHA-256 of a normalised receipt under the receipt key.
    pub fn receipt_hash(&self, receipt: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.receipt_key).expect("HMAC accepts any key length");
        mac.update(receipt.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}
