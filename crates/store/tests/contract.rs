//! One contract for every `Store` implementation: each test body below runs once on SQLite, in a
//! fresh file, and once on PostgreSQL, in a fresh schema of the database named by
//! `NEARMISS_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`). The
//! PostgreSQL tests fail, rather than skip, when that server cannot be reached.

use std::collections::hash_map::RandomState;
use std::collections::BTreeMap;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nearmiss_core::audit::{ChainVerifier, NewAuditEntry, GENESIS_HASH};
use nearmiss_core::report::QuasiIdentifiers;
use nearmiss_core::staff::{Role, StaffUser};
use nearmiss_core::{Narrative, Report, ReportSource, Submission, SubmissionInput, SubmissionStatus};
use nearmiss_store::sealing::Sealer;
use nearmiss_store::{
    open, redact_database_url, Attachment, AttachmentInfo, PostgresStore, SecurityStore, Store, StoreError,
    ThrottlePolicy,
};
use sqlx::{Connection, PgConnection, SqliteConnection};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test only.
#[derive(Debug, Clone)]
enum TestDatabase {
    Sqlite { dir: PathBuf },
    Postgres { base_url: String, schema: String },
}

impl TestDatabase {
    async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("nearmiss-store-test-{}", unique_suffix()));
                std::fs::create_dir_all(&dir).expect("creating a temporary directory");
                TestDatabase::Sqlite { dir }
            }
            Backend::Postgres => {
                let base_url = postgres_base_url();
                let schema = format!("nearmiss_test_{}", unique_suffix());
                let mut admin = admin_connection(&base_url).await;
                sqlx::raw_sql(&format!("CREATE SCHEMA {schema}"))
                    .execute(&mut admin)
                    .await
                    .expect("creating the test schema");
                admin.close().await.expect("closing the admin connection");
                TestDatabase::Postgres { base_url, schema }
            }
        }
    }

    /// Builds the URL that `nearmiss_store::open` takes. For PostgreSQL it sets `search_path` to
    /// the test schema.
    fn url(&self) -> Option<String> {
        match self {
            TestDatabase::Sqlite { .. } => None,
            TestDatabase::Postgres { base_url, schema } => {
                let separator = if base_url.contains('?') { '&' } else { '?' };
                Some(format!(
                    "{base_url}{separator}options=-c%20search_path%3D{schema}"
                ))
            }
        }
    }

    fn data_dir(&self) -> PathBuf {
        match self {
            TestDatabase::Sqlite { dir } => dir.clone(),
            TestDatabase::Postgres { .. } => std::env::temp_dir(),
        }
    }

    async fn open(&self) -> Arc<dyn Store> {
        let url = self.url();
        match open(&self.data_dir(), url.as_deref(), test_sealer()).await {
            Ok(store) => store,
            Err(error) => panic!("opening the {} store failed: {error}", self.backend_name()),
        }
    }

    fn backend_name(&self) -> &'static str {
        match self {
            TestDatabase::Sqlite { .. } => "SQLite",
            TestDatabase::Postgres { .. } => "PostgreSQL",
        }
    }

    /// Versions recorded in `schema_migrations`, read past the store.
    async fn migration_versions(&self) -> Vec<i64> {
        let sql = "SELECT version FROM schema_migrations ORDER BY version";
        match self {
            TestDatabase::Sqlite { dir } => {
                let path = dir.join(nearmiss_store::SQLITE_FILE);
                let mut connection = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                    .await
                    .expect("connecting to the SQLite file");
                sqlx::query_scalar(sql)
                    .fetch_all(&mut connection)
                    .await
                    .expect("reading schema_migrations")
            }
            TestDatabase::Postgres { .. } => {
                let url = self.url().expect("a PostgreSQL test database has a URL");
                let mut connection = PgConnection::connect(&url)
                    .await
                    .expect("connecting to PostgreSQL");
                sqlx::query_scalar(sql)
                    .fetch_all(&mut connection)
                    .await
                    .expect("reading schema_migrations")
            }
        }
    }

    async fn destroy(&self) {
        match self {
            TestDatabase::Sqlite { dir } => {
                if let Err(error) = std::fs::remove_dir_all(dir) {
                    eprintln!("removing {} failed: {error}", dir.display());
                }
            }
            TestDatabase::Postgres { base_url, schema } => {
                let mut admin = admin_connection(base_url).await;
                let dropped = sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut admin)
                    .await;
                if let Err(error) = dropped {
                    eprintln!("dropping schema {schema} failed: {error}");
                }
            }
        }
    }
}

fn postgres_base_url() -> String {
    std::env::var("NEARMISS_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

async fn admin_connection(base_url: &str) -> PgConnection {
    match PgConnection::connect(base_url).await {
        Ok(connection) => connection,
        Err(error) => panic!(
            "PostgreSQL at {} is not reachable: {error}. Start one and point the tests at it with \
             `eval \"$(bash scripts/ensure-postgres.sh)\"` in the workspace root, or set \
             NEARMISS_TEST_DATABASE_URL to the URL of a server you run",
            redact_database_url(base_url)
        ),
    }
}

/// Returns a name part that is unique across concurrent tests and test processes.
fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{:016x}", hasher.finish())
}

/// Runs `body` against a fresh database of `backend` and removes the database afterwards, also
/// when the body panics. The body runs as a local task because `SqliteStore::open` returns a
/// future that is not `Send`.
async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestDatabase) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    let database = TestDatabase::create(backend).await;
    let local_tasks = tokio::task::LocalSet::new();
    let task = body(database.clone());
    let outcome = local_tasks
        .run_until(async { tokio::task::spawn_local(task).await })
        .await;
    database.destroy().await;
    if let Err(error) = outcome {
        if error.is_panic() {
            std::panic::resume_unwind(error.into_panic());
        }
        panic!("test task failed: {error}");
    }
}

/// Instantiates every named test body once per backend, as `sqlite::NAME` and `postgres::NAME`.
macro_rules! contract_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    crate::run(crate::Backend::Sqlite, crate::$name).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    crate::run(crate::Backend::Postgres, crate::$name).await;
                }
            )*
        }
    };
}

