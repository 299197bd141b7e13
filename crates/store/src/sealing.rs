//! Encryption at rest of raw submission material (the reporter's input and the analyst's
//! working copy), by envelope encryption with XChaCha20-Poly1305.
//!
//! Each submission gets its own random 256-bit data key. The data key encrypts that
//! submission's material and is itself stored only wrapped (encrypted) under the key-encryption
//! key, which lives in a file outside the database. A copy of the database alone therefore
//! reveals no raw text, and destroying one wrapped data key destroys that submission's
//! material for good (crypto-shredding). Each ciphertext is bound to its submission id and
//! purpose as associated data, so ciphertexts cannot be swapped between rows or columns.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::{StoreError, StoreResult};

pub const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).expect("the operating system random source failed");
    bytes
}

fn encrypt(key: &[u8; KEY_BYTES], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce = random::<NONCE_BYTES>();
    let mut sealed = nonce.to_vec();
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
        .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
    sealed.extend_from_slice(&ciphertext);
    sealed
}

fn decrypt(key: &[u8; KEY_BYTES], sealed: &[u8], aad: &[u8]) -> StoreResult<Vec<u8>> {
    if sealed.len() < NONCE_BYTES {
        return Err(StoreError::Corrupt(
            "sealed value shorter than its nonce".to_owned(),
        ));
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad })
        .map_err(|_| {
            StoreError::Corrupt(
                "sealed value does not decrypt: wrong key file, or the value was altered".to_owned(),
            )
        })
}

/// A submission's data key, unwrapped in memory only.
pub struct DataKey([u8; KEY_BYTES]);

impl DataKey {
    /// Encrypts `plaintext` for storage as text: hex of nonce and ciphertext.
    pub fn seal(&self, plaintext: &str, aad: &str) -> String {
        hex::encode(encrypt(&self.0, plaintext.as_bytes(), aad.as_bytes()))
    }

    pub fn open(&self, sealed: &str, aad: &str) -> StoreResult<String> {
        let bytes =
            hex::decode(sealed).map_err(|_| StoreError::Corrupt("sealed value is not hex".to_owned()))?;
        let plaintext = decrypt(&self.0, &bytes, aad.as_bytes())?;
        String::from_utf8(plaintext).map_err(|_| StoreError::Corrupt("sealed value is not UTF-8".to_owned()))
    }

    /// Encrypts binary `plaintext` for a binary column: nonce, then ciphertext and tag.
    pub fn seal_bytes(&self, plaintext: &[u8], aad: &str) -> Vec<u8> {
        encrypt(&self.0, plaintext, aad.as_bytes())
    }

    pub fn open_bytes(&self, sealed: &[u8], aad: &str) -> StoreResult<Vec<u8>> {
        decrypt(&self.0, sealed, aad.as_bytes())
    }
}

/// Holds the key-encryption key and wraps and unwraps data keys.
pub struct Sealer {
    key_encryption_key: [u8; KEY_BYTES],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer { key_encryption_key: <redacted> }")
    }
}

impl Sealer {
    pub fn new(key_encryption_key: [u8; KEY_BYTES]) -> Sealer {
        Sealer { key_encryption_key }
    }

    /// Draws a fresh data key and returns it with its wrapped form for storage.
    pub fn new_data_key(&self, submission_id: &str) -> (DataKey, Vec<u8>) {
        let key = random::<KEY_BYTES>();
        let wrapped = encrypt(&self.key_encryption_key, &key, submission_id.as_bytes());
        (DataKey(key), wrapped)
    }

    pub fn unwrap_data_key(&self, submission_id: &str, wrapped: &[u8]) -> StoreResult<DataKey> {
        let key = decrypt(&self.key_encryption_key, wrapped, submission_id.as_bytes())?;
        let key: [u8; KEY_BYTES] = key
            .try_into()
            .map_err(|_| StoreError::Corrupt("unwrapped data key has the wrong length".to_owned()))?;
        Ok(DataKey(key))
    }

