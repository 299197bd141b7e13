//! The tantivy index of published reports: opening, writing and searching.

use std::collections::BTreeSet;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use nearmiss_core::Report;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, MoreLikeThisQuery, Occur, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, Term, Warmer,
};

use crate::analyzer::{analyzer, ANALYZER};
use crate::facets::{FacetCounts, FacetTables, FilteredCollector};
use crate::request::{facet_fields, ParameterError, SearchRequest, Sort, PAGE_SIZE};
use crate::schema::{build_schema, document, narrative_text, Fields, SCHEMA_VERSION};
use crate::SearchError;

/// Maximum length of the snippet shown with a result, in characters.
const SNIPPET_CHARS: usize = 240;
/// Weight of a title match relative to a match in the narrative.
const TITLE_BOOST: f32 = 2.0;
/// Weight of sharing the event type, next to the text similarity, for similar reports.
const SAME_EVENT_TYPE_BOOST: f32 = 1.5;

/// Writer settings: indexing threads and their shared memory budget.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub threads: usize,
    pub memory_bytes: usize,
}

impl Default for WriterOptions {
    /// Returns one thread and 64 MB, enough for a server that applies a few reports at a time.
    fn default() -> Self {
        WriterOptions {
            threads: 1,
            memory_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Progress of the index along the store's change numbers.
#[derive(Debug, Default)]
pub(crate) struct FollowState {
    /// Highest change number applied and committed.
    pub applied: i64,
    /// Change numbers applied within the overlap window below `applied`; a re-read skips them.
    pub recent: BTreeSet<i64>,
}

/// One result: the report and, when the search has text, a snippet of its narrative.
#[derive(Debug, Clone)]
pub struct Hit {
    pub report: Report,
    pub snippet: Vec<SnippetPart>,
}

/// A piece of a snippet; `highlighted` pieces matched the query. The text is plain, not HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub highlighted: bool,
}

/// One page of search results with the facet counts of the whole result set.
#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: u64,
    pub page: usize,
    pub hits: Vec<Hit>,
    /// For each facet field, the number of matching reports per value. A field that the
    /// request filters on is counted without its own filter, so that its other values show
    /// how many reports choosing them as well would add.
    pub facets: FacetCounts,
}

/// The search index of one node, kept in its own directory.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    parser: QueryParser,
    pub(crate) follow: Mutex<FollowState>,
    /// Facet counts over all reports, for the searcher generation whose id is kept with them.
    all_facets: Mutex<Option<(u64, FacetCounts)>>,
    /// Facet columns of the live segments, warmed with each new searcher; the reader holds
    /// only a weak reference.
    facet_tables: Arc<FacetTables>,
    path: PathBuf,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index written with another schema
    /// version is deleted and created anew; following the store then rebuilds it.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        Self::open_with(dir, WriterOptions::default())
    }

    pub fn open_with(dir: &Path, options: WriterOptions) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = build_schema();
        let existing = match Index::open_in_dir(dir) {
            Ok(index) => match read_payload(&index) {
                Some((version, applied)) if version == SCHEMA_VERSION && index.schema() == schema => {
                    Some((index, applied))
                }
                _ => None,
            },
            Err(_) => None,
        };

        let created = existing.is_none();
        let (index, applied) = match existing {
            Some(found) => found,
            None => {
                if dir.exists() {
                    tracing::info!(path = %dir.display(), "search index has another schema version; rebuilding it");
                    std::fs::remove_dir_all(dir).map_err(|error| file_error(dir, error))?;
                }
                std::fs::create_dir_all(dir).map_err(|error| file_error(dir, error))?;
                (Index::create_in_dir(dir, schema)?, 0)
            }
        };
        index.tokenizers().register(ANALYZER, analyzer());

        let writer = index
            .writer_with_num_threads(options.threads, options.memory_bytes)
            .map_err(|error| match error {
                tantivy::TantivyError::LockFailure(..) => SearchError::InUse(dir.to_owned()),
                other => SearchError::Index(other),
            })?;
        let facet_tables = Arc::new(FacetTables::default());
        let warmer: Arc<dyn Warmer> = facet_tables.clone();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![fields.title, fields.text]);
        parser.set_field_boost(fields.title, TITLE_BOOST);

        let search_index = SearchIndex {
            reader,
            writer: Mutex::new(writer),
            fields,
            parser,
            follow: Mutex::new(FollowState {
                applied,
                recent: BTreeSet::new(),
            }),
            all_facets: Mutex::new(None),
            facet_tables,
            path: dir.to_owned(),
        };
        if created {
            // Records the schema version, so that reopening an index that is still empty
            // does not take it for one of another version.
            search_index.commit(0)?;
        }
        Ok(search_index)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Highest change number of the store that the index has applied and committed.
    pub fn applied_change_number(&self) -> i64 {
        self.follow.lock().expect("follow state lock poisoned").applied
    }

    pub fn num_reports(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Queues reports for indexing, replacing any earlier version of the same report unless
    /// `fresh` says the index cannot hold one. Nothing is visible before [`Self::commit`].
    pub fn add_reports(&self, reports: &[Report], fresh: bool) -> Result<(), SearchError> {
        let writer = self.writer.lock().expect("index writer lock poisoned");
        for report in reports {
            if !fresh {
                writer.delete_term(Term::from_field_text(self.fields.id, &report.id));
            }
            writer.add_document(document(&self.fields, report))?;
        }
        Ok(())
    }

    /// Commits queued changes, recording `applied` as the change number reached, and makes
    /// them visible to searches. Blocks on disk writes.
    pub fn commit(&self, applied: i64) -> Result<(), SearchError> {
        {
            let mut writer = self.writer.lock().expect("index writer lock poisoned");
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&format_payload(applied));
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Waits for background segment merges to finish, so that the index files are final.
    pub fn wait_for_merges(self) -> Result<(), SearchError> {
        let writer = self.writer.into_inner().expect("index writer lock poisoned");
        writer.wait_merging_threads()?;
        Ok(())
    }

    /// Runs a search: one page of hits in the requested order, the total and the facet counts.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let text_query = self.parse_text(&request.text)?;
        // The query contains the text and the year range. The collector applies the facet
        // filters, because a field's counts need the documents that fail only its filter.
        let query = self.build_query(text_query.as_deref(), request);
        let offset = (request.page - 1) * PAGE_SIZE;
        let top = TopDocs::with_limit(PAGE_SIZE).and_offset(offset);
        let (total, addresses, facets) = if request.sort() == Sort::Relevance && text_query.is_some() {
            self.collect(&searcher, &*query, request, (Count, top.order_by_score()))?
        } else {
            let newest = top.order_by_fast_field::<u64>("newest", Order::Desc);
            self.collect(&searcher, &*query, request, (Count, newest))?
        };

        let hits = self.hits(&searcher, &addresses, text_query.as_deref())?;
        Ok(SearchResults {
            total: total as u64,
            page: request.page,
            hits,
            facets,
        })
    }

    /// Runs `query` with the request's facet filters and counts, collecting the total and a
    /// page of hits with `page`.
    fn collect<T: 'static>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
        page: (Count, impl Collector<Fruit = Vec<(T, DocAddress)>>),
    ) -> Result<(usize, Vec<DocAddress>, FacetCounts), SearchError> {
        let matches_all = request.text.is_empty()
            && request.filters.is_empty()
            && request.year_from.is_none()
            && request.year_to.is_none();
        if matches_all {
            // Counts over every report are computed once per index version.
            let (total, top) = searcher.search(query, &page)?;
            let addresses = top.into_iter().map(|(_, address)| address).collect();
            return Ok((total, addresses, self.all_facets(searcher)?));
        }
        let filters = request
            .filters
            .iter()
            .map(|(name, values)| (*name, values.clone()))
            .collect();
        let filtered = self.filtered(page, filters);
        let ((total, top), facets) = searcher.search(query, &filtered)?;
        let addresses = top.into_iter().map(|(_, address)| address).collect();
        Ok((total, addresses, facets))
    }

    /// Returns up to `limit` published reports most like `report`, never `report` itself.
    pub fn similar(&self, report: &Report, limit: usize) -> Result<Vec<Report>, SearchError> {
        let searcher = self.reader.searcher();
        let max_doc_frequency = (searcher.num_docs() / 4).max(2);
        let like_this = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_max_doc_frequency(max_doc_frequency)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(25)
            .with_document_fields(vec![
                (self.fields.title, vec![OwnedValue::Str(report.title.clone())]),
                (self.fields.text, vec![OwnedValue::Str(narrative_text(report))]),
            ]);

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Should, Box::new(like_this)),
            (
                Occur::MustNot,
                Box::new(self.term_query(self.fields.id, &report.id)),
            ),
        ];
        if let Some(event_type) = self.fields.facet("event_type") {
            let same_type = self.term_query(event_type, &report.event_type);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(same_type), SAME_EVENT_TYPE_BOOST)),
            ));
        }

        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
        )?;
        let addresses: Vec<DocAddress> = top.into_iter().map(|(_, address)| address).collect();
        let reports = addresses
            .iter()
            .map(|address| self.stored_report(&searcher, *address))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(reports
            .into_iter()
            .filter(|similar| similar.id != report.id)
            .take(limit)
            .collect())
    }

    fn parse_text(&self, text: &str) -> Result<Option<Box<dyn Query>>, SearchError> {
        if text.is_empty() {
            return Ok(None);
        }
        // A query of excluded words alone means "every report but these".
        let parsed = match self.parser.parse_query(text) {
            Err(QueryParserError::AllButQueryForbidden) => self.parser.parse_query(&format!("* {text}")),
            other => other,
        };
        let query = parsed.map_err(|error| ParameterError {
            parameter: "q".to_owned(),
            message: format!(
                "cannot parse {text:?}: {error}; use words, \"quoted phrases\", +required and -excluded words"
            ),
        })?;
        Ok(Some(query))
    }

    /// Combines the text query with the event-year range. Filters add no score, so relevance
    /// comes from the text alone.
    fn build_query(&self, text: Option<&dyn Query>, request: &SearchRequest) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(text) = text {
            clauses.push((Occur::Must, text.box_clone()));
        }
        if request.year_from.is_some() || request.year_to.is_some() {
            let bound = |year: Option<u64>| match year {
                Some(year) => Bound::Included(Term::from_field_u64(self.fields.year, year)),
                None => Bound::Unbounded,
            };
            let years = RangeQuery::new(bound(request.year_from), bound(request.year_to));
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(years), 0.0))));
        }
        if clauses.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Wraps `inner` in the collector that applies `filters` and counts every facet field.
    fn filtered<C: Collector>(
        &self,
        inner: C,
        filters: Vec<(&'static str, Vec<String>)>,
    ) -> FilteredCollector<C> {
        FilteredCollector {
            inner,
            filters,
            fields: facet_fields().into_iter().map(|field| field.name).collect(),
            tables: Arc::clone(&self.facet_tables),
        }
    }

    /// Facet counts over every report in the index.
    pub fn facet_counts_of_all(&self) -> Result<FacetCounts, SearchError> {
        self.all_facets(&self.reader.searcher())
    }

    fn all_facets(&self, searcher: &Searcher) -> Result<FacetCounts, SearchError> {
        let generation = searcher.generation().generation_id();
        if let Some((cached, facets)) = &*self.all_facets.lock().expect("facet cache lock poisoned") {
            if *cached == generation {
                return Ok(facets.clone());
            }
        }

        let (_, facets) = searcher.search(&AllQuery, &self.filtered(Count, Vec::new()))?;
        *self.all_facets.lock().expect("facet cache lock poisoned") = Some((generation, facets.clone()));
        Ok(facets)
    }

    fn hits(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
        text_query: Option<&dyn Query>,
    ) -> Result<Vec<Hit>, SearchError> {
        let generator = match text_query {
            Some(query) => {
                let mut generator = SnippetGenerator::create(searcher, query, self.fields.text)?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                Some(generator)
            }
            None => None,
        };

        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let report = self.stored_report(searcher, *address)?;
            let snippet = match &generator {
                Some(generator) => snippet_parts(&generator.snippet(&narrative_text(&report))),
                None => Vec::new(),
            };
            hits.push(Hit { report, snippet });
        }
        Ok(hits)
    }

    fn stored_report(&self, searcher: &Searcher, address: DocAddress) -> Result<Report, SearchError> {
        let document: TantivyDocument = searcher.doc(address)?;
        let json = document
            .get_first(self.fields.report)
            .and_then(|value| value.as_str())
            .ok_or_else(|| SearchError::Corrupt("a document has no stored report".to_owned()))?;
        serde_json::from_str(json).map_err(|error| SearchError::Corrupt(format!("stored report: {error}")))
    }

    fn term_query(&self, field: tantivy::schema::Field, value: &str) -> TermQuery {
        TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic)
    }
}

