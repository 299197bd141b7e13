//! Tests of `sanitize` on images built in code: metadata removal, limits, rejected formats and
//! malformed input.

mod fixtures;

use fixtures::*;
use image::ImageDecoder;
use nearmiss_media::{sanitize, Format, Limits, MediaError};

fn assert_no_canary(bytes: &[u8]) {
    for canary in CANARIES {
        let found = bytes.windows(canary.len()).any(|w| w == canary.as_bytes());
        assert!(!found, "sanitized output still contains {canary}");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("sanitized output decodes")
}

#[test]
fn fixtures_carry_their_canaries() {
    // Guards the other tests: a canary missing from the input would make them pass vacuously.
    let jpeg = jpeg_with_metadata(64, 48, 1);
    let png = png_with_metadata(40, 30);
    let webp = webp_with_metadata(32, 24);
    for canary in CANARIES {
        let in_any = [&jpeg, &png, &webp]
            .iter()
            .any(|file| contains(file, canary.as_bytes()));
        assert!(in_any, "no fixture contains {canary}");
    }
    assert!(contains(&jpeg, b"Exif\0\0"));
    assert!(contains(&jpeg, XMP_NAMESPACE));
    assert!(jpeg_markers(&jpeg).contains(&0xFE));
    assert!(contains(&jpeg, b"CANARY-GPS-51.5"));
    assert!(contains(&jpeg, b"CANARY-THUMB"));
}

#[test]
fn fixtures_decode_with_metadata() {
    // The spliced-in segments and chunks are well formed: the image crate still reads them.
    assert_eq!(decode(&jpeg_with_metadata(64, 48, 1)).width(), 64);
    assert_eq!(decode(&png_with_metadata(40, 30)).width(), 40);
    assert_eq!(decode(&webp_with_metadata(32, 24)).width(), 32);
}

#[test]
fn fixtures_metadata_visible_to_decoder() {
    // The image crate finds the EXIF and ICC data in each fixture, so the metadata is well formed
    // and would be kept by a tool that copies it.
    let files = [
        ("JPEG", jpeg_with_metadata(64, 48, 1), image::ImageFormat::Jpeg),
        ("PNG", png_with_metadata(40, 30), image::ImageFormat::Png),
        ("WebP", webp_with_metadata(32, 24), image::ImageFormat::WebP),
    ];
    for (name, file, format) in files {
        let mut decoder = image::ImageReader::with_format(std::io::Cursor::new(&file), format)
            .into_decoder()
            .unwrap();
        let exif = decoder.exif_metadata().unwrap();
        let icc = decoder.icc_profile().unwrap();
        assert!(
            exif.is_some_and(|exif| contains(&exif, b"CANARY-GPS-51.5")),
            "{name}: EXIF"
        );
        assert!(
            icc.is_some_and(|icc| contains(&icc, b"CANARY-ICC")),
            "{name}: ICC"
        );
    }
}

#[test]
fn jpeg_metadata_removed() {
    let input = jpeg_with_metadata(64, 48, 1);

    let output = sanitize(&input, &Limits::default()).unwrap();

    assert_eq!(output.format, Format::Jpeg);
    assert_eq!((output.width, output.height), (64, 48));
    assert_no_canary(&output.bytes);
    assert!(!contains(&output.bytes, b"Exif"), "EXIF header survived");
    assert!(
        !contains(&output.bytes, b"http://ns.adobe.com/xap"),
        "XMP survived"
    );
    assert!(!contains(&output.bytes, b"ICC_PROFILE"), "ICC profile survived");
    assert!(!contains(&output.bytes, b"Photoshop 3.0"), "IPTC survived");

    let markers = jpeg_markers(&output.bytes);
    assert!(markers.contains(&0xDA), "no SOS in {markers:02X?}");
    assert_eq!(markers.last(), Some(&0xD9), "file does not end with EOI");
    for marker in &markers {
        let allowed = matches!(marker, 0xE0 | 0xDB | 0xC0 | 0xC2 | 0xC4 | 0xDD | 0xDA | 0xD9);
        assert!(allowed, "unexpected JPEG segment {marker:02X} in {markers:02X?}");
    }

    let decoded = decode(&output.bytes);
    assert_eq!((decoded.width(), decoded.height()), (64, 48));
}

#[test]
fn jpeg_orientation_applied() {
    // EXIF orientation 6 means the stored pixels must be rotated 90 degrees clockwise for display.
    let input = jpeg_with_metadata(64, 48, 6);

    let output = sanitize(&input, &Limits::default()).unwrap();

    assert_eq!((output.width, output.height), (48, 64));
    assert_no_canary(&output.bytes);
    let decoded = decode(&output.bytes).to_rgb8();
    assert_eq!(decoded.dimensions(), (48, 64));

    // The red block from the stored top-left corner is now in the top-right corner.
    let top_right = decoded.get_pixel(40, 8).0;
    let top_left = decoded.get_pixel(8, 8).0;
    assert!(
        top_right[0] > 200 && top_right[1] < 60,
        "top-right is {top_right:?}"
    );
    assert!(top_left[0] < 100, "top-left is {top_left:?}");
}

#[test]
fn png_metadata_removed() {
    let input = png_with_metadata(40, 30);

    let output = sanitize(&input, &Limits::default()).unwrap();

    assert_eq!(output.format, Format::Png);
    assert_eq!((output.width, output.height), (40, 30));
    assert_no_canary(&output.bytes);

    let chunks = png_chunks(&output.bytes);
    let kinds: Vec<String> = chunks
        .iter()
        .map(|(kind, _)| String::from_utf8_lossy(kind).into())
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("IHDR"));
    assert_eq!(kinds.last().map(String::as_str), Some("IEND"));
    for kind in &kinds {
        let critical = matches!(kind.as_str(), "IHDR" | "PLTE" | "IDAT" | "IEND");
        assert!(critical, "ancillary chunk {kind} survived in {kinds:?}");
    }

    // PNG is lossless, so the pixels come through unchanged.
    assert_eq!(decode(&output.bytes).to_rgba8(), gradient_rgba(40, 30));
}

