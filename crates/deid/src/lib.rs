//! De-identification engine: finds identifiers of people, agencies, places and events in free
//! text, and redacts them with placeholders that keep the narrative readable.
//!
//! [`detect`] returns byte-offset [`Span`]s, sorted and never overlapping; [`redact`] replaces
//! them; [`jsonl::run`] is the line-oriented contract that the `nearmiss deid` subcommand serves.

mod lexicon;
mod names;
mod patterns;
mod redact;
mod tokens;

pub mod jsonl;

pub use redact::redact;

/// Category of an identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Agency,
    /// Addresses, streets, intersections, cities and counties.
    Location,
    /// Badge, employee and unit (call-sign) numbers.
    Badge,
    CaseNumber,
    Plate,
    Phone,
    Email,
    Url,
    IpAddress,
    /// Social security numbers, driver's licence numbers and VINs.
    GovId,
    CreditCard,
    Date,
    Time,
}

impl Kind {
    /// Returns the upper-case label used in JSON output ("PERSON", "CASE_NUMBER", ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Person => "PERSON",
            Kind::Agency => "AGENCY",
            Kind::Location => "LOCATION",
            Kind::Badge => "BADGE",
            Kind::CaseNumber => "CASE_NUMBER",
            Kind::Plate => "PLATE",
            Kind::Phone => "PHONE",
            Kind::Email => "EMAIL",
            Kind::Url => "URL",
            Kind::IpAddress => "IP_ADDRESS",
            Kind::GovId => "GOV_ID",
            Kind::CreditCard => "CREDIT_CARD",
            Kind::Date => "DATE",
            Kind::Time => "TIME",
        }
    }
}

/// One identifier: byte offsets into the text (end exclusive, on character boundaries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// A detector's proposal before overlaps are resolved. Where proposals overlap, they merge into
/// one span that takes the kind of the proposal with the highest priority.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub priority: u8,
}

impl Candidate {
    pub fn new(start: usize, end: usize, kind: Kind, priority: u8) -> Candidate {
        Candidate {
            start,
            end,
            kind,
            priority,
        }
    }
}

/// Finds the identifiers in `text`: sorted by offset and never overlapping.
pub fn detect(text: &str) -> Vec<Span> {
    let mut candidates = Vec::new();
    patterns::find(text, &mut candidates);
    let tokens = tokens::Tokens::new(text);
    names::find(&tokens, &mut candidates);
    merge(text, candidates)
}

fn merge(text: &str, mut candidates: Vec<Candidate>) -> Vec<Span> {
    candidates.retain(|candidate| {
        candidate.start < candidate.end
            && candidate.end <= text.len()
            && text.is_char_boundary(candidate.start)
            && text.is_char_boundary(candidate.end)
    });
    candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));

    let mut spans: Vec<Span> = Vec::with_capacity(candidates.len());
    let mut best: Option<Candidate> = None;
    for candidate in candidates {
        match best.as_mut() {
            Some(current) if candidate.start < current.end => {
                let longer = candidate.end - candidate.start > current.end - current.start;
                if candidate.priority > current.priority || (candidate.priority == current.priority && longer)
                {
                    current.kind = candidate.kind;
                    current.priority = candidate.priority;
                }
                current.end = current.end.max(candidate.end);
            }
            _ => {
                if let Some(done) = best.take() {
                    spans.push(Span {
                        start: done.start,
                        end: done.end,
                        kind: done.kind,
                    });
                }
                best = Some(candidate);
            }
        }
    }
    if let Some(done) = best {
        spans.push(Span {
            start: done.start,
            end: done.end,
            kind: done.kind,
        });
    }
    spans
}

#[cfg(test)]
mod timing {
    /// Prints the time each stage of `detect` takes over the texts in `DEID_BENCH_JSONL`.
    #[test]
    #[ignore = "measurement, not a check; run with --ignored --nocapture"]
    fn stage_timings() {
        let Ok(path) = std::env::var("DEID_BENCH_JSONL") else {
            return;
        };
        let content = std::fs::read_to_string(path).expect("failed to read DEID_BENCH_JSONL");
        let texts: Vec<String> = content
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|document| document["text"].as_str().map(str::to_string))
            .collect();
        super::detect("warm up");

        let started = std::time::Instant::now();
        let mut candidates = Vec::new();
        for text in &texts {
            candidates.clear();
            super::patterns::find(text, &mut candidates);
        }
        println!("patterns {:>8.1} ms", started.elapsed().as_secs_f64() * 1000.0);

        let started = std::time::Instant::now();
        for text in &texts {
            let _ = super::tokens::Tokens::new(text);
        }
        println!("tokens   {:>8.1} ms", started.elapsed().as_secs_f64() * 1000.0);

        let started = std::time::Instant::now();
        for text in &texts {
            candidates.clear();
            let tokens = super::tokens::Tokens::new(text);
            super::names::find(&tokens, &mut candidates);
        }
        println!(
            "tokens and names {:>8.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
