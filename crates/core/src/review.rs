//! The analyst's working copy of a submission under review: the draft report, every span that
//! de-identification found or the analyst marked, and the analyst's decision on each.

use serde::{Deserialize, Serialize};

use crate::report::ReportDraft;

/// The draft fields that are published as free text and so are checked for identifiers.
pub const TEXT_FIELDS: [&str; 5] = [
    "title",
    "summary",
    "what_happened",
    "lessons_learned",
    "recommendations",
];

/// Kinds of identifier an analyst can mark by hand, with labels; the names match the
/// de-identification engine's kinds.
pub const MARK_KINDS: [(&str, &str); 9] = [
    ("PERSON", "Person"),
    ("AGENCY", "Agency"),
    ("LOCATION", "Place or address"),
    ("BADGE", "Badge or unit number"),
    ("CASE_NUMBER", "Case or incident number"),
    ("PLATE", "Licence plate"),
    ("GOV_ID", "ID number"),
    ("DATE", "Date"),
    ("TIME", "Time"),
];

/// What the analyst decided about one span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Undecided,
    /// The span is replaced by a placeholder in the published report.
    Redact,
    /// The span is not an identifier and is published as written.
    Keep,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Undecided => "undecided",
            Decision::Redact => "redact",
            Decision::Keep => "keep",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "undecided" => Some(Decision::Undecided),
            "redact" => Some(Decision::Redact),
            "keep" => Some(Decision::Keep),
            _ => None,
        }
    }
}

/// One detected or marked identifier in a draft field. Offsets are byte offsets into the
/// field's current text, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSpan {
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub text: String,
    pub decision: Decision,
    /// Marked by the analyst rather than found by the detector.
    pub manual: bool,
}

/// Coarser values the analyst chose after a re-identification warning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coarsening {
    /// Publish the census region instead of the state.
    pub region_instead_of_state: bool,
    /// Publish the quarter instead of the month of the event.
    pub quarter_instead_of_month: bool,
}

/// One analyst's approval of the exact text that would be published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub staff_id: String,
    /// Hex SHA-256 of the publishable report as approved; a change to it voids the approval.
    pub preview_hash: String,
}

/// The analyst's working copy, saved between edits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDraft {
    pub draft: ReportDraft,
    pub spans: Vec<ReviewSpan>,
    pub coarsening: Coarsening,
    #[serde(default)]
    pub approvals: Vec<Approval>,
}

impl ReviewDraft {
    pub fn field_text(&self, field: &str) -> &str {
        let draft = &self.draft;
        match field {
            "title" => &draft.title,
            "summary" => &draft.summary,
            "what_happened" => &draft.what_happened,
            "lessons_learned" => &draft.lessons_learned,
            "recommendations" => &draft.recommendations,
            _ => "",
        }
    }

    pub fn undecided(&self) -> usize {
        self.spans
            .iter()
            .filter(|span| span.decision == Decision::Undecided)
            .count()
    }
}

/// Quarter of a `YYYY-MM` month, as `YYYY-Qn`.
pub fn quarter_of(month: &str) -> Option<String> {
    let (year, month) = crate::calendar::parse_month(month)?;
    Some(format!("{year}-Q{}", (month - 1) / 3 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_of_months() {
        assert_eq!(quarter_of("2024-01").as_deref(), Some("2024-Q1"));
        assert_eq!(quarter_of("2024-06").as_deref(), Some("2024-Q2"));
        assert_eq!(quarter_of("2024-12").as_deref(), Some("2024-Q4"));
        assert_eq!(quarter_of("2024"), None);
    }
}
