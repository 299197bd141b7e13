//! Examples for each kind in mixed case and in capitals, and the span invariants on awkward text.

use nearmiss_deid::{detect, jsonl, redact, Kind, Span};

/// Asserts that `value` in `text` is covered by spans, at least one of them of `kind`.
fn assert_found(text: &str, value: &str, kind: Kind) {
    let start = text
        .find(value)
        .unwrap_or_else(|| panic!("{value:?} is not in {text:?}"));
    let end = start + value.len();
    let spans = detect(text);
    let covering: Vec<&Span> = spans
        .iter()
        .filter(|span| span.start < end && span.end > start)
        .collect();
    let covered = (start..end).all(|byte| {
        !text.as_bytes()[byte].is_ascii_alphanumeric()
            || covering.iter().any(|span| span.start <= byte && byte < span.end)
    });
    assert!(covered, "{value:?} not fully covered in {text:?}: {spans:?}");
    assert!(
        covering.iter().any(|span| span.kind == kind),
        "{value:?} not found as {kind:?} in {text:?}: {spans:?}"
    );
}

/// Asserts that every letter and digit of `value` in `text` is covered, whatever the kind.
fn assert_covered(text: &str, value: &str) {
    let start = text
        .find(value)
        .unwrap_or_else(|| panic!("{value:?} is not in {text:?}"));
    let spans = detect(text);
    let covered = (start..start + value.len()).all(|byte| {
        !text.as_bytes()[byte].is_ascii_alphanumeric()
            || spans.iter().any(|span| span.start <= byte && byte < span.end)
    });
    assert!(covered, "{value:?} not fully covered in {text:?}: {spans:?}");
}

fn assert_invariants(text: &str) {
    let spans = detect(text);
    for span in &spans {
        assert!(span.start < span.end, "empty span {span:?}");
        assert!(span.end <= text.len(), "span {span:?} past the end of {text:?}");
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span:?} splits a character"
        );
    }
    for pair in spans.windows(2) {
        assert!(
            pair[0].end <= pair[1].start,
            "spans overlap or are unsorted: {pair:?}"
        );
    }
    let _ = redact(text, &spans);
}

const EXAMPLES: &[(&str, &str, Kind)] = &[
    (
        "I was dispatched with Officer E. Ferraris to the call.",
        "E. Ferraris",
        Kind::Person,
    ),
    (
        "The suspect was later identified as Pierluigi Pulci, who ran.",
        "Pierluigi Pulci",
        Kind::Person,
    ),
    (
        "The mother, Olasunmbo Oshin, kept yelling.",
        "Olasunmbo Oshin",
        Kind::Person,
    ),
    (
        "Sgt. Whitaker and Officer Imani Brooks were first on scene.",
        "Whitaker",
        Kind::Person,
    ),
    (
        "Backup from Tulsa PD arrived four minutes later.",
        "Tulsa PD",
        Kind::Agency,
    ),
    (
        "He had a warrant out of the University of Petaluma Police Department.",
        "University of Petaluma Police Department",
        Kind::Agency,
    ),
    (
        "Deputy Lee of the Palm Beach County Sheriff's Office spotted the rifle.",
        "Palm Beach County Sheriff's Office",
        Kind::Agency,
    ),
    (
        "The call was at 8506 Hollywood Avenue, Apt 4.",
        "8506 Hollywood Avenue, Apt 4",
        Kind::Location,
    ),
    (
        "We found the truck behind the store on Rock St.",
        "Rock St",
        Kind::Location,
    ),
    (
        "The robber ran toward 5th and Main.",
        "5th and Main",
        Kind::Location,
    ),
    (
        "The same man had fired at a deputy in Wildomar.",
        "Wildomar",
        Kind::Location,
    ),
    (
        "The house at 7493 Hemet Drive, Glendale, AZ had a history.",
        "Glendale",
        Kind::Location,
    ),
    (
        "Officer Lanka (badge #4471) grabbed my vest.",
        "4471",
        Kind::Badge,
    ),
    (
        "The second unit, Adam-12, was still six minutes out.",
        "Adam-12",
        Kind::Badge,
    ),
    (
        "It was documented under CAD number 17-007819.",
        "17-007819",
        Kind::CaseNumber,
    ),
    (
        "Report IR2492959 was assigned to a detective.",
        "IR2492959",
        Kind::CaseNumber,
    ),
    (
        "I stopped the motorcycle, tag 4FT-744, for speeding.",
        "4FT-744",
        Kind::Plate,
    ),
    ("The car had registration XDJ 6409.", "XDJ 6409", Kind::Plate),
    (
        "I phoned the reporting party back at (739) 749-6626.",
        "(739) 749-6626",
        Kind::Phone,
    ),
    ("Call 625-1168 after the shift.", "625-1168", Kind::Phone),
    (
        "Contact me through victoria.richmond@kahuluipd.org for the case.",
        "victoria.richmond@kahuluipd.org",
        Kind::Email,
    ),
    (
        "The video is at https://example.org/clip?id=4 now.",
        "https://example.org/clip?id=4",
        Kind::Url,
    ),
    (
        "The camera answered on 192.168.14.20 that night.",
        "192.168.14.20",
        Kind::IpAddress,
    ),
    (
        "His social security number, 395-13-2150, came back to someone else.",
        "395-13-2150",
        Kind::GovId,
    ),
    (
        "Her driver's license number came back as S78-738-482-499 with no wants.",
        "S78-738-482-499",
        Kind::GovId,
    ),
    (
        "The VIN was 1HGCM82633A004352 on the dash.",
        "1HGCM82633A004352",
        Kind::GovId,
    ),
    (
        "He used card 4111 1111 1111 1111 at the pump.",
        "4111 1111 1111 1111",
        Kind::CreditCard,
    ),
    (
        "On April 20, 2015 we were dispatched.",
        "April 20, 2015",
        Kind::Date,
    ),
    ("On 4/20/2015 we were dispatched.", "4/20/2015", Kind::Date),
    ("On 04-20-15 we were dispatched.", "04-20-15", Kind::Date),
    (
        "On 20 April 2015 we were dispatched.",
        "20 April 2015",
        Kind::Date,
    ),
    (
        "It was the 20th of April when it happened.",
        "20th of April",
        Kind::Date,
    ),
    ("I arrived at 0317 hours.", "0317 hours", Kind::Time),
    ("I arrived at 3:17 a.m. on scene.", "3:17 a.m", Kind::Time),
    ("I arrived at 15:20 on scene.", "15:20", Kind::Time),
    ("I arrived at 2:20 PM on scene.", "2:20 PM", Kind::Time),
];