contract_tests!(
    submission_round_trip,
    submissions_by_status_oldest_first,
    receipt_attached_once,
    publish_assigns_change_number,
    publish_twice_is_conflict,
    publish_with_taken_source_key_stores_nothing,
    reject_records_reason,
    reject_twice_is_conflict,
    insert_report_is_idempotent,
    reports_without_source_key_all_insert,
    list_reports_newest_first,
    list_reports_pages,
    report_lookup,
    reports_changed_after_in_order,
    duplicate_username_is_conflict,
    session_lifecycle,
    ping_succeeds,
    reopen_runs_no_migration_twice,
    concurrent_publish_has_one_winner,
    concurrent_imports_store_one_report,
    totp_steps_are_used_once,
    totp_reset_ends_sessions,
    pending_login_lifecycle,
    sign_in_failures_lock_at_limit,
    sign_in_failures_window_restarts,
    settings_round_trip,
    audit_chain_appends_and_verifies,
    concurrent_audit_appends_keep_one_chain,
    review_draft_saved_with_submission,
    reports_sharing_quasi_identifiers_counted,
    purge_destroys_raw_material_only,
    concurrent_submissions_commit_independently,
    attachments_stored_with_submission,
    attachments_sealed_at_rest,
    attachments_purged_with_raw_material,
    import_keeps_attachments,
);

/// A fixed key-encryption key: the tests check storage behaviour, not key handling.
fn test_sealer() -> Arc<Sealer> {
    Arc::new(Sealer::new([42; 32]))
}

fn submission(id: &str, received_on: &str) -> Submission {
    Submission {
        id: id.to_owned(),
        received_on: received_on.to_owned(),
        status: SubmissionStatus::Pending,
        input: SubmissionInput {
            event_type: "traffic_stop".to_owned(),
            contributing_factors: vec!["complacency".to_owned(), "traffic".to_owned()],
            context: BTreeMap::from([
                ("state".to_owned(), "TX".to_owned()),
                ("lighting".to_owned(), "dark".to_owned()),
            ]),
            event_month: "2024-03".to_owned(),
            narrative: Narrative {
                what_happened:
                    "The driver reached under the seat; \"it's nothing\", he said.\n\tÉtienne ✓ 🚓".to_owned(),
                lessons_learned: "Watch the hands.".to_owned(),
                recommendations: String::new(),
            },
        },
        decision_reason: None,
        report_id: None,
        decided_on: None,
        receipt_hash: None,
        raw_destroyed: false,
    }
}

fn report(id: &str, published_on: &str, event_month: &str, source_key: Option<&str>) -> Report {
    Report {
        id: id.to_owned(),
        change_number: 0,
        source: if source_key.is_some() {
            ReportSource::Asrs
        } else {
            ReportSource::Submission
        },
        source_key: source_key.map(str::to_owned),
        title: format!("Report {id}"),
        summary: "A stop that nearly went wrong.".to_owned(),
        what_happened: "Line one.\nLine two with 'quotes' and \\backslash\\ and ünïcode 🚨.".to_owned(),
        lessons_learned: "Call for backup early.".to_owned(),
        recommendations: String::new(),
        event_type: "traffic_stop".to_owned(),
        contributing_factors: vec!["situational_awareness".to_owned()],
        context: BTreeMap::from([("weather".to_owned(), "rain".to_owned())]),
        event_month: event_month.to_owned(),
        source_tags: vec!["Conflict / NMAC".to_owned(), "Deviation".to_owned()],
        published_on: published_on.to_owned(),
    }
}

fn user(id: &str, username: &str, role: Role) -> StaffUser {
    StaffUser {
        id: id.to_owned(),
        username: username.to_owned(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".to_owned(),
        created_on: "2024-04-01".to_owned(),
    }
}

fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, operation: &str) {
    match result {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("{operation}: expected a Conflict error, got {other:?}"),
    }
}

async fn submission_round_trip(database: TestDatabase) {
    let store = database.open().await;
    let stored = submission("sub-1", "2024-04-02");

    store.insert_submission(&stored, "{}").await.unwrap();

    assert_eq!(store.submission("sub-1").await.unwrap(), Some(stored));
    assert_eq!(store.submission("sub-missing").await.unwrap(), None);
}

