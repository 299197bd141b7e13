//! The index schema and the conversion of a report into an index document.
//!
//! Each report is one document: its id, the text fields for full-text search, one keyword
//! field per facet (indexed for filters, columnar for counts), the event year, a sort key for
//! the newest-first order, and the whole report as stored JSON so that results need no
//! database round trip.

use nearmiss_core::taxonomy::region_of_state;
use nearmiss_core::Report;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::TantivyDocument;

use crate::analyzer::ANALYZER;
use crate::request::{facet_fields, SOURCE_TAG};

/// Version of the schema and of the analyzer; an index written under another version is
/// rebuilt from the store.
pub const SCHEMA_VERSION: u32 = 1;

/// Handles of the schema fields.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    /// Summary, what happened, lessons learned and recommendations.
    pub text: Field,
    pub year: Field,
    pub newest: Field,
    pub report: Field,
    /// Facet fields by parameter name, in [`facet_fields`] order.
    pub facets: Vec<(&'static str, Field)>,
}

impl Fields {
    pub fn facet(&self, name: &str) -> Option<Field> {
        self.facets
            .iter()
            .find(|(facet, _)| *facet == name)
            .map(|(_, field)| *field)
    }
}

pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );

    let id = builder.add_text_field("id", STRING);
    let title = builder.add_text_field("title", words.clone());
    let text = builder.add_text_field("text", words);
    let year = builder.add_u64_field("year", NumericOptions::from(INDEXED | FAST));
    let newest = builder.add_u64_field("newest", FAST);
    let report = builder.add_text_field("report", STORED);
    let facets = facet_fields()
        .into_iter()
        .map(|facet| (facet.name, builder.add_text_field(facet.name, STRING | FAST)))
        .collect();

    let fields = Fields {
        id,
        title,
        text,
        year,
        newest,
        report,
        facets,
    };
    (builder.build(), fields)
}

/// The narrative text of a report, as indexed in the `text` field and shown in snippets.
pub fn narrative_text(report: &Report) -> String {
    [
        report.summary.as_str(),
        &report.what_happened,
        &report.lessons_learned,
        &report.recommendations,
    ]
    .iter()
    .filter(|part| !part.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join("\n\n")
}

/// The values of one facet field for a report; empty when the report leaves it unset.
pub fn facet_values<'a>(report: &'a Report, name: &str) -> Vec<&'a str> {
    match name {
        "event_type" => vec![report.event_type.as_str()],
        "contributing_factors" => report.contributing_factors.iter().map(String::as_str).collect(),
        "region" => report
            .context
            .get("state")
            .and_then(|state| region_of_state(state))
            .into_iter()
            .collect(),
        SOURCE_TAG => report.source_tags.iter().map(String::as_str).collect(),
        context => report
            .context
            .get(context)
            .map(String::as_str)
            .into_iter()
            .collect(),
    }
}

/// The event year, from `YYYY-MM`; `None` when the month is unknown.
pub fn event_year(report: &Report) -> Option<u64> {
    report.event_month.get(..4)?.parse().ok()
}

/// A key whose descending order is the store's newest-first order: publication day, then
/// event month (unknown last), then change number. Days since 1970 take the top 16 bits (good
/// until 2149), the month index `year * 12 + month` the next 17, the change number the low 31.
pub fn newest_key(report: &Report) -> u64 {
    let day = days_since_epoch(&report.published_on).unwrap_or(0).min(0xFFFF);
    let month = month_index(&report.event_month).unwrap_or(0).min(0x1_FFFF);
    // NOTE: change numbers above 2^31 all share one value, so their order among themselves
    // is lost; the store reaches that after about two billion publications.
    let change = u64::try_from(report.change_number).unwrap_or(0).min(0x7FFF_FFFF);
    (day << 48) | (month << 31) | change
}

fn month_index(month: &str) -> Option<u64> {
    let (year, month) = month.split_once('-')?;
    Some(year.parse::<u64>().ok()? * 12 + month.parse::<u64>().ok()?)
}

/// Days from 1970-01-01 to a `YYYY-MM-DD` day (Howard Hinnant's `days_from_civil`).
fn days_since_epoch(day: &str) -> Option<u64> {
    let mut parts = day.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }

    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    u64::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

/// Builds the index document of a report.
pub fn document(fields: &Fields, report: &Report) -> TantivyDocument {
    let mut document = TantivyDocument::default();
    document.add_text(fields.id, &report.id);
    document.add_text(fields.title, &report.title);
    document.add_text(fields.text, narrative_text(report));
    if let Some(year) = event_year(report) {
        document.add_u64(fields.year, year);
    }
    document.add_u64(fields.newest, newest_key(report));
    document.add_text(
        fields.report,
        serde_json::to_string(report).expect("serializing a report to JSON cannot fail"),
    );
    for (name, field) in &fields.facets {
        for value in facet_values(report, name) {
            document.add_text(*field, value);
        }
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_match_known_dates() {
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11_017));
        assert_eq!(days_since_epoch("2024-12-31"), Some(20_088));
        assert_eq!(days_since_epoch("2024-13-01"), None);
    }

    #[test]
    fn newest_key_orders_like_store() {
        let report = |published_on: &str, event_month: &str, change_number: i64| Report {
            id: String::new(),
            change_number,
            source: nearmiss_core::ReportSource::Asrs,
            source_key: None,
            title: String::new(),
            summary: String::new(),
            what_happened: String::new(),
            lessons_learned: String::new(),
            recommendations: String::new(),
            event_type: "other".to_owned(),
            contributing_factors: Vec::new(),
            context: Default::default(),
            event_month: event_month.to_owned(),
            source_tags: Vec::new(),
            published_on: published_on.to_owned(),
        };
        let ordered = [
            report("2025-01-02", "", 1),
            report("2025-01-01", "2024-12", 2),
            report("2025-01-01", "2024-11", 9),
            report("2025-01-01", "2024-11", 3),
            report("2025-01-01", "", 8),
        ];
        for pair in ordered.windows(2) {
            assert!(newest_key(&pair[0]) > newest_key(&pair[1]), "{pair:?}");
        }
    }
}