#[test]
fn examples_in_mixed_case() {
    for (text, value, kind) in EXAMPLES {
        assert_found(text, value, *kind);
    }
}

#[test]
fn examples_in_capitals() {
    for (text, value, kind) in EXAMPLES {
        if *kind == Kind::Url {
            continue;
        }
        assert_found(&text.to_uppercase(), &value.to_uppercase(), *kind);
    }
}

#[test]
fn kind_labels() {
    let labels: Vec<&str> = [
        Kind::Person,
        Kind::Agency,
        Kind::Location,
        Kind::Badge,
        Kind::CaseNumber,
        Kind::Plate,
        Kind::Phone,
        Kind::Email,
        Kind::Url,
        Kind::IpAddress,
        Kind::GovId,
        Kind::CreditCard,
        Kind::Date,
        Kind::Time,
    ]
    .iter()
    .map(Kind::as_str)
    .collect();
    assert_eq!(
        labels,
        [
            "PERSON",
            "AGENCY",
            "LOCATION",
            "BADGE",
            "CASE_NUMBER",
            "PLATE",
            "PHONE",
            "EMAIL",
            "URL",
            "IP_ADDRESS",
            "GOV_ID",
            "CREDIT_CARD",
            "DATE",
            "TIME"
        ]
    );
}

#[test]
fn aviation_jargon_not_flagged() {
    let text = "THE CAPT RPTED THAT ATC CLRED US TO DSND TO 11000' AT 250 KTS ON THE WAY TO ZZZ. THE FO SAID THE CTLR WAS BUSY. TFC AT 12:30 O'CLOCK POS.";
    assert_eq!(detect(text), Vec::new());
}

#[test]
fn invariants_on_awkward_text() {
    let texts = [
        "",
        " ",
        "é",
        "Officer",
        "Officer É.",
        "Sgt. Dương and Officer J. Ñúñez at 12:00 on 1/1/20 #1234 é@é.com",
        "Mō‘ili‘ili PD at 9219 Anniston Lane #6B, Honolulu, HI",
        "\u{200b}Officer\u{200b}Smith\u{0301} (#P-) 555-\u{1F600}1234",
        "THE MOTHER, , KEPT YELLING; CORNER OF AND",
        "4111 1111 1111 1111 4111 1111 1111 1111",
        "a\r\nb\rc\nOFFICER\nSMITH",
    ];
    for text in texts {
        assert_invariants(text);
    }
}

