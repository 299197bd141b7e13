#!/usr/bin/env python3
"""Count spans flagged in text that contains no identifiers, per 1,000 words.

Usage: false_alarms.py INPUT.jsonl PREDICTED.jsonl [--show N]

INPUT is the text (as written by asrs_jsonl.py); PREDICTED is the de-identifier's output for
it. NASA has already de-identified ASRS narratives, so every flagged span is a false alarm.
Prints flags by kind, the most frequent flagged strings, and a last line
"flags=N words=W per_1000_words=R".
"""
import argparse
import collections
import json


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("predicted")
    parser.add_argument("--show", type=int, default=40, help="print the N most frequent flagged strings")
    args = parser.parse_args()

    texts = {}
    with open(args.input, encoding="utf-8") as handle:
        for line in handle:
            document = json.loads(line)
            texts[document["id"]] = document["text"]

    words = sum(len(text.split()) for text in texts.values())
    by_kind = collections.Counter()
    strings = collections.Counter()
    with open(args.predicted, encoding="utf-8") as handle:
        for line in handle:
            document = json.loads(line)
            text = texts.get(document["id"], "")
            for span in document.get("spans", []):
                by_kind[span["kind"]] += 1
                strings[(span["kind"], text[span["start"]:span["end"]])] += 1

    flags = sum(by_kind.values())
    for kind, count in by_kind.most_common():
        print(f"{kind:<14}{count:>8}")
    for (kind, value), count in strings.most_common(args.show):
        print(f"{count:>6}  {kind:<12} {value!r}")
    print(f"flags={flags} words={words} per_1000_words={1000 * flags / words:.3f}")


if __name__ == "__main__":
    main()
