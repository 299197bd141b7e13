//! Browser test of the anonymous submit flow: Debian's headless Chromium, with JavaScript
//! switched off, driven through ChromeDriver's W3C WebDriver endpoint against the real binary.
//!
//! Run `eval "$(bash scripts/ensure-chromium.sh)"` first. It installs Chromium and ChromeDriver
//! and sets NEARMISS_CHROMIUM and NEARMISS_CHROMEDRIVER.

mod common;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

/// Key under which a W3C WebDriver response carries an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Switches for headless Chromium run as root. Without the networking ones it tries to reach
/// Google's hosts at start and in the background, and the last one turns JavaScript off. A fresh
/// `--user-data-dir` is added per session.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--blink-settings=scriptEnabled=false",
];

/// Returns the path in `variable`, or `default`, and fails the test when no file is there.
fn installed_program(variable: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "{variable}: not found at {}; run `eval \"$(bash scripts/ensure-chromium.sh)\"` to install \
         Debian's chromium and chromium-driver and set {variable}",
        path.display()
    );
    path
}

fn free_loopback_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Sends one WebDriver command and returns the `value` member of the response, or on an error
/// status the HTTP status and the W3C error object as text.
fn webdriver(method: &str, url: &str, body: Option<&Value>) -> Result<Value, String> {
    let request = ureq::request(method, url).timeout(Duration::from_secs(60));
    let result = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    let (status, response) = match result {
        Ok(response) => (response.status(), response),
        Err(ureq::Error::Status(status, response)) => (status, response),
        Err(error) => panic!("{method} {url} failed: {error}"),
    };
    let mut reply: Value = response
        .into_json()
        .unwrap_or_else(|error| panic!("{method} {url}: response is not JSON: {error}"));
    let value = reply["value"].take();
    if status >= 300 {
        return Err(format!("HTTP {status}: {value}"));
    }
    Ok(value)
}

/// A running ChromeDriver on a loopback port, killed on drop.
struct ChromeDriver {
    child: Child,
    base: String,
    log: PathBuf,
}

impl ChromeDriver {
    /// Starts ChromeDriver and waits until `/status` reports it ready. ChromeDriver accepts
    /// connections only from loopback unless `--allowed-ips` widens that, and it is not given.
    fn start(program: &Path, log: PathBuf) -> ChromeDriver {
        let port = free_loopback_port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
        let driver = ChromeDriver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };

        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let ready = ureq::get(&format!("{}/status", driver.base))
                .timeout(Duration::from_secs(1))
                .call()
                .ok()
                .and_then(|response| response.into_json::<Value>().ok())
                .is_some_and(|status| status["value"]["ready"] == true);
            if ready {
                return driver;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out after 20 s waiting for ChromeDriver to report ready; log:\n{}",
            driver.output()
        );
    }

    fn output(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver session in headless Chromium, ended on drop so that Chromium exits before
/// ChromeDriver is killed.
struct Browser<'a> {
    driver: &'a ChromeDriver,
    session: String,
}

