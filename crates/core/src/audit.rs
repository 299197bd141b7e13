//! The audit log of staff actions, kept as a hash chain. Each entry's hash covers the previous
//! entry's hash and a canonical encoding of the entry. Changing, inserting or removing an entry
//! anywhere but at the end therefore breaks the chain. The log records staff actions only, and
//! nothing about reporters.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry: 32 zero bytes in hex.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Prefix of every hashed entry, so that no other SHA-256 input in the product encodes like an
/// entry. The version changes whenever the encoding does.
const HASH_DOMAIN: &[u8] = b"nearmiss-audit-v1";

/// Kind of staff action, stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignedIn,
    SignedOut,
    TotpEnrolled,
    TotpReset,
    UserCreated,
    SettingChanged,
    /// Opened the raw submission, before de-identification.
    ViewedSubmission,
    Edited,
    Redacted,
    Approved,
    Published,
    Rejected,
}

impl AuditAction {
    pub const ALL: [AuditAction; 12] = [
        AuditAction::SignedIn,
        AuditAction::SignedOut,
        AuditAction::TotpEnrolled,
        AuditAction::TotpReset,
        AuditAction::UserCreated,
        AuditAction::SettingChanged,
        AuditAction::ViewedSubmission,
        AuditAction::Edited,
        AuditAction::Redacted,
        AuditAction::Approved,
        AuditAction::Published,
        AuditAction::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignedIn => "signed_in",
            AuditAction::SignedOut => "signed_out",
            AuditAction::TotpEnrolled => "totp_enrolled",
            AuditAction::TotpReset => "totp_reset",
            AuditAction::UserCreated => "user_created",
            AuditAction::SettingChanged => "setting_changed",
            AuditAction::ViewedSubmission => "viewed_submission",
            AuditAction::Edited => "edited",
            AuditAction::Redacted => "redacted",
            AuditAction::Approved => "approved",
            AuditAction::Published => "published",
            AuditAction::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == value)
    }
}

/// An entry before the store numbers and chains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// The staff account that acted; `None` for the operator at the command line.
    pub staff_id: Option<String>,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    pub action: String,
    /// The id of what the action was about (a submission, a staff account, a setting name);
    /// empty when there is none.
    pub subject: String,
    /// A JSON object, as text; hashed byte for byte.
    pub details: String,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AuditEntry {
    /// 1 for the first entry, then one more for each entry, with no gaps.
    pub seq: i64,
    pub staff_id: Option<String>,
    pub at: String,
    pub action: String,
    pub subject: String,
    pub details: String,
    /// Hex SHA-256.
    pub prev_hash: String,
    /// Hex SHA-256 over `prev_hash` and the canonical encoding of the other fields.
    pub entry_hash: String,
}

impl AuditEntry {
    /// Numbers and chains `entry` after the entry whose sequence number is `prev_seq` (0 when
    /// the log is empty) and whose hash is `prev_hash`.
    pub fn chain(entry: &NewAuditEntry, prev_seq: i64, prev_hash: &str) -> AuditEntry {
        let mut chained = AuditEntry {
            seq: prev_seq + 1,
            staff_id: entry.staff_id.clone(),
            at: entry.at.clone(),
            action: entry.action.clone(),
            subject: entry.subject.clone(),
            details: entry.details.clone(),
            prev_hash: prev_hash.to_owned(),
            entry_hash: String::new(),
        };
        chained.entry_hash = chained.computed_hash();
        chained
    }

    /// The hash this entry should carry. Every field is length-prefixed, so no two different
    /// entries encode to the same bytes.
    pub fn computed_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(HASH_DOMAIN);
        hasher.update(self.prev_hash.as_bytes());
        hasher.update(self.seq.to_be_bytes());
        match &self.staff_id {
            Some(id) => {
                hasher.update([1]);
                update_field(&mut hasher, id);
            }
            None => hasher.update([0]),
        }
        for field in [&self.at, &self.action, &self.subject, &self.details] {
            update_field(&mut hasher, field);
        }
        hex::encode(hasher.finalize())
    }
}

/// Formats Unix seconds as a UTC time, `YYYY-MM-DDTHH:MM:SSZ`. Staff actions carry precise
/// times; reporter activity never does.
pub fn utc_timestamp(unix_seconds: i64) -> String {
    let (year, month, day) = crate::calendar::civil_from_days(unix_seconds.div_euclid(86_400));
    let second_of_day = unix_seconds.rem_euclid(86_400);
    let (hour, minute, second) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

fn update_field(hasher: &mut Sha256, field: &str) {
    hasher.update((field.len() as u64).to_be_bytes());
    hasher.update(field.as_bytes());
}

/// Reason the chain breaks at an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq}: the entries before it are missing (expected entry {expected} next)")]
    Missing { seq: i64, expected: i64 },
    #[error("entry {seq}: its previous hash does not match entry {}'s hash", seq - 1)]
    BrokenLink { seq: i64 },
    #[error("entry {seq}: its content does not match its hash (changed after it was written)")]
    Altered { seq: i64 },
}

