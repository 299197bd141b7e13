//! Random values from the operating system's generator.

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).expect("the operating system random source failed");
    bytes
}

/// A random identifier: 80 bits as 20 lowercase hex characters. Ids carry no order, so they
/// reveal nothing about when or in what sequence records were made.
pub fn random_id() -> String {
    hex::encode(random_bytes::<10>())
}

/// Checks the shape of an id before it reaches the store.
pub fn is_valid_id(id: &str) -> bool {
    id.len() == 20
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
