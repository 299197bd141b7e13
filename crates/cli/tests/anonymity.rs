//! The no-tracking promise, enforced: nothing that identifies a reporter or reader reaches the
//! data directory or the server's output, public paths set no cookies, every response carries
//! the security headers, and submissions keep only coarse time.

mod common;

use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use common::*;

const USER_AGENT: &str = "canary-agent-5f1c9e Mozilla/5.0";
const FORWARDED_FOR: &str = "203.0.113.77";
const FORWARDED: &str = "for=198.51.100.23;proto=https";
const REAL_IP: &str = "192.0.2.191";
const REFERER: &str = "https://canary-referer-8d2b.example/intranet/page";
const COOKIE: &str = "tracking=canary-cookie-3a7e";

fn canary_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("User-Agent", USER_AGENT),
        ("X-Forwarded-For", FORWARDED_FOR),
        ("Forwarded", FORWARDED),
        ("X-Real-IP", REAL_IP),
        ("Referer", REFERER),
        ("Cookie", COOKIE),
    ]
}

/// Imports one small report so that a report page exists, and returns the server.
fn server_with_one_report(data: &Path) -> Server {
    let csv = data.join("one.csv");
    fs::write(
        &csv,
        " ,Time,Report 1,Report 1\nACN,Date,Narrative,Synopsis\n5001,202201,A PAX REFUSED TO SIT AND POLICE MET THE FLT.,PAX REFUSED TO SIT.\n",
    )
    .unwrap();
    let output = nearmiss(
        &[
            "import",
            "--data",
            data.to_str().unwrap(),
            "--format",
            "asrs",
            csv.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success());
    fs::remove_file(&csv).unwrap();
    Server::start(data)
}

/// Requests every public route once; returns (route, reply) pairs.
fn walk_public_routes(server: &Server, headers: &[(&str, &str)]) -> Vec<(String, Reply)> {
    let listing = get(&server.url("/api/v1/reports"), &[]).json();
    let report_id = listing["reports"][0]["id"].as_str().unwrap().to_owned();

    let mut replies = Vec::new();
    for path in [
        "/".to_owned(),
        "/submit".to_owned(),
        "/privacy".to_owned(),
        "/reports".to_owned(),
        "/reports?page=1".to_owned(),
        format!("/reports/{report_id}"),
        "/reports/does-not-exist".to_owned(),
        "/static/style.css".to_owned(),
        "/static/icon.svg".to_owned(),
        "/favicon.ico".to_owned(),
        "/api/v1/taxonomy".to_owned(),
        "/api/v1/reports".to_owned(),
        format!("/api/v1/reports/{report_id}"),
        "/api/v1/openapi.json".to_owned(),
        "/healthz".to_owned(),
        "/no-such-page".to_owned(),
    ] {
        replies.push((format!("GET {path}"), get(&server.url(&path), headers)));
    }

    let form = form(&[
        ("event_type", "foot_pursuit"),
        (
            "what_happened",
            "I chased a suspect into a dark yard and a dog came at me from behind.",
        ),
        (
            "lessons_learned",
            "Carry a light in your hand during any foot pursuit after dark.",
        ),
    ]);
    let submitted = post(
        &server.url("/submit"),
        "application/x-www-form-urlencoded",
        &form,
        headers,
    );
    assert_eq!(submitted.status, 200);
    replies.push(("POST /submit".to_owned(), submitted));

    let invalid = post(
        &server.url("/submit"),
        "application/x-www-form-urlencoded",
        b"event_type=x",
        headers,
    );
    assert_eq!(invalid.status, 422);
    replies.push(("POST /submit (invalid)".to_owned(), invalid));

    let body = valid_submission().to_string();
    let created = post(
        &server.url("/api/v1/submissions"),
        "application/json",
        body.as_bytes(),
        headers,
    );
    assert_eq!(created.status, 201);
    replies.push(("POST /api/v1/submissions".to_owned(), created));

    let rejected = post(
        &server.url("/api/v1/submissions"),
        "application/json",
        b"[]",
        headers,
    );
    replies.push(("POST /api/v1/submissions (invalid)".to_owned(), rejected));
    replies
}

#[test]
fn request_headers_never_stored_or_logged() {
    let data = TempDir::new("canary");
    let mut server = server_with_one_report(data.path());
    walk_public_routes(&server, &canary_headers());

    let before_stop = files_under(data.path());
    server.stop();
    let mut files = before_stop;
    files.extend(files_under(data.path()));
    files.push(("server output".to_owned(), server.output().into_bytes()));
    assert!(
        files.iter().any(|(name, _)| name.ends_with("-wal")),
        "the WAL file was searched too"
    );

    for (_, value) in canary_headers() {
        let canary = value.split('=').next_back().unwrap();
        for (name, bytes) in &files {
            assert!(!contains(bytes, canary.as_bytes()), "{canary:?} found in {name}");
        }
    }
}

#[test]
fn public_paths_set_no_cookies() {
    let data = TempDir::new("cookies");
    let server = server_with_one_report(data.path());
    for (route, reply) in walk_public_routes(&server, &[]) {
        assert!(reply.header("set-cookie").is_none(), "{route} sets a cookie");
    }
}

#[test]
fn security_headers_on_every_response() {
    let data = TempDir::new("headers");
    add_user(data.path(), "analyst1", "analyst");
    let server = server_with_one_report(data.path());

    let mut replies = walk_public_routes(&server, &[]);
    replies.push((
        "GET /staff/login".to_owned(),
        get(&server.url("/staff/login"), &[]),
    ));
    replies.push((
        "GET /staff (anonymous)".to_owned(),
        get(&server.url("/staff"), &[]),
    ));
    let cookie = sign_in(&server, "analyst1");
    replies.push((
        "GET /staff".to_owned(),
        get(&server.url("/staff"), &[("Cookie", &cookie)]),
    ));

    for (route, reply) in &replies {
        let csp = reply
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{route}: no CSP"));
        for directive in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(directive), "{route}: CSP {csp:?} lacks {directive}");
        }
        assert!(!csp.contains("http"), "{route}: CSP allows another origin: {csp}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{route}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{route}");
        let permissions = reply.header("permissions-policy").unwrap_or_default();
        for feature in ["camera=()", "microphone=()", "geolocation=()"] {
            assert!(
                permissions.contains(feature),
                "{route}: Permissions-Policy lacks {feature}"
            );
        }
        assert!(reply.header("server").is_none(), "{route}: Server header present");
    }

    for (route, reply) in &replies {
        let sensitive =
            route.contains("/submit") || route.contains("/staff") || route.contains("submissions");
        if sensitive {
            assert_eq!(reply.header("cache-control"), Some("no-store"), "{route}");
        }
    }
}

