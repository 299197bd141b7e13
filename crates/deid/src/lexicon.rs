//! Word lists: the census and gazetteer lists compiled in from `data/`, and the short lists of
//! police, address and aviation vocabulary that the rules use as context.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// FNV-1a: the keys are short lower-case words, for which it is faster than SipHash, and the
/// lists are fixed at compile time, so hash flooding is no concern.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

pub(crate) type WordSet = HashSet<&'static str, BuildHasherDefault<Fnv>>;
pub(crate) type WordRanks = HashMap<&'static str, u32, BuildHasherDefault<Fnv>>;

/// Surnames up to this census rank, and first names up to `WELL_KNOWN_FIRST_NAME_RANK`, are
/// frequent enough to be read as names in ALL-CAPS text even when they are also English words
/// ("BROWN", "GRANT"). Rarer ones ("BEGAN", "SPEAK") are read as words.
const WELL_KNOWN_SURNAME_RANK: u32 = 1500;
pub(crate) const WELL_KNOWN_FIRST_NAME_RANK: u32 = 500;
const EVERYDAY_WORD_RANK: u32 = 5000;
/// Words up to this frequency rank also go in `Lexicon::frequent_entries`.
const FREQUENT_WORD_RANK: u32 = 3000;
/// The first-name rank given to a name of `given_names.txt`, past every census first name, so
/// that none of them counts as well known.
const GIVEN_NAME_RANK: u32 = 100_000;

/// The facts that the lists record about one word, gathered so that a token needs one lookup.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub flags: u32,
    /// Frequency rank among common English words, `u32::MAX` when not common.
    pub common_rank: u32,
    pub first_name_rank: u32,
    pub surname_rank: u32,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            flags: 0,
            common_rank: u32::MAX,
            first_name_rank: u32::MAX,
            surname_rank: u32::MAX,
        }
    }
}

pub(crate) const STOP: u32 = 1;
pub(crate) const TITLE: u32 = 1 << 1;
pub(crate) const ROLE: u32 = 1 << 2;
pub(crate) const STREET_SUFFIX: u32 = 1 << 3;
pub(crate) const ABBREVIATION: u32 = 1 << 4;
pub(crate) const GENERIC: u32 = 1 << 5;
pub(crate) const STREET_GENERIC: u32 = 1 << 6;
pub(crate) const MODAL: u32 = 1 << 7;
pub(crate) const STATE: u32 = 1 << 8;
pub(crate) const STATE_CODE: u32 = 1 << 9;
pub(crate) const PLACE: u32 = 1 << 10;
pub(crate) const PLACE_FIRST_WORD: u32 = 1 << 11;
pub(crate) const PLACE_PREPOSITION: u32 = 1 << 12;
/// Words that start a rule's pattern, so that each rule skips every other token at once.
pub(crate) const CUE_START: u32 = 1 << 13;
pub(crate) const AGENCY_ANCHOR: u32 = 1 << 14;
pub(crate) const AREA_WORD: u32 = 1 << 15;
pub(crate) const CORNER_WORD: u32 = 1 << 16;
pub(crate) const ADDRESS_CUE_START: u32 = 1 << 17;
/// A first name from another country's list (`given_names.txt`), not in the census list.
pub(crate) const GIVEN_NAME: u32 = 1 << 18;
/// Words that start the landmark rule's patterns: "Lake Havasu", "Broadway", "Penn Station",
/// and "the" before a town and a facility.
pub(crate) const LANDMARK_START: u32 = 1 << 19;

impl Entry {
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    pub fn common(&self) -> bool {
        self.common_rank != u32::MAX
    }

    pub fn is_name(&self) -> bool {
        self.first_name_rank != u32::MAX || self.surname_rank != u32::MAX
    }

    pub fn is_first_name(&self) -> bool {
        self.first_name_rank != u32::MAX
    }

    pub fn is_surname(&self) -> bool {
        self.surname_rank != u32::MAX
    }

    pub fn is_well_known_name(&self) -> bool {
        self.surname_rank < WELL_KNOWN_SURNAME_RANK || self.first_name_rank < WELL_KNOWN_FIRST_NAME_RANK
    }

    /// Builds the entry of a possessive ("Kevin's") from the entry of its stem ("kevin"). It
    /// keeps what the name, place and word lists record but drops the flags that make a word a
    /// title, role or cue, since "the Captain's seat" names no captain.
    pub fn of_possessive(stem: Entry) -> Entry {
        Entry {
            flags: stem.flags & (GIVEN_NAME | ABBREVIATION | PLACE | STATE),
            ..stem
        }
    }

