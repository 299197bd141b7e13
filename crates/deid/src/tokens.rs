//! Tokenizer for the name, agency and location rules: words with their case shape, numbers,
//! single punctuation characters, and whether each token sits in ALL-CAPS text.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    /// Letters only, with inner apostrophes or hyphens ("O'Brien", "Smith-Jones").
    Alpha,
    /// Digits only.
    Digit,
    /// Letters and digits ("5th", "2B12", "4FT-744").
    Alnum,
    Punct,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Case {
    /// Every letter is upper case.
    Upper,
    /// Upper-case first letter and at least one lower-case letter ("Smith", "McKay").
    Title,
    /// Lower-case first letter.
    Lower,
    /// No letters.
    None,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub class: Class,
    pub case: Case,
    /// Byte range of the lower-case form in `Tokens::lower`.
    lower: (u32, u32),
    /// The token begins a sentence (first token, or after `.`, `!`, `?`, `;`, `:` or a line break).
    pub sentence_start: bool,
    /// The token is in a sentence typed in capitals, where letter case is no evidence of a name.
    pub caps: bool,
    /// A line break lies between this token and the previous one.
    pub line_start: bool,
}

pub(crate) struct Tokens<'t> {
    pub text: &'t str,
    pub list: Vec<Token>,
    lower: String,
}

impl<'t> Tokens<'t> {
    pub fn new(text: &'t str) -> Tokens<'t> {
        let mut tokens = Tokens {
            text,
            list: Vec::with_capacity(text.len() / 5),
            lower: String::with_capacity(text.len()),
        };
        tokens.split();
        tokens.mark_caps();
        tokens
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn lower(&self, index: usize) -> &str {
        let (start, end) = self.list[index].lower;
        &self.lower[start as usize..end as usize]
    }

    /// Returns the lower-case word at `index`, or "" for punctuation and past the end.
    pub fn word(&self, index: usize) -> &str {
        if index < self.list.len() && self.list[index].class != Class::Punct {
            self.lower(index)
        } else {
            ""
        }
    }

    pub fn is_punct(&self, index: usize, symbol: char) -> bool {
        index < self.list.len()
            && self.list[index].class == Class::Punct
            && self.text[self.list[index].start..].starts_with(symbol)
    }

    pub fn raw(&self, index: usize) -> &'t str {
        let token = &self.list[index];
        &self.text[token.start..token.end]
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        class: Class,
        case: Case,
        sentence_start: bool,
        line_start: bool,
    ) {
        let lower_start = self.lower.len() as u32;
        let raw = &self.text[start..end];
        if raw.is_ascii() {
            self.lower.push_str(raw);
            self.lower[lower_start as usize..].make_ascii_lowercase();
        } else {
            for character in raw.chars() {
                self.lower.extend(character.to_lowercase());
            }
        }
        let lower = (lower_start, self.lower.len() as u32);
        self.list.push(Token {
            start,
            end,
            class,
            case,
            lower,
            sentence_start,
            caps: false,
            line_start,
        });
    }

    fn split(&mut self) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut position = 0;
        let mut sentence_start = true;
        let mut line_start = true;

        while position < bytes.len() {
            let byte = bytes[position];
            let (space, word, width) = if byte.is_ascii() {
                (byte.is_ascii_whitespace(), byte.is_ascii_alphanumeric(), 1)
            } else {
                let character = next_char(text, position);
                (
                    character.is_whitespace(),
                    character.is_alphanumeric(),
                    character.len_utf8(),
                )
            };

            if space {
                if byte == b'\n' || byte == b'\r' {
                    line_start = true;
                    sentence_start = true;
                }
                position += width;
                continue;
            }

            if !word {
                let after_abbreviation = byte == b'.' && self.ends_abbreviation();
                self.push(
                    position,
                    position + width,
                    Class::Punct,
                    Case::None,
                    sentence_start,
                    line_start,
                );
                sentence_start = matches!(byte, b'.' | b'!' | b'?' | b';' | b':') && !after_abbreviation;
                line_start = false;
                position += width;
                continue;
            }

            let start = position;
            let (mut letters, mut digits, mut upper, mut lower) = (0usize, 0usize, 0usize, 0usize);
            let mut first_upper = false;
            let mut first_lower = false;
            while position < bytes.len() {
                let byte = bytes[position];
                if byte.is_ascii() {
                    if byte.is_ascii_digit() {
                        digits += 1;
                        position += 1;
                        continue;
                    }
                    if byte.is_ascii_alphabetic() {
                        let is_upper = byte.is_ascii_uppercase();
                        if letters == 0 {
                            first_upper = is_upper;
                            first_lower = !is_upper;
                        }
                        letters += 1;
                        if is_upper {
                            upper += 1;
                        } else {
                            lower += 1;
                        }
                        position += 1;
                        continue;
                    }
                    // An apostrophe or hyphen joins two word parts: "O'Brien", "4FT-744".
                    if (byte == b'\'' || byte == b'-')
                        && position + 1 < bytes.len()
                        && next_char(text, position + 1).is_alphanumeric()
                    {
                        position += 1;
                        continue;
                    }
                    break;
                }

                let character = next_char(text, position);
                if character.is_alphanumeric() {
                    if character.is_numeric() {
                        digits += 1;
                    } else {
                        if letters == 0 {
                            first_upper = character.is_uppercase();
                            first_lower = character.is_lowercase();
                        }
                        letters += 1;
                        if character.is_uppercase() {
                            upper += 1;
                        } else if character.is_lowercase() {
                            lower += 1;
                        }
                    }
                    position += character.len_utf8();
                    continue;
                }
                if character == '’' {
                    let after = position + character.len_utf8();
                    if after < bytes.len() && next_char(text, after).is_alphanumeric() {
                        position = after;
                        continue;
                    }
                }
                break;
            }

            let class = match (letters > 0, digits > 0) {
                (true, false) => Class::Alpha,
                (false, true) => Class::Digit,
                _ => Class::Alnum,
            };
            // An abbreviation in capitals with a plural or possessive "s" ("ABAs", "LEO's") is
            // typed in capitals, not in title case.
            let capitals_with_s = upper >= 2 && lower == 1 && bytes[position - 1] == b's';
            let case = if letters == 0 {
                Case::None
            } else if (upper > 0 && lower == 0) || capitals_with_s {
                Case::Upper
            } else if first_upper {
                Case::Title
            } else if first_lower {
                Case::Lower
            } else {
                Case::None
            };
            self.push(start, position, class, case, sentence_start, line_start);
            sentence_start = false;
            line_start = false;
        }
    }

