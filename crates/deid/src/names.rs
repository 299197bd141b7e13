//! Context detectors over tokens: person names, agency names and locations, found from ranks and
//! titles, cue phrases, suffix words (Avenue, County, Police Department), the census and
//! gazetteer lists, and capitalisation where the text is not typed in capitals.

use crate::lexicon::{
    Entry, Lexicon, ABBREVIATION, ADDRESS_CUE_START, AGENCY_ANCHOR, AREA_WORD, CORNER_WORD, CUE_START,
    GENERIC, LANDMARK_START, LEXICON, MODAL, PLACE_FIRST_WORD, PLACE_PREPOSITION, ROLE, STATE, STATE_CODE,
    STOP, STREET_GENERIC, STREET_SUFFIX, TITLE,
};
use crate::tokens::{Case, Class, Tokens};
use crate::{Candidate, Kind};

mod address_shapes;
mod lower_case;
mod person_cues;
mod products;
pub(crate) use products::is_listed_make;
mod shapes;

/// Maximum length, in tokens, of a gazetteer entry that the place matcher tries.
const MAX_PLACE_TOKENS: usize = 4;
/// Maximum length, in tokens, of a person name, initials included.
const MAX_NAME_TOKENS: usize = 5;

/// A census name that is also an English word less frequent than this rank ("HUFF") counts as a
/// name in ALL-CAPS text where the context points to a name.
const RARE_WORD_RANK: u32 = 10000;

const PERSON: u8 = 50;
const AGENCY: u8 = 55;
const LOCATION: u8 = 45;

/// Phrases after which a name follows: "identified as", "came back to". Those up to
/// `STRONG_CUES` are strong enough to take a well-known surname that is also a word.
const STRONG_CUES: usize = 15;
const CUES: &[&[&str]] = &[
    &["identified", "as"],
    &["id'd", "as"],
    &["idd", "as"],
    &["ided", "as"],
    &["known", "as"],
    &["named"],
    &["name", "is"],
    &["name", "was"],
    &["came", "back", "to"],
    &["comes", "back", "to"],
    &["registered", "to"],
    &["by", "the", "name", "of"],
    &["goes", "by"],
    &["alias"],
    &["aka"],
    &["spoke", "with"],
    &["spoke", "to"],
    &["talked", "to"],
    &["interviewed"],
    &["i", "am"],
    &["this", "is"],
    &["married", "to"],
    &["says"],
    &["said"],
    &["hi"],
    &["hello"],
    &["dear"],
    &["shouted", "at"],
    &["speak", "to"],
    &["call", "me"],
    &["calls", "me"],
    &["named", "him"],
    &["named", "her"],
    &["follow", "up", "with"],
    &["i'm"],
    &["i’m"],
    &["son", "of"],
    &["daughter", "of"],
];

/// Phrases after which a listed first name and one or two listed surnames name a person even
/// when each is also an English word: "took custody of MARIA LITTLE HAWK", "held Nguyen Van Thanh".
/// A single word or a pair off the name lists never counts after these.
const PAIR_CUES: &[&[&str]] = &[
    &["custody", "of"],
    &["flagged", "down", "by"],
    &["held"],
    &["told"],
    &["involving"],
    &["arrested"],
    &["detained"],
    &["cited"],
];

/// Airline and airport jobs, which take a name between commas like a role noun.
const CREW_JOBS: &[&str] = &[
    "attendant",
    "pilot",
    "copilot",
    "purser",
    "mechanic",
    "controller",
    "crewmember",
    "representative",
];

/// Places run by police, clinics and transport, which a town's name before them locates.
const FACILITIES: &[&str] = &[
    "substation",
    "precinct",
    "station",
    "barracks",
    "clinic",
    "hospital",
    "jail",
    "courthouse",
];

const AGENCY_WORDS: &[&str] = &[
    "federal",
    "state",
    "highway",
    "county",
    "city",
    "town",
    "township",
    "village",
    "parish",
    "borough",
    "housing",
    "authority",
    "transit",
    "university",
    "college",
    "campus",
    "metro",
    "metropolitan",
    "regional",
    "tribal",
    "port",
    "school",
    "schools",
    "district",
    "community",
    "park",
    "parks",
    "airport",
    "international",
    "capitol",
    "public",
    "independent",
    "area",
    "unified",
    "consolidated",
    "police",
    "department",
    "dept",
    "auth",
];

const AGENCY_TAILS: &[&str] = &[
    "department",
    "dept",
    "force",
    "service",
    "services",
    "division",
    "bureau",
    "office",
    "agency",
    "unit",
];

/// Phrases after which an address follows: "lives at", "address is", "Address:".
const ADDRESS_CUES: &[&[&str]] = &[
    &["lives", "at"],
    &["lived", "at"],
    &["live", "at"],
    &["located", "at"],
    &["located", "on"],
    &["address", "is"],
    &["address", ":"],
    &["addresses", ":"],
    &["address", "to"],
    &["address", "with"],
    &["meet", "me", "at"],
    &["meet", "you", "at"],
    &["sent", "to"],
    &["send", "it", "to"],
    &["return", "to"],
    &["drops", "you", "off", "at"],
    &["office", "is", "at"],
    &["is", "at"],
    &["lives", "on"],
    &["live", "in"],
    &["lived", "in"],
    &["moved", "to"],
    &["taxi", "to"],
    &["following", "?"],
    &["it", "is"],
    &["side", "of"],
];

/// Verbs after which a capitalised word opening a sentence is a person's name: "Mehrudin
/// shouted at".
const SUBJECT_VERBS: &[&str] = &[
    "said",
    "says",
    "shouted",
    "yelled",
    "told",
    "asked",
    "is",
    "was",
    "had",
    "has",
    "began",
    "stated",
    "lives",
    "lived",
    "called",
    "wrote",
    "explained",
    "screamed",
    "ran",
    "refused",
    "admitted",
    "denied",
];

/// Lower-case particles inside family names: Dutch, German, French, Italian, Spanish,
/// Portuguese, Arabic and Scandinavian ("van der", "von", "de la", "dos", "bin", "af").
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "ter", "ten", "de", "del", "della", "la", "le", "du", "da", "di", "dos",
    "das", "bin", "ibn", "af",
];

/// Lower-case words that occur inside street names in many languages ("Rue de Virton").
const ADDRESS_PARTICLES: &[&str] = &[
    "de", "des", "du", "del", "della", "la", "le", "di", "da", "do", "dos", "van", "von", "der", "den",
    "nad", "u", "rkp", "str", "ul", "nan", "y", "e", "und", "el", "al", "st", "ave", "apt", "suite", "box",
    "unit",
];

/// Lower-case words that end an address typed in lower case: "meet me at 2407 tawastintie 6
/// after the concert".
const ADDRESS_ENDINGS: &[&str] = &[
    "after", "before", "for", "if", "when", "please", "last", "tonight", "tomorrow", "today", "because",
];

/// Words that open a street name in other languages, after a house number: "6138 Via Roma".
const STREET_OPENERS: &[&str] = &[
    "via",
    "rue",
    "rua",
    "calle",
    "avenida",
    "avenue",
    "strada",
    "piazza",
    "plaza",
    "ul",
    "trg",
    "chemin",
    "camino",
    "praça",
    "largo",
    "viale",
    "corso",
    "str",
    "ulica",
    "utca",
    "place",
    "boulevard",
];

const UNIT_WORDS: &[&str] = &[
    "apt",
    "apartment",
    "suite",
    "ste",
    "unit",
    "rm",
    "room",
    "lot",
    "trlr",
    "bldg",
    "building",
    "space",
    "no",
];

const DIRECTIONS: &[&str] = &[
    "n",
    "s",
    "e",
    "w",
    "ne",
    "nw",
    "se",
    "sw",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

const STREET_CUES: &[&str] = &[
    "on", "onto", "at", "near", "of", "down", "up", "along", "off", "via", "to", "from", "into", "across",
    "crossing", "crossed", "by", "past", "toward", "towards", "and", "in",
];

pub(crate) fn find(tokens: &Tokens, out: &mut Vec<Candidate>) {
    let mut rules = Rules::new(tokens);
    rules.places();
    rules.titles();
    rules.cues();
    rules.appositions();
    rules.unknown_pair_between_commas();
    rules.coordinations();
    rules.first_names();
    rules.capitalised_pairs();
    rules.name_lists();
    rules.name_lines();
    rules.shape_rules();
    rules.lower_case_text();
    // Trade names go before propagation, so that "Hyundai" found once is not copied to every mention.
    rules.drop_products();
    rules.propagate_names();
    rules.name_affixes();
    rules.agencies();
    rules.streets();
    rules.corners();
    rules.counties();
    rules.gazetteer();
    rules.landmarks();
    rules.city_state();
    rules.address_cues();
    rules.address_lines();
    rules.address_extensions();
    rules.drop_products();
    out.append(&mut rules.found);
}

/// Strength of the context before a name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameContext {
    /// Every word must look like a name.
    Plain,
    /// After a rank or title the first word may also be an English word ("Officer Lanka").
    AfterTitle,
    /// Between commas after a role noun, any capitalised word counts ("the mother, CALVIN MAY,").
    Enclosed,
    /// After a listed first name, a well-known surname that is also a word counts ("DANIEL GRANT").
    AfterFirstName,
}

struct Rules<'a, 't> {
    t: &'a Tokens<'t>,
    lex: &'static Lexicon,
    /// Tokens in the longest gazetteer match starting at each token, or 0.
    place_len: Vec<u8>,
    in_place: Vec<bool>,
    /// The lexicon entry of each word token; the default entry for other tokens.
    entries: Vec<Entry>,
    found: Vec<Candidate>,
}

