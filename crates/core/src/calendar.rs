//! Coarse calendar values. nearmiss stores days (for staff bookkeeping and the arrival day of
//! a submission) and event months, never precise times of reporter activity.

use std::time::{SystemTime, UNIX_EPOCH};

const MONTH_NAMES: [&str; 12] = [
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

/// Today's date in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The date `days` days before today in UTC, as `YYYY-MM-DD`.
pub fn days_ago(days: u32) -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64 - i64::from(days));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day), after Howard
/// Hinnant's `civil_from_days` algorithm.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Parses an event month written `YYYY-MM` into (year, month).
pub fn parse_month(value: &str) -> Option<(u32, u32)> {
    let (year, month) = value.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: u32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    Some((year, month))
}

/// Parses a coarsened event time written `YYYY-Qn` into (year, quarter).
pub fn parse_quarter(value: &str) -> Option<(u32, u32)> {
    let (year, quarter) = value.split_once("-Q")?;
    let year: u32 = year.parse().ok().filter(|year| (1900..=2999).contains(year))?;
    let quarter: u32 = quarter.parse().ok().filter(|quarter| (1..=4).contains(quarter))?;
    Some((year, quarter))
}

/// Renders `YYYY-MM` as "April 2015" and `YYYY-Qn` as "April-June 2015"; other values are
/// returned unchanged.
pub fn month_label(value: &str) -> String {
    if let Some((year, month)) = parse_month(value) {
        return format!("{} {year}", MONTH_NAMES[month as usize - 1]);
    }
    if let Some((year, quarter)) = parse_quarter(value) {
        let first = (quarter as usize - 1) * 3;
        return format!("{}-{} {year}", MONTH_NAMES[first], MONTH_NAMES[first + 2]);
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_from_days_known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_791), (2026, 12, 4));
    }

    #[test]
    fn parse_month_rejects_bad_values() {
        assert_eq!(parse_month("2015-04"), Some((2015, 4)));
        assert_eq!(parse_month("2015-13"), None);
        assert_eq!(parse_month("15-04"), None);
        assert_eq!(parse_month("2015-4"), None);
        assert_eq!(parse_month(""), None);
    }

    #[test]
    fn month_label_names_month() {
        assert_eq!(month_label("2015-04"), "April 2015");
        assert_eq!(month_label("2015-Q2"), "April-June 2015");
    }
}
