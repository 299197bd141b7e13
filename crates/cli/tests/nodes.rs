//! Running past one machine: several nodes on one PostgreSQL database, moving an instance
//! between SQLite and PostgreSQL with export and import, and online SQLite backups.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// Copies the key files of one data directory to another, as operators do for every node.
fn copy_keys(from: &Path, to: &Path) {
    fs::create_dir_all(to.join("keys")).unwrap();
    for name in ["receipt.key", "data.key"] {
        fs::copy(from.join("keys").join(name), to.join("keys").join(name)).unwrap();
    }
}

fn data_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn add_user_to(data: &Path, database_url: &str, username: &str) {
    let output = nearmiss(
        &[
            "user",
            "add",
            "--data",
            data_arg(data),
            "--database-url",
            database_url,
            "--username",
            username,
            "--role",
            "analyst",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn publish_first_in_queue(server: &Server, cookie: &str, title: &str) -> String {
    let queue = get(&server.url("/staff"), &[("Cookie", cookie)]);
    assert_eq!(queue.status, 200, "{}", queue.body);
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).expect("queue lists a submission") + marker.len();
    let id = queue.body[start..start + 20].to_owned();
    let csrf = csrf_token(&queue.body);

    let reply = post_form(
        &server.url(&format!("/staff/submissions/{id}/publish")),
        &[
            ("csrf", &csrf),
            ("title", title),
            (
                "what_happened",
                "A driver reached under the seat during a night traffic stop.",
            ),
            ("event_type", "traffic_stop"),
        ],
        Some(cookie),
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    reply
        .header("location")
        .unwrap()
        .trim_start_matches("/reports/")
        .to_owned()
}

fn wait_for_report(server: &Server, id: &str, within: Duration) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if get(&server.url(&format!("/api/v1/reports/{id}")), &[]).status == 200 {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("report {id} not readable on {} within {within:?}", server.base);
}

#[test]
fn two_nodes_share_one_postgres_database() {
    let database = PostgresDatabase::create("nodes");
    let node_a = TempDir::new("node-a");
    let node_b = TempDir::new("node-b");
    add_user_to(node_a.path(), &database.url, "analyst1");
    allow_single_approval(node_a.path(), Some(&database.url));
    copy_keys(node_a.path(), node_b.path());

    let a = Server::start_with(node_a.path(), &["--database-url", &database.url]);
    let b = Server::start_with(node_b.path(), &["--database-url", &database.url]);

    let created = post_json(&a.url("/api/v1/submissions"), &valid_submission());
    assert_eq!(created.status, 201);
    let receipt = created.json()["receipt"].as_str().unwrap().to_owned();

    let cookie = sign_in(&a, "analyst1");
    let report_id = publish_first_in_queue(&b, &cookie, "Hands under the seat");

    wait_for_report(&a, &report_id, Duration::from_secs(5));
    wait_for_report(&b, &report_id, Duration::from_secs(5));
    for node in [&a, &b] {
        let listing = get(&node.url("/api/v1/reports"), &[]).json();
        assert_eq!(listing["total"], 1, "{}", node.base);
        assert_eq!(listing["reports"][0]["title"], "Hands under the seat");
    }

    let status = post_json(
        &a.url("/api/v1/receipts/status"),
        &serde_json::json!({ "receipt": receipt }),
    );
    assert_eq!(
        status.json()["status"],
        "published",
        "a receipt minted on B checks out on A"
    );
}

fn export(args: &[&str]) -> String {
    let output = nearmiss(&[&["export"], args].concat(), None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Export lines without the store-assigned change numbers, which differ between stores.
fn comparable(export: &str) -> BTreeSet<String> {
    export
        .lines()
        .map(|line| {
            let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(data) = value.get_mut("data").and_then(|data| data.as_object_mut()) {
                data.remove("change_number");
                // Sealed submissions differ in every export (fresh nonces); their ids compare.
                data.remove("sealed");
                data.remove("totp");
            }
            value.to_string()
        })
        .collect()
}

#[test]
fn export_moves_everything_between_backends_and_back() {
    let sqlite_a = TempDir::new("export-a");
    add_user(sqlite_a.path(), "analyst1", "analyst");
    allow_single_approval(sqlite_a.path(), None);
    let server = Server::start(sqlite_a.path());
    let mut receipts = Vec::new();
    for _ in 0..3 {
        let created = post_json(&server.url("/api/v1/submissions"), &valid_submission());
        receipts.push(created.json()["receipt"].as_str().unwrap().to_owned());
    }
    let cookie = sign_in(&server, "analyst1");
    publish_first_in_queue(&server, &cookie, "Published before the move");
    let base_a = server.base.clone();
    drop(server);
    let asrs = asrs_file("asrs_nmac_airborne_conflict_1988-2017.csv");
    let imported = nearmiss(
        &[
            "import",
            "--data",
            data_arg(sqlite_a.path()),
            "--format",
            "asrs",
            asrs.to_str().unwrap(),
        ],
        None,
    );
    assert!(imported.status.success());

    let first = export(&["--data", data_arg(sqlite_a.path())]);
    let kinds: Vec<String> = first
        .lines()
        .skip(1)
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let count = |kind: &str| kinds.iter().filter(|found| found.as_str() == kind).count();
    assert_eq!(count("staff_user"), 1);
    assert_eq!(count("setting"), 1);
    assert_eq!(count("submission"), 3);
    assert_eq!(count("report"), 927);
    assert!(
        count("audit") >= 5,
        "sign-in, review and publication are in the audit log"
    );
    let records = kinds.len();
    let dump = sqlite_a.path().with_extension("dump.jsonl");
    fs::write(&dump, &first).unwrap();

    let database = PostgresDatabase::create("export");
    let postgres_dir = TempDir::new("export-pg");
    copy_keys(sqlite_a.path(), postgres_dir.path());
    let pg_args = [
        "--data",
        data_arg(postgres_dir.path()),
        "--database-url",
        database.url.as_str(),
    ];
    let into_postgres = nearmiss(
        &[
            &["import", "--format", "nearmiss"],
            &pg_args[..],
            &[dump.to_str().unwrap()],
        ]
        .concat(),
        None,
    );
    let stdout = String::from_utf8_lossy(&into_postgres.stdout);
    assert!(
        stdout.contains(&format!("read {records}, imported {records}, skipped 0")),
        "{stdout}"
    );
    let again = nearmiss(
        &[
            &["import", "--format", "nearmiss"],
            &pg_args[..],
            &[dump.to_str().unwrap()],
        ]
        .concat(),
        None,
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains(&format!("imported 0, skipped {records}")));

    let from_postgres = export(&pg_args);
    assert_eq!(
        comparable(&first),
        comparable(&from_postgres),
        "PostgreSQL holds what SQLite held"
    );

    let server = Server::start_with(postgres_dir.path(), &["--database-url", &database.url]);
    carry_totp(&base_a, &server, "analyst1");
    let cookie = sign_in(&server, "analyst1");
    let queue = get(&server.url("/staff"), &[("Cookie", &cookie)]);
    assert!(
        queue.body.contains("During a night traffic stop"),
        "sealed submissions open after the move"
    );
    let status = post_json(
        &server.url("/api/v1/receipts/status"),
        &serde_json::json!({ "receipt": receipts[1] }),
    );
    assert_eq!(
        status.status, 200,
        "receipts still check out after the move: {}",
        status.body
    );
    assert_eq!(get(&server.url("/api/v1/reports"), &[]).json()["total"], 927);
    drop(server);

    let sqlite_c = TempDir::new("export-c");
    copy_keys(sqlite_a.path(), sqlite_c.path());
    let back_dump = sqlite_c.path().with_extension("dump.jsonl");
    fs::write(&back_dump, &from_postgres).unwrap();
    let back = nearmiss(
        &[
            "import",
            "--data",
            data_arg(sqlite_c.path()),
            "--format",
            "nearmiss",
            back_dump.to_str().unwrap(),
        ],
        None,
    );
    assert!(back.status.success());
    let verify = nearmiss(&["audit", "verify", "--data", data_arg(sqlite_c.path())], None);
    assert!(
        verify.status.success(),
        "the audit chain survives both moves: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let round_trip = export(&["--data", data_arg(sqlite_c.path())]);
    assert_eq!(
        comparable(&first),
        comparable(&round_trip),
        "SQLite again holds the same"
    );
    let _ = fs::remove_file(dump);
    let _ = fs::remove_file(back_dump);
}

#[test]
fn import_rejects_a_file_that_is_not_an_export() {
    let data = TempDir::new("not-export");
    let file = data.path().join("other.jsonl");
    fs::write(&file, "{\"hello\": 1}\n").unwrap();
    let output = nearmiss(
        &[
            "import",
            "--data",
            data_arg(data.path()),
            "--format",
            "nearmiss",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a nearmiss export"));
}

#[test]
fn backup_copies_the_live_database() {
    let data = TempDir::new("backup");
    let file = asrs_file("asrs_nmac_airborne_conflict_1988-2017.csv");
    assert!(nearmiss(
        &[
            "import",
            "--data",
            data_arg(data.path()),
            "--format",
            "asrs",
            file.to_str().unwrap()
        ],
        None
    )
    .status
    .success());
    let server = Server::start(data.path());
    assert_eq!(
        post_json(&server.url("/api/v1/submissions"), &valid_submission()).status,
        201
    );

    let restored = TempDir::new("restored");
    let target = restored.path().join("nearmiss.sqlite3");
    let output = nearmiss(
        &[
            "backup",
            "--data",
            data_arg(data.path()),
            "--out",
            target.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let twice = nearmiss(
        &[
            "backup",
            "--data",
            data_arg(data.path()),
            "--out",
            target.to_str().unwrap(),
        ],
        None,
    );
    assert!(!twice.status.success(), "an existing backup is never overwritten");
    drop(server);

    copy_keys(data.path(), restored.path());
    let server = Server::start(restored.path());
    assert_eq!(get(&server.url("/api/v1/reports"), &[]).json()["total"], 926);
    let exported = export(&["--data", data_arg(restored.path())]);
    assert_eq!(
        exported
            .lines()
            .filter(|line| line.contains("\"kind\":\"submission\""))
            .count(),
        1
    );
}
