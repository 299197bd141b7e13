//! View models of the report pages and feeds: search form, facet checkboxes with counts,
//! active filters with removal links, highlighted snippets and Atom entries.

use std::sync::Arc;

use askama::Template;
use nearmiss_app::{facet_fields, FacetField, ReportSearch, SearchRequest, SnippetPart, Sort};
use nearmiss_core::Report;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as they are in a query-string component (RFC 3986 unreserved).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// Open-vocabulary values (source codes) listed per field, most frequent first.
const MAX_OPEN_VALUES: usize = 40;

/// `path?name=value&...` for the given pairs; `path` alone when there are none.
pub fn link(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                utf8_percent_encode(name, COMPONENT),
                utf8_percent_encode(value, COMPONENT)
            )
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

fn page_link(request: &SearchRequest, page: usize) -> String {
    let mut pairs = request.to_pairs();
    if page > 1 {
        pairs.push(("page".to_owned(), page.to_string()));
    }
    link("/reports", &pairs)
}

/// A result in the list: the report and its snippet, empty without a text query.
pub struct ResultView {
    pub report: Report,
    pub snippet: Vec<SnippetPart>,
}

/// One checkbox of a facet field.
pub struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
}

/// A facet field with its options, open when the search filters on it.
pub struct FacetGroup {
    pub name: &'static str,
    pub label: &'static str,
    pub open: bool,
    pub options: Vec<FacetOption>,
}

/// An active filter and the link to the same search without it.
pub struct ActiveFilter {
    pub label: String,
    pub remove_link: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub total: u64,
    pub page: usize,
    pub page_count: usize,
    pub text: String,
    pub relevance: bool,
    pub year_from: String,
    pub year_to: String,
    pub results: Vec<ResultView>,
    pub groups: Vec<FacetGroup>,
    pub active: Vec<ActiveFilter>,
    pub clear_link: String,
    pub previous_link: Option<String>,
    pub next_link: Option<String>,
    pub feed_link: String,
}

impl ReportsPage {
    pub fn new(search: ReportSearch) -> Self {
        let request = &search.request;
        let groups = facet_fields()
            .into_iter()
            .map(|field| facet_group(field, &search))
            .filter(|group| !group.options.is_empty())
            .collect();

        ReportsPage {
            total: search.total,
            page: search.page,
            page_count: search.page_count,
            text: request.text.clone(),
            relevance: request.sort() == Sort::Relevance,
            year_from: request.year_from.map(|year| year.to_string()).unwrap_or_default(),
            year_to: request.year_to.map(|year| year.to_string()).unwrap_or_default(),
            groups,
            active: active_filters(request),
            clear_link: "/reports".to_owned(),
            previous_link: (search.page > 1).then(|| page_link(request, search.page - 1)),
            next_link: (search.page < search.page_count).then(|| page_link(request, search.page + 1)),
            feed_link: link("/feeds/search.atom", &request.to_pairs()),
            results: search
                .hits
                .into_iter()
                .map(|hit| ResultView {
                    report: hit.report,
                    snippet: hit.snippet,
                })
                .collect(),
        }
    }
}

fn facet_group(field: FacetField, search: &ReportSearch) -> FacetGroup {
    let empty = Default::default();
    let counts = search.facets.get(field.name).unwrap_or(&empty);
    let checked = |value: &str| search.request.is_selected(field.name, value);

    let options: Vec<FacetOption> = match field.taxonomy {
        Some(taxonomy) => taxonomy
            .terms
            .iter()
            .map(|term| FacetOption {
                value: term.slug.to_owned(),
                label: term.label.to_owned(),
                count: counts.get(term.slug).copied().unwrap_or(0),
                checked: checked(term.slug),
            })
            .filter(|option| option.count > 0 || option.checked)
            .collect(),
        None => {
            let mut values: Vec<(&String, &u64)> = counts.iter().collect();
            values.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            let mut options: Vec<FacetOption> = values
                .into_iter()
                .take(MAX_OPEN_VALUES)
                .map(|(value, count)| FacetOption {
                    value: value.clone(),
                    label: value.clone(),
                    count: *count,
                    checked: checked(value),
                })
                .collect();
            for value in search.request.filters.get(field.name).into_iter().flatten() {
                if !options.iter().any(|option| &option.value == value) {
                    options.push(FacetOption {
                        value: value.clone(),
                        label: value.clone(),
                        count: counts.get(value).copied().unwrap_or(0),
                        checked: true,
                    });
                }
            }
            options
        }
    };

    FacetGroup {
        name: field.name,
        label: field.label(),
        open: search.request.filters.contains_key(field.name),
        options,
    }
}

