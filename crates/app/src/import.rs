//! Import of NASA ASRS Database Online CSV exports as published reports.
//!
//! An export has two header rows: the column group ("Time", "Place", "Report 1", ...), then
//! the field ("Date", "State Reference", "Narrative", ...). Columns are found by that pair, so
//! exports with other column sets (with or without the UAS fields, say) import alike. Each
//! report is one insert, so a failure never leaves a partial report, and the ACN makes a
//! second import of the same file a no-op.

use std::collections::HashMap;
use std::path::Path;

use nearmiss_core::calendar::{parse_month, today};
use nearmiss_core::report::{MAX_IMPORTED_TEXT, MAX_SUMMARY, MAX_TITLE};
use nearmiss_core::taxonomy::STATE;
use nearmiss_core::{Report, ReportSource};

use crate::random::random_id;
use crate::{App, AppError, AppResult};

/// Counts of one import, plus the rows that were skipped as invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub read: usize,
    pub imported: usize,
    pub already_present: usize,
    /// (line number in the file, reason)
    pub invalid: Vec<(u64, String)>,
}

impl ImportSummary {
    pub fn skipped(&self) -> usize {
        self.already_present + self.invalid.len()
    }
}

/// Column positions of one export, looked up by (group, field).
struct Columns {
    acn: usize,
    date: usize,
    time_of_day: Option<usize>,
    state: Option<usize>,
    synopsis: Option<usize>,
    /// (heading, column) of each narrative and callback, in reading order.
    texts: Vec<(&'static str, usize)>,
    /// (tag prefix, column) of each coded field kept as a source tag.
    tags: Vec<(&'static str, usize)>,
    width: usize,
}

impl Columns {
    fn from_headers(groups: &csv::StringRecord, fields: &csv::StringRecord) -> Result<Columns, String> {
        let mut by_name: HashMap<(String, String), usize> = HashMap::new();
        for (index, (group, field)) in groups.iter().zip(fields.iter()).enumerate() {
            by_name
                .entry((group.trim().to_owned(), field.trim().to_owned()))
                .or_insert(index);
        }
        let find = |group: &str, field: &str| by_name.get(&(group.to_owned(), field.to_owned())).copied();
        let require = |group: &str, field: &str| {
            find(group, field).ok_or_else(|| {
                format!("not an ASRS export: no column {group:?} / {field:?} in the header rows")
            })
        };

        let mut texts = Vec::new();
        for (heading, group, field) in [
            ("", "Report 1", "Narrative"),
            ("Callback", "Report 1", "Callback"),
            ("Second reporter", "Report 2", "Narrative"),
            ("Second reporter callback", "Report 2", "Callback"),
        ] {
            if let Some(index) = find(group, field) {
                texts.push((heading, index));
            }
        }
        let mut tags = Vec::new();
        for (prefix, group, field) in [
            ("Anomaly", "Events", "Anomaly"),
            (
                "Contributing factor",
                "Assessments",
                "Contributing Factors / Situations",
            ),
            ("Primary problem", "Assessments", "Primary Problem"),
            ("Human factors", "Person 1", "Human Factors"),
            ("Human factors", "Person 2", "Human Factors"),
        ] {
            if let Some(index) = find(group, field) {
                tags.push((prefix, index));
            }
        }

        Ok(Columns {
            acn: require("", "ACN")?,
            date: require("Time", "Date")?,
            time_of_day: find("Time", "Local Time Of Day"),
            state: find("Place", "State Reference"),
            synopsis: find("Report 1", "Synopsis"),
            texts,
            tags,
            width: fields.len(),
        })
    }
}

/// Maps an ASRS time bucket such as `0601-1200` to a time-of-day block slug.
fn time_of_day(bucket: &str) -> Option<&'static str> {
    match bucket.trim() {
        "0001-0600" => Some("night"),
        "0601-1200" => Some("morning"),
        "1201-1800" => Some("afternoon"),
        "1801-2400" => Some("evening"),
        _ => None,
    }
}

/// The first sentence of a synopsis, cut at a word boundary to fit a title.
fn title_from(synopsis: &str, acn: &str) -> String {
    let synopsis = synopsis.trim();
    if synopsis.is_empty() {
        return format!("ASRS report {acn}");
    }
    let sentence = synopsis.split_inclusive(". ").next().unwrap_or(synopsis).trim();
    let limit = MAX_TITLE - 10;
    if sentence.chars().count() <= limit {
        return sentence.trim_end_matches('.').to_owned();
    }
    let cut: String = sentence.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}...")
}

