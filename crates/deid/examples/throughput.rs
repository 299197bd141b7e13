//! Runs `detect` over the texts of a JSON-lines file and prints MB/s, a quick check outside
//! the benchmark harness. Usage: throughput FILE.jsonl [ROUNDS]
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("missing argument FILE.jsonl: usage: throughput FILE.jsonl [ROUNDS]");
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|value| value.parse().ok())
        .unwrap_or(3);
    let content = std::fs::read_to_string(&path).expect("failed to read the input file: check the path");
    let texts: Vec<String> = content
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|document| {
            document
                .get("text")
                .and_then(|text| text.as_str())
                .map(str::to_string)
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    nearmiss_deid::detect("warm up");
    let started = std::time::Instant::now();
    let mut spans = 0;
    for _ in 0..rounds {
        for text in &texts {
            spans += nearmiss_deid::detect(text).len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{:.2} MB/s ({} bytes x {} rounds, {} spans)",
        (bytes * rounds) as f64 / seconds / 1e6,
        bytes,
        rounds,
        spans
    );
}