#[test]
fn invariants_on_generated_text() {
    // A fixed linear congruential generator keeps the test repeatable without a dependency.
    let pieces = [
        "Officer",
        "Sgt.",
        "SMITH",
        "Ferraris",
        "and",
        "of",
        "the",
        "PD",
        "Police",
        "Department",
        "County",
        "Avenue",
        "St",
        "#",
        "12",
        "4471",
        "2015",
        "April",
        "20th",
        ",",
        ".",
        "(",
        ")",
        "-",
        "é",
        "Dương",
        "’",
        "'",
        "@",
        "x",
        "\n",
        "5th",
        "&",
        "555-1234",
        "3:17",
        "p.m.",
        "hours",
        "ZZZ",
        "Adam-12",
        "tag",
        "4FT-744",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..2000 {
        let mut text = String::new();
        for _ in 0..(state % 24) {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            if state & 1 == 0 {
                text.push(' ');
            }
        }
        assert_invariants(&text);
        assert_invariants(&text.to_uppercase());
    }
}

#[test]
fn redaction_is_consistent() {
    let text = "Officer E. Ferraris met Maria Lindsey at 8506 Hollywood Avenue on April 20, 2015 at 2:20 PM. Ferraris called Tulsa PD.";
    let redacted = redact(text, &detect(text));
    assert_eq!(
        redacted,
        "Officer [Officer 1] met [Person 2] at [Location 1] on April 2015 at [12:00-17:59]. [Officer 1] called [Agency 1]."
    );
}

#[test]
fn redaction_skips_bad_spans() {
    let text = "Dương";
    let spans = [
        Span {
            start: 1,
            end: 2,
            kind: Kind::Person,
        },
        Span {
            start: 0,
            end: 99,
            kind: Kind::Person,
        },
    ];
    assert_eq!(redact(text, &spans), "Dương");
}

#[test]
fn jsonl_contract() {
    let input = concat!(
        "{\"id\": 7, \"text\": \"Dương saw Officer E. Ferraris\", \"extra\": true}\n",
        "\n",
        "not json\n",
        "{\"id\": [\"a\"], \"text\": 5}\n",
        "{\"text\": \"nothing here\"}\n",
    );
    let mut output = Vec::new();
    let summary = jsonl::run(input.as_bytes(), &mut output).expect("in-memory input and output");
    assert_eq!(summary.lines, 4);
    assert_eq!(summary.documents, 2);
    assert_eq!(summary.errors, 2);

    let lines: Vec<serde_json::Value> = String::from_utf8(output)
        .expect("UTF-8 output")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], 7);
    // "Dương saw Officer " is 18 code points but 21 bytes.
    assert_eq!(lines[0]["spans"][0]["start"], 18);
    assert_eq!(lines[0]["spans"][0]["end"], 29);
    assert_eq!(lines[0]["spans"][0]["kind"], "PERSON");
    assert_eq!(lines[0]["redacted"], "Dương saw Officer [Officer 1]");
    assert_eq!(lines[1]["line"], 3);
    assert!(lines[1]["error"]
        .as_str()
        .is_some_and(|error| error.starts_with("line 3: invalid JSON")));
    assert_eq!(lines[2]["id"], serde_json::json!(["a"]));
    assert!(lines[2]["error"]
        .as_str()
        .is_some_and(|error| error.contains("missing string field \"text\"")));
    assert_eq!(lines[3]["id"], serde_json::Value::Null);
    assert_eq!(lines[3]["spans"], serde_json::json!([]));
}

#[test]
fn jsonl_invalid_utf8() {
    let mut output = Vec::new();
    let summary = jsonl::run(&b"{\"id\": 1, \"text\": \"\xff\"}\n"[..], &mut output)
        .expect("in-memory input and output");
    assert_eq!(summary.errors, 1);
    assert!(String::from_utf8(output)
        .expect("UTF-8 output")
        .contains("line 1: invalid UTF-8"));
}

#[test]
fn person_lower_case_full_names() {
    assert_found(
        "please follow up with patricia desrosiers next week.",
        "patricia desrosiers",
        Kind::Person,
    );
    assert_found(
        "the report came from emidio p lombardo yesterday.",
        "emidio p lombardo",
        Kind::Person,
    );
}

#[test]
fn person_lower_case_lists_and_cues() {
    let text = "they had three kids: silvana, adam and kristina.";
    for name in ["silvana", "adam", "kristina"] {
        assert_found(text, name, Kind::Person);
    }
    assert_found("hello, my name is vitoria", "vitoria", Kind::Person);
    assert_found("everyone calls me borna now.", "borna", Kind::Person);
}

#[test]
fn person_lone_surname_shapes() {
    assert_found(
        "Unlike the Christiansen novel, it is short.",
        "Christiansen",
        Kind::Person,
    );
    assert_found(
        "There is no better example than early Živković here.",
        "Živković",
        Kind::Person,
    );
}

#[test]
fn person_honorific_and_suffix() {
    assert_found(
        "The call came from Dr. Jennifer Holst last night.",
        "Dr. Jennifer Holst",
        Kind::Person,
    );
    assert_found(
        "My grandfather was called Kevin Veitonen II, I think.",
        "Kevin Veitonen II",
        Kind::Person,
    );
}

#[test]
fn address_military_mail() {
    // NOTE: the unit number also reads as a badge number, so the merged span may take that kind.
    assert_covered(
        "Send it to Unit 0822 Box 8858\nDPO AA 13319",
        "Unit 0822 Box 8858\nDPO AA 13319",
    );
}

#[test]
fn address_number_after_street() {
    // NOTE: two capitalised unknown words also read as a name, so the span may be a person.
    assert_covered("The bus stops on Erzsébet tér 19. every hour.", "Erzsébet tér 19");
    assert_covered(
        "Timotea lives on Via dei Fiorentini 17 street.",
        "Via dei Fiorentini 17",
    );
}

#[test]
fn address_corner_and_leading_number() {
    assert_found(
        "Meet me at the corner of Pachergasse 64 and Radolič Harbor.",
        "the corner of Pachergasse 64 and Radolič Harbor",
        Kind::Location,
    );
    assert_found(
        "The letter went to 3378 217 Lovers Lane yesterday.",
        "3378 217 Lovers Lane",
        Kind::Location,
    );
}

#[test]
fn product_number_is_no_address() {
    let text = "The Captain monitored Comm 1. We used the Jepp 10-9 chart.";
    assert!(detect(text).is_empty(), "{:?}", detect(text));
}

#[test]
fn person_given_names_from_other_countries() {
    assert_found(
        "We waited while Ragnhild signed the form.",
        "Ragnhild",
        Kind::Person,
    );
    assert_found("The keys belong to Zdravko now.", "Zdravko", Kind::Person);
}

#[test]
fn given_names_ignored_in_capitals() {
    // "LOC", "HELI" and "ATIS" are also first names in the list of other countries' names.
    let text = "THE LOC WAS OUT OF SVC AND THE HELI PILOT GOT ATIS FROM ZZZ TWR.";
    assert_eq!(detect(text), Vec::new());
}

