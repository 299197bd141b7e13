//! End-to-end tests of the walking skeleton through real HTTP against the running binary on a
//! temporary SQLite file: submit, review, publish, browse, import.

mod common;

use common::*;
use serde_json::json;

fn submission_id_from_queue(page: &str) -> String {
    let marker = "/staff/submissions/";
    let start = page.find(marker).expect("queue lists a submission") + marker.len();
    page[start..start + 20].to_owned()
}

#[test]
fn submit_review_publish_then_browse() {
    let data = TempDir::new("flow");
    add_user(data.path(), "analyst1", "analyst");
    allow_single_approval(data.path(), None);
    let server = Server::start(data.path());

    let what_happened = "A man approached the cruiser at a gas station with one hand hidden in his jacket.";
    let reply = post_form(
        &server.url("/submit"),
        &[
            ("event_type", "armed_subject"),
            ("contributing_factors", "situational_awareness"),
            ("contributing_factors", "complacency"),
            ("time_of_day", "evening"),
            ("what_happened", what_happened),
            (
                "lessons_learned",
                "Never stay seated in the car when someone walks up.",
            ),
        ],
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("<code>"), "receipt page shows the code");
    let receipt = reply
        .body
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap();
    assert_eq!(
        receipt.split('-').count(),
        8,
        "receipt {receipt:?} has eight words"
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));

    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    assert_eq!(queue.status, 200);
    let id = submission_id_from_queue(&queue.body);

    let review = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &cookie)],
    );
    assert_eq!(review.status, 200);
    assert!(review.body.contains("A man approached the cruiser"));
    let csrf = csrf_token(&review.body);

    let published = post_form(
        &server.url(&format!("/staff/submissions/{id}/publish")),
        &[
            ("csrf", &csrf),
            ("title", "Hidden hand at the gas station"),
            (
                "summary",
                "An officer stayed seated while a man with a hidden hand approached.",
            ),
            ("what_happened", what_happened),
            ("lessons_learned", "Get out of the car before the contact starts."),
            ("event_type", "armed_subject"),
            ("contributing_factors", "situational_awareness"),
            ("time_of_day", "evening"),
            ("event_month", "2024-05"),
        ],
        Some(&cookie),
    );
    assert_eq!(published.status, 303, "{}", published.body);
    let location = published.header("location").unwrap().to_owned();
    assert!(location.starts_with("/reports/"));

    let listing = get(&server.url("/reports"), &[]);
    assert!(listing.body.contains("Hidden hand at the gas station"));
    let page = get(&server.url(&location), &[]);
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Get out of the car before the contact starts."));
    assert!(page.body.contains("May 2024"));

    let api = get(&server.url("/api/v1/reports"), &[]).json();
    assert_eq!(api["total"], 1);
    assert_eq!(api["reports"][0]["title"], "Hidden hand at the gas station");
    let report_id = api["reports"][0]["id"].as_str().unwrap();
    let single = get(&server.url(&format!("/api/v1/reports/{report_id}")), &[]).json();
    assert_eq!(single["event_type"], "armed_subject");
    assert_eq!(single["context"]["time_of_day"], "evening");

    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    assert!(
        !queue.body.contains("/staff/submissions/"),
        "published submission left the queue"
    );
    let again = post_form(
        &server.url(&format!("/staff/submissions/{id}/publish")),
        &[
            ("csrf", &csrf),
            ("title", "Twice"),
            ("what_happened", what_happened),
            ("event_type", "other"),
        ],
        Some(&cookie),
    );
    assert_eq!(again.status, 409, "a submission is published once");
}

#[test]
fn reject_requires_reason() {
    let data = TempDir::new("reject");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());
    assert_eq!(
        post_json(&server.url("/api/v1/submissions"), &valid_submission()).status,
        201
    );

    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    let id = submission_id_from_queue(&queue.body);
    let csrf = csrf_token(&queue.body);
    let url = server.url(&format!("/staff/submissions/{id}/reject"));

    let missing = post_form(&url, &[("csrf", &csrf), ("reason", " ")], Some(&cookie));
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("required"));

    let rejected = post_form(
        &url,
        &[("csrf", &csrf), ("reason", "Duplicate of an earlier report.")],
        Some(&cookie),
    );
    assert_eq!(rejected.status, 303);
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    assert!(!queue.body.contains(&id));
    assert_eq!(get(&server.url("/api/v1/reports"), &[]).json()["total"], 0);
}