impl<'a, 't> Rules<'a, 't> {
    fn new(t: &'a Tokens<'t>) -> Self {
        let length = t.len();
        let lex = &*LEXICON;
        let entries = (0..length)
            .map(|index| {
                let token = &t.list[index];
                if token.class != Class::Alpha {
                    return Entry::default();
                }
                let word = t.lower(index);
                let mut entry = lex.entry(word);
                if entry.is_unknown() {
                    if let Some(stem) = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
                        entry = Entry::of_possessive(lex.entry(stem));
                    } else if is_agency_acronym(t.raw(index), token.case) {
                        entry.flags |= AGENCY_ANCHOR;
                    }
                }
                if (!token.caps && is_mixed_case_agency_initials(t.raw(index)))
                    || caps_agency_initials(t, index)
                {
                    entry.flags |= AGENCY_ANCHOR;
                }
                if !token.caps {
                    entry.admit_given_name();
                }
                entry
            })
            .collect();
        Rules {
            t,
            lex,
            place_len: vec![0; length],
            in_place: vec![false; length],
            entries,
            found: Vec::new(),
        }
    }

    fn e(&self, index: usize) -> Entry {
        self.entries.get(index).copied().unwrap_or_default()
    }

    fn has(&self, index: usize, flag: u32) -> bool {
        self.e(index).has(flag)
    }

    fn common_at(&self, index: usize) -> bool {
        self.e(index).common()
    }

    fn push(&mut self, first: usize, last: usize, kind: Kind, priority: u8) {
        let start = self.t.list[first].start;
        let end = self.t.list[last].end;
        self.found.push(Candidate::new(start, end, kind, priority));
    }

    fn word(&self, index: usize) -> &str {
        self.t.word(index)
    }

    fn alpha(&self, index: usize) -> bool {
        index < self.t.len() && self.t.list[index].class == Class::Alpha
    }

    fn caps(&self, index: usize) -> bool {
        index < self.t.len() && self.t.list[index].caps
    }

    fn capitalised(&self, index: usize) -> bool {
        index < self.t.len() && matches!(self.t.list[index].case, Case::Title | Case::Upper)
    }

    /// Tells whether token `index` is an initial: a capital letter with a period ("E."), or
    /// without one unless it reads as a word ("A", "I") or a placeholder ("X", "Y", "Z").
    fn is_initial(&self, index: usize) -> bool {
        if !self.alpha(index)
            || self.t.list[index].case != Case::Upper
            || self.t.raw(index).chars().count() != 1
        {
            return false;
        }
        let raw = self.t.raw(index);
        self.t.is_punct(index + 1, '.')
            || !matches!(raw, "A" | "I" | "X" | "Y" | "Z")
            || (raw == "A" && self.between_title_words(index))
    }

    /// Tells whether token `index` lies between a first name and a word in title case in
    /// mixed-case text, where "A" is a middle initial ("Radek A Nowicki"), not the
    /// article ("Class A Airspace").
    fn between_title_words(&self, index: usize) -> bool {
        let title = |token: usize| {
            token < self.t.len()
                && self.alpha(token)
                && !self.caps(token)
                && self.t.list[token].case == Case::Title
        };
        index > 0
            && !self.caps(index)
            && title(index - 1)
            && self.e(index - 1).is_first_name()
            && !self.common_at(index - 1)
            && title(index + 1)
    }

    /// Tells whether token `index` is a lower-case particle that can continue a name ("Anneke
    /// van der Berg", "Luis de la Cruz"): one of `NAME_PARTICLES` before a capitalised word or
    /// another particle, in mixed-case text. Callers check that a name word comes before it.
    fn is_name_particle(&self, index: usize) -> bool {
        if !self.alpha(index) || self.caps(index) || self.t.list[index].case != Case::Lower {
            return false;
        }
        if !NAME_PARTICLES.contains(&self.word(index)) {
            return false;
        }
        let next = index + 1;
        let next_is_name = self.alpha(next)
            && self.t.list[next].case == Case::Title
            && !self.t.list[next].line_start
            && !self.has(next, STOP | TITLE | ABBREVIATION);
        next_is_name || self.is_name_particle(next)
    }

    fn is_placeholder(&self, index: usize) -> bool {
        let word = self.word(index);
        let word = word.strip_suffix("'s").unwrap_or(word);
        word.starts_with("zzz") || (!word.is_empty() && word.bytes().all(|byte| matches!(byte, b'x' | b'y')))
    }

    /// Tells whether a word can be part of a person's name where the context points to one.
    /// In ALL-CAPS text an English word that is also a census name ("YOUNG", "BROWN") counts
    /// only when `ambiguous` allows it.
    fn name_word_with(&self, index: usize, ambiguous: bool) -> bool {
        if !self.alpha(index) || self.is_placeholder(index) {
            return false;
        }
        let word = self.word(index);
        let entry = self.e(index);
        if word.chars().count() < 2 || entry.has(STOP | TITLE | ABBREVIATION) || is_contraction(word) {
            return false;
        }
        let is_name = entry.is_name();
        let common = entry.common();
        if common && !is_name && self.caps(index) {
            return false;
        }
        if self.caps(index) {
            let verb_like = !is_name && is_verb_like(word);
            let rare_word_surname = is_name && entry.common_rank >= RARE_WORD_RANK;
            let allowed = !common || (ambiguous && (entry.is_well_known_name() || rare_word_surname));
            return allowed && !verb_like && !entry.has(MODAL) && has_vowel(word);
        }
        // In mixed case the capital letter is evidence, so only everyday words are doubted.
        let plausible = !common || entry.is_well_known_name() || !entry.is_everyday_word();
        plausible
            && (self.t.list[index].case == Case::Title || (self.t.list[index].case == Case::Upper && is_name))
    }

    fn name_word(&self, index: usize) -> bool {
        self.name_word_with(index, true)
    }

    /// Tells whether a word can name a place or an agency: "Tulsa", "PALM", "Machesney".
    fn proper_word(&self, index: usize) -> bool {
        if !self.alpha(index) || self.is_placeholder(index) {
            return false;
        }
        let entry = self.e(index);
        if entry.has(STOP | GENERIC | ABBREVIATION) {
            return false;
        }
        if self.in_place[index] || entry.has(STATE) {
            return self.caps(index) || self.capitalised(index);
        }
        if self.caps(index) {
            // Three letters or fewer in capitals are mostly codes (airports, units), not names.
            let word = self.word(index);
            return !entry.common() && has_vowel(word) && word.len() >= 4;
        }
        self.capitalised(index) && !(self.t.list[index].sentence_start && entry.common())
    }

    /// Tells whether a word in capitals is a rare English word that names a people or a place
    /// as well ("HOPI", "ZUNI"): rarer than `RARE_WORD_RANK` and of four letters or more.
    fn rare_caps_word(&self, index: usize) -> bool {
        self.alpha(index)
            && self.caps(index)
            && self.word(index).len() >= 4
            && self.e(index).common_rank >= RARE_WORD_RANK
            && self.e(index).common()
            && !self.has(index, STOP | GENERIC | ABBREVIATION)
            && !is_verb_like(self.word(index))
            && !self.is_placeholder(index)
    }

    /// A capitalised word that is not a function word, title or abbreviation: a name where the
    /// context is strong, whether or not it is also an English word ("Lanka", "CALVIN MAY").
    fn loose_name_word(&self, index: usize) -> bool {
        if !self.alpha(index) || self.is_placeholder(index) {
            return false;
        }
        if self.word(index).chars().count() < 2 || self.has(index, STOP | TITLE | ABBREVIATION) {
            return false;
        }
        self.caps(index) || matches!(self.t.list[index].case, Case::Title | Case::Upper)
    }

    /// Collects name words and initials from `first`; returns the last token of the name.
    fn collect_name(&self, first: usize, context: NameContext) -> Option<usize> {
        let mut index = first;
        let mut last_real = None;
        let mut token_count = 0;
        let mut certain = false;
        while index < self.t.len() && token_count < MAX_NAME_TOKENS {
            if self.is_initial(index) {
                index += if self.t.is_punct(index + 1, '.') { 2 } else { 1 };
                token_count += 1;
                continue;
            }
            let accepted = if self.name_word_with(index, context != NameContext::Plain) {
                certain |= !self.common_at(index) || self.e(index).is_name();
                true
            } else if last_real.is_some()
                && !self.caps(index)
                && self.loose_name_word(index)
                && self.t.list[index].case == Case::Title
            {
                // In mixed case a capitalised word right after a name word continues the name.
                true
            } else {
                match context {
                    NameContext::Plain | NameContext::AfterFirstName => false,
                    NameContext::AfterTitle => {
                        let word = self.word(index);
                        let closed = self.t.is_punct(index + 1, '(') || self.t.is_punct(index + 1, ',');
                        let before_partner = self.word(index + 1) == "and" && self.is_title_at(index + 2);
                        let before_name = self.name_word(index + 1) && !self.common_at(index + 1);
                        last_real.is_none()
                            && self.loose_name_word(index)
                            && !self.has(index, MODAL)
                            && !(self.caps(index) && is_verb_like(word))
                            && ((!self.common_at(index) && (!self.caps(index) || closed || before_name))
                                || closed
                                || before_partner)
                    }
                    NameContext::Enclosed => {
                        certain |= index > first && self.is_initial(index - 1)
                            || (index > first + 1 && self.t.is_punct(index - 1, '.'));
                        self.loose_name_word(index)
                    }
                }
            };
            if accepted {
                last_real = Some(index);
                // A possessive ends the name: "Martha's Vineyard" is no three-word name.
                if is_possessive(self.word(index)) {
                    break;
                }
                index += 1;
                token_count += 1;
                continue;
            }
            if last_real.is_some() && self.is_name_particle(index) {
                index += 1;
                token_count += 1;
                continue;
            }
            if last_real.is_some() && matches!(self.word(index), "jr" | "sr" | "ii" | "iii" | "iv") {
                last_real = Some(index);
            }
            break;
        }
        if context == NameContext::Enclosed && !certain {
            let uncommon = (first..=last_real?)
                .any(|token| self.alpha(token) && !self.common_at(token) && !self.is_initial(token));
            if !uncommon {
                return None;
            }
        }
        last_real
    }

    fn skip_period(&self, index: usize) -> usize {
        if self.t.is_punct(index, '.') {
            index + 1
        } else {
            index
        }
    }

    /// Tells whether token `index` is a rank or title. Short forms that are also other words ("DEP"
    /// for departure, "SA" for special agent) need their period, or in mixed case a capitalised
    /// name right after.
    fn is_title_at(&self, index: usize) -> bool {
        // "PO" for police officer is no listed title, because "PO" is also a post office box.
        if self.word(index) == "po" {
            return self.caps(index) && self.caps_name_before_cue(index + 1);
        }
        if !self.alpha(index) || !self.has(index, TITLE) {
            return false;
        }
        let title = self.word(index);
        let needs_period = matches!(
            title,
            "dep"
                | "deps"
                | "det"
                | "lt"
                | "cpt"
                | "maj"
                | "insp"
                | "inv"
                | "agt"
                | "sa"
                | "supt"
                | "col"
                | "dets"
                | "sgts"
        );
        let capitalised_next = !self.caps(index + 1)
            && self
                .t
                .list
                .get(index + 1)
                .is_some_and(|token| token.case == Case::Title);
        !needs_period
            || self.t.is_punct(index + 1, '.')
            || capitalised_next
            || (self.caps(index) && self.caps_name_after_short_title(index + 1))
            || (self.caps(index) && self.caps_name_before_cue(index + 1))
    }

    /// Tells whether two or three rare words in capitals start at `first` and are followed by
    /// "OF", "CAN", a comma or a bracket, as a name after a rank is: "DET SAMIR HADDAWI OF THE
    /// KPD", "PO ANA SOTO (SHIELD 12)". Aviation shorthand after "DEP" or "LT" uses listed
    /// abbreviations and common words, which this rejects.
    fn caps_name_before_cue(&self, first: usize) -> bool {
        let name_word = |token: usize| {
            let entry = self.e(token);
            let word = self.word(token);
            self.alpha(token)
                && self.caps(token)
                && word.chars().count() >= 2
                && has_vowel(word)
                && !entry.has(STOP | TITLE | ABBREVIATION | MODAL | STATE | GENERIC | AGENCY_ANCHOR)
                && (entry.is_name() || !entry.common() || entry.common_rank >= RARE_WORD_RANK)
        };
        let cue = |token: usize| {
            matches!(self.word(token), "of" | "can")
                || self.t.is_punct(token, ',')
                || self.t.is_punct(token, '(')
        };
        if !name_word(first) || !name_word(first + 1) {
            return false;
        }
        cue(first + 2) || (name_word(first + 2) && cue(first + 3))
    }

    /// Tells whether a short title typed in capitals ("DEP") is followed by an initial with its
    /// period ("DEP K. ZELENKO"), which aviation shorthand ("DEP PROCS") never is.
    fn caps_name_after_short_title(&self, next: usize) -> bool {
        self.is_initial(next) && self.t.is_punct(next + 1, '.')
    }

    fn titles(&mut self) {
        for index in 0..self.t.len() {
            if !self.is_title_at(index) {
                continue;
            }
            // A period after a title that is a whole English word ends the sentence: "the Gate
            // Agent. Campus Officer Lee". After a short form ("Sgt.", "Capt.") it is the
            // abbreviation's.
            let whole_word = self.word(index).len() > 4 && self.common_at(index);
            if whole_word && self.t.is_punct(index + 1, '.') {
                continue;
            }
            let first = self.skip_period(index + 1);
            let collected = self.collect_name(first, NameContext::AfterTitle);
            let last = match (collected, self.name_pair_after_rank(index, first)) {
                (Some(last), Some(pair_last)) => last.max(pair_last),
                (Some(last), None) | (None, Some(last)) => last,
                (None, None) => continue,
            };
            self.push(first, last, Kind::Person, PERSON);
            // A plural rank names two people: "Deputies Ibarra and Pruett", "OFFICERS LEE AND BOYD".
            let plural = self.word(index).ends_with('s') && !matches!(self.word(index), "ms" | "mrs");
            if plural && self.word(last + 1) == "and" {
                if let Some(second) = self.collect_name(last + 2, NameContext::AfterTitle) {
                    self.push(last + 2, second, Kind::Person, PERSON);
                }
            }
        }
    }

    fn cues(&mut self) {
        for index in 0..self.t.len() {
            if !self.has(index, CUE_START) {
                continue;
            }
            if self.word(index) == "dob" {
                self.name_before_birth_date_at(index);
                continue;
            }
            for cue in PAIR_CUES {
                let matched = cue
                    .iter()
                    .enumerate()
                    .all(|(offset, word)| self.word(index + offset) == *word);
                if !matched {
                    continue;
                }
                let first = index + cue.len();
                if let Some(last) = self.listed_name_run(first) {
                    self.push(first, last, Kind::Person, PERSON);
                } else if self.word(index) == "told" && self.is_first_name_after_told(first) {
                    self.push(first, first, Kind::Person, PERSON);
                } else if !self.caps(first) {
                    // In mixed case two or more capitalised name words count as they do after
                    // "spoke with" ("took custody of Wren Abernathy").
                    if let Some(last) = self
                        .collect_name(first, NameContext::Plain)
                        .filter(|last| *last > first)
                    {
                        self.push(first, last, Kind::Person, PERSON);
                    }
                }
            }
            for (number, cue) in CUES.iter().enumerate() {
                if !cue
                    .iter()
                    .enumerate()
                    .all(|(offset, word)| self.word(index + offset) == *word)
                {
                    continue;
                }
                let first = index + cue.len();
                let context = if number < STRONG_CUES {
                    NameContext::AfterFirstName
                } else {
                    NameContext::Plain
                };
                let Some(last) = self.collect_name(first, context).max(self.listed_name_run(first)) else {
                    continue;
                };
                // In capitals a lone word that is also an English word ("CAME BACK TO SPEAK TO")
                // counts only when punctuation closes it.
                let lone_word = first == last && self.caps(first) && self.common_at(first);
                if lone_word && !(last + 1 >= self.t.len() || self.t.list[last + 1].class == Class::Punct) {
                    continue;
                }
                self.push(first, last, Kind::Person, PERSON);
            }
        }
    }

    /// "the mother, Ann Lee, kept yelling"; in mixed case also "the driver Ann Lee".
    fn appositions(&mut self) {
        for index in 0..self.t.len() {
            // A title or crew job before a comma is a role as well: "the gate agent, Ann Lee,
            // said", "the flight attendant, Ann Lee, said".
            let titled_job = (self.has(index, TITLE) || CREW_JOBS.contains(&self.word(index)))
                && self.t.is_punct(index + 1, ',');
            if !self.alpha(index) || !(self.has(index, ROLE) || titled_job) {
                continue;
            }
            if self.caps(index) && self.has(index, ROLE) {
                self.caps_role_name_at(index);
            }
            if self.t.is_punct(index + 1, ',') {
                let first = index + 2;
                let enclosed = self
                    .collect_name(first, NameContext::Enclosed)
                    .or_else(|| self.listed_name_run(first));
                if let Some(last) = enclosed {
                    let next = self.skip_period(last + 1);
                    let closed = next >= self.t.len()
                        || [',', '.', ';', '(', ')', '!', '?', ':']
                            .iter()
                            .any(|symbol| self.t.is_punct(last + 1, *symbol))
                        || matches!(self.word(next), "and" | "who" | "was" | "is" | "said" | "told");
                    if closed {
                        self.push(first, last, Kind::Person, PERSON);
                    }
                }
            } else if !self.caps(index)
                && self
                    .t
                    .list
                    .get(index + 1)
                    .is_some_and(|token| token.case == Case::Title)
            {
                // "the driver Ann Lee": a listed first name and a surname, or two listed names
                // that are no English words ("the manager Winthrop Halvorsen"), since a capitalised
                // word after a role noun is often part of a job title. After a possessive ("my
                // son Tadeusz", "her friend Ingrid") the role names one person, so one name
                // word is enough.
                let first = index + 1;
                let entry = self.e(first);
                let listed = entry.is_first_name() && (!entry.common() || entry.is_well_known_name());
                let owned = index > 0
                    && matches!(
                        self.word(index - 1),
                        "my" | "his" | "her" | "our" | "their" | "your"
                    );
                if let Some(last) = self.collect_name(first, NameContext::Plain) {
                    let names_only = (first..=last)
                        .filter(|token| !self.is_initial(*token) && self.alpha(*token))
                        .all(|token| self.e(token).is_name() && !self.common_at(token));
                    if owned || (last > first && (listed || names_only)) {
                        self.push(first, last, Kind::Person, PERSON);
                    }
                }
            }
        }
    }

    /// "Young and Officer Smith were first on scene": a name before "and" plus a title.
    fn coordinations(&mut self) {
        for index in 1..self.t.len() {
            let joins = matches!(self.word(index), "and") || self.t.is_punct(index, '&');
            if !joins || !self.is_title_at(index + 1) {
                continue;
            }
            let mut first = index;
            let mut real = false;
            while first > 0 && index - first < MAX_NAME_TOKENS {
                let previous = first - 1;
                if self.name_word(previous) {
                    real = true;
                } else if !(self.is_initial(previous)
                    || (self.t.is_punct(previous, '.') && self.is_initial(previous.saturating_sub(1))))
                {
                    break;
                }
                first = previous;
            }
            while first < index && !self.name_word(first) && !self.is_initial(first) {
                first += 1;
            }
            if real && first < index {
                self.push(first, index - 1, Kind::Person, PERSON);
            }
        }
    }

    /// Finds a listed first name followed by a surname: "Maria B. Lindsey", "RACHEL CONTRERAS".
    fn first_names(&mut self) {
        let mut index = 0;
        while index < self.t.len() {
            let word = self.word(index);
            let entry = self.e(index);
            if !self.alpha(index)
                || !entry.is_first_name()
                || entry.has(STOP)
                || self.is_placeholder(index)
                || is_possessive(word)
            {
                index += 1;
                continue;
            }
            let caps = self.caps(index);
            let ambiguous = entry.common();
            if caps && word.len() < 3 {
                index += 1;
                continue;
            }
            if (!caps && self.t.list[index].case != Case::Title) || (caps && entry.has(MODAL)) {
                index += 1;
                continue;
            }

            let mut next = index + 1;
            let mut initials = false;
            while self.is_initial(next) {
                initials = true;
                next = self.skip_period(next + 1);
            }
            while !caps && self.is_name_particle(next) {
                next += 1;
            }
            let context = if ambiguous {
                NameContext::Plain
            } else {
                NameContext::AfterFirstName
            };
            let Some(last) = self.collect_name(next, context) else {
                index += 1;
                continue;
            };
            let surname = self.e(last);
            if caps && self.word(last).len() < 3 && !surname.is_name() {
                index += 1;
                continue;
            }
            if !caps && surname.is_everyday_word() && !surname.is_well_known_name() {
                index += 1;
                continue;
            }
            let surname_certain = surname.is_surname() && !surname.common();
            let surname_plausible =
                surname.is_surname() || (!surname.common() && !surname.has(crate::lexicon::PLACE));
            // In mixed case a capitalised surname that is no everyday English word and no place
            // is evidence enough after a first name that is also a word ("Martin Karlsen",
            // "James Sparks").
            let unknown_surname = !caps
                && (!surname.common() || (surname.is_surname() && !surname.is_everyday_word()))
                && !surname.has(crate::lexicon::PLACE);
            let accepted = if ambiguous {
                initials || surname_certain || unknown_surname
            } else {
                initials || surname_plausible || !caps
            };
            if accepted {
                self.push(index, last, Kind::Person, PERSON);
                index = last + 1;
            } else {
                index += 1;
            }
        }
    }

    /// In mixed-case text, two or three adjacent capitalised words that are neither everyday
    /// English words, places nor codes: "Esat Jeknić", "Cettina Fanucci", "Steffen Mauer".
    fn capitalised_pairs(&mut self) {
        let mut index = 0;
        while index + 1 < self.t.len() {
            let unknown = |rules: &Self, token: usize| {
                token < rules.t.len()
                    && !rules.caps(token)
                    && rules.t.list[token].case == Case::Title
                    && rules.alpha(token)
                    && (!rules.common_at(token)
                        || (rules.e(token).is_name() && !rules.e(token).is_everyday_word()))
                    && !rules.in_place[token]
                    && !rules.has(token, STATE | TITLE | ABBREVIATION)
                    && rules.word(token).chars().count() >= 2
            };
            // A pair right after another capitalised word is part of a longer proper name, unless
            // that word is a function word or a role noun ("The", "Producer").
            let joined = index > 0
                && self.t.list[index - 1].case == Case::Title
                && !self.t.list[index].sentence_start
                && !self.has(index - 1, STOP | ROLE);
            let possessive = is_possessive(self.word(index));
            if joined || possessive || !unknown(self, index) || !unknown(self, index + 1) {
                index += 1;
                continue;
            }
            let mut last = index + 1;
            if unknown(self, last + 1) && !is_possessive(self.word(last)) {
                last += 1;
            }
            self.push(index, last, Kind::Person, PERSON - 10);
            index = last + 1;
        }

        // "Szabina J Gelencsér", "Janka M. Szász": an initial between two such words.
        for index in 0..self.t.len() {
            let after_initial = if self.t.is_punct(index + 2, '.') {
                index + 3
            } else {
                index + 2
            };
            let name_like = |rules: &Self, token: usize| {
                token < rules.t.len()
                    && !rules.caps(token)
                    && rules.t.list[token].case == Case::Title
                    && rules.alpha(token)
                    && (!rules.common_at(token) || rules.e(token).is_name())
                    && !rules.has(token, STOP | TITLE | ABBREVIATION | STATE)
                    && rules.word(token).chars().count() >= 2
            };
            if name_like(self, index) && self.is_initial(index + 1) && name_like(self, after_initial) {
                self.push(index, after_initial, Kind::Person, PERSON - 10);
            }
        }
    }

    /// Lists of names and names in dialogue, in mixed case: "Marrero and Murphy were",
    /// "Eklund, Michael and Hodge", "Nicole: Remember me, Mary?".
    fn name_lists(&mut self) {
        let named = |rules: &Self, token: usize| {
            token < rules.t.len()
                && !rules.caps(token)
                && rules.alpha(token)
                && rules.t.list[token].case == Case::Title
                && !rules.has(token, STOP | TITLE | ABBREVIATION | STATE | GENERIC)
                && (!rules.in_place[token] || rules.e(token).is_name())
                && (!rules.common_at(token)
                    || (rules.e(token).is_name()
                        && (!rules.e(token).is_everyday_word() || rules.e(token).is_well_known_name())))
        };
        let listed = |rules: &Self, token: usize| {
            named(rules, token)
                && rules.e(token).is_name()
                && (!rules.e(token).is_everyday_word() || rules.e(token).is_well_known_name())
        };
        let mut index = 0;
        while index < self.t.len() {
            // A run of single names joined by commas and a final "and".
            if named(self, index) {
                let mut members = vec![index];
                let mut next = index + 1;
                loop {
                    let joint_and = self.word(next) == "and" || self.t.is_punct(next, '&');
                    let joint_comma =
                        self.t.is_punct(next, ',') && (named(self, next + 1) || self.word(next + 1) == "and");
                    if joint_comma && self.word(next + 1) == "and" && named(self, next + 2) {
                        members.push(next + 2);
                        next += 3;
                        break;
                    }
                    if (joint_and || joint_comma) && named(self, next + 1) {
                        members.push(next + 1);
                        next += 2;
                        if joint_and {
                            break;
                        }
                        continue;
                    }
                    break;
                }
                let closed_by_and =
                    members.len() >= 2 && (self.word(next - 2) == "and" || self.t.is_punct(next - 2, '&'));
                if closed_by_and && members.iter().any(|member| listed(self, *member)) {
                    for member in &members {
                        self.push(*member, *member, Kind::Person, PERSON - 10);
                    }
                    index = next;
                    continue;
                }
            }

            // "Nicole:" opening a line of dialogue, and ", Mary?" addressing someone.
            let speaker = self.t.list[index].line_start
                && self.t.is_punct(index + 1, ':')
                && named(self, index)
                && !self.t.is_punct(index + 2, '/');
            let addressed = index > 0
                && self.t.is_punct(index - 1, ',')
                && listed(self, index)
                && (index + 1 >= self.t.len()
                    || ['?', '!', '.']
                        .iter()
                        .any(|symbol| self.t.is_punct(index + 1, *symbol)));
            let alone = listed(self, index)
                && self.e(index).is_first_name()
                && !self.common_at(index)
                && !self.in_place[index]
                && !self.e(index).has(crate::lexicon::PLACE);
            // "Mehrudin shouted at", "Tosh Olsen lives at", "Ambrose said": one to three
            // capitalised words that are no English words, or are listed names but no everyday
            // words, opening a sentence before a verb that people do.
            let subject_word = |rules: &Self, token: usize| {
                let entry = rules.e(token);
                named(rules, token)
                    && !entry.has(MODAL)
                    && (!entry.common() || (entry.is_name() && !entry.is_everyday_word()))
            };
            let mut subject_end = index;
            while subject_end + 1 < self.t.len()
                && subject_end - index < 2
                && subject_word(self, subject_end + 1)
            {
                subject_end += 1;
            }
            let subject = self.t.list[index].sentence_start
                && subject_word(self, index)
                && SUBJECT_VERBS.contains(&self.word(subject_end + 1));
            if subject {
                self.push(index, subject_end, Kind::Person, PERSON - 10);
                index = subject_end + 1;
                continue;
            }
            if speaker || addressed || alone {
                self.push(index, index, Kind::Person, PERSON - 10);
            }
            index += 1;
        }
    }

    /// Finds a line that contains only a name, as in a signature or an address block ("Lina Artemova",
    /// "> Janka M. Szász"), and a name after a label ("Name: Åsa Laine", "last name? Baba").
    fn name_lines(&mut self) {
        for index in 0..self.t.len() {
            let labelled = (self.t.is_punct(index + 1, ':') || self.t.is_punct(index + 1, '?'))
                && matches!(self.word(index), "name" | "by" | "called");
            let line_first = self.t.list[index].line_start
                || (index > 0
                    && self.t.list[index - 1].line_start
                    && self.t.list[index - 1].class == Class::Punct
                    && !self.t.is_punct(index - 1, '('));
            let first = if labelled { index + 2 } else { index };
            if !(labelled || line_first) || first >= self.t.len() || self.caps(first) {
                continue;
            }

            // Collect capitalised words and initials up to the end of the line.
            let mut last = None;
            let mut token = first;
            while token < self.t.len()
                && (token == first || !self.t.list[token].line_start)
                && token - first < 6
            {
                if self.is_initial(token) || (last.is_some() && self.is_name_particle(token)) {
                    token = self.skip_period(token + 1);
                    continue;
                }
                let item = &self.t.list[token];
                if item.class != Class::Alpha
                    || item.case != Case::Title
                    || self.has(token, STOP | TITLE | ABBREVIATION)
                {
                    break;
                }
                last = Some(token);
                token += 1;
            }
            let Some(last) = last else {
                continue;
            };
            let line_ends =
                token >= self.t.len() || self.t.list[token].line_start || self.t.is_punct(token, ',');
            let words = (first..=last)
                .filter(|item| self.alpha(*item) && !self.is_initial(*item))
                .count();
            let starts_with_first_name = self.e(first).is_first_name() && !self.e(first).is_everyday_word();
            // "Martin Halvorsen": a listed surname that is no English word, after a
            // word that is a name or no everyday word, also makes a name line.
            let first_entry = self.e(first);
            let ends_with_surname = self.e(last).is_surname()
                && !self.common_at(last)
                && (first_entry.is_name() || !first_entry.is_everyday_word());
            let accepted = if labelled {
                line_ends || words >= 1
            } else {
                line_ends && (2..=4).contains(&words) && (starts_with_first_name || ends_with_surname)
            };
            if accepted {
                self.push(first, last, Kind::Person, PERSON - 10);
            }
        }
    }

    /// Marks every other mention of a name already found: "Officer Ferraris ... Ferraris said".
    /// A name found typed in lower case ("sigrun k okafor") also marks its other lower-case
    /// mentions; a possessive and its stem count as one word ("okafor's").
    fn propagate_names(&mut self) {
        // Each name word with whether some mention of it is typed in lower case.
        let mut names: Vec<(String, bool)> = Vec::new();
        for candidate in &self.found {
            if candidate.kind != Kind::Person {
                continue;
            }
            for index in self.token_range(candidate.start, candidate.end) {
                let word = strip_possessive(self.word(index));
                let lower = self.alpha(index) && self.t.list[index].case == Case::Lower;
                if !self.alpha(index) || word.chars().count() < 3 || self.common_at(index) {
                    continue;
                }
                match names.iter_mut().find(|(name, _)| name == word) {
                    Some((_, seen_lower)) => *seen_lower |= lower,
                    None => names.push((word.to_string(), lower)),
                }
            }
        }
        self.propagate_word_surnames();
        if names.is_empty() {
            return;
        }
        let any_lower = names.iter().any(|(_, seen_lower)| *seen_lower);
        for index in 0..self.t.len() {
            let capitalised = self.caps(index) || self.capitalised(index);
            if !self.alpha(index) || !(capitalised || any_lower) {
                continue;
            }
            // The possessive of a word in capitals in mixed-case text is mostly an abbreviation
            // ("the RNAV SID's"), so only title and lower case drop the "'s".
            let word = if self.t.list[index].case == Case::Upper {
                self.word(index)
            } else {
                strip_possessive(self.word(index))
            };
            let known = names
                .iter()
                .any(|(name, seen_lower)| name == word && (capitalised || *seen_lower));
            if known {
                self.push(index, index, Kind::Person, PERSON - 5);
            }
        }
    }

    fn token_range(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let first = self.t.list.partition_point(|token| token.start < start);
        let last = self.t.list.partition_point(|token| token.start < end);
        first..last
    }

    /// Finds the longest gazetteer entry that starts at each capitalised token.
    fn places(&mut self) {
        let mut key = String::new();
        for index in 0..self.t.len() {
            if !self.alpha(index) || !(self.caps(index) || self.capitalised(index)) {
                continue;
            }
            let entry = self.e(index);
            if entry.has(STOP) {
                continue;
            }
            let longest = if entry.has(PLACE_FIRST_WORD) {
                MAX_PLACE_TOKENS
            } else {
                1
            };
            if longest == 1 {
                // A possessive ("Portland's radar") keeps the place flag of its stem, so that no
                // person rule takes it, but is no place name alone.
                if entry.has(crate::lexicon::PLACE | STATE) && !is_possessive(self.word(index)) {
                    self.place_len[index] = 1;
                    // A token may already lie inside a longer place ("Lake Worth Beach").
                    self.in_place[index] |= !entry.is_everyday_word();
                }
                continue;
            }
            key.clear();
            let mut best = 0;
            for length in 1..=longest {
                let token = index + length - 1;
                if token >= self.t.len() || !self.alpha(token) {
                    break;
                }
                if length > 1 {
                    key.push(' ');
                }
                key.push_str(self.word(token));
                if self.lex.places.contains(key.as_str()) {
                    best = length;
                }
            }
            self.place_len[index] = best as u8;
            // A one-word place that is an everyday word ("MANY", "HARBOR") does not make the
            // word a name by itself.
            if best > 1 || (best == 1 && !entry.is_everyday_word()) {
                for covered in index..index + best {
                    self.in_place[covered] = true;
                }
            }
        }
    }

    fn agencies(&mut self) {
        for index in 0..self.t.len() {
            if !self.has(index, AGENCY_ANCHOR) {
                continue;
            }
            let word = self.word(index);
            let raw = self.t.raw(index);
            let (anchor_first, mut anchor_last) = match word {
                "police" => (index, index),
                "sheriff's" | "sheriffs" | "sheriff’s" | "constable's" | "constables" | "marshal's"
                | "marshals" | "marshal" => {
                    if !AGENCY_TAILS.contains(&self.word(index + 1)) {
                        continue;
                    }
                    (index, index + 1)
                }
                "sheriff" if self.word(index.wrapping_sub(1)) == "county" => (index, index),
                "patrol" if matches!(self.word(index.wrapping_sub(1)), "highway" | "state") => {
                    (index - 1, index)
                }
                "troopers" if self.word(index.wrapping_sub(1)) == "state" => (index - 1, index),
                "pd" | "so" | "dps" | "sd" if raw.bytes().all(|byte| byte.is_ascii_uppercase()) => {
                    (index, index)
                }
                // "bernalillo county so": in lower case a county of the gazetteer makes "so" the
                // sheriff's office rather than the conjunction.
                "so" if self.word(index.wrapping_sub(1)) == "county"
                    && self.place_before(index).is_some() =>
                {
                    (index, index)
                }
                // "boise pd", "fort collins pd": in lower case only a town name makes "pd" an agency.
                "pd" | "dps" if self.place_before(index).is_some() => (index, index),
                "safety" if self.word(index.wrapping_sub(1)) == "public" => {
                    if self.word(index.wrapping_sub(2)) == "of"
                        && self.word(index.wrapping_sub(3)) == "department"
                    {
                        (index - 3, index)
                    } else if self.word(index + 1) == "department" {
                        (index - 1, index + 1)
                    } else {
                        continue;
                    }
                }
                // Initials such as "NYPD" carry the anchor flag from `Rules::new`.
                _ if is_agency_acronym(raw, self.t.list[index].case)
                    || (!self.caps(index) && is_mixed_case_agency_initials(raw))
                    || caps_agency_initials(self.t, index) =>
                {
                    self.push(index, index, Kind::Agency, AGENCY);
                    continue;
                }
                _ => continue,
            };
            // A tail in lower case after "Police" in title case is no part of the name: "the
            // Airport Police office".
            let lower_tail = self.t.list[index].case == Case::Title
                && self
                    .t
                    .list
                    .get(index + 1)
                    .is_some_and(|token| token.case == Case::Lower);
            if word == "police" && AGENCY_TAILS.contains(&self.word(index + 1)) && !lower_tail {
                anchor_last = index + 1;
            }
            if matches!(word, "so" | "sd") && !matches!(self.word(index.wrapping_sub(1)), "county" | "parish")
            {
                continue;
            }

            // Walk left over agency words and proper words, then drop generic words from the left edge.
            let mut first = anchor_first;
            while first > 0 && anchor_first - first < 7 {
                let previous = first - 1;
                let previous_word = self.word(previous);
                let joins = previous_word == "of"
                    && matches!(
                        self.word(previous.wrapping_sub(1)),
                        "university"
                            | "college"
                            | "city"
                            | "town"
                            | "village"
                            | "county"
                            | "department"
                            | "division"
                            | "bureau"
                            | "commonwealth"
                            | "port"
                    );
                // "ST. LOUIS POLICE", "Ft. Myers Police": the abbreviation opens the town's name.
                if self.t.is_punct(previous, '.')
                    && matches!(self.word(previous.wrapping_sub(1)), "st" | "ft" | "mt")
                    && self.proper_word(first)
                {
                    first = previous - 1;
                    continue;
                }
                // An English word inside a proper name: "ROSEBUD SIOUX TRIBE", "OSAGE NATION".
                let inner = previous > 0
                    && self.alpha(previous)
                    && (self.caps(previous) || self.capitalised(previous))
                    && !self.has(previous, STOP | ABBREVIATION | TITLE)
                    && !self.t.list[previous].sentence_start
                    && self.proper_word(previous - 1);
                let agency_word = AGENCY_WORDS.contains(&previous_word)
                    && (self.caps(previous) || self.capitalised(previous));
                let proper = self.proper_word(previous)
                    || (self.alpha(previous)
                        && (self.capitalised(previous) || self.caps(previous))
                        && !self.has(previous, STOP | ABBREVIATION)
                        && !self.is_placeholder(previous)
                        && !self.t.list[previous].sentence_start
                        && (!self.caps(previous)
                            || !self.common_at(previous)
                            || self.in_place[previous]
                            || self.rare_caps_word(previous)));
                if !(joins || agency_word || proper || inner) {
                    break;
                }
                first = previous;
            }
            while first < anchor_first {
                let edge = self.word(first);
                let opens = matches!(
                    edge,
                    "university"
                        | "college"
                        | "city"
                        | "town"
                        | "village"
                        | "county"
                        | "commonwealth"
                        | "division"
                        | "bureau"
                        | "port"
                ) && self.word(first + 1) == "of";
                let abbreviated_town = matches!(edge, "st" | "ft" | "mt") && self.t.is_punct(first + 1, '.');
                let federal = edge == "federal" && self.capitalised(first);
                if self.proper_word(first)
                    || self.rare_caps_word(first)
                    || opens
                    || abbreviated_town
                    || federal
                {
                    break;
                }
                first += 1;
            }
            let named =
                (first..anchor_first).any(|token| self.proper_word(token) || self.rare_caps_word(token));
            if !named {
                // "kennewick police department", "DAYTON PD", "idaho state police": a town or
                // state of the gazetteer, whatever its case, names the agency. A bare "police"
                // needs "state" before it, since "boise police" may be the town's officers.
                let state_police = word == "police" && self.word(anchor_first.wrapping_sub(1)) == "state";
                match self.place_before(anchor_first) {
                    Some(place_first) if word != "police" || anchor_last > anchor_first || state_police => {
                        first = place_first
                    }
                    _ => continue,
                }
            }
            anchor_last = self.skip_period(anchor_last + 1) - 1;
            if self.t.is_punct(anchor_last, '.') {
                anchor_last -= 1;
            }
            self.push(first, anchor_last, Kind::Agency, AGENCY);
        }
    }

    /// Finds a gazetteer place of up to three words that ends right before token `anchor`,
    /// with an optional "county", "parish" or "state" after it ("kent county sheriff's office",
    /// "idaho state police"), and returns its
    /// first token. Function words, generic words ("local", "state") and titles never count.
    fn place_before(&self, anchor: usize) -> Option<usize> {
        let mut end = anchor;
        if end > 0 && matches!(self.word(end - 1), "county" | "parish" | "state") {
            end -= 1;
        }
        let mut key = String::new();
        for length in (1..=3).rev() {
            if end < length {
                continue;
            }
            let first = end - length;
            // A generic word may end a town ("kansas city pd") but never open one ("local pd").
            let words_only = (first..end).all(|token| {
                let excluded = if token == first {
                    STOP | GENERIC | TITLE | ROLE | ABBREVIATION | MODAL
                } else {
                    STOP | TITLE | ROLE | ABBREVIATION | MODAL
                };
                self.alpha(token) && !self.has(token, excluded)
            });
            if !words_only {
                continue;
            }
            key.clear();
            for token in first..end {
                if token > first {
                    key.push(' ');
                }
                key.push_str(self.word(token));
            }
            if self.lex.places.contains(key.as_str()) {
                return Some(first);
            }
        }
        None
    }

    /// Returns the first token of the line that contains token `index`.
    fn token_line_start(&self, index: usize) -> usize {
        let mut first = index;
        while first > 0 && !self.t.list[first].line_start {
            first -= 1;
        }
        first
    }

    /// Tells whether a blank line separates token `index` from the one before it.
    fn after_blank_line(&self, index: usize) -> bool {
        if index == 0 || index >= self.t.len() {
            return false;
        }
        let gap = &self.t.text[self.t.list[index - 1].end..self.t.list[index].start];
        gap.matches('\n').count() >= 2
    }

    /// Tells whether the line starting at token `index` reads like part of an address: it opens
    /// with a number, a capitalised word, an address particle or a comma, after any "> " or
    /// "??? " quoting marks.
    fn address_like_line(&self, index: usize) -> bool {
        let mut token = index;
        while token < self.t.len() && (self.t.is_punct(token, '>') || self.t.is_punct(token, '?')) {
            token += 1;
        }
        let Some(item) = self.t.list.get(token) else {
            return false;
        };
        if token > index && item.line_start {
            return false;
        }
        match item.class {
            Class::Digit | Class::Alnum => true,
            Class::Alpha => {
                (item.case != Case::Lower && !self.has(token, STOP | TITLE))
                    || is_address_particle(self.word(token))
                    || matches!(self.word(token), "apo" | "fpo" | "dpo")
            }
            Class::Punct => self.t.is_punct(token, ','),
        }
    }

    /// Extends an address from `first` over its words, numbers and continuation lines; returns
    /// the last token, or `None` when nothing address-like follows.
    fn address_block(&self, first: usize, lower_case: bool) -> Option<usize> {
        let mut index = first;
        let mut last = None;
        let mut lines = 0;
        let mut line_opening = false;
        while index < self.t.len() {
            let token = &self.t.list[index];
            if index > first && token.line_start {
                lines += 1;
                if lines > 5 || self.after_blank_line(index) || !self.address_like_line(index) {
                    break;
                }
                line_opening = true;
            }
            let word = self.word(index);
            let accepted = match token.class {
                Class::Digit | Class::Alnum => true,
                Class::Alpha => {
                    // "Via Roma", "OULU NO": a street word or a country code is no function word here.
                    let code = token.case == Case::Upper && !token.caps && word.len() == 2;
                    let particle = is_address_particle(word) || STREET_OPENERS.contains(&word) || code;
                    let stop = self.has(index, STOP) && !particle;
                    match token.case {
                        Case::Lower => particle || (lower_case && !stop && !ADDRESS_ENDINGS.contains(&word)),
                        _ => !stop && !self.has(index, TITLE),
                    }
                }
                Class::Punct => {
                    let raw = self.t.raw(index);
                    let continues = index + 1 < self.t.len() && !self.t.list[index + 1].line_start;
                    let quoting = line_opening && matches!(raw, ">" | "?");
                    // A period ends the sentence before a function word in title case, or before
                    // any sentence opening after a word longer than an abbreviation
                    // ("Lakewood. Passenger B", but not "St. Paul" or "Apt. 4").
                    let after_long_word =
                        index > 0 && self.alpha(index - 1) && self.word(index - 1).len() > 4;
                    let sentence_end = raw == "."
                        && self.t.list.get(index + 1).is_some_and(|next| {
                            next.case == Case::Title
                                && (self.has(index + 1, STOP) || (next.sentence_start && after_long_word))
                        });
                    quoting
                        || matches!(raw, "," | "-" | "#" | "/" | "(" | ")" | "'" | ">")
                        || (raw == "." && continues && !sentence_end)
                }
            };
            if token.class != Class::Punct {
                line_opening = false;
            }
            if !accepted {
                break;
            }
            if token.class != Class::Punct {
                last = Some(index);
            }
            index += 1;
        }
        last
    }

    fn address_cues(&mut self) {
        for index in 0..self.t.len() {
            if !self.has(index, ADDRESS_CUE_START) {
                continue;
            }
            for cue in ADDRESS_CUES {
                if cue[0] != self.word(index) {
                    continue;
                }
                let matched = cue.iter().enumerate().all(|(offset, part)| match *part {
                    ":" | "?" => self
                        .t
                        .is_punct(index + offset, part.chars().next().unwrap_or(':')),
                    _ => self.word(index + offset) == *part,
                });
                if !matched {
                    continue;
                }
                let mut first = index + cue.len();
                let corner = self.word(first) == "the"
                    && self.word(first + 1) == "corner"
                    && self.word(first + 2) == "of";
                let span_first = first;
                if corner {
                    first += 3;
                }
                let Some(token) = self.t.list.get(first) else {
                    continue;
                };
                let starts = matches!(token.class, Class::Digit | Class::Alnum)
                    || (token.class == Class::Alpha && (token.case != Case::Lower || !self.has(first, STOP)));
                if !starts || self.has(first, STOP | TITLE) {
                    continue;
                }
                // In capitals only the explicit cues count; "IT IS AT 2000 FT" is no address.
                let explicit = matches!(
                    self.word(index),
                    "address" | "addresses" | "lives" | "lived" | "located"
                );
                if self.caps(index) && !explicit {
                    continue;
                }
                let lower_case =
                    !self.caps(index) && matches!(self.word(index), "address" | "lives" | "lived" | "meet");
                if let Some(mut last) = self.address_block(first, lower_case) {
                    // "the corner of 159 Eleftheriou Venizelou str and Rennie Union"
                    if corner && (self.word(last + 1) == "and" || self.t.is_punct(last + 1, '&')) {
                        if let Some(second) = self.address_block(last + 2, lower_case) {
                            last = second;
                        }
                    }
                    let has_number = (first..=last)
                        .any(|token| matches!(self.t.list[token].class, Class::Digit | Class::Alnum));
                    let strong = matches!(
                        self.word(index),
                        "address" | "addresses" | "lives" | "lived" | "located"
                    ) || has_number
                        || corner;
                    if strong {
                        let start = if corner { span_first } else { first };
                        self.push(start, last, Kind::Location, LOCATION - 10);
                    }
                }
            }
        }
    }

    /// Finds, in mixed-case text, lines and phrases shaped like addresses without a cue. Those
    /// are a house number before a capitalised word that is not an English word ("28245
    /// Puruntie 82"), such a word before a number ("Kiannonkatu 98"), military mail ("PSC 0413,
    /// Box 8144", "APO AA 42323") and unit lines ("Apt. 762", "Suite 578").
    fn address_lines(&mut self) {
        let mut index = 0;
        while index < self.t.len() {
            if self.caps(index) {
                index += 1;
                continue;
            }
            let token = &self.t.list[index];
            let word = self.word(index);
            let next = index + 1;
            let unknown_word = |rules: &Self, token: usize| {
                rules.alpha(token)
                    && rules.t.list[token].case == Case::Title
                    && !rules.t.list[token].caps
                    && !rules.common_at(token)
                    && !rules.has(token, STOP | TITLE | ABBREVIATION)
                    && rules.word(token).len() >= 3
                    && !rules.word(token).contains(['\'', '’'])
            };
            let opener = |rules: &Self, token: usize| {
                token < rules.t.len()
                    && !rules.caps(token)
                    && STREET_OPENERS.contains(&rules.word(token))
                    && rules.alpha(token)
            };
            let street_start =
                |rules: &Self, token: usize| unknown_word(rules, token) || opener(rules, token);
            let numbered = token.class == Class::Digit
                && self.t.raw(index).len() <= 6
                && (street_start(self, next)
                    || (self
                        .t
                        .list
                        .get(next)
                        .is_some_and(|item| item.class == Class::Digit)
                        && street_start(self, next + 1)));
            let named_number = unknown_word(self, index)
                && self
                    .t
                    .list
                    .get(next)
                    .is_some_and(|item| item.class == Class::Digit && self.t.raw(next).len() <= 5)
                && (next + 1 >= self.t.len()
                    || self.t.list[next + 1].line_start
                    || self.t.is_punct(next + 1, ',')
                    || UNIT_WORDS.contains(&self.word(next + 1))
                    || self.has(next + 1, STREET_SUFFIX));
            let postbox = word == "postbox"
                && self
                    .t
                    .list
                    .get(next)
                    .is_some_and(|item| item.class == Class::Digit);
            let post_box = word == "box"
                && index >= 2
                && (self.word(index - 1) == "po"
                    || (self.t.is_punct(index - 1, '.') && self.word(index - 2) == "o"))
                && self
                    .t
                    .list
                    .get(next)
                    .is_some_and(|item| item.class == Class::Digit);
            let opened = opener(self, index)
                && self
                    .t
                    .list
                    .get(self.skip_period(next))
                    .is_some_and(|item| item.class == Class::Alpha && item.case == Case::Title);
            let military =
                matches!(word, "psc" | "apo" | "fpo" | "dpo" | "usns" | "uss") && token.case == Case::Upper;
            // A unit line may follow quoting marks ("> Apt. 342", "??? apt. 169").
            let mut opening = index;
            while opening > 0 && (self.t.is_punct(opening - 1, '>') || self.t.is_punct(opening - 1, '?')) {
                opening -= 1;
            }
            let unit_line = self.t.list[opening].line_start
                && matches!(word, "apt" | "suite" | "unit" | "box")
                && matches!(
                    self.t.list.get(self.skip_period(next)).map(|item| item.class),
                    Some(Class::Digit | Class::Alnum)
                );
            if !(numbered || named_number || military || unit_line || post_box || postbox || opened) {
                index += 1;
                continue;
            }
            let start = if post_box {
                index.saturating_sub(4).max(self.token_line_start(index))
            } else {
                index
            };
            match self.address_block(index, false) {
                Some(last) if last > index => {
                    self.push(start, last, Kind::Location, LOCATION - 10);
                    index = last + 1;
                }
                _ => index += 1,
            }
        }
    }

    fn street_name_word(&self, index: usize) -> bool {
        if index >= self.t.len() || self.is_placeholder(index) {
            return false;
        }
        let token = &self.t.list[index];
        if token.class == Class::Alnum {
            return is_ordinal(self.word(index));
        }
        if token.class != Class::Alpha {
            return false;
        }
        if self.has(index, STOP | ABBREVIATION | TITLE) {
            return false;
        }
        token.caps || matches!(token.case, Case::Title | Case::Upper)
    }

    /// A lower-case word that may name a street after a house number: no function word, title,
    /// unit of measure ("2000 feet") or other street suffix.
    fn lower_street_name_word(&self, index: usize) -> bool {
        self.alpha(index)
            && self.t.list[index].case == Case::Lower
            && !self.has(index, STOP | ABBREVIATION | TITLE | MODAL | STREET_SUFFIX)
            && !crate::patterns::is_unit(self.word(index))
    }

    fn house_number(&self, index: usize) -> bool {
        if index >= self.t.len() {
            return false;
        }
        let token = &self.t.list[index];
        let raw = self.t.raw(index);
        match token.class {
            Class::Digit => raw.len() <= 6,
            Class::Alnum => {
                raw.len() <= 7 && raw.as_bytes()[0].is_ascii_digit() && !is_ordinal(self.word(index))
            }
            _ => false,
        }
    }

    fn streets(&mut self) {
        for index in 1..self.t.len() {
            if !self.alpha(index) || !self.has(index, STREET_SUFFIX) {
                continue;
            }
            let suffix = self.word(index);
            let caps = self.caps(index);
            let lower_suffix = self.t.list[index].case == Case::Lower;
            // Lower-case suffixes that are also everyday nouns ("court", "way") count only after
            // a house number and a street word ("411 juniper court").
            let numbered_only = matches!(
                suffix,
                "court" | "circle" | "trail" | "terrace" | "parkway" | "way"
            );
            if lower_suffix
                && !numbered_only
                && !matches!(
                    suffix,
                    "street" | "avenue" | "road" | "boulevard" | "drive" | "lane"
                )
            {
                continue;
            }

            let mut first = index;
            while first > 0 && index - first < 4 && self.street_name_word(first - 1) {
                first -= 1;
            }
            // A direction with its period between the house number and the name: "4417 W. Fig St".
            if first < index
                && first >= 3
                && self.t.is_punct(first - 1, '.')
                && DIRECTIONS.contains(&self.word(first - 2))
                && self.house_number(first - 3)
            {
                first -= 2;
            }
            // "1187 willow drive": a street typed in lower case counts after a house number.
            if first == index && lower_suffix {
                let mut lower_first = index;
                while lower_first > 1
                    && index - lower_first < 2
                    && self.lower_street_name_word(lower_first - 1)
                {
                    lower_first -= 1;
                }
                if lower_first < index && self.house_number(lower_first - 1) {
                    first = lower_first;
                }
            }
            if first == index
                || (lower_suffix && numbered_only && !(first > 0 && self.house_number(first - 1)))
            {
                continue;
            }
            let names: Vec<usize> = (first..index).collect();
            if names.iter().all(|&name| self.has(name, STREET_GENERIC)) {
                continue;
            }
            // "SFPD DR 2023-00417725": "DR" after an agency is a report number's label, not Drive.
            if names.iter().any(|&name| {
                self.has(name, AGENCY_ANCHOR) && is_agency_acronym(self.t.raw(name), self.t.list[name].case)
            }) {
                continue;
            }
            let numbered = first > 0 && self.house_number(first - 1);
            let cue = first > 0 && STREET_CUES.contains(&self.word(first - 1));
            let unusual = names
                .iter()
                .any(|&name| !self.common_at(name) || is_ordinal(self.word(name)));
            let risky = self.lex.risky_street_suffixes.contains(suffix);
            // A square is an open place far more often than a shape where "AT" or "NEAR" comes
            // before it: "NEAR UNION SQUARE".
            let square_cue = matches!(suffix, "square" | "sq")
                && first > 0
                && matches!(self.word(first - 1), "at" | "near");
            let accepted = if caps {
                numbered || unusual || (cue && !risky) || square_cue
            } else {
                let starts_sentence = self.t.list[first].sentence_start && self.common_at(first);
                (numbered || !starts_sentence) && (!risky || numbered || cue || unusual || !lower_suffix)
            };
            if !accepted {
                continue;
            }

            let mut start = if numbered { first - 1 } else { first };
            let block = self.block_before(first);
            if let Some(block_start) = block {
                start = block_start;
            }
            let mut last = index;
            let mut next = self.skip_period(index + 1);
            if DIRECTIONS.contains(&self.word(next)) && self.capitalised(next) {
                last = next;
                next = self.skip_period(next + 1);
            }
            last = self.unit_after(last, next);
            let street_end = last;
            last = self.intersection_after(last);
            self.push(start, last, Kind::Location, LOCATION);
            // A town follows a house address directly, or any street or corner after a comma.
            let house = (numbered || block.is_some()) && last == street_end;
            if house || self.t.is_punct(last + 1, ',') {
                self.town_after_address(last + 1, house);
            }
        }
    }

    /// Extends an address over "#6B", "Apt 19", "Suite 200".
    fn unit_after(&self, last: usize, mut next: usize) -> usize {
        if self.t.is_punct(next, ',') {
            next += 1;
        }
        if self.t.is_punct(next, '#')
            && next + 1 < self.t.len()
            && self.t.list[next + 1].class != Class::Punct
        {
            return next + 1;
        }
        if UNIT_WORDS.contains(&self.word(next)) {
            let value = self.skip_period(next + 1);
            let value = if self.t.is_punct(value, '#') {
                value + 1
            } else {
                value
            };
            if value < self.t.len() && matches!(self.t.list[value].class, Class::Digit | Class::Alnum) {
                return value;
            }
            if self.is_initial(value) {
                return value;
            }
        }
        last
    }

    /// Extends a street over "and Main", "& 5th Ave" when the second street follows.
    fn intersection_after(&self, last: usize) -> usize {
        let joint = last + 1;
        if !(self.word(joint) == "and" || self.t.is_punct(joint, '&')) {
            return last;
        }
        let mut end = joint;
        while end + 1 < self.t.len() && end - joint < 3 && self.street_name_word(end + 1) {
            end += 1;
        }
        if end == joint {
            return last;
        }
        let closed = end + 1 >= self.t.len() || self.t.list[end + 1].class == Class::Punct;
        if self.has(end, STREET_SUFFIX)
            || (!self.caps(end) && self.capitalised(end))
            || is_ordinal(self.word(end))
            || (self.caps(end) && closed)
        {
            return end;
        }
        last
    }

    /// "the corner of Oak and Pine", "5th and Main".
    fn corners(&mut self) {
        for index in 0..self.t.len() {
            if !self.has(index, CORNER_WORD) && self.t.list[index].class != Class::Alnum {
                continue;
            }
            let word = self.word(index);
            let joint = if matches!(word, "corner" | "intersection") && self.word(index + 1) == "of" {
                let mut end = index + 1;
                while end + 1 < self.t.len() && end - index < 5 && self.street_name_word(end + 1) {
                    end += 1;
                }
                if end == index + 1 || !(self.word(end + 1) == "and" || self.t.is_punct(end + 1, '&')) {
                    continue;
                }
                let last = self.intersection_after(end);
                if last > end + 1 {
                    self.push(index + 2, last, Kind::Location, LOCATION);
                }
                continue;
            } else if is_ordinal(word) && (self.word(index + 1) == "and" || self.t.is_punct(index + 1, '&')) {
                index
            } else {
                continue;
            };
            let last = self.intersection_after(joint);
            if last > joint {
                self.push(joint, last, Kind::Location, LOCATION);
            }
        }
    }

    fn counties(&mut self) {
        for index in 1..self.t.len() {
            if !self.has(index, AREA_WORD) || !(self.caps(index) || self.capitalised(index)) {
                continue;
            }
            let mut first = index;
            while first > 0 && index - first < 3 && self.proper_word(first - 1) {
                first -= 1;
            }
            if first < index {
                self.push(first, index, Kind::Location, LOCATION);
            }
        }
    }

    fn gazetteer(&mut self) {
        for index in 0..self.t.len() {
            let length = self.place_len[index] as usize;
            if length == 0 {
                continue;
            }
            let last = index + length - 1;
            if length == 1 && self.has(index, STATE | STATE_CODE) {
                continue;
            }
            if length > 1 {
                let joined = (index..=last)
                    .map(|token| self.word(token))
                    .collect::<Vec<_>>()
                    .join(" ");
                if self.lex.states.contains(joined.as_str()) {
                    continue;
                }
            }
            let first_word = self.word(index);
            let caps = self.caps(index);
            if !caps && !(index..=last).all(|token| self.capitalised(token) || self.word(token) == "of") {
                continue;
            }
            let unusual = (index..=last).any(|token| !self.common_at(token) && !self.has(token, STOP));
            let after_state = self.followed_by_state(last + 1);
            // "from the Kayenta substation", "AT THE TUBA CITY CLINIC": a town names the
            // facility that follows it.
            let facility = index > 1
                && self.word(index - 1) == "the"
                && self.has(index - 2, PLACE_PREPOSITION)
                && FACILITIES.contains(&self.word(last + 1));
            // "circled over Kayenta": "over" counts for a town that is no English word, in
            // mixed case, where aviation text has "OVER" before every fix and airport.
            let over = index > 0 && self.word(index - 1) == "over" && !caps && unusual;
            let cue = facility || over || (index > 0 && self.has(index - 1, PLACE_PREPOSITION));
            let closed = last + 1 >= self.t.len()
                || (self.t.list[last + 1].class == Class::Punct
                    && !self.t.is_punct(last + 1, '-')
                    && !self.t.is_punct(last + 1, '/'));
            // In capitals a short single word is more often a code ("ORD") than a town.
            let code_like = caps && length == 1 && first_word.len() <= 3;
            let everyday = length == 1 && self.e(index).is_everyday_word();
            // In mixed case a capital letter after the preposition is evidence enough for a
            // town that is a rare English word ("in Homer").
            let capitalised_rare = !caps
                && length == 1
                && !everyday
                && self.t.list[index].case == Case::Title
                && !self.t.list[index].sentence_start
                && !self.capitalised(last + 1);
            let accepted = after_state
                || (cue && !code_like && (unusual || capitalised_rare || (closed && !everyday)))
                || (facility && !code_like && !everyday);
            if accepted {
                self.push(index, last, Kind::Location, LOCATION - 5);
            }
        }
    }

    /// Places named by a word that the gazetteer does not list, after a place preposition:
    /// "near Lake Havasu", "ON BROADWAY", "AT PENN STATION".
    fn landmarks(&mut self) {
        for index in 1..self.t.len() {
            // Most tokens fail this one flag test, which is cheaper than comparing words.
            if !self.has(index, LANDMARK_START) {
                continue;
            }
            if self.has(index - 1, PLACE_PREPOSITION)
                && self
                    .t
                    .list
                    .get(index + 1)
                    .is_some_and(|token| token.case == Case::Lower)
                && self.word(index) == "the"
            {
                self.lower_town_before_facility(index + 1);
            }
            if !(self.caps(index) || self.capitalised(index)) || !self.alpha(index) {
                continue;
            }
            let landmark = matches!(self.word(index), "lake" | "mount" | "broadway" | "union" | "penn");
            if !landmark {
                continue;
            }
            let before_facility = index > 1
                && self.word(index - 1) == "the"
                && self.has(index - 2, PLACE_PREPOSITION)
                && FACILITIES.contains(&self.word(index + 2));
            let cue = before_facility
                || self.has(index - 1, PLACE_PREPOSITION)
                || STREET_CUES.contains(&self.word(index - 1));
            if !cue {
                continue;
            }
            let next = index + 1;
            let named_next = self.alpha(next)
                && (self.caps(next) || self.capitalised(next))
                && self.word(next).len() >= 3
                && !self.has(next, STOP | TITLE | ABBREVIATION | GENERIC | AGENCY_ANCHOR)
                && !self.is_placeholder(next);
            match self.word(index) {
                // A lake or a mountain takes the next word as its name, which may also be a
                // first name ("Lake Mary") and must not be read as a person.
                "lake" | "mount" if named_next => self.push(index, next, Kind::Location, PERSON + 1),
                // The one street that American reports name without a suffix.
                "broadway" => self.push(index, index, Kind::Location, LOCATION),
                // "Union Station", "Penn Station": the usual names of city rail stations. Other
                // words before "station" are mostly its purpose ("GAS STATION", "CREW STATION").
                "union" | "penn" if self.word(next) == "station" && self.capitalised(next) => {
                    self.push(index, next, Kind::Location, LOCATION)
                }
                _ => {}
            }
        }
    }

    /// "from the kayenta substation": a gazetteer town in lower case before a facility, which
    /// the capitalised rule in `gazetteer` does not see.
    fn lower_town_before_facility(&mut self, first: usize) {
        if !self.alpha(first) || self.t.list[first].case != Case::Lower {
            return;
        }
        let facility_at = (first + 1..first + 4).find(|token| FACILITIES.contains(&self.word(*token)));
        let Some(facility) = facility_at else {
            return;
        };
        let lower =
            (first..facility).all(|token| self.alpha(token) && self.t.list[token].case == Case::Lower);
        if lower && self.town_from(first, false) == Some(facility - 1) {
            self.push(first, facility - 1, Kind::Location, LOCATION - 5);
        }
    }

    /// Tells whether ", AZ" or ", Ohio" follows.
    fn followed_by_state(&self, comma: usize) -> bool {
        if !self.t.is_punct(comma, ',') || !self.alpha(comma + 1) {
            return false;
        }
        let state = comma + 1;
        let word = self.word(state);
        if self.has(state, STATE_CODE) {
            return self.t.list[state].case == Case::Upper;
        }
        if self.has(state, STATE) {
            return true;
        }
        let two = format!("{} {}", word, self.word(state + 1));
        self.lex.states.contains(two.as_str())
    }

    /// "…, Glendale, AZ": the words between a comma and a state.
    fn city_state(&mut self) {
        for comma in 1..self.t.len() {
            if !self.followed_by_state(comma) {
                continue;
            }
            let last = comma - 1;
            let mut first = comma;
            while first > 0
                && comma - first < 3
                && self.alpha(first - 1)
                && (self.proper_word(first - 1) || self.in_place[first - 1])
            {
                first -= 1;
            }
            if first == comma {
                continue;
            }
            let opened =
                first == 0 || self.t.list[first - 1].class == Class::Punct || self.has(first - 1, STOP);
            if opened {
                self.push(first, last, Kind::Location, LOCATION);
            }
        }
    }
}

