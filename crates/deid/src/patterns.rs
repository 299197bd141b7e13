//! Shape detectors: identifiers recognised by the form of their characters (e-mail addresses,
//! phone numbers, dates, times, plates, badge, case and licence numbers), each compiled once.
//!
//! Patterns use ASCII word boundaries (`(?-u:\b)`) so that the regex engine keeps its fast DFA
//! on text with non-ASCII letters.

use std::sync::LazyLock;

use regex::Regex;

use crate::{Candidate, Kind};

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const DAY: &str = r"(?:0?[1-9]|[12][0-9]|3[01])";
const YEAR: &str = r"(?:19|20)[0-9]{2}";
const B: &str = r"(?-u:\b)";

struct Patterns {
    /// A fast literal search for a top-level domain, which gates the slower `domain` pattern.
    domain_hint: Regex,
    email: Regex,
    url: Regex,
    domain: Regex,
    ipv4: Regex,
    ipv6: Regex,
    ssn: Regex,
    card: Regex,
    phone: Regex,
    phone_groups: Regex,
    date_numeric: Regex,
    date_month_first: Regex,
    date_day_first: Regex,
    weekday: Regex,
    year_after_cue: Regex,
    clock: Regex,
    hour_meridiem: Regex,
    military: Regex,
    /// A four-digit clock time right after a numeric date ("9/14/22 2245") or alone at the end
    /// of a sentence after a comma ("call 22-004417, 0140.").
    military_after_date: Regex,
    driver_licence: Regex,
    /// The seven-character plate shape used in California and several other states: 7ABC123.
    plate_shape: Regex,
    letters_digits: Regex,
    vin: Regex,
    hash_number: Regex,
    case_shape: Regex,
    /// A report-number cue ("case", "incident", "DR", "RD#") and a value with letter groups or
    /// hyphens ("22-KP-40117", "QX-558102", "MK23-118204").
    case_after_cue: Regex,
    keyword_value: Regex,
    call_sign: Regex,
    route: Regex,
    federal_agency: Regex,
    /// An exit or mile marker, searched only just after a highway.
    exit: Regex,
    mile_marker: Regex,
    /// A road type that names a highway without a number: "parkway", "turnpike".
    highway_word: Regex,
}

fn compile(pattern: &str) -> Regex {
    // The patterns are constants of this module, so a failure here is a programming error
    // that every test run would show.
    Regex::new(pattern).unwrap_or_else(|error| panic!("invalid built-in pattern {pattern}: {error}"))
}