/// Splits a snippet into plain-text pieces at the highlighted ranges.
fn snippet_parts(snippet: &tantivy::snippet::Snippet) -> Vec<SnippetPart> {
    let fragment = snippet.fragment();
    let mut parts = Vec::new();
    let mut start = 0;
    for range in tantivy::snippet::collapse_overlapped_ranges(snippet.highlighted()) {
        if range.start > start {
            parts.push(SnippetPart {
                text: fragment[start..range.start].to_owned(),
                highlighted: false,
            });
        }
        parts.push(SnippetPart {
            text: fragment[range.clone()].to_owned(),
            highlighted: true,
        });
        start = range.end;
    }
    if start < fragment.len() {
        parts.push(SnippetPart {
            text: fragment[start..].to_owned(),
            highlighted: false,
        });
    }
    parts
}

const PAYLOAD_PREFIX: &str = "nearmiss-search";

fn format_payload(applied: i64) -> String {
    format!("{PAYLOAD_PREFIX} schema={SCHEMA_VERSION} applied={applied}")
}

/// Reads the schema version and applied change number recorded by the last commit.
fn read_payload(index: &Index) -> Option<(u32, i64)> {
    let payload = index.load_metas().ok()?.payload?;
    let mut words = payload.split(' ');
    if words.next()? != PAYLOAD_PREFIX {
        return None;
    }
    let version = words.next()?.strip_prefix("schema=")?.parse().ok()?;
    let applied = words.next()?.strip_prefix("applied=")?.parse().ok()?;
    Some((version, applied))
}

pub(crate) fn file_error(path: &Path, error: std::io::Error) -> SearchError {
    SearchError::File(format!("{}: {error}", path.display()))
}