/// Tells whether a word that is in no word list is an agency's initials in capitals: four or five
/// letters ending in "PD" ("NYPD", "LVMPD"), four ending in "SO" or "SP" ("PBSO", "NYSP"), or
/// three ending in "HP" ("CHP"). Shorter or longer forms are mostly aviation codes ("SPD",
/// "MSP", "LAHSO"). Callers pass only unknown words, so English words ("ALSO") never count.
fn is_agency_acronym(raw: &str, case: Case) -> bool {
    let bytes = raw.as_bytes();
    if case != Case::Upper || !bytes.iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    match bytes.len() {
        3 => bytes.ends_with(b"HP"),
        4 => bytes.ends_with(b"PD") || bytes.ends_with(b"SO") || bytes.ends_with(b"SP"),
        5 => bytes.ends_with(b"PD"),
        _ => false,
    }
}

/// Tells whether a word in ALL-CAPS text is an agency's initials after "of" or "according to":
/// "OF THE FBI", "OF BPD", "ACCORDING TO KPD". "SPD" is left out because it means speed in
/// aviation shorthand ("RATE OF SPD"). After "by" or "from" ("MET BY THE FBI") the initials
/// stand for the agency as a whole far more often than for one officer's employer.
fn caps_agency_initials(t: &Tokens, index: usize) -> bool {
    let raw = t.raw(index);
    if raw == "SPD" || !is_mixed_case_agency_initials(raw) || index < 2 {
        return false;
    }
    let mut before = index - 1;
    if t.word(before) == "the" {
        before -= 1;
    }
    match t.word(before) {
        "of" => true,
        "to" => before >= 1 && t.word(before - 1) == "according",
        _ => false,
    }
}

