//! Checks and re-encodes untrusted image attachments of a near-miss submission.
//!
//! Photos from phones and cameras carry metadata that can identify the reporter. EXIF stores GPS
//! coordinates, the capture time, the device make, model and serial number, and an embedded
//! thumbnail that may show the uncropped original. XMP and IPTC packets store editing history
//! and author names, ICC profiles can name the device, and comments and PNG text chunks can hold
//! anything. [`sanitize`] removes all of it by decoding the pixels and writing a new file from
//! the pixel buffer alone, so nothing from the original container is copied. Before that, it
//! rejects files whose decoding would exhaust memory (decompression bombs).
//!
//! Accepted formats are JPEG, PNG and WebP, recognized by their leading bytes. The output keeps
//! the input's format: JPEG at quality [`JPEG_QUALITY`], PNG as PNG, and WebP as lossless WebP.
//!
//! Limits of the approach:
//! - The EXIF orientation is applied to the pixels before the metadata is dropped. An
//!   orientation stated only in XMP is ignored.
//! - The ICC profile is dropped and the pixels are written unchanged, so an image in a wide-gamut
//!   space such as Display P3 is shown as sRGB with slightly duller colors.
//! - Re-encoding a lossy WebP as lossless WebP can make the file several times larger.
//! - An animated PNG or WebP keeps only its first frame or default image.
//! - Pixel values themselves are kept: a visible face, badge or license plate is not redacted.

mod container;
mod error;
mod format;

use std::fmt;
use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};

pub use error::MediaError;
pub use format::Format;

/// Maximum number of attachments on one submission, for the caller to enforce.
pub const MAX_FILES: usize = 5;

/// JPEG quality (1 to 100) of re-encoded JPEG files.
pub const JPEG_QUALITY: u8 = 85;

/// Decoded bytes per pixel in the worst case: 16-bit RGBA, which PNG allows.
const MAX_BYTES_PER_PIXEL: u64 = 8;

/// Size limits that one attachment must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of the uploaded file, in bytes.
    pub max_bytes: usize,
    /// Maximum width times height, in pixels.
    pub max_pixels: u64,
    /// Maximum width in pixels, as displayed after the EXIF orientation is applied.
    pub max_width: u32,
    /// Maximum height in pixels, as displayed after the EXIF orientation is applied.
    pub max_height: u32,
}

impl Default for Limits {
    /// 10 MiB, 40 megapixels and 12,000 pixels per side. Phones typically save 12 to 24
    /// megapixel photos of a few MiB in their default mode.
    // NOTE: 48 and 50 megapixel full-resolution camera modes exceed `max_pixels`, and such photos
    // are rejected with a message naming the limit.
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
            max_width: 12_000,
            max_height: 12_000,
        }
    }
}

impl Limits {
    /// Returns the image crate's limits for decoding: the sides and an allocation budget that
    /// fits the largest allowed image at the widest pixel type.
    fn decoder_limits(&self) -> image::Limits {
        let side = self.max_width.max(self.max_height);
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(side);
        limits.max_image_height = Some(side);
        limits.max_alloc = Some(self.max_pixels.saturating_mul(MAX_BYTES_PER_PIXEL));
        limits
    }
}

/// A re-encoded image that carries pixels and no metadata.
#[derive(Clone, PartialEq, Eq)]
pub struct Sanitized {
    /// The re-encoded file.
    pub bytes: Vec<u8>,
    /// Format of `bytes`, the same as the input's.
    pub format: Format,
    /// Width in pixels after the EXIF orientation was applied.
    pub width: u32,
    /// Height in pixels after the EXIF orientation was applied.
    pub height: u32,
}

impl fmt::Debug for Sanitized {
    /// Shows the length of `bytes` instead of the bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sanitized")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// Checks an untrusted image against `limits`, decodes it and re-encodes it from the pixels only.
///
/// The checks run in order of cost, all before the pixel buffer is allocated. They cover the
/// file size, the format from the leading bytes, whether the file reaches the end of its
/// container, then the width, height and pixel count from the header.
///
/// The decoder then also runs under the image crate's limits on the sides and on allocation, as
/// a second check. That allocation limit is non-strict in image 0.25: the pixel buffer counts
/// against it, but not every decoder counts its internal buffers.
///
/// Peak memory is about the decoded buffer (at most `max_pixels` times 8 bytes, for 16-bit RGBA
/// PNG, and 3 bytes for a photo), a second buffer of the same size when the orientation needs a
/// rotation, and the output file. Callers that sanitize several files at once should bound how
/// many run in parallel. The work is CPU-bound, so async callers should run it on a blocking
/// thread.
///
/// # Errors
///
/// Returns a [`MediaError`] whose message names the limit or the problem. Every variant except
/// [`MediaError::Encode`] is caused by the input.
pub fn sanitize(bytes: &[u8], limits: &Limits) -> Result<Sanitized, MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooManyBytes {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    let Some(format) = Format::detect(bytes) else {
        return Err(MediaError::UnsupportedFormat {
            detected: format::name_rejected_format(bytes),
        });
    };
    if !container::is_complete(bytes, format) {
        return Err(MediaError::Truncated { format });
    }

    // The header pass gets only the allocation budget, so that over-limit sides are reported by
    // `check_dimensions` with this crate's messages.
    let decoder_limits = limits.decoder_limits();
    let mut header_limits = image::Limits::default();
    header_limits.max_alloc = decoder_limits.max_alloc;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(header_limits);
    let mut decoder = reader.into_decoder().map_err(MediaError::from_decode)?;

    // A malformed EXIF block is dropped with the rest of the metadata, so it is read as "no
    // orientation" instead of rejecting the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = displayed_size(decoder.dimensions(), orientation);
    check_dimensions(width, height, limits)?;

    let mut budget = decoder_limits;
    budget
        .reserve(decoder.total_bytes())
        .map_err(MediaError::from_decode)?;
    decoder.set_limits(budget).map_err(MediaError::from_decode)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(MediaError::from_decode)?;
    image.apply_orientation(orientation);

    let bytes = encode(&image, format).map_err(|source| MediaError::Encode { source })?;
    Ok(Sanitized {
        bytes,
        format,
        width: image.width(),
        height: image.height(),
    })
}

fn displayed_size((width, height): (u32, u32), orientation: Orientation) -> (u32, u32) {
    match orientation {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (height, width),
        Orientation::NoTransforms
        | Orientation::Rotate180
        | Orientation::FlipHorizontal
        | Orientation::FlipVertical => (width, height),
    }
}

fn check_dimensions(width: u32, height: u32, limits: &Limits) -> Result<(), MediaError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(MediaError::TooManyPixels {
            pixels,
            limit: limits.max_pixels,
        });
    }
    if width > limits.max_width {
        return Err(MediaError::TooWide {
            width,
            limit: limits.max_width,
        });
    }
    if height > limits.max_height {
        return Err(MediaError::TooTall {
            height,
            limit: limits.max_height,
        });
    }
    Ok(())
}

/// Writes `image` in `format` from its pixel buffer. The encoders write no metadata because
/// none is handed to them.
fn encode(image: &DynamicImage, format: Format) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    match format {
        Format::Jpeg => image.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?,
        Format::Png => image.write_with_encoder(PngEncoder::new(&mut out))?,
        Format::WebP => image.write_with_encoder(WebPEncoder::new_lossless(&mut out))?,
    }
    Ok(out)
}
