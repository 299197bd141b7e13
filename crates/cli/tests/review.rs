//! The analyst's de-identification review through real HTTP: detected spans, decisions,
//! hand-marked identifiers, the preview, the re-identification warning and its coarser values.

mod common;

use common::*;
use serde_json::json;

struct Reviewing {
    server: Server,
    cookie: String,
    id: String,
    _data: TempDir,
}

fn open_review(label: &str, submission: serde_json::Value) -> (Reviewing, String) {
    let data = TempDir::new(label);
    add_user(data.path(), "analyst1", "analyst");
    allow_single_approval(data.path(), None);
    let server = Server::start(data.path());
    let created = post_json(&server.url("/api/v1/submissions"), &submission);
    assert_eq!(created.status, 201, "{}", created.body);

    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).unwrap() + marker.len();
    let id = queue.body[start..start + 20].to_owned();
    let page = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &cookie)],
    );
    assert_eq!(page.status, 200);
    (
        Reviewing {
            server,
            cookie,
            id,
            _data: data,
        },
        page.body,
    )
}

/// Field values for the review form, with `extra` pairs appended.
fn review_form<'a>(
    csrf: &'a str,
    what_happened: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("csrf", csrf),
        ("title", "Hands under the seat"),
        ("what_happened", what_happened),
        ("lessons_learned", "Watch the hands."),
        ("event_type", "traffic_stop"),
        ("state", "VT"),
        ("event_month", "2024-05"),
    ];
    pairs.extend_from_slice(extra);
    pairs
}

/// The indexes of the spans listed on a review page (`name="span_N"`), without repeats.
fn span_indexes(page: &str) -> Vec<String> {
    let mut indexes: Vec<String> = page
        .split("name=\"span_")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    indexes.dedup();
    indexes
}

const STORY: &str =
    "Officer John Miller and I stopped a pickup on Elm Street at 0317 hours on April 20, 2024. \
                     The driver reached under the seat for a pistol.";

#[test]
fn publishing_refused_while_a_span_is_undecided() {
    let submission =
        json!({"event_type": "traffic_stop", "what_happened": STORY, "lessons_learned": "Watch the hands."});
    let (review, page) = open_review("undecided", submission);
    let spans = span_indexes(&page);
    assert!(spans.len() >= 3, "detection ran on arrival: {spans:?}");
    assert!(
        page.contains("<mark class=\"undecided\""),
        "spans are highlighted"
    );

    let csrf = csrf_token(&page);
    let publish = review
        .server
        .url(&format!("/staff/submissions/{}/publish", review.id));
    let refused = post_form(&publish, &review_form(&csrf, STORY, &[]), Some(&review.cookie));
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("undecided"), "the analyst is told why");
    assert_eq!(get(&review.server.url("/api/v1/reports"), &[]).json()["total"], 0);

    let names: Vec<String> = spans.iter().map(|index| format!("span_{index}")).collect();
    let mut decided: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "redact")).collect();
    decided.pop();
    let refused = post_form(
        &publish,
        &review_form(&csrf, STORY, &decided),
        Some(&review.cookie),
    );
    assert_eq!(refused.status, 422, "one undecided span still blocks publication");

    let decided: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "redact")).collect();
    let published = post_form(
        &publish,
        &review_form(&csrf, STORY, &decided),
        Some(&review.cookie),
    );
    assert_eq!(published.status, 303, "{}", published.body);

    let report = get(&review.server.url("/api/v1/reports"), &[]).json()["reports"][0].clone();
    let text = report["what_happened"].as_str().unwrap();
    assert!(!text.contains("Miller"), "{text}");
    assert!(!text.contains("Elm Street"), "{text}");
    assert!(!text.contains("0317"), "{text}");
    assert!(
        text.contains("April 2024"),
        "dates are generalised to the month: {text}"
    );
    assert!(text.contains("reached under the seat"), "{text}");
}