#[test]
fn person_possessive() {
    assert_found("We towed Wojciech's car to the lot.", "Wojciech", Kind::Person);
}

#[test]
fn abbreviation_plurals_not_names() {
    for text in [
        "The RNAV SID's were changed last year.",
        "Two ABAs helped the crew.",
    ] {
        assert_eq!(detect(text), Vec::new(), "{text:?}");
    }
}

#[test]
fn person_after_role_noun() {
    assert_found(
        "We spoke with her son Tadeusz at the door.",
        "Tadeusz",
        Kind::Person,
    );
    assert_found(
        "Director Henrike Brandstetter spoke first.",
        "Henrike Brandstetter",
        Kind::Person,
    );
    assert_found(
        "The manager Winthrop Halvorsen spoke first.",
        "Winthrop Halvorsen",
        Kind::Person,
    );
}

#[test]
fn person_middle_initial_a_and_particles() {
    assert_found("Name: Radek A Nowicki", "Radek A Nowicki", Kind::Person);
    assert_found(
        "We met Anneke van der Berg at the office.",
        "Anneke van der Berg",
        Kind::Person,
    );
    let text = "We entered Class A Airspace near the field.";
    assert_eq!(detect(text), Vec::new());
}

#[test]
fn person_sentence_subject_and_name_line() {
    assert_found("Ambrose said he left early.", "Ambrose", Kind::Person);
    assert_found(
        "Martin Halvorsen\n\nBoise\nIdaho",
        "Martin Halvorsen",
        Kind::Person,
    );
}

#[test]
fn person_lower_case_initials_and_single_names() {
    assert_found(
        "please call eric j. halvorsen tomorrow.",
        "eric j. halvorsen",
        Kind::Person,
    );
    assert_found(
        "the report names frank oyelaran as the owner.",
        "frank oyelaran",
        Kind::Person,
    );
    assert_found("nadia was at the door.", "nadia", Kind::Person);
    assert_found("nadia: where are you?", "nadia", Kind::Person);
    assert_found("i'm teodor's brother.", "teodor", Kind::Person);
}

#[test]
fn person_lower_case_mention_repeated() {
    let text = "it came from sigrun k okafor. we told okafor to wait.";
    let start = text.rfind("okafor").expect("second mention");
    let spans = detect(text);
    assert!(
        spans
            .iter()
            .any(|span| span.kind == Kind::Person && span.start <= start && start + 6 <= span.end),
        "second \"okafor\" not found as a person in {text:?}: {spans:?}"
    );
}

/// Asserts that no span overlaps `value` in `text`.
fn assert_not_flagged(text: &str, value: &str) {
    let start = text
        .find(value)
        .unwrap_or_else(|| panic!("{value:?} is not in {text:?}"));
    let end = start + value.len();
    let spans = detect(text);
    assert!(
        !spans.iter().any(|span| span.start < end && span.end > start),
        "{value:?} flagged in {text:?}: {spans:?}"
    );
}

#[test]
fn case_number_with_letter_groups() {
    assert_found("INCIDENT 22-KP-40117.", "22-KP-40117", Kind::CaseNumber);
    assert_found(
        "Report CSO-22-118054 was filed.",
        "CSO-22-118054",
        Kind::CaseNumber,
    );
    assert_found("RD# QX-558102.", "QX-558102", Kind::CaseNumber);
    assert_found(
        "SPOKE WITH DAYTON PD DR 2023-00417725.",
        "2023-00417725",
        Kind::CaseNumber,
    );
    assert_found(
        "Sheriff's Office, event MK23-118204.",
        "MK23-118204",
        Kind::CaseNumber,
    );
    assert_found("boise pd rd# KX-771204.", "KX-771204", Kind::CaseNumber);
    assert_found("Citation 55120-C issued.", "55120-C", Kind::CaseNumber);
}

#[test]
fn rank_abbreviations_and_plurals() {
    assert_found("Ptl. Garvey stopped the car.", "Garvey", Kind::Person);
    assert_not_flagged("Ptl. Garvey stopped the car.", "Ptl");
    assert_found("Ptlm. Okonjo held the door.", "Okonjo", Kind::Person);
    assert_found("SA Pruett and Inv. Okonjo arrived.", "Pruett", Kind::Person);
    assert_found("SA Pruett and Inv. Okonjo arrived.", "Okonjo", Kind::Person);
    assert_found(
        "DEP K. ZELENKO #2231 STOPPED THE VAN.",
        "K. ZELENKO",
        Kind::Person,
    );
    let caps = "DEPUTIES HASKINS AND ODUYA SEARCHED THE YARD.";
    assert_found(caps, "HASKINS", Kind::Person);
    assert_found(caps, "ODUYA", Kind::Person);
    let mixed = "Officers Pruett and Lindell searched the yard.";
    assert_found(mixed, "Pruett", Kind::Person);
    assert_found(mixed, "Lindell", Kind::Person);
}

#[test]
fn aviation_departure_is_no_title() {
    assert_not_flagged("WE WERE ON THE DEP PROCS AND CLBING.", "PROCS");
}