/// Federal law-enforcement agencies known by their initials. "ICE" is left out because pilots
/// write "ICE" for ice even in mixed-case reports.
const FEDERAL_INITIALS: &[&str] = &["FBI", "DEA", "ATF", "USMS", "CBP", "HSI", "DHS"];

/// Tells whether a word typed in capitals inside mixed-case text is an agency's initials: a
/// federal agency ("DEA") or three letters ending in "PD" ("APD"), which in ALL-CAPS text are
/// mostly aviation shorthand ("SPD" for speed).
fn is_mixed_case_agency_initials(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    if !(3..=4).contains(&bytes.len()) || !bytes.iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    (bytes.len() == 3 && bytes.ends_with(b"PD")) || FEDERAL_INITIALS.contains(&raw)
}

/// Tells whether a word has a verb or adverb ending ("PANICKED", "RPTEDLY"). Callers check it
/// only for words that are not census names, so "Reed" and "Kelly" pass.
fn is_verb_like(word: &str) -> bool {
    word.ends_with("ed") || word.ends_with("ing") || word.ends_with("ly")
}

/// "they'd", "she'll", "won't": never part of a name, unlike "O'Brien".
fn is_contraction(word: &str) -> bool {
    [
        "'d", "'ll", "'re", "'ve", "'m", "n't", "’d", "’ll", "’re", "’ve", "’m", "n’t",
    ]
    .iter()
    .any(|ending| word.ends_with(ending))
}

fn is_possessive(word: &str) -> bool {
    word.ends_with("'s") || word.ends_with("’s")
}

fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

fn is_address_particle(word: &str) -> bool {
    ADDRESS_PARTICLES.contains(&word)
}

fn has_vowel(word: &str) -> bool {
    word.bytes()
        .any(|byte| matches!(byte, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') || !byte.is_ascii())
}

fn is_ordinal(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits <= 3 && matches!(&word[digits..], "st" | "nd" | "rd" | "th")
}
