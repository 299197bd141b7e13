#!/usr/bin/env python3
"""Write the narratives, callbacks and synopses of NASA ASRS CSV exports as JSON lines.

Usage: asrs_jsonl.py OUT.jsonl [CSV ...]

With no CSV given, reads ../shared/data/raw/asrs_*.csv relative to the repository root. An
ASRS Database Online export has two header rows (group, then field); every non-empty cell of a
"Narrative", "Callback" or "Synopsis" column becomes one line {"id": "ACN/column", "text": ...}.
"""
import csv
import glob
import json
import sys
from pathlib import Path

TEXT_FIELDS = ("Narrative", "Callback", "Synopsis")


def documents(path):
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        rows = csv.reader(handle)
        groups, fields = next(rows), next(rows)
        columns = [i for i, field in enumerate(fields) if field in TEXT_FIELDS]
        acn_column = fields.index("ACN")
        for row in rows:
            if len(row) <= acn_column or not row[acn_column].strip():
                continue
            for column in columns:
                if column < len(row) and row[column].strip():
                    name = f"{groups[column] or groups[column - 1]} {fields[column]}".strip()
                    yield {"id": f"{row[acn_column]}/{name}", "text": row[column]}


def main():
    out = Path(sys.argv[1])
    paths = sys.argv[2:]
    if not paths:
        root = Path(__file__).resolve().parents[2]
        paths = sorted(glob.glob(str(root.parent / "shared" / "data" / "raw" / "asrs_*.csv")))
    if not paths:
        sys.exit("no ASRS CSV found: pass the CSV paths as arguments")
    count = 0
    with open(out, "w", encoding="utf-8") as handle:
        for path in paths:
            for document in documents(path):
                handle.write(json.dumps(document) + "\n")
                count += 1
    print(f"wrote {count} documents from {len(paths)} files to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