impl ChainBreak {
    /// The sequence number of the first entry that fails.
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Missing { seq, .. }
            | ChainBreak::BrokenLink { seq }
            | ChainBreak::Altered { seq } => *seq,
        }
    }
}

/// Walks a chain in sequence order, one entry at a time.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            last_seq: 0,
            last_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next entry; entries must come in sequence order.
    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        if entry.seq != self.last_seq + 1 {
            return Err(ChainBreak::Missing {
                seq: entry.seq,
                expected: self.last_seq + 1,
            });
        }
        if entry.prev_hash != self.last_hash {
            return Err(ChainBreak::BrokenLink { seq: entry.seq });
        }
        if entry.computed_hash() != entry.entry_hash {
            return Err(ChainBreak::Altered { seq: entry.seq });
        }
        self.last_seq = entry.seq;
        self.last_hash = entry.entry_hash.clone();
        Ok(())
    }

    /// How many entries passed.
    pub fn count(&self) -> i64 {
        self.last_seq
    }

    /// The hash of the last entry that passed; write it down to detect a truncated log later.
    pub fn head_hash(&self) -> &str {
        &self.last_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u32) -> NewAuditEntry {
        NewAuditEntry {
            staff_id: n.is_multiple_of(2).then(|| format!("staff-{n}")),
            at: format!("2024-04-01T10:00:{n:02}Z"),
            action: "signed_in".to_owned(),
            subject: String::new(),
            details: format!("{{\"n\":{n}}}"),
        }
    }

    fn chain_of(count: u32) -> Vec<AuditEntry> {
        let mut entries: Vec<AuditEntry> = Vec::new();
        for n in 0..count {
            let (seq, hash) = entries.last().map_or((0, GENESIS_HASH.to_owned()), |last| {
                (last.seq, last.entry_hash.clone())
            });
            entries.push(AuditEntry::chain(&entry(n), seq, &hash));
        }
        entries
    }

    fn verify(entries: &[AuditEntry]) -> Result<i64, ChainBreak> {
        let mut verifier = ChainVerifier::default();
        for entry in entries {
            verifier.check(entry)?;
        }
        Ok(verifier.count())
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain_of(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn changed_details_detected() {
        let mut entries = chain_of(5);
        entries[2].details = "{\"n\":3}".to_owned();
        assert_eq!(verify(&entries), Err(ChainBreak::Altered { seq: 3 }));
    }

    #[test]
    fn changed_staff_detected() {
        let mut entries = chain_of(5);
        entries[1].staff_id = Some("staff-0".to_owned());
        assert_eq!(verify(&entries), Err(ChainBreak::Altered { seq: 2 }));
    }

    #[test]
    fn removed_entry_detected() {
        let mut entries = chain_of(5);
        entries.remove(2);
        assert_eq!(verify(&entries), Err(ChainBreak::Missing { seq: 4, expected: 3 }));
    }

    #[test]
    fn renumbered_gap_detected() {
        let mut entries = chain_of(5);
        entries.remove(2);
        for entry in &mut entries[2..] {
            entry.seq -= 1;
        }
        assert_eq!(verify(&entries), Err(ChainBreak::BrokenLink { seq: 3 }));
    }

    #[test]
    fn rehashed_entry_breaks_next_link() {
        let mut entries = chain_of(5);
        entries[1].details = "{}".to_owned();
        entries[1].entry_hash = entries[1].computed_hash();
        assert_eq!(verify(&entries), Err(ChainBreak::BrokenLink { seq: 3 }));
    }

    #[test]
    fn field_boundaries_matter() {
        let a = AuditEntry::chain(
            &NewAuditEntry {
                subject: "ab".to_owned(),
                details: "c".to_owned(),
                ..entry(1)
            },
            0,
            GENESIS_HASH,
        );
        let b = AuditEntry::chain(
            &NewAuditEntry {
                subject: "a".to_owned(),
                details: "bc".to_owned(),
                ..entry(1)
            },
            0,
            GENESIS_HASH,
        );
        assert_ne!(a.entry_hash, b.entry_hash);
    }

    #[test]
    fn utc_timestamp_formats() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(1_111_111_111), "2005-03-18T01:58:31Z");
    }

    #[test]
    fn action_names_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("deleted_everything"), None);
    }
}
