//! Staff account security through real HTTP against the running binary: TOTP enrolment and
//! sign-in, per-account throttling, the role matrix of every staff route, and the hash-chained
//! audit log with `nearmiss audit verify`.

mod common;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use common::*;
use nearmiss_core::totp;

fn now_step() -> u64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    totp::step_at(now)
}

fn password_step(server: &Server, username: &str, password: &str) -> Reply {
    post_form(
        &server.url("/staff/login"),
        &[("username", username), ("password", password)],
        None,
    )
}

fn submit_one(server: &Server) -> String {
    let created = post_json(&server.url("/api/v1/submissions"), &valid_submission());
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()["receipt"].as_str().unwrap().to_owned()
}

fn first_submission_id(server: &Server, cookie: &str) -> String {
    let queue = get(&server.url("/staff"), &[("Cookie", cookie)]);
    let marker = "/staff/submissions/";
    let start = queue.body.find(marker).expect("queue lists a submission") + marker.len();
    queue.body[start..start + 20].to_owned()
}

fn audit_verify(data: &Path) -> std::process::Output {
    nearmiss(&["audit", "verify", "--data", data.to_str().unwrap()], None)
}

/// Runs one statement on the SQLite file of a stopped server, past the application.
fn tamper(data: &Path, statement: &str) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            use sqlx::Connection;
            let path = data.join("nearmiss.sqlite3");
            let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            let changed = sqlx::query(statement).execute(&mut connection).await.unwrap();
            assert_eq!(changed.rows_affected(), 1, "{statement}");
        });
}

#[test]
fn totp_enrolment_then_second_step() {
    let data = TempDir::new("totp");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());

    let password = password_step(&server, "analyst1", PASSWORD);
    assert_eq!(password.status, 303);
    assert_eq!(password.header("location"), Some("/staff/totp/enrol"));
    let attributes = password.header("set-cookie").unwrap();
    for attribute in ["Path=/staff", "HttpOnly", "SameSite=Strict"] {
        assert!(attributes.contains(attribute), "{attributes}");
    }
    assert!(
        set_cookie(&password, "nearmiss_staff").is_none(),
        "no session before TOTP"
    );
    let pending = set_cookie(&password, "nearmiss_pending").unwrap();

    let queue = get(&server.url("/staff"), &[("Cookie", &pending)]);
    assert_eq!(queue.status, 303, "a pending sign-in opens no staff page");
    assert_eq!(queue.header("location"), Some("/staff/login"));
    assert_eq!(
        get(&server.url("/staff/login/totp"), &[("Cookie", &pending)]).header("location"),
        Some("/staff/totp/enrol"),
        "an account without TOTP is sent to enrolment"
    );

    let page = get(&server.url("/staff/totp/enrol"), &[("Cookie", &pending)]);
    assert_eq!(page.status, 200);
    let secret = enrolment_secret(&page.body);
    assert_eq!(secret.len(), totp::SECRET_BYTES);
    assert!(
        page.body.contains("otpauth://totp/nearmiss:analyst1?secret="),
        "{}",
        page.body
    );

    let enrol_url = server.url("/staff/totp/enrol");
    let wrong = post_form(&enrol_url, &[("code", "000000x")], Some(&pending));
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("wrong code"), "{}", wrong.body);
    let step = now_step();
    let code = totp::code_at(&secret, step);
    let enrolled = post_form(&enrol_url, &[("code", &code)], Some(&pending));
    assert_eq!(enrolled.status, 303, "{}", enrolled.body);
    assert_eq!(enrolled.header("location"), Some("/staff"));
    let session = set_cookie(&enrolled, "nearmiss_staff").unwrap();
    assert_eq!(get(&server.url("/staff"), &[("Cookie", &session)]).status, 200);
    let replay = post_form(&enrol_url, &[("code", &code)], Some(&pending));
    assert_eq!(replay.status, 303, "a used pending sign-in is gone");
    assert_eq!(replay.header("location"), Some("/staff/login"));

    let again = password_step(&server, "analyst1", PASSWORD);
    assert_eq!(again.header("location"), Some("/staff/login/totp"));
    let pending = set_cookie(&again, "nearmiss_pending").unwrap();
    let totp_url = server.url("/staff/login/totp");
    let reused = post_form(&totp_url, &[("code", &code)], Some(&pending));
    assert_eq!(reused.status, 401, "a code works once");
    let fresh = totp::code_at(&secret, step + 1);
    let second = post_form(&totp_url, &[("code", &fresh)], Some(&pending));
    assert_eq!(second.status, 303, "{}", second.body);
    let second_session = set_cookie(&second, "nearmiss_staff").unwrap();
    assert_ne!(second_session, session, "each sign-in gets a new session id");
    assert_eq!(
        get(&server.url("/staff"), &[("Cookie", &second_session)]).status,
        200
    );
}

