#!/usr/bin/env python3
"""Convert presidio-research's synthetic PII set to the gold JSON-lines form that deid_score.py reads.

Usage: presidio_to_jsonl.py OUT.jsonl [presidio_synth_dataset_v2.json]

The input defaults to ../shared/data/raw/presidio_synth_dataset_v2.json relative to the
repository root (MIT licence, Copyright (c) Microsoft Corporation; not copied into this
repository). Positions there are character offsets with the end exclusive, as here.

Kinds keep Presidio's names so that recall is reported per Presidio entity type. The
matching kinds of this crate, for reference: PERSON -> PERSON, STREET_ADDRESS and GPE ->
LOCATION, PHONE_NUMBER -> PHONE, EMAIL_ADDRESS -> EMAIL, US_SSN and US_DRIVER_LICENSE ->
GOV_ID, CREDIT_CARD -> CREDIT_CARD, DATE_TIME -> DATE or TIME, IP_ADDRESS -> IP_ADDRESS,
DOMAIN_NAME -> URL, ORGANIZATION -> AGENCY (police agencies only). TITLE, AGE, NRP, ZIP_CODE
and IBAN_CODE have no counterpart and are left out.
"""
import json
import sys
from pathlib import Path

KEPT = {
    "PERSON", "STREET_ADDRESS", "GPE", "PHONE_NUMBER", "EMAIL_ADDRESS", "US_SSN", "US_DRIVER_LICENSE",
    "CREDIT_CARD", "DATE_TIME", "IP_ADDRESS", "DOMAIN_NAME", "ORGANIZATION",
}


def main():
    out = Path(sys.argv[1])
    source = Path(sys.argv[2]) if len(sys.argv) > 2 else (
        Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw" / "presidio_synth_dataset_v2.json")
    records = json.loads(source.read_text(encoding="utf-8"))
    with open(out, "w", encoding="utf-8") as handle:
        for number, record in enumerate(records):
            text = record["full_text"]
            spans = []
            for span in record["spans"]:
                if span["entity_type"] not in KEPT:
                    continue
                start, end = span["start_position"], span["end_position"]
                if text[start:end] != span["entity_value"]:
                    sys.exit(f"record {number}: span {start}-{end} does not match its value {span['entity_value']!r}")
                spans.append({"start": start, "end": end, "kind": span["entity_type"]})
            handle.write(json.dumps({"id": f"presidio-{number:04d}", "text": text, "spans": spans}) + "\n")
    print(f"wrote {len(records)} documents to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
