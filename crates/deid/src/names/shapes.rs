//! Person rules that rest on the shape of a name rather than on a cue: full names typed in
//! lower case, lone capitalised names mid-sentence, and honorifics and suffixes around a name
//! that another rule found. Also the single pass that runs them with the address shape rules.

use super::{is_possessive, Rules, PERSON, SUBJECT_VERBS};
use crate::lexicon::{ABBREVIATION, GENERIC, MODAL, PLACE, ROLE, STATE, STOP, TITLE};
use crate::tokens::{Case, Class};
use crate::Kind;

/// Endings of surnames in many European languages ("Andersson", "Krylova", "Jerković").
const SURNAME_ENDINGS: &[&str] = &[
    "sson", "sen", "son", "ova", "eva", "ov", "ev", "ić", "ski", "ska", "sky", "dóttir", "berg", "ström",
    "nen", "poulos", "escu", "ini", "elli", "enko", "vić",
];

/// Words that precede a name as part of it ("Mrs. Kathrine Filemonsen").
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof"];

/// Words that follow a name as part of it ("Kevin Veitonen II", "Giovanna Rodrigues MD").
const NAME_SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "md", "dds", "phd", "esq", "dvm", "rn",
];

impl Rules<'_, '_> {
    /// Tells whether a lower-case token can be one word of a full name typed in lower case.
    fn lower_name_word(&self, index: usize) -> bool {
        self.alpha(index)
            && self.t.list[index].case == Case::Lower
            && !self.common_at(index)
            && !self.has(index, STOP | TITLE | ABBREVIATION | STATE | GENERIC)
            && !self.is_placeholder(index)
            && self.word(index).chars().count() >= 2
    }

    /// Runs the per-token person and address shape rules in one pass over the tokens that are
    /// not typed in capitals, which none of these rules reads.
    pub(super) fn shape_rules(&mut self) {
        let mut names_resume = 0;
        let mut lists_resume = 0;
        for index in 0..self.t.len() {
            let token = &self.t.list[index];
            if token.caps {
                continue;
            }
            match (token.class, token.case) {
                (Class::Digit, _) => self.number_after_street_at(index),
                (Class::Alpha, Case::Lower) => {
                    if index >= lists_resume {
                        if let Some(last) = self.lower_case_name_list_at(index) {
                            lists_resume = last + 1;
                        }
                    }
                    if index >= names_resume {
                        if let Some(last) = self.lower_case_name_at(index) {
                            names_resume = last + 1;
                        }
                    }
                    self.lower_case_cue_at(index);
                    self.lower_case_single_name_at(index);
                    self.military_mail_at(index);
                    self.corner_phrase_at(index);
                }
                (Class::Alpha, _) => {
                    self.lone_name_at(index);
                    self.military_mail_at(index);
                }
                _ => {}
            }
        }
    }

    /// Tells whether a lower-case token is a listed first name, English word or not ("eric").
    fn lower_first_name(&self, index: usize) -> bool {
        self.alpha(index)
            && self.t.list[index].case == Case::Lower
            && self.e(index).is_first_name()
            && !self.has(index, STOP | TITLE | ABBREVIATION | STATE | GENERIC | MODAL)
            && !self.is_placeholder(index)
    }