#[test]
fn sign_in_locks_after_five_failures() {
    let data = TempDir::new("throttle");
    add_user(data.path(), "analyst1", "analyst");
    let mut server = Server::start(data.path());

    for attempt in 1..=4 {
        let reply = password_step(&server, "analyst1", "wrong password!");
        assert_eq!(reply.status, 401, "attempt {attempt}");
    }
    let fifth = password_step(&server, "analyst1", "wrong password!");
    assert_eq!(fifth.status, 429);

    let right = password_step(&server, "analyst1", PASSWORD);
    assert_eq!(right.status, 429, "the right password is refused while locked");
    assert!(right.body.contains("locked"), "{}", right.body);
    assert!(right.body.contains("try again in 15 minutes"), "{}", right.body);
    assert!(right.header("set-cookie").is_none());

    server.stop();
    let server = Server::start(data.path());
    assert_eq!(
        password_step(&server, "analyst1", PASSWORD).status,
        429,
        "the lock is in the database, not in one process"
    );
}

#[test]
fn wrong_totp_codes_count_toward_lock() {
    let data = TempDir::new("totp-throttle");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());
    sign_in(&server, "analyst1");
    let secret = totp_secret(&server, "analyst1");
    let wrong = totp::code_at(&secret, now_step() + 5);

    let password = password_step(&server, "analyst1", PASSWORD);
    let pending = set_cookie(&password, "nearmiss_pending").unwrap();
    let url = server.url("/staff/login/totp");
    for attempt in 1..=4 {
        let reply = post_form(&url, &[("code", &wrong)], Some(&pending));
        assert_eq!(reply.status, 401, "attempt {attempt}");
    }
    let fifth = post_form(&url, &[("code", &wrong)], Some(&pending));
    assert_eq!(fifth.status, 429, "{}", fifth.body);

    let right = totp::code_at(&secret, now_step() + 1);
    let refused = post_form(&url, &[("code", &right)], Some(&pending));
    assert_eq!(refused.status, 429, "a right code is refused while locked");
    assert_eq!(password_step(&server, "analyst1", PASSWORD).status, 429);
}

#[test]
fn reset_totp_sends_account_to_enrolment() {
    let data = TempDir::new("reset");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());
    let cookie = sign_in(&server, "analyst1");

    let output = nearmiss(
        &[
            "user",
            "reset-totp",
            "--data",
            data.path().to_str().unwrap(),
            "--username",
            "analyst1",
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("reset TOTP of analyst1"));

    assert_eq!(
        get(&server.url("/staff"), &[("Cookie", &cookie)]).status,
        303,
        "the reset ends the account's sessions"
    );
    let password = password_step(&server, "analyst1", PASSWORD);
    assert_eq!(password.header("location"), Some("/staff/totp/enrol"));
    sign_in(&server, "analyst1");

    let missing = nearmiss(
        &[
            "user",
            "reset-totp",
            "--data",
            data.path().to_str().unwrap(),
            "--username",
            "nobody",
        ],
        None,
    );
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nobody"));
}

