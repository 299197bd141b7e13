//! Image attachments of a submission: each upload is checked and re-encoded from its pixels by
//! `nearmiss_media` before it is stored, so no metadata of the original file is kept. Only
//! analysts read them back.

use std::sync::Arc;

use nearmiss_core::FieldErrors;
use nearmiss_media::{Limits, MediaError, Sanitized};
use nearmiss_store::{Attachment, AttachmentInfo};
use tokio::sync::Semaphore;

pub use nearmiss_media::{Format, MAX_FILES};

use crate::random::{is_valid_id, random_id};
use crate::staff::StaffContext;
use crate::{App, AppError, AppResult};

/// Name of the attachments field in forms and in field errors.
pub const FIELD: &str = "attachments";

/// Sanitizations that run at once across all requests. One can hold a decoded buffer of up to
/// `max_pixels` times 8 bytes (320 MB at the default limits) and a rotated copy of it, so this
/// bounds the peak memory that uploads can take.
const MAX_CONCURRENT_SANITIZATIONS: usize = 2;

/// Limits that every attachment must meet.
pub fn limits() -> Limits {
    Limits::default()
}

/// A permit pool that bounds how many uploads are decoded at once.
pub(crate) fn sanitize_permits() -> Arc<Semaphore> {
    Arc::new(Semaphore::new(MAX_CONCURRENT_SANITIZATIONS))
}

/// The stored name of a format, as the `attachments.format` column accepts it.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "jpeg",
        Format::Png => "png",
        Format::WebP => "webp",
    }
}

/// The media type of a stored format name.
pub fn media_type(format: &str) -> Option<&'static str> {
    match format {
        "jpeg" => Some(Format::Jpeg.mime_type()),
        "png" => Some(Format::Png.mime_type()),
        "webp" => Some(Format::WebP.mime_type()),
        _ => None,
    }
}

/// An attachment file as an analyst downloads it.
#[derive(Clone)]
pub struct AttachmentFile {
    /// `image/jpeg`, `image/png` or `image/webp`, from the re-encoded format.
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

impl App {
    /// Checks and re-encodes uploaded images in order, adding an error that names the position
    /// of each rejected file (`attachment 2: ...`) to `errors`. Returns the images ready to
    /// store, numbered from 1, or an empty list when any upload was rejected.
    pub(crate) async fn sanitize_uploads(
        &self,
        uploads: Vec<Vec<u8>>,
        errors: &mut FieldErrors,
    ) -> AppResult<Vec<Attachment>> {
        if uploads.len() > MAX_FILES {
            errors.add(
                FIELD,
                format!(
                    "attachment {}: too many files: attach at most {MAX_FILES} images to one report",
                    MAX_FILES + 1
                ),
            );
            return Ok(Vec::new());
        }
        if uploads.is_empty() {
            return Ok(Vec::new());
        }

        let _permit = self
            .sanitize_permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal("the attachment permit pool is closed".to_owned()))?;
        let limits = limits();
        let results: Vec<Result<Sanitized, MediaError>> = tokio::task::spawn_blocking(move || {
            uploads
                .iter()
                .map(|upload| nearmiss_media::sanitize(upload, &limits))
                .collect()
        })
        .await
        .map_err(|error| AppError::Internal(format!("sanitizing attachments failed: {error}")))?;

        let mut attachments = Vec::new();
        let mut rejected = false;
        for (index, result) in results.into_iter().enumerate() {
            let position = index + 1;
            match result {
                Ok(image) => attachments.push(Attachment {
                    info: AttachmentInfo {
                        id: random_id(),
                        position: position as i64,
                        format: format_name(image.format).to_owned(),
                        width: i64::from(image.width),
                        height: i64::from(image.height),
                    },
                    bytes: image.bytes,
                }),
                Err(MediaError::Encode { source }) => {
                    return Err(AppError::Internal(format!(
                        "re-encoding attachment {position} failed: {source}"
                    )));
                }
                Err(error) => {
                    rejected = true;
                    errors.add(FIELD, format!("attachment {position}: {error}"));
                }
            }
        }
        if rejected {
            return Ok(Vec::new());
        }
        Ok(attachments)
    }

    /// One attachment of a submission, by its position from 1.
    pub async fn attachment(
        &self,
        _staff: &StaffContext,
        submission_id: &str,
        position: i64,
    ) -> AppResult<AttachmentFile> {
        let not_found =
            || AppError::NotFound(format!("attachment {position} of submission {submission_id:?}"));
        if !is_valid_id(submission_id) {
            return Err(not_found());
        }
        let attachment = self
            .store
            .attachment(submission_id, position)
            .await?
            .ok_or_else(not_found)?;
        let media_type = media_type(&attachment.info.format).ok_or_else(|| {
            AppError::Internal(format!(
                "attachment {} of submission {submission_id} has the unknown format {:?}",
                attachment.info.id, attachment.info.format
            ))
        })?;
        Ok(AttachmentFile {
            media_type,
            bytes: attachment.bytes,
        })
    }
}
