//! Person rules around cues that police reports use: a date of birth after a name, a role
//! noun before a name in capitals, and later mentions of a surname that is also an English word.

use super::{strip_possessive, Rules, MAX_NAME_TOKENS, PERSON, SUBJECT_VERBS};
use crate::lexicon::{MODAL, ROLE, STOP};
use crate::tokens::{Case, Class};
use crate::{Candidate, Kind};

impl Rules<'_, '_> {
    /// "Esteban Salinas, DOB 02/03/1985", "ANA RUIZ (DOB 3/2/88)": the words before a date of
    /// birth at token `dob` name its owner. Two or more capitalised words count, or one listed
    /// name.
    pub(super) fn name_before_birth_date_at(&mut self, dob: usize) {
        if dob < 2 || !(self.t.is_punct(dob - 1, ',') || self.t.is_punct(dob - 1, '(')) {
            return;
        }
        let last = dob - 2;
        let mut first = dob - 1;
        while first > 0 && last + 1 - first < MAX_NAME_TOKENS {
            let previous = first - 1;
            let word = self.loose_name_word(previous) && !self.has(previous, ROLE);
            if !(word || self.is_initial(previous)) {
                break;
            }
            first = previous;
        }
        if first > last {
            return;
        }
        let words = (first..=last).filter(|token| self.alpha(*token)).count();
        if words >= 2 || self.e(last).is_name() {
            self.push(first, last, Kind::Person, PERSON);
        }
    }

    /// "DRIVER OLUWASEUN ODUYA EXITED", "SUSPECT ANDREI SORENSEN FLED": in capitals a role noun
    /// at token `role` and two or three words that are no English words, or a listed first
    /// name and a surname.
    pub(super) fn caps_role_name_at(&mut self, role: usize) {
        let first = role + 1;
        let mut last = role;
        while last + 1 < self.t.len() && last - role < 3 && self.caps(last + 1) && self.name_word(last + 1) {
            last += 1;
        }
        if last < first + 1 {
            return;
        }
        let uncommon = (first..=last).all(|token| !self.common_at(token));
        let first_name = self.e(first).is_first_name() && self.e(last).is_surname();
        let places = (first..=last).any(|token| self.in_place[token]);
        if (uncommon || first_name) && !places {
            self.push(first, last, Kind::Person, PERSON);
        }
    }

    /// Marks later mentions of a surname that is also an English word ("Bishop", "Fields",
    /// "Hunter") once a full name ended with it ("Marcus Bishop"). Only a mention in title case
    /// in mixed-case text counts, and at the start of a sentence only before a verb or as a
    /// possessive ("Bishop was later found", "Bishop's car"), since "Fields" alone opens
    /// many sentences about fields.
    pub(super) fn propagate_word_surnames(&mut self) {
        let mut surnames: Vec<&str> = Vec::new();
        for candidate in &self.found {
            if candidate.kind != Kind::Person {
                continue;
            }
            let range = self.token_range(candidate.start, candidate.end);
            let words = range.clone().filter(|token| self.alpha(*token)).count();
            let Some(last) = range.clone().last() else {
                continue;
            };
            let entry = self.e(last);
            let title_case = self.t.list[last].case == Case::Title && !self.caps(last);
            if words >= 2 && title_case && entry.common() && entry.is_name() && !entry.has(STOP | MODAL) {
                let word = self.t.word(last);
                if !surnames.contains(&word) {
                    surnames.push(word);
                }
            }
        }
        if surnames.is_empty() {
            return;
        }
        let tokens = self.t;
        for index in 0..tokens.len() {
            let token = &tokens.list[index];
            if token.class != Class::Alpha || token.case != Case::Title || token.caps {
                continue;
            }
            let word = tokens.word(index);
            let stem = strip_possessive(word);
            if !surnames.contains(&stem) {
                continue;
            }
            let next = tokens.word(index + 1);
            let before_verb = SUBJECT_VERBS.contains(&next)
                || matches!(
                    next,
                    "did" | "does" | "would" | "could" | "will" | "then" | "also"
                )
                || (next.len() > 4 && next.ends_with("ed"));
            if !token.sentence_start || before_verb || stem != word {
                // The span ends before the "'s" of a possessive.
                let end = token.start + strip_possessive(tokens.raw(index)).len();
                self.found
                    .push(Candidate::new(token.start, end, Kind::Person, PERSON - 5));
            }
        }
    }
}
