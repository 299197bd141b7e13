//! Search benchmark: builds a synthetic corpus shaped like the ASRS exports, indexes it with
//! tantivy and with SQLite FTS5, runs the same query mix on both and prints latency per class.
//!
//! Usage: `bench REPORTS WORK_DIR ASRS_CSV...`. Run it through `scripts/bench/search.sh`.
//! With `BENCH_REUSE=1` in the environment, indexes left in WORK_DIR by an earlier run with the
//! same number of reports are reused instead of rebuilt. With `BENCH_TANTIVY_ONLY=1` the FTS5
//! baseline is neither built nor queried, for quick runs while tuning the tantivy side, and
//! `BENCH_CLASS=NAME` runs only the query class of that name.
//!
//! The tantivy side calls `SearchRequest::from_pairs` and `SearchIndex::search`, the functions
//! behind `GET /api/v1/reports` and `/reports`, so every tantivy query also computes the facet
//! counts of every facet field. The FTS5 side counts facets only in the class that requests
//! them, and stops sampling a class after `FTS_BUDGET`, so that its slow classes end in time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use nearmiss_core::taxonomy::{
    region_of_state, Field, CONTEXT_FIELDS, CONTRIBUTING_FACTORS, EVENT_TYPE, STATE,
};
use nearmiss_core::{Report, ReportSource};
use nearmiss_search::request::facet_fields;
use nearmiss_search::{narrative_text, SearchIndex, SearchRequest, WriterOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Row, SqliteConnection};

const QUERIES_PER_CLASS: usize = 40;
const ROUNDS: usize = 5;
const BUILD_CHUNK: usize = 10_000;
/// Time after which the FTS5 side takes no more samples of a class (at least one is taken).
const FTS_BUDGET: Duration = Duration::from_secs(120);

/// xorshift64*: deterministic, so that every run builds the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Values drawn in proportion to observed counts.
struct Weighted {
    values: Vec<String>,
    cumulative: Vec<u64>,
}

impl Weighted {
    fn new(counts: BTreeMap<String, u64>) -> Self {
        let mut values = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0;
        for (value, count) in counts {
            total += count;
            values.push(value);
            cumulative.push(total);
        }
        Weighted { values, cumulative }
    }

    fn draw(&self, rng: &mut Rng) -> &str {
        let target = rng.next() % self.cumulative.last().copied().unwrap_or(1);
        let index = self.cumulative.partition_point(|sum| *sum <= target);
        &self.values[index]
    }
}

/// Statistics of the ASRS files that shape the corpus: word frequencies, narrative lengths, tags.
struct Model {
    words: Weighted,
    lengths: Vec<usize>,
    tags: Weighted,
    /// Words ranked by frequency, most frequent first.
    ranked: Vec<String>,
}

fn read_model(files: &[PathBuf]) -> Model {
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    let mut tags: BTreeMap<String, u64> = BTreeMap::new();
    let mut lengths = Vec::new();
    for file in files {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(file)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
        let mut records = reader.records();
        let groups = records.next().expect("group header row").expect("valid CSV");
        let fields = records.next().expect("field header row").expect("valid CSV");
        let columns = |name: &str| -> Vec<usize> {
            (0..fields.len())
                .filter(|index| fields.get(*index) == Some(name))
                .collect()
        };
        let narratives = columns("Narrative");
        let anomaly: Vec<usize> = columns("Anomaly")
            .into_iter()
            .filter(|index| groups.get(*index) == Some("Events"))
            .collect();
        for record in records.flatten() {
            for index in &narratives {
                let text = record.get(*index).unwrap_or("");
                let count = text.split_whitespace().count();
                if count > 0 {
                    lengths.push(count.min(1_500));
                }
                for word in text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|word| word.len() > 1)
                {
                    *words.entry(word.to_lowercase()).or_default() += 1;
                }
            }
            for index in &anomaly {
                for tag in record
                    .get(*index)
                    .unwrap_or("")
                    .split(';')
                    .map(str::trim)
                    .filter(|tag| !tag.is_empty())
                {
                    *tags.entry(format!("Anomaly: {tag}")).or_default() += 1;
                }
            }
        }
    }
    let mut ranked: Vec<(String, u64)> = words.iter().map(|(word, count)| (word.clone(), *count)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Model {
        words: Weighted::new(words),
        lengths,
        tags: Weighted::new(tags),
        ranked: ranked.into_iter().map(|(word, _)| word).collect(),
    }
}

