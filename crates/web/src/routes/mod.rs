//! Request handlers, one module per resource.

pub mod admin;
pub mod api;
pub mod attachments;
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

/// An oversized body is still read, and discarded, up to this many bytes past its limit, so that
/// the client gets to read the 413 answer instead of a reset connection.
const MAX_DISCARDED_BYTES: usize = 16 * 1024 * 1024;

/// Reads a request body of at most `MAX_BODY_BYTES`; a larger one is rejected with a message
/// that names the limit.
pub(crate) async fn read_body(body: Body) -> Result<Bytes, AppError> {
    read_body_up_to(body, MAX_BODY_BYTES).await
}

/// Reads a request body of at most `limit` bytes; a larger one is rejected with a message that
/// names the limit.
pub(crate) async fn read_body_up_to(body: Body, limit: usize) -> Result<Bytes, AppError> {
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
        if seen <= limit {
            collected.extend_from_slice(&data);
        } else if seen > limit.saturating_add(MAX_DISCARDED_BYTES) {
            break;
        }
    }

    if seen > limit {
        return Err(AppError::PayloadTooLarge(format!(
            "request body too large: the limit is {limit} bytes"
        )));
    }
    Ok(Bytes::from(collected))
}
