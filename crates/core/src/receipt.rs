//! Receipt codes: eight words from the BIP-0039 English word list (2,048 words, 11 bits
//! each, 88 bits in all). The words are common, and their first four letters are unique, so a
//! code is easy to write down and to read back.

use std::sync::LazyLock;

const WORD_LIST: &str = include_str!("words/bip39_english.txt");

pub const RECEIPT_WORDS: usize = 8;
/// Random bytes behind one receipt: 8 words of 11 bits.
pub const RECEIPT_ENTROPY_BYTES: usize = 11;
/// Longest accepted input, checked before any other work: 8 words of at most 8 letters,
/// separators and some surrounding space.
pub const MAX_RECEIPT_INPUT: usize = 100;

static WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| WORD_LIST.lines().collect());

/// Why a receipt was rejected by the format check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptFormatError {
    #[error("invalid receipt: longer than {MAX_RECEIPT_INPUT} characters")]
    TooLong,
    #[error("invalid receipt: expected {RECEIPT_WORDS} words, found {0}")]
    WordCount(usize),
    #[error("invalid receipt: word {0} is not in the receipt word list")]
    UnknownWord(usize),
}

/// Turns 88 random bits into a receipt such as `absorb-hollow-...`.
pub fn receipt_from_entropy(entropy: &[u8; RECEIPT_ENTROPY_BYTES]) -> String {
    let mut bits = entropy
        .iter()
        .fold(0u128, |acc, byte| (acc << 8) | u128::from(*byte));
    let mut words = Vec::with_capacity(RECEIPT_WORDS);
    for _ in 0..RECEIPT_WORDS {
        words.push(WORDS[(bits & 0x7ff) as usize]);
        bits >>= 11;
    }
    words.join("-")
}

/// Normalises what a reporter typed (any case, words separated by spaces or hyphens) into the
/// canonical form, rejecting anything that cannot be a receipt.
pub fn normalize_receipt(input: &str) -> Result<String, ReceiptFormatError> {
    if input.len() > MAX_RECEIPT_INPUT {
        return Err(ReceiptFormatError::TooLong);
    }

    let words: Vec<String> = input
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.len() != RECEIPT_WORDS {
        return Err(ReceiptFormatError::WordCount(words.len()));
    }

    for (index, word) in words.iter().enumerate() {
        if WORDS.binary_search(&word.as_str()).is_err() {
            return Err(ReceiptFormatError::UnknownWord(index + 1));
        }
    }
    Ok(words.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_list_is_sorted_and_complete() {
        assert_eq!(WORDS.len(), 2048);
        assert!(WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn receipt_round_trips_through_normalize() {
        let receipt = receipt_from_entropy(&[0xa5; RECEIPT_ENTROPY_BYTES]);
        assert_eq!(receipt.split('-').count(), RECEIPT_WORDS);
        let typed = receipt.replace('-', "  ").to_uppercase();
        assert_eq!(normalize_receipt(&typed).as_deref(), Ok(receipt.as_str()));
    }

    #[test]
    fn different_entropy_gives_different_receipts() {
        let first = receipt_from_entropy(&[0; RECEIPT_ENTROPY_BYTES]);
        let mut entropy = [0; RECEIPT_ENTROPY_BYTES];
        entropy[10] = 1;
        assert_ne!(first, receipt_from_entropy(&entropy));
    }

    #[test]
    fn normalize_rejects_bad_input() {
        assert_eq!(
            normalize_receipt(&"a".repeat(200)),
            Err(ReceiptFormatError::TooLong)
        );
        assert_eq!(
            normalize_receipt("abandon ability"),
            Err(ReceiptFormatError::WordCount(2))
        );
        let unknown = "abandon ability able about above absent absorb zzzz";
        assert_eq!(
            normalize_receipt(unknown),
            Err(ReceiptFormatError::UnknownWord(8))
        );
    }
}
