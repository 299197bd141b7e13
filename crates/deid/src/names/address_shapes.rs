//! Address rules that rest on address grammar rather than on a cue: military mail with unit and
//! box numbers, street names with the house number after them ("Király u. 15", "Hersnapvej
//! 75"), corners of two streets, an extra number before a house number, the address and
//! postal code lines below a found address, "1900 block of" before a street and the town after
//! a house address.

use super::{Rules, LOCATION};
use crate::lexicon::{ABBREVIATION, STATE, STATE_CODE, STOP, TITLE};
use crate::tokens::{Case, Class};
use crate::Kind;

/// Lower-case street words that follow the street name in other languages: Hungarian "u." and
/// "tér", Norwegian "gate", Estonian "tee" and "põik", French "terrasse".
const STREET_TYPES_AFTER: &[&str] = &[
    "u", "út", "útja", "utca", "tér", "körút", "gate", "gata", "gatan", "vej", "vei", "veien", "vegen",
    "tee", "põik", "katu", "tie", "kuja", "terrasse", "gasse", "weg", "allee", "platz", "kapu", "sor", "str",
];

/// Lower-case words inside street names that open with "Via", "Rue" or "Calle" ("Via dei
/// Fiorentini", "Jiřího z Poděbrad").
const STREET_PARTICLES: &[&str] = &[
    "de", "des", "du", "del", "dei", "degli", "delle", "della", "dello", "la", "le", "di", "da", "do", "das",
    "dos", "van", "von", "der", "den", "ten", "ter", "z", "y",
];

impl Rules<'_, '_> {
    /// Finds military mail: "Unit 0822 Box 8858" or "PSC 5420, Box 2708" and the "DPO AA 13319"
    /// line after it, and a ship name before an "FPO" line ("USCGC Khadzhiyev").
    pub(super) fn military_mail_at(&mut self, index: usize) {
        if !matches!(
            self.word(index),
            "unit" | "psc" | "cmr" | "uscgc" | "usns" | "uss" | "usnv"
        ) {
            return;
        }
        let number = |rules: &Self, token: usize| {
            rules
                .t
                .list
                .get(token)
                .is_some_and(|item| item.class == Class::Digit)
        };
        let boxed = if number(self, index + 1) {
            let after = if self.t.is_punct(index + 2, ',') {
                index + 3
            } else {
                index + 2
            };
            self.word(after) == "box" && number(self, after + 1)
        } else {
            false
        };
        let ship = !boxed && self.ship_before_post_office(index);
        if !(boxed || ship) {
            return;
        }
        let lower_case = self.t.list[index].case == Case::Lower;
        if let Some(last) = self.address_block(index, lower_case) {
            if last > index {
                self.push(index, last, Kind::Location, LOCATION - 10);
            }
        }
    }

    /// Tells whether the line after a ship word opens with "FPO", "APO" or "DPO".
    fn ship_before_post_office(&self, index: usize) -> bool {
        let mut token = index + 1;
        while token < self.t.len() && token - index <= 4 && !self.t.list[token].line_start {
            token += 1;
        }
        token < self.t.len()
            && self.t.list[token].line_start
            && matches!(self.word(token), "fpo" | "apo" | "dpo")
    }

    /// Finds a street name followed by its house number: one to three words, at least one of
    /// them a street word, or two of them no English words ("Erzsébet tér 19.", "Via dei Fiorentini 17",
    /// "Pod Floriánem 1677"), and then the end of the phrase.
    pub(super) fn number_after_street_at(&mut self, number: usize) {
        let item = &self.t.list[number];
        if number == 0 || self.t.raw(number).len() > 5 || item.line_start {
            return;
        }
        let next = number + 1;
        let closed = next >= self.t.len()
            || self.t.list[next].line_start
            || self.t.list[next].class == Class::Punct
            || matches!(self.word(next), "st" | "street")
            || super::UNIT_WORDS.contains(&self.word(next));
        if !closed {
            return;
        }

        let mut first = number;
        let mut evidence = false;
        let mut capitalised = false;
        let mut unknown_words = 0;
        while first > 0 && number - first < 5 {
            let previous = first - 1;
            if self.t.list[first].line_start {
                break;
            }
            if self.t.is_punct(previous, '.') && previous > 0 && self.word(previous - 1).chars().count() <= 3
            {
                // The period of "u." or "C." inside the street name.
                first = previous;
                continue;
            }
            if !self.alpha(previous) || self.has(previous, TITLE | ABBREVIATION) {
                break;
            }
            let word = self.word(previous);
            let street_word = STREET_TYPES_AFTER.contains(&word) || super::STREET_OPENERS.contains(&word);
            let token = &self.t.list[previous];
            let accepted = match token.case {
                Case::Lower => street_word || STREET_PARTICLES.contains(&word),
                Case::Title => !self.has(previous, STOP) || street_word,
                _ => false,
            };
            if !accepted {
                break;
            }
            // One unknown word before a number is as often a product or a chart ("Jepp
            // 10-9"), so a lone word counts only with a street word or letters outside ASCII.
            evidence |= street_word || (token.case == Case::Title && !word.is_ascii());
            unknown_words += usize::from(token.case == Case::Title && !self.common_at(previous));
            capitalised |= token.case == Case::Title;
            first = previous;
        }
        while first < number && !self.alpha(first) {
            first += 1;
        }
        evidence |= unknown_words >= 2;
        if first == number
            || !evidence
            || !capitalised
            || self.t.list[first].case == Case::Lower && !super::STREET_OPENERS.contains(&self.word(first))
        {
            return;
        }
        let last = self.unit_after(number, next);
        self.push(first, last, Kind::Location, LOCATION - 10);
    }

