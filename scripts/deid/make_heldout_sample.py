#!/usr/bin/env python3
"""Write heldout_sample.jsonl: hand-written police narratives with labelled identifiers.

Usage: make_heldout_sample.py [OUT.jsonl]

The sentences use names, places and sentence forms that the development set does not, to check
that the rules generalise. Identifiers are marked in place as [[KIND|value]]; the script strips
the marks and records code point offsets, the form deid_score.py reads. Every third document
is upper-cased, as many officers type.
"""
import json
import re
import sys
from pathlib import Path

DOCUMENTS = [
    "At [[TIME|0140 hrs]] on [[DATE|March 3, 2019]] Tpr. [[PERSON|Olivia Marchetti]] stopped a pickup with Ohio tag [[PLATE|HJK 4410]] on [[LOCATION|Route 33]] near [[LOCATION|Lancaster]]. The driver reached under the seat.",
    "I was the only unit working the east side for the [[AGENCY|Grand Forks County Sheriff's Office]]. My partner, Deputy [[PERSON|Tomasz Wielgosz]], was on a meal break at [[LOCATION|2218 Belmont Rd]].",
    "Dispatch advised the caller, [[PERSON|Renata Okafor]], could be reached at [[PHONE|(701) 555-0143]]. Her husband had a rifle in the garage.",
    "We responded to the corner of [[LOCATION|Elm and Cherokee]] for a man with a machete. Sgt. [[PERSON|Hollis]] arrived first and used his car as cover.",
    "The subject was later identified as [[PERSON|Kwame Asante-Boateng]]; his license [[GOV_ID|F293-118-72-440]] was suspended.",
    "Incident [[CASE_NUMBER|#2021-004417]] was opened by [[AGENCY|Tempe Police Department]] after the crash on [[LOCATION|Priest Drive]].",
    "On [[DATE|11/02/2022]] around [[TIME|9:45 p.m.]] I was flagged down at [[LOCATION|4471 Westheimer Road, Suite 210]] in [[LOCATION|Houston]], TX.",
    "My sergeant, [[PERSON|Luis Ferreira]], told me to wait for Unit [[BADGE|4K31]] before entering the apartment.",
    "The vehicle, VIN [[GOV_ID|1HGCM82633A004352]], was registered to [[PERSON|Beatrice Kowalczyk]] of [[LOCATION|Sheboygan]].",
    "A man called [[PHONE|608-555-0199]] and said he would shoot the next officer he saw. Det. [[PERSON|Gundersen]] traced the call.",
    "Officers from [[AGENCY|Flagstaff PD]] and the [[AGENCY|Coconino County Sheriff's Office]] set up a perimeter on [[LOCATION|Butler Ave]].",
    "The clerk, [[PERSON|Priyanka Venkataraman]], said the robber left on foot toward [[LOCATION|3rd and Pine]].",
    "He pulled a knife during the pat-down. Officer [[PERSON|Nakamura]] ([[BADGE|#5127]]) tased him while I held his arm.",
    "The e-mail came from [[EMAIL|tips.anon@protonmail.com]] and mentioned the [[LOCATION|Sunnyside Terrace]] address.",
    "Lt. [[PERSON|Marguerite Delacroix]] of the [[AGENCY|Baton Rouge Police Department]] briefed us at [[TIME|0600 hours]].",
    "We were sent to [[LOCATION|118 Old Mill Lane]] for a welfare check on [[DATE|the 9th of October]]; nobody answered.",
    "The second car, [[BADGE|David-22]], blocked the alley behind the pharmacy.",
    "The suspect's SSN was [[GOV_ID|512-44-8093]] and he used a card ending in [[CREDIT_CARD|4111 1111 1111 1111]] at the gas station.",
    "Trooper [[PERSON|Ezekiel Throckmorton]] was hit by the mirror of a passing semi on [[LOCATION|Interstate 80]] near [[LOCATION|Laramie]].",
    "My call sign was [[BADGE|Lincoln-7]] that night and I was alone in [[LOCATION|Ward County]].",
    "Agent [[PERSON|Svetlana Morozova]] of the [[AGENCY|Port Authority Police]] called me from [[PHONE|212.555.0176]].",
    "The registered owner, [[PERSON|Dmitri Vasquez]], lived at [[LOCATION|77 Harbor View Court]].",
    "The woman, [[PERSON|Ngozi Eze]], screamed that her brother had a gun.",
    "I parked on [[LOCATION|Quarry Street]] and walked up. The plate came back as [[PLATE|7TRK552]].",
    "The fight started outside the bar on [[LOCATION|Magnolia Blvd]] at [[TIME|23:15]] on [[DATE|Aug. 14, 2020]].",
    "Cpl. [[PERSON|Whitaker]] and Officer [[PERSON|Imani Brooks]] cleared the basement; I covered the stairs.",
]


def parse(marked):
    text, spans, position = [], [], 0
    for match in re.finditer(r"\[\[([A-Z_]+)\|(.+?)\]\]", marked):
        text.append(marked[position:match.start()])
        start = sum(len(part) for part in text)
        text.append(match.group(2))
        spans.append({"start": start, "end": start + len(match.group(2)), "kind": match.group(1)})
        position = match.end()
    text.append(marked[position:])
    return "".join(text), spans


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("heldout_sample.jsonl")
    with open(out, "w", encoding="utf-8") as handle:
        for number, marked in enumerate(DOCUMENTS):
            text, spans = parse(marked)
            if number % 3 == 2:
                text = text.upper()
            handle.write(json.dumps({"id": f"heldout-{number:03d}", "text": text, "spans": spans}, ensure_ascii=False) + "\n")
    print(f"wrote {len(DOCUMENTS)} documents to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