async fn submissions_by_status_oldest_first(database: TestDatabase) {
    let store = database.open().await;
    // "B" sorts before "a" by byte value, but after it in most linguistic collations.
    for (id, day) in [
        ("c", "2024-04-03"),
        ("a", "2024-04-01"),
        ("B", "2024-04-01"),
        ("d", "2024-04-02"),
    ] {
        store.insert_submission(&submission(id, day), "{}").await.unwrap();
    }
    store
        .reject_submission("d", "duplicate", "2024-04-05")
        .await
        .unwrap();

    let pending = store
        .submissions_with_status(SubmissionStatus::Pending, 10)
        .await
        .unwrap();
    let ids: Vec<&str> = pending.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["B", "a", "c"]);

    let first_two = store
        .submissions_with_status(SubmissionStatus::Pending, 2)
        .await
        .unwrap();
    assert_eq!(first_two.len(), 2);

    let unlimited = store
        .submissions_with_status(SubmissionStatus::Pending, -1)
        .await
        .unwrap();
    assert_eq!(unlimited.len(), 3, "a negative limit means no limit");

    let rejected = store
        .submissions_with_status(SubmissionStatus::Rejected, 10)
        .await
        .unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].id, "d");
    assert!(store
        .submissions_with_status(SubmissionStatus::Published, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn receipt_attached_once(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{}")
        .await
        .unwrap();
    store
        .insert_submission(&submission("sub-2", "2024-04-02"), "{}")
        .await
        .unwrap();

    store.attach_receipt("sub-1", &[1; 32]).await.unwrap();

    assert_conflict(store.attach_receipt("sub-1", &[2; 32]).await, "second receipt");
    assert!(
        store.attach_receipt("sub-2", &[1; 32]).await.is_err(),
        "a receipt hash that another submission has must be rejected"
    );
    store.attach_receipt("sub-2", &[3; 32]).await.unwrap();

    let found = store.submission_by_receipt_hash(&[3; 32]).await.unwrap().unwrap();
    assert_eq!(found.id, "sub-2");
    assert_eq!(found.receipt_hash.as_deref(), Some(&[3; 32][..]));
    assert!(store
        .submission_by_receipt_hash(&[9; 32])
        .await
        .unwrap()
        .is_none());
}

async fn publish_assigns_change_number(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{}")
        .await
        .unwrap();

    let published = store
        .publish_submission(
            "sub-1",
            &report("rep-1", "2024-04-10", "2024-03", None),
            "2024-04-10",
        )
        .await
        .unwrap();

    assert!(
        published.change_number > 0,
        "change number {}",
        published.change_number
    );
    assert_eq!(store.report("rep-1").await.unwrap(), Some(published.clone()));
    let decided = store.submission("sub-1").await.unwrap().unwrap();
    assert_eq!(decided.status, SubmissionStatus::Published);
    assert_eq!(decided.report_id.as_deref(), Some("rep-1"));
    assert_eq!(decided.decision_reason, None);
    assert_eq!(store.count_reports().await.unwrap(), 1);
}

async fn publish_twice_is_conflict(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{}")
        .await
        .unwrap();
    let first = report("rep-1", "2024-04-10", "2024-03", None);
    store
        .publish_submission("sub-1", &first, "2024-04-10")
        .await
        .unwrap();

    let second = report("rep-2", "2024-04-11", "2024-03", None);
    assert_conflict(
        store.publish_submission("sub-1", &second, "2024-04-11").await,
        "second publish",
    );

    assert_eq!(store.count_reports().await.unwrap(), 1);
    assert_eq!(store.report("rep-2").await.unwrap(), None);
    let decided = store.submission("sub-1").await.unwrap().unwrap();
    assert_eq!(decided.report_id.as_deref(), Some("rep-1"));
}

async fn publish_with_taken_source_key_stores_nothing(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_report(&report("rep-imported", "2024-04-01", "2024-01", Some("asrs:1")))
        .await
        .unwrap();
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{}")
        .await
        .unwrap();

    let clashing = report("rep-1", "2024-04-10", "2024-03", Some("asrs:1"));
    assert_conflict(
        store.publish_submission("sub-1", &clashing, "2024-04-10").await,
        "publish",
    );

    let unchanged = store.submission("sub-1").await.unwrap().unwrap();
    assert_eq!(
        unchanged.status,
        SubmissionStatus::Pending,
        "the failed publish must roll back"
    );
    assert_eq!(unchanged.report_id, None);
    assert_eq!(store.count_reports().await.unwrap(), 1);
}

async fn reject_records_reason(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{}")
        .await
        .unwrap();

    store
        .reject_submission("sub-1", "Not a law-enforcement event.", "2024-04-05")
        .await
        .unwrap();

    let rejected = store.submission("sub-1").await.unwrap().unwrap();
    assert_eq!(rejected.status, SubmissionStatus::Rejected);
    assert_eq!(
        rejected.decision_reason.as_deref(),
        Some("Not a law-enforcement event.")
    );
    assert_eq!(rejected.report_id, None);
}

async fn reject_twice_is_conflict(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{}")
        .await
        .unwrap();
    store
        .reject_submission("sub-1", "first reason", "2024-04-05")
        .await
        .unwrap();

    assert_conflict(
        store
            .reject_submission("sub-1", "second reason", "2024-04-06")
            .await,
        "second reject",
    );
    let late_report = report("rep-1", "2024-04-10", "2024-03", None);
    let publish = store
        .publish_submission("sub-1", &late_report, "2024-04-10")
        .await;
    assert_conflict(publish, "publish after reject");

    let rejected = store.submission("sub-1").await.unwrap().unwrap();
    assert_eq!(rejected.decision_reason.as_deref(), Some("first reason"));
    assert_eq!(store.count_reports().await.unwrap(), 0);
}

async fn insert_report_is_idempotent(database: TestDatabase) {
    let store = database.open().await;
    let first = report("rep-1", "2024-04-01", "2024-01", Some("asrs:123456"));

    let change_number = store.insert_report(&first).await.unwrap();
    assert!(
        matches!(change_number, Some(number) if number > 0),
        "change number {change_number:?}"
    );

    let again = store
        .insert_report(&report("rep-2", "2024-04-02", "2024-02", Some("asrs:123456")))
        .await;
    assert_eq!(again.unwrap(), None);
    assert_eq!(store.count_reports().await.unwrap(), 1);
    assert_eq!(store.report("rep-2").await.unwrap(), None);
    let stored = store.report("rep-1").await.unwrap().unwrap();
    assert_eq!(
        stored,
        Report {
            change_number: change_number.unwrap(),
            ..first
        }
    );
}

async fn reports_without_source_key_all_insert(database: TestDatabase) {
    let store = database.open().await;

    let first = store
        .insert_report(&report("rep-1", "2024-04-01", "2024-01", None))
        .await
        .unwrap();
    let second = store
        .insert_report(&report("rep-2", "2024-04-01", "2024-01", None))
        .await
        .unwrap();

    assert!(first.is_some());
    assert!(second.is_some());
    assert_eq!(store.count_reports().await.unwrap(), 2);
}

async fn list_reports_newest_first(database: TestDatabase) {
    let store = database.open().await;
    let rows = [
        ("old", "2023-12-30", "2023-11"),
        ("new-unknown-month", "2024-05-01", ""),
        ("new-march", "2024-05-01", "2024-03"),
        ("new-april-a", "2024-05-01", "2024-04"),
        ("new-april-b", "2024-05-01", "2024-04"),
        ("middle", "2024-02-15", "2024-01"),
    ];
    for (id, published_on, event_month) in rows {
        store
            .insert_report(&report(id, published_on, event_month, Some(id)))
            .await
            .unwrap();
    }

    let listed = store.list_reports(0, 100).await.unwrap();

    let ids: Vec<&str> = listed.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "new-april-b",
            "new-april-a",
            "new-march",
            "new-unknown-month",
            "middle",
            "old"
        ]
    );
    assert_eq!(store.count_reports().await.unwrap(), 6);
}