#[test]
fn role_noun_before_name_in_capitals() {
    let text = "DRIVER OLUWASEUN ODUYA EXITED. SUSPECT ANDREI SORENSEN FLED ON FOOT.";
    assert_found(text, "OLUWASEUN ODUYA", Kind::Person);
    assert_found(text, "ANDREI SORENSEN", Kind::Person);
    assert_found(
        "THE RP, LENA QUINTERO, SAID HE LEFT.",
        "LENA QUINTERO",
        Kind::Person,
    );
}

#[test]
fn name_before_birth_date_and_later_mentions() {
    let text = "The caller warned that Esteban Salinas, DOB 02/03/1985, was armed. \
                We found Salinas's truck. Salinas complied.";
    assert_found(text, "Esteban Salinas", Kind::Person);
    let possessive = text.find("Salinas's").expect("possessive");
    let last = text.rfind("Salinas").expect("last mention");
    let spans = detect(text);
    for start in [possessive, last] {
        assert!(
            spans
                .iter()
                .any(|span| span.kind == Kind::Person && span.start <= start && start + 7 <= span.end),
            "mention at {start} not found in {text:?}: {spans:?}"
        );
    }
}

#[test]
fn surname_that_is_a_word_repeated() {
    let text = "The suspect, Wendell Bishop, ran. Bishop was later found in the garage.";
    let start = text.rfind("Bishop").expect("second mention");
    let spans = detect(text);
    assert!(
        spans
            .iter()
            .any(|span| span.kind == Kind::Person && span.start <= start && start + 6 <= span.end),
        "second \"Bishop\" not found in {text:?}: {spans:?}"
    );
    assert_not_flagged("The suspect ran. Fields were wet.", "Fields");
}

#[test]
fn agency_forms() {
    assert_found("he was booked by boise pd for theft.", "boise pd", Kind::Agency);
    assert_found(
        "kennewick police department report 23-004411.",
        "kennewick police department",
        Kind::Agency,
    );
    assert_found("ARRESTED BY DAYTON PD.", "DAYTON PD", Kind::Agency);
    let lower = "booked by kent county sheriff's office. idaho state police arrived.";
    assert_found(lower, "kent county sheriff's office", Kind::Agency);
    assert_found(lower, "idaho state police", Kind::Agency);
    assert_not_flagged("the state police came. the police said.", "police");
    assert_found(
        "Sgt. Lee of the Akron Division of Police arrived.",
        "Akron Division of Police",
        Kind::Agency,
    );
    assert_found(
        "Lt. Redcorn of the Osage Nation Marshal Service arrived.",
        "Osage Nation Marshal Service",
        Kind::Agency,
    );
    assert_found("LVMPD and PBSO units arrived.", "LVMPD", Kind::Agency);
    assert_found("LVMPD and PBSO units arrived.", "PBSO", Kind::Agency);
    assert_not_flagged("WE WERE ALSO AT SPD 250.", "ALSO");
    assert_found("PO Dana Whitcomb, shield 30417, arrived.", "30417", Kind::Badge);
}

#[test]
fn time_after_date_or_closing_comma() {
    assert_found("traffic stop 9/14/22 2245 on the ramp.", "2245", Kind::Time);
    assert_found("Bexar County, call 22-004417, 0140.", "0140", Kind::Time);
    assert_not_flagged("The house was built, 1998.", "1998");
}

#[test]
fn block_and_town_after_address() {
    assert_found(
        "We searched the 2400 block of Orchard Ave.",
        "2400 block of Orchard Ave",
        Kind::Location,
    );
    assert_found(
        "RESPONDED TO 2215 S STATE ST OREM FOR A FIGHT.",
        "OREM",
        Kind::Location,
    );
    assert_found("A CALL AT 77 N OAK ST, KENNEWICK.", "KENNEWICK", Kind::Location);
    assert_found(
        "RESPONDED TO I-80 AND 72ND ST, OMAHA. NO INJURIES.",
        "OMAHA",
        Kind::Location,
    );
    let text = "At 2215 S Main St Orem for a fight.";
    assert_found(text, "2215 S Main St", Kind::Location);
    assert!(
        !detect(text).iter().any(|span| span.kind == Kind::Time),
        "house number read as a time in {text:?}"
    );
}

#[test]
fn lower_case_report() {
    let text = "at 0015 ofc keisha haskins and i responded to 3310 e yuma st in boise. \
                sgt pruett arrived. crash at maple ave and 14th st in fort collins. \
                driver 2 rosalind ferreira. plate kxr 3390. one male darnell ran. darnell was caught.";

    assert_found(text, "keisha haskins", Kind::Person);
    assert_found(text, "3310 e yuma st", Kind::Location);
    assert_found(text, "boise", Kind::Location);
    assert_found(text, "pruett", Kind::Person);
    assert_found(text, "maple ave", Kind::Location);
    assert_found(text, "14th st", Kind::Location);
    assert_found(text, "fort collins", Kind::Location);

    assert_found(
        "a fight at the park in kansas city. kansas city pd report 22-18840.",
        "kansas city pd",
        Kind::Agency,
    );
    assert_found(text, "rosalind ferreira", Kind::Person);
    assert_found(
        "the rp mrs. dolores pinkney called. she was upset.",
        "dolores pinkney",
        Kind::Person,
    );
    assert_covered(text, "kxr 3390");

    let last = text.rfind("darnell").expect("second mention");
    let spans = detect(text);
    assert!(
        spans
            .iter()
            .any(|span| span.kind == Kind::Person && span.start <= last && last + 7 <= span.end),
        "second \"darnell\" not found in {text:?}: {spans:?}"
    );
}

