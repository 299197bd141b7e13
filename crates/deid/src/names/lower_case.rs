//! Rules for reports typed wholly in lower case ("ofc pruitt and i responded to 3310 e yuma st
//! in boise"), where capitals give no evidence of a name, a street or a town. They run
//! only when most sentences open in lower case, so that the lower-case words of ordinary
//! mixed-case text ("the officer said") never reach them.

use super::{is_ordinal, Rules, DIRECTIONS, LOCATION, PERSON};
use crate::lexicon::{ABBREVIATION, GENERIC, MODAL, ROLE, STATE, STATE_CODE, STOP, STREET_GENERIC, TITLE};
use crate::tokens::{Case, Class};
use crate::Kind;

/// Street suffixes that name a street in lower-case text after a house number or a word such
/// as "at" or "on". Suffixes that are also everyday nouns ("court", "way", "place") are left out.
const LOWER_STREET_SUFFIXES: &[&str] = &[
    "st",
    "street",
    "ave",
    "av",
    "avenue",
    "rd",
    "road",
    "blvd",
    "boulevard",
    "dr",
    "drive",
    "ln",
    "lane",
    "hwy",
    "highway",
    "pkwy",
    "parkway",
    "expy",
    "fwy",
    "freeway",
    "ct",
    "cir",
    "ter",
];

/// Ranks and honorifics that open a name in lower-case reports ("ofc pruitt", "mrs. finch").
const LOWER_RANKS: &[&str] = &[
    "officer",
    "ofc",
    "deputy",
    "dep",
    "trooper",
    "tpr",
    "sergeant",
    "sgt",
    "detective",
    "det",
    "corporal",
    "cpl",
    "lieutenant",
    "lt",
    "ptl",
    "ptlm",
    "patrolman",
    "agent",
    "investigator",
    "mr",
    "mrs",
    "ms",
    "miss",
];

impl Rules<'_, '_> {
    /// Tells whether the text is typed in lower case: of the first eight sentences, at least two
    /// open with a lower-case word and three in four do. Reading stops at the third capital, so
    /// a text in mixed case or capitals costs only a few tokens.
    pub(super) fn is_lower_case_text(&self) -> bool {
        let mut lower = 0;
        let mut capital = 0;
        for token in &self.t.list {
            if !token.sentence_start || token.class != Class::Alpha {
                continue;
            }
            if token.case == Case::Lower {
                lower += 1;
            } else {
                capital += 1;
            }
            if capital > 2 || lower + capital >= 8 {
                break;
            }
        }
        lower >= 2 && lower >= capital * 3
    }

    /// Runs the lower-case rules when the text is typed in lower case.
    pub(super) fn lower_case_text(&mut self) {
        if !self.is_lower_case_text() {
            return;
        }
        let tokens = self.t;
        for index in 0..tokens.len() {
            if tokens.list[index].class != Class::Alpha || tokens.list[index].case != Case::Lower {
                continue;
            }
            let word = tokens.word(index);
            if LOWER_RANKS.contains(&word) {
                self.lower_rank_name_at(index);
            }
            if self.has(index, ROLE) {
                self.lower_role_name_at(index);
            }
            if LOWER_STREET_SUFFIXES.contains(&word) {
                self.lower_street_at(index);
            }
            if matches!(word, "in" | "of") {
                self.lower_town_at(index + 1);
            }
        }
        for index in 0..self.t.len() {
            if self.t.list[index].class == Class::Digit && DIRECTIONS.contains(&self.word(index + 1)) {
                self.lower_numbered_street_at(index);
            }
        }
    }

    /// Tells whether a lower-case word may be part of a person's name after a rank or role:
    /// not a function word, title, role, modal or state, and either no English word or a
    /// listed name ("hunter", "bell").
    fn lower_name_after_cue(&self, index: usize) -> bool {
        if !self.alpha(index) || self.t.list[index].case != Case::Lower || self.t.list[index].line_start {
            return false;
        }
        let entry = self.e(index);
        if self.word(index).chars().count() < 2
            || entry.has(STOP | TITLE | ROLE | MODAL | STATE | STATE_CODE | ABBREVIATION | GENERIC)
        {
            return false;
        }
        !entry.common() || entry.is_name()
    }

    /// "ofc keisha haskins", "officer mark bell", "ofc hunter": up to two name words.
    fn lower_rank_name_at(&mut self, rank: usize) {
        let first = self.skip_period(rank + 1);
        if !self.lower_name_after_cue(first) {
            return;
        }
        let last = if self.lower_name_after_cue(first + 1) && self.e(first).is_first_name() {
            first + 1
        } else {
            first
        };
        self.push(first, last, Kind::Person, PERSON - 5);
    }

    /// "driver 2 oscar ferreira", "one male darnell ran", "rp ana ruiz": a role noun, an
    /// optional number, then a listed first name or a word in none of the lists.
    fn lower_role_name_at(&mut self, role: usize) {
        let mut first = role + 1;
        if self
            .t
            .list
            .get(first)
            .is_some_and(|token| token.class == Class::Digit)
        {
            first += 1;
        }
        let entry = self.e(first);
        let opens_name = self.lower_name_after_cue(first)
            && (entry.is_first_name() || !entry.common())
            && !(entry.common() && super::is_verb_like(self.word(first)));
        if !opens_name {
            return;
        }
        let last = if self.lower_name_after_cue(first + 1) {
            first + 1
        } else {
            first
        };
        // A single word counts only when it is a listed first name that is no English word.
        if last == first && (entry.common() || !entry.is_first_name()) {
            return;
        }
        self.push(first, last, Kind::Person, PERSON - 10);
    }