fn active_filters(request: &SearchRequest) -> Vec<ActiveFilter> {
    let remove = |name: &str, value: &str| link("/reports", &request.without(name, value).to_pairs());
    let mut active = Vec::new();

    if !request.text.is_empty() {
        active.push(ActiveFilter {
            label: format!("Text: {}", request.text),
            remove_link: remove("q", ""),
        });
    }
    for field in facet_fields() {
        for value in request.filters.get(field.name).into_iter().flatten() {
            let value_label = match field.taxonomy {
                Some(taxonomy) => taxonomy.label_of(value),
                None => value.as_str(),
            };
            active.push(ActiveFilter {
                label: format!("{}: {value_label}", field.label()),
                remove_link: remove(field.name, value),
            });
        }
    }
    if let Some(year) = request.year_from {
        active.push(ActiveFilter {
            label: format!("From {year}"),
            remove_link: remove("year_from", ""),
        });
    }
    if let Some(year) = request.year_to {
        active.push(ActiveFilter {
            label: format!("Until {year}"),
            remove_link: remove("year_to", ""),
        });
    }
    active
}

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub report: Arc<Report>,
    pub similar: Vec<Report>,
}

/// One entry of an Atom feed.
pub struct FeedEntry {
    pub id: String,
    pub title: String,
    /// RFC 3339; reports carry only their publication day, so the time is midnight UTC.
    pub updated: String,
    pub summary: String,
    pub content: String,
    pub category: &'static str,
}

impl FeedEntry {
    fn new(report: &Report) -> Self {
        let summary = if report.summary.is_empty() {
            excerpt(&report.what_happened, 300)
        } else {
            report.summary.clone()
        };
        FeedEntry {
            id: report.id.clone(),
            title: report.title.clone(),
            updated: atom_time(&report.published_on),
            summary,
            content: nearmiss_app::narrative_text(report),
            category: report.event_type_label(),
        }
    }
}

/// An Atom feed (RFC 4287). Askama escapes every value for XML in `.xml` templates.
#[derive(Template)]
#[template(path = "feed.xml")]
pub struct AtomFeed {
    pub title: String,
    pub id: String,
    /// Path of the feed itself, with its query string.
    pub self_link: String,
    /// Path of the HTML page showing the same reports.
    pub page_link: String,
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

impl AtomFeed {
    /// Builds a feed; `key` names the feed in its id, as Atom ids must be absolute IRIs.
    pub fn new(title: String, key: &str, self_link: String, page_link: String, reports: &[Report]) -> Self {
        let newest_day = reports.iter().map(|report| report.published_on.as_str()).max();
        AtomFeed {
            title,
            id: format!("urn:nearmiss:feed:{}", utf8_percent_encode(key, COMPONENT)),
            self_link,
            page_link,
            updated: atom_time(newest_day.unwrap_or("1970-01-01")),
            entries: reports.iter().map(FeedEntry::new).collect(),
        }
    }
}

fn atom_time(day: &str) -> String {
    format!("{day}T00:00:00Z")
}

fn excerpt(text: &str, max_chars: usize) -> String {
    let mut excerpt: String = text.chars().take(max_chars).collect();
    if excerpt.len() < text.len() {
        excerpt.push_str("...");
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_encodes_components() {
        let pairs = vec![
            ("q".to_owned(), "\"knife\" & gun".to_owned()),
            (
                "source_tag".to_owned(),
                "Deviation / Discrepancy - Procedural".to_owned(),
            ),
        ];
        assert_eq!(
            link("/reports", &pairs),
            "/reports?q=%22knife%22%20%26%20gun&source_tag=Deviation%20%2F%20Discrepancy%20-%20Procedural"
        );
        assert_eq!(link("/reports", &[]), "/reports");
    }
}
