//! Page templates (askama, compiled into the binary) and the small view models they read.

use askama::Template;
use nearmiss_app::attachments;
use nearmiss_core::taxonomy::{Field, CONTEXT_FIELDS, CONTRIBUTING_FACTORS, EVENT_TYPE};
use nearmiss_core::{FieldErrors, Submission, SubmissionInput};

pub fn render(template: &impl Template) -> String {
    template.render().unwrap_or_else(|error| {
        tracing::error!(%error, "template rendering failed");
        "<!doctype html><title>Error</title><p>The page could not be rendered.</p>".to_owned()
    })
}

/// One option of a select or checkbox list.
pub struct OptionView {
    pub slug: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// A coded field as the form shows it, with the current choice and any error.
pub struct ChoiceView {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
}

fn choice(field: &Field, chosen: &[&str], errors: &FieldErrors) -> ChoiceView {
    ChoiceView {
        name: field.name,
        label: field.label,
        options: field
            .terms
            .iter()
            .map(|term| OptionView {
                slug: term.slug,
                label: term.label,
                selected: chosen.contains(&term.slug),
            })
            .collect(),
        error: errors.get(field.name).map(str::to_owned),
    }
}

/// The coded fields of a form: event type, contributing factors, then the context fields.
pub struct Coding {
    pub event_type: ChoiceView,
    pub contributing_factors: ChoiceView,
    pub context: Vec<ChoiceView>,
    pub event_month: String,
    pub event_month_error: Option<String>,
}

impl Coding {
    pub(crate) fn new(
        event_type: &str,
        factors: &[String],
        context: &std::collections::BTreeMap<String, String>,
        event_month: &str,
        errors: &FieldErrors,
    ) -> Self {
        let factors: Vec<&str> = factors.iter().map(String::as_str).collect();
        Coding {
            event_type: choice(&EVENT_TYPE, &[event_type], errors),
            contributing_factors: choice(&CONTRIBUTING_FACTORS, &factors, errors),
            context: CONTEXT_FIELDS
                .iter()
                .map(|field| {
                    let chosen = context.get(field.name).map_or("", String::as_str);
                    choice(field, &[chosen], errors)
                })
                .collect(),
            event_month: event_month.to_owned(),
            event_month_error: errors.get("event_month").map(str::to_owned),
        }
    }
}

/// A free-text field with its current value and error.
pub struct TextView {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub required: bool,
}

pub(crate) fn text(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: &str,
    errors: &FieldErrors,
    required: bool,
) -> TextView {
    TextView {
        name,
        label,
        hint,
        value: value.to_owned(),
        error: errors.get(name).map(str::to_owned),
        required,
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub report_count: i64,
}

#[derive(Template)]
#[template(path = "privacy.html")]
pub struct PrivacyPage;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub reason: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "submit.html")]
pub struct SubmitPage {
    pub coding: Coding,
    pub texts: Vec<TextView>,
    pub has_errors: bool,
    /// One message per rejected attachment, each naming its position.
    pub attachment_errors: Vec<String>,
    /// Set when the form is shown again after files were sent, which must be chosen again.
    pub choose_files_again: bool,
    pub max_files: usize,
    pub max_file_mebibytes: usize,
}

impl SubmitPage {
    pub fn new(input: &SubmissionInput, errors: &FieldErrors, had_files: bool) -> Self {
        let narrative = &input.narrative;
        let attachment_errors = errors
            .0
            .iter()
            .filter(|error| error.field == attachments::FIELD)
            .map(|error| error.message.clone())
            .collect();
        SubmitPage {
            coding: Coding::new(&input.event_type, &input.contributing_factors, &input.context, &input.event_month, errors),
            texts: vec![
                text("what_happened", "What happened", "Tell the story as it unfolded: the call, what you saw, what nearly went wrong. Leave out names, badge numbers, places and exact dates.", &narrative.what_happened, errors, true),
                text("lessons_learned", "Lessons learned", "What would you tell another officer before the same kind of call?", &narrative.lessons_learned, errors, true),
                text("recommendations", "Recommendations (optional)", "Training, equipment or policy changes that would help.", &narrative.recommendations, errors, false),
            ],
            has_errors: !errors.is_empty(),
            attachment_errors,
            choose_files_again: had_files && !errors.is_empty(),
            max_files: attachments::MAX_FILES,
            max_file_mebibytes: attachments::limits().max_bytes / (1024 * 1024),
        }
    }
}

#[derive(Template)]
#[template(path = "receipt.html")]
pub struct ReceiptPage {
    pub receipt: String,
}

#[derive(Template, Default)]
#[template(path = "status.html")]
pub struct StatusPage {
    pub status: Option<nearmiss_app::ReceiptStatus>,
    pub error: Option<String>,
}

impl StatusPage {
    pub fn found(status: nearmiss_app::ReceiptStatus) -> Self {
        StatusPage {
            status: Some(status),
            error: None,
        }
    }

    pub fn failed(message: String) -> Self {
        StatusPage {
            status: None,
            error: Some(message),
        }
    }
}

#[derive(Template)]
#[template(path = "staff_login.html")]
pub struct LoginPage {
    pub username: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_queue.html")]
pub struct QueuePage {
    /// Shows the link to the admin pages.
    pub is_admin: bool,
    pub username: String,
    pub csrf_token: String,
    pub rows: Vec<QueueRow>,
}

/// One line of the review queue.
pub struct QueueRow {
    pub id: String,
    pub received_on: String,
    pub event_type: &'static str,
    pub excerpt: String,
}

impl QueueRow {
    pub fn new(submission: &Submission) -> Self {
        let text = &submission.input.narrative.what_happened;
        let mut excerpt: String = text.chars().take(120).collect();
        if excerpt.len() < text.len() {
            excerpt.push_str("...");
        }
        QueueRow {
            id: submission.id.clone(),
            received_on: submission.received_on.clone(),
            event_type: EVENT_TYPE.label_of(&submission.input.event_type),
            excerpt,
        }
    }
}
