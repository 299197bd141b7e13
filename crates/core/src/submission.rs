//! What a reporter sends, and the rules it must meet before it is stored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calendar::parse_month;
use crate::taxonomy::{context_field, CONTRIBUTING_FACTORS, EVENT_TYPE};

pub const MIN_WHAT_HAPPENED: usize = 20;
pub const MAX_WHAT_HAPPENED: usize = 20_000;
pub const MAX_LESSONS_LEARNED: usize = 10_000;
pub const MAX_RECOMMENDATIONS: usize = 10_000;

/// A validation failure of one named field, with a message a reporter can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every validation failure of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// The three narrative fields, as the reporter wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    pub what_happened: String,
    pub lessons_learned: String,
    pub recommendations: String,
}

/// A submission as sent by a reporter: coded fields as slugs, narrative as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionInput {
    pub event_type: String,
    pub contributing_factors: Vec<String>,
    /// Context field name to the chosen slug; fields left blank are absent.
    pub context: BTreeMap<String, String>,
    /// Month of the event as `YYYY-MM`, or empty.
    pub event_month: String,
    #[serde(flatten)]
    pub narrative: Narrative,
}

impl SubmissionInput {
    /// Builds an input from decoded form fields; repeated names collect into lists.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut input = SubmissionInput::default();
        for (name, value) in pairs {
            match name.as_str() {
                "event_type" => input.event_type = value,
                "contributing_factors" => input.contributing_factors.push(value),
                "event_month" => input.event_month = value,
                "what_happened" => input.narrative.what_happened = value,
                "lessons_learned" => input.narrative.lessons_learned = value,
                "recommendations" => input.narrative.recommendations = value,
                _ if value.is_empty() => {}
                _ => {
                    input.context.insert(name, value);
                }
            }
        }
        input
    }

    /// Builds an input from a JSON object, reporting a message per field of the wrong type.
    pub fn from_json(body: &Value) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let Some(object) = body.as_object() else {
            errors.add("body", "must be a JSON object");
            return Err(errors);
        };

        let mut input = SubmissionInput::default();
        for (name, value) in object {
            match (name.as_str(), value) {
                (_, Value::Null) => {}
                ("contributing_factors", Value::Array(items)) => {
                    for item in items {
                        match item.as_str() {
                            Some(slug) => input.contributing_factors.push(slug.to_owned()),
                            None => errors.add(name, "must be a list of strings"),
                        }
                    }
                }
                ("contributing_factors", _) => errors.add(name, "must be a list of strings"),
                (_, Value::String(text)) => match name.as_str() {
                    "event_type" => input.event_type = text.clone(),
                    "event_month" => input.event_month = text.clone(),
                    "what_happened" => input.narrative.what_happened = text.clone(),
                    "lessons_learned" => input.narrative.lessons_learned = text.clone(),
                    "recommendations" => input.narrative.recommendations = text.clone(),
                    _ => {
                        input.context.insert(name.clone(), text.clone());
                    }
                },
                _ => errors.add(name, "must be a string"),
            }
        }
        errors.into_result().map(|()| input)
    }

    /// Checks every field and returns all failures at once.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();

        if self.event_type.is_empty() {
            errors.add("event_type", "required: choose the type of event");
        } else if EVENT_TYPE.term(&self.event_type).is_none() {
            errors.add(
                "event_type",
                format!(
                    "unknown event type {:?}: choose one from the list",
                    self.event_type
                ),
            );
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
            match context_field(name) {
                None => errors.add(name, "unknown field"),
                Some(field) if field.term(slug).is_none() => errors.add(
                    name,
                    format!("unknown value {slug:?} for {}", field.label.to_lowercase()),
                ),
                Some(_) => {}
            }
        }

        if !self.event_month.is_empty() && parse_month(&self.event_month).is_none() {
            errors.add(
                "event_month",
                "invalid month: expected YYYY-MM, for example 2024-03",
            );
        }

        let narrative = &self.narrative;
        check_text(
            &mut errors,
            "what_happened",
            &narrative.what_happened,
            MIN_WHAT_HAPPENED,
            MAX_WHAT_HAPPENED,
        );
        check_text(
            &mut errors,
            "lessons_learned",
            &narrative.lessons_learned,
            1,
            MAX_LESSONS_LEARNED,
        );
        check_text(
            &mut errors,
            "recommendations",
            &narrative.recommendations,
            0,
            MAX_RECOMMENDATIONS,
        );

        errors.into_result()
    }
}