async fn list_reports_pages(database: TestDatabase) {
    let store = database.open().await;
    for day in 1..=7 {
        let id = format!("rep-{day}");
        store
            .insert_report(&report(&id, &format!("2024-04-{day:02}"), "2024-03", None))
            .await
            .unwrap();
    }

    let pages = [(0, 3), (3, 3), (6, 3), (9, 3)];
    let mut seen = Vec::new();
    for (offset, limit) in pages {
        let page = store.list_reports(offset, limit).await.unwrap();
        seen.extend(page.into_iter().map(|r| r.id));
    }
    assert_eq!(
        seen,
        ["rep-7", "rep-6", "rep-5", "rep-4", "rep-3", "rep-2", "rep-1"]
    );

    assert_eq!(store.list_reports(0, 0).await.unwrap().len(), 0);
    assert_eq!(
        store.list_reports(0, -1).await.unwrap().len(),
        7,
        "a negative limit means no limit"
    );
    assert_eq!(
        store.list_reports(-5, 2).await.unwrap()[0].id,
        "rep-7",
        "a negative offset means 0"
    );
}

async fn report_lookup(database: TestDatabase) {
    let store = database.open().await;
    let mut imported = report("rep-asrs", "2024-04-01", "", Some("asrs:42"));
    imported.context = BTreeMap::from([
        ("agency_type".to_owned(), "municipal".to_owned()),
        ("state".to_owned(), "CA".to_owned()),
    ]);
    imported.contributing_factors = Vec::new();
    imported.source_tags = vec![
        "Smoke / Fire / Fumes / Odor".to_owned(),
        "\"quoted\" tag".to_owned(),
    ];

    let change_number = store.insert_report(&imported).await.unwrap().unwrap();

    let stored = store.report("rep-asrs").await.unwrap();
    assert_eq!(
        stored,
        Some(Report {
            change_number,
            ..imported
        })
    );
    assert_eq!(store.report("rep-missing").await.unwrap(), None);
}

async fn reports_changed_after_in_order(database: TestDatabase) {
    let store = database.open().await;
    let mut numbers = Vec::new();
    for index in 0..5 {
        let id = format!("rep-{index}");
        // Publication days go backwards so that change order differs from list order.
        let published_on = format!("2024-04-{:02}", 20 - index);
        numbers.push(
            store
                .insert_report(&report(&id, &published_on, "2024-03", None))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    assert!(
        numbers.windows(2).all(|pair| pair[0] < pair[1]),
        "change numbers {numbers:?} do not grow"
    );

    let all = store.reports_changed_after(0, 100).await.unwrap();
    let all_numbers: Vec<i64> = all.iter().map(|r| r.change_number).collect();
    assert_eq!(all_numbers, numbers);

    let after_second = store.reports_changed_after(numbers[1], 100).await.unwrap();
    let ids: Vec<&str> = after_second.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["rep-2", "rep-3", "rep-4"]);

    let limited = store.reports_changed_after(numbers[1], 2).await.unwrap();
    assert_eq!(limited.len(), 2);
    assert_eq!(limited[0].id, "rep-2");

    assert!(store
        .reports_changed_after(numbers[4], 100)
        .await
        .unwrap()
        .is_empty());
}

async fn duplicate_username_is_conflict(database: TestDatabase) {
    let store = database.open().await;
    let analyst = user("user-1", "j.doe", Role::Analyst);
    store.insert_user(&analyst).await.unwrap();

    let clash = user("user-2", "j.doe", Role::Admin);
    assert_conflict(store.insert_user(&clash).await, "duplicate username");

    assert_eq!(store.user_by_username("j.doe").await.unwrap(), Some(analyst));
    assert_eq!(store.user_by_username("nobody").await.unwrap(), None);
    let admin = user("user-3", "admin", Role::Admin);
    store.insert_user(&admin).await.unwrap();
    assert_eq!(store.user_by_username("admin").await.unwrap(), Some(admin));
}

async fn session_lifecycle(database: TestDatabase) {
    let store = database.open().await;
    let analyst = user("user-1", "j.doe", Role::Analyst);
    store.insert_user(&analyst).await.unwrap();
    let token = [7u8; 32];
    let other_token = [8u8; 32];

    store
        .insert_session(&token, "user-1", "csrf-abc", 1_700_000_000)
        .await
        .unwrap();
    store
        .insert_session(&other_token, "user-1", "csrf-def", 1_700_000_001)
        .await
        .unwrap();

    let session = store.session(&token).await.unwrap().unwrap();
    assert_eq!(session.user, analyst);
    assert_eq!(session.csrf_token, "csrf-abc");
    assert_eq!(session.created_at, 1_700_000_000);
    assert_eq!(session.last_seen_at, 1_700_000_000);

    store.touch_session(&token, 1_700_000_600).await.unwrap();
    let touched = store.session(&token).await.unwrap().unwrap();
    assert_eq!(touched.created_at, 1_700_000_000);
    assert_eq!(touched.last_seen_at, 1_700_000_600);

    store.delete_session(&token).await.unwrap();
    assert_eq!(store.session(&token).await.unwrap(), None);
    assert!(
        store.session(&other_token).await.unwrap().is_some(),
        "deleting one session kept the other"
    );
    assert_eq!(store.session(&[9u8; 32]).await.unwrap(), None);
    assert!(store
        .insert_session(&[9u8; 32], "user-missing", "csrf", 1)
        .await
        .is_err());
}

async fn ping_succeeds(database: TestDatabase) {
    let store = database.open().await;

    store.ping().await.unwrap();
}

async fn reopen_runs_no_migration_twice(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_report(&report("rep-1", "2024-04-01", "2024-03", Some("asrs:1")))
        .await
        .unwrap();
    drop(store);
    assert_eq!(database.migration_versions().await, [1, 2, 3, 4, 5]);

    let reopened = database.open().await;

    assert_eq!(database.migration_versions().await, [1, 2, 3, 4, 5]);
    assert_eq!(reopened.count_reports().await.unwrap(), 1);
    let next = reopened
        .insert_report(&report("rep-2", "2024-04-02", "2024-03", None))
        .await
        .unwrap()
        .unwrap();
    let first = reopened.report("rep-1").await.unwrap().unwrap();
    assert!(
        next > first.change_number,
        "change numbers restart after reopening: {next}"
    );
}

async fn concurrent_publish_has_one_winner(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{}")
        .await
        .unwrap();

    let attempts = (0..4).map(|index| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            let candidate = report(&format!("rep-{index}"), "2024-04-10", "2024-03", None);
            store.publish_submission("sub-1", &candidate, "2024-04-10").await
        })
    });
    let mut outcomes = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        outcomes.push(attempt.await.unwrap());
    }

    let winners = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    let conflicts = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Err(StoreError::Conflict(_))))
        .count();
    assert_eq!(winners, 1, "outcomes: {outcomes:?}");
    assert_eq!(conflicts, 3, "outcomes: {outcomes:?}");
    assert_eq!(store.count_reports().await.unwrap(), 1);
}

