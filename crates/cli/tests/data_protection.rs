//! Raw submissions at rest: sealed so that the data directory never holds their text, and
//! destroyed after the retention period while the published report stays.

mod common;

use std::fs;

use common::*;

const CANARY: &str = "CANARYxQ7Zk";

fn canary_submission() -> Vec<(&'static str, String)> {
    vec![
        ("event_type", "traffic_stop".to_owned()),
        (
            "what_happened",
            format!("The driver {CANARY} reached under the seat during the stop."),
        ),
        ("lessons_learned", format!("Watch the hands {CANARY}.")),
        ("recommendations", format!("Train for it {CANARY}.")),
    ]
}

fn submit_canary(server: &Server) -> String {
    let pairs = canary_submission();
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let reply = post_form(&server.url("/submit"), &borrowed, None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply
        .body
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn raw_text_never_reaches_the_data_directory() {
    let data = TempDir::new("sealed");
    add_user(data.path(), "analyst1", "analyst");
    let mut server = Server::start(data.path());
    submit_canary(&server);
    let mut api = valid_submission();
    api["what_happened"] = serde_json::json!(format!("Over the API {CANARY} a driver reached for a gun."));
    assert_eq!(post_json(&server.url("/api/v1/submissions"), &api).status, 201);

    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    assert!(queue.body.contains(CANARY), "analysts still read the raw text");
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).unwrap() + marker.len();
    let id = &queue.body[start..start + 20];
    let page = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &cookie)],
    );
    let csrf = csrf_token(&page.body);
    let save = server.url(&format!("/staff/submissions/{id}/save"));
    let edited = format!("Edited {CANARY} narrative about the stop and the seat.");
    let saved = post_form(
        &save,
        &[
            ("csrf", &csrf),
            ("title", "T"),
            ("what_happened", &edited),
            ("event_type", "other"),
        ],
        Some(&cookie),
    );
    assert_eq!(saved.status, 200, "the working copy is saved sealed too");

    assert_absent(data.path(), CANARY.as_bytes(), "the canary");
    server.stop();
    assert_absent(data.path(), CANARY.as_bytes(), "the canary, after shutdown");
    assert!(
        !server.output().contains(CANARY),
        "the canary is in the server output"
    );
}

#[test]
fn purge_destroys_raw_material_and_keeps_the_report() {
    let data = TempDir::new("purge");
    add_user(data.path(), "analyst1", "analyst");
    allow_single_approval(data.path(), None);
    let server = Server::start(data.path());
    let receipt = submit_canary(&server);

    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).unwrap() + marker.len();
    let id = queue.body[start..start + 20].to_owned();
    let page = get(
        &server.url(&format!("/staff/submissions/{id}")),
        &[("Cookie", &cookie)],
    );
    let csrf = csrf_token(&page.body);
    let published = post_form(
        &server.url(&format!("/staff/submissions/{id}/publish")),
        &[
            ("csrf", &csrf),
            ("title", "Hands under the seat"),
            ("what_happened", "The driver reached under the seat."),
            ("event_type", "traffic_stop"),
        ],
        Some(&cookie),
    );
    assert_eq!(published.status, 303, "{}", published.body);
    let report_path = published.header("location").unwrap().to_owned();

    let database = data.path().join("nearmiss.sqlite3");
    let wrapped_key: Vec<u8> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", database.display()))
            .await
            .unwrap();
        sqlx::query_scalar("SELECT wrapped_key FROM submissions WHERE id = $1")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_eq!(wrapped_key.len(), 24 + 32 + 16, "nonce, data key and tag");

    let output = nearmiss(
        &[
            "purge",
            "--data",
            data.path().to_str().unwrap(),
            "--retention-days",
            "0",
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("destroyed the raw material of 1 submissions"));

    assert_absent(data.path(), &wrapped_key, "the destroyed data key");
    let (input, key): (String, Option<Vec<u8>>) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", database.display()))
            .await
            .unwrap();
        sqlx::query_as("SELECT input, wrapped_key FROM submissions WHERE id = $1")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_eq!((input.as_str(), key), ("", None));

    let report = get(&server.url(&report_path), &[]);
    assert_eq!(report.status, 200);
    assert!(
        report.body.contains("Hands under the seat"),
        "the published report still reads"
    );
    let status = post_json(
        &server.url("/api/v1/receipts/status"),
        &serde_json::json!({ "receipt": receipt }),
    );
    assert_eq!(
        status.json()["status"],
        "published",
        "the receipt still tells the outcome"
    );

    let again = nearmiss(
        &[
            "purge",
            "--data",
            data.path().to_str().unwrap(),
            "--retention-days",
            "0",
        ],
        None,
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("of 0 submissions"));
}

#[test]
fn retention_keeps_recent_decisions() {
    let data = TempDir::new("retention");
    let server = Server::start(data.path());
    assert_eq!(
        post_json(&server.url("/api/v1/submissions"), &valid_submission()).status,
        201
    );
    let output = nearmiss(&["purge", "--data", data.path().to_str().unwrap()], None);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("of 0 submissions"),
        "pending material is kept"
    );
}

#[test]
fn rotated_data_key_still_opens_submissions() {
    let data = TempDir::new("rotate");
    add_user(data.path(), "analyst1", "analyst");
    let mut server = Server::start(data.path());
    submit_canary(&server);
    server.stop();
    let old_key = fs::read(data.path().join("keys/data.key")).unwrap();

    let output = nearmiss(
        &["rotate-data-key", "--data", data.path().to_str().unwrap()],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("re-wrapped 1 data keys"));
    let new_key = fs::read(data.path().join("keys/data.key")).unwrap();
    assert_ne!(old_key, new_key);
    assert_eq!(
        fs::read(data.path().join("keys/data.key.previous")).unwrap(),
        old_key
    );

    let server = Server::start(data.path());
    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    assert_eq!(queue.status, 200);
    assert!(
        queue.body.contains(CANARY),
        "the submission opens under the new key"
    );
}

#[test]
fn totp_secret_sealed_at_rest() {
    let data = TempDir::new("totp-sealed");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());
    sign_in(&server, "analyst1");
    let secret = totp_secret(&server, "analyst1");
    assert!(secret.len() >= 10);

    assert_absent(data.path(), &secret, "the raw TOTP secret");
    let stored: Vec<u8> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let database = data.path().join("nearmiss.sqlite3");
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", database.display()))
            .await
            .unwrap();
        sqlx::query_scalar("SELECT secret FROM staff_totp")
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_ne!(stored, secret, "the database holds the secret sealed");
    sign_in(&server, "analyst1");
}