impl<'a> Browser<'a> {
    /// Opens a session with JavaScript blocked by both the content setting and Blink's
    /// `scriptEnabled` switch, and with the page's network events and console recorded.
    fn open(driver: &'a ChromeDriver, chromium: &Path, profile: &Path) -> Browser<'a> {
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|arg| (*arg).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": {"pageLoad": 30_000, "script": 5_000, "implicit": 0},
                    "goog:chromeOptions": {
                        "binary": chromium.to_str().unwrap(),
                        "args": args,
                        "prefs": {"profile.managed_default_content_settings.javascript": 2},
                    },
                    "goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"},
                }
            }
        });

        let created = webdriver("POST", &format!("{}/session", driver.base), Some(&capabilities))
            .unwrap_or_else(|error| {
                panic!(
                    "cannot create a WebDriver session: {error}\nChromeDriver log:\n{}",
                    driver.output()
                )
            });
        let session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("new session response has no sessionId: {created}"))
            .to_owned();
        Browser { driver, session }
    }

    fn try_command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let url = format!("{}/session/{}{path}", self.driver.base, self.session);
        webdriver(method, &url, body)
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.try_command(method, path, body)
            .unwrap_or_else(|error| panic!("{method} {path} failed: {error}"))
    }

    fn navigate(&self, url: &str) {
        self.command("POST", "/url", Some(&json!({ "url": url })));
    }

    fn current_url(&self) -> String {
        self.command("GET", "/url", None).as_str().unwrap().to_owned()
    }

    fn title(&self) -> String {
        self.command("GET", "/title", None).as_str().unwrap().to_owned()
    }

    /// Returns the reference of the first element that matches `css`.
    fn find(&self, css: &str) -> String {
        let body = json!({"using": "css selector", "value": css});
        let found = self
            .try_command("POST", "/element", Some(&body))
            .unwrap_or_else(|error| panic!("no element matches {css:?} on {}: {error}", self.current_url()));
        found[ELEMENT_KEY].as_str().unwrap().to_owned()
    }

    fn count(&self, css: &str) -> usize {
        let body = json!({"using": "css selector", "value": css});
        self.command("POST", "/elements", Some(&body))
            .as_array()
            .unwrap()
            .len()
    }

    /// Waits up to 10 s for an element that matches `css`. ChromeDriver 156 was seen returning
    /// from a click on a submit button before the next page had loaded.
    fn wait_for(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.count(css) > 0 {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out after 10 s waiting for an element that matches {css:?} on {}; page source:\n{}",
            self.current_url(),
            self.command("GET", "/source", None)
        );
    }

    fn click(&self, css: &str) {
        let element = self.find(css);
        self.command("POST", &format!("/element/{element}/click"), Some(&json!({})));
    }

    fn type_text(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.command(
            "POST",
            &format!("/element/{element}/value"),
            Some(&json!({ "text": text })),
        );
    }

    fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.command("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn property(&self, css: &str, name: &str) -> Value {
        let element = self.find(css);
        self.command("GET", &format!("/element/{element}/property/{name}"), None)
    }

    fn is_selected(&self, css: &str) -> bool {
        let element = self.find(css);
        self.command("GET", &format!("/element/{element}/selected"), None)
            .as_bool()
            .unwrap()
    }

    fn cookies(&self) -> Vec<Value> {
        self.command("GET", "/cookie", None).as_array().unwrap().clone()
    }

    /// Returns the log entries of `kind` recorded since the previous read, because ChromeDriver
    /// clears what it returns.
    fn log(&self, kind: &str) -> Vec<Value> {
        self.command("POST", "/se/log", Some(&json!({ "type": kind })))
            .as_array()
            .unwrap()
            .clone()
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = self.try_command("DELETE", "", None);
    }
}

/// One `Network.requestWillBeSent` event from the performance log.
#[derive(Debug)]
struct SentRequest {
    method: String,
    url: String,
}

fn sent_requests(performance_log: &[Value]) -> Vec<SentRequest> {
    let mut requests = Vec::new();
    for entry in performance_log {
        let message: Value = serde_json::from_str(entry["message"].as_str().unwrap())
            .unwrap_or_else(|error| panic!("performance log entry is not JSON ({error}): {entry}"));
        let event = &message["message"];
        if event["method"] != "Network.requestWillBeSent" {
            continue;
        }
        let request = &event["params"]["request"];
        requests.push(SentRequest {
            method: request["method"].as_str().unwrap_or_default().to_owned(),
            url: request["url"].as_str().unwrap_or_default().to_owned(),
        });
    }
    requests
}

/// Checks that every request the page sent went to `origin`, except for URLs that Chromium serves
/// itself without any network. Before the first request to `origin` these are the chrome: new tab
/// page that a fresh tab starts on. Throughout they are data: URLs, such as the calendar icon of
/// `<input type="month">`.
fn assert_requests_stay_on_origin(requests: &[SentRequest], origin: &str) {
    let own_prefix = format!("{origin}/");
    let first_own = requests
        .iter()
        .position(|request| request.url.starts_with(&own_prefix))
        .unwrap_or_else(|| panic!("the performance log recorded no request to {origin}: {requests:#?}"));

    for request in &requests[..first_own] {
        assert!(
            request.url.starts_with("chrome://") || request.url.starts_with("data:"),
            "{} {} was sent before the first request to {origin}; all requests: {requests:#?}",
            request.method,
            request.url
        );
    }
    for request in &requests[first_own..] {
        assert!(
            request.url.starts_with(&own_prefix) || request.url.starts_with("data:"),
            "{} {} left the origin {origin}; all requests: {requests:#?}",
            request.method,
            request.url
        );
    }
}

fn assert_no_cookies(browser: &Browser, page: &str) {
    let cookies = browser.cookies();
    assert!(cookies.is_empty(), "the {page} page left cookies: {cookies:?}");
}