async fn concurrent_imports_store_one_report(database: TestDatabase) {
    let store = database.open().await;

    let attempts = (0..4).map(|index| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            let candidate = report(&format!("rep-{index}"), "2024-04-10", "2024-03", Some("asrs:7"));
            store.insert_report(&candidate).await
        })
    });
    let mut outcomes = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        outcomes.push(attempt.await.unwrap().unwrap());
    }

    assert_eq!(
        outcomes.iter().filter(|outcome| outcome.is_some()).count(),
        1,
        "outcomes: {outcomes:?}"
    );
    assert_eq!(store.count_reports().await.unwrap(), 1);
}

// Tests below concern one backend only.

#[tokio::test]
async fn open_rejects_other_url_schemes() {
    let dir = std::env::temp_dir();

    let error = match open(
        &dir,
        Some("mysql://admin:hunter2@127.0.0.1:3306/nearmiss"),
        test_sealer(),
    )
    .await
    {
        Ok(_) => panic!("a mysql:// URL was accepted"),
        Err(error) => error.to_string(),
    };

    assert!(
        error.contains("mysql://admin:***@127.0.0.1:3306/nearmiss"),
        "message: {error}"
    );
    assert!(error.contains("postgres://"), "message: {error}");
    assert!(!error.contains("hunter2"), "the password leaked: {error}");
}

#[tokio::test]
async fn postgres_connect_error_hides_password() {
    // Port 1 on loopback has no PostgreSQL, so the connection is refused at once.
    let url = "postgresql://postgres:hunter2@127.0.0.1:1/test";

    let error = match PostgresStore::connect(url).await {
        Ok(_) => panic!("connecting to 127.0.0.1:1 succeeded"),
        Err(error) => format!("{error} {error:?}"),
    };

    assert!(!error.contains("hunter2"), "the password leaked: {error}");
}

#[tokio::test]
async fn postgres_concurrent_connects_migrate_once() {
    run(Backend::Postgres, |database| async move {
        let url = database.url().unwrap();
        let connects = (0..4).map(|_| {
            let url = url.clone();
            tokio::spawn(async move { PostgresStore::connect(&url).await })
        });

        for connect in connects.collect::<Vec<_>>() {
            if let Err(error) = connect.await.unwrap() {
                panic!("a concurrent connect failed: {error}");
            }
        }

        assert_eq!(database.migration_versions().await, [1, 2, 3, 4, 5]);
    })
    .await;
}

