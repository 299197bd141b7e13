//! Reads `{"id": ..., "text": ...}` JSON lines on standard input and writes spans and redacted
//! text as JSON lines on standard output; see `nearmiss_deid::jsonl`.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdin = io::stdin();
    let stdout = io::stdout();
    match nearmiss_deid::jsonl::run(stdin.lock(), io::BufWriter::new(stdout.lock())) {
        Ok(summary) => {
            let _ = writeln!(
                io::stderr(),
                "deid-jsonl: {} lines, {} documents, {} errors, {} spans",
                summary.lines,
                summary.documents,
                summary.errors,
                summary.spans
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            let _ = writeln!(
                io::stderr(),
                "deid-jsonl: failed to read input or write output: {error}"
            );
            ExitCode::FAILURE
        }
    }
}
