//! Removes person, place and agency proposals that are trade names: vehicle makes and models
//! ("Hyundai Sonata", "SUBARU OUTBACK"), firearm makers ("Smith & Wesson", "Beretta"), the
//! "Miranda" of a Miranda warning and language names read as towns ("in ENGLISH").
//!
//! The lists are hand-written from common US vehicle makes and models and firearm makers. They
//! leave out makes that are also surnames or towns ("Ford", "Lincoln", "Dodge", "Colt", "Koch",
//! "Savage", "Springfield", "Winchester"), which stay names.

use super::Rules;
use crate::tokens::Class;
use crate::Kind;

/// Vehicle makes and firearm makers that are seldom a person's or a town's name.
const MAKES: &[&str] = &[
    "chevrolet",
    "chevy",
    "toyota",
    "honda",
    "nissan",
    "hyundai",
    "kia",
    "subaru",
    "mazda",
    "volkswagen",
    "vw",
    "bmw",
    "audi",
    "mercedes",
    "mercedes-benz",
    "lexus",
    "acura",
    "infiniti",
    "tesla",
    "volvo",
    "mitsubishi",
    "pontiac",
    "chrysler",
    "buick",
    "cadillac",
    "gmc",
    "jeep",
    "freightliner",
    "peterbilt",
    "kenworth",
    "harley-davidson",
    "kawasaki",
    "yamaha",
    "suzuki",
    "glock",
    "ruger",
    "sig",
    "sauer",
    "beretta",
    "taurus",
    "wesson",
    "mossberg",
    "kimber",
    "hi-point",
    "kel-tec",
    "bersa",
    "kahr",
    "norinco",
    "canik",
    "zastava",
];

/// Vehicle models: trade names alone ("Sonata") or after a make ("Jeep Compass", "GMC Sierra").
const MODELS: &[&str] = &[
    "altima",
    "sentra",
    "maxima",
    "rogue",
    "pathfinder",
    "frontier",
    "titan",
    "camry",
    "corolla",
    "tacoma",
    "tundra",
    "prius",
    "rav4",
    "highlander",
    "4runner",
    "sienna",
    "civic",
    "accord",
    "odyssey",
    "pilot",
    "cr-v",
    "elantra",
    "sonata",
    "tucson",
    "optima",
    "sorento",
    "sportage",
    "forte",
    "soul",
    "silverado",
    "tahoe",
    "suburban",
    "impala",
    "malibu",
    "equinox",
    "camaro",
    "corvette",
    "colorado",
    "traverse",
    "cherokee",
    "wrangler",
    "compass",
    "renegade",
    "gladiator",
    "charger",
    "challenger",
    "durango",
    "caravan",
    "journey",
    "ram",
    "f-150",
    "f150",
    "explorer",
    "escape",
    "expedition",
    "mustang",
    "fusion",
    "focus",
    "ranger",
    "bronco",
    "taurus",
    "outback",
    "forester",
    "impreza",
    "legacy",
    "jetta",
    "passat",
    "cx-5",
    "yukon",
    "sierra",
    "acadia",
    "escalade",
    "enclave",
    "grand",
    "cascadia",
    "g2c",
    "xd",
];

/// Languages that are also town names in the gazetteer ("English", Indiana).
const LANGUAGES: &[&str] = &[
    "english",
    "spanish",
    "arabic",
    "french",
    "german",
    "russian",
    "chinese",
    "vietnamese",
    "korean",
    "polish",
    "italian",
    "portuguese",
    "somali",
    "tagalog",
];

/// Words after "Miranda" that make it the warning rather than a person.
const MIRANDA_FOLLOWERS: &[&str] = &[
    "warning",
    "warnings",
    "rights",
    "right",
    "card",
    "waiver",
    "advisement",
    "was",
    "read",
];

impl Rules<'_, '_> {
    fn is_make(&self, index: usize) -> bool {
        self.alpha_or_alnum(index) && MAKES.contains(&self.word(index))
    }

    fn is_model(&self, index: usize) -> bool {
        self.alpha_or_alnum(index) && MODELS.contains(&self.word(index))
    }

    fn alpha_or_alnum(&self, index: usize) -> bool {
        index < self.t.len() && matches!(self.t.list[index].class, Class::Alpha | Class::Alnum)
    }

    /// Tells whether tokens `first..=last` spell a trade name: makes, and models that either
    /// follow a make or are no listed name or place.
    fn is_trade_name(&self, first: usize, last: usize) -> bool {
        let mut after_make = first > 0 && self.is_make(first - 1);
        for index in first..=last {
            if self.t.list[index].class == Class::Punct {
                continue;
            }
            if self.is_make(index) {
                after_make = true;
                continue;
            }
            let entry = self.e(index);
            let plain_model = self.is_model(index)
                && !entry.is_name()
                && !entry.has(crate::lexicon::PLACE)
                && !self.in_place[index];
            if !(self.is_model(index) && (after_make || plain_model)) {
                return false;
            }
        }
        true
    }

    /// Tells whether the proposal at `first..=last` is no identifier: a trade name, the first
    /// half of "Smith & Wesson", "Miranda" before "warning", or a language read as a town.
    fn is_product_or_term(&self, kind: Kind, first: usize, last: usize) -> bool {
        if self.is_trade_name(first, last) {
            return true;
        }
        if first == last && self.t.is_punct(last + 1, '&') && self.is_make(last + 2) {
            return true;
        }
        let word = self.word(first);
        if first == last && word == "miranda" {
            let previous = if first > 0 { self.word(first - 1) } else { "" };
            return MIRANDA_FOLLOWERS.contains(&self.word(first + 1)) || matches!(previous, "read" | "post");
        }
        kind == Kind::Location && first == last && LANGUAGES.contains(&word)
    }

    /// Drops the person, place and agency proposals that `is_product_or_term` rejects.
    pub(super) fn drop_products(&mut self) {
        let found = std::mem::take(&mut self.found);
        let identifiers = found
            .into_iter()
            .filter(|candidate| {
                if !matches!(candidate.kind, Kind::Person | Kind::Location | Kind::Agency) {
                    return true;
                }
                let range = self.token_range(candidate.start, candidate.end);
                range.is_empty() || !self.is_product_or_term(candidate.kind, range.start, range.end - 1)
            })
            .collect();
        self.found = identifiers;
    }
}

/// Tells whether a lower-case word is a vehicle or firearm make from the list above.
pub(crate) fn is_listed_make(word: &str) -> bool {
    MAKES.contains(&word)
}
