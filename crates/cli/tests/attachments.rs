//! Image attachments through the real submit form: metadata is gone before anything is stored,
//! bad files are rejected by position with nothing stored, and analysts read the re-encoded
//! images back.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;

use common::*;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, Rgb, RgbImage};

/// Upload file name, which must never be stored, logged or echoed.
const NAME_CANARY: &str = "CANARY-NAME.jpg";
/// In the EXIF GPS IFD of the JPEG fixture.
const GPS_CANARY: &str = "CANARY-GPS-51.5";
/// In the comment of the JPEG fixture's EXIF thumbnail.
const THUMBNAIL_CANARY: &str = "CANARY-THUMB";
/// In the camera make of the JPEG fixture.
const MAKE_CANARY: &str = "CANARY-MAKE";
/// In a tEXt chunk of the PNG fixture.
const TEXT_CANARY: &str = "CANARY-TEXT";

const BOUNDARY: &str = "nearmissTestBoundary7MA4YWxk";

// ---- Fixtures, built in code ----

fn gradient(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    }))
}

fn plain_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    gradient(width, height)
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 95))
        .unwrap();
    out
}

fn plain_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    gradient(width, height)
        .write_with_encoder(PngEncoder::new(&mut out))
        .unwrap();
    out
}

fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut segment = vec![0xFF, marker];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(payload);
    segment
}

/// Builds a little-endian IFD at the end of `tiff`, with values over 4 bytes right after it,
/// and returns the position of its next-IFD field.
fn write_ifd(tiff: &mut Vec<u8>, entries: &[(u16, u16, u32, Vec<u8>)]) -> usize {
    let start = tiff.len();
    let data_start = start + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();
    tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            tiff.extend_from_slice(&inline);
        } else {
            tiff.extend_from_slice(&((data_start + data.len()) as u32).to_le_bytes());
            data.extend_from_slice(value);
            if value.len() % 2 == 1 {
                data.push(0);
            }
        }
    }
    let next_ifd_at = tiff.len();
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&data);
    next_ifd_at
}

/// Builds an EXIF block: a camera make, a GPS IFD at 51°30' N with a canary processing
/// method, and IFD1 pointing to a JPEG thumbnail with a canary comment.
fn exif_block() -> Vec<u8> {
    const ASCII: u16 = 2;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    const UNDEFINED: u16 = 7;

    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let ifd0 = [
        (0x010F, ASCII, 12, format!("{MAKE_CANARY}\0").into_bytes()),
        (0x8825, LONG, 1, vec![0; 4]),
    ];
    let ifd0_next = write_ifd(&mut tiff, &ifd0);
    // IFD0 starts at 8: the count (2), the first entry (12), then the GPS entry's value field.
    let gps_pointer_at = 8 + 2 + 12 + 8;

    let gps_offset = tiff.len() as u32;
    let mut method = b"ASCII\0\0\0".to_vec();
    method.extend_from_slice(GPS_CANARY.as_bytes());
    let latitude: Vec<u8> = [(51u32, 1u32), (30, 1), (1234, 100)]
        .iter()
        .flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
        .collect();
    let gps = [
        (0x0001, ASCII, 2, b"N\0".to_vec()),
        (0x0002, RATIONAL, 3, latitude),
        (0x001B, UNDEFINED, method.len() as u32, method),
    ];
    write_ifd(&mut tiff, &gps);
    tiff[gps_pointer_at..gps_pointer_at + 4].copy_from_slice(&gps_offset.to_le_bytes());

    let mut thumbnail = plain_jpeg(16, 16);
    thumbnail.splice(2..2, jpeg_segment(0xFE, THUMBNAIL_CANARY.as_bytes()));
    let ifd1_offset = tiff.len();
    let thumbnail_offset = ifd1_offset + 2 + 12 * 2 + 4;
    let ifd1 = [
        (0x0201, LONG, 1, (thumbnail_offset as u32).to_le_bytes().to_vec()),
        (0x0202, LONG, 1, (thumbnail.len() as u32).to_le_bytes().to_vec()),
    ];
    write_ifd(&mut tiff, &ifd1);
    tiff[ifd0_next..ifd0_next + 4].copy_from_slice(&(ifd1_offset as u32).to_le_bytes());
    tiff.extend_from_slice(&thumbnail);

    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&tiff);
    exif
}

/// A 320 x 240 JPEG with the EXIF block of [`exif_block`] right after SOI.
fn jpeg_with_gps() -> Vec<u8> {
    let mut jpeg = plain_jpeg(320, 240);
    jpeg.splice(2..2, jpeg_segment(0xE1, &exif_block()));
    jpeg
}

