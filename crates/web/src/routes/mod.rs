//! Request handlers, one module per resource.

pub mod admin;
pub mod api;
pub mod feeds;
pub mod public;
pub mod reports;
pub mod staff;
pub mod staff_totp;
pub mod status;
pub mod submit;

use axum::body::{Body, Bytes};
use http_body_util::BodyExt;
use nearmiss_app::AppError;

use crate::MAX_BODY_BYTES;

/// An oversized body is still read, and discarded, up to this many bytes, so that the client
/// gets to read the 413 answer instead of a reset connection.
const MAX_DISCARDED_BYTES: usize = 16 * 1024 * 1024;

/// Reads a request body of at most `MAX_BODY_BYTES`; a larger one is rejected with a message
/// that names the limit.
pub(crate) async fn read_body(body: Body) -> Result<Bytes, AppError> {
    let mut body = body;
    let mut collected = Vec::new();
    let mut seen = 0usize;

    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|error| AppError::BadRequest(format!("cannot read the request body: {error}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen <= MAX_BODY_BYTES {
            collected.extend_from_slice(&data);
        } else if seen > MAX_DISCARDED_BYTES {
            break;
        }
    }

    if seen > MAX_BODY_BYTES {
        return Err(AppError::PayloadTooLarge(format!(
            "request body too large: the limit is {MAX_BODY_BYTES} bytes"
        )));
    }
    Ok(Bytes::from(collected))
}
