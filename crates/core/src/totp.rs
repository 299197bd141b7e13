//! Time-based one-time passwords as authenticator apps compute them (RFC 6238 over the HOTP
//! truncation of RFC 4226): HMAC-SHA-1, 6 digits, 30-second steps. Pure functions: the caller
//! supplies the time and keeps track of the last step used.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Length of one time step, in seconds.
pub const STEP_SECONDS: u64 = 30;
/// Length of a new secret: 160 bits, the HMAC-SHA-1 block-size recommendation of RFC 4226.
pub const SECRET_BYTES: usize = 20;
/// Steps accepted on either side of the current one, for clocks that drift.
pub const DRIFT_STEPS: u64 = 1;

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The time step that contains `unix_seconds`.
pub fn step_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The HOTP value of `secret` at `counter`, reduced to `digits` decimal digits (RFC 4226,
/// section 5.3).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC accepts a key of any length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();

    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// The 6-digit code for time step `step`, with leading zeros.
pub fn code_at(secret: &[u8], step: u64) -> String {
    format!("{:06}", hotp(secret, step, DIGITS))
}

/// Reads a code as typed: 6 digits, spaces ignored.
pub fn parse_code(text: &str) -> Option<u32> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Finds the step, within `DRIFT_STEPS` of `current_step` and after `last_used_step`, whose code
/// is `code`. Every candidate is computed and compared, so the time taken does not depend on
/// which one matches.
pub fn matching_step(
    secret: &[u8],
    code: u32,
    current_step: u64,
    last_used_step: Option<u64>,
) -> Option<u64> {
    let first = current_step.saturating_sub(DRIFT_STEPS);
    let mut found = None;
    for step in first..=current_step + DRIFT_STEPS {
        let fresh = last_used_step.is_none_or(|last| step > last);
        if hotp(secret, step, DIGITS) == code && fresh && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Encodes bytes in the RFC 4648 base32 alphabet without padding, as authenticator apps expect.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32_ALPHABET[((buffer >> bits) & 0x1f) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32_ALPHABET[((buffer << (5 - bits)) & 0x1f) as usize] as char);
    }
    out
}

/// Decodes base32 in either letter case, ignoring spaces and padding; `None` on any other
/// character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let upper = c.to_ascii_uppercase() as u8;
        let value = BASE32_ALPHABET.iter().position(|&letter| letter == upper)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The `otpauth://` URI that authenticator apps import (the Key Uri Format of Google
/// Authenticator), naming the issuer and the account.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let label = format!("{}:{}", uri_escape(issuer), uri_escape(account));
    format!(
        "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        base32_encode(secret),
        uri_escape(issuer)
    )
}

fn uri_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 seed of RFC 6238, appendix B.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_sha1_vectors() {
        let vectors = [
            (59, 94_287_082),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ];
        for (time, expected) in vectors {
            assert_eq!(hotp(RFC_SECRET, step_at(time), 8), expected, "time {time}");
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [
            755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871, 520_489,
        ];
        for (counter, value) in expected.into_iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), value, "counter {counter}");
        }
    }

    #[test]
    fn code_keeps_leading_zeros() {
        // 1111111109 gives 07081804 with 8 digits, so 081804 with 6.
        assert_eq!(code_at(RFC_SECRET, step_at(1_111_111_109)), "081804");
    }

    #[test]
    fn base32_round_trip_and_rfc4648_vectors() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_encode(b"f"), "MY");
        assert_eq!(base32_encode(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode("mzxw6ytboi======").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZXW 6YTB OI").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZ1"), None);
        let secret = [0u8, 255, 7, 128, 64, 3, 9, 250, 17, 1];
        assert_eq!(base32_decode(&base32_encode(&secret)).unwrap(), secret);
    }

    #[test]
    fn parse_code_accepts_six_digits() {
        assert_eq!(parse_code("012345"), Some(12_345));
        assert_eq!(parse_code(" 123 456 "), Some(123_456));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("1234567"), None);
        assert_eq!(parse_code("12a456"), None);
    }

    #[test]
    fn matching_step_allows_one_step_of_drift() {
        let now = 1_000_000;
        for step in [now - 1, now, now + 1] {
            let code = hotp(RFC_SECRET, step, DIGITS);
            assert_eq!(
                matching_step(RFC_SECRET, code, now, None),
                Some(step),
                "step {step}"
            );
        }
        for step in [now - 2, now + 2] {
            let code = hotp(RFC_SECRET, step, DIGITS);
            assert_eq!(matching_step(RFC_SECRET, code, now, None), None, "step {step}");
        }
    }

    #[test]
    fn matching_step_refuses_used_steps() {
        let now = 1_000_000;
        let code = hotp(RFC_SECRET, now, DIGITS);
        assert_eq!(matching_step(RFC_SECRET, code, now, Some(now)), None);
        assert_eq!(matching_step(RFC_SECRET, code, now, Some(now + 1)), None);
        assert_eq!(matching_step(RFC_SECRET, code, now, Some(now - 1)), Some(now));
    }

    #[test]
    fn otpauth_uri_names_issuer_and_account() {
        let uri = otpauth_uri("nearmiss", "j.doe", RFC_SECRET);
        assert_eq!(
            uri,
            "otpauth://totp/nearmiss:j.doe?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=nearmiss\
             &algorithm=SHA1&digits=6&period=30"
        );
    }
}