#[tokio::test]
async fn postgres_advisory_lock_excludes_other_sessions() {
    run(Backend::Postgres, |database| async move {
        let url = database.url().unwrap();
        let node_a = PostgresStore::connect(&url).await.unwrap();
        let node_b = PostgresStore::connect(&url).await.unwrap();
        // Advisory locks are per database, so a random key keeps concurrent test runs apart.
        let key = i64::from_str_radix(&unique_suffix()[..15], 16).unwrap();

        let guard = node_a
            .try_advisory_lock(key)
            .await
            .unwrap()
            .expect("a free lock is taken");
        assert_eq!(guard.key(), key);
        assert!(
            node_b.try_advisory_lock(key).await.unwrap().is_none(),
            "another node took a held lock"
        );
        assert!(
            node_a.try_advisory_lock(key).await.unwrap().is_none(),
            "another session took a held lock"
        );

        guard.release().await.unwrap();
        let guard_b = node_b
            .try_advisory_lock(key)
            .await
            .unwrap()
            .expect("a released lock is free");

        drop(guard_b);
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(guard) = node_a.try_advisory_lock(key).await.unwrap() {
                guard.release().await.unwrap();
                break;
            }
            assert!(
                Instant::now() < deadline,
                "a dropped guard still holds the lock after 5 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
}

#[test]
fn postgres_connect_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}

    let connect = PostgresStore::connect("postgres://postgres@127.0.0.1:5432/test");

    // Only the type matters: a future that is not `Send` cannot run in `tokio::spawn`.
    assert_send(&connect);
}

// Staff account security: TOTP, pending sign-ins, throttling, settings and the audit log.

const THROTTLE: ThrottlePolicy = ThrottlePolicy {
    limit: 5,
    window_seconds: 900,
    lock_seconds: 900,
};

async fn totp_steps_are_used_once(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_user(&user("user-1", "j.doe", Role::Analyst))
        .await
        .unwrap();
    assert_eq!(store.totp("user-1").await.unwrap(), None);

    store.insert_totp("user-1", &[5u8; 20], 100).await.unwrap();
    assert_conflict(
        store.insert_totp("user-1", &[6u8; 20], 101).await,
        "second secret",
    );

    let stored = store.totp("user-1").await.unwrap().unwrap();
    assert_eq!(stored.secret, vec![5u8; 20]);
    assert_eq!(stored.last_step, 100);
    assert!(
        !store.use_totp_step("user-1", 100).await.unwrap(),
        "the same step twice"
    );
    assert!(
        !store.use_totp_step("user-1", 99).await.unwrap(),
        "an earlier step"
    );
    assert!(store.use_totp_step("user-1", 101).await.unwrap());
    assert!(!store.use_totp_step("user-1", 101).await.unwrap(), "a used step");
    assert_eq!(store.totp("user-1").await.unwrap().unwrap().last_step, 101);
}

async fn totp_reset_ends_sessions(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_user(&user("user-1", "j.doe", Role::Analyst))
        .await
        .unwrap();
    store
        .insert_user(&user("user-2", "a.roe", Role::Admin))
        .await
        .unwrap();
    store.insert_totp("user-1", &[5u8; 20], 100).await.unwrap();
    store
        .insert_session(&[1u8; 32], "user-1", "csrf-1", 1)
        .await
        .unwrap();
    store
        .insert_session(&[2u8; 32], "user-2", "csrf-2", 1)
        .await
        .unwrap();
    store
        .insert_pending_login(&[3u8; 32], "user-1", None, 1)
        .await
        .unwrap();

    assert!(store.reset_totp("user-1").await.unwrap());

    assert_eq!(store.totp("user-1").await.unwrap(), None);
    assert_eq!(store.session(&[1u8; 32]).await.unwrap(), None);
    assert_eq!(store.pending_login(&[3u8; 32]).await.unwrap(), None);
    assert!(
        store.session(&[2u8; 32]).await.unwrap().is_some(),
        "other accounts keep theirs"
    );
    assert!(
        !store.reset_totp("user-1").await.unwrap(),
        "nothing left to reset"
    );
}

async fn pending_login_lifecycle(database: TestDatabase) {
    let store = database.open().await;
    let analyst = user("user-1", "j.doe", Role::Analyst);
    store.insert_user(&analyst).await.unwrap();

    store
        .insert_pending_login(&[1u8; 32], "user-1", Some(&[9u8; 20]), 1_000)
        .await
        .unwrap();
    store
        .insert_pending_login(&[2u8; 32], "user-1", None, 2_000)
        .await
        .unwrap();

    let enrolling = store.pending_login(&[1u8; 32]).await.unwrap().unwrap();
    assert_eq!(enrolling.user, analyst);
    assert_eq!(enrolling.enrol_secret, Some(vec![9u8; 20]));
    assert_eq!(enrolling.created_at, 1_000);
    let second_step = store.pending_login(&[2u8; 32]).await.unwrap().unwrap();
    assert_eq!(second_step.enrol_secret, None);

    store.delete_pending_logins_before(1_500).await.unwrap();
    assert_eq!(store.pending_login(&[1u8; 32]).await.unwrap(), None);
    assert!(store.pending_login(&[2u8; 32]).await.unwrap().is_some());
    store.delete_pending_login(&[2u8; 32]).await.unwrap();
    assert_eq!(store.pending_login(&[2u8; 32]).await.unwrap(), None);
}

async fn sign_in_failures_lock_at_limit(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_user(&user("user-1", "j.doe", Role::Analyst))
        .await
        .unwrap();
    let start = 1_700_000_000;

    for attempt in 1..=4 {
        let failures = store
            .record_sign_in_failure("user-1", start + attempt, THROTTLE)
            .await
            .unwrap();
        assert_eq!(failures.failures, attempt, "attempt {attempt}");
        assert_eq!(failures.locked_until, None, "attempt {attempt}");
    }
    let fifth = store
        .record_sign_in_failure("user-1", start + 5, THROTTLE)
        .await
        .unwrap();

    assert_eq!(fifth.failures, 5);
    assert_eq!(fifth.locked_until, Some(start + 5 + 900));
    assert_eq!(
        store.sign_in_locked_until("user-1").await.unwrap(),
        Some(start + 905)
    );

    store.clear_sign_in_failures("user-1").await.unwrap();
    assert_eq!(store.sign_in_locked_until("user-1").await.unwrap(), None);
}

async fn sign_in_failures_window_restarts(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_user(&user("user-1", "j.doe", Role::Analyst))
        .await
        .unwrap();
    let start = 1_700_000_000;
    for attempt in 0..4 {
        store
            .record_sign_in_failure("user-1", start + attempt, THROTTLE)
            .await
            .unwrap();
    }

    let later = store
        .record_sign_in_failure("user-1", start + 900, THROTTLE)
        .await
        .unwrap();

    assert_eq!(
        later.failures, 1,
        "failures older than the window no longer count"
    );
    assert_eq!(later.locked_until, None);
}

async fn settings_round_trip(database: TestDatabase) {
    let store = database.open().await;
    assert_eq!(store.setting("publish_approvals").await.unwrap(), None);

    store.set_setting("publish_approvals", "3").await.unwrap();
    store.set_setting("publish_approvals", "1").await.unwrap();

    assert_eq!(
        store.setting("publish_approvals").await.unwrap().as_deref(),
        Some("1")
    );
    assert_eq!(store.setting("other").await.unwrap(), None);
}

fn audit_entry(action: &str, subject: &str) -> NewAuditEntry {
    NewAuditEntry {
        staff_id: Some("user-1".to_owned()),
        at: "2024-04-01T12:34:56Z".to_owned(),
        action: action.to_owned(),
        subject: subject.to_owned(),
        details: "{\"field\":\"é ✓\"}".to_owned(),
    }
}

async fn audit_chain_appends_and_verifies(database: TestDatabase) {
    let store = database.open().await;
    assert_eq!(store.count_audit_entries().await.unwrap(), 0);

    let first = store.append_audit(&audit_entry("signed_in", "")).await.unwrap();
    let operator = NewAuditEntry {
        staff_id: None,
        ..audit_entry("user_created", "user-2")
    };
    let second = store.append_audit(&operator).await.unwrap();
    let third = store.append_audit(&audit_entry("signed_out", "")).await.unwrap();

    assert_eq!((first.seq, second.seq, third.seq), (1, 2, 3));
    assert_eq!(first.prev_hash, GENESIS_HASH);
    assert_eq!(second.prev_hash, first.entry_hash);
    assert_eq!(second.staff_id, None);
    let oldest_first = store.audit_entries_after(0, 100).await.unwrap();
    assert_eq!(oldest_first, vec![first.clone(), second.clone(), third.clone()]);
    let mut verifier = ChainVerifier::default();
    for entry in &oldest_first {
        verifier.check(entry).unwrap();
    }
    assert_eq!(verifier.count(), 3);

    assert_eq!(
        store.audit_entries_after(1, 1).await.unwrap(),
        vec![second.clone()]
    );
    assert_eq!(
        store.audit_entries_newest(0, 2).await.unwrap(),
        vec![third, second]
    );
    assert_eq!(store.audit_entries_newest(2, 2).await.unwrap(), vec![first]);
    assert_eq!(store.count_audit_entries().await.unwrap(), 3);
}

async fn concurrent_audit_appends_keep_one_chain(database: TestDatabase) {
    let store = database.open().await;

    let appends = (0..8).map(|index| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .append_audit(&audit_entry("viewed_submission", &format!("sub-{index}")))
                .await
        })
    });
    for append in appends.collect::<Vec<_>>() {
        append.await.unwrap().unwrap();
    }

    let entries = store.audit_entries_after(0, 100).await.unwrap();
    assert_eq!(entries.len(), 8);
    let mut verifier = ChainVerifier::default();
    for entry in &entries {
        if let Err(error) = verifier.check(entry) {
            panic!("the chain forked: {error}");
        }
    }
}