/// Draws a slug with a skew: earlier terms of a field are more frequent, as with real coding.
fn skewed<'a>(field: &'a Field, rng: &mut Rng) -> &'a str {
    let count = field.terms.len();
    let index = rng.below(count).min(rng.below(count));
    field.terms[index].slug
}

fn sentence(model: &Model, rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for index in 0..words {
        if index > 0 {
            text.push(' ');
        }
        text.push_str(model.words.draw(rng));
    }
    text
}

fn synthetic_report(model: &Model, rng: &mut Rng, number: usize) -> Report {
    let length = model.lengths[rng.below(model.lengths.len())].max(20);
    let mut context = BTreeMap::new();
    for field in CONTEXT_FIELDS {
        if rng.chance(60) {
            context.insert(field.name.to_owned(), skewed(field, rng).to_owned());
        }
    }
    let mut contributing_factors = Vec::new();
    for _ in 0..rng.below(4) {
        let factor = skewed(&CONTRIBUTING_FACTORS, rng).to_owned();
        if !contributing_factors.contains(&factor) {
            contributing_factors.push(factor);
        }
    }
    let mut source_tags = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let tag = model.tags.draw(rng).to_owned();
        if !source_tags.contains(&tag) {
            source_tags.push(tag);
        }
    }
    let title_words = 6 + rng.below(8);
    let summary_words = 20 + rng.below(30);
    Report {
        id: format!("{number:020x}"),
        change_number: number as i64 + 1,
        source: ReportSource::Asrs,
        source_key: Some(format!("bench:{number}")),
        title: sentence(model, rng, title_words),
        summary: sentence(model, rng, summary_words),
        what_happened: sentence(model, rng, length),
        lessons_learned: if rng.chance(50) {
            sentence(model, rng, 30)
        } else {
            String::new()
        },
        recommendations: String::new(),
        event_type: skewed(&EVENT_TYPE, rng).to_owned(),
        contributing_factors,
        context,
        event_month: format!("{}-{:02}", 1988 + rng.below(37), 1 + rng.below(12)),
        source_tags,
        published_on: format!(
            "20{:02}-{:02}-{:02}",
            15 + rng.below(11),
            1 + rng.below(12),
            1 + rng.below(28)
        ),
    }
}

