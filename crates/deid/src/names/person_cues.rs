//! Person rules around cues that police reports use: a date of birth after a name, a role
//! noun before a name in capitals, and later mentions of a surname that is also an English
//! word. Also full names of listed or rare words after a rank or a phrase such as "custody of".

use super::{
    has_vowel, is_possessive, is_verb_like, strip_possessive, Rules, MAX_NAME_TOKENS, PERSON, RARE_WORD_RANK,
    SUBJECT_VERBS,
};
use crate::lexicon::{
    ABBREVIATION, AGENCY_ANCHOR, GENERIC, MODAL, ROLE, STATE, STOP, TITLE, WELL_KNOWN_FIRST_NAME_RANK,
};
use crate::tokens::{Case, Class};
use crate::{Candidate, Kind};

/// First words of two-word family names made of an adjective and a noun: "Black Elk", "Little
/// Thunder", "Two Bulls".
const DESCRIPTIVE_NAME_WORDS: &[&str] = &[
    "little", "red", "black", "white", "running", "two", "spotted", "crazy", "yellow", "lone", "big", "many",
    "iron", "standing", "walking", "sitting", "high", "swift", "tall", "long", "kills", "brave", "grey",
    "gray", "blue", "old", "three", "four",
];

impl Rules<'_, '_> {
    /// Finds two name-shaped words after a police rank, where each may be a rare English word
    /// ("CPL. VANG THAO", "SGT. OLUWASEUN ADEYEMI"), or a listed first name and a listed surname that
    /// are both everyday words ("Sgt Grace Cook"). Returns the last token of the pair.
    pub(super) fn name_pair_after_rank(&self, rank: usize, first: usize) -> Option<usize> {
        if let Some(last) = self.listed_name_run(first) {
            return Some(last);
        }
        // Aviation reports use "CAPT", "AGENT" and "FIRST OFFICER" for crew and airline staff,
        // but no airline has a "SPECIAL AGENT".
        let special_agent = self.word(rank) == "agent" && self.word(rank.wrapping_sub(1)) == "special";
        let aviation_rank = !special_agent
            && (matches!(
                self.word(rank),
                "captain" | "capt" | "cpt" | "agent" | "agents" | "agt" | "chief"
            ) || (self.word(rank) == "officer" && self.word(rank.wrapping_sub(1)) == "first"));
        if !self.lex.police_ranks.contains(self.word(rank)) || aviation_rank {
            return None;
        }
        if self.t.list[rank].case == Case::Lower {
            return self.lower_pair_after_rank(first);
        }
        if !self.caps(rank) {
            return None;
        }
        let rare = |token: usize| {
            let entry = self.e(token);
            let word = self.word(token);
            self.alpha(token)
                && self.caps(token)
                && word.chars().count() >= 2
                && has_vowel(word)
                && !self.is_placeholder(token)
                && !entry.has(STOP | TITLE | ABBREVIATION | MODAL | STATE | GENERIC | AGENCY_ANCHOR)
                && (entry.is_name() || !is_verb_like(word))
                && (entry.is_name() || !entry.common() || entry.common_rank >= RARE_WORD_RANK)
        };
        (rare(first) && rare(first + 1)).then_some(first + 1)
    }

    /// Finds a lower-case name after a lower-case rank in a text that is not wholly lower case:
    /// a listed first name, a word in no list or a rare English word, then a listed surname
    /// ("officer hope miller", "sgt. pao vang"). Returns the last token of the pair.
    fn lower_pair_after_rank(&self, first: usize) -> Option<usize> {
        let shaped = |token: usize| {
            self.alpha(token)
                && self.t.list[token].case == Case::Lower
                && self.word(token).chars().count() >= 2
                && !self.has(
                    token,
                    STOP | TITLE | ABBREVIATION | MODAL | STATE | ROLE | GENERIC,
                )
        };
        let opening = self.e(first);
        let opens = (opening.is_first_name() || !opening.common() || opening.common_rank >= RARE_WORD_RANK)
            && (opening.is_name() || !is_verb_like(self.word(first)));
        let surname = self.e(first + 1);
        let closes = surname.is_surname() && !is_verb_like(self.word(first + 1));
        (shaped(first) && shaped(first + 1) && opens && closes).then_some(first + 1)
    }

