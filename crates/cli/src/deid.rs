//! `nearmiss deid`: de-identification as a filter over JSON lines.
//!
//! Reads `{"id": ..., "text": ...}` per line on standard input and writes
//! `{"id": ..., "spans": [{"start", "end", "kind"}], "redacted": "..."}` per line, with offsets
//! in Unicode code points, end exclusive.

use std::io::Write;
use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut output = std::io::BufWriter::new(stdout.lock());
    nearmiss_deid::jsonl::run(stdin.lock(), &mut output)?;
    output.flush()?;
    Ok(ExitCode::SUCCESS)
}