#[tokio::test]
async fn postgres_audit_appends_from_two_nodes_keep_one_chain() {
    run(Backend::Postgres, |database| async move {
        let url = database.url().unwrap();
        let nodes = [
            Arc::new(PostgresStore::connect(&url).await.unwrap()),
            Arc::new(PostgresStore::connect(&url).await.unwrap()),
        ];

        let appends = (0..16).map(|index| {
            let node = Arc::clone(&nodes[index % 2]);
            tokio::spawn(async move {
                node.append_audit(&audit_entry("viewed_submission", &format!("sub-{index}")))
                    .await
            })
        });
        for append in appends.collect::<Vec<_>>() {
            append.await.unwrap().unwrap();
        }

        let entries = nodes[0].audit_entries_after(0, 100).await.unwrap();
        assert_eq!(entries.len(), 16);
        let mut verifier = ChainVerifier::default();
        for entry in &entries {
            if let Err(error) = verifier.check(entry) {
                panic!("the chain forked: {error}");
            }
        }
    })
    .await;
}

async fn review_draft_saved_with_submission(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-1", "2024-04-02"), "{\"first\": 1}")
        .await
        .unwrap();
    assert_eq!(
        store.review_draft("sub-1").await.unwrap().as_deref(),
        Some("{\"first\": 1}")
    );

    store.save_review_draft("sub-1", "{\"second\": 2}").await.unwrap();
    assert_eq!(
        store.review_draft("sub-1").await.unwrap().as_deref(),
        Some("{\"second\": 2}")
    );
    assert_eq!(store.review_draft("sub-missing").await.unwrap(), None);
}

async fn reports_sharing_quasi_identifiers_counted(database: TestDatabase) {
    let store = database.open().await;
    for (index, state) in ["TX", "TX", "VT"].iter().enumerate() {
        let mut stored = report(&format!("rep-{index}"), "2024-05-01", "2024-03", None);
        stored.context.insert("state".to_owned(), (*state).to_owned());
        stored
            .context
            .insert("agency_type".to_owned(), "sheriff".to_owned());
        store.insert_report(&stored).await.unwrap();
    }
    store
        .insert_report(&report("rep-nostate", "2024-05-01", "2024-03", None))
        .await
        .unwrap();

    let key = |state: &str, agency_type: &str| QuasiIdentifiers {
        state: state.to_owned(),
        agency_type: agency_type.to_owned(),
        agency_size: String::new(),
        event_type: "traffic_stop".to_owned(),
        event_month: "2024-03".to_owned(),
    };
    assert_eq!(
        store.count_reports_sharing(&key("TX", "sheriff")).await.unwrap(),
        2
    );
    assert_eq!(
        store.count_reports_sharing(&key("VT", "sheriff")).await.unwrap(),
        1
    );
    assert_eq!(
        store
            .count_reports_sharing(&key("VT", "municipal"))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store.count_reports_sharing(&key("", "")).await.unwrap(),
        1,
        "empty matches absent"
    );
}

async fn purge_destroys_raw_material_only(database: TestDatabase) {
    let store = database.open().await;
    for id in ["sub-old", "sub-new", "sub-pending"] {
        store
            .insert_submission(&submission(id, "2024-04-01"), "{\"draft\": true}")
            .await
            .unwrap();
    }
    store
        .publish_submission(
            "sub-old",
            &report("rep-old", "2024-04-02", "2024-03", None),
            "2024-04-02",
        )
        .await
        .unwrap();
    store
        .reject_submission("sub-new", "Duplicate.", "2024-05-10")
        .await
        .unwrap();

    assert_eq!(store.purge_raw_material("2024-04-30").await.unwrap(), 1);

    let old = store.submission("sub-old").await.unwrap().unwrap();
    assert!(old.raw_destroyed);
    assert_eq!(old.input, SubmissionInput::default());
    assert_eq!(old.status, SubmissionStatus::Published);
    assert_eq!(old.report_id.as_deref(), Some("rep-old"));
    assert_eq!(store.review_draft("sub-old").await.unwrap(), None);
    assert!(
        store.save_review_draft("sub-old", "{}").await.is_err(),
        "nothing new is sealed for it"
    );
    assert!(
        store.report("rep-old").await.unwrap().is_some(),
        "the published report stays"
    );

    let newer = store.submission("sub-new").await.unwrap().unwrap();
    assert!(!newer.raw_destroyed, "decided after the cut-off day");
    assert_eq!(newer.input, submission("sub-new", "2024-04-01").input);
    let pending = store.submission("sub-pending").await.unwrap().unwrap();
    assert!(!pending.raw_destroyed, "undecided submissions are never purged");
    assert_eq!(
        store.review_draft("sub-pending").await.unwrap().as_deref(),
        Some("{\"draft\": true}")
    );

    assert_eq!(
        store.purge_raw_material("2024-04-30").await.unwrap(),
        0,
        "a second purge finds nothing"
    );
}

fn attachment(id: &str, position: i64, bytes: &[u8]) -> Attachment {
    Attachment {
        info: AttachmentInfo {
            id: id.to_owned(),
            position,
            format: "png".to_owned(),
            width: 640,
            height: 480,
        },
        bytes: bytes.to_vec(),
    }
}