/// Checks a free-text field's length in characters and rejects control characters other than
/// tab and line breaks.
pub fn check_text(errors: &mut FieldErrors, field: &str, text: &str, min: usize, max: usize) {
    let length = text.chars().count();
    let blank = text.trim().is_empty();
    if min > 0 && blank {
        errors.add(field, "required");
    } else if length > max {
        errors.add(
            field,
            format!("too long: {length} characters, the limit is {max}"),
        );
    } else if !blank && text.trim().chars().count() < min {
        errors.add(field, format!("too short: write at least {min} characters"));
    } else if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        errors.add(field, "contains a control character; remove it and send again");
    }
}

/// Review state of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    Pending,
    Published,
    Rejected,
}

impl SubmissionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Pending => "pending",
            SubmissionStatus::Published => "published",
            SubmissionStatus::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(SubmissionStatus::Pending),
            "published" => Some(SubmissionStatus::Published),
            "rejected" => Some(SubmissionStatus::Rejected),
            _ => None,
        }
    }
}

/// A stored submission. `received_on` is the arrival day only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: String,
    pub received_on: String,
    pub status: SubmissionStatus,
    pub input: SubmissionInput,
    pub decision_reason: Option<String>,
    pub report_id: Option<String>,
    /// Day of publication or rejection, `YYYY-MM-DD`.
    pub decided_on: Option<String>,
    /// Keyed hash of the receipt; absent until the receipt is minted.
    #[serde(skip)]
    pub receipt_hash: Option<Vec<u8>>,
    /// The raw material was destroyed after the retention period; `input` is then empty.
    #[serde(default)]
    pub raw_destroyed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> SubmissionInput {
        SubmissionInput {
            event_type: "traffic_stop".into(),
            contributing_factors: vec!["complacency".into()],
            context: BTreeMap::from([("state".into(), "TX".into())]),
            event_month: "2024-03".into(),
            narrative: Narrative {
                what_happened: "The driver reached under the seat during the stop.".into(),
                lessons_learned: "Watch the hands.".into(),
                recommendations: String::new(),
            },
        }
    }

    #[test]
    fn valid_input_passes() {
        assert_eq!(valid().validate(), Ok(()));
    }

    #[test]
    fn errors_name_each_field() {
        let mut input = valid();
        input.event_type = "parade".into();
        input.narrative.what_happened = "short".into();
        input.narrative.lessons_learned = " ".into();
        input.context.insert("weather".into(), "hail".into());
        input.event_month = "March".into();
        let errors = input.validate().unwrap_err();
        for field in [
            "event_type",
            "what_happened",
            "lessons_learned",
            "weather",
            "event_month",
        ] {
            assert!(errors.get(field).is_some(), "no error for {field}: {errors}");
        }
    }

    #[test]
    fn too_long_names_limit() {
        let mut input = valid();
        input.narrative.recommendations = "x".repeat(MAX_RECOMMENDATIONS + 1);
        let errors = input.validate().unwrap_err();
        assert!(errors.get("recommendations").unwrap().contains("10000"));
    }

    #[test]
    fn control_characters_rejected() {
        let mut input = valid();
        input.narrative.lessons_learned = "Watch\u{0}the hands".into();
        assert!(input.validate().unwrap_err().get("lessons_learned").is_some());
    }

    #[test]
    fn json_reports_wrong_types() {
        let body =
            serde_json::json!({"event_type": 3, "contributing_factors": "fatigue", "what_happened": "x"});
        let errors = SubmissionInput::from_json(&body).unwrap_err();
        assert!(errors.get("event_type").is_some());
        assert!(errors.get("contributing_factors").is_some());
    }

    #[test]
    fn pairs_collect_factors() {
        let pairs = [
            ("contributing_factors", "fatigue"),
            ("contributing_factors", "traffic"),
            ("weather", ""),
        ];
        let input = SubmissionInput::from_pairs(pairs.map(|(k, v)| (k.to_owned(), v.to_owned())));
        assert_eq!(input.contributing_factors, ["fatigue", "traffic"]);
        assert!(input.context.is_empty());
    }
}