#[test]
fn trade_names_and_terms_are_no_names() {
    let text = "He drove a Hyundai Sonata and a Subaru Outback. He had a Beretta and a \
                Mossberg. I gave the Miranda warning. He spoke Spanish. The Tuesday briefing ran late.";
    for value in [
        "Hyundai Sonata",
        "Subaru Outback",
        "Beretta",
        "Mossberg",
        "Miranda",
        "Spanish",
        "Tuesday",
    ] {
        assert_not_flagged(text, value);
    }
    assert_found("We met on Tuesday in Provo.", "Tuesday", Kind::Date);
    assert_found("Officer Ford stopped the car.", "Ford", Kind::Person);
}

#[test]
fn person_after_custody_and_similar_cues() {
    let caps = "DEPUTIES TOOK CUSTODY OF MARIA LITTLE HAWK AT THE GATE.";
    assert_found(caps, "MARIA LITTLE HAWK", Kind::Person);
    let flagged = "I WAS FLAGGED DOWN BY DAISY HILL IN THE LOT.";
    assert_found(flagged, "DAISY HILL", Kind::Person);
    assert_found(
        "A dispute involving Joy Fisher was reported.",
        "Joy Fisher",
        Kind::Person,
    );
    assert_found(
        "Airport police held Nguyen Van Thanh for an hour.",
        "Nguyen Van Thanh",
        Kind::Person,
    );
    assert_found(
        "i spoke to harold fisher by phone.",
        "harold fisher",
        Kind::Person,
    );
    assert_found(
        "Deputies took custody of Wren Abernathy at the gate.",
        "Wren Abernathy",
        Kind::Person,
    );
    assert_found("SHE TOLD NANCY THAT SHE WAS FINE.", "NANCY", Kind::Person);
    assert_not_flagged("SHE TOLD HIM THAT SHE WAS FINE.", "HIM");
    assert_not_flagged("THE FO TOLD CAPT TO HOLD SHORT.", "CAPT");
}

#[test]
fn person_two_words_after_rank_in_capitals() {
    assert_found("CPL. VANG THAO (#4410) SAW THE GUN.", "VANG THAO", Kind::Person);
    assert_found(
        "SGT. OLUWASEUN ADEYEMI ASKED DISPATCH.",
        "OLUWASEUN ADEYEMI",
        Kind::Person,
    );
    assert_found(
        "OFFICER DARRELL SPOTTED ELK ARRIVED.",
        "DARRELL SPOTTED ELK",
        Kind::Person,
    );
    assert_found(
        "Sgt Grace Cook arrived from the county.",
        "Grace Cook",
        Kind::Person,
    );
    assert_found("deputy mary fox wrote the report.", "mary fox", Kind::Person);
    assert_not_flagged("THE CAPT YY FELT THE ACFT SHAKE.", "FELT");
}

#[test]
fn person_between_commas() {
    assert_found(
        "The ticket agent, Ivy Gardner, called us.",
        "Ivy Gardner",
        Kind::Person,
    );
    assert_found(
        "THE WOMAN WHO REPORTED IT, LEILANI KAUHANE, SAID SHE SAW IT.",
        "LEILANI KAUHANE",
        Kind::Person,
    );
}

#[test]
fn title_ending_a_sentence_takes_no_name() {
    let text = "I told the Gate Agent. Campus Officer Dana Whitcomb arrived.";
    assert_not_flagged(text, "Campus");
    assert_found(text, "Dana Whitcomb", Kind::Person);
}

#[test]
fn agency_names_with_inner_words() {
    assert_found(
        "THE ROSEBUD SIOUX TRIBE POLICE ARRIVED.",
        "ROSEBUD SIOUX TRIBE POLICE",
        Kind::Agency,
    );
    assert_found(
        "THE HOPI TRIBAL POLICE RESPONDED.",
        "HOPI TRIBAL POLICE",
        Kind::Agency,
    );
    assert_found(
        "Officers of the Ft. Lauderdale Police Department came.",
        "Ft. Lauderdale Police Department",
        Kind::Agency,
    );
    assert_found(
        "An agent of the Federal Reserve Police came.",
        "Federal Reserve Police",
        Kind::Agency,
    );
    assert_found(
        "Officer Lee of the Port of Oakland Police came.",
        "Port of Oakland Police",
        Kind::Agency,
    );
    assert_found(
        "the Montana State Troopers came.",
        "Montana State Troopers",
        Kind::Agency,
    );
    assert_found(
        "deputy ray from bernalillo county so came.",
        "bernalillo county so",
        Kind::Agency,
    );
    let office = "The Dane County Regional Airport Police office took it.";
    assert_found(office, "Dane County Regional Airport Police", Kind::Agency);
    assert_not_flagged(office, "office");
}

#[test]
fn agency_initials_in_mixed_case() {
    let text = "The DEA agent and two BPD officers met us.";
    assert_found(text, "DEA", Kind::Agency);
    assert_found(text, "BPD", Kind::Agency);
    assert_not_flagged("THE FBI MET THE ACFT AT SPD 250 KTS.", "FBI");
    assert_not_flagged("Light ICE on the wings.", "ICE");
}

