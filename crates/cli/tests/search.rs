//! Search through real HTTP against the running binary, checked against the SQLite file:
//! filters and facet counts, stemmed full text, following new publications, and `reindex`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use sqlx::{Connection, Row, SqliteConnection};

/// Forms of "knife" that the index stems together: the Snowball stemmer maps knifes, knifed
/// and knifing to knife, and the analyzer maps the irregular plural knives.
const KNIFE_FORMS: [&str; 5] = ["knife", "knifes", "knives", "knifed", "knifing"];

fn import_asrs(data: &Path) {
    let data = data.to_str().unwrap();
    for file in [
        "asrs_passenger_misconduct_1999-2024.csv",
        "asrs_nmac_airborne_conflict_1988-2017.csv",
    ] {
        let path = asrs_file(file);
        let output = nearmiss(
            &[
                "import",
                "--data",
                data,
                "--format",
                "asrs",
                path.to_str().unwrap(),
            ],
            None,
        );
        assert!(
            output.status.success(),
            "import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Reads every published report from the SQLite file, independently of the server.
fn stored_reports(data: &Path) -> Vec<sqlx::sqlite::SqliteRow> {
    let url = format!("sqlite://{}?mode=ro", data.join("nearmiss.sqlite3").display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut connection = SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(
            "SELECT title, summary, what_happened, lessons_learned, recommendations, context, source_tags \
             FROM reports",
        )
        .fetch_all(&mut connection)
        .await
        .unwrap()
    })
}

fn count_by(
    rows: &[sqlx::sqlite::SqliteRow],
    values_of: impl Fn(&sqlx::sqlite::SqliteRow) -> Vec<String>,
) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for row in rows {
        for value in values_of(row) {
            *counts.entry(value).or_default() += 1;
        }
    }
    counts
}

fn context_value(row: &sqlx::sqlite::SqliteRow, name: &str) -> Vec<String> {
    let context: Value = serde_json::from_str(row.get::<&str, _>("context")).unwrap();
    context[name].as_str().map(str::to_owned).into_iter().collect()
}

fn source_tags(row: &sqlx::sqlite::SqliteRow) -> Vec<String> {
    serde_json::from_str(row.get::<&str, _>("source_tags")).unwrap()
}

fn mentions_knife(row: &sqlx::sqlite::SqliteRow) -> bool {
    let text: String = [
        "title",
        "summary",
        "what_happened",
        "lessons_learned",
        "recommendations",
    ]
    .iter()
    .map(|column| row.get::<&str, _>(*column))
    .collect::<Vec<_>>()
    .join(" ");
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| KNIFE_FORMS.contains(&word.to_lowercase().as_str()))
}

fn facet(reply: &Value, field: &str) -> BTreeMap<String, u64> {
    serde_json::from_value(reply["facets"][field].clone()).unwrap_or_default()
}