    /// Tells whether token `index` can be a word of a street name in lower-case text ("old",
    /// "mill", "14th", "n").
    fn lower_street_word(&self, index: usize) -> bool {
        let Some(token) = self.t.list.get(index) else {
            return false;
        };
        match token.class {
            Class::Alnum => is_ordinal(self.word(index)),
            Class::Alpha => {
                token.case == Case::Lower
                    && !self.has(index, STOP | TITLE | ROLE | MODAL | ABBREVIATION | STREET_GENERIC)
                    && !LOWER_STREET_SUFFIXES.contains(&self.word(index))
            }
            _ => false,
        }
    }

    /// "77 aspen st apt 2", "maple ave", "old mill rd", "n 14th st": up to three street words
    /// before a suffix, after a house number or after "at", "on", "and" or a similar word.
    fn lower_street_at(&mut self, suffix: usize) {
        let mut first = suffix;
        while first > 0 && suffix - first < 3 && self.lower_street_word(first - 1) {
            first -= 1;
        }
        if first == suffix {
            return;
        }
        let numbered = first > 0 && self.house_number(first - 1);
        let cue = first > 0 && super::STREET_CUES.contains(&self.word(first - 1));
        if !(numbered || cue) {
            return;
        }
        let start = self
            .block_before(first)
            .unwrap_or(if numbered { first - 1 } else { first });
        let next = self.skip_period(suffix + 1);
        let last = self.unit_after(suffix, next);
        self.push(start, last, Kind::Location, LOCATION);
        self.town_after_street(last + 1);
    }

    /// "3310 e yuma st", "410 s main": a house number, a compass letter and a street
    /// name, with or without a suffix.
    fn lower_numbered_street_at(&mut self, number: usize) {
        let direction = number + 1;
        if !self.house_number(number) || self.t.list[direction].case != Case::Lower {
            return;
        }
        let mut last = direction;
        while last + 1 < self.t.len() && last - direction < 3 && self.lower_street_word(last + 1) {
            last += 1;
        }
        if last == direction {
            return;
        }
        if LOWER_STREET_SUFFIXES.contains(&self.word(last + 1)) {
            last += 1;
        }
        self.push(number, last, Kind::Location, LOCATION);
    }

    /// "in boise", "in fort collins": a town of the gazetteer of up to three lower-case words.
    fn lower_town_at(&mut self, first: usize) {
        if let Some(last) = self.town_from(first, false) {
            self.push(first, last, Kind::Location, LOCATION - 5);
        }
    }

    /// Returns the last token of the longest gazetteer town of up to three words from `first`.
    /// Unless `everyday` allows it, a one-word town must be no everyday English word
    /// ("progress", "custody").
    pub(super) fn town_from(&self, first: usize, everyday: bool) -> Option<usize> {
        let mut key = String::new();
        let mut best = None;
        for length in 1..=3 {
            let token = first + length - 1;
            // A generic word may end a town ("kansas city") but never open one ("local").
            let excluded = if length == 1 {
                STOP | GENERIC | TITLE | ROLE | ABBREVIATION
            } else {
                STOP | TITLE | ROLE | ABBREVIATION
            };
            if !self.alpha(token) || self.has(token, excluded) {
                break;
            }
            if length > 1 {
                key.push(' ');
            }
            key.push_str(self.word(token));
            if self.lex.places.contains(key.as_str()) && !self.lex.states.contains(key.as_str()) {
                best = Some(token);
            }
        }
        let last = best?;
        if !everyday && last == first && self.e(first).is_everyday_word() {
            return None;
        }
        Some(last)
    }

    /// "maple ave and 14th st, boise": a town after a street and a comma.
    fn town_after_street(&mut self, next: usize) {
        if !self.t.is_punct(next, ',') {
            return;
        }
        if let Some(last) = self.town_from(next + 1, false) {
            self.push(next + 1, last, Kind::Location, LOCATION - 5);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{detect, Kind};

    fn spans(text: &str) -> Vec<(String, Kind)> {
        detect(text)
            .into_iter()
            .map(|span| (text[span.start..span.end].to_string(), span.kind))
            .collect()
    }

    #[test]
    fn lower_case_rank_and_name() {
        let found = spans("at 0200 ofc darnell pruitt and i arrived. ofc pruitt cuffed him.");
        assert!(
            found.contains(&("darnell pruitt".to_string(), Kind::Person)),
            "{found:?}"
        );
        assert!(found.contains(&("pruitt".to_string(), Kind::Person)), "{found:?}");
    }

    #[test]
    fn mixed_case_text_skips_lower_case_rules() {
        let found = spans("The officer said the suspect ran. He was arrested in Omaha.");
        assert!(!found.iter().any(|(_, kind)| *kind == Kind::Person), "{found:?}");
    }
}
