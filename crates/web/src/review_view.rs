//! The analyst's review page: editable fields, every de-identification span with its decision,
//! the re-identification warning, and the preview of what will be published.

use askama::Template;
use nearmiss_app::{ReidentificationRisk, Review};
use nearmiss_core::review::{ReviewSpan, MARK_KINDS, TEXT_FIELDS};
use nearmiss_core::FieldErrors;

use crate::views::{text, Coding, TextView};

/// A piece of a field's text: plain, or one span with its index in the review's span list.
pub struct Segment {
    pub text: String,
    pub span: Option<usize>,
    pub kind: String,
    pub decision: &'static str,
}

/// One span as a row of the decision list.
pub struct SpanRow {
    pub index: usize,
    pub text: String,
    pub kind: String,
    pub decision: &'static str,
    pub manual: bool,
}

/// One editable text field with its highlighted text and its spans.
pub struct FieldReview {
    pub input: TextView,
    pub segments: Vec<Segment>,
    pub spans: Vec<SpanRow>,
}

/// A published field of the preview.
pub struct PreviewField {
    pub label: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "staff_review.html")]
pub struct ReviewPage {
    pub username: String,
    pub csrf_token: String,
    pub submission_id: String,
    pub received_on: String,
    pub fields: Vec<FieldReview>,
    pub coding: Coding,
    pub undecided: usize,
    pub span_count: usize,
    pub risk: Option<ReidentificationRisk>,
    pub region_instead_of_state: bool,
    pub quarter_instead_of_month: bool,
    pub mark_kinds: Vec<(&'static str, &'static str)>,
    pub preview: Vec<PreviewField>,
    pub preview_month: String,
    pub errors: Vec<String>,
    pub reason: String,
    pub reason_error: Option<String>,
    /// The submission's images as (position, width, height).
    pub attachments: Vec<(i64, i64, i64)>,
    /// A confirmation shown above the form, such as a recorded approval.
    pub notice: Option<String>,
}

const LABELS: [(&str, &str, &str, bool); 5] = [
    ("title", "Title", "A short, neutral headline.", true),
    (
        "summary",
        "Summary",
        "Two or three sentences a trainer can read aloud.",
        false,
    ),
    (
        "what_happened",
        "What happened",
        "Remove every name, agency, place, number and exact date.",
        true,
    ),
    ("lessons_learned", "Lessons learned", "", false),
    ("recommendations", "Recommendations", "", false),
];

fn segments(text: &str, spans: &[(usize, &ReviewSpan)]) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut position = 0;
    for (index, span) in spans {
        if span.start < position
            || span.end > text.len()
            || !text.is_char_boundary(span.start)
            || !text.is_char_boundary(span.end)
        {
            continue;
        }
        if span.start > position {
            segments.push(Segment {
                text: text[position..span.start].to_owned(),
                span: None,
                kind: String::new(),
                decision: "",
            });
        }
        segments.push(Segment {
            text: text[span.start..span.end].to_owned(),
            span: Some(*index),
            kind: span.kind.clone(),
            decision: span.decision.as_str(),
        });
        position = span.end;
    }
    if position < text.len() {
        segments.push(Segment {
            text: text[position..].to_owned(),
            span: None,
            kind: String::new(),
            decision: "",
        });
    }
    segments
}

impl ReviewPage {
    pub fn new(
        username: String,
        csrf_token: String,
        review: &Review,
        errors: &FieldErrors,
        reason: &str,
    ) -> Self {
        let working = &review.working;
        let fields = LABELS
            .iter()
            .map(|(name, label, hint, required)| {
                let value = working.field_text(name);
                let spans: Vec<(usize, &ReviewSpan)> = working
                    .spans
                    .iter()
                    .enumerate()
                    .filter(|(_, span)| span.field == *name)
                    .collect();
                FieldReview {
                    input: text(name, label, hint, value, errors, *required),
                    segments: segments(value, &spans),
                    spans: spans
                        .iter()
                        .map(|(index, span)| SpanRow {
                            index: *index,
                            text: span.text.clone(),
                            kind: span.kind.clone(),
                            decision: span.decision.as_str(),
                            manual: span.manual,
                        })
                        .collect(),
                }
            })
            .collect();

        let draft = &working.draft;
        let preview = &review.preview;
        let preview_fields = [
            ("Title", &preview.title),
            ("Summary", &preview.summary),
            ("What happened", &preview.what_happened),
            ("Lessons learned", &preview.lessons_learned),
            ("Recommendations", &preview.recommendations),
        ]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(label, text)| PreviewField {
            label,
            text: text.clone(),
        })
        .collect();

        let other_errors = errors
            .0
            .iter()
            .filter(|error| !TEXT_FIELDS.contains(&error.field.as_str()))
            .map(|error| match error.field.as_str() {
                "spans" => error.message.clone(),
                field => format!("{field}: {}", error.message),
            })
            .collect();

        ReviewPage {
            username,
            csrf_token,
            submission_id: review.submission.id.clone(),
            received_on: review.submission.received_on.clone(),
            fields,
            coding: Coding::new(
                &draft.event_type,
                &draft.contributing_factors,
                &draft.context,
                &draft.event_month,
                errors,
            ),
            undecided: working.undecided(),
            span_count: working.spans.len(),
            risk: review.risk.clone(),
            region_instead_of_state: working.coarsening.region_instead_of_state,
            quarter_instead_of_month: working.coarsening.quarter_instead_of_month,
            mark_kinds: MARK_KINDS.to_vec(),
            preview: preview_fields,
            preview_month: nearmiss_core::calendar::month_label(&preview.event_month),
            errors: other_errors,
            reason: reason.to_owned(),
            reason_error: errors.get("reason").map(str::to_owned),
            notice: None,
            attachments: review
                .attachments
                .iter()
                .map(|attachment| (attachment.position, attachment.width, attachment.height))
                .collect(),
        }
    }
}