    /// Re-wraps a data key from this key-encryption key to `new`. The data key itself, and so
    /// every value it sealed, stays as it is.
    pub fn rewrap(&self, submission_id: &str, wrapped: &[u8], new: &Sealer) -> StoreResult<Vec<u8>> {
        let key = self.unwrap_data_key(submission_id, wrapped)?;
        Ok(encrypt(&new.key_encryption_key, &key.0, submission_id.as_bytes()))
    }

    /// Encrypts a small staff secret (a TOTP seed) directly under the key-encryption key, so
    /// that a copy of the database alone does not give away the second factor.
    pub fn seal_secret(&self, secret: &[u8], aad: &str) -> Vec<u8> {
        encrypt(&self.key_encryption_key, secret, aad.as_bytes())
    }

    pub fn open_secret(&self, sealed: &[u8], aad: &str) -> StoreResult<Vec<u8>> {
        decrypt(&self.key_encryption_key, sealed, aad.as_bytes())
    }

    /// Encrypts a whole value under the key-encryption key, for exports that leave the
    /// database; only a holder of the same key file can read it.
    pub fn seal_for_transfer(&self, plaintext: &str, aad: &str) -> String {
        hex::encode(encrypt(
            &self.key_encryption_key,
            plaintext.as_bytes(),
            aad.as_bytes(),
        ))
    }

    pub fn open_transfer(&self, sealed: &str, aad: &str) -> StoreResult<String> {
        DataKey(self.key_encryption_key).open(sealed, aad)
    }
}

/// Associated data of a staff account's sealed TOTP secret.
pub fn totp_aad(user_id: &str) -> String {
    format!("totp-secret:{user_id}")
}

/// Associated data of the secret offered to a staff account during TOTP enrolment.
pub fn enrolment_aad(user_id: &str) -> String {
    format!("totp-enrolment:{user_id}")
}

/// Associated data of a submission's sealed input.
pub fn input_aad(submission_id: &str) -> String {
    format!("submission-input:{submission_id}")
}

/// Associated data of a submission's sealed review draft.
pub fn draft_aad(submission_id: &str) -> String {
    format!("review-draft:{submission_id}")
}

/// Associated data of one sealed attachment of a submission.
pub fn attachment_aad(submission_id: &str, attachment_id: &str) -> String {
    format!("attachment:{submission_id}:{attachment_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_round_trips_and_is_bound_to_its_row() {
        let sealer = Sealer::new([7; KEY_BYTES]);
        let (key, wrapped) = sealer.new_data_key("sub-1");
        let sealed = key.seal("the canary", &input_aad("sub-1"));
        assert!(!sealed.contains("canary"));

        let key = sealer.unwrap_data_key("sub-1", &wrapped).unwrap();
        assert_eq!(key.open(&sealed, &input_aad("sub-1")).unwrap(), "the canary");
        assert!(
            key.open(&sealed, &input_aad("sub-2")).is_err(),
            "bound to the submission id"
        );
        assert!(
            sealer.unwrap_data_key("sub-2", &wrapped).is_err(),
            "wrapped key bound to its id"
        );
        assert!(
            Sealer::new([8; KEY_BYTES])
                .unwrap_data_key("sub-1", &wrapped)
                .is_err(),
            "wrong key file"
        );
    }

    #[test]
    fn sealed_bytes_round_trip_and_are_bound_to_their_row() {
        let sealer = Sealer::new([7; KEY_BYTES]);
        let (key, _) = sealer.new_data_key("sub-1");
        let image = b"\xFF\xD8\xFF the canary bytes".to_vec();
        let sealed = key.seal_bytes(&image, &attachment_aad("sub-1", "att-1"));
        assert!(!sealed.windows(6).any(|window| window == b"canary"));

        assert_eq!(
            key.open_bytes(&sealed, &attachment_aad("sub-1", "att-1"))
                .unwrap(),
            image
        );
        assert!(
            key.open_bytes(&sealed, &attachment_aad("sub-1", "att-2"))
                .is_err(),
            "bound to the attachment id"
        );
        assert!(
            key.open_bytes(&sealed, &attachment_aad("sub-2", "att-1"))
                .is_err(),
            "bound to the submission id"
        );
    }
}