fn report_ids(reply: &Value) -> Vec<String> {
    let mut ids: Vec<String> = reply["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|report| report["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn api(server: &Server, query: &str) -> Value {
    let reply = get(&server.url(&format!("/api/v1/reports{query}")), &[]);
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    reply.json()
}

#[test]
fn search_agrees_with_database() {
    let data = TempDir::new("search");
    import_asrs(data.path());
    let rows = stored_reports(data.path());
    let server = Server::start(data.path());

    let all = api(&server, "");
    assert_eq!(
        all["total"],
        rows.len() as u64,
        "plain listing counts every report"
    );

    let states = count_by(&rows, |row| context_value(row, "state"));
    assert_eq!(facet(&all, "state"), states, "state counts");
    let blocks = count_by(&rows, |row| context_value(row, "time_of_day"));
    assert_eq!(facet(&all, "time_of_day"), blocks, "time-of-day counts");
    let tags = count_by(&rows, source_tags);
    assert_eq!(facet(&all, "source_tag"), tags, "source tag counts");

    let (state, state_count) = states.iter().max_by_key(|(_, count)| **count).unwrap();
    let filtered = api(&server, &format!("?state={state}"));
    assert_eq!(filtered["total"], *state_count, "state filter");
    let night_or_morning = blocks.get("night").unwrap_or(&0) + blocks.get("morning").unwrap_or(&0);
    let either = api(&server, "?time_of_day=night&time_of_day=morning");
    assert_eq!(either["total"], night_or_morning, "values of one field are ORed");
    let both = count_by(&rows, |row| {
        let in_state = context_value(row, "state").contains(state);
        let at_night = context_value(row, "time_of_day") == ["night"];
        if in_state && at_night {
            vec!["both".to_owned()]
        } else {
            Vec::new()
        }
    });
    let anded = api(&server, &format!("?state={state}&time_of_day=night"));
    assert_eq!(
        anded["total"],
        both.get("both").copied().unwrap_or(0),
        "fields are ANDed"
    );
    assert_eq!(
        facet(&anded, "state"),
        count_by(&rows, |row| {
            if context_value(row, "time_of_day") == ["night"] {
                context_value(row, "state")
            } else {
                Vec::new()
            }
        }),
        "a filtered field is counted without its own filter"
    );

    let (tag, tag_count) = tags.iter().max_by_key(|(_, count)| **count).unwrap();
    let encoded: String = form(&[("source_tag", tag.as_str())])
        .into_iter()
        .map(char::from)
        .collect();
    assert_eq!(
        api(&server, &format!("?{encoded}"))["total"],
        *tag_count,
        "source tag filter"
    );

    let knife = rows.iter().filter(|row| mentions_knife(row)).count() as u64;
    assert!(knife > 0, "the ASRS files mention knives");
    assert_eq!(
        api(&server, "?q=knife")["total"],
        knife,
        "q=knife matches every form"
    );
    assert_eq!(
        api(&server, "?q=knives")["total"],
        knife,
        "q=knives matches every form"
    );
    let page = get(&server.url("/reports?q=knife"), &[]);
    assert!(page.body.contains("<mark>"), "snippets mark the hits");
    assert!(
        page.body.contains("href=\"/feeds/search.atom?q=knife\""),
        "page links its feed"
    );

    for (query, parameter) in [
        ("?state=Texas", "state"),
        ("?year_from=abc", "year_from"),
        ("?sort=oldest", "sort"),
        ("?page=0", "page"),
        ("?colour=red", "colour"),
    ] {
        let reply = get(&server.url(&format!("/api/v1/reports{query}")), &[]);
        assert_eq!(reply.status, 400, "{query}");
        assert!(
            reply.json()["error"].as_str().unwrap().contains(parameter),
            "{query}: {}",
            reply.body
        );
        assert_eq!(
            get(&server.url(&format!("/reports{query}")), &[]).status,
            400,
            "page {query}"
        );
    }
}

#[test]
fn feeds_are_atom_without_cookies() {
    let data = TempDir::new("feeds");
    import_asrs(data.path());
    let server = Server::start(data.path());

    for path in [
        "/feeds/reports.atom",
        "/feeds/search.atom?q=knife&time_of_day=evening",
    ] {
        let reply = get(&server.url(path), &[]);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/atom+xml; charset=utf-8")
        );
        assert!(reply.header("set-cookie").is_none(), "{path} sets no cookie");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert!(reply.header("content-security-policy").is_some());
        assert!(reply.body.starts_with("<?xml"), "{path}");
        assert!(reply.body.contains("<entry>"), "{path} has entries");
        assert!(!reply.body.contains("& "), "{path} escapes ampersands");
    }
    let feed = get(&server.url("/feeds/reports.atom"), &[]);
    assert_eq!(feed.body.matches("<entry>").count(), 20, "newest page of reports");
}

#[test]
fn publication_becomes_searchable_then_reindex() {
    let data = TempDir::new("follow");
    add_user(data.path(), "analyst1", "analyst");
    allow_single_approval(data.path(), None);
    import_asrs(data.path());
    let mut server = Server::start(data.path());

    let mut submission = valid_submission();
    submission["what_happened"] = json!("A man pulled a zorbitrax blade from his boot during the pat-down.");
    assert_eq!(
        post_json(&server.url("/api/v1/submissions"), &submission).status,
        201
    );
    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).expect("queue lists the submission") + marker.len();
    let id = &queue.body[start..start + 20];
    let csrf = csrf_token(&queue.body);
    let published = post_form(
        &server.url(&format!("/staff/submissions/{id}/publish")),
        &[
            ("csrf", &csrf),
            ("title", "Blade in the boot"),
            (
                "what_happened",
                "A man pulled a zorbitrax blade from his boot during the pat-down.",
            ),
            ("event_type", "arrest_handcuffing"),
            ("state", "TX"),
        ],
        Some(&cookie),
    );
    assert_eq!(published.status, 303, "{}", published.body);

    let published_at = Instant::now();
    loop {
        if api(&server, "?q=zorbitrax")["total"] == 1 {
            break;
        }
        assert!(
            published_at.elapsed() < Duration::from_secs(2),
            "not searchable within 2 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // Relevance queries here match fewer reports than a page holds, and the others sort by
    // newest, so the first page holds the same reports whatever the segment layout.
    let queries = [
        "?q=knife",
        "?q=zorbitrax",
        "?state=TX",
        "?time_of_day=night&q=passenger&sort=newest",
        "?q=%22flight+attendant%22&sort=newest",
    ];
    let before: Vec<Value> = queries.iter().map(|query| api(&server, query)).collect();
    let busy = nearmiss(&["reindex", "--data", data.path().to_str().unwrap()], None);
    assert!(!busy.status.success(), "reindex refuses an index in use");
    assert!(String::from_utf8_lossy(&busy.stderr).contains("in use"));
    server.stop();

    let output = nearmiss(&["reindex", "--data", data.path().to_str().unwrap()], None);
    assert!(
        output.status.success(),
        "reindex failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let server = Server::start(data.path());
    for (query, expected) in queries.iter().zip(&before) {
        let after = api(&server, query);
        assert_eq!(after["total"], expected["total"], "{query} total");
        assert_eq!(report_ids(&after), report_ids(expected), "{query} reports");
        assert_eq!(after["facets"], expected["facets"], "{query} facets");
    }
}
