fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    for span in nearmiss_deid::detect(&text) {
        println!("{:?} {:?}", span.kind, &text[span.start..span.end]);
    }
}
