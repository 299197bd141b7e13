//! The JSON-lines contract of `nearmiss deid`.
//!
//! Each input line is a JSON object `{"id": ..., "text": "..."}`; other fields are ignored.
//! Each output line is `{"id": ..., "spans": [{"start": N, "end": N, "kind": "PERSON"}, ...],
//! "redacted": "..."}`, with `id` echoed as given (any JSON value, `null` when absent) and
//! offsets in Unicode code points of `text`, end exclusive, as Python's `str` indexes them.
//!
//! Blank lines are skipped. A line that cannot be read as such an object (invalid UTF-8,
//! invalid JSON, no string `text`) yields an error line in its place,
//! `{"id": ..., "line": N, "error": "line N: ..."}`, so output lines still pair with input
//! lines, and processing goes on. Only a failure to read input or write output stops the run.

use std::io::{BufRead, Write};

use serde::Serialize;
use serde_json::Value;

use crate::{detect, redact, Span};

/// Counts for one run of [`run`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Non-blank input lines.
    pub lines: usize,
    /// Lines processed into spans and a redacted text.
    pub documents: usize,
    /// Lines that produced an error line.
    pub errors: usize,
    /// Spans found over all documents.
    pub spans: usize,
}

#[derive(Clone, Copy, Serialize)]
struct OutputSpan {
    start: usize,
    end: usize,
    kind: &'static str,
}

#[derive(Serialize)]
struct Output {
    id: Value,
    spans: Vec<OutputSpan>,
    redacted: String,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    id: &'a Value,
    line: usize,
    error: String,
}

/// Reads JSON lines from `input` and writes one result line per non-blank input line.
pub fn run(mut input: impl BufRead, mut output: impl Write) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut buffer = Vec::new();
    let mut line_number = 0;

    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        line_number += 1;
        let line = trim_line_end(&buffer);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        summary.lines += 1;

        match process(line) {
            Ok((result, span_count)) => {
                summary.documents += 1;
                summary.spans += span_count;
                serde_json::to_writer(&mut output, &result)?;
            }
            Err((id, message)) => {
                summary.errors += 1;
                let error = ErrorLine {
                    id: &id,
                    line: line_number,
                    error: format!("line {line_number}: {message}"),
                };
                serde_json::to_writer(&mut output, &error)?;
            }
        }
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(summary)
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

fn process(line: &[u8]) -> Result<(Output, usize), (Value, String)> {
    let line = std::str::from_utf8(line).map_err(|error| (Value::Null, format!("invalid UTF-8: {error}")))?;
    let mut document: Value =
        serde_json::from_str(line).map_err(|error| (Value::Null, format!("invalid JSON: {error}")))?;
    let Some(object) = document.as_object_mut() else {
        return Err((
            Value::Null,
            "expected a JSON object with a string field \"text\"".to_string(),
        ));
    };
    let id = object.remove("id").unwrap_or(Value::Null);
    let Some(Value::String(text)) = object.get("text") else {
        return Err((id, "missing string field \"text\"".to_string()));
    };

    let spans = detect(text);
    let redacted = redact(text, &spans);
    let output_spans = to_code_points(text, &spans);
    let count = output_spans.len();
    Ok((
        Output {
            id,
            spans: output_spans,
            redacted,
        },
        count,
    ))
}

/// Converts sorted byte-offset spans to code-point offsets in one pass over the text.
fn to_code_points(text: &str, spans: &[Span]) -> Vec<OutputSpan> {
    let mut converted = Vec::with_capacity(spans.len());
    let mut characters = text.char_indices().enumerate().peekable();
    let mut position = |byte: usize| -> usize {
        while let Some(&(index, (offset, _))) = characters.peek() {
            if offset >= byte {
                return index;
            }
            characters.next();
        }
        text.chars().count()
    };
    for span in spans {
        let start = position(span.start);
        let end = position(span.end);
        converted.push(OutputSpan {
            start,
            end,
            kind: span.kind.as_str(),
        });
    }
    converted
}