/// The patterns, named for the checks that decide whether each one runs.
#[derive(Clone, Copy)]
enum Slot {
    Email,
    Url,
    Domain,
    Ipv4,
    Ipv6,
    Ssn,
    Card,
    Phone,
    PhoneGroups,
    DateNumeric,
    DateMonthFirst,
    DateDayFirst,
    Weekday,
    YearAfterCue,
    Clock,
    HourMeridiem,
    Military,
    MilitaryAfterDate,
    DriverLicence,
    PlateShape,
    LettersDigits,
    Vin,
    HashNumber,
    CaseShape,
    CaseAfterCue,
    KeywordValue,
    CallSign,
    Route,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(compile_all);

fn compile_all() -> Patterns {
    Patterns {
        domain_hint: compile(r"(?i)\.(?:com|org|net|gov|edu|mil|us|info|biz|io)(?-u:\b)"),
        email: compile(r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.[A-Za-z]{2,24}"),
        url: compile(r#"(?i)(?:https?://|www\.)[^\s<>"'()\[\]]+"#),
        domain: compile(&format!(
            r"(?i){B}[a-z0-9][a-z0-9-]{{0,62}}(?:\.[a-z0-9-]{{1,63}})*\.(?:com|org|net|gov|edu|mil|us|info|biz|io){B}(?:/[^\s]*)?"
        )),
        ipv4: compile(&format!(
            r"{B}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){{3}}{B}"
        )),
        ipv6: compile(&format!(
            r"(?i){B}(?:(?:[0-9a-f]{{1,4}}:){{7}}[0-9a-f]{{1,4}}|(?:[0-9a-f]{{1,4}}:){{1,6}}:(?:[0-9a-f]{{1,4}}:){{0,5}}[0-9a-f]{{1,4}}){B}"
        )),
        ssn: compile(&format!(r"{B}[0-9]{{3}}-[0-9]{{2}}-[0-9]{{4}}{B}")),
        card: compile(&format!(
            r"{B}(?:[0-9]{{4}}[ -][0-9]{{4}}[ -][0-9]{{4}}[ -][0-9]{{1,7}}|[0-9]{{4}}[ -][0-9]{{6}}[ -][0-9]{{4,5}}|[0-9]{{12,19}}){B}"
        )),
        phone: compile(&format!(
            r"(?i)(?:\+?1[ .-]?)?(?:\([0-9]{{3}}\)[ .-]?|{B}[0-9]{{3}}[ .-])[0-9]{{3}}[ .-][0-9]{{4}}(?:[ ]?(?:x|ext\.?)[ ]?[0-9]{{1,5}})?{B}|(?:\+1)?{B}[0-9]{{10}}{B}|{B}[0-9]{{3}}[-.][0-9]{{4}}{B}"
        )),
        phone_groups: compile(&format!(
            r"(?i)(?:\+[0-9]{{1,3}}[ .-]?(?:\(0\)[ ]?)?|\([0-9]{{1,4}}\)[ ]?|{B})[0-9]{{1,6}}(?:[ .-][0-9]{{2,7}}){{1,5}}(?:[ ]?x[0-9]{{1,5}})?{B}"
        )),
        date_numeric: compile(&format!(
            r"{B}(?:(?:0?[1-9]|1[0-2])/{DAY}/(?:[0-9]{{4}}|[0-9]{{2}})|(?:0?[1-9]|1[0-2])-{DAY}-(?:[0-9]{{4}}|[0-9]{{2}})|(?:0?[1-9]|1[0-2])\.{DAY}\.(?:[0-9]{{4}}|[0-9]{{2}})|(?:1[3-9]|2[0-9]|3[01])/(?:0?[1-9]|1[0-2])/(?:[0-9]{{4}}|[0-9]{{2}})|{YEAR}-(?:0?[1-9]|1[0-2])-{DAY}(?:[ T](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)?|{YEAR}/(?:0?[1-9]|1[0-2])/{DAY}){B}"
        )),
        date_month_first: compile(&format!(
            r"(?i){B}{MONTH}\.?[ ]+{DAY}(?:st|nd|rd|th)?{B}(?:,?[ ]+{YEAR}{B})?"
        )),
        date_day_first: compile(&format!(
            r"(?i){B}(?:the[ ]+)?{DAY}(?:st|nd|rd|th)?[ ]+(?:day[ ]+)?(?:of[ ]+)?{MONTH}{B}\.?(?:,?[ ]+{YEAR}{B})?"
        )),
        weekday: compile(&format!(r"(?i){B}(?:mon|tues|wednes|thurs|fri|satur|sun)day{B}")),
        year_after_cue: compile(&format!(
            r"(?i){B}(?:in|since|of|during|year|until|till|circa|a|an|before|after|early|late|mid|around|born)[ ]+({YEAR}){B}(?:[ ]*([a-z']+))?"
        )),
        clock: compile(&format!(
            r"(?i){B}(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?:[ ]?(?:[ap]\.[ ]?m\.?|[ap]m{B}))?(?:[ ]+(o'clock|o’clock|hours|hrs))?"
        )),
        hour_meridiem: compile(&format!(
            r"(?i){B}(?:1[0-2]|0?[1-9])[ ]?(?:[ap]\.[ ]?m\.?|[ap]m{B})"
        )),
        military: compile(&format!(
            r"(?i){B}(?:[01][0-9]|2[0-3])[0-5][0-9][ ]?(?:hours|hrs|hr|h){B}|{B}(?:at|approximately|approx|about|around)[ ]+((?:[01][0-9]|2[0-3])[0-5][0-9]){B}(?:[ ]*([a-z']+))?"
        )),
        military_after_date: compile(&format!(
            r"{B}(?:0?[1-9]|1[0-2])[/-](?:0?[1-9]|[12][0-9]|3[01])[/-](?:[0-9]{{4}}|[0-9]{{2}}),?[ ]+((?:[01][0-9]|2[0-3])[0-5][0-9]){B}(?:[ ]*([a-z']+))?|,[ ]*((?:[01][0-9]|2[0-3])[0-5][0-9])[ ]*(?:\.|$)"
        )),
        driver_licence: compile(&format!(
            r"(?i){B}[a-z]-?[0-9]{{2,5}}(?:[- ][0-9]{{1,5}}){{2,5}}{B}"
        )),
        plate_shape: compile(&format!(r"{B}[0-9][A-Z]{{3}}[0-9]{{3}}{B}")),
        letters_digits: compile(&format!(r"{B}[A-Z]{{1,3}}[0-9]{{5,14}}{B}")),
        vin: compile(&format!(r"(?i){B}[a-hj-npr-z0-9]{{17}}{B}")),
        hash_number: compile(r"#[ ]?[A-Za-z]{0,2}[0-9][0-9A-Za-z]*(?:-[0-9A-Za-z]+)*"),
        case_shape: compile(&format!(
            r"{B}(?:[A-Z]{{1,4}}-?)?(?:{YEAR}-[0-9]{{5,6}}|[0-9]{{2}}-[0-9]{{5,7}}){B}"
        )),
        // "DR" and "RD" count only in capitals or with "#" ("rd#"), where they are the report
        // abbreviations and not "Dr." or "rd" (road).
        case_after_cue: compile(&format!(
            r"(?:(?i:{B}(?:case|incident|report|rpt|cad|event|file|complaint|call|citation|warrant|docket|ir))|{B}(?:DR|RD|IR)|(?i:{B}(?:dr|rd)#))(?:[ ]*(?:#|(?i:no)\.?|(?i:number)))?[ ]*[:#]?[ ]*({B}[A-Za-z]{{0,4}}-?[0-9][0-9A-Za-z]*(?:-[0-9A-Za-z]+)+{B}|{B}[A-Za-z]{{1,4}}-?[0-9]{{5,12}}{B})"
        )),
        keyword_value: compile(&format!(
            r"(?i){B}(badge|shield|star|payroll|id|i\.d\.|employee|emp|unit|car|call[ -]?sign|serial|case|report|incident|cad|event|file|complaint|citation|warrant|docket|plates?|tags?|registration|reg|licen[cs]e|dl|dln|ssn|social[ ]security|vin|phone|cell|telephone|tel){B}(?:[ ]+(?:number|num|no\.?|id|#)|[ ]*#)?(?:[ ]*[,:#][ ]*|[ ]+)(?:(?:is|was|of|reads|read)[ ]+)?(?:([A-Za-z]{{2,14}})[ ]+)?((?-i:[A-Z0-9]{{1,4}}(?:-[A-Z0-9]{{1,6}}){{1,3}})|[A-Za-z0-9]*[0-9][A-Za-z0-9]*(?:[ -][A-Za-z0-9]*[0-9][A-Za-z0-9]*)?(?-i:-[A-Z]{{1,3}})?|[A-Za-z]{{1,4}}[ -][0-9]{{2,5}}(?-i:-[A-Z]{{1,3}})?){B}"
        )),
        call_sign: compile(&format!(
            r"(?i){B}(?:[0-9]{{1,2}}-)?(?:adam|boy|charles|david|edward|frank|george|henry|ida|john|king|lincoln|mary|nora|ocean|paul|queen|robert|sam|tom|union|victor|william|x-ray|young|zebra|able|baker|charlie|dog|easy|fox|how|item|jig|love|nan|oboe|peter|roger|sugar|tare|uncle|yoke|alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett?|kilo|lima|mike|november|oscar|papa|quebec|romeo|sierra|tango|uniform|whiskey|xray|yankee|zulu)-[0-9]{{1,3}}{B}"
        )),
        // NOTE: only these federal agencies are listed. Others are found from "Police",
        // "Sheriff" and similar words in their names.
        federal_agency: compile(&format!(
            r"(?i){B}(?:(?:u\.?s\.?[ ]+)?(?:marshals?[ ]+service|secret[ ]+service|border[ ]+patrol|customs[ ]+and[ ]+border[ ]+protection|immigration[ ]+and[ ]+customs[ ]+enforcement|drug[ ]+enforcement[ ]+administration|park[ ]+police|capitol[ ]+police)|homeland[ ]+security[ ]+investigations|federal[ ]+bureau[ ]+of[ ]+investigation|federal[ ]+air[ ]+marshals?[ ]+service|bureau[ ]+of[ ]+alcohol,?[ ]+tobacco,?[ ]+firearms,?[ ]+and[ ]+explosives|port[ ]+authority[ ]+police(?:[ ]+department)?|port[ ]+of[ ]+[a-z]+[ ]+police(?:[ ]+department)?){B}"
        )),
        // Farm-to-market roads in Texas run to four digits ("FM 2920").
        route: compile(&format!(
            r"(?i){B}(?:(?:interstate|i|route|rte|highway|hwy|state[ ]route|state[ ]road|sr|us|county[ ]road|cr)[ -]?[0-9]{{1,3}}|(?:farm[ ]to[ ]market|fm)[ -]?[0-9]{{1,4}})[a-z]?{B}"
        )),
        exit: compile(&format!(
            r"(?i){B}(?:exit|mile[ ]?marker|mile[ ]?post|mm)[ ]?#?[0-9]{{1,3}}[a-z]?{B}"
        )),
        highway_word: compile(&format!(
            r"(?i){B}(?:parkway|pkwy|turnpike|tpke|expressway|expy|thruway|freeway|fwy|tollway){B}"
        )),
        mile_marker: compile(&format!(
            r"(?i){B}(?:mile[ ]?marker|mile[ ]?post)[ ]?#?[0-9]{{1,3}}{B}"
        )),
    }
}

/// Words after a number that make it a measurement, not a year or clock time.
const UNITS: &[&str] = &[
    "ft",
    "feet",
    "foot",
    "fpm",
    "kts",
    "knots",
    "kt",
    "lbs",
    "lb",
    "pounds",
    "miles",
    "mi",
    "nm",
    "msl",
    "agl",
    "meters",
    "m",
    "km",
    "dollars",
    "hours",
    "hrs",
    "hr",
    "minutes",
    "min",
    "mins",
    "seconds",
    "sec",
    "rpm",
    "psi",
    "gallons",
    "gal",
    "degrees",
    "deg",
    "z",
    "l",
    "lcl",
    "local",
    "zulu",
    "to",
    "and",
    "or",
    "through",
    "thru",
    "pax",
    "people",
    "passengers",
];

pub(crate) fn find(text: &str, out: &mut Vec<Candidate>) {
    let patterns = &*PATTERNS;
    let has_at = memchr::memchr(b'@', text.as_bytes()).is_some();
    let has_domain = patterns.domain_hint.is_match(text);
    let has_day = ["day", "DAY", "Day"]
        .iter()
        .any(|needle| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some());
    let has_scheme = ["http", "HTTP", "Http", "www.", "WWW."]
        .iter()
        .any(|needle| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some());
    let hit = |slot: Slot| match slot {
        Slot::Email => has_at,
        Slot::Url => has_scheme,
        Slot::Domain => has_domain,
        Slot::Weekday => has_day,
        _ => true,
    };

    if hit(Slot::Email) {
        push_all(&patterns.email, text, Kind::Email, 90, out);
    }
    if hit(Slot::Url) {
        for found in patterns.url.find_iter(text) {
            let end = found.start()
                + found
                    .as_str()
                    .trim_end_matches(['.', ',', ';', ':', '!', '?'])
                    .len();
            out.push(Candidate::new(found.start(), end, Kind::Url, 85));
        }
    }
    if hit(Slot::Domain) {
        for found in patterns.domain.find_iter(text) {
            let trimmed = found.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            // Axon's evidence-management service, where body-camera footage goes, names no
            // one; an address under it ("evidence.com/case/…") still counts.
            if trimmed.eq_ignore_ascii_case("evidence.com") {
                continue;
            }
            let end = found.start() + trimmed.len();
            out.push(Candidate::new(found.start(), end, Kind::Url, 84));
        }
    }

    // Every name that the federal agency pattern matches contains one of these words, so most
    // texts skip the pattern.
    let has_agency_word = AGENCY_WORD_FINDERS
        .iter()
        .any(|finder| finder.find(text.as_bytes()).is_some());
    if has_agency_word {
        push_all(&patterns.federal_agency, text, Kind::Agency, 56, out);
    }

    if hit(Slot::Weekday) {
        // A weekday after an article or "every" ("the Monday briefing", "the last Sunday") names
        // no date, so it counts there only before a date.
        for found in patterns.weekday.find_iter(text) {
            // NOTE: a weekday in capitals is skipped, because narratives in capitals (NASA ASRS
            // reports) name weekdays far more often than mixed-case text labels one as a date.
            if found.as_str().bytes().all(|byte| byte.is_ascii_uppercase()) {
                continue;
            }
            if !after_determiner(text, found.start()) || date_follows(text, found.end()) {
                out.push(Candidate::new(found.start(), found.end(), Kind::Date, 35));
            }
        }
    }
    // Every other pattern needs a digit, so those run only on the text around digits.
    let mut found = Vec::new();
    for (start, end) in digit_windows(text) {
        found.clear();
        find_numbers(&text[start..end], &mut found);
        out.extend(found.iter().map(|candidate| {
            Candidate::new(
                candidate.start + start,
                candidate.end + start,
                candidate.kind,
                candidate.priority,
            )
        }));
    }
}

/// Character counts of a window. Each pattern needs some of these characters, so a pattern
/// whose characters are missing is not run at all.
struct Shape {
    digits: usize,
    longest_digit_run: usize,
    longest_alphanumeric_run: usize,
    dots: usize,
    hyphen: bool,
    slash: bool,
    colon: bool,
    comma: bool,
    hash: bool,
    upper: bool,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let mut shape = Shape {
            digits: 0,
            longest_digit_run: 0,
            longest_alphanumeric_run: 0,
            dots: 0,
            hyphen: false,
            slash: false,
            colon: false,
            comma: false,
            hash: false,
            upper: false,
        };
        let (mut digit_run, mut alphanumeric_run) = (0, 0);
        for byte in text.bytes() {
            if byte.is_ascii_digit() {
                shape.digits += 1;
                digit_run += 1;
                shape.longest_digit_run = shape.longest_digit_run.max(digit_run);
            } else {
                digit_run = 0;
            }
            if byte.is_ascii_alphanumeric() {
                alphanumeric_run += 1;
                shape.longest_alphanumeric_run = shape.longest_alphanumeric_run.max(alphanumeric_run);
            } else {
                alphanumeric_run = 0;
            }
            match byte {
                b'.' => shape.dots += 1,
                b'-' => shape.hyphen = true,
                b'/' => shape.slash = true,
                b':' => shape.colon = true,
                b',' => shape.comma = true,
                b'#' => shape.hash = true,
                b'A'..=b'Z' => shape.upper = true,
                _ => {}
            }
        }
        shape
    }

    fn allows(&self, slot: Slot) -> bool {
        match slot {
            Slot::Ipv4 => self.dots >= 3,
            Slot::Ipv6 => self.colon,
            Slot::Ssn | Slot::CaseShape | Slot::CallSign => self.hyphen,
            Slot::DriverLicence => self.hyphen || (self.digits >= 12 && self.longest_digit_run >= 4),
            Slot::CaseAfterCue => self.hyphen || self.longest_digit_run >= 5,
            Slot::Card => self.digits >= 12,
            Slot::Phone | Slot::PhoneGroups => self.digits >= 7,
            Slot::DateNumeric => self.hyphen || self.slash || self.dots > 0,
            Slot::Clock => self.colon,
            Slot::HashNumber => self.hash,
            Slot::PlateShape | Slot::LettersDigits => self.upper && self.longest_digit_run >= 3,
            Slot::Vin => self.longest_alphanumeric_run >= 17,
            Slot::Military | Slot::YearAfterCue => self.longest_digit_run >= 4,
            Slot::MilitaryAfterDate => {
                self.longest_digit_run >= 4 && (self.slash || self.hyphen || self.comma)
            }
            _ => true,
        }
    }
}

/// Bytes kept before and after each run of digits: room for a keyword or month name before
/// the number ("badge number", "September") and a unit or meridiem after it.
const WINDOW_BEFORE: usize = 48;
const WINDOW_AFTER: usize = 32;

/// Returns the byte ranges around runs of ASCII digits, widened to whitespace so that word
/// boundaries at their edges are the text's own, and merged where they overlap.
fn digit_windows(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut windows: Vec<(usize, usize)> = Vec::new();
    let mut position = 0;
    while position < bytes.len() {
        if !bytes[position].is_ascii_digit() {
            position += 1;
            continue;
        }
        let run_start = position;
        while position < bytes.len() && bytes[position].is_ascii_digit() {
            position += 1;
        }
        let mut start = run_start.saturating_sub(WINDOW_BEFORE);
        while start > 0 && !bytes[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        let mut end = (position + WINDOW_AFTER).min(bytes.len());
        while end < bytes.len() && !bytes[end].is_ascii_whitespace() {
            end += 1;
        }
        match windows.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => windows.push((start, end)),
        }
    }
    windows
}

/// Finds the identifiers that contain digits in `text`, one window of the whole text.
fn find_numbers(text: &str, out: &mut Vec<Candidate>) {
    let patterns = &*PATTERNS;
    let shape = Shape::of(text);
    let hit = |slot: Slot| shape.allows(slot);
    for (slot, regex) in [
        (Slot::DateMonthFirst, &patterns.date_month_first),
        (Slot::DateDayFirst, &patterns.date_day_first),
    ] {
        if !hit(slot) {
            continue;
        }
        for found in regex.find_iter(text) {
            let value = found.as_str();
            // "may 5" in lower case is more often the verb than the month.
            if value.starts_with("may ") || value.starts_with("mar ") {
                continue;
            }
            out.push(Candidate::new(found.start(), found.end(), Kind::Date, 74));
        }
    }

    if hit(Slot::Ipv4) {
        push_all(&patterns.ipv4, text, Kind::IpAddress, 80, out);
    }
    if hit(Slot::Ipv6) {
        push_all(&patterns.ipv6, text, Kind::IpAddress, 80, out);
    }
    if hit(Slot::Ssn) {
        push_all(&patterns.ssn, text, Kind::GovId, 78, out);
    }
    for found in patterns.card.find_iter(if hit(Slot::Card) { text } else { "" }) {
        let digits: Vec<u8> = found
            .as_str()
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|byte| byte - b'0')
            .collect();
        let grouped = found.as_str().contains([' ', '-']);
        if luhn_valid(&digits) {
            out.push(Candidate::new(found.start(), found.end(), Kind::CreditCard, 76));
        } else if grouped || digits.len() >= 12 {
            let kind = keyword_kind(text, found.start()).unwrap_or(Kind::CaseNumber);
            out.push(Candidate::new(found.start(), found.end(), kind, 60));
        }
    }
    if hit(Slot::DateNumeric) {
        push_all(&patterns.date_numeric, text, Kind::Date, 74, out);
    }
    for found in patterns
        .year_after_cue
        .captures_iter(if hit(Slot::YearAfterCue) { text } else { "" })
    {
        let (Some(year), following) = (found.get(1), found.get(2)) else {
            continue;
        };
        if following.is_some_and(|word| is_unit(word.as_str())) || text[year.end()..].starts_with(['\'', '%'])
        {
            continue;
        }
        // A year before a vehicle make is a model year: "a 2004 Toyota Camry".
        if following.is_some_and(|word| is_model_year_make(&word.as_str().to_ascii_lowercase())) {
            continue;
        }
        out.push(Candidate::new(year.start(), year.end(), Kind::Date, 40));
    }

    for found in patterns
        .clock
        .captures_iter(if hit(Slot::Clock) { text } else { "" })
    {
        let whole = found.get(0).map_or(0..0, |whole| whole.range());
        if found
            .get(1)
            .is_some_and(|word| word.as_str().to_ascii_lowercase().starts_with('o'))
            || is_clock_position(text, whole.end)
        {
            continue;
        }
        out.push(Candidate::new(whole.start, whole.end, Kind::Time, 72));
    }
    if hit(Slot::HourMeridiem) {
        push_all(&patterns.hour_meridiem, text, Kind::Time, 72, out);
    }
    for found in patterns
        .military
        .captures_iter(if hit(Slot::Military) { text } else { "" })
    {
        let whole = found.get(0).map_or(0..0, |whole| whole.range());
        match found.get(1) {
            None => out.push(Candidate::new(whole.start, whole.end, Kind::Time, 72)),
            Some(time) => {
                let following = found.get(2).map(|word| word.as_str().to_ascii_lowercase());
                if matches!(following.as_deref(), Some("hours" | "hrs" | "hr" | "h")) {
                    out.push(Candidate::new(
                        time.start(),
                        found.get(2).map_or(time.end(), |word| word.end()),
                        Kind::Time,
                        72,
                    ));
                    continue;
                }
                // "at 2215 S Main St" is a house number before a compass point.
                let compass = matches!(
                    following.as_deref(),
                    Some("n" | "s" | "e" | "w" | "ne" | "nw" | "se" | "sw")
                );
                if following.as_deref().is_some_and(is_unit)
                    || compass
                    || text[time.end()..].starts_with(['\'', '%', '-'])
                {
                    continue;
                }
                out.push(Candidate::new(time.start(), time.end(), Kind::Time, 50));
            }
        }
    }

    if hit(Slot::MilitaryAfterDate) {
        for found in patterns.military_after_date.captures_iter(text) {
            if let Some(time) = found.get(1) {
                let following = found.get(2).map(|word| word.as_str().to_ascii_lowercase());
                if !following.as_deref().is_some_and(is_unit)
                    && !text[time.end()..].starts_with(['\'', '%', '-'])
                {
                    out.push(Candidate::new(time.start(), time.end(), Kind::Time, 50));
                }
            } else if let Some(time) = found.get(3) {
                // A year ends many sentences (", 1998."), so only times that are no year count.
                if !time.as_str().starts_with("19") && !time.as_str().starts_with("20") {
                    out.push(Candidate::new(time.start(), time.end(), Kind::Time, 50));
                }
            }
        }
    }
    for found in patterns.phone.find_iter(if hit(Slot::Phone) { text } else { "" }) {
        if followed_by_measure(text, found.end()) {
            continue;
        }
        out.push(Candidate::new(found.start(), found.end(), Kind::Phone, 70));
    }
    for found in patterns
        .phone_groups
        .find_iter(if hit(Slot::PhoneGroups) { text } else { "" })
    {
        let value = found.as_str();
        let digits = value.bytes().filter(u8::is_ascii_digit).count();
        let groups = value
            .split([' ', '.', '-'])
            .filter(|group| !group.is_empty())
            .count();
        let first_group = value
            .trim_start_matches(['+', '('])
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let last_group = value.len() - value.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        // Two groups: "781 1704", "0341 8387176", "99 668472"; not "250 1000".
        let two_groups_phone = groups == 2
            && (2..=5).contains(&first_group)
            && (4..=7).contains(&last_group)
            && first_group + last_group >= 7;
        let plausible = (9..=15).contains(&digits) && groups >= 3
            || value.contains(['(', '+'])
            || (digits >= 7 && two_groups_phone)
            || (groups >= 3 && digits >= 7);
        if plausible && !value.contains(':') && !followed_by_measure(text, found.end()) {
            out.push(Candidate::new(found.start(), found.end(), Kind::Phone, 45));
        }
    }

    for found in patterns
        .driver_licence
        .find_iter(if hit(Slot::DriverLicence) { text } else { "" })
    {
        // Digit groups split by spaces ("B4321 98765 43210", the New Jersey form) count only
        // after a licence keyword. After one, the licence outranks a phone number that
        // overlaps its digit groups.
        let after_keyword = keyword_kind(text, found.start()) == Some(Kind::GovId);
        let digits = found.as_str().bytes().filter(u8::is_ascii_digit).count();
        if (found.as_str().contains(' ') && !after_keyword) || digits < 7 {
            continue;
        }
        let priority = if after_keyword { 71 } else { 68 };
        out.push(Candidate::new(found.start(), found.end(), Kind::GovId, priority));
    }
    if hit(Slot::PlateShape) {
        push_all(&patterns.plate_shape, text, Kind::Plate, 63, out);
    }
    for found in patterns
        .letters_digits
        .find_iter(if hit(Slot::LettersDigits) { text } else { "" })
    {
        let letters = found.as_str().bytes().take_while(u8::is_ascii_alphabetic).count();
        let digits = found.as_str().len() - letters;
        // Without a keyword such as "license" or "case", a short number after letters is more
        // often a code (a navigation fix, a part number) than an identifier.
        let kind = match keyword_kind(text, found.start()) {
            Some(kind) => kind,
            None if digits >= 7 && letters == 1 => Kind::GovId,
            None if digits >= 7 => Kind::CaseNumber,
            None => continue,
        };
        out.push(Candidate::new(found.start(), found.end(), kind, 62));
    }
    for found in patterns.vin.find_iter(if hit(Slot::Vin) { text } else { "" }) {
        let value = found.as_str();
        let digits = value.bytes().filter(u8::is_ascii_digit).count();
        if (3..=14).contains(&digits) && value.bytes().any(|byte| byte.is_ascii_uppercase()) {
            out.push(Candidate::new(found.start(), found.end(), Kind::GovId, 66));
        }
    }
    for found in patterns
        .hash_number
        .find_iter(if hit(Slot::HashNumber) { text } else { "" })
    {
        let digits = found.as_str().bytes().filter(u8::is_ascii_digit).count();
        if digits < 3 {
            continue;
        }
        let default = if digits >= 7 {
            Kind::CaseNumber
        } else {
            Kind::Badge
        };
        let kind = keyword_kind(text, found.start()).unwrap_or(default);
        out.push(Candidate::new(found.start(), found.end(), kind, 58));
    }
    if hit(Slot::CaseShape) {
        push_all(&patterns.case_shape, text, Kind::CaseNumber, 56, out);
    }
    // This pattern and `military_after_date` run only when the window has their characters,
    // which saves setting up a capture search.
    if hit(Slot::CaseAfterCue) {
        for found in patterns.case_after_cue.captures_iter(text) {
            let Some(value) = found.get(1) else {
                continue;
            };
            let digits = value.as_str().bytes().filter(u8::is_ascii_digit).count();
            if digits >= 5 && !followed_by_measure(text, value.end()) {
                out.push(Candidate::new(value.start(), value.end(), Kind::CaseNumber, 65));
            }
        }
    }
    for found in patterns
        .keyword_value
        .captures_iter(if hit(Slot::KeywordValue) { text } else { "" })
    {
        let (Some(keyword), Some(value)) = (found.get(1), found.get(3)) else {
            continue;
        };
        let Some(mut kind) = kind_for_keyword(&keyword.as_str().to_ascii_lowercase()) else {
            continue;
        };
        // A second keyword in the word slot names the value: "license plate 832-TKM" is a plate.
        let second = found
            .get(2)
            .and_then(|word| kind_for_keyword(&word.as_str().to_ascii_lowercase()));
        let found_word = match second {
            Some(second_kind) => {
                kind = second_kind;
                None
            }
            None => found.get(2),
        };
        // Only a plate takes a word between keyword and value ("tag XDJ 6409"), and only a
        // plate or a licence contains a space ("licence no 123 456 789"). Elsewhere such a
        // match is ordinary prose. Groups joined by hyphens need a digit ("7-ABC-21").
        let spaced = value.as_str().contains(' ');
        if (kind != Kind::Plate && found_word.is_some())
            || (spaced && !matches!(kind, Kind::Plate | Kind::GovId))
        {
            continue;
        }
        if !value.as_str().bytes().any(|byte| byte.is_ascii_digit()) {
            continue;
        }
        if followed_by_measure(text, value.end()) {
            continue;
        }
        if value.as_str().len() < 3 && kind != Kind::Badge {
            continue;
        }
        // "tag XDJ 6409", "plate kxr 3390": the letters before the digits belong to the plate
        // unless they name a state or, in lower case, are an English word ("plate on 3390").
        let mut start = match found_word {
            Some(letters) if kind == Kind::Plate && letters.len() <= 4 && plate_letters(letters.as_str()) => {
                letters.start()
            }
            _ => value.start(),
        };
        // "license plate of 832": the linking word is no part of the plate.
        if let Some((head, _)) = text[start..value.end()].split_once(' ') {
            if matches!(head.to_ascii_lowercase().as_str(), "of" | "is" | "was") {
                start += head.len() + 1;
            }
        }
        out.push(Candidate::new(start, value.end(), kind, 64));
    }
    if hit(Slot::CallSign) {
        push_all(&patterns.call_sign, text, Kind::Badge, 60, out);
    }
    if !hit(Slot::Route) {
        return;
    }
    // The exit and mile-marker rules need one of these words, so most windows skip them.
    let has_exit = contains_ignore_case(text, b"exit") || contains_ignore_case(text, b"mm ");
    let has_mile = contains_ignore_case(text, b"mile");
    for found in patterns.route.find_iter(text) {
        // A highway, Interstates included, counts as a place on its own ("stopped on I-80").
        out.push(Candidate::new(found.start(), found.end(), Kind::Location, 30));
        // An exit or mile marker after the highway is a second place: "I-5 near exit 127".
        if has_exit || has_mile {
            if let Some((start, end)) = exit_after(text, found.end()) {
                out.push(Candidate::new(start, end, Kind::Location, 30));
            }
        }
    }
    if has_exit {
        // Named toll roads and parkways carry no number, but their exits place a stop just as
        // well: "the turnpike near exit 7".
        for found in patterns.highway_word.find_iter(text) {
            if let Some((start, end)) = exit_after(text, found.end()) {
                out.push(Candidate::new(start, end, Kind::Location, 30));
            }
        }
    }
    if has_mile {
        // A mile marker places a stop on a highway even when the highway goes unnamed.
        push_all(&patterns.mile_marker, text, Kind::Location, 30, out);
    }
}

/// Words that every name in `Patterns::federal_agency` contains, in the cases that reports use,
/// built once because a `Finder` costs more to build than to run on one text.
static AGENCY_WORD_FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    std::sync::LazyLock::new(|| {
        [
            "ervice",
            "ERVICE",
            "atrol",
            "ATROL",
            "rotection",
            "ROTECTION",
            "nforcement",
            "NFORCEMENT",
            "dministration",
            "DMINISTRATION",
            "nvestigation",
            "NVESTIGATION",
            "ort of",
            "ORT OF",
            "ort authority",
            "ort Authority",
            "ORT AUTHORITY",
            "ark police",
            "ark Police",
            "ARK POLICE",
            "apitol police",
            "apitol Police",
            "APITOL POLICE",
            "xplosives",
            "XPLOSIVES",
        ]
        .iter()
        .map(|needle| memchr::memmem::Finder::new(needle.as_bytes()).into_owned())
        .collect()
    });

/// Tells whether `text` contains `needle`, a lower-case ASCII word, in any case.
fn contains_ignore_case(text: &str, needle: &[u8]) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Finds an exit or mile marker within a few words after a highway: "I-80 at exit 310",
/// "Interstate 25 near mile marker 14". Returns its byte range.
fn exit_after(text: &str, end: usize) -> Option<(usize, usize)> {
    let mut stop = (end + 40).min(text.len());
    while !text.is_char_boundary(stop) {
        stop -= 1;
    }
    let found = PATTERNS.exit.find(&text[end..stop])?;
    Some((end + found.start(), end + found.end()))
}

/// Tells whether a clock reading is a direction ("traffic at 12:30 o'clock", "our 3:30 position")
/// or the first half of a range ("11:30-12").
fn is_clock_position(text: &str, end: usize) -> bool {
    let mut stop = (end + 24).min(text.len());
    while !text.is_char_boundary(stop) {
        stop -= 1;
    }
    let after = text[end..stop].to_ascii_lowercase();
    let after = after.trim_start();
    after.starts_with('-')
        || after.starts_with("pos")
        || after.contains("o'clock")
        || after.contains("o’clock")
}

/// Tells whether letters before a plate's digits are part of the plate: capitals, or lower
/// case that is no English word, and no state code in either case.
fn plate_letters(letters: &str) -> bool {
    let lexicon = &*crate::lexicon::LEXICON;
    let lower = letters.to_ascii_lowercase();
    if lexicon.state_codes.contains(lower.as_str()) {
        return false;
    }
    letters.bytes().all(|byte| byte.is_ascii_uppercase())
        || (letters.bytes().all(|byte| byte.is_ascii_lowercase())
            && !lexicon.common.contains_key(lower.as_str()))
}

/// Tells whether the word before `start` is an article, "every" or "last".
fn after_determiner(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, character)| !character.is_ascii_alphabetic())
        .map_or(0, |(position, character)| position + character.len_utf8());
    matches!(
        before[word_start..].to_ascii_lowercase().as_str(),
        "the" | "a" | "every" | "each" | "last" | "that"
    )
}