#[test]
fn staff_pages_need_sign_in_and_token() {
    let data = TempDir::new("staff");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());

    let anonymous = get(&server.url("/staff"), &[]);
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), Some("/staff/login"));

    let wrong = post_form(
        &server.url("/staff/login"),
        &[("username", "analyst1"), ("password", "wrong password!")],
        None,
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("set-cookie").is_none());

    let cookie = sign_in(&server, "analyst1");
    let set_cookie_attributes = post_form(
        &server.url("/staff/login"),
        &[("username", "analyst1"), ("password", PASSWORD)],
        None,
    );
    let attributes = set_cookie_attributes.header("set-cookie").unwrap();
    assert!(attributes.contains("Path=/staff"), "{attributes}");
    assert!(attributes.contains("HttpOnly"), "{attributes}");
    assert!(attributes.contains("SameSite=Strict"), "{attributes}");

    let forged = post_form(
        &server.url("/staff/logout"),
        &[("csrf", &"0".repeat(64))],
        Some(&cookie),
    );
    assert_eq!(
        forged.status, 403,
        "a form without the session's token changes nothing"
    );

    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    let csrf = csrf_token(&queue.body);
    let logout = post_form(&server.url("/staff/logout"), &[("csrf", &csrf)], Some(&cookie));
    assert_eq!(logout.status, 303);
    assert_eq!(
        get(&server.url("/staff"), &[("Cookie", &cookie)]).status,
        303,
        "session ends at sign-out"
    );
}

#[test]
fn form_errors_keep_everything_typed() {
    let data = TempDir::new("form");
    let server = Server::start(data.path());

    let story = "The suspect turned toward me with something shiny in his hand <and> ran.";
    let reply = post_form(
        &server.url("/submit"),
        &[
            ("event_type", "parade"),
            ("weather", "fog"),
            ("what_happened", story),
            ("lessons_learned", ""),
            ("recommendations", "More lights on the cars."),
        ],
        None,
    );
    assert_eq!(reply.status, 422);
    assert!(
        reply.body.contains("unknown event type"),
        "event type error shown"
    );
    assert!(reply.body.contains("required"), "lessons learned error shown");
    assert!(
        reply
            .body
            .contains("something shiny in his hand &lt;and&gt; ran."),
        "narrative kept and escaped"
    );
    assert!(reply.body.contains("More lights on the cars."));
    assert!(reply.body.contains("value=\"fog\" selected"), "choices kept");

    let too_long = "x".repeat(20_001);
    let reply = post_form(
        &server.url("/submit"),
        &[
            ("event_type", "other"),
            ("what_happened", &too_long),
            ("lessons_learned", "ok"),
        ],
        None,
    );
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("the limit is 20000"));

    let reply = post(
        &server.url("/submit"),
        "application/x-www-form-urlencoded",
        b"event_type=other&lessons_learned=ok&what_happened=caf%E9+%FF+twenty+characters+long",
        &[],
    );
    assert_eq!(reply.status, 422);
    assert!(
        reply.body.contains("not valid UTF-8"),
        "non-UTF-8 field named: {}",
        reply.body
    );

    assert_eq!(get(&server.url("/api/v1/reports"), &[]).json()["total"], 0);
}