async fn attachments_stored_with_submission(database: TestDatabase) {
    let store = database.open().await;
    let first = attachment("att-1", 1, b"first image bytes");
    let second = attachment("att-2", 2, &[0, 255, 1, 254]);

    store
        .insert_submission_with_attachments(
            &submission("sub-1", "2024-04-02"),
            "{}",
            &[first.clone(), second.clone()],
        )
        .await
        .unwrap();
    store
        .insert_submission(&submission("sub-2", "2024-04-02"), "{}")
        .await
        .unwrap();

    assert_eq!(
        store.attachment_infos("sub-1").await.unwrap(),
        [first.info.clone(), second.info.clone()]
    );
    assert_eq!(store.attachment("sub-1", 1).await.unwrap(), Some(first));
    assert_eq!(store.attachment("sub-1", 2).await.unwrap(), Some(second));
    assert_eq!(store.attachment("sub-1", 3).await.unwrap(), None);
    assert!(store.attachment_infos("sub-2").await.unwrap().is_empty());
    assert_eq!(store.attachment("sub-missing", 1).await.unwrap(), None);
}

/// A failing attachment insert stores nothing of the submission either, and stored bytes are
/// sealed.
async fn attachments_sealed_at_rest(database: TestDatabase) {
    let store = database.open().await;
    let duplicate_position = [attachment("att-1", 1, b"one"), attachment("att-2", 1, b"two")];
    let failed = store
        .insert_submission_with_attachments(&submission("sub-1", "2024-04-02"), "{}", &duplicate_position)
        .await;
    assert!(failed.is_err(), "two attachments at one position are rejected");
    assert_eq!(
        store.submission("sub-1").await.unwrap(),
        None,
        "the submission rolled back"
    );
    assert_eq!(
        store.review_draft("sub-1").await.unwrap(),
        None,
        "the draft rolled back"
    );

    let canary = b"CANARY-ATTACHMENT-BYTES";
    store
        .insert_submission_with_attachments(
            &submission("sub-2", "2024-04-02"),
            "{}",
            &[attachment("att-3", 1, canary)],
        )
        .await
        .unwrap();
    let sql = "SELECT sealed FROM attachments WHERE id = 'att-3'";
    let sealed: Vec<u8> = match &database {
        TestDatabase::Sqlite { dir } => {
            let path = dir.join(nearmiss_store::SQLITE_FILE);
            let mut connection = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut connection).await.unwrap()
        }
        TestDatabase::Postgres { .. } => {
            let mut connection = PgConnection::connect(&database.url().unwrap()).await.unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut connection).await.unwrap()
        }
    };
    assert_eq!(sealed.len(), 24 + canary.len() + 16, "nonce, ciphertext and tag");
    assert!(
        !sealed.windows(canary.len()).any(|window| window == canary),
        "the bytes are sealed"
    );
}

async fn attachments_purged_with_raw_material(database: TestDatabase) {
    let store = database.open().await;
    for id in ["sub-old", "sub-pending"] {
        let attachments = [attachment(&format!("{id}-att"), 1, b"image")];
        store
            .insert_submission_with_attachments(&submission(id, "2024-04-01"), "{}", &attachments)
            .await
            .unwrap();
    }
    store
        .reject_submission("sub-old", "Duplicate.", "2024-04-02")
        .await
        .unwrap();

    assert_eq!(store.purge_raw_material("2024-04-30").await.unwrap(), 1);

    assert!(
        store.attachment_infos("sub-old").await.unwrap().is_empty(),
        "purged attachments are deleted"
    );
    assert_eq!(store.attachment("sub-old", 1).await.unwrap(), None);
    assert_eq!(
        store.attachment_infos("sub-pending").await.unwrap().len(),
        1,
        "pending ones stay"
    );
    assert!(store.attachment("sub-pending", 1).await.unwrap().is_some());
}

async fn import_keeps_attachments(database: TestDatabase) {
    let store = database.open().await;
    let attachments = [
        attachment("att-1", 1, b"first"),
        attachment("att-2", 2, b"second"),
    ];

    assert!(store
        .import_submission(&submission("sub-1", "2024-04-02"), &attachments)
        .await
        .unwrap());
    let again = store
        .import_submission(&submission("sub-1", "2024-04-02"), &[])
        .await
        .unwrap();
    assert!(!again, "a second import adds nothing");

    assert_eq!(
        store.attachment("sub-1", 2).await.unwrap(),
        Some(attachments[1].clone())
    );
    assert_eq!(store.attachment_infos("sub-1").await.unwrap().len(), 2);

    let mut destroyed = submission("sub-2", "2024-04-02");
    destroyed.raw_destroyed = true;
    destroyed.input = SubmissionInput::default();
    assert!(store.import_submission(&destroyed, &attachments).await.unwrap());
    assert!(
        store.attachment_infos("sub-2").await.unwrap().is_empty(),
        "no data key, so no attachments"
    );
}

async fn concurrent_submissions_commit_independently(database: TestDatabase) {
    let store = database.open().await;
    store
        .insert_submission(&submission("sub-taken", "2024-04-01"), "{}")
        .await
        .unwrap();
    store.attach_receipt("sub-taken", &[7; 32]).await.unwrap();

    let writes = (0..40).map(|index| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            let id = format!("sub-{index:02}");
            store
                .insert_submission(&submission(&id, "2024-04-02"), "{}")
                .await?;
            // Every tenth write reuses a taken receipt hash and must fail alone.
            let hash = if index % 10 == 0 {
                [7; 32]
            } else {
                [index as u8 + 100; 32]
            };
            store.attach_receipt(&id, &hash).await
        })
    });
    let mut failures = 0;
    for write in writes {
        if write.await.unwrap().is_err() {
            failures += 1;
        }
    }
    assert_eq!(failures, 4, "only the writes with a taken receipt hash fail");

    let pending = store
        .submissions_with_status(SubmissionStatus::Pending, 100)
        .await
        .unwrap();
    assert_eq!(pending.len(), 41, "every submission was stored");
    let with_receipt = pending
        .iter()
        .filter(|submission| submission.receipt_hash.is_some())
        .count();
    assert_eq!(with_receipt, 37);
}
