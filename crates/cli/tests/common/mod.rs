//! Test harness: runs the real `nearmiss` binary on a temporary data directory and talks to it
//! over real HTTP on loopback.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nearmiss_core::totp;

pub const BINARY: &str = env!("CARGO_BIN_EXE_nearmiss");
pub const PASSWORD: &str = "correct horse battery staple";

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let mut bytes = [0u8; 8];
        getrandom(&mut bytes);
        let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = std::env::temp_dir().join(format!("nearmiss-test-{label}-{name}"));
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
        let _ = fs::remove_file(self.0.with_extension("server.log"));
    }
}

fn getrandom(bytes: &mut [u8]) {
    let mut file = fs::File::open("/dev/urandom").unwrap();
    std::io::Read::read_exact(&mut file, bytes).unwrap();
}

/// Runs `nearmiss` with arguments and optional standard input.
pub fn nearmiss(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the nearmiss binary");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub fn add_user(data: &Path, username: &str, role: &str) {
    let data = data.to_str().unwrap();
    let output = nearmiss(
        &[
            "user",
            "add",
            "--data",
            data,
            "--username",
            username,
            "--role",
            role,
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(
        output.status.success(),
        "user add failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `nearmiss serve`, stopped with SIGTERM on drop. Its log goes to a file so that
/// tests can search everything the server printed.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
}

impl Server {
    pub fn start(data: &Path) -> Server {
        Self::start_with(data, &[])
    }

    pub fn start_with(data: &Path, extra: &[&str]) -> Server {
        let port = free_port();
        let log = data.with_extension("server.log");
        let log_file = fs::File::create(&log).unwrap();
        let listen = format!("127.0.0.1:{port}");
        let child = Command::new(BINARY)
            .args(["serve", "--data", data.to_str().unwrap(), "--listen", &listen])
            .args(extra)
            .env("NO_COLOR", "1")
            .env("NEARMISS_LOG", "debug")
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .expect("cannot start nearmiss serve");
        let server = Server {
            child,
            base: format!("http://{listen}"),
            log,
        };
        server.wait_healthy();
        server
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(response) = ureq::get(&self.url("/healthz"))
                .timeout(Duration::from_secs(1))
                .call()
            {
                if response.status() == 200 {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "server did not become healthy; log:\n{}",
            fs::read_to_string(&self.log).unwrap_or_default()
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child.kill().unwrap();
        panic!("server did not stop within 10 s of SIGTERM");
    }

    pub fn output(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.stop();
        }
    }
}

/// A response read in full.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(30))
        .build()
}

fn read(result: Result<ureq::Response, ureq::Error>) -> Reply {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("request failed: {error}"),
    };
    let status = response.status();
    let mut headers = Vec::new();
    for name in response.headers_names() {
        for value in response.all(&name) {
            headers.push((name.clone(), value.to_owned()));
        }
    }
    let body = response.into_string().unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = agent().get(url);
    for (name, value) in headers {
        request = request.set(name, value);
    }
    read(request.call())
}

pub fn post(url: &str, content_type: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
    let mut request = agent().post(url).set("Content-Type", content_type);
    for (name, value) in headers {
        request = request.set(name, value);
    }
    read(request.send_bytes(body))
}

/// URL-encodes form pairs.
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

pub fn post_form(url: &str, pairs: &[(&str, &str)], cookie: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("Cookie", c)).into_iter().collect();
    post(url, "application/x-www-form-urlencoded", &form(pairs), &headers)
}

pub fn post_json(url: &str, body: &serde_json::Value) -> Reply {
    post(url, "application/json", body.to_string().as_bytes(), &[])
}

/// A submission that passes validation.
pub fn valid_submission() -> serde_json::Value {
    serde_json::json!({
        "event_type": "traffic_stop",
        "what_happened": "During a night traffic stop the driver reached under the seat while I stood at the B-pillar.",
        "lessons_learned": "Keep a clear view of the hands before approaching the window.",
        "contributing_factors": ["complacency", "lighting_weather_terrain"],
        "time_of_day": "night",
        "state": "TX",
        "event_month": "2024-03"
    })
}

/// TOTP secrets of the accounts that enrolled through [`sign_in`], with the last time step
/// used, keyed by server address and username.
static TOTP: Mutex<BTreeMap<(String, String), Enrolled>> = Mutex::new(BTreeMap::new());

/// A TOTP secret and the last time step whose code a sign-in used.
type Enrolled = (Vec<u8>, u64);

fn current_step() -> u64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    totp::step_at(now)
}

/// Finds the `name=value` pair of the cookie `name` that a reply sets.
pub fn set_cookie(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, value)| value.split(';').next().unwrap().to_owned())
        .find(|pair| pair.starts_with(&format!("{name}=")))
}

/// Reads the secret shown on a TOTP enrolment page.
pub fn enrolment_secret(page: &str) -> Vec<u8> {
    let marker = "<code id=\"totp-secret\">";
    let start = page.find(marker).expect("enrolment page shows the secret") + marker.len();
    let end = start + page[start..].find('<').unwrap();
    totp::base32_decode(&page[start..end]).expect("the secret is base32")
}

/// Returns the TOTP secret that `username` enrolled on `server` through [`sign_in`].
pub fn totp_secret(server: &Server, username: &str) -> Vec<u8> {
    let enrolled = TOTP.lock().unwrap();
    let key = (server.base.clone(), username.to_owned());
    enrolled
        .get(&key)
        .expect("the account enrolled through sign_in")
        .0
        .clone()
}

