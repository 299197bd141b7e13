//! Prints the spans that `detect` finds in its first argument, one per line with its kind.
//! Usage: cargo run --release --example debug -- "Officer E. Ferraris arrived at 0317 hours."
fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    for span in nearmiss_deid::detect(&text) {
        println!("{:?} {:?}", span.kind, &text[span.start..span.end]);
    }
}