/// Tells whether a day of the month or a month name follows `end` after commas and spaces
/// ("Monday, June 3", "Tuesday 6/4/24", "Friday the 13th").
fn date_follows(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', ',']);
    let rest = rest
        .strip_prefix("the ")
        .or_else(|| rest.strip_prefix("THE "))
        .unwrap_or(rest);
    if rest.starts_with(|character: char| character.is_ascii_digit()) {
        return true;
    }
    let word: String = rest
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    is_month_name(&word)
}

/// Tells whether a lower-case word is a month name or its abbreviation ("jan", "sept").
fn is_month_name(word: &str) -> bool {
    matches!(
        word,
        "jan"
            | "january"
            | "feb"
            | "february"
            | "mar"
            | "march"
            | "apr"
            | "april"
            | "may"
            | "jun"
            | "june"
            | "jul"
            | "july"
            | "aug"
            | "august"
            | "sep"
            | "sept"
            | "september"
            | "oct"
            | "october"
            | "nov"
            | "november"
            | "dec"
            | "december"
    )
}

/// Tells whether a number is followed by a unit or a range dash ("500-1000 FT", "2000'").
fn followed_by_measure(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let range = rest.starts_with('-') && rest[1..].starts_with(|character: char| character.is_ascii_digit());
    if rest.starts_with(['\'', '%']) || range {
        return true;
    }
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|character| character.is_ascii_alphabetic())
        .collect();
    !word.is_empty() && is_unit(&word) && !matches!(word.to_ascii_lowercase().as_str(), "to" | "and" | "or")
}