#[test]
fn staff_route_matrix() {
    let data = TempDir::new("matrix");
    add_user(data.path(), "admin1", "admin");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());
    submit_one(&server);
    let admin = sign_in(&server, "admin1");
    let analyst = sign_in(&server, "analyst1");
    let id = first_submission_id(&server, &admin);
    let submission = format!("/staff/submissions/{id}");

    let staff_pages = ["/staff", submission.as_str()];
    let admin_pages = [
        "/staff/admin/users",
        "/staff/admin/settings",
        "/staff/admin/audit",
    ];
    let publish = format!("{submission}/publish");
    let reject = format!("{submission}/reject");
    let save = format!("{submission}/save");
    let staff_posts = [publish.as_str(), reject.as_str(), save.as_str(), "/staff/logout"];
    let admin_posts = [
        "/staff/admin/users",
        "/staff/admin/users/analyst1/reset-totp",
        "/staff/admin/settings",
    ];

    for path in staff_pages
        .iter()
        .chain(&admin_pages)
        .chain(&["/staff/login/totp", "/staff/totp/enrol"])
    {
        let reply = get(&server.url(path), &[]);
        assert_eq!(reply.status, 303, "anonymous GET {path}");
        assert_eq!(
            reply.header("location"),
            Some("/staff/login"),
            "anonymous GET {path}"
        );
    }
    for path in staff_posts.iter().chain(&admin_posts) {
        let reply = post_form(&server.url(path), &[("csrf", &"0".repeat(64))], None);
        assert_eq!(reply.status, 303, "anonymous POST {path}");
        assert_eq!(
            reply.header("location"),
            Some("/staff/login"),
            "anonymous POST {path}"
        );
    }
    assert_eq!(get(&server.url("/staff/login"), &[]).status, 200);

    for path in staff_pages {
        assert_eq!(
            get(&server.url(path), &[("Cookie", &analyst)]).status,
            200,
            "analyst GET {path}"
        );
    }
    let analyst_csrf = csrf_token(&get(&server.url("/staff"), &[("Cookie", &analyst)]).body);
    for path in admin_pages {
        assert_eq!(
            get(&server.url(path), &[("Cookie", &analyst)]).status,
            403,
            "analyst GET {path}"
        );
    }
    for path in admin_posts {
        let reply = post_form(
            &server.url(path),
            &[
                ("csrf", &analyst_csrf),
                ("username", "intruder"),
                ("role", "admin"),
                ("password", PASSWORD),
                ("publish_approvals", "1"),
            ],
            Some(&analyst),
        );
        assert_eq!(reply.status, 403, "analyst POST {path}");
    }

    for path in staff_pages.iter().chain(&admin_pages) {
        assert_eq!(
            get(&server.url(path), &[("Cookie", &admin)]).status,
            200,
            "admin GET {path}"
        );
    }
    for path in staff_posts.iter().chain(&admin_posts) {
        let reply = post_form(
            &server.url(path),
            &[("username", "forged"), ("role", "admin"), ("password", PASSWORD)],
            Some(&admin),
        );
        assert_eq!(reply.status, 403, "admin POST {path} without the form token");
    }
    for path in staff_posts.iter().chain(&admin_posts) {
        let reply = get(&server.url(path), &[("Cookie", &admin)]);
        assert!(
            reply.status == 405 || (reply.status == 200 && admin_pages.contains(path)),
            "GET {path} answered {}",
            reply.status
        );
    }

    let users = get(&server.url("/staff/admin/users"), &[("Cookie", &admin)]);
    assert!(!users.body.contains("intruder"), "an analyst added an account");
    assert!(
        !users.body.contains("forged"),
        "a form without the token added an account"
    );
    assert!(
        get(&server.url("/staff/admin/settings"), &[("Cookie", &admin)])
            .body
            .contains("value=\"2\""),
        "the setting kept its default"
    );
    assert_eq!(
        get(&server.url("/staff"), &[("Cookie", &analyst)]).status,
        200,
        "analyst kept the session"
    );

    let admin_csrf = csrf_token(&users.body);
    let added = post_form(
        &server.url("/staff/admin/users"),
        &[
            ("csrf", &admin_csrf),
            ("username", "analyst2"),
            ("role", "analyst"),
            ("password", PASSWORD),
        ],
        Some(&admin),
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let reset = post_form(
        &server.url("/staff/admin/users/analyst1/reset-totp"),
        &[("csrf", &admin_csrf)],
        Some(&admin),
    );
    assert_eq!(reset.status, 303, "{}", reset.body);
    assert_eq!(get(&server.url("/staff"), &[("Cookie", &analyst)]).status, 303);
    let saved = post_form(
        &server.url("/staff/admin/settings"),
        &[("csrf", &admin_csrf), ("publish_approvals", "3")],
        Some(&admin),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let users = get(&server.url("/staff/admin/users"), &[("Cookie", &admin)]);
    assert!(users.body.contains("analyst2"));
}

#[test]
fn publish_approvals_setting_validates() {
    let data = TempDir::new("settings");
    add_user(data.path(), "admin1", "admin");
    let server = Server::start(data.path());
    let admin = sign_in(&server, "admin1");
    let url = server.url("/staff/admin/settings");
    let page = get(&url, &[("Cookie", &admin)]);
    assert!(page.body.contains("value=\"2\""), "default is 2: {}", page.body);
    let csrf = csrf_token(&page.body);

    for bad in ["0", "6", "two", ""] {
        let reply = post_form(&url, &[("csrf", &csrf), ("publish_approvals", bad)], Some(&admin));
        assert_eq!(reply.status, 422, "value {bad:?}");
        assert!(reply.body.contains("from 1 to 5"), "{}", reply.body);
    }
    let saved = post_form(&url, &[("csrf", &csrf), ("publish_approvals", "1")], Some(&admin));
    assert_eq!(saved.status, 303);
    assert!(get(&url, &[("Cookie", &admin)]).body.contains("value=\"1\""));
}

/// Signs in an analyst and an admin, opens a submission, changes a setting, adds an account
/// and resets TOTP; returns the receipt of the submission.
fn record_staff_actions(server: &Server) -> String {
    let receipt = submit_one(server);
    let analyst = sign_in(server, "analyst1");
    let id = first_submission_id(server, &analyst);
    assert_eq!(
        get(
            &server.url(&format!("/staff/submissions/{id}")),
            &[("Cookie", &analyst)]
        )
        .status,
        200
    );

    let admin = sign_in(server, "admin1");
    let csrf = csrf_token(&get(&server.url("/staff"), &[("Cookie", &admin)]).body);
    let forms = [
        ("/staff/admin/settings", vec![("publish_approvals", "3")]),
        (
            "/staff/admin/users",
            vec![
                ("username", "analyst2"),
                ("role", "analyst"),
                ("password", PASSWORD),
            ],
        ),
        ("/staff/admin/users/analyst1/reset-totp", vec![]),
    ];
    for (path, fields) in forms {
        let mut pairs = vec![("csrf", csrf.as_str())];
        pairs.extend(fields);
        assert_eq!(
            post_form(&server.url(path), &pairs, Some(&admin)).status,
            303,
            "{path}"
        );
    }
    let logout = post_form(&server.url("/staff/logout"), &[("csrf", &csrf)], Some(&admin));
    assert_eq!(logout.status, 303);
    receipt
}

#[test]
fn audit_log_records_staff_actions() {
    let data = TempDir::new("audit");
    add_user(data.path(), "admin1", "admin");
    add_user(data.path(), "analyst1", "analyst");
    let server = Server::start(data.path());
    let receipt = record_staff_actions(&server);
    let admin = sign_in(&server, "admin1");

    let page = get(&server.url("/staff/admin/audit"), &[("Cookie", &admin)]);
    assert_eq!(page.status, 200);
    for action in [
        "user_created",
        "totp_enrolled",
        "signed_in",
        "viewed_submission",
        "setting_changed",
        "totp_reset",
        "signed_out",
    ] {
        assert!(page.body.contains(action), "the log lacks {action}");
    }
    assert!(
        page.body.contains("operator"),
        "accounts made at the command line"
    );
    assert!(page.body.contains("admin1"));
    assert!(page.body.contains("analyst1"));
    let newest = page.body.find("signed_in").unwrap();
    assert!(
        newest < page.body.find("user_created").unwrap(),
        "newest entries come first"
    );
    assert!(!page.body.contains(&receipt), "no receipt in the audit log");
    assert!(
        !page.body.contains("reached under the seat"),
        "no narrative in the audit log"
    );
    assert_eq!(
        get(&server.url("/staff/admin/audit?page=9"), &[("Cookie", &admin)]).status,
        404
    );
    assert_eq!(
        get(&server.url("/staff/admin/audit?page=x"), &[("Cookie", &admin)]).status,
        400
    );

    let verified = audit_verify(data.path());
    let stdout = String::from_utf8_lossy(&verified.stdout);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(stdout.contains("audit log intact: 12 entries"), "{stdout}");
}

#[test]
fn audit_verify_detects_changed_byte() {
    let data = TempDir::new("audit-tamper");
    add_user(data.path(), "admin1", "admin");
    add_user(data.path(), "analyst1", "analyst");
    let mut server = Server::start(data.path());
    record_staff_actions(&server);
    server.stop();
    assert!(audit_verify(data.path()).status.success());

    // Entry 5 records that the analyst opened the submission; its details are "{}". One byte
    // changes.
    tamper(data.path(), "UPDATE audit_log SET details = '{ }' WHERE seq = 5");

    let verified = audit_verify(data.path());
    let stderr = String::from_utf8_lossy(&verified.stderr);
    assert_eq!(verified.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("broken at entry 5"), "{stderr}");
}

#[test]
fn audit_verify_detects_deleted_entry() {
    let data = TempDir::new("audit-delete");
    add_user(data.path(), "admin1", "admin");
    add_user(data.path(), "analyst1", "analyst");
    let mut server = Server::start(data.path());
    record_staff_actions(&server);
    server.stop();

    tamper(data.path(), "DELETE FROM audit_log WHERE seq = 6");

    let verified = audit_verify(data.path());
    let stderr = String::from_utf8_lossy(&verified.stderr);
    assert_eq!(verified.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("broken at entry 7"), "{stderr}");
    assert!(stderr.contains("expected entry 6"), "{stderr}");
}
