//! Published, de-identified reports and the analyst's edits that produce them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::{month_label, parse_month, parse_quarter};
use crate::submission::{
    check_text, FieldErrors, SubmissionInput, MAX_LESSONS_LEARNED, MAX_RECOMMENDATIONS, MAX_WHAT_HAPPENED,
};
use crate::taxonomy::{context_field, CONTRIBUTING_FACTORS, EVENT_TYPE, REGION};

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 4_000;
pub const MAX_REASON: usize = 2_000;
/// ASRS narratives run longer than reporter submissions (up to about 12,000 characters per
/// narrative, with a second reporter's narrative and callbacks appended).
pub const MAX_IMPORTED_TEXT: usize = 100_000;

/// Where a published report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportSource {
    Submission,
    Asrs,
}

impl ReportSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportSource::Submission => "submission",
            ReportSource::Asrs => "asrs",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "submission" => Some(ReportSource::Submission),
            "asrs" => Some(ReportSource::Asrs),
            _ => None,
        }
    }
}

/// The content of a published report, as an analyst edits it before publication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub title: String,
    pub summary: String,
    pub what_happened: String,
    pub lessons_learned: String,
    pub recommendations: String,
    pub event_type: String,
    pub contributing_factors: Vec<String>,
    pub context: BTreeMap<String, String>,
    pub event_month: String,
}

impl ReportDraft {
    /// Starts a draft from a submission, leaving title and summary for the analyst.
    pub fn from_submission(input: &SubmissionInput) -> Self {
        ReportDraft {
            title: String::new(),
            summary: String::new(),
            what_happened: input.narrative.what_happened.clone(),
            lessons_learned: input.narrative.lessons_learned.clone(),
            recommendations: input.narrative.recommendations.clone(),
            event_type: input.event_type.clone(),
            contributing_factors: input.contributing_factors.clone(),
            context: input.context.clone(),
            event_month: input.event_month.clone(),
        }
    }

    /// Builds a draft from decoded review-form fields; repeated names collect into lists.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut draft = ReportDraft::default();
        for (name, value) in pairs {
            match name.as_str() {
                "title" => draft.title = value,
                "summary" => draft.summary = value,
                "what_happened" => draft.what_happened = value,
                "lessons_learned" => draft.lessons_learned = value,
                "recommendations" => draft.recommendations = value,
                "event_type" => draft.event_type = value,
                "contributing_factors" => draft.contributing_factors.push(value),
                "event_month" => draft.event_month = value,
                _ if value.is_empty() || context_field(&name).is_none() => {}
                _ => {
                    draft.context.insert(name, value);
                }
            }
        }
        draft
    }

    /// Checks what an analyst is about to publish.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_text(&mut errors, "title", &self.title, 1, MAX_TITLE);
        check_text(&mut errors, "summary", &self.summary, 0, MAX_SUMMARY);
        check_text(
            &mut errors,
            "what_happened",
            &self.what_happened,
            1,
            MAX_WHAT_HAPPENED,
        );
        check_text(
            &mut errors,
            "lessons_learned",
            &self.lessons_learned,
            0,
            MAX_LESSONS_LEARNED,
        );
        check_text(
            &mut errors,
            "recommendations",
            &self.recommendations,
            0,
            MAX_RECOMMENDATIONS,
        );

        if EVENT_TYPE.term(&self.event_type).is_none() {
            errors.add("event_type", "required: choose the type of event");
        }
        for slug in &self.contributing_factors {
            if CONTRIBUTING_FACTORS.term(slug).is_none() {
                errors.add(
                    "contributing_factors",
                    format!("unknown contributing factor {slug:?}"),
                );
            }
        }
        for (name, slug) in &self.context {
            let field = if name == REGION.name {
                Some(&REGION)
            } else {
                context_field(name)
            };
            if field.and_then(|field| field.term(slug)).is_none() {
                errors.add(name, format!("unknown value {slug:?}"));
            }
        }
        let month_ok = parse_month(&self.event_month).is_some() || parse_quarter(&self.event_month).is_some();
        if !self.event_month.is_empty() && !month_ok {
            errors.add(
                "event_month",
                "invalid month: expected YYYY-MM, for example 2024-03",
            );
        }
        errors.into_result()
    }
}

/// The structured fields that, combined, could single out an event: a re-identification risk
/// exists when few published reports share them. Absent values are empty strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuasiIdentifiers {
    pub state: String,
    pub agency_type: String,
    pub agency_size: String,
    pub event_type: String,
    pub event_month: String,
}

/// A published report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    /// Store-assigned number that grows with every publication or change; followers such as a
    /// search index read reports in this order.
    pub change_number: i64,
    pub source: ReportSource,
    /// Identity at the source, such as `asrs:123456`; makes imports idempotent.
    pub source_key: Option<String>,
    pub title: String,
    pub summary: String,
    pub what_happened: String,
    pub lessons_learned: String,
    pub recommendations: String,
    pub event_type: String,
    pub contributing_factors: Vec<String>,
    pub context: BTreeMap<String, String>,
    /// `YYYY-MM`, or empty when unknown.
    pub event_month: String,
    /// Codes kept from the source system, such as ASRS anomaly codes.
    pub source_tags: Vec<String>,
    /// `YYYY-MM-DD`.
    pub published_on: String,
}

/// A report about to be stored; the store assigns its change number.
pub type NewReport = Report;

impl Report {
    pub fn from_draft(id: String, draft: ReportDraft, published_on: String) -> Self {
        Report {
            id,
            change_number: 0,
            source: ReportSource::Submission,
            source_key: None,
            title: draft.title.trim().to_owned(),
            summary: draft.summary.trim().to_owned(),
            what_happened: draft.what_happened,
            lessons_learned: draft.lessons_learned,
            recommendations: draft.recommendations,
            event_type: draft.event_type,
            contributing_factors: draft.contributing_factors,
            context: draft.context,
            event_month: draft.event_month,
            source_tags: Vec::new(),
            published_on,
        }
    }

    pub fn event_type_label(&self) -> &'static str {
        EVENT_TYPE.label_of(&self.event_type)
    }

    pub fn event_month_label(&self) -> String {
        month_label(&self.event_month)
    }

    /// Context fields as (field label, value label) pairs, in form order.
    pub fn context_labels(&self) -> Vec<(&'static str, &'static str)> {
        crate::taxonomy::CONTEXT_FIELDS
            .iter()
            .chain(std::iter::once(&REGION))
            .filter_map(|field| {
                let slug = self.context.get(field.name)?;
                Some((field.label, field.label_of(slug)))
            })
            .collect()
    }

    pub fn contributing_factor_labels(&self) -> Vec<&'static str> {
        self.contributing_factors
            .iter()
            .map(|slug| CONTRIBUTING_FACTORS.label_of(slug))
            .collect()
    }
}