/// One benchmark query: the request pairs, and the equivalent FTS5 plan.
struct BenchQuery {
    pairs: Vec<(String, String)>,
    /// FTS5 MATCH expression, if the query has text.
    matching: Option<String>,
    /// SQL conditions on `reports` (alias r) for the filters.
    conditions: Vec<String>,
    facets: bool,
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// Builds the fixed query mix: single terms, phrases, filters alone, and text with filters
/// and facet counts.
fn query_mix(model: &Model, rng: &mut Rng) -> Vec<(&'static str, Vec<BenchQuery>)> {
    // Words of middle frequency: frequent enough to match many reports, rare enough to mean
    // something (the top 100 are mostly function words).
    let term = |rng: &mut Rng| model.ranked[100 + rng.below(900)].clone();
    let state = |rng: &mut Rng| STATE.terms[rng.below(51)].slug.to_owned();

    let terms = (0..QUERIES_PER_CLASS)
        .map(|_| {
            let word = term(rng);
            BenchQuery {
                pairs: vec![pair("q", &word)],
                matching: Some(word),
                conditions: Vec::new(),
                facets: false,
            }
        })
        .collect();
    let phrases = (0..QUERIES_PER_CLASS)
        .map(|_| {
            let phrase = format!("{} {}", model.ranked[rng.below(60)], model.ranked[rng.below(60)]);
            BenchQuery {
                pairs: vec![pair("q", &format!("\"{phrase}\""))],
                matching: Some(format!("\"{phrase}\"")),
                conditions: Vec::new(),
                facets: false,
            }
        })
        .collect();
    let filters = (0..QUERIES_PER_CLASS)
        .map(|index| {
            let code = state(rng);
            let event_type = EVENT_TYPE.terms[rng.below(6)].slug;
            let (pairs, conditions) = match index % 3 {
                0 => (vec![pair("state", &code)], vec![format!("r.state = '{code}'")]),
                1 => (
                    vec![pair("time_of_day", "night"), pair("event_type", event_type)],
                    vec![
                        "r.time_of_day = 'night'".to_owned(),
                        format!("r.event_type = '{event_type}'"),
                    ],
                ),
                _ => (
                    vec![
                        pair("region", "west"),
                        pair("year_from", "2005"),
                        pair("year_to", "2012"),
                    ],
                    vec![
                        "r.region = 'west'".to_owned(),
                        "r.year BETWEEN 2005 AND 2012".to_owned(),
                    ],
                ),
            };
            BenchQuery {
                pairs,
                matching: None,
                conditions,
                facets: false,
            }
        })
        .collect();
    let combined = (0..QUERIES_PER_CLASS)
        .map(|index| {
            let word = term(rng);
            let mut pairs = vec![pair("q", &word)];
            let mut conditions = Vec::new();
            if index % 2 == 0 {
                let region = ["northeast", "midwest", "south", "west"][rng.below(4)];
                pairs.push(pair("region", region));
                conditions.push(format!("r.region = '{region}'"));
            } else {
                pairs.push(pair("time_of_day", "night"));
                pairs.push(pair("time_of_day", "evening"));
                conditions.push("r.time_of_day IN ('night', 'evening')".to_owned());
            }
            pairs.push(pair("year_from", "2000"));
            conditions.push("r.year >= 2000".to_owned());
            BenchQuery {
                pairs,
                matching: Some(word),
                conditions,
                facets: true,
            }
        })
        .collect();
    vec![
        ("single term", terms),
        ("phrase", phrases),
        ("filters only", filters),
        ("text+filters+facets", combined),
    ]
}

fn percentile(samples: &mut [Duration], fraction: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 * fraction).ceil() as usize).clamp(1, samples.len()) - 1;
    samples[index].as_secs_f64() * 1000.0
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| match entry.metadata() {
                    Ok(meta) if meta.is_dir() => dir_size(&entry.path()),
                    Ok(meta) => meta.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

const FTS_SCHEMA: &str = "
CREATE TABLE reports (rowid INTEGER PRIMARY KEY, id TEXT, report TEXT, event_type TEXT, region TEXT, year INTEGER,
    newest INTEGER, loss_potential TEXT, prevented_by TEXT, could_happen_again TEXT, assignment TEXT,
    experience TEXT, agency_type TEXT, agency_size TEXT, state TEXT, location_type TEXT, time_of_day TEXT,
    lighting TEXT, weather TEXT, officers_on_scene TEXT);
CREATE TABLE factors (rowid INTEGER, value TEXT);
CREATE TABLE tags (rowid INTEGER, value TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'porter unicode61');
";

const FTS_INDEXES: &str = "
CREATE INDEX reports_newest ON reports (newest);
CREATE INDEX reports_state ON reports (state);
CREATE INDEX reports_region ON reports (region);
CREATE INDEX reports_time ON reports (time_of_day);
CREATE INDEX reports_event_type ON reports (event_type);
CREATE INDEX reports_year ON reports (year);
CREATE INDEX factors_rowid ON factors (rowid);
CREATE INDEX tags_rowid ON tags (rowid);
";

/// Facet columns of the FTS5 baseline's `reports` table.
fn single_facet_columns() -> Vec<&'static str> {
    let mut columns = vec!["event_type", "region"];
    columns.extend(CONTEXT_FIELDS.iter().map(|field| field.name));
    columns
}

