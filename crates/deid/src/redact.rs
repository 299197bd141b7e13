//! Redaction: replaces spans with placeholders that still read as a sentence, numbered
//! consistently within one text, and generalises dates to month and year and clock times to a
//! 6-hour block.

use std::collections::HashMap;

use crate::lexicon::LEXICON;
use crate::{Kind, Span};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Replaces each span of `text` with a placeholder.
///
/// - The same person gets the same placeholder everywhere: "[Officer N]" when any mention
///   follows a police rank or title (Officer, Deputy, Sgt., Trooper, ...), else "[Person N]".
///   Mentions are matched by their last name word, so "Officer E. Ferraris" and "Ferraris"
///   share one number.
/// - Agencies and locations get "[Agency N]" and "[Location N]", one number per distinct name.
/// - A date becomes its month and year ("April 2015"), its month alone when the year is not
///   written, "[Date]" when the month cannot be read, and "[Day]" for a weekday. A year
///   alone stays as written, since the year is kept anyway.
/// - A clock time becomes its 6-hour block: "[00:00-05:59]", "[06:00-11:59]", "[12:00-17:59]"
///   or "[18:00-23:59]"; "[Time]" when the hour cannot be read.
/// - Numbers and addresses get a fixed label: "[Badge number]", "[Case number]", "[Plate]",
///   "[Phone]", "[Email]", "[URL]", "[IP address]", "[ID number]", "[Card number]".
///
/// Spans that are out of range, not on character boundaries, or overlap an earlier span are
/// skipped, so any `spans` is safe to pass.
pub fn redact(text: &str, spans: &[Span]) -> String {
    let mut spans: Vec<Span> = spans
        .iter()
        .copied()
        .filter(|span| {
            span.start < span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
        })
        .collect();
    spans.sort_by_key(|span| (span.start, span.end));

    let mut placeholders = Placeholders::default();
    placeholders.number_people(text, &spans);

    let mut output = String::with_capacity(text.len());
    let mut position = 0;
    for span in &spans {
        if span.start < position {
            continue;
        }
        output.push_str(&text[position..span.start]);
        output.push_str(&placeholders.render(text, span));
        position = span.end;
    }
    output.push_str(&text[position..]);
    output
}

#[derive(Default)]
struct Placeholders {
    /// Person key to its number and whether it is an officer.
    people: HashMap<String, (usize, bool)>,
    agencies: HashMap<String, usize>,
    locations: HashMap<String, usize>,
}

impl Placeholders {
    fn number_people(&mut self, text: &str, spans: &[Span]) {
        let mut officers: HashMap<String, bool> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for span in spans.iter().filter(|span| span.kind == Kind::Person) {
            let key = person_key(&text[span.start..span.end]);
            let officer = follows_rank(&text[..span.start]);
            match officers.get_mut(&key) {
                Some(flag) => *flag |= officer,
                None => {
                    officers.insert(key.clone(), officer);
                    order.push(key);
                }
            }
        }
        for (index, key) in order.into_iter().enumerate() {
            let officer = officers.get(&key).copied().unwrap_or(false);
            self.people.insert(key, (index + 1, officer));
        }
    }

    fn render(&mut self, text: &str, span: &Span) -> String {
        let value = &text[span.start..span.end];
        match span.kind {
            Kind::Person => match self.people.get(&person_key(value)) {
                Some((number, true)) => format!("[Officer {number}]"),
                Some((number, false)) => format!("[Person {number}]"),
                None => "[Person]".to_string(),
            },
            Kind::Agency => format!("[Agency {}]", number_for(&mut self.agencies, value)),
            Kind::Location => format!("[Location {}]", number_for(&mut self.locations, value)),
            Kind::Badge => "[Badge number]".to_string(),
            Kind::CaseNumber => "[Case number]".to_string(),
            Kind::Plate => "[Plate]".to_string(),
            Kind::Phone => "[Phone]".to_string(),
            Kind::Email => "[Email]".to_string(),
            Kind::Url => "[URL]".to_string(),
            Kind::IpAddress => "[IP address]".to_string(),
            Kind::GovId => "[ID number]".to_string(),
            Kind::CreditCard => "[Card number]".to_string(),
            Kind::Date => generalise_date(value),
            Kind::Time => generalise_time(value),
        }
    }
}

fn number_for(numbers: &mut HashMap<String, usize>, value: &str) -> usize {
    let key = normalise(value);
    let next = numbers.len() + 1;
    *numbers.entry(key).or_insert(next)
}

