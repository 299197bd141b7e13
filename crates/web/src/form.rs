//! Decoding of `application/x-www-form-urlencoded` bodies. Unlike a lossy decoder, this one
//! rejects a value that is not valid UTF-8 with an error that names its field.

use nearmiss_app::AppError;
use nearmiss_core::FieldErrors;
use percent_encoding::percent_decode;

/// Decodes a form body into (name, value) pairs, in order.
pub fn decode(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let mut pairs = Vec::new();
    let mut errors = FieldErrors::default();

    for part in body.split(|byte| *byte == b'&').filter(|part| !part.is_empty()) {
        let (raw_name, raw_value) = match part.iter().position(|byte| *byte == b'=') {
            Some(index) => (&part[..index], &part[index + 1..]),
            None => (part, &b""[..]),
        };
        let Ok(name) = decode_component(raw_name) else {
            return Err(AppError::BadRequest(
                "invalid form: a field name is not valid UTF-8".to_owned(),
            ));
        };
        match decode_component(raw_value) {
            Ok(value) => pairs.push((name, value)),
            Err(()) => errors.add(&name, "not valid UTF-8 text; retype it or paste it as plain text"),
        }
    }

    errors.into_result().map_err(AppError::Invalid)?;
    Ok(pairs)
}

fn decode_component(raw: &[u8]) -> Result<String, ()> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|byte| if *byte == b'+' { b' ' } else { *byte })
        .collect();
    percent_decode(&plus_as_space)
        .decode_utf8()
        .map(|text| text.replace("\r\n", "\n"))
        .map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_and_repeats() {
        let pairs = decode(b"a=1&b=hello+world%21&b=%C3%A9").unwrap();
        assert_eq!(
            pairs,
            [("a", "1"), ("b", "hello world!"), ("b", "é")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn invalid_utf8_names_field() {
        let Err(AppError::Invalid(errors)) = decode(b"ok=1&what_happened=%FF%FE") else {
            panic!("expected a field error");
        };
        assert!(errors.get("what_happened").is_some());
    }
}
