//! Attachment images of a submission, for analysts only. They are served from our origin, so
//! the page's `img-src 'self'` allows them, and never cached.

use axum::extract::{Path, State as Extract};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use nearmiss_app::AppError;

use crate::error::PageError;
use crate::routes::staff::Staff;
use crate::State;

pub async fn show(
    Extract(state): Extract<State>,
    Staff(staff): Staff,
    Path((id, position)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let Ok(position) = position.parse::<i64>() else {
        return Err(AppError::NotFound(format!("attachment {position:?} of submission {id:?}")).into());
    };
    let file = state.app.attachment(&staff, &id, position).await?;

    // `inline` without a file name: the upload's name was never stored.
    let headers = [
        (header::CONTENT_TYPE, file.media_type),
        (header::CONTENT_DISPOSITION, "inline"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    Ok((headers, file.bytes).into_response())
}