    /// Tells whether no list has the word.
    pub fn is_unknown(&self) -> bool {
        self.flags == 0 && !self.common() && !self.is_name()
    }

    /// Counts a name of `given_names.txt` as a first name. The rules call this only for words in
    /// mixed-case text, because in ALL-CAPS aviation text many of these names are also
    /// abbreviations ("LOC", "HELI", "ATIS").
    pub fn admit_given_name(&mut self) {
        if self.has(GIVEN_NAME) && self.first_name_rank == u32::MAX {
            self.first_name_rank = GIVEN_NAME_RANK;
        }
    }

    /// Whether the word is among the most frequent English words ("hand", "progress"), which a
    /// single-word place name must not be to count without more context.
    pub fn is_everyday_word(&self) -> bool {
        self.common_rank < EVERYDAY_WORD_RANK
    }
}

pub(crate) struct Lexicon {
    /// Every single word of every list, with what each list records about it.
    pub entries: HashMap<&'static str, Entry, BuildHasherDefault<Fnv>>,
    /// The entries of the most frequent words: a table small enough to stay in the CPU cache,
    /// which most tokens of a text find their entry in.
    pub frequent_entries: HashMap<&'static str, Entry, BuildHasherDefault<Fnv>>,
    /// 1990 Census first names with their frequency rank (0 is the most frequent).
    pub first_names: WordRanks,
    /// 1990 Census surnames with their frequency rank.
    pub surnames: WordRanks,
    /// US places (cities, towns, census-designated places) and county names, lower case, with
    /// multi-word names joined by single spaces.
    pub places: WordSet,
    /// First words of the places with more than one word ("new" for "new britain").
    pub place_first_words: WordSet,
    /// Frequent English words, minus those that are only names, with their frequency rank.
    pub common: WordRanks,
    pub stop: WordSet,
    pub modal: WordSet,
    pub titles: WordSet,
    pub police_ranks: WordSet,
    pub roles: WordSet,
    pub street_suffixes: WordSet,
    pub risky_street_suffixes: WordSet,
    pub generic: WordSet,
    pub street_generic: WordSet,
    pub states: WordSet,
    pub state_codes: WordSet,
    pub abbreviations: WordSet,
    pub place_prepositions: WordSet,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

/// Reads one entry a line. Lines that start with '#' are comments, such as a licence notice.
fn lines(text: &'static str) -> WordSet {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

fn ranks(text: &'static str) -> WordRanks {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .zip(0..)
        .collect()
}

fn words(text: &'static str) -> WordSet {
    text.split_whitespace().collect()
}

impl Lexicon {
    fn load() -> Lexicon {
        let mut places = lines(include_str!("../data/places.txt"));
        places.extend(lines(include_str!("../data/counties.txt")));
        places.extend(lines(STATES));

        let place_first_words = places
            .iter()
            .filter_map(|place| place.split_once(' ').map(|(first, _)| first))
            .collect();

        let mut lexicon = Lexicon {
            entries: HashMap::default(),
            frequent_entries: HashMap::default(),
            place_first_words,
            first_names: ranks(include_str!("../data/first_names.txt")),
            surnames: ranks(include_str!("../data/surnames.txt")),
            places,
            common: ranks(include_str!("../data/common_words.txt")),
            stop: words(STOP_WORDS),
            modal: words(MODAL_WORDS),
            titles: words(TITLES),
            police_ranks: words(POLICE_RANKS),
            roles: words(ROLES),
            street_suffixes: words(STREET_SUFFIXES),
            risky_street_suffixes: words(RISKY_STREET_SUFFIXES),
            generic: words(GENERIC_MODIFIERS),
            street_generic: words(STREET_GENERIC_WORDS),
            states: lines(STATES),
            state_codes: words(STATE_CODES),
            abbreviations: words(ABBREVIATIONS),
            place_prepositions: words(PLACE_PREPOSITIONS),
        };
        lexicon.index_entries();
        lexicon
    }

    fn index_entries(&mut self) {
        let mut entries: HashMap<&'static str, Entry, BuildHasherDefault<Fnv>> = HashMap::default();
        for (word, rank) in &self.common {
            entries.entry(word).or_default().common_rank = *rank;
        }
        for (word, rank) in &self.first_names {
            entries.entry(word).or_default().first_name_rank = *rank;
        }
        for (word, rank) in &self.surnames {
            entries.entry(word).or_default().surname_rank = *rank;
        }
        let anchors: [(&str, u32); 6] = [
            (
                "lives lived live located address addresses meet sent send return drops office is moved taxi following it side",
                ADDRESS_CUE_START,
            ),
            (CUE_STARTS, CUE_START),
            (AGENCY_ANCHORS, AGENCY_ANCHOR),
            ("county parish borough", AREA_WORD),
            ("corner intersection", CORNER_WORD),
            ("lake mount broadway union penn the", LANDMARK_START),
        ];
        for (list, flag) in anchors {
            for word in list.split_whitespace() {
                entries.entry(word).or_default().flags |= flag;
            }
        }
        for word in lines(include_str!("../data/given_names.txt")) {
            entries.entry(word).or_default().flags |= GIVEN_NAME;
        }
        let flagged: [(&WordSet, u32); 12] = [
            (&self.stop, STOP),
            (&self.titles, TITLE),
            (&self.roles, ROLE),
            (&self.street_suffixes, STREET_SUFFIX),
            (&self.abbreviations, ABBREVIATION),
            (&self.generic, GENERIC),
            (&self.street_generic, STREET_GENERIC),
            (&self.modal, MODAL),
            (&self.states, STATE),
            (&self.state_codes, STATE_CODE),
            (&self.place_first_words, PLACE_FIRST_WORD),
            (&self.place_prepositions, PLACE_PREPOSITION),
        ];
        for (set, flag) in flagged {
            for word in set {
                entries.entry(word).or_default().flags |= flag;
            }
        }
        for place in &self.places {
            if !place.contains(' ') {
                entries.entry(place).or_default().flags |= PLACE;
            }
        }
        self.frequent_entries = entries
            .iter()
            .filter(|(_, entry)| entry.common_rank < FREQUENT_WORD_RANK || entry.has(STOP))
            .map(|(word, entry)| (*word, *entry))
            .collect();
        self.entries = entries;
    }

    /// Looks a lower-case word up in every list at once.
    pub fn entry(&self, lower: &str) -> Entry {
        if let Some(entry) = self.frequent_entries.get(lower) {
            return *entry;
        }
        self.entries.get(lower).copied().unwrap_or_default()
    }
}

/// First words of the phrases after which a name follows ("identified as", "came back to",
/// "custody of"), and
/// "dob", before which one ends ("Ann Lee, DOB 1/2/80").
const CUE_STARTS: &str =
    "identified id'd idd ided known named name came comes registered by goes alias aka spoke talked
interviewed i this married son daughter says said hi hello dear shouted speak call calls follow i'm i’m
custody flagged held told involving arrested detained cited
dob";

/// Words that end or anchor an agency name ("Police", "Sheriff's Office", "PD", "Marshal Service").
const AGENCY_ANCHORS: &str = "police sheriff's sheriffs sheriff’s constable's constables marshal's marshals
marshal sheriff patrol pd so dps sd safety troopers";

/// Function words: never part of a name, and the natural left edge of one.
const STOP_WORDS: &str = "
a an the this that these those some any all each every no not nor
and or but if so as than then when while where whence whether because since until unless
of to in on at by for from with without within into onto upon over under about above below
after before behind beside besides between beyond during except inside near off out outside
through throughout toward towards via per against along among around across
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
who whom whose which what why how myself himself herself themselves ourselves yourself itself
is am are was were be been being do does did done has have had having
there here also only just very too again once both either neither such own same other another
yes yeah ok okay oh however though although therefore meanwhile apparently also instead
later soon again still already
";

/// Very frequent words that are also census names ("will", "may"): never a bare surname in
/// ALL-CAPS text.
const MODAL_WORDS: &str = "
will would shall should may might can could must ought
said says say see saw seen get got go went gone come came
back down up right left less more most much many several
first second third last next new old good bad best better well just still even
both so now then soon
";

/// Words that, directly before a name, mark it as a person's.
const TITLES: &str = "
officer officers ofc ofcs deputy deputies dep deps sergeant sergeants sgt sgts lieutenant
lieutenants lt lieut captain capt cpt detective detectives det dets trooper troopers tpr tprs
corporal cpl agent agents agt sa chief sheriff undersheriff marshal marshals inspector insp commander
cmdr maj constable investigator investigators inv patrolman patrolmen ptl ptlm patrolwoman
dispatcher warden commissioner superintendent supt colonel
mr mrs ms miss mx dr doctor prof professor judge reverend rev father sister nurse
";

/// Titles after which "[Officer N]" is the placeholder in place of "[Person N]".
const POLICE_RANKS: &str = "
officer officers ofc ofcs deputy deputies dep deps sergeant sergeants sgt sgts lieutenant
lieutenants lt lieut captain capt cpt detective detectives det dets trooper troopers tpr tprs
corporal cpl agent agents agt sa chief sheriff undersheriff marshal marshals inspector insp commander
cmdr major maj constable investigator investigators inv patrolman patrolmen ptl ptlm patrolwoman
dispatcher ranger warden commissioner superintendent supt colonel
";

/// Nouns for people that often take a name in apposition: "the mother, Ann Lee, said".
const ROLES: &str = "
mother father son daughter wife husband brother sister aunt uncle cousin grandmother grandfather
grandson granddaughter girlfriend boyfriend fiance fiancee partner spouse ex-wife ex-husband
stepfather stepmother stepson stepdaughter nephew niece child friend roommate neighbor neighbour
driver passenger suspect victim witness complainant caller subject owner manager clerk employee
cashier guard bartender tenant landlord landlady resident homeowner motorist pedestrian bystander
juvenile teen teenager man woman male female boy girl customer patient nurse doctor paramedic
medic firefighter dispatcher attorney lawyer teacher principal coach pastor supervisor coworker
co-worker associate accomplice shooter gunman party informant parolee probationer
arrestee detainee inmate prisoner defendant tow operator kid producer director singer author
founder rp
";

/// Street-name suffixes, with the USPS abbreviations that officers use.
const STREET_SUFFIXES: &str = "
street st str avenue ave av boulevard blvd road rd drive dr lane ln court ct place pl way
terrace ter terr circle cir parkway pkwy highway hwy expressway expy freeway fwy turnpike tpke
pike trail trl square sq plaza plz loop alley aly row run walk path pass crossing xing
point pt ridge bend heights hts cove cv glen landing ldg manor mnr commons
streets avenues roads sts aves
";

/// Suffixes that are also everyday words ("on the way", "in place"). In ALL-CAPS text they need
/// a house number or a name word that is not a common word, since a preposition before is not enough.
const RISKY_STREET_SUFFIXES: &str = "
way place pl circle run walk path pass point pt bend landing square sq loop row crossing commons
";

/// Words that describe rather than name: "local police", "a side street", "the county".
const GENERIC_MODIFIERS: &str = "
local city county state federal municipal airport arpt campus tribal military transit school
regional area nearby same other another side private public national international
neighboring neighbouring adjacent surrounding respective nearest closest
northbound southbound eastbound westbound major minor small large big long short
zzz
";

/// Words that describe a street without naming it: "a side street", "the wrong way".
const STREET_GENERIC_WORDS: &str = "
side dirt gravel private public access service frontage back one-way dead-end residential rural
busy narrow wrong right left same other next previous opposite nearby main-line two-lane
four-lane divided paved unpaved wide steep long short the this that
";

const STATES: &str = "
alabama
alaska
arizona
arkansas
california
colorado
connecticut
delaware
florida
georgia
hawaii
idaho
illinois
indiana
iowa
kansas
kentucky
louisiana
maine
maryland
massachusetts
michigan
minnesota
mississippi
missouri
montana
nebraska
nevada
new hampshire
new jersey
new mexico
new york
north carolina
north dakota
ohio
oklahoma
oregon
pennsylvania
rhode island
south carolina
south dakota
tennessee
texas
utah
vermont
virginia
washington
west virginia
wisconsin
wyoming
district of columbia
puerto rico
calif
mass
penn
wash
";

/// USPS state codes, lower case.
const STATE_CODES: &str = "
al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny
nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr
";

/// ALL-CAPS abbreviations from aviation and police reports that are neither names nor places.
/// NASA ASRS narratives are written in this style, and some officers write the same way.
const ABBREVIATIONS: &str = "
atc ctlr ctlrs apch appch arpt acft acr flt flts fa fas capt cpt fo f/o pf pnf pm pax paxs
dsnd dsnded dscnt clb clbing clbed clred clrnc clnc rwy rwys twr tfc txwy twy tkof lndg ldg
freq hdg alt altd alts ft fpm kts kt nm mi msl agl ifr vfr imc vmc vor ils gps fms tcas tcasii ra
ta wx vis ceiling ovc bkn sct lcl utc zulu cockpit rpt rptr rprtr rptd info sup supvr mgr
ops dispatch disp crm fom sop faa ntsb tsa fbi leo leos cbp ice dhs dept ofcr ofcrs sgt lt
pd so da ada dui dwi ems emt cad ncic nibrs ucr bolo apb atl bol eta etd etc approx ok
apch ctl ctr artcc tracon fss unicom ctaf ntl intl dom auth eng lav arr dep turb lnav vnav rte fsdo
maint sma chk tkof lfa purser svc atct onboard inflt proc sys afb arrs deps
airbus boeing cessna piper beech embraer bombardier
zzz zzz1 zzz2 zzz3 xx xxx
";

const PLACE_PREPOSITIONS: &str = "
in near from of to at outside inside into through around toward towards between within
across past via";