#[test]
fn png_exif_orientation_applied() {
    // Orientation 8 means the stored pixels must be rotated 270 degrees clockwise for display.
    let input = png_with_metadata_oriented(40, 30, 8);

    let output = sanitize(&input, &Limits::default()).unwrap();

    assert_eq!((output.width, output.height), (30, 40));
    let expected = image::imageops::rotate270(&gradient_rgba(40, 30));
    assert_eq!(decode(&output.bytes).to_rgba8(), expected);
}

#[test]
fn webp_metadata_removed() {
    let input = webp_with_metadata(32, 24);

    let output = sanitize(&input, &Limits::default()).unwrap();

    // The image crate 0.25 encodes lossless WebP, so WebP stays WebP.
    assert_eq!(output.format, Format::WebP);
    assert_eq!(Format::detect(&output.bytes), Some(Format::WebP));
    assert_eq!((output.width, output.height), (32, 24));
    assert_no_canary(&output.bytes);

    let chunks = webp_chunks(&output.bytes);
    let kinds: Vec<String> = chunks
        .iter()
        .map(|(kind, _)| String::from_utf8_lossy(kind).into())
        .collect();
    for kind in &kinds {
        let image_data = matches!(kind.as_str(), "VP8L" | "VP8 " | "ALPH");
        assert!(image_data, "chunk {kind} survived in {kinds:?}");
    }

    assert_eq!(decode(&output.bytes).to_rgba8(), gradient_rgba(32, 24));
}

#[test]
fn plain_images_round_trip() {
    let cases = [
        (plain_jpeg(33, 17), Format::Jpeg),
        (plain_png(33, 17), Format::Png),
        (plain_webp(33, 17), Format::WebP),
    ];
    for (input, format) in cases {
        let output = sanitize(&input, &Limits::default()).unwrap();
        assert_eq!(output.format, format);
        assert_eq!((output.width, output.height), (33, 17), "{format:?}");
        assert_eq!(Format::detect(&output.bytes), Some(format));
    }
}

#[test]
fn truncated_files_rejected() {
    // The trailer after EOI is outside the image, so cutting into it would leave a whole image.
    let jpeg = jpeg_with_metadata(64, 48, 1);
    let jpeg = jpeg[..jpeg.len() - b"CANARY-TRAILER".len()].to_vec();
    let files = [
        ("JPEG", jpeg),
        ("PNG", png_with_metadata(40, 30)),
        ("WebP", webp_with_metadata(32, 24)),
        ("plain JPEG", plain_jpeg(64, 48)),
        ("plain PNG", plain_png(40, 30)),
        ("plain WebP", plain_webp(32, 24)),
    ];
    let mut accepted = Vec::new();
    for (name, file) in files {
        for keep in [4, 12, 40, file.len() / 2, file.len() * 9 / 10, file.len() - 1] {
            match sanitize(&file[..keep], &Limits::default()) {
                Ok(_) => accepted.push(format!("{name} cut to {keep} of {} bytes", file.len())),
                Err(error) => println!("{name} cut to {keep}: {error}"),
            }
        }
    }
    assert!(accepted.is_empty(), "accepted truncated files: {accepted:#?}");
}