/// Opens the FTS5 baseline of an earlier run when reuse is requested and it contains `count` rows.
async fn reuse_fts(reuse: bool, path: &Path, count: usize) -> Option<SqliteConnection> {
    if !reuse || !path.exists() {
        return None;
    }
    let options = SqliteConnectOptions::from_str("sqlite://").ok()?.filename(path);
    let mut connection = SqliteConnection::connect_with(&options).await.ok()?;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM reports")
        .fetch_one(&mut connection)
        .await
        .ok()?;
    if rows != count as i64 {
        return None;
    }
    sqlx::raw_sql("CREATE TEMP TABLE matches (rowid INTEGER PRIMARY KEY)")
        .execute(&mut connection)
        .await
        .ok()?;
    Some(connection)
}

async fn build_fts(path: &Path, reports: &[Report]) -> Result<SqliteConnection, sqlx::Error> {
    let _ = std::fs::remove_file(path);
    let options = SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off);
    let mut connection = SqliteConnection::connect_with(&options).await?;
    sqlx::raw_sql(FTS_SCHEMA).execute(&mut connection).await?;

    let columns = single_facet_columns();
    let insert = format!(
        "INSERT INTO reports (rowid, id, report, year, newest, {}) VALUES ({})",
        columns.join(", "),
        (1..=columns.len() + 5)
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut transaction = connection.begin().await?;
    for (rowid, report) in reports.iter().enumerate() {
        let rowid = rowid as i64 + 1;
        let mut query = sqlx::query(&insert)
            .bind(rowid)
            .bind(&report.id)
            .bind(serde_json::to_string(report).unwrap())
            .bind(
                report
                    .event_month
                    .get(..4)
                    .and_then(|year| year.parse::<i64>().ok()),
            )
            .bind(report.change_number);
        for column in &columns {
            let value = match *column {
                "event_type" => Some(report.event_type.clone()),
                "region" => report
                    .context
                    .get("state")
                    .and_then(|state| region_of_state(state))
                    .map(str::to_owned),
                name => report.context.get(name).cloned(),
            };
            query = query.bind(value);
        }
        query.execute(&mut *transaction).await?;
        for factor in &report.contributing_factors {
            sqlx::query("INSERT INTO factors VALUES ($1, $2)")
                .bind(rowid)
                .bind(factor)
                .execute(&mut *transaction)
                .await?;
        }
        for tag in &report.source_tags {
            sqlx::query("INSERT INTO tags VALUES ($1, $2)")
                .bind(rowid)
                .bind(tag)
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query("INSERT INTO fts (rowid, title, body) VALUES ($1, $2, $3)")
            .bind(rowid)
            .bind(&report.title)
            .bind(narrative_text(report))
            .execute(&mut *transaction)
            .await?;
    }
    transaction.commit().await?;
    sqlx::raw_sql(FTS_INDEXES).execute(&mut connection).await?;
    sqlx::raw_sql("CREATE TEMP TABLE matches (rowid INTEGER PRIMARY KEY)")
        .execute(&mut connection)
        .await?;
    Ok(connection)
}

/// Prepares a statement, binding the MATCH expression as `$1` when there is one.
fn bound<'q>(
    sql: &'q str,
    matching: &'q Option<String>,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    let statement = sqlx::query(sql);
    match matching {
        Some(matching) => statement.bind(matching.as_str()),
        None => statement,
    }
}