fn push_all(regex: &Regex, text: &str, kind: Kind, priority: u8, out: &mut Vec<Candidate>) {
    for found in regex.find_iter(text) {
        out.push(Candidate::new(found.start(), found.end(), kind, priority));
    }
}

/// Tells whether a word after a year makes it a model year. Ford, Dodge and Jeep are not on the
/// list of makes, which leaves out makes that are also names, but after a year they are makes.
fn is_model_year_make(word: &str) -> bool {
    matches!(word, "ford" | "dodge" | "jeep") || crate::names::is_listed_make(word)
}

pub(crate) fn is_unit(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    UNITS.contains(&lower.as_str())
}

fn luhn_valid(digits: &[u8]) -> bool {
    if digits.len() < 12 {
        return false;
    }
    let mut sum = 0u32;
    for (position, digit) in digits.iter().rev().enumerate() {
        let mut value = u32::from(*digit);
        if position % 2 == 1 {
            value *= 2;
            if value > 9 {
                value -= 9;
            }
        }
        sum += value;
    }
    sum.is_multiple_of(10)
}

fn kind_for_keyword(keyword: &str) -> Option<Kind> {
    let kind = match keyword {
        "badge" | "shield" | "star" | "payroll" | "id" | "i.d." | "employee" | "emp" | "unit" | "car"
        | "serial" => Kind::Badge,
        "case" | "report" | "incident" | "cad" | "event" | "file" | "complaint" | "citation" | "warrant"
        | "docket" => Kind::CaseNumber,
        "plate" | "plates" | "tag" | "tags" | "registration" | "reg" => Kind::Plate,
        "license" | "licence" | "dl" | "dln" | "ssn" | "social security" | "vin" => Kind::GovId,
        "phone" | "cell" | "telephone" | "tel" => Kind::Phone,
        _ if keyword.starts_with("call") => Kind::Badge,
        _ => return None,
    };
    Some(kind)
}