    /// Finds a listed first name followed by one or two listed names ("MARIA LITTLE HAWK",
    /// "Daisy Hill", "NGUYEN VAN THANH"), for callers whose context already points to a person, since
    /// many such names are also English words. In lower case the first name must be a well-known
    /// first name or no everyday English word ("mary fox", "harold fisher"). Returns the last
    /// token.
    pub(super) fn listed_name_run(&self, first: usize) -> Option<usize> {
        let shaped = |token: usize| {
            self.alpha(token)
                && !self.t.list[token].line_start
                && self.word(token).chars().count() >= 2
                && !self.has(token, STOP | TITLE | ABBREVIATION | MODAL | STATE | ROLE)
                && !is_possessive(self.word(token))
        };

        let opening = self.e(first);
        let lower = self.t.list.get(first)?.case == Case::Lower;
        // Vietnamese names put the family name first, with "Van" or "Thi" in the middle:
        // "Nguyen Van Thanh".
        let vietnamese = opening.is_surname() && matches!(self.word(first + 1), "van" | "thi");
        if !shaped(first)
            || !(opening.is_first_name() || vietnamese)
            || (lower && opening.is_everyday_word() && !opening.is_well_known_name())
        {
            return None;
        }

        let same_case = |token: usize| {
            if lower {
                self.t.list[token].case == Case::Lower
            } else {
                self.caps(token) == self.caps(first) && self.capitalised(token)
            }
        };
        if vietnamese {
            let given_name = first + 2;
            let given_name_shaped = shaped(given_name)
                && same_case(given_name)
                && (self.e(given_name).is_name() || !self.common_at(given_name));
            return given_name_shaped.then_some(given_name);
        }

        let descriptive = DESCRIPTIVE_NAME_WORDS.contains(&self.word(first + 1));
        if !shaped(first + 1) || !same_case(first + 1) || !(self.e(first + 1).is_surname() || descriptive) {
            return None;
        }

        let mut last = first + 1;
        let third = last + 1;
        let third_shaped =
            third < self.t.len() && shaped(third) && same_case(third) && !self.is_placeholder(third);
        // Many Lakota, Cheyenne and other Plains family names are an adjective and a noun
        // ("Little Thunder", "Spotted Elk"), whose noun need not be a listed name.
        let compound = DESCRIPTIVE_NAME_WORDS.contains(&self.word(last)) && !is_verb_like(self.word(third));
        if third_shaped && ((self.e(third).is_name() && !self.in_place[third]) || compound) {
            last = third;
        } else if !self.e(last).is_surname() {
            return None;
        }
        Some(last)
    }

    /// Tells whether token `first` is a well-known first name alone after "told" and before
    /// "that", "to" or punctuation: "SHE TOLD NANCY THAT". Pronouns and crew words ("TOLD HIM
    /// THAT", "TOLD CAPT TO") are never first names.
    pub(super) fn is_first_name_after_told(&self, first: usize) -> bool {
        let entry = self.e(first);
        let closed = first + 1 >= self.t.len()
            || self.t.list[first + 1].class == Class::Punct
            || matches!(self.word(first + 1), "that" | "to");
        self.alpha(first)
            && self.capitalised(first)
            && entry.first_name_rank < WELL_KNOWN_FIRST_NAME_RANK
            && !entry.has(STOP | TITLE | ROLE | MODAL | ABBREVIATION | STATE)
            && !self.in_place[first]
            && closed
    }

    /// "THE WOMAN WHO REPORTED IT, LEILANI KAUHANE, SAID": in capitals, or in lower case after
    /// a role noun, two words that no list contains, between commas.
    pub(super) fn unknown_pair_between_commas(&mut self) {
        for comma in 0..self.t.len().saturating_sub(3) {
            if !self.t.is_punct(comma, ',') || !self.t.is_punct(comma + 3, ',') {
                continue;
            }
            // In lower case a role noun must open the pair: "the man, keala palakiko, ran".
            let after_role = comma > 0 && self.has(comma - 1, ROLE);
            let lower_after_role = after_role
                && self
                    .t
                    .list
                    .get(comma + 1)
                    .is_some_and(|token| token.case == Case::Lower);
            let unknown = |token: usize| {
                let word = self.word(token);
                let entry = self.e(token);
                // In lower case a listed name counts too, but no English word.
                let unlisted = if lower_after_role {
                    self.t.list[token].case == Case::Lower
                        && !entry.common()
                        && !entry.has(STOP | TITLE | ABBREVIATION | STATE | ROLE)
                } else {
                    self.caps(token) && entry.is_unknown()
                };
                self.alpha(token)
                    && unlisted
                    && word.len() >= 4
                    && has_vowel(word)
                    && !self.is_placeholder(token)
                    && !is_verb_like(word)
            };
            if unknown(comma + 1) && unknown(comma + 2) {
                self.push(comma + 1, comma + 2, Kind::Person, PERSON - 10);
            }
        }
    }

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
