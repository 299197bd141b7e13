//! De-identification of a review draft: detection over every text field, carrying the
//! analyst's decisions across edits, hand-marked spans, and the redacted text that is published.

use nearmiss_core::report::ReportDraft;
use nearmiss_core::review::{Decision, ReviewDraft, ReviewSpan, TEXT_FIELDS};
use nearmiss_deid::{Kind, Span};

/// Separates the text fields while they are redacted as one text, so that one person gets one
/// placeholder across every field. Validation rejects control characters in the fields, so it
/// cannot occur inside them.
const FIELD_SEPARATOR: &str = "\n\u{1d}\n";

pub fn kind_from_name(name: &str) -> Option<Kind> {
    let kind = match name {
        "PERSON" => Kind::Person,
        "AGENCY" => Kind::Agency,
        "LOCATION" => Kind::Location,
        "BADGE" => Kind::Badge,
        "CASE_NUMBER" => Kind::CaseNumber,
        "PLATE" => Kind::Plate,
        "PHONE" => Kind::Phone,
        "EMAIL" => Kind::Email,
        "URL" => Kind::Url,
        "IP_ADDRESS" => Kind::IpAddress,
        "GOV_ID" => Kind::GovId,
        "CREDIT_CARD" => Kind::CreditCard,
        "DATE" => Kind::Date,
        "TIME" => Kind::Time,
        _ => return None,
    };
    Some(kind)
}

fn overlaps(span: &ReviewSpan, field: &str, start: usize, end: usize) -> bool {
    span.field == field && span.start < end && start < span.end
}

/// Runs detection over every text field of `review`, replacing its spans. A span whose field
/// and text match an earlier span keeps that span's decision, and hand-marked spans are found
/// again wherever their text still occurs, so edits never lose the analyst's work.
pub fn detect(review: &mut ReviewDraft) {
    let previous = std::mem::take(&mut review.spans);
    let earlier_decision = |field: &str, text: &str| {
        previous
            .iter()
            .find(|span| span.field == field && span.text == text && span.decision != Decision::Undecided)
            .map_or(Decision::Undecided, |span| span.decision)
    };

    let mut spans = Vec::new();
    for field in TEXT_FIELDS {
        let text = review.field_text(field);
        for found in nearmiss_deid::detect(text) {
            let span_text = &text[found.start..found.end];
            spans.push(ReviewSpan {
                field: field.to_owned(),
                start: found.start,
                end: found.end,
                kind: found.kind.as_str().to_owned(),
                text: span_text.to_owned(),
                decision: earlier_decision(field, span_text),
                manual: false,
            });
        }
    }
    review.spans = spans;

    for marked in previous.iter().filter(|span| span.manual) {
        mark(review, &marked.field, &marked.text, &marked.kind, marked.decision);
    }
}

/// Marks every occurrence of `phrase` in `field` as an identifier of `kind`, replacing detected
/// spans that it overlaps.
pub fn mark(review: &mut ReviewDraft, field: &str, phrase: &str, kind: &str, decision: Decision) {
    let phrase = phrase.trim();
    if phrase.is_empty() || !TEXT_FIELDS.contains(&field) {
        return;
    }

    let text = review.field_text(field).to_owned();
    for (start, _) in text.match_indices(phrase) {
        let end = start + phrase.len();
        let covered = review
            .spans
            .iter()
            .any(|span| span.manual && overlaps(span, field, start, end));
        if covered {
            continue;
        }
        review.spans.retain(|span| !overlaps(span, field, start, end));
        review.spans.push(ReviewSpan {
            field: field.to_owned(),
            start,
            end,
            kind: kind.to_owned(),
            text: phrase.to_owned(),
            decision,
            manual: true,
        });
    }

    let order = |span: &ReviewSpan| TEXT_FIELDS.iter().position(|name| *name == span.field);
    review.spans.sort_by_key(|span| (order(span), span.start));
}

/// The draft as it will be published: every span decided `Redact` replaced by a placeholder.
pub fn redacted(review: &ReviewDraft) -> ReportDraft {
    let mut joined = String::new();
    let mut spans = Vec::new();
    for field in TEXT_FIELDS {
        if !joined.is_empty() || field != TEXT_FIELDS[0] {
            joined.push_str(FIELD_SEPARATOR);
        }
        let offset = joined.len();
        joined.push_str(review.field_text(field));
        for span in review
            .spans
            .iter()
            .filter(|span| span.field == field && span.decision == Decision::Redact)
        {
            let kind = kind_from_name(&span.kind).unwrap_or(Kind::Person);
            spans.push(Span {
                start: offset + span.start,
                end: offset + span.end,
                kind,
            });
        }
    }

    let redacted = nearmiss_deid::redact(&joined, &spans);
    let mut parts = redacted.split(FIELD_SEPARATOR).map(str::to_owned);
    let mut next = || parts.next().unwrap_or_default();
    ReportDraft {
        title: next(),
        summary: next(),
        what_happened: next(),
        lessons_learned: next(),
        recommendations: next(),
        ..review.draft.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(what_happened: &str) -> ReviewDraft {
        ReviewDraft {
            draft: ReportDraft {
                title: "Stop on the highway".to_owned(),
                what_happened: what_happened.to_owned(),
                event_type: "traffic_stop".to_owned(),
                ..ReportDraft::default()
            },
            ..ReviewDraft::default()
        }
    }

    #[test]
    fn decisions_survive_a_new_detection() {
        let mut draft = review("Officer John Miller stopped the truck on Elm Street at 0317 hours.");
        detect(&mut draft);
        assert!(!draft.spans.is_empty());
        for span in &mut draft.spans {
            span.decision = Decision::Redact;
        }
        draft.draft.what_happened.insert_str(0, "Late at night, ");
        detect(&mut draft);
        assert!(
            draft.spans.iter().all(|span| span.decision == Decision::Redact),
            "{:?}",
            draft.spans
        );
    }

    #[test]
    fn marked_phrases_are_found_again() {
        let mut draft = review("The suspect, known as Blue, ran. Blue dropped a knife.");
        mark(&mut draft, "what_happened", "Blue", "PERSON", Decision::Redact);
        assert_eq!(draft.spans.iter().filter(|span| span.manual).count(), 2);
        draft.draft.what_happened.push_str(" We caught Blue later.");
        detect(&mut draft);
        assert_eq!(draft.spans.iter().filter(|span| span.manual).count(), 3);
    }

    #[test]
    fn redaction_keeps_kept_spans() {
        let mut draft = review("Officer John Miller drove to Elm Street.");
        mark(
            &mut draft,
            "what_happened",
            "Elm Street",
            "LOCATION",
            Decision::Keep,
        );
        mark(
            &mut draft,
            "what_happened",
            "John Miller",
            "PERSON",
            Decision::Redact,
        );
        let published = redacted(&draft);
        assert!(
            !published.what_happened.contains("Miller"),
            "{}",
            published.what_happened
        );
        assert!(published.what_happened.contains("Elm Street"));
        assert_eq!(published.title, "Stop on the highway");
    }
}