    /// Tells whether the last token is an initial or a short abbreviation whose period does not
    /// end the sentence ("E.", "Sgt.", "Ave.").
    fn ends_abbreviation(&self) -> bool {
        let Some(last) = self.list.last() else {
            return false;
        };
        if last.class != Class::Alpha {
            return false;
        }
        if self.text[last.start..last.end].chars().count() == 1 {
            return true;
        }
        let (start, end) = last.lower;
        is_abbreviation_with_period(&self.lower[start as usize..end as usize])
    }

    /// Marks the tokens of each sentence typed in capitals. A sentence with fewer than four
    /// words of two letters or more takes the style of the whole text.
    fn mark_caps(&mut self) {
        let mut upper_words = 0usize;
        let mut other_words = 0usize;
        for token in &self.list {
            if token.class == Class::Alpha && token.end - token.start >= 2 {
                if token.case == Case::Upper {
                    upper_words += 1;
                } else {
                    other_words += 1;
                }
            }
        }
        let document_caps = upper_words > 0 && upper_words * 10 >= (upper_words + other_words) * 7;

        let mut sentence_begin = 0;
        for index in 0..=self.list.len() {
            let boundary =
                index == self.list.len() || (index > sentence_begin && self.list[index].sentence_start);
            if !boundary {
                continue;
            }
            let (mut upper, mut other) = (0usize, 0usize);
            for token in &self.list[sentence_begin..index] {
                if token.class == Class::Alpha && token.end - token.start >= 2 {
                    if token.case == Case::Upper {
                        upper += 1;
                    } else {
                        other += 1;
                    }
                }
            }
            let caps = if upper + other >= 4 {
                upper * 10 >= (upper + other) * 8
            } else {
                document_caps
            };
            for token in &mut self.list[sentence_begin..index] {
                token.caps = caps;
            }
            sentence_begin = index;
        }
    }
}

fn next_char(text: &str, position: usize) -> char {
    let byte = text.as_bytes()[position];
    if byte.is_ascii() {
        return byte as char;
    }
    text[position..].chars().next().unwrap_or(' ')
}

/// Short forms that a period follows without ending the sentence.
fn is_abbreviation_with_period(word: &str) -> bool {
    matches!(
        word,
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "sgt"
            | "lt"
            | "det"
            | "ofc"
            | "cpl"
            | "tpr"
            | "capt"
            | "cpt"
            | "dep"
            | "insp"
            | "cmdr"
            | "maj"
            | "col"
            | "gen"
            | "st"
            | "ave"
            | "av"
            | "blvd"
            | "rd"
            | "ln"
            | "ct"
            | "pl"
            | "hwy"
            | "pkwy"
            | "apt"
            | "ste"
            | "no"
            | "jr"
            | "sr"
            | "vs"
            | "approx"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "mt"
            | "ft"
    )
}