#[test]
fn town_before_facility_and_after_over() {
    assert_found(
        "HE DROVE UP FROM THE KAYENTA SUBSTATION.",
        "KAYENTA",
        Kind::Location,
    );
    assert_found("She went to the Kingman clinic.", "Kingman", Kind::Location);
    assert_found("It circled over Kayenta twice.", "Kayenta", Kind::Location);
    assert_found(
        "They called the post in Sitka to report it.",
        "Sitka",
        Kind::Location,
    );
    assert_not_flagged("WE FLEW OVER BOSTON AT 5000 FT.", "BOSTON");
}

#[test]
fn landmarks_without_suffix() {
    assert_found(
        "He was cited near Lake Havasu today.",
        "Lake Havasu",
        Kind::Location,
    );
    assert_found("A GARAGE ON BROADWAY IN FRESNO.", "BROADWAY", Kind::Location);
    assert_found(
        "OFFICERS MET THE TRAIN AT PENN STATION.",
        "PENN STATION",
        Kind::Location,
    );
    assert_not_flagged("THE FA WAS AT HER CREW STATION.", "CREW STATION");
    assert_found(
        "She was seen at the Lake Havasu clinic.",
        "Lake Havasu",
        Kind::Location,
    );
}

#[test]
fn lower_case_address_after_house_number() {
    let text = "She was parked outside 1187 willow drive in a van.";
    assert_found(text, "1187 willow drive", Kind::Location);
    assert_not_flagged("We had 2000 feet drive time.", "feet");
    let court = "The van sat outside 411 juniper court all night.";
    assert_found(court, "411 juniper court", Kind::Location);
    assert_not_flagged("They went to traffic court on Friday.", "court");
}

#[test]
fn place_span_ends_at_sentence() {
    let text = "He said he lived in Lakewood. Passenger B came back.";
    assert_found(text, "Lakewood", Kind::Location);
    assert_not_flagged(text, "Passenger");
}

#[test]
fn interstate_alone_is_location() {
    assert_found(
        "The truck was on Interstate 29 heading west.",
        "Interstate 29",
        Kind::Location,
    );
    assert_found("THE TRUCK WAS SEEN ON I-29 NORTHBOUND.", "I-29", Kind::Location);
}

#[test]
fn exit_and_mile_marker_are_own_places() {
    let text = "The truck stopped on I-29 near exit 64.";
    assert_found(text, "I-29", Kind::Location);
    assert_found(text, "exit 64", Kind::Location);
    assert_not_flagged(text, "near");

    let caps = "THE CAR STOPPED ON US-59 NEAR MILE MARKER 88 AT DUSK.";
    assert_found(caps, "US-59", Kind::Location);
    assert_found(caps, "MILE MARKER 88", Kind::Location);

    assert_found("THE TRAILER SAT AT MILEPOST 203.", "MILEPOST 203", Kind::Location);
    assert_found(
        "the van left the atlantic city expressway at exit 17.",
        "exit 17",
        Kind::Location,
    );
    assert_not_flagged("PAX WERE SEATED AT EXIT 3 ON THE LEFT.", "EXIT 3");
}

#[test]
fn farm_road_with_four_digits() {
    assert_found(
        "THE TRUCK WAS AT FM 2920 AND SPRING CYPRESS.",
        "FM 2920",
        Kind::Location,
    );
}

#[test]
fn weekday_in_capitals_is_no_date() {
    let text = "THE BAG WAS LOGGED ON FRIDAY. ON TUESDAY, 5/9/01, IT WAS SENT.";
    assert_not_flagged(text, "FRIDAY");
    assert_not_flagged(text, "TUESDAY");
    assert_found(text, "5/9/01", Kind::Date);
    assert_found("The bag was logged on Friday.", "Friday", Kind::Date);
}

#[test]
fn model_year_is_no_date() {
    assert_not_flagged("THE CAR, A 2004 TOYOTA CAMRY, WAS TOWED.", "2004");
    assert_not_flagged("He drove a 1999 Ford Ranger.", "1999");
    assert_found("He moved there in 1999 with his family.", "1999", Kind::Date);
}

#[test]
fn federal_agency_names() {
    for (text, agency) in [
        (
            "AGENT RUIZ OF U.S. CUSTOMS AND BORDER PROTECTION MET US.",
            "U.S. CUSTOMS AND BORDER PROTECTION",
        ),
        ("THE U.S. MARSHALS SERVICE TOOK HIM.", "U.S. MARSHALS SERVICE"),
        (
            "A DEPUTY OF THE US MARSHALS SERVICE CALLED.",
            "US MARSHALS SERVICE",
        ),
        (
            "HOMELAND SECURITY INVESTIGATIONS OPENED A FILE.",
            "HOMELAND SECURITY INVESTIGATIONS",
        ),
        (
            "An agent of the Bureau of Alcohol, Tobacco, Firearms and Explosives called.",
            "Bureau of Alcohol, Tobacco, Firearms and Explosives",
        ),
        (
            "THE DRUG ENFORCEMENT ADMINISTRATION WAS TOLD.",
            "DRUG ENFORCEMENT ADMINISTRATION",
        ),
        (
            "AN OFFICER OF THE PORT OF TACOMA POLICE MET US.",
            "PORT OF TACOMA POLICE",
        ),
        ("A U.S. PARK POLICE OFFICER CAME.", "U.S. PARK POLICE"),
        ("The Capitol Police took the report.", "Capitol Police"),
    ] {
        assert_found(text, agency, Kind::Agency);
    }
}

