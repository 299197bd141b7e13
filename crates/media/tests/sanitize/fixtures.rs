//! Test images built in code: plain JPEG, PNG and WebP files from the image crate's encoders,
//! and copies of them with metadata segments and chunks spliced in by hand.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};

/// Marker strings placed in metadata. None of them may appear in a sanitized file.
pub const CANARIES: &[&str] = &[
    "CANARY-GPS-51.5",
    "CANARY-MAKE",
    "CANARY-THUMB",
    "CANARY-XMP",
    "CANARY-COMMENT",
    "CANARY-IPTC",
    "CANARY-ICC",
    "CANARY-TRAILER",
    "CANARY-TEXT",
    "CANARY-ZTXT",
    "CANARY-ITXT",
    "CANARY-PRIVATE",
];

pub const XMP_NAMESPACE: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// Builds an RGB gradient with a red 16 x 16 block in the top-left corner, so that a rotation shows.
pub fn marked_rgb(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        if x < 16 && y < 16 {
            Rgb([255, 0, 0])
        } else {
            Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        }
    })
}

/// Builds an RGBA gradient whose alpha varies, for the lossless formats.
pub fn gradient_rgba(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        Rgba([
            (x * 7) as u8,
            (y * 11) as u8,
            ((x + y) * 3) as u8,
            255 - (x as u8 & 0x3F),
        ])
    })
}

pub fn plain_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(marked_rgb(width, height))
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 95))
        .expect("encode JPEG fixture");
    out
}

pub fn plain_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgba8(gradient_rgba(width, height))
        .write_with_encoder(PngEncoder::new(&mut out))
        .expect("encode PNG fixture");
    out
}

pub fn plain_webp(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgba8(gradient_rgba(width, height))
        .write_with_encoder(WebPEncoder::new_lossless(&mut out))
        .expect("encode WebP fixture");
    out
}

// ---- EXIF (a little-endian TIFF structure) ----

const TIFF_ASCII: u16 = 2;
const TIFF_SHORT: u16 = 3;
const TIFF_LONG: u16 = 4;
const TIFF_RATIONAL: u16 = 5;
const TIFF_UNDEFINED: u16 = 7;

struct IfdEntry {
    tag: u16,
    kind: u16,
    count: u32,
    /// Values of 4 bytes or less are stored in the entry, longer ones after the IFD.
    data: Vec<u8>,
}

fn entry(tag: u16, kind: u16, count: u32, data: Vec<u8>) -> IfdEntry {
    IfdEntry {
        tag,
        kind,
        count,
        data,
    }
}

fn rationals(values: &[(u32, u32)]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
        .collect()
}

/// Appends an IFD at the end of `tiff` with its out-of-line data right after it, and returns
/// the offset of the IFD and the position of its next-IFD field for later patching.
fn write_ifd(tiff: &mut Vec<u8>, entries: &[IfdEntry]) -> (u32, usize) {
    let start = tiff.len();
    let mut data_offset = start + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();

    tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for e in entries {
        tiff.extend_from_slice(&e.tag.to_le_bytes());
        tiff.extend_from_slice(&e.kind.to_le_bytes());
        tiff.extend_from_slice(&e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut inline = e.data.clone();
            inline.resize(4, 0);
            tiff.extend_from_slice(&inline);
        } else {
            tiff.extend_from_slice(&(data_offset as u32).to_le_bytes());
            data.extend_from_slice(&e.data);
            if e.data.len() % 2 == 1 {
                data.push(0);
            }
            data_offset = start + 2 + 12 * entries.len() + 4 + data.len();
        }
    }
    let next_ifd_at = tiff.len();
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&data);
    (start as u32, next_ifd_at)
}

fn patch_u32(tiff: &mut [u8], at: usize, value: u32) {
    tiff[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// Builds an EXIF TIFF structure with a camera make, the given orientation (1 to 8), a GPS IFD
/// at 51°30'12.34" N, 0°7'39" W with a canary processing method, and IFD1 pointing to `thumbnail`.
pub fn exif_tiff(orientation: u16, thumbnail: &[u8]) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());

    // IFD0: the GPS IFD offset (tag 0x8825) is patched once the GPS IFD is written.
    let ifd0 = [
        entry(0x010F, TIFF_ASCII, 12, b"CANARY-MAKE\0".to_vec()),
        entry(0x0112, TIFF_SHORT, 1, orientation.to_le_bytes().to_vec()),
        entry(0x8825, TIFF_LONG, 1, vec![0; 4]),
    ];
    let (_, ifd0_next) = write_ifd(&mut tiff, &ifd0);
    let gps_pointer_value_at = 8 + 2 + 12 * 2 + 8;

    let mut processing_method = b"ASCII\0\0\0".to_vec();
    processing_method.extend_from_slice(b"CANARY-GPS-51.5");
    let gps = [
        entry(0x0001, TIFF_ASCII, 2, b"N\0".to_vec()),
        entry(
            0x0002,
            TIFF_RATIONAL,
            3,
            rationals(&[(51, 1), (30, 1), (1234, 100)]),
        ),
        entry(0x0003, TIFF_ASCII, 2, b"W\0".to_vec()),
        entry(
            0x0004,
            TIFF_RATIONAL,
            3,
            rationals(&[(0, 1), (7, 1), (3900, 100)]),
        ),
        entry(
            0x001B,
            TIFF_UNDEFINED,
            processing_method.len() as u32,
            processing_method,
        ),
    ];
    let (gps_offset, _) = write_ifd(&mut tiff, &gps);
    patch_u32(&mut tiff, gps_pointer_value_at, gps_offset);

    // IFD1 describes the embedded thumbnail, stored right after IFD1 itself.
    let ifd1_offset = tiff.len();
    let thumbnail_offset = ifd1_offset + 2 + 12 * 2 + 4;
    let ifd1 = [
        entry(
            0x0201,
            TIFF_LONG,
            1,
            (thumbnail_offset as u32).to_le_bytes().to_vec(),
        ),
        entry(
            0x0202,
            TIFF_LONG,
            1,
            (thumbnail.len() as u32).to_le_bytes().to_vec(),
        ),
    ];
    write_ifd(&mut tiff, &ifd1);
    patch_u32(&mut tiff, ifd0_next, ifd1_offset as u32);
    tiff.extend_from_slice(thumbnail);

    tiff
}

