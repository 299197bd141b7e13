//! The error type of this crate.

use image::error::ImageError;

use crate::Format;

/// Reasons an attachment is rejected.
///
/// Every variant except [`MediaError::Encode`] is caused by the uploaded file, and its message
/// is safe to show to the reporter. `Encode` is a fault of this service.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("file is empty: attach a JPEG, PNG or WebP image")]
    Empty,

    #[error("file too large: {size} bytes, the limit is {limit} bytes")]
    TooManyBytes { size: usize, limit: usize },

    #[error("not a JPEG, PNG or WebP image{}", detected_suffix(.detected))]
    UnsupportedFormat {
        /// Name of the rejected format when the leading bytes make it recognizable.
        detected: Option<&'static str>,
    },

    #[error("image data is truncated: the file ends before the end of the {format} data")]
    Truncated { format: Format },

    #[error("image too large: {pixels} pixels, the limit is {limit}")]
    TooManyPixels { pixels: u64, limit: u64 },

    #[error("image too wide: {width} pixels, the limit is {limit} pixels per side")]
    TooWide { width: u32, limit: u32 },

    #[error("image too tall: {height} pixels, the limit is {limit} pixels per side")]
    TooTall { height: u32, limit: u32 },

    #[error("image needs more memory to decode than the limit allows: save it at a smaller size")]
    DecodeMemory {
        #[source]
        source: ImageError,
    },

    #[error("image uses a feature that is not supported: save it again as a standard JPEG or PNG")]
    UnsupportedFeature {
        #[source]
        source: ImageError,
    },

    #[error("image data is truncated or corrupt")]
    Corrupt {
        #[source]
        source: ImageError,
    },

    #[error("failed to re-encode the image")]
    Encode {
        #[source]
        source: ImageError,
    },
}

fn detected_suffix(detected: &Option<&'static str>) -> String {
    match detected {
        Some(name) => format!(" (this file is {name})"),
        None => String::new(),
    }
}

impl MediaError {
    /// Classifies an error that the image crate raised while reading the header or the pixels.
    pub(crate) fn from_decode(source: ImageError) -> Self {
        match &source {
            // `sanitize` checks the width, height and pixel count with its own messages first,
            // so a limit error here comes from the allocation budget.
            ImageError::Limits(_) => Self::DecodeMemory { source },
            ImageError::Unsupported(_) => Self::UnsupportedFeature { source },
            _ => Self::Corrupt { source },
        }
    }
}