fn normalise(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Returns the last word of two letters or more, lower case: "Officer E. Ferraris" and "FERRARIS" match.
fn person_key(value: &str) -> String {
    value
        .split(|character: char| !character.is_alphanumeric() && character != '\'' && character != '-')
        .rfind(|word| {
            word.chars().count() >= 2
                && !matches!(word.to_lowercase().as_str(), "jr" | "sr" | "ii" | "iii" | "iv")
        })
        .map_or_else(|| normalise(value), str::to_lowercase)
}

/// Tells whether the text before a name ends with a police rank or title ("Sgt.", "Deputy").
fn follows_rank(before: &str) -> bool {
    let trimmed = before.trim_end().trim_end_matches('.');
    let word: String = trimmed
        .chars()
        .rev()
        .take_while(|character| character.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    LEXICON.police_ranks.contains(word.to_lowercase().as_str())
}

fn month_from_name(word: &str) -> Option<usize> {
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|month| month.to_ascii_lowercase().starts_with(&lower[..3]))
}

fn generalise_date(value: &str) -> String {
    let lower = value.to_ascii_lowercase();
    if lower.ends_with("day") && !lower.bytes().any(|byte| byte.is_ascii_digit()) {
        return "[Day]".to_string();
    }
    if value.len() == 4 && value.bytes().all(|byte| byte.is_ascii_digit()) {
        return value.to_string();
    }

    let words: Vec<&str> = value
        .split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let year = words
        .iter()
        .rev()
        .find(|word| word.len() == 4 && word.bytes().all(|byte| byte.is_ascii_digit()))
        .map(|word| word.to_string());
    if let Some(month) = words
        .iter()
        .filter(|word| word.bytes().all(|byte| byte.is_ascii_alphabetic()))
        .find_map(|word| month_from_name(word))
    {
        return match year {
            Some(year) => format!("{} {year}", MONTHS[month]),
            None => MONTHS[month].to_string(),
        };
    }

    let numbers: Vec<u32> = words.iter().filter_map(|word| word.parse().ok()).collect();
    let (month, year) = match numbers.as_slice() {
        [first, month, _, ..] if words[0].len() == 4 => (*month, *first),
        [first, second, year, ..] if *first > 12 => (*second, expand_year(*year, words[2].len())),
        [month, _, year, ..] => (*month, expand_year(*year, words[2].len())),
        _ => return "[Date]".to_string(),
    };
    if !(1..=12).contains(&month) {
        return "[Date]".to_string();
    }
    format!("{} {year}", MONTHS[month as usize - 1])
}

/// Reads a two-digit year as 19xx from 50 up and 20xx below.
fn expand_year(year: u32, digits: usize) -> u32 {
    match (digits, year) {
        (2, 0..=49) => 2000 + year,
        (2, _) => 1900 + year,
        _ => year,
    }
}

fn generalise_time(value: &str) -> String {
    let lower = value.to_ascii_lowercase();
    let digits: String = lower
        .chars()
        .take_while(|character| character.is_ascii_digit())
        .collect();
    let hour: Option<u32> = if lower.contains(':') || digits.len() <= 2 {
        digits.parse().ok()
    } else {
        digits
            .get(..digits.len() - 2)
            .and_then(|hours| hours.parse().ok())
    };
    let Some(mut hour) = hour else {
        return "[Time]".to_string();
    };
    let meridiem = lower.trim_end_matches(['.', ' ']);
    let afternoon = meridiem.ends_with("pm") || meridiem.ends_with("p.m") || meridiem.ends_with("p. m");
    let morning = meridiem.ends_with("am") || meridiem.ends_with("a.m") || meridiem.ends_with("a. m");
    if afternoon && hour < 12 {
        hour += 12;
    } else if morning && hour == 12 {
        hour = 0;
    }
    match hour {
        0..=5 => "[00:00-05:59]".to_string(),
        6..=11 => "[06:00-11:59]".to_string(),
        12..=17 => "[12:00-17:59]".to_string(),
        18..=23 => "[18:00-23:59]".to_string(),
        _ => "[Time]".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_month_and_year() {
        assert_eq!(generalise_date("April 20, 2015"), "April 2015");
        assert_eq!(generalise_date("4/20/2015"), "April 2015");
        assert_eq!(generalise_date("04-20-15"), "April 2015");
        assert_eq!(generalise_date("20 April 2015"), "April 2015");
        assert_eq!(generalise_date("the 20th of April"), "April");
        assert_eq!(generalise_date("2017-04-27"), "April 2017");
        assert_eq!(generalise_date("SEPTEMBER 20TH"), "September");
        assert_eq!(generalise_date("Sunday"), "[Day]");
        assert_eq!(generalise_date("2017"), "2017");
    }

    #[test]
    fn times_fall_in_six_hour_blocks() {
        assert_eq!(generalise_time("0317 hours"), "[00:00-05:59]");
        assert_eq!(generalise_time("3:17 a.m."), "[00:00-05:59]");
        assert_eq!(generalise_time("15:20"), "[12:00-17:59]");
        assert_eq!(generalise_time("2:20 PM"), "[12:00-17:59]");
        assert_eq!(generalise_time("12:05 AM"), "[00:00-05:59]");
        assert_eq!(generalise_time("2212 HRS"), "[18:00-23:59]");
        assert_eq!(generalise_time("9 am"), "[06:00-11:59]");
    }
}