pub fn xmp_packet() -> Vec<u8> {
    br#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.2N">
<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">CANARY-XMP</dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
        .to_vec()
}

// ---- JPEG ----

pub fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut segment = vec![0xFF, marker];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(payload);
    segment
}

/// Builds a small JPEG with a canary comment, used as the EXIF thumbnail.
fn thumbnail_jpeg() -> Vec<u8> {
    with_jpeg_segments(&plain_jpeg(16, 16), &[jpeg_segment(0xFE, b"CANARY-THUMB")])
}

/// Inserts `segments` right after the SOI marker.
pub fn with_jpeg_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for segment in segments {
        out.extend_from_slice(segment);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Builds a JPEG with an EXIF APP1 segment (GPS IFD, thumbnail, `orientation`), an XMP APP1 segment,
/// an ICC APP2 segment, a Photoshop IPTC APP13 segment, a COM comment and bytes after EOI.
pub fn jpeg_with_metadata(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&exif_tiff(orientation, &thumbnail_jpeg()));

    let mut xmp = XMP_NAMESPACE.to_vec();
    xmp.extend_from_slice(&xmp_packet());

    let mut icc = b"ICC_PROFILE\0\x01\x01".to_vec();
    icc.extend_from_slice(&fake_icc_profile());

    // Photoshop image resource 0x0404 holding one IPTC dataset 2:80 (by-line).
    let mut iptc = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    let dataset = [&[0x1C, 0x02, 0x50, 0x00, 11][..], b"CANARY-IPTC"].concat();
    iptc.extend_from_slice(&(dataset.len() as u32).to_be_bytes());
    iptc.extend_from_slice(&dataset);
    iptc.push(0);

    let segments = [
        jpeg_segment(0xE1, &exif),
        jpeg_segment(0xE1, &xmp),
        jpeg_segment(0xE2, &icc),
        jpeg_segment(0xED, &iptc),
        jpeg_segment(0xFE, b"CANARY-COMMENT"),
    ];
    let mut out = with_jpeg_segments(&plain_jpeg(width, height), &segments);
    out.extend_from_slice(b"CANARY-TRAILER");
    out
}

/// Lists the markers of a JPEG's segments up to and including SOS, then EOI if the file ends
/// with it.
pub fn jpeg_markers(jpeg: &[u8]) -> Vec<u8> {
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        let length = u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
        at += 2 + length;
    }
    if jpeg.ends_with(&[0xFF, 0xD9]) {
        markers.push(0xD9);
    }
    markers
}

/// Returns the offset of the first SOF0 or SOF2 segment's height field.
pub fn jpeg_frame_size_offset(jpeg: &[u8]) -> usize {
    let mut at = 2;
    loop {
        let marker = jpeg[at + 1];
        if marker == 0xC0 || marker == 0xC2 {
            // Marker (2), length (2), precision (1), then height and width (2 each).
            return at + 5;
        }
        let length = u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
        at += 2 + length;
    }
}

// ---- PNG ----

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// Wraps `data` (under 64 KiB) in a zlib stream of one stored, uncompressed deflate block, so the
/// canary stays readable in the file.
pub fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let length = data.len() as u16;
    let mut out = vec![0x78, 0x01, 0x01];
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(&(!length).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    chunk
}

/// Splits a PNG into its chunks as (type, data) pairs. Stops at the first malformed chunk.
pub fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut chunks = Vec::new();
    let mut at = 8;
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[at + 4..at + 8].try_into().unwrap();
        if at + 12 + length > png.len() {
            break;
        }
        chunks.push((kind, png[at + 8..at + 8 + length].to_vec()));
        at += 12 + length;
    }
    chunks
}