#[test]
fn decisions_marks_and_preview() {
    let submission =
        json!({"event_type": "traffic_stop", "what_happened": STORY, "lessons_learned": "Watch the hands."});
    let (review, page) = open_review("marks", submission);
    let csrf = csrf_token(&page);
    let save = review
        .server
        .url(&format!("/staff/submissions/{}/save", review.id));

    let names: Vec<String> = span_indexes(&page)
        .iter()
        .map(|index| format!("span_{index}"))
        .collect();
    let mut pairs: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "keep")).collect();
    pairs.extend([
        ("mark_text", "pickup"),
        ("mark_field", "what_happened"),
        ("mark_kind", "PLATE"),
    ]);
    let saved = post_form(&save, &review_form(&csrf, STORY, &pairs), Some(&review.cookie));
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("(marked)"), "the missed identifier is listed");
    assert!(
        saved.body.contains("<strong>0 undecided</strong>"),
        "kept spans and the marked one are decided"
    );
    let preview = saved
        .body
        .split("Preview: exactly what will be published")
        .nth(1)
        .unwrap();
    assert!(preview.contains("John Miller"), "kept spans stay in the preview");
    assert!(
        !preview.contains("pickup"),
        "the marked text is redacted in the preview"
    );

    let edited = format!("{STORY} Deputy Sara Quint arrived later.");
    let saved = post_form(&save, &review_form(&csrf, &edited, &[]), Some(&review.cookie));
    assert!(saved.body.contains("Sara Quint"));
    assert!(
        !saved.body.contains("<strong>0 undecided</strong>"),
        "detection ran again over the edit"
    );
    let page = get(
        &review.server.url(&format!("/staff/submissions/{}", review.id)),
        &[("Cookie", &review.cookie)],
    );
    assert!(
        page.body.contains("(marked)"),
        "decisions and marks survive the edit"
    );
}

#[test]
fn rare_combination_warns_and_offers_coarser_values() {
    let story = "The driver reached under the seat for a pistol during the stop.";
    let submission = json!({"event_type": "traffic_stop", "what_happened": story, "lessons_learned": "Watch the hands.",
                            "state": "VT", "event_month": "2024-05"});
    let (review, page) = open_review("risk", submission);
    assert!(
        page.contains("Re-identification risk"),
        "no report shares the combination yet"
    );
    assert!(page.contains("name=\"region_instead_of_state\""));
    assert!(page.contains("name=\"quarter_instead_of_month\""));

    let csrf = csrf_token(&page);
    let extra = [
        ("region_instead_of_state", "on"),
        ("quarter_instead_of_month", "on"),
    ];
    let publish = review
        .server
        .url(&format!("/staff/submissions/{}/publish", review.id));
    let published = post_form(&publish, &review_form(&csrf, story, &extra), Some(&review.cookie));
    assert_eq!(published.status, 303, "{}", published.body);

    let report = get(&review.server.url("/api/v1/reports"), &[]).json()["reports"][0].clone();
    assert_eq!(report["event_month"], "2024-Q2");
    assert_eq!(report["context"]["region"], "northeast");
    assert!(report["context"].get("state").is_none(), "{report}");
    let html = get(
        &review
            .server
            .url(&format!("/reports/{}", report["id"].as_str().unwrap())),
        &[],
    );
    assert!(html.body.contains("April-June 2024"));
}

#[test]
fn two_analysts_must_approve_the_same_text() {
    let data = TempDir::new("two-person");
    add_user(data.path(), "analyst1", "analyst");
    add_user(data.path(), "analyst2", "analyst");
    let server = Server::start(data.path());
    let story = "The driver reached under the seat for a pistol during the stop.";
    let submission =
        json!({"event_type": "traffic_stop", "what_happened": story, "lessons_learned": "Watch the hands."});
    assert_eq!(
        post_json(&server.url("/api/v1/submissions"), &submission).status,
        201
    );

    let first = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &first)]);
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).unwrap() + marker.len();
    let id = queue.body[start..start + 20].to_owned();
    let publish = server.url(&format!("/staff/submissions/{id}/publish"));

    let page = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &first)],
    );
    let csrf = csrf_token(&page.body);
    let approved = post_form(&publish, &review_form(&csrf, story, &[]), Some(&first));
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert!(approved.body.contains("Your approval is recorded: 1 of 2"));
    let again = post_form(&publish, &review_form(&csrf, story, &[]), Some(&first));
    assert!(again.body.contains("1 of 2"), "one analyst cannot approve twice");
    assert_eq!(get(&server.url("/api/v1/reports"), &[]).json()["total"], 0);

    let second = sign_in(&server, "analyst2");
    let page = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &second)],
    );
    let csrf = csrf_token(&page.body);
    let changed = format!("{story} Edited.");
    let reset = post_form(&publish, &review_form(&csrf, &changed, &[]), Some(&second));
    assert!(
        reset.body.contains("1 of 2"),
        "a changed text voids the earlier approval"
    );

    let page = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &first)],
    );
    let csrf = csrf_token(&page.body);
    let published = post_form(&publish, &review_form(&csrf, &changed, &[]), Some(&first));
    assert_eq!(
        published.status, 303,
        "the second analyst's approval publishes: {}",
        published.body
    );
    assert_eq!(get(&server.url("/api/v1/reports"), &[]).json()["total"], 1);

    let verify = nearmiss(
        &["audit", "verify", "--data", data.path().to_str().unwrap()],
        None,
    );
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