    /// Finds a full name typed in lower case at `index`: a listed first name and a word that is
    /// no English word ("lena andersson", "frank oyelaran"), or a first name and a surname around
    /// an initial ("emidio p lombardo", "eric j. halvorsen"). Returns the last token of the name.
    fn lower_case_name_at(&mut self, index: usize) -> Option<usize> {
        let unlisted_word = self.lower_name_word(index);
        let first_name = self.lower_first_name(index);
        if index + 1 >= self.t.len() || !(unlisted_word || first_name) || self.word(index).chars().count() < 3
        {
            return None;
        }
        let letter = self.alpha(index + 1)
            && self.t.list[index + 1].case == Case::Lower
            && self.t.raw(index + 1).chars().count() == 1
            && !matches!(self.word(index + 1), "i" | "o");
        if letter {
            // "a" is an initial only before a word that is no English word ("eric a halvorsen").
            let last = self.skip_period(index + 2);
            let article = self.word(index + 1) == "a";
            let surname = self.alpha(last)
                && self.t.list[last].case == Case::Lower
                && !self.t.list[last].line_start
                && (self.lower_name_word(last)
                    || (!article
                        && first_name
                        && self.e(last).is_surname()
                        && !self.has(last, STOP | MODAL)));
            if surname && (first_name || (unlisted_word && !article)) {
                self.push(index, last, Kind::Person, PERSON - 10);
                return Some(last);
            }
        }
        let last = index + 1;
        if !self.lower_name_word(last) || self.t.list[last].line_start {
            return None;
        }
        let first_listed = self.e(index).is_first_name();
        let surname_listed = self.e(last).is_surname();
        let shaped = if unlisted_word {
            first_listed || (surname_listed && self.e(index).is_name())
        } else {
            // A first name that is also an English word ("frank") counts only when it is a
            // frequent first name.
            self.e(index).is_well_known_name() && first_listed
        };
        if shaped {
            self.push(index, last, Kind::Person, PERSON - 10);
            return Some(last);
        }
        None
    }

    /// Finds, in mixed-case text, a single capitalised word inside a sentence that is no English
    /// word and no place, and is either a census first name or shaped like a surname
    /// ("Christiansen", "Yefremova") or spelled with letters outside ASCII ("Živković").
    fn lone_name_at(&mut self, index: usize) {
        let token = &self.t.list[index];
        if index == 0
            || token.sentence_start
            || token.line_start
            || token.case != Case::Title
            || self.common_at(index)
            || self.has(index, STOP | TITLE | ABBREVIATION | STATE | GENERIC)
            || self.is_placeholder(index)
        {
            return;
        }

        let word = self.word(index);
        if word.chars().count() < 3 {
            return;
        }

        // A first name that is also a town ("Emma", "Bradley") is left to the place rules,
        // since airports and towns named so are frequent in aviation reports.
        if self.in_place[index] || self.has(index, PLACE) {
            return;
        }
        // A word inside a run of capitalised words is part of a longer proper name, which
        // other rules judge as a whole.
        let previous = &self.t.list[index - 1];
        let next_capitalised = self
            .t
            .list
            .get(index + 1)
            .is_some_and(|next| next.class == Class::Alpha && next.case != Case::Lower);
        if (previous.class == Class::Alpha && previous.case != Case::Lower) || next_capitalised {
            return;
        }

        let shaped = SURNAME_ENDINGS.iter().any(|ending| word.ends_with(ending));
        // Census surnames alone include many product and trade words ("Honeywell"), so
        // only first names count without a surname ending.
        if self.e(index).is_first_name() || shaped || !word.is_ascii() {
            self.push(index, index, Kind::Person, PERSON - 15);
        }
    }

    fn name_list_member(&self, token: usize) -> bool {
        self.alpha(token)
            && self.t.list[token].case == Case::Lower
            && !self.has(token, STOP | TITLE | ABBREVIATION | STATE | GENERIC)
            && (self.e(token).is_first_name() || !self.common_at(token))
    }