fn fake_icc_profile() -> Vec<u8> {
    let mut profile = vec![0u8; 128];
    profile[36..40].copy_from_slice(b"acsp");
    profile.extend_from_slice(b"desc CANARY-ICC device profile");
    profile
}

/// Builds a PNG with iCCP and eXIf (GPS) before the image data, tEXt, zTXt, iTXt and a
/// private ancillary chunk after it.
pub fn png_with_metadata(width: u32, height: u32) -> Vec<u8> {
    png_with_metadata_oriented(width, height, 1)
}

/// Builds the file of [`png_with_metadata`] with the given EXIF orientation (1 to 8).
pub fn png_with_metadata_oriented(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let plain = plain_png(width, height);
    let chunks = png_chunks(&plain);

    let mut iccp = b"CANARY-ICC name\0\0".to_vec();
    iccp.extend_from_slice(&zlib_stored(&fake_icc_profile()));
    let mut ztxt = b"Author\0\0".to_vec();
    ztxt.extend_from_slice(&zlib_stored(b"CANARY-ZTXT"));
    let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    itxt.extend_from_slice(&xmp_packet());
    itxt.extend_from_slice(b" CANARY-ITXT");

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in &chunks {
        if kind == b"IDAT" && !out.windows(4).any(|w| w == b"iCCP") {
            out.extend(png_chunk(b"iCCP", &iccp));
            out.extend(png_chunk(b"eXIf", &exif_tiff(orientation, &thumbnail_jpeg())));
            out.extend(png_chunk(b"tEXt", b"Comment\0CANARY-TEXT"));
        }
        if kind == b"IEND" {
            out.extend(png_chunk(b"zTXt", &ztxt));
            out.extend(png_chunk(b"iTXt", &itxt));
            out.extend(png_chunk(b"caNy", b"CANARY-PRIVATE"));
        }
        out.extend(png_chunk(kind, data));
    }
    out
}

/// Builds a PNG whose IHDR declares `width` x `height` RGB pixels but whose image data is a few bytes.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(b"IDAT", &zlib_stored(&[0; 64])));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

// ---- WebP (RIFF) ----

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = kind.to_vec();
    chunk.extend_from_slice(&(data.len() as u32).to_le_bytes());
    chunk.extend_from_slice(data);
    if data.len() % 2 == 1 {
        chunk.push(0);
    }
    chunk
}

pub fn riff_webp(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    out
}

/// Splits a WebP file into its chunks as (FourCC, data) pairs.
pub fn webp_chunks(webp: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= webp.len() {
        let kind: [u8; 4] = webp[at..at + 4].try_into().unwrap();
        let length = u32::from_le_bytes(webp[at + 4..at + 8].try_into().unwrap()) as usize;
        if at + 8 + length > webp.len() {
            break;
        }
        chunks.push((kind, webp[at + 8..at + 8 + length].to_vec()));
        at += 8 + length + length % 2;
    }
    chunks
}

/// Builds a VP8X chunk for a canvas of `width` x `height` with the given feature flags.
pub fn vp8x_chunk(flags: u8, width: u32, height: u32) -> Vec<u8> {
    let mut data = vec![flags, 0, 0, 0];
    data.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    data.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    riff_chunk(b"VP8X", &data)
}

pub const VP8X_ICC: u8 = 0x20;
pub const VP8X_ALPHA: u8 = 0x10;
pub const VP8X_EXIF: u8 = 0x08;
pub const VP8X_XMP: u8 = 0x04;

/// Builds an extended WebP: VP8X, ICCP, the lossless VP8L image data, then EXIF (GPS) and XMP chunks.
pub fn webp_with_metadata(width: u32, height: u32) -> Vec<u8> {
    let plain = plain_webp(width, height);
    let image_chunk = webp_chunks(&plain)
        .into_iter()
        .find(|(kind, _)| kind == b"VP8L")
        .expect("lossless WebP fixture has a VP8L chunk");

    riff_webp(&[
        vp8x_chunk(VP8X_ICC | VP8X_ALPHA | VP8X_EXIF | VP8X_XMP, width, height),
        riff_chunk(b"ICCP", &fake_icc_profile()),
        riff_chunk(b"VP8L", &image_chunk.1),
        riff_chunk(b"EXIF", &exif_tiff(1, &thumbnail_jpeg())),
        riff_chunk(b"XMP ", &xmp_packet()),
    ])
}

/// Builds a WebP whose VP8X canvas declares `width` x `height` around a small lossless image.
pub fn webp_declaring(width: u32, height: u32) -> Vec<u8> {
    let plain = plain_webp(8, 8);
    let image_chunk = webp_chunks(&plain)
        .into_iter()
        .find(|(kind, _)| kind == b"VP8L")
        .unwrap();
    riff_webp(&[
        vp8x_chunk(VP8X_ALPHA, width, height),
        riff_chunk(b"VP8L", &image_chunk.1),
    ])
}

// ---- Random input ----

/// A xorshift64 generator, so the property tests are reproducible without a dependency.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    pub fn bytes(&mut self, length: usize) -> Vec<u8> {
        (0..length).map(|_| self.next_u64() as u8).collect()
    }
}