fn crc32(bytes: &[u8]) -> u32 {
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

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    chunk
}

/// Splits a PNG into its chunk types.
fn png_chunk_types(png: &[u8]) -> Vec<[u8; 4]> {
    let mut types = Vec::new();
    let mut at = 8;
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        types.push(png[at + 4..at + 8].try_into().unwrap());
        at += 12 + length;
    }
    types
}

/// A 200 x 100 PNG with a tEXt chunk before IEND.
fn png_with_text() -> Vec<u8> {
    let mut png = plain_png(200, 100);
    let iend = png.len() - 12;
    let text = png_chunk(b"tEXt", format!("Comment\0{TEXT_CANARY}").as_bytes());
    png.splice(iend..iend, text);
    png
}

/// A PNG whose header declares 100,000 x 100,000 pixels around a few bytes of image data.
fn pixel_bomb() -> Vec<u8> {
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

// ---- HTTP helpers ----

/// A multipart part: field name, optional file name, content.
type Part<'a> = (&'a str, Option<&'a str>, Vec<u8>);

fn text_part<'a>(name: &'a str, value: &str) -> Part<'a> {
    (name, None, value.as_bytes().to_vec())
}

fn file_part(bytes: Vec<u8>) -> Part<'static> {
    ("attachments", Some(NAME_CANARY), bytes)
}

fn story_parts() -> Vec<Part<'static>> {
    vec![
        text_part("event_type", "traffic_stop"),
        text_part(
            "what_happened",
            "The driver reached under the seat while I stood at the B-pillar at night.",
        ),
        text_part(
            "lessons_learned",
            "Keep a clear view of the hands before approaching.",
        ),
    ]
}

fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if let Some(file_name) = file_name {
            body.extend_from_slice(
                format!("; filename=\"{file_name}\"\r\nContent-Type: image/jpeg").as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn submit_multipart(server: &Server, parts: &[Part]) -> Reply {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    post(&server.url("/submit"), &content_type, &multipart(parts), &[])
}

/// A binary response: status, headers and body.
struct Download {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Download {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

fn download(url: &str, cookie: Option<&str>) -> Download {
    let mut request = ureq::AgentBuilder::new().redirects(0).build().get(url);
    if let Some(cookie) = cookie {
        request = request.set("Cookie", cookie);
    }
    let response = match request.call() {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("request failed: {error}"),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .map(|name| {
            let value = response.header(&name).unwrap_or("").to_owned();
            (name, value)
        })
        .collect();
    let mut body = Vec::new();
    response.into_reader().read_to_end(&mut body).unwrap();
    Download {
        status,
        headers,
        body,
    }
}

fn first_submission_id(server: &Server, cookie: &str) -> String {
    let queue = get(&server.url("/staff"), &[("Cookie", cookie)]);
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).expect("a submission is queued") + marker.len();
    queue.body[start..start + 20].to_owned()
}

fn count_rows(data: &Path, table: &str) -> i64 {
    let database = data.join("nearmiss.sqlite3");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=ro", database.display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .unwrap()
    })
}

// ---- Tests ----

#[test]
fn metadata_never_stored_and_analyst_sees_images() {
    let data = TempDir::new("attach");
    add_user(data.path(), "analyst1", "analyst");
    let mut server = Server::start(data.path());
    let jpeg = jpeg_with_gps();
    let png = png_with_text();
    assert!(
        contains(&jpeg, GPS_CANARY.as_bytes()),
        "the JPEG fixture carries GPS data"
    );
    assert!(
        contains(&jpeg, THUMBNAIL_CANARY.as_bytes()),
        "the JPEG fixture carries a thumbnail"
    );
    image::load_from_memory(&jpeg).expect("the JPEG fixture decodes");

    let mut parts = story_parts();
    parts.push(file_part(jpeg.clone()));
    parts.push(("attachments", Some("CANARY-NAME.png"), png.clone()));
    let receipt = submit_multipart(&server, &parts);
    assert_eq!(receipt.status, 200, "{}", receipt.body);
    assert!(
        receipt.body.contains("<code>"),
        "the receipt page shows the receipt"
    );
    assert!(!receipt.body.contains("CANARY-NAME"), "the file name is echoed");

    let cookie = sign_in(&server, "analyst1");
    let id = first_submission_id(&server, &cookie);
    let review = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &cookie)],
    );
    assert_eq!(review.status, 200);
    for position in [1, 2] {
        let source = format!("<img src=\"/staff/submissions/{id}/attachments/{position}\"");
        assert!(
            review.body.contains(&source),
            "the review page shows attachment {position}"
        );
    }
    assert!(
        !review.body.contains("CANARY-NAME"),
        "the review page shows the file name"
    );

    let url = server.url(&format!("/staff/submissions/{id}/attachments/1"));
    let photo = download(&url, Some(&cookie));
    assert_eq!(photo.status, 200);
    assert_eq!(photo.header("content-type"), Some("image/jpeg"));
    assert_eq!(photo.header("content-disposition"), Some("inline"));
    assert_eq!(photo.header("cache-control"), Some("no-store"));
    assert_eq!(photo.header("x-content-type-options"), Some("nosniff"));
    let policy = photo.header("content-security-policy").unwrap_or("");
    assert!(policy.contains("img-src 'self'"), "CSP: {policy}");
    for canary in [GPS_CANARY, THUMBNAIL_CANARY, MAKE_CANARY, NAME_CANARY] {
        assert!(
            !contains(&photo.body, canary.as_bytes()),
            "{canary} is in the downloaded JPEG"
        );
    }
    assert!(
        !contains(&photo.body, b"Exif\0\0"),
        "the downloaded JPEG has an EXIF block"
    );
    assert!(
        !contains(&photo.body, &[0xFF, 0xE1]),
        "the downloaded JPEG has an APP1 segment"
    );
    let decoded = image::load_from_memory(&photo.body).expect("the downloaded JPEG decodes");
    assert_eq!((decoded.width(), decoded.height()), (320, 240));

    let diagram = download(
        &server.url(&format!("/staff/submissions/{id}/attachments/2")),
        Some(&cookie),
    );
    assert_eq!(diagram.status, 200);
    assert_eq!(diagram.header("content-type"), Some("image/png"));
    let chunks = png_chunk_types(&diagram.body);
    for kind in [b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"] {
        assert!(
            !chunks.contains(kind),
            "the downloaded PNG has a {} chunk",
            String::from_utf8_lossy(kind)
        );
    }
    assert!(!contains(&diagram.body, TEXT_CANARY.as_bytes()));
    let decoded = image::load_from_memory(&diagram.body).expect("the downloaded PNG decodes");
    assert_eq!((decoded.width(), decoded.height()), (200, 100));

    let anonymous = download(&url, None);
    assert_eq!(
        anonymous.status, 303,
        "a visitor without a session is sent to sign in"
    );
    assert!(anonymous.body.is_empty() || !contains(&anonymous.body, &photo.body[..64]));
    let missing = download(
        &server.url(&format!("/staff/submissions/{id}/attachments/3")),
        Some(&cookie),
    );
    assert_eq!(missing.status, 404);
    let not_a_number = download(
        &server.url(&format!("/staff/submissions/{id}/attachments/x")),
        Some(&cookie),
    );
    assert_eq!(not_a_number.status, 404);

    let upload_scan = &jpeg[jpeg.len() / 2..jpeg.len() / 2 + 64];
    let checks: [(&[u8], &str); 6] = [
        (GPS_CANARY.as_bytes(), "the GPS canary"),
        (THUMBNAIL_CANARY.as_bytes(), "the thumbnail canary"),
        (TEXT_CANARY.as_bytes(), "the PNG text canary"),
        (b"CANARY-NAME", "the upload file name"),
        (upload_scan, "raw upload bytes"),
        (
            &photo.body[photo.body.len() / 2..photo.body.len() / 2 + 64],
            "unsealed re-encoded bytes",
        ),
    ];
    for (needle, what) in checks {
        assert_absent(data.path(), needle, what);
    }
    server.stop();
    for (needle, what) in checks {
        assert_absent(data.path(), needle, &format!("{what}, after shutdown"));
    }
    let output = server.output();
    assert!(!output.contains("CANARY"), "a canary is in the server output");

    // The export carries the attachments sealed, and an import on another instance with the
    // same keys serves the same image.
    let exported = nearmiss(&["export", "--data", data.path().to_str().unwrap()], None);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert!(
        !contains(&exported.stdout, b"CANARY"),
        "a canary is in the export"
    );
    let copy = TempDir::new("attach-copy");
    fs::create_dir_all(copy.path().join("keys")).unwrap();
    for name in ["receipt.key", "data.key"] {
        fs::copy(
            data.path().join("keys").join(name),
            copy.path().join("keys").join(name),
        )
        .unwrap();
    }
    let dump = copy.path().join("export.jsonl");
    fs::write(&dump, &exported.stdout).unwrap();
    let imported = nearmiss(
        &[
            "import",
            "--data",
            copy.path().to_str().unwrap(),
            "--format",
            "nearmiss",
            dump.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    fs::remove_file(&dump).unwrap();

    // A new account, because whether TOTP secrets travel in the export is not this test's concern.
    add_user(copy.path(), "analyst2", "analyst");
    let copied = Server::start(copy.path());
    let cookie = sign_in(&copied, "analyst2");
    let moved = download(
        &copied.url(&format!("/staff/submissions/{id}/attachments/1")),
        Some(&cookie),
    );
    assert_eq!(moved.status, 200);
    assert_eq!(
        moved.body, photo.body,
        "the imported attachment is the same image"
    );
}

#[test]
fn bad_attachments_rejected_by_position() {
    let data = TempDir::new("attach-bad");
    let server = Server::start(data.path());
    let jpeg = plain_jpeg(64, 48);
    let truncated = jpeg[..jpeg.len() / 2].to_vec();

    let mut parts = story_parts();
    parts.push(file_part(jpeg.clone()));
    parts.push(file_part(truncated));
    parts.push(file_part(pixel_bomb()));
    parts.push(file_part(b"GIF89a not accepted".to_vec()));
    parts.push(file_part(b"plain words, not an image".to_vec()));
    let reply = submit_multipart(&server, &parts);
    assert_eq!(reply.status, 422, "{}", reply.body);
    let expected = [
        "attachment 2: image data is truncated",
        "attachment 3: image too large: 10000000000 pixels",
        "attachment 4: not a JPEG, PNG or WebP image (this file is GIF)",
        "attachment 5: not a JPEG, PNG or WebP image",
        "Choose your images again",
        "The driver reached under the seat",
    ];
    for text in expected {
        assert!(
            reply.body.contains(text),
            "the page lacks {text:?}: {}",
            reply.body
        );
    }
    assert!(
        !reply.body.contains("attachment 1:"),
        "the valid file has no error"
    );
    assert!(!reply.body.contains("CANARY-NAME"), "the file name is echoed");

    let mut too_big = jpeg.clone();
    too_big.resize(10 * 1024 * 1024 + 1, 0);
    let mut parts = story_parts();
    parts.push(file_part(too_big));
    let reply = submit_multipart(&server, &parts);
    assert_eq!(reply.status, 422);
    assert!(
        reply
            .body
            .contains("attachment 1: file too large: 10485761 bytes"),
        "{}",
        reply.body
    );

    let mut parts = story_parts();
    for _ in 0..6 {
        parts.push(file_part(jpeg.clone()));
    }
    let reply = submit_multipart(&server, &parts);
    assert_eq!(reply.status, 422);
    assert!(
        reply
            .body
            .contains("attachment 6: too many files: attach at most 5 images"),
        "{}",
        reply.body
    );

    let mut parts = vec![text_part("event_type", "traffic_stop")];
    parts.push(file_part(jpeg.clone()));
    let reply = submit_multipart(&server, &parts);
    assert_eq!(reply.status, 422, "text errors show with valid files");
    assert!(reply.body.contains("Choose your images again"));

    let mut parts = story_parts();
    parts.push(text_part("recommendations", "caf\u{e9}"));
    parts[2].2 = b"caf\xE9 is not UTF-8".to_vec();
    let reply = submit_multipart(&server, &parts);
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("not valid UTF-8"), "{}", reply.body);

    assert_eq!(count_rows(data.path(), "submissions"), 0, "nothing is stored");
    assert_eq!(count_rows(data.path(), "attachments"), 0, "nothing is stored");

    // Browsers send one empty part for a file input left empty.
    let mut parts = story_parts();
    parts.push(("attachments", Some(""), Vec::new()));
    let reply = submit_multipart(&server, &parts);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(count_rows(data.path(), "submissions"), 1);
    assert_eq!(count_rows(data.path(), "attachments"), 0);

    let output = server.output();
    assert!(!output.contains("CANARY"), "a canary is in the server output");
}

#[test]
fn submit_page_offers_file_input() {
    let data = TempDir::new("attach-form");
    let server = Server::start(data.path());
    let page = get(&server.url("/submit"), &[]);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(page
        .body
        .contains("<input type=\"file\" id=\"attachments\" name=\"attachments\" accept=\"image/jpeg,image/png,image/webp\" multiple>"));

    // The URL-encoded form still works, and a file name sent as a value is dropped.
    let reply = post_form(
        &server.url("/submit"),
        &[
            ("event_type", "traffic_stop"),
            (
                "what_happened",
                "The driver reached under the seat while I stood at the B-pillar.",
            ),
            ("lessons_learned", "Watch the hands."),
            ("attachments", NAME_CANARY),
        ],
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_absent(data.path(), b"CANARY-NAME", "a file name sent as a value");
}
