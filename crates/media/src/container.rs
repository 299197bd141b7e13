//! Checks that a file contains the whole container of its format, because the JPEG decoder fills
//! missing scan data with gray instead of failing, and the other decoders stop reading once they
//! have the pixels.

use crate::Format;

/// Returns whether the file reaches the end of its container: the EOI marker after the first
/// scan of a JPEG, the IEND chunk of a PNG, or the length that a WebP's RIFF header declares.
/// Bytes after that end are allowed, because some cameras append data there.
pub(crate) fn is_complete(bytes: &[u8], format: Format) -> bool {
    match format {
        Format::Jpeg => jpeg_is_complete(bytes),
        Format::Png => png_is_complete(bytes),
        Format::WebP => webp_is_complete(bytes),
    }
}

fn jpeg_is_complete(bytes: &[u8]) -> bool {
    // Segment payloads such as an EXIF thumbnail may contain their own EOI, so the search for EOI
    // starts after the first SOS. In the entropy-coded data that follows, a 0xFF data byte is
    // always followed by a stuffed 0x00, so it cannot look like a marker.
    let mut at = 2;
    loop {
        if at + 2 > bytes.len() {
            return false;
        }
        if bytes[at] != 0xFF {
            // A malformed segment list is left to the decoder to reject.
            return true;
        }
        let marker = bytes[at + 1];
        match marker {
            // Fill byte before a marker.
            0xFF => at += 1,
            // Markers without a length field.
            0x01 | 0xD0..=0xD7 => at += 2,
            0xD9 => return false,
            0xDA => break,
            _ => {
                if at + 4 > bytes.len() {
                    return false;
                }
                let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
                at += 2 + length;
            }
        }
    }

    bytes[at..].windows(2).any(|pair| pair == [0xFF, 0xD9])
}

fn png_is_complete(bytes: &[u8]) -> bool {
    // Each chunk is a 4-byte length, a 4-byte type, the data and a 4-byte CRC.
    let mut at = 8;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let Some(end) = at.checked_add(12).and_then(|end| end.checked_add(length)) else {
            return false;
        };
        if end > bytes.len() {
            return false;
        }
        if &header[4..8] == b"IEND" {
            return true;
        }
        at = end;
    }
    false
}

fn webp_is_complete(bytes: &[u8]) -> bool {
    // The RIFF size field counts the bytes after itself: the "WEBP" form type and the chunks.
    let Some(size) = bytes.get(4..8) else {
        return false;
    };
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
    bytes.len() >= size.saturating_add(8)
}