#[test]
fn api_submission_answers_and_validates() {
    let data = TempDir::new("api");
    let server = Server::start(data.path());
    let url = server.url("/api/v1/submissions");

    let created = post_json(&url, &valid_submission());
    assert_eq!(created.status, 201, "{}", created.body);
    let receipt = created.json()["receipt"].as_str().unwrap().to_owned();
    assert_eq!(receipt.split('-').count(), 8);
    let second = post_json(&url, &valid_submission()).json()["receipt"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(receipt, second);

    let invalid = post_json(&url, &json!({"event_type": "nope", "what_happened": 5}));
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    let fields = &invalid.json()["fields"];
    assert!(fields["what_happened"].is_string(), "{fields}");

    let invalid = post_json(&url, &json!({"event_type": "nope", "what_happened": "short"}));
    let fields = invalid.json()["fields"].clone();
    assert!(fields["event_type"]
        .as_str()
        .unwrap()
        .contains("unknown event type"));
    assert!(fields["what_happened"].as_str().unwrap().contains("at least 20"));
    assert!(fields["lessons_learned"].as_str().unwrap().contains("required"));

    let malformed = post(&url, "application/json", b"{\"event_type\": ", &[]);
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"]
        .as_str()
        .unwrap()
        .contains("invalid JSON"));

    let not_utf8 = post(&url, "application/json", b"{\"event_type\": \"\xff\"}", &[]);
    assert_eq!(not_utf8.status, 400);

    let huge = json!({"event_type": "other", "what_happened": "x".repeat(300_000), "lessons_learned": "y"});
    let too_large = post_json(&url, &huge);
    assert_eq!(too_large.status, 413);
    assert!(too_large.json()["error"]
        .as_str()
        .unwrap()
        .contains("262144 bytes"));

    let taxonomy = get(&server.url("/api/v1/taxonomy"), &[]).json();
    let event_type = &taxonomy["fields"][0];
    assert_eq!(event_type["name"], "event_type");
    let slugs: Vec<&str> = event_type["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.contains(&"other") && slugs.contains(&"traffic_stop"));

    assert_eq!(get(&server.url("/healthz"), &[]).status, 200);
    assert_eq!(
        get(&server.url("/api/v1/reports/0123456789abcdef0123"), &[]).status,
        404
    );
    assert_eq!(get(&server.url("/api/v1/reports?page=abc"), &[]).status, 400);
    assert_eq!(get(&server.url("/no/such/page"), &[]).status, 404);
}

#[test]
fn asrs_import_counts_and_reimport_adds_nothing() {
    let data = TempDir::new("import");
    let file = asrs_file("asrs_passenger_misconduct_1999-2024.csv");
    let args = [
        "import",
        "--data",
        data.path().to_str().unwrap(),
        "--format",
        "asrs",
        file.to_str().unwrap(),
    ];

    let first = nearmiss(&args, None);
    assert!(first.status.success());
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("read 1646, imported 1646, skipped 0"), "{stdout}");

    let second = nearmiss(&args, None);
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("read 1646, imported 0, skipped 1646 (1646 already present, 0 invalid)"),
        "{stdout}"
    );

    let server = Server::start(data.path());
    let listing = get(&server.url("/api/v1/reports"), &[]).json();
    assert_eq!(listing["total"], 1646);
    assert_eq!(listing["reports"].as_array().unwrap().len(), 20);
    let first_report = &listing["reports"][0];
    assert_eq!(first_report["source"], "asrs");
    assert!(first_report["source_tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t.as_str().unwrap().starts_with("Anomaly: ")));

    let page = get(&server.url("/reports?page=83"), &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Page 83 of 83"));
}

#[test]
fn malformed_asrs_rows_are_skipped_by_line() {
    let data = TempDir::new("malformed");
    let csv = data.path().join("export.csv");
    let header = " ,Time,Time,Place,Report 1,Report 1,Events\nACN,Date,Local Time Of Day,State Reference,Narrative,Synopsis,Anomaly\n";
    let rows = [
        "1001,202301,0601-1200,TX,\"A PAX BECAME UNRULY, SO POLICE MET THE FLT.\",PAX UNRULY.,Passenger Misconduct; Other",
        "ABC,202301,0601-1200,TX,NARRATIVE,SYN,X",
        "1003,2023,0601-1200,TX,NARRATIVE,SYN,X",
        "1004,202302,0601-1200,TX,NARRATIVE",
        "1005,202303,,,,SYN,X",
        "1006,202304,1801-2400,FO,ANOTHER NARRATIVE.,SYN,X",
    ];
    std::fs::write(&csv, format!("{header}{}\n", rows.join("\n"))).unwrap();

    let args = [
        "import",
        "--data",
        data.path().to_str().unwrap(),
        "--format",
        "asrs",
        csv.to_str().unwrap(),
    ];
    let output = nearmiss(&args, None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("read 6, imported 2, skipped 4 (0 already present, 4 invalid)"),
        "{stdout}"
    );
    assert!(
        stderr.contains(":4: skipped invalid row: invalid ACN"),
        "{stderr}"
    );
    assert!(
        stderr.contains(":5: skipped invalid row: invalid Date"),
        "{stderr}"
    );
    assert!(
        stderr.contains(":6: skipped invalid row: expected 7 fields, found 5"),
        "{stderr}"
    );
    assert!(
        stderr.contains(":7: skipped invalid row: no narrative"),
        "{stderr}"
    );

    let server = Server::start(data.path());
    let listing = get(&server.url("/api/v1/reports"), &[]).json();
    assert_eq!(listing["total"], 2);
    let tags = &listing["reports"][1]["source_tags"];
    assert_eq!(tags, &json!(["Anomaly: Passenger Misconduct", "Anomaly: Other"]));
}

#[test]
fn serve_stops_cleanly_on_sigterm() {
    let data = TempDir::new("sigterm");
    let mut server = Server::start(data.path());
    let status = server.stop();
    assert!(status.success(), "exit status {status:?}");
    let output = server.output();
    assert!(output.contains("nearmiss started"), "{output}");
    assert!(output.contains("received SIGTERM"), "{output}");
    assert!(output.contains("nearmiss stopped"), "{output}");
}
