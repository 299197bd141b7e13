//! Decoding of `application/x-www-form-urlencoded` and `multipart/form-data` bodies. Unlike a
//! lossy decoder, this one rejects a value that is not valid UTF-8 with an error that names its
//! field.

use std::convert::Infallible;

use axum::body::Bytes;
use nearmiss_app::AppError;
use nearmiss_core::FieldErrors;
use percent_encoding::percent_decode;

const NOT_UTF8: &str = "not valid UTF-8 text; retype it or paste it as plain text";

/// A decoded multipart form: the text fields in order, and the contents of the files sent
/// under `file_field`. File names and declared content types are not read.
#[derive(Debug, Default)]
pub struct MultipartForm {
    pub pairs: Vec<(String, String)>,
    pub files: Vec<Vec<u8>>,
}

/// Tells whether a `Content-Type` value announces a multipart form.
pub fn is_multipart(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("multipart/form-data")
}

/// Decodes a `multipart/form-data` body. Parts named `file_field` are files; an empty one
/// without a file name, which browsers send when no file was chosen, is skipped. Every other
/// part is a text field, checked as [`decode`] checks one.
pub async fn decode_multipart(
    content_type: &str,
    body: Bytes,
    file_field: &str,
) -> Result<MultipartForm, AppError> {
    let invalid = |error: multer::Error| AppError::BadRequest(format!("invalid multipart form: {error}"));
    let boundary = multer::parse_boundary(content_type).map_err(invalid)?;
    let mut multipart = multer::Multipart::new(
        futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) }),
        boundary,
    );

    let mut form = MultipartForm::default();
    let mut errors = FieldErrors::default();
    while let Some(field) = multipart.next_field().await.map_err(invalid)? {
        let Some(name) = field.name().map(str::to_owned) else {
            return Err(AppError::BadRequest(
                "invalid form: a multipart part has no field name".to_owned(),
            ));
        };
        let has_file_name = field.file_name().is_some_and(|file_name| !file_name.is_empty());
        let bytes = field.bytes().await.map_err(invalid)?;

        if name == file_field {
            if !bytes.is_empty() || has_file_name {
                form.files.push(bytes.to_vec());
            }
            continue;
        }
        match String::from_utf8(bytes.to_vec()) {
            Ok(value) => form.pairs.push((name, value.replace("\r\n", "\n"))),
            Err(_) => errors.add(&name, NOT_UTF8),
        }
    }

    errors.into_result().map_err(AppError::Invalid)?;
    Ok(form)
}

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
            Err(()) => errors.add(&name, NOT_UTF8),
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

    fn multipart_body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (name, file_name, value) in parts {
            body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"");
            body.extend_from_slice(name.as_bytes());
            body.push(b'"');
            if let Some(file_name) = file_name {
                body.extend_from_slice(
                    format!("; filename=\"{file_name}\"\r\nContent-Type: image/jpeg").as_bytes(),
                );
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(value);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--XyZ--\r\n");
        body
    }

    #[tokio::test]
    async fn multipart_splits_text_and_files() {
        let body = multipart_body(&[
            ("what_happened", None, b"line one\r\nline two"),
            ("attachments", Some("a.jpg"), b"\xFF\xD8\xFFimage"),
            ("attachments", Some(""), b""),
            ("contributing_factors", None, b"traffic"),
        ]);
        let form = decode_multipart("multipart/form-data; boundary=XyZ", body.into(), "attachments")
            .await
            .unwrap();
        assert_eq!(
            form.pairs,
            [
                ("what_happened", "line one\nline two"),
                ("contributing_factors", "traffic")
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(
            form.files,
            [b"\xFF\xD8\xFFimage".to_vec()],
            "the empty file input is skipped"
        );
    }

    #[tokio::test]
    async fn multipart_invalid_utf8_names_field() {
        let body = multipart_body(&[("lessons_learned", None, b"caf\xE9")]);
        let Err(AppError::Invalid(errors)) =
            decode_multipart("multipart/form-data; boundary=XyZ", body.into(), "attachments").await
        else {
            panic!("expected a field error");
        };
        assert_eq!(errors.get("lessons_learned"), Some(NOT_UTF8));
    }

    #[test]
    fn multipart_content_type_recognized() {
        assert!(is_multipart("multipart/form-data; boundary=abc"));
        assert!(is_multipart("Multipart/Form-Data;boundary=abc"));
        assert!(!is_multipart("application/x-www-form-urlencoded"));
    }

    #[test]
    fn invalid_utf8_names_field() {
        let Err(AppError::Invalid(errors)) = decode(b"ok=1&what_happened=%FF%FE") else {
            panic!("expected a field error");
        };
        assert!(errors.get("what_happened").is_some());
    }
}