    /// Finds an enumeration of single names typed in lower case from `index`: three or more
    /// words joined by commas and a final "and", most of them listed first names ("silvana,
    /// adam, christopher and caleb"). Returns the last member whether or not the list counts.
    fn lower_case_name_list_at(&mut self, index: usize) -> Option<usize> {
        if !self.name_list_member(index) {
            return None;
        }
        let mut last = index;
        let mut members = 1;
        let mut listed = usize::from(self.e(index).is_first_name());
        let mut next = index + 1;
        let mut closed = false;
        while next + 1 < self.t.len() {
            let member = if self.t.is_punct(next, ',') && self.word(next + 1) == "and" {
                closed = true;
                next + 2
            } else if self.word(next) == "and" {
                closed = true;
                next + 1
            } else if self.t.is_punct(next, ',') {
                next + 1
            } else {
                break;
            };
            if !self.name_list_member(member) {
                closed = false;
                break;
            }
            last = member;
            members += 1;
            listed += usize::from(self.e(member).is_first_name());
            if closed {
                break;
            }
            next = member + 1;
        }
        if closed && members >= 3 && listed * 3 >= members * 2 {
            for token in index..=last {
                if self.alpha(token) && self.word(token) != "and" {
                    self.push(token, token, Kind::Person, PERSON - 10);
                }
            }
        }
        Some(last)
    }

    /// Finds a listed first name typed in lower case, alone, where the sentence shows that it
    /// names a person. The name opens a sentence before a verb that people do ("nadia was at"),
    /// opens a line of dialogue ("nadia: where are you?"), or is in the possessive before a
    /// role noun ("teodor's brother"). Names that are also English words ("frank") are left out.
    fn lower_case_single_name_at(&mut self, index: usize) {
        if !self.lower_first_name(index) || self.common_at(index) || self.word(index).chars().count() < 3 {
            return;
        }
        let token = &self.t.list[index];
        let subject = token.sentence_start && SUBJECT_VERBS.contains(&self.word(index + 1));
        let speaker = token.line_start && self.t.is_punct(index + 1, ':') && !self.t.is_punct(index + 2, '/');
        let owner = is_possessive(self.word(index)) && self.alpha(index + 1) && self.has(index + 1, ROLE);
        if subject || speaker || owner {
            self.push(index, index, Kind::Person, PERSON - 10);
        }
    }

    /// Finds a name typed in lower case right after a phrase that introduces a name ("my name
    /// is vitoria", "calls me borna") or after an honorific ("mr. elliott").
    fn lower_case_cue_at(&mut self, index: usize) {
        let word = self.word(index);
        let first = match word {
            "name" if matches!(self.word(index + 1), "is" | "was") => index + 2,
            "call" | "calls" if self.word(index + 1) == "me" => index + 2,
            "named" => index + 1,
            "mr" | "mrs" | "ms" | "miss" | "mx" | "dr" | "prof" => self.skip_period(index + 1),
            _ => return,
        };
        if first >= self.t.len() || self.t.list[first].line_start || !self.lower_name_word(first) {
            return;
        }
        let last = if self.lower_name_word(first + 1) && !self.t.list[first + 1].line_start {
            first + 1
        } else {
            first
        };
        self.push(first, last, Kind::Person, PERSON - 10);
    }

    /// Extends every person name found so far over an honorific before it ("Dr.") and a
    /// generational or degree suffix after it ("II", "MD").
    pub(super) fn name_affixes(&mut self) {
        let mut extended = Vec::new();
        for candidate in &self.found {
            if candidate.kind != Kind::Person {
                continue;
            }
            let range = self.token_range(candidate.start, candidate.end);
            if range.is_empty() {
                continue;
            }
            let (first, last) = (range.start, range.end - 1);

            let mut start = first;
            let before = if first >= 2 && self.t.is_punct(first - 1, '.') {
                first - 2
            } else {
                first.wrapping_sub(1)
            };
            if before < first && HONORIFICS.contains(&self.word(before)) {
                start = before;
            }

            let mut end = last;
            let after = if self.t.is_punct(last + 1, ',') {
                last + 2
            } else {
                last + 1
            };
            if self.alpha(after)
                && !self.t.list[after].line_start
                && self.t.list[after].case != Case::Lower
                && NAME_SUFFIXES.contains(&self.word(after))
            {
                end = after;
            }
            if start != first || end != last {
                extended.push((start, end));
            }
        }
        for (start, end) in extended {
            self.push(start, end, Kind::Person, PERSON);
        }
    }
}