    /// Finds "the corner of X and Y" where X or Y carries a house number or a street word, and
    /// covers the whole phrase.
    pub(super) fn corner_phrase_at(&mut self, index: usize) {
        if self.word(index) != "corner" || self.word(index + 1) != "of" {
            return;
        }
        let lower_case = self.t.list[index].case == Case::Lower;
        let Some(first_end) = self.address_block(index + 2, lower_case) else {
            return;
        };
        // "the corner of Csabai kapu 39. and Mathias Pass": a period may close the first street.
        let joint = self.skip_period(first_end + 1);
        if !(self.word(joint) == "and" || self.t.is_punct(joint, '&')) {
            return;
        }
        let Some(last) = self.address_block(joint + 1, lower_case) else {
            return;
        };
        let has_number =
            (index + 2..=last).any(|token| matches!(self.t.list[token].class, Class::Digit | Class::Alnum));
        if !has_number {
            return;
        }
        let start = if index > 0 && self.word(index - 1) == "the" {
            index - 1
        } else {
            index
        };
        self.push(start, last, Kind::Location, LOCATION - 10);
    }

    /// Returns the last token of a country and postal code line after a blank line below an
    /// address ("Finland 80896"), or `last` when no such line follows.
    fn postal_line_after(&self, last: usize) -> usize {
        let below = last + 1;
        if below >= self.t.len() || !self.t.list[below].line_start {
            return last;
        }
        let mut token = below;
        while token < self.t.len()
            && token - below < 3
            && self.alpha(token)
            && self.t.list[token].case != Case::Lower
            && (token == below || !self.t.list[token].line_start)
        {
            token += 1;
        }
        let postal = token > below
            && token < self.t.len()
            && !self.t.list[token].line_start
            && self.t.list[token].class == Class::Digit
            && (4..=6).contains(&self.t.raw(token).len());
        let line_ends = token + 1 >= self.t.len() || self.t.list[token + 1].line_start;
        if postal && line_ends {
            token
        } else {
            last
        }
    }

    /// Extends every address found so far over a number right before it on the same line
    /// ("3378 217 Lovers Lane", "45818 P.O. Box 242"), over "Name and" before a street with
    /// its number, which names the corner of two streets ("Maarit and Hersnapvej 75"), and over
    /// the address lines right below it.
    pub(super) fn address_extensions(&mut self) {
        let mut extended = Vec::new();
        for candidate in &self.found {
            if candidate.kind != Kind::Location {
                continue;
            }
            let range = self.token_range(candidate.start, candidate.end);
            if range.is_empty() {
                continue;
            }
            let first = range.start;
            if self.caps(first) {
                continue;
            }
            let has_number = range
                .clone()
                .any(|token| matches!(self.t.list[token].class, Class::Digit | Class::Alnum));
            if !has_number {
                continue;
            }
            // Only a token on the same line can open the address.
            let same_line = first > 0 && !self.t.list[first].line_start;
            let previous = first.saturating_sub(1);
            let leading_number =
                same_line && self.t.list[previous].class == Class::Digit && self.t.raw(previous).len() <= 6;
            let corner = same_line
                && previous >= 1
                && self.word(previous) == "and"
                && !self.t.list[previous].line_start
                && self.alpha(previous - 1)
                && self.t.list[previous - 1].case == Case::Title
                && !self.has(previous - 1, STOP | TITLE)
                && self.t.list[first].class == Class::Alpha;
            let start = if leading_number {
                previous
            } else if corner {
                previous - 1
            } else {
                first
            };
            // An address that ends its line continues over the lines of its block ("Suite 321",
            // "LONDON", "United Kingdom 75419").
            let mut end = range.end - 1;
            let below = end + 1;
            if below < self.t.len()
                && self.t.list[below].line_start
                && !self.after_blank_line(below)
                && self.address_like_line(below)
            {
                if let Some(last) = self.address_block(below, false) {
                    end = last;
                }
            }
            end = self.postal_line_after(end);
            if start != first || end != range.end - 1 {
                extended.push((start, end));
            }
        }
        for (start, end) in extended {
            self.push(start, end, Kind::Location, LOCATION - 10);
        }
    }

    /// Returns the first token of "1900 block of" or "the 300 blk of" right before a street name
    /// that starts at `first`.
    pub(super) fn block_before(&self, first: usize) -> Option<usize> {
        if first < 3 || self.word(first - 1) != "of" || !matches!(self.word(first - 2), "block" | "blk") {
            return None;
        }
        self.house_number(first - 3).then_some(first - 3)
    }

    /// "77 N OAK ST, KENNEWICK.", "2215 S STATE ST OREM FOR": a gazetteer town right after a
    /// street, with or without a comma after a house address and with one after any other
    /// street. Punctuation or a state must close the town, or after a house address also a
    /// function word, since "on 5th Ave, Austin was with me" names a person.
    pub(super) fn town_after_address(&mut self, next: usize, house: bool) {
        let first = if self.t.is_punct(next, ',') {
            next + 1
        } else {
            next
        };
        if first >= self.t.len() || self.t.list[first].line_start {
            return;
        }
        let capitalised =
            (self.caps(first) || self.capitalised(first)) && !self.has(first, STATE | STATE_CODE);
        if !capitalised {
            return;
        }
        let Some(last) = self.town_from(first, true) else {
            return;
        };
        let after = last + 1;
        let closed = after >= self.t.len()
            || self.t.list[after].class == Class::Punct
            || self.has(after, STATE | STATE_CODE)
            || (house && self.has(after, STOP));
        if closed {
            self.push(first, last, Kind::Location, LOCATION - 5);
        }
    }
}