/// Finds the kind that a keyword in the few words before `start` gives a number:
/// "badge #4471", "report IR2492959", "license A5710660".
pub(crate) fn keyword_kind(text: &str, start: usize) -> Option<Kind> {
    let mut from = start.saturating_sub(48);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text[from..start].to_ascii_lowercase();
    let words: Vec<&str> = before
        .split(|character: char| !character.is_ascii_alphanumeric() && character != '\'')
        .filter(|word| !word.is_empty())
        .collect();
    for word in words.iter().rev().take(4) {
        let word = word.trim_end_matches("'s");
        let kind = match word {
            "license" | "licence" | "dl" | "dln" | "driver" | "ssn" | "security" | "vin" => Kind::GovId,
            "case" | "report" | "incident" | "cad" | "event" | "file" | "complaint" | "citation"
            | "warrant" | "docket" => Kind::CaseNumber,
            "badge" | "shield" | "id" | "employee" | "unit" | "serial" => Kind::Badge,
            "plate" | "plates" | "tag" | "tags" | "registration" => Kind::Plate,
            "card" | "visa" | "mastercard" | "amex" => Kind::CreditCard,
            "phone" | "cell" | "telephone" | "tel" | "fax" | "mobile" => Kind::Phone,
            _ => continue,
        };
        return Some(kind);
    }
    None
}