#[test]
fn submit_flow_without_javascript_stays_on_origin() {
    let chromium = installed_program("NEARMISS_CHROMIUM", "/usr/bin/chromium");
    let chromedriver_program = installed_program("NEARMISS_CHROMEDRIVER", "/usr/bin/chromedriver");

    // Declared first so that they are removed after Chromium and ChromeDriver have exited.
    let data = TempDir::new("browser-data");
    let profile = TempDir::new("browser-profile");
    let driver_logs = TempDir::new("browser-driver");
    let server = Server::start(data.path());
    let origin = server.base.clone();
    let chromedriver =
        ChromeDriver::start(&chromedriver_program, driver_logs.path().join("chromedriver.log"));
    let browser = Browser::open(&chromedriver, &chromium, profile.path());

    browser.navigate(&server.url("/"));
    assert_eq!(browser.current_url(), server.url("/"));
    assert_no_cookies(&browser, "home");

    browser.click("main a[href='/submit']");
    browser.wait_for("form[action='/submit']");
    assert_eq!(browser.current_url(), server.url("/submit"));
    assert_eq!(browser.title(), "Submit a near miss - nearmiss");
    assert_no_cookies(&browser, "submit");

    let what_happened = "Two of us cleared a garage after an alarm call; a man stood up behind the freezer \
                         and my partner had not seen him.";
    browser.click("#event_type option[value='building_search']");
    browser.click("input[name='contributing_factors'][value='situational_awareness']");
    browser.click("input[name='contributing_factors'][value='communication']");
    browser.type_text("#what_happened", what_happened);
    browser.click("form[action='/submit'] button[type='submit']");

    browser.wait_for(".field.invalid");
    assert_eq!(browser.current_url(), server.url("/submit"));
    assert_eq!(
        browser.count(".alert[role='alert']"),
        1,
        "the invalid form shows the alert"
    );
    assert_eq!(
        browser.text(".field.invalid:has(#lessons_learned) .error"),
        "required",
        "lessons learned shows its own error"
    );
    assert_eq!(
        browser.count(".field.invalid"),
        1,
        "only lessons learned is marked invalid"
    );
    assert_eq!(browser.property("#what_happened", "value"), what_happened);
    assert!(browser.is_selected("#event_type option[value='building_search']"));
    assert!(browser.is_selected("input[name='contributing_factors'][value='situational_awareness']"));
    assert!(browser.is_selected("input[name='contributing_factors'][value='communication']"));
    assert!(!browser.is_selected("input[name='contributing_factors'][value='complacency']"));
    assert_no_cookies(&browser, "invalid submit");

    let lessons_learned = "Call out each room as clear over the radio before moving on.";
    browser.type_text("#lessons_learned", lessons_learned);
    assert_eq!(browser.property("#lessons_learned", "value"), lessons_learned);
    browser.click("form[action='/submit'] button[type='submit']");

    browser.wait_for(".receipt code");
    assert_eq!(browser.current_url(), server.url("/submit"));
    assert_eq!(browser.title(), "Report received - nearmiss");
    let receipt = browser.text(".receipt code");
    let words: Vec<&str> = receipt.split('-').collect();
    assert_eq!(words.len(), 8, "receipt {receipt:?} has eight words");
    for word in &words {
        assert!(
            !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()),
            "receipt {receipt:?} has a word {word:?} that is not lowercase letters"
        );
    }
    assert_no_cookies(&browser, "receipt");

    // NOTE: the performance log records the network events of the page under test only. Requests
    // that the browser process makes on its own, such as update or Safe Browsing checks, are not
    // in it. CHROMIUM_ARGS switches those off, and this test does not check that.
    let requests = sent_requests(&browser.log("performance"));
    assert_requests_stay_on_origin(&requests, &origin);
    let form_posts = requests
        .iter()
        .filter(|request| request.method == "POST" && request.url == server.url("/submit"))
        .count();
    assert_eq!(
        form_posts, 2,
        "the browser posted the form twice; all requests: {requests:#?}"
    );

    let console = browser.log("browser");
    let policy_violations: Vec<&Value> = console
        .iter()
        .filter(|entry| {
            entry["source"] == "security"
                || entry["message"]
                    .as_str()
                    .is_some_and(|message| message.contains("Content Security Policy"))
        })
        .collect();
    assert!(
        policy_violations.is_empty(),
        "the console reported Content Security Policy violations: {policy_violations:#?}"
    );

    // ChromeDriver's `/execute/sync` runs scripts through DevTools even with JavaScript off, so it
    // cannot show whether page scripts run. A data: page sends no request and has no Content Security Policy, so its
    // inline script runs unless the browser itself blocks JavaScript.
    browser
        .navigate("data:text/html,<title>script blocked</title><script>document.title='script ran'</script>");
    assert_eq!(browser.title(), "script blocked", "JavaScript is disabled");
}