#[test]
fn pages_load_nothing_from_other_origins() {
    let data = TempDir::new("origins");
    let server = server_with_one_report(data.path());
    for (route, reply) in walk_public_routes(&server, &[]) {
        let content_type = reply.header("content-type").unwrap_or_default();
        if !content_type.starts_with("text/html") && !content_type.starts_with("text/css") {
            continue;
        }
        for attribute in [
            "src=\"http",
            "href=\"http",
            "src=\"//",
            "href=\"//",
            "url(http",
            "url(//",
            "@import",
        ] {
            assert!(
                !reply.body.contains(attribute),
                "{route} references another origin: {attribute}"
            );
        }
    }
}

#[test]
fn submissions_keep_only_the_day() {
    let data = TempDir::new("coarse");
    let server = Server::start(data.path());
    for _ in 0..3 {
        assert_eq!(
            post_json(&server.url("/api/v1/submissions"), &valid_submission()).status,
            201
        );
    }

    let database = data.path().join("nearmiss.sqlite3");
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", database.display());
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        let seconds = modified.duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(
            seconds % 86_400,
            0,
            "{path} has a modification time within the day"
        );
    }

    let rows: Vec<(String, String)> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=ro", database.display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query_as("SELECT id, received_on FROM submissions")
            .fetch_all(&pool)
            .await
            .unwrap()
    });
    assert_eq!(rows.len(), 3);
    for (id, received_on) in &rows {
        assert_eq!(id.len(), 20, "id {id} is 80 random bits in hex");
        assert_eq!(
            received_on.len(),
            10,
            "received_on {received_on:?} is a day, not a time"
        );
        assert_eq!(&received_on[4..5], "-");
    }
    let numbers: Vec<u128> = rows
        .iter()
        .map(|(id, _)| u128::from_str_radix(id, 16).unwrap())
        .collect();
    let sequential = numbers
        .windows(2)
        .any(|pair| pair[0].abs_diff(pair[1]) < 1_000_000);
    assert!(!sequential, "ids look sequential: {rows:?}");
}

