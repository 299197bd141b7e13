//! Throughput of `detect` over real narratives.
//!
//! Reads the JSON lines named by `DEID_BENCH_JSONL` (`{"id": ..., "text": ...}`, as written by
//! scripts/deid/asrs_jsonl.py), or skips when it is unset. Divan reports the throughput in
//! bytes of text per second; run it pinned to one core (`taskset -c 0`) to measure one core.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::Bencher;

static TEXTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let Ok(path) = std::env::var("DEID_BENCH_JSONL") else {
        return Vec::new();
    };
    let content =
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
    content
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|document| {
            document
                .get("text")
                .and_then(|text| text.as_str())
                .map(str::to_string)
        })
        .collect()
});

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn detect_narratives(bencher: Bencher) {
    let texts = &*TEXTS;
    let bytes: usize = texts.iter().map(String::len).sum();
    nearmiss_deid::detect("warm up the word lists and patterns");
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        let mut spans = 0;
        for text in texts {
            spans += nearmiss_deid::detect(divan::black_box(text)).len();
        }
        spans
    });
}