#[cfg(test)]
mod timing {
    use super::*;

    /// Prints the time each pattern takes over the texts in `DEID_BENCH_JSONL`.
    #[test]
    #[ignore = "measurement, not a check; run with --ignored --nocapture"]
    fn pattern_timings() {
        let Ok(path) = std::env::var("DEID_BENCH_JSONL") else {
            return;
        };
        let content = std::fs::read_to_string(path).expect("readable file");
        let texts: Vec<String> = content
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|document| document["text"].as_str().map(str::to_string))
            .collect();
        let p = &*PATTERNS;
        let all = [
            ("email", &p.email),
            ("url", &p.url),
            ("domain", &p.domain),
            ("ipv4", &p.ipv4),
            ("ipv6", &p.ipv6),
            ("ssn", &p.ssn),
            ("card", &p.card),
            ("phone", &p.phone),
            ("phone_groups", &p.phone_groups),
            ("date_numeric", &p.date_numeric),
            ("date_month_first", &p.date_month_first),
            ("date_day_first", &p.date_day_first),
            ("weekday", &p.weekday),
            ("year_after_cue", &p.year_after_cue),
            ("clock", &p.clock),
            ("hour_meridiem", &p.hour_meridiem),
            ("military", &p.military),
            ("military_after_date", &p.military_after_date),
            ("driver_licence", &p.driver_licence),
            ("plate_shape", &p.plate_shape),
            ("letters_digits", &p.letters_digits),
            ("vin", &p.vin),
            ("hash_number", &p.hash_number),
            ("case_shape", &p.case_shape),
            ("case_after_cue", &p.case_after_cue),
            ("keyword_value", &p.keyword_value),
            ("call_sign", &p.call_sign),
            ("route", &p.route),
            ("federal_agency", &p.federal_agency),
            ("exit", &p.exit),
            ("mile_marker", &p.mile_marker),
            ("highway_word", &p.highway_word),
        ];
        for (name, regex) in all {
            let started = std::time::Instant::now();
            let mut count = 0;
            for text in &texts {
                count += regex.find_iter(text).count();
            }
            println!(
                "{name:<18} {:>8.1} ms {count:>6} matches",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
