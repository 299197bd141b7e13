//! The text analyzer of report text: words split on non-alphanumeric characters, lowercased,
//! irregular plurals mapped to their singular, then reduced by the Snowball English stemmer.
//!
//! Snowball alone leaves `-ves` plurals apart from their singular (`knives` becomes `knive`
//! while `knife` stays `knife`), so a search for one would miss the other.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

/// Name under which the analyzer is registered with the index.
pub const ANALYZER: &str = "nearmiss_en";

/// Plurals that the stemmer does not bring to the stem of their singular. Verb forms that look
/// like such plurals (`leaves`, `saves`) are left out on purpose.
const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("knives", "knife"),
    ("wives", "wife"),
    ("lives", "life"),
    ("wolves", "wolf"),
    ("halves", "half"),
    ("shelves", "shelf"),
    ("thieves", "thief"),
    ("selves", "self"),
    ("men", "man"),
    ("women", "woman"),
    ("policemen", "policeman"),
    ("children", "child"),
    ("feet", "foot"),
    ("teeth", "tooth"),
    ("mice", "mouse"),
];

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(IrregularPlurals)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Replaces an irregular plural token by its singular; expects lowercase input.
#[derive(Clone)]
struct IrregularPlurals;

impl TokenFilter for IrregularPlurals {
    type Tokenizer<T: Tokenizer> = IrregularPluralsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> IrregularPluralsFilter<T> {
        IrregularPluralsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
struct IrregularPluralsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for IrregularPluralsFilter<T> {
    type TokenStream<'a> = IrregularPluralsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        IrregularPluralsStream {
            tail: self.inner.token_stream(text),
        }
    }
}

struct IrregularPluralsStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for IrregularPluralsStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some((_, singular)) = IRREGULAR_PLURALS.iter().find(|(plural, _)| *plural == token.text) {
            token.text.clear();
            token.text.push_str(singular);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(stream.token().text.clone());
        }
        terms
    }

    #[test]
    fn knife_forms_share_stem() {
        let stems = terms("Knife knives KNIFES knifed knifing");
        assert!(stems.iter().all(|stem| stem == "knife"), "{stems:?}");
    }

    #[test]
    fn splits_and_stems_words() {
        assert_eq!(
            terms("Officers searched the car's trunk"),
            ["offic", "search", "the", "car", "s", "trunk"]
        );
    }
}