/// Runs one query on the FTS5 baseline: total, first page of reports, and facet counts when
/// the query requests them. Returns the total.
async fn run_fts(connection: &mut SqliteConnection, query: &BenchQuery) -> Result<i64, sqlx::Error> {
    let mut from = "reports r".to_owned();
    let mut conditions = query.conditions.clone();
    if query.matching.is_some() {
        from = "fts JOIN reports r ON r.rowid = fts.rowid".to_owned();
        conditions.push("fts MATCH $1".to_owned());
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let order = if query.matching.is_some() {
        "bm25(fts)"
    } else {
        "r.newest DESC"
    };
    let count_sql = format!("SELECT count(*) FROM {from} {filter}");
    let page_sql = format!("SELECT r.report FROM {from} {filter} ORDER BY {order} LIMIT 20");
    let total: i64 = bound(&count_sql, &query.matching)
        .fetch_one(&mut *connection)
        .await?
        .get(0);
    let page = bound(&page_sql, &query.matching)
        .fetch_all(&mut *connection)
        .await?;
    for row in &page {
        let _: Report = serde_json::from_str(row.get::<&str, _>(0)).unwrap();
    }

    if query.facets {
        sqlx::query("DELETE FROM temp.matches")
            .execute(&mut *connection)
            .await?;
        let matches_sql = format!("INSERT INTO temp.matches SELECT r.rowid FROM {from} {filter}");
        bound(&matches_sql, &query.matching)
            .execute(&mut *connection)
            .await?;
        for column in single_facet_columns() {
            let sql = format!(
                "SELECT r.{column}, count(*) FROM temp.matches m JOIN reports r ON r.rowid = m.rowid \
                 WHERE r.{column} IS NOT NULL GROUP BY r.{column}"
            );
            sqlx::query(&sql).fetch_all(&mut *connection).await?;
        }
        for table in ["factors", "tags"] {
            let sql = format!("SELECT t.value, count(*) FROM temp.matches m JOIN {table} t ON t.rowid = m.rowid GROUP BY t.value");
            sqlx::query(&sql).fetch_all(&mut *connection).await?;
        }
    }
    Ok(total)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: bench REPORTS WORK_DIR ASRS_CSV...");
        std::process::exit(2);
    }
    let count: usize = args[1].parse().expect("REPORTS must be a whole number");
    let work = PathBuf::from(&args[2]);
    let files: Vec<PathBuf> = args[3..].iter().map(PathBuf::from).collect();
    std::fs::create_dir_all(&work).expect("cannot create WORK_DIR");

    let started = Instant::now();
    let model = read_model(&files);
    let mut rng = Rng(0x6E65_6172_6D69_7373);
    let reports: Vec<Report> = (0..count)
        .map(|number| synthetic_report(&model, &mut rng, number))
        .collect();
    println!(
        "corpus: {count} reports, {} distinct words, {} source tags, generated in {:.1} s",
        model.words.values.len(),
        model.tags.values.len(),
        started.elapsed().as_secs_f64()
    );

    let reuse = std::env::var("BENCH_REUSE").is_ok_and(|value| value == "1");
    let index_dir = work.join("tantivy");
    let reusable =
        reuse && SearchIndex::open(&index_dir).is_ok_and(|index| index.num_reports() == count as u64);
    if reusable {
        println!("tantivy: reusing the index in {}", index_dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&index_dir);
        let started = Instant::now();
        let options = WriterOptions {
            threads: 2,
            memory_bytes: 1024 * 1024 * 1024,
        };
        let index = SearchIndex::open_with(&index_dir, options).expect("cannot create the index");
        for chunk in reports.chunks(BUILD_CHUNK) {
            index.add_reports(chunk, true).expect("indexing failed");
        }
        index.commit(count as i64).expect("commit failed");
        index.wait_for_merges().expect("merge failed");
        println!(
            "tantivy: built in {:.1} s, {:.0} MB on disk",
            started.elapsed().as_secs_f64(),
            dir_size(&index_dir) as f64 / 1e6,
        );
    }
    let started = Instant::now();
    let index = SearchIndex::open(&index_dir).expect("cannot reopen the index");
    println!(
        "tantivy: opened {} reports in {:.1} s",
        index.num_reports(),
        started.elapsed().as_secs_f64()
    );

    let tantivy_only = std::env::var("BENCH_TANTIVY_ONLY").is_ok_and(|value| value == "1");
    let fts_path = work.join("fts5.sqlite3");
    let mut fts = match reuse_fts(reuse, &fts_path, count).await {
        _ if tantivy_only => None,
        Some(connection) => {
            println!("fts5: reusing {}", fts_path.display());
            Some(connection)
        }
        None => {
            let started = Instant::now();
            let connection = build_fts(&fts_path, &reports)
                .await
                .expect("cannot build the FTS5 baseline");
            println!(
                "fts5: built in {:.1} s, {:.0} MB on disk",
                started.elapsed().as_secs_f64(),
                std::fs::metadata(&fts_path).map_or(0, |meta| meta.len()) as f64 / 1e6
            );
            Some(connection)
        }
    };
    drop(reports);

    println!(
        "facet fields counted by every tantivy query: {}",
        facet_fields().len()
    );
    println!(
        "{:<22} {:>10} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9}",
        "class", "tantivy50", "tantivy99", "fts5 p50", "fts5 p99", "p50 x", "p99 x", "samples"
    );
    let only_class = std::env::var("BENCH_CLASS").ok();
    for (class, queries) in query_mix(&model, &mut rng) {
        if only_class.as_deref().is_some_and(|only| only != class) {
            continue;
        }
        let requests: Vec<SearchRequest> = queries
            .iter()
            .map(|query| SearchRequest::from_pairs(&query.pairs).expect("valid benchmark query"))
            .collect();
        for (request, query) in requests.iter().zip(&queries) {
            let ours = index.search(request).expect("search failed").total;
            let Some(fts) = fts.as_mut() else {
                continue;
            };
            let theirs = run_fts(fts, query).await.expect("FTS5 query failed");
            if query.matching.is_none() && ours != theirs as u64 {
                eprintln!(
                    "warning: {class} totals differ: tantivy {ours}, fts5 {theirs} for {:?}",
                    query.pairs
                );
            }
        }

        let mut tantivy_times = Vec::new();
        let mut slowest: (Duration, &[(String, String)]) = (Duration::ZERO, &[]);
        let mut fts_times = Vec::new();
        let mut fts_spent = Duration::ZERO;
        for _ in 0..ROUNDS {
            for (request, query) in requests.iter().zip(&queries) {
                let started = Instant::now();
                index.search(request).expect("search failed");
                tantivy_times.push(started.elapsed());
                if started.elapsed() > slowest.0 {
                    slowest = (started.elapsed(), &query.pairs);
                }

                if let Some(fts) = fts.as_mut().filter(|_| fts_spent < FTS_BUDGET) {
                    let started = Instant::now();
                    run_fts(fts, query).await.expect("FTS5 query failed");
                    fts_times.push(started.elapsed());
                    fts_spent += started.elapsed();
                }
            }
        }
        let samples = format!("{}/{}", tantivy_times.len(), fts_times.len());
        eprintln!(
            "{class}: slowest tantivy query {:.2} ms: {:?}",
            slowest.0.as_secs_f64() * 1000.0,
            slowest.1
        );
        let (t50, t99) = (
            percentile(&mut tantivy_times, 0.5),
            percentile(&mut tantivy_times, 0.99),
        );
        if fts_times.is_empty() {
            println!("{class:<22} {t50:>8.2}ms {t99:>8.2}ms {samples:>54}");
            continue;
        }
        let (f50, f99) = (percentile(&mut fts_times, 0.5), percentile(&mut fts_times, 0.99));
        println!(
            "{class:<22} {t50:>8.2}ms {t99:>8.2}ms {f50:>8.2}ms {f99:>8.2}ms {:>8.1}x {:>8.1}x {samples:>9}",
            f50 / t50,
            f99 / t99
        );
    }
}