#[test]
fn truncated_jpeg_scan_rejected() {
    // The JPEG decoder fills missing scan data with gray, so the end marker check must catch it.
    let file = plain_jpeg(64, 48);

    let error = sanitize(&file[..file.len() / 2], &Limits::default()).unwrap_err();

    assert!(
        matches!(error, MediaError::Truncated { format: Format::Jpeg }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "image data is truncated: the file ends before the end of the JPEG data"
    );
}

#[test]
fn short_png_image_data_corrupt() {
    // Well-formed chunks whose IDAT holds only half of the zlib stream: the container check
    // passes and the decoder meets the missing rows.
    let plain = plain_png(40, 30);
    let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in png_chunks(&plain) {
        let data = if &kind == b"IDAT" {
            &data[..data.len() / 2]
        } else {
            &data[..]
        };
        file.extend(png_chunk(&kind, data));
    }

    let error = sanitize(&file, &Limits::default()).unwrap_err();

    assert!(matches!(error, MediaError::Corrupt { .. }), "{error:?}");
    assert_eq!(error.to_string(), "image data is truncated or corrupt");
}

#[test]
fn trailing_bytes_after_end_accepted() {
    // Some phones and editors append data after the JPEG end marker or IEND, but the image is whole.
    let mut jpeg = plain_jpeg(20, 10);
    jpeg.extend_from_slice(b"appended trailer");
    let mut png = plain_png(20, 10);
    png.extend_from_slice(b"appended trailer");

    assert_eq!(sanitize(&jpeg, &Limits::default()).unwrap().width, 20);
    assert_eq!(sanitize(&png, &Limits::default()).unwrap().width, 20);
}

#[test]
fn png_pixel_bomb_rejected_by_header() {
    let input = png_declaring(100_000, 100_000);
    assert!(input.len() < 200, "bomb fixture is {} bytes", input.len());

    let error = sanitize(&input, &Limits::default()).unwrap_err();

    assert!(matches!(error, MediaError::TooManyPixels { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "image too large: 10000000000 pixels, the limit is 40000000"
    );
}

#[test]
fn jpeg_pixel_bomb_rejected_by_header() {
    let mut input = plain_jpeg(16, 16);
    let at = jpeg_frame_size_offset(&input);
    input[at..at + 2].copy_from_slice(&60_000u16.to_be_bytes());
    input[at + 2..at + 4].copy_from_slice(&60_000u16.to_be_bytes());

    let error = sanitize(&input, &Limits::default()).unwrap_err();

    assert_eq!(
        error.to_string(),
        "image too large: 3600000000 pixels, the limit is 40000000"
    );
}

#[test]
fn webp_pixel_bomb_rejected_by_header() {
    let input = webp_declaring(16_000, 16_000);

    let error = sanitize(&input, &Limits::default()).unwrap_err();

    assert_eq!(
        error.to_string(),
        "image too large: 256000000 pixels, the limit is 40000000"
    );
}

#[test]
fn real_compressible_png_over_limit() {
    // A valid 9,000 x 9,000 gray PNG compresses to well under a MiB but decodes to 81 MB.
    let mut input = Vec::new();
    image::DynamicImage::new_luma8(9_000, 9_000)
        .write_with_encoder(image::codecs::png::PngEncoder::new_with_quality(
            &mut input,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::NoFilter,
        ))
        .unwrap();
    assert!(input.len() < 1024 * 1024, "fixture is {} bytes", input.len());
    let limits = Limits {
        max_pixels: 16_000_000,
        ..Limits::default()
    };

    let error = sanitize(&input, &limits).unwrap_err();

    assert_eq!(
        error.to_string(),
        "image too large: 81000000 pixels, the limit is 16000000"
    );
}

#[test]
fn side_limits_enforced() {
    let input = plain_png(300, 20);
    let wide = Limits {
        max_width: 200,
        ..Limits::default()
    };
    let tall = Limits {
        max_height: 200,
        ..Limits::default()
    };

    let error = sanitize(&input, &wide).unwrap_err();
    assert_eq!(
        error.to_string(),
        "image too wide: 300 pixels, the limit is 200 pixels per side"
    );

    let error = sanitize(&plain_png(20, 300), &tall).unwrap_err();
    assert_eq!(
        error.to_string(),
        "image too tall: 300 pixels, the limit is 200 pixels per side"
    );
}

#[test]
fn side_limit_uses_displayed_size() {
    // Stored 64 x 48 with orientation 6 is displayed 48 x 64, which exceeds a 50 pixel height.
    let input = jpeg_with_metadata(64, 48, 6);
    let limits = Limits {
        max_height: 50,
        ..Limits::default()
    };

    let error = sanitize(&input, &limits).unwrap_err();

    assert!(
        matches!(
            error,
            MediaError::TooTall {
                height: 64,
                limit: 50
            }
        ),
        "{error:?}"
    );
}

#[test]
fn byte_limit_checked_first() {
    // Random bytes are not an image either, but the size is reported because it is checked first.
    let input = vec![0xAB; 2_000];
    let limits = Limits {
        max_bytes: 1_000,
        ..Limits::default()
    };

    let error = sanitize(&input, &limits).unwrap_err();

    assert_eq!(
        error.to_string(),
        "file too large: 2000 bytes, the limit is 1000 bytes"
    );
}

#[test]
fn wrong_types_rejected() {
    let cases: [(&str, &[u8], Option<&str>); 8] = [
        (
            "GIF",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04;",
            Some("GIF"),
        ),
        (
            "SVG",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
            Some("SVG"),
        ),
        (
            "SVG with prolog",
            b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<svg/>",
            Some("SVG"),
        ),
        ("PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", Some("PDF")),
        ("HEIC", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", Some("HEIC")),
        ("TIFF", b"II*\0\x08\0\0\0", Some("TIFF")),
        ("text", b"Reporter notes: the radio failed at 02:14.", None),
        ("truncated magic", b"\x89PN", None),
    ];
    for (name, input, detected) in cases {
        let error = sanitize(input, &Limits::default()).unwrap_err();
        match &error {
            MediaError::UnsupportedFormat { detected: found } => assert_eq!(*found, detected, "{name}"),
            other => panic!("{name}: expected UnsupportedFormat, got {other:?}"),
        }
        let message = error.to_string();
        assert!(
            message.starts_with("not a JPEG, PNG or WebP image"),
            "{name}: {message}"
        );
    }
}

#[test]
fn gif_message_names_format() {
    let error = sanitize(b"GIF87a\x01\x00\x01\x00", &Limits::default()).unwrap_err();

    assert_eq!(
        error.to_string(),
        "not a JPEG, PNG or WebP image (this file is GIF)"
    );
}

#[test]
fn empty_input_rejected() {
    let error = sanitize(&[], &Limits::default()).unwrap_err();

    assert!(matches!(error, MediaError::Empty));
    assert_eq!(
        error.to_string(),
        "file is empty: attach a JPEG, PNG or WebP image"
    );
}

fn fuzz_limits() -> Limits {
    // Small enough that a mutated header cannot make one iteration decode a large image.
    Limits {
        max_pixels: 1_000_000,
        max_width: 4_000,
        max_height: 4_000,
        ..Limits::default()
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let prefixes: [&[u8]; 5] = [
        b"",
        b"\xFF\xD8\xFF",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\0\0\0\0WEBP",
        b"RIFF\x40\0\0\0WEBPVP8",
    ];
    for _ in 0..2_000 {
        let prefix = prefixes[rng.below(prefixes.len())];
        let mut input = prefix.to_vec();
        let length = rng.below(600);
        input.extend(rng.bytes(length));
        let _ = sanitize(&input, &fuzz_limits());
    }
}

#[test]
fn truncations_and_flips_never_panic() {
    let files = [
        jpeg_with_metadata(64, 48, 6),
        png_with_metadata(40, 30),
        webp_with_metadata(32, 24),
        plain_jpeg(40, 40),
        plain_webp(20, 20),
    ];
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    for file in &files {
        for _ in 0..150 {
            let keep = rng.below(file.len());
            let _ = sanitize(&file[..keep], &fuzz_limits());
        }
        for _ in 0..150 {
            let mut mutated = file.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(mutated.len());
                mutated[at] ^= 1 << rng.below(8);
            }
            let _ = sanitize(&mutated, &fuzz_limits());
        }
    }
}