fn report_from_record(record: &csv::StringRecord, columns: &Columns) -> Result<Report, String> {
    if record.len() != columns.width {
        return Err(format!(
            "expected {} fields, found {}",
            columns.width,
            record.len()
        ));
    }
    let field = |index: usize| record.get(index).unwrap_or("").trim();
    // Some exports carry stray C0 control characters (such as 0x18 and 0x19 where curly quotes
    // were); they are not text, and PostgreSQL rejects NUL, so they are dropped.
    let clean = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
            .collect()
    };

    let acn = field(columns.acn);
    if acn.is_empty() || acn.len() > 12 || !acn.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid ACN {acn:?}: expected a report number"));
    }

    let date = field(columns.date);
    let event_month = format!("{}-{}", date.get(..4).unwrap_or(""), date.get(4..).unwrap_or(""));
    if date.len() != 6 || parse_month(&event_month).is_none() {
        return Err(format!("invalid Date {date:?}: expected YYYYMM"));
    }

    let mut what_happened = String::new();
    for (heading, index) in &columns.texts {
        let text = field(*index);
        if text.is_empty() {
            continue;
        }
        if !what_happened.is_empty() {
            what_happened.push_str("\n\n");
        }
        if !heading.is_empty() {
            what_happened.push_str(&format!("{heading}: "));
        }
        what_happened.push_str(&clean(text));
    }
    if what_happened.is_empty() {
        return Err("no narrative".to_owned());
    }
    if what_happened.chars().count() > MAX_IMPORTED_TEXT {
        return Err(format!(
            "narrative too long: the limit is {MAX_IMPORTED_TEXT} characters"
        ));
    }

    let synopsis = clean(columns.synopsis.map_or("", field));
    let synopsis = synopsis.as_str();
    if synopsis.chars().count() > MAX_SUMMARY {
        return Err(format!(
            "Synopsis too long: the limit is {MAX_SUMMARY} characters"
        ));
    }

    let mut context = std::collections::BTreeMap::new();
    if let Some(block) = columns.time_of_day.and_then(|index| time_of_day(field(index))) {
        context.insert("time_of_day".to_owned(), block.to_owned());
    }
    if let Some(state) = columns.state.map(field).filter(|code| STATE.term(code).is_some()) {
        context.insert("state".to_owned(), state.to_owned());
    }

    let mut source_tags: Vec<String> = Vec::new();
    for (prefix, index) in &columns.tags {
        for value in field(*index)
            .split(';')
            .map(str::trim)
            .filter(|value| !value.is_empty())
        {
            let tag = format!("{prefix}: {value}");
            if !source_tags.contains(&tag) {
                source_tags.push(tag);
            }
        }
    }

    Ok(Report {
        id: random_id(),
        change_number: 0,
        source: ReportSource::Asrs,
        source_key: Some(format!("asrs:{acn}")),
        title: title_from(synopsis, acn),
        summary: synopsis.to_owned(),
        what_happened,
        lessons_learned: String::new(),
        recommendations: String::new(),
        event_type: "other".to_owned(),
        contributing_factors: Vec::new(),
        context,
        event_month,
        source_tags,
        published_on: today(),
    })
}

impl App {
    /// Imports one ASRS export. Invalid rows are skipped and listed by line number; only an
    /// unreadable file or a file that is not an ASRS export fails the whole import.
    pub async fn import_asrs(&self, path: &Path) -> AppResult<ImportSummary> {
        let file_error =
            |error: &dyn std::fmt::Display| AppError::BadRequest(format!("{}: {error}", path.display()));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .map_err(|error| file_error(&error))?;

        let mut records = reader.byte_records();
        let mut header = || -> AppResult<csv::StringRecord> {
            let record = records
                .next()
                .ok_or_else(|| file_error(&"not an ASRS export: the two header rows are missing"))?
                .map_err(|error| file_error(&error))?;
            csv::StringRecord::from_byte_record(record).map_err(|error| file_error(&error))
        };
        let groups = header()?;
        let fields = header()?;
        let columns = Columns::from_headers(&groups, &fields).map_err(|message| file_error(&message))?;

        let mut summary = ImportSummary::default();
        for record in records {
            let (line, parsed) = match record {
                Ok(record) => {
                    let line = record.position().map_or(0, |position| position.line());
                    if record
                        .iter()
                        .all(|value| value.iter().all(u8::is_ascii_whitespace))
                    {
                        continue;
                    }
                    let parsed = csv::StringRecord::from_byte_record(record)
                        .map_err(|error| format!("not valid UTF-8: {error}"))
                        .and_then(|record| report_from_record(&record, &columns));
                    (line, parsed)
                }
                Err(error) => (
                    error.position().map_or(0, |position| position.line()),
                    Err(error.to_string()),
                ),
            };

            summary.read += 1;
            match parsed {
                Ok(report) => match self.store.insert_report(&report).await? {
                    Some(_) => summary.imported += 1,
                    None => summary.already_present += 1,
                },
                Err(reason) => {
                    tracing::warn!(line, %reason, file = %path.display(), "skipped invalid ASRS row");
                    summary.invalid.push((line, reason));
                }
            }
        }
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_uses_first_sentence() {
        assert_eq!(
            title_from("A PAX BECAME UNRULY. POLICE MET THE FLT.", "1"),
            "A PAX BECAME UNRULY"
        );
        assert_eq!(title_from("", "123"), "ASRS report 123");
        let long = "word ".repeat(100);
        let title = title_from(&long, "1");
        assert!(title.chars().count() <= MAX_TITLE);
        assert!(title.ends_with("..."));
    }

    #[test]
    fn time_buckets_map_to_blocks() {
        assert_eq!(time_of_day("0001-0600"), Some("night"));
        assert_eq!(time_of_day("1801-2400"), Some("evening"));
        assert_eq!(time_of_day("ZZZ"), None);
    }
}