#[test]
fn receipt_stored_only_as_keyed_hash() {
    let data = TempDir::new("receipt");
    let server = Server::start(data.path());
    let reply = post_json(&server.url("/api/v1/submissions"), &valid_submission());
    let receipt = reply.json()["receipt"].as_str().unwrap().to_owned();

    let output = server.output();
    assert!(!output.contains(&receipt), "receipt appears in the server output");
    for (name, bytes) in files_under(data.path()) {
        assert!(!contains(&bytes, receipt.as_bytes()), "receipt found in {name}");
    }

    let key = fs::read(data.path().join("keys/receipt.key")).unwrap();
    assert_eq!(key.len(), 32, "the receipt key lives outside the database");
}

#[test]
fn receipt_check_shows_status() {
    let data = TempDir::new("status");
    let server = Server::start(data.path());
    let receipt = post_json(&server.url("/api/v1/submissions"), &valid_submission()).json()["receipt"]
        .as_str()
        .unwrap()
        .to_owned();

    let typed = receipt.replace('-', " ").to_uppercase();
    let page = post_form(&server.url("/status"), &[("receipt", &typed)], None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Waiting for review"));
    assert!(page.header("set-cookie").is_none());
    assert_eq!(page.header("cache-control"), Some("no-store"));

    let api = post_json(
        &server.url("/api/v1/receipts/status"),
        &serde_json::json!({ "receipt": receipt }),
    );
    assert_eq!(api.status, 200);
    assert_eq!(api.json()["status"], "pending");

    let malformed = post_json(
        &server.url("/api/v1/receipts/status"),
        &serde_json::json!({"receipt": "two words"}),
    );
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"]
        .as_str()
        .unwrap()
        .contains("expected 8 words"));
    assert!(
        !server.output().contains(&receipt),
        "receipt appears in the server output"
    );
}

#[test]
fn wrong_receipts_are_throttled_globally() {
    let data = TempDir::new("throttle");
    let server = Server::start(data.path());
    let receipt = post_json(&server.url("/api/v1/submissions"), &valid_submission()).json()["receipt"]
        .as_str()
        .unwrap()
        .to_owned();

    let words = [
        "abandon", "ability", "able", "about", "above", "absent", "absorb", "abstract",
    ];
    let url = server.url("/api/v1/receipts/status");
    for guess in 0..20 {
        let mut wrong = words.map(str::to_owned);
        wrong[guess % 8] = "zoo".to_owned();
        wrong[(guess + 1) % 8] = words[(guess + 3) % 8].to_owned();
        let reply = post_json(&url, &serde_json::json!({ "receipt": wrong.join(" ") }));
        assert_eq!(reply.status, 404, "guess {guess}: {}", reply.body);
    }

    let throttled = post_json(
        &url,
        &serde_json::json!({ "receipt": "abandon ability able about above absent absorb zoo" }),
    );
    assert_eq!(throttled.status, 429, "the 21st wrong guess is refused");
    let right = post_json(&url, &serde_json::json!({ "receipt": receipt }));
    assert_eq!(
        right.status, 429,
        "the throttle is global, so it holds for every client"
    );
}