#[test]
fn agency_initials_after_of_in_capitals() {
    assert_found("DET. PAK OF THE DEA TOOK THE BAG.", "DEA", Kind::Agency);
    assert_found("OFFICER VOSS OF BPD WROTE IT UP.", "BPD", Kind::Agency);
    assert_found("HE LIVED UPTOWN ACCORDING TO KPD.", "KPD", Kind::Agency);
    assert_not_flagged("THE PAX WAS MET BY THE FBI AT THE GATE.", "FBI");
    assert_not_flagged("WE WERE AT A HIGH RATE OF SPD ON FINAL.", "SPD");
}

#[test]
fn special_agent_takes_a_name() {
    let text = "SPECIAL AGENT TAREK HALABI OF THE FBI MET THE FLT.";
    assert_found(text, "TAREK HALABI", Kind::Person);
    assert_not_flagged("THE GATE AGENT ASKED HIM TO SIT.", "ASKED");
}

#[test]
fn short_rank_without_period_in_capitals() {
    assert_found(
        "PO MIRELA VASQUEZ OF THE TRANSIT POLICE MET US.",
        "MIRELA VASQUEZ",
        Kind::Person,
    );
    assert_found(
        "DET GETACHEW WOLDE CAN BE CALLED LATER.",
        "GETACHEW WOLDE",
        Kind::Person,
    );
    assert_found(
        "PO ANA LUCIA FERREIRA (SHIELD 5561) MET THE ACFT.",
        "ANA LUCIA FERREIRA",
        Kind::Person,
    );
    assert_not_flagged("WE GOT THE DEP CLRNC OF RWY 27 FROM CLNC.", "CLRNC");
    assert_not_flagged("HE SENT THE PO BOX NUMBER.", "BOX");
}

#[test]
fn address_with_direction_and_period() {
    assert_found(
        "HE WAS ARRESTED AT 4417 N. KEDZIE AVE. ON FRIDAY.",
        "4417 N. KEDZIE AVE.",
        Kind::Location,
    );
    assert_found(
        "She lives at 947 E. Maple St. now.",
        "947 E. Maple St.",
        Kind::Location,
    );
}

#[test]
fn star_and_payroll_numbers_are_badges() {
    assert_found("OFFICER LIND (STAR 6093) CALLED.", "6093", Kind::Badge);
    assert_found("OFFICER LIND (PAYROLL 338201) CALLED.", "338201", Kind::Badge);
}

#[test]
fn square_after_at_or_near_is_place() {
    assert_found(
        "THEY MET HIM AT KENMORE SQUARE.",
        "KENMORE SQUARE",
        Kind::Location,
    );
    assert_found(
        "HE WAS SEEN NEAR UNION SQUARE LATER.",
        "UNION SQUARE",
        Kind::Location,
    );
}

#[test]
fn numbers_with_letter_groups_and_licence_forms() {
    assert_found("NEVADA REGISTRATION K47-RWT, PARKED.", "K47-RWT", Kind::Plate);
    assert_found("TROOPER LEE, UNIT 14-C, STOPPED IT.", "14-C", Kind::Badge);
    assert_found("OREGON TAG 7-KTR-21 WAS RUN.", "7-KTR-21", Kind::Plate);
    assert_found("The plate number BXR-44K came back.", "BXR-44K", Kind::Plate);
    let plate = "a Minnesota license plate of 832-TKM was seen";
    assert_found(plate, "832-TKM", Kind::Plate);
    assert_not_flagged(plate, "of");
    assert_found("licence no 123 456 789 was valid", "123 456 789", Kind::GovId);
    assert_found(
        "The citation number was QX-44120-R.",
        "QX-44120-R",
        Kind::CaseNumber,
    );
    assert_found(
        "HIS LICENCE NUMBER WAS M-321-654-987-210.",
        "M-321-654-987-210",
        Kind::GovId,
    );
    assert_found(
        "Her license, B4321 98765 43210, was returned.",
        "B4321 98765 43210",
        Kind::GovId,
    );
    assert_found(
        "His Florida licence number is S530-421-55-012-0.",
        "S530-421-55-012-0",
        Kind::GovId,
    );
}

#[test]
fn evidence_service_domain_is_no_identifier() {
    assert_not_flagged("The video went to Evidence.com on arrival.", "Evidence.com");
    assert_found(
        "See evidence.com/case/88231 for the clip.",
        "evidence.com/case/88231",
        Kind::Url,
    );
}

#[test]
fn lower_case_sentence_in_mixed_text() {
    let rank = "We landed. sgt. pao vang of the police took the report.";
    assert_found(rank, "pao vang", Kind::Person);
    let everyday = "We landed. The passenger was met by officer hope miller at the gate.";
    assert_found(everyday, "hope miller", Kind::Person);
    assert_not_flagged("We landed. The gate agent reopened door 1L.", "reopened");
    let role = "We landed. the man, keala palakiko, refused to sit.";
    assert_found(role, "keala palakiko", Kind::Person);
    let facility = "We landed. he was taken to the rosebud clinic by police.";
    assert_found(facility, "rosebud", Kind::Location);
    assert_not_flagged("We landed. she went to the crew station.", "crew");
}