/// Computes a code that no earlier sign-in of the account used: the current step, or the next
/// one (accepted as clock drift), waiting for the clock when both are used.
fn fresh_code(server: &Server, username: &str) -> String {
    let mut enrolled = TOTP.lock().unwrap();
    let key = (server.base.clone(), username.to_owned());
    let (secret, last_step) = enrolled.get_mut(&key).unwrap_or_else(|| {
        panic!(
            "{username} has TOTP on {} but did not enrol through sign_in",
            server.base
        )
    });
    let step = current_step().max(*last_step + 1);
    while current_step() + 1 < step {
        std::thread::sleep(Duration::from_millis(200));
    }
    *last_step = step;
    totp::code_at(secret, step)
}

/// Signs in with the password and the TOTP step, enrolling the account first when it has no
/// TOTP yet, and returns the `Cookie` header value for the staff session.
pub fn sign_in(server: &Server, username: &str) -> String {
    let reply = post_form(
        &server.url("/staff/login"),
        &[("username", username), ("password", PASSWORD)],
        None,
    );
    assert_eq!(reply.status, 303, "sign-in failed: {}", reply.body);
    let pending = set_cookie(&reply, "nearmiss_pending").expect("the password step sets a pending cookie");

    let reply = match reply.header("location") {
        Some("/staff/totp/enrol") => {
            let page = get(&server.url("/staff/totp/enrol"), &[("Cookie", &pending)]);
            assert_eq!(page.status, 200, "enrolment page: {}", page.body);
            let secret = enrolment_secret(&page.body);
            let step = current_step();
            let code = totp::code_at(&secret, step);
            let key = (server.base.clone(), username.to_owned());
            TOTP.lock().unwrap().insert(key, (secret, step));
            post_form(
                &server.url("/staff/totp/enrol"),
                &[("code", &code)],
                Some(&pending),
            )
        }
        Some("/staff/login/totp") => {
            let code = fresh_code(server, username);
            post_form(
                &server.url("/staff/login/totp"),
                &[("code", &code)],
                Some(&pending),
            )
        }
        other => panic!("the password step sent the browser to {other:?}"),
    };
    assert_eq!(reply.status, 303, "TOTP step failed: {}", reply.body);
    assert_eq!(reply.header("location"), Some("/staff"));
    set_cookie(&reply, "nearmiss_staff").expect("sign-in sets a session cookie")
}

/// Extracts the value of the hidden CSRF field from a staff page.
pub fn csrf_token(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("page has a CSRF field") + marker.len();
    page[start..start + 64].to_owned()
}

/// Path of the shipped ASRS demo file.
pub fn asrs_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/asrs")
        .join(name)
}

/// A fresh PostgreSQL database on the test server, dropped on drop. The server comes from
/// `NEARMISS_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`); tests fail
/// when it cannot be reached.
pub struct PostgresDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PostgresDatabase {
    pub fn create(label: &str) -> PostgresDatabase {
        let admin_url = std::env::var("NEARMISS_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let mut bytes = [0u8; 6];
        getrandom(&mut bytes);
        let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("nearmiss_{label}_{suffix}");
        Self::admin(&admin_url, &format!("CREATE DATABASE {name}"));

        let (base, _) = admin_url.rsplit_once('/').expect("database URL has a path");
        let url = format!("{base}/{name}");
        PostgresDatabase { admin_url, name, url }
    }

    fn admin(url: &str, statement: &str) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                use sqlx::Connection;
                let mut connection = sqlx::PgConnection::connect(url).await.unwrap_or_else(|error| {
                    panic!("cannot reach PostgreSQL ({error}); start one with scripts/ensure-postgres.sh")
                });
                sqlx::query(statement).execute(&mut connection).await.unwrap();
            });
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        Self::admin(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Extracts the first report id from a `/api/v1/reports` listing.
pub fn first_report_id(server: &Server) -> String {
    let listing = get(&server.url("/api/v1/reports"), &[]).json();
    listing["reports"][0]["id"]
        .as_str()
        .expect("a report is listed")
        .to_owned()
}

/// Lets a single analyst publish, for tests that are not about the two-person rule.
pub fn allow_single_approval(data: &Path, database_url: Option<&str>) {
    let mut args = vec![
        "settings",
        "--data",
        data.to_str().unwrap(),
        "--publish-approvals",
        "1",
    ];
    if let Some(url) = database_url {
        args.extend(["--database-url", url]);
    }
    let output = nearmiss(&args, None);
    assert!(
        output.status.success(),
        "settings failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Lets [`sign_in`] on `to` use the TOTP secret that `username` enrolled on the server at
/// `from_base`, for accounts moved between instances with their secret.
pub fn carry_totp(from_base: &str, to: &Server, username: &str) {
    let mut enrolled = TOTP.lock().unwrap();
    let entry = enrolled
        .get(&(from_base.to_owned(), username.to_owned()))
        .cloned()
        .expect("the account enrolled through sign_in");
    enrolled.insert((to.base.clone(), username.to_owned()), entry);
}

/// Every file under `directory`, recursively, with its path and bytes.
pub fn files_under(directory: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push((path.display().to_string(), fs::read(&path).unwrap()));
        }
    }
    files
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// Fails when any file under `directory` contains `needle`.
pub fn assert_absent(directory: &Path, needle: &[u8], what: &str) {
    for (name, bytes) in files_under(directory) {
        assert!(!contains(&bytes, needle), "{what} found in {name}");
    }
}
