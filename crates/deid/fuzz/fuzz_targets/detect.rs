//! Fuzzes `detect` and `redact` on any UTF-8 input: no panic, and every span lies on character
//! boundaries inside the text, sorted and never overlapping.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let spans = nearmiss_deid::detect(text);
    for span in &spans {
        assert!(span.start < span.end);
        assert!(span.end <= text.len());
        assert!(text.is_char_boundary(span.start));
        assert!(text.is_char_boundary(span.end));
    }
    for pair in spans.windows(2) {
        assert!(pair[0].end <= pair[1].start);
    }
    let _ = nearmiss_deid::redact(text, &spans);
});
