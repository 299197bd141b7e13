//! The search parameters shared by `/reports`, `GET /api/v1/reports` and the search feed, with
//! their validation. Every rejected value yields an error that names its parameter.

use std::collections::BTreeMap;

use nearmiss_core::taxonomy::{Field, CONTEXT_FIELDS, CONTRIBUTING_FACTORS, EVENT_TYPE, REGION};

/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// Deepest page a search may ask for; collecting the top `page * PAGE_SIZE` hits costs memory
/// and time in proportion, and nobody reads this far.
pub const MAX_PAGE: usize = 500;
/// Longest accepted `q`, in bytes.
pub const MAX_QUERY_BYTES: usize = 1_000;
/// Most values one request may filter on, over all fields.
pub const MAX_FILTER_VALUES: usize = 100;
/// Earliest and latest event year accepted by `year_from` and `year_to`.
pub const YEARS: std::ops::RangeInclusive<u64> = 1900..=2100;

/// Parameters that take one value.
const SINGLE_PARAMETERS: [&str; 5] = ["q", "year_from", "year_to", "sort", "page"];

/// Name of the filter parameter on the source codes kept from other systems.
pub const SOURCE_TAG: &str = "source_tag";
const MAX_SOURCE_TAG_BYTES: usize = 100;

/// A coded field that can be filtered on and counted.
#[derive(Debug, Clone, Copy)]
pub struct FacetField {
    /// Parameter name, index field name and key in the `facets` object.
    pub name: &'static str,
    /// Taxonomy field whose slugs are the only valid values; `None` for open vocabularies.
    pub taxonomy: Option<&'static Field>,
}

impl FacetField {
    pub fn label(&self) -> &'static str {
        match self.taxonomy {
            Some(field) => field.label,
            None => "Source codes",
        }
    }
}

/// Every filterable field: event type, contributing factors, the context fields, the census
/// region and the source codes, in the order the reports page shows them.
pub fn facet_fields() -> Vec<FacetField> {
    let mut fields = vec![
        FacetField {
            name: EVENT_TYPE.name,
            taxonomy: Some(&EVENT_TYPE),
        },
        FacetField {
            name: CONTRIBUTING_FACTORS.name,
            taxonomy: Some(&CONTRIBUTING_FACTORS),
        },
        FacetField {
            name: REGION.name,
            taxonomy: Some(&REGION),
        },
    ];
    fields.extend(CONTEXT_FIELDS.iter().map(|field| FacetField {
        name: field.name,
        taxonomy: Some(field),
    }));
    fields.push(FacetField {
        name: SOURCE_TAG,
        taxonomy: None,
    });
    fields
}

pub fn facet_field(name: &str) -> Option<FacetField> {
    facet_fields().into_iter().find(|field| field.name == name)
}

/// Order of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best BM25 match first; without `q` every report scores the same, so this falls back to
    /// the newest order.
    Relevance,
    /// The store's order: publication day, then event month, then change number, newest first.
    Newest,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
        }
    }
}

/// A rejected parameter: its name and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid parameter {parameter}: {message}")]
pub struct ParameterError {
    pub parameter: String,
    pub message: String,
}

fn invalid(parameter: &str, message: impl Into<String>) -> ParameterError {
    ParameterError {
        parameter: parameter.to_owned(),
        message: message.into(),
    }
}

/// A validated search: free text, filters, event-year range, order and page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The `q` parameter, trimmed; empty when absent.
    pub text: String,
    /// Selected values per facet field name; values within a field are ORed, fields are ANDed.
    pub filters: BTreeMap<&'static str, Vec<String>>,
    pub year_from: Option<u64>,
    pub year_to: Option<u64>,
    /// The `sort` parameter as given; `None` means relevance with `q` and newest without.
    pub sort_parameter: Option<Sort>,
    /// 1-based.
    pub page: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            text: String::new(),
            filters: BTreeMap::new(),
            year_from: None,
            year_to: None,
            sort_parameter: None,
            page: 1,
        }
    }
}

impl SearchRequest {
    /// Parses decoded query-string pairs. Empty values count as absent, so that a GET form
    /// with blank inputs works. Unknown names are rejected.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<SearchRequest, ParameterError> {
        let mut request = SearchRequest::default();
        let mut seen_single: Vec<&str> = Vec::new();
        let mut filter_values = 0;

        for (name, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let name = name.as_str();

            if let Some(field) = facet_field(name) {
                filter_values += 1;
                if filter_values > MAX_FILTER_VALUES {
                    return Err(invalid(
                        name,
                        format!("too many filter values: the limit is {MAX_FILTER_VALUES}"),
                    ));
                }
                let value = check_filter_value(&field, value)?;
                let values = request.filters.entry(field.name).or_default();
                if !values.contains(&value) {
                    values.push(value);
                }
                continue;
            }

            let Some(single) = SINGLE_PARAMETERS.iter().copied().find(|known| *known == name) else {
                return Err(invalid(name, "unknown parameter; see the API documentation"));
            };
            if seen_single.contains(&single) {
                return Err(invalid(name, "given more than once; give it once"));
            }
            seen_single.push(single);
            match single {
                "q" => request.text = check_text(value)?,
                "year_from" => request.year_from = Some(parse_year(name, value)?),
                "year_to" => request.year_to = Some(parse_year(name, value)?),
                "sort" => request.sort_parameter = Some(parse_sort(value)?),
                _ => request.page = parse_page(value)?,
            }
        }

        if let (Some(from), Some(to)) = (request.year_from, request.year_to) {
            if from > to {
                return Err(invalid(
                    "year_from",
                    format!("{from} is after year_to {to}; swap them"),
                ));
            }
        }
        Ok(request)
    }

    pub fn sort(&self) -> Sort {
        match self.sort_parameter {
            Some(sort) => sort,
            None if self.text.is_empty() => Sort::Newest,
            None => Sort::Relevance,
        }
    }

    /// Whether the request only pages through all reports in the default order.
    pub fn is_plain_listing(&self) -> bool {
        self.text.is_empty()
            && self.filters.is_empty()
            && self.year_from.is_none()
            && self.year_to.is_none()
            && self.sort() == Sort::Newest
    }

    /// Whether `value` is selected for the facet field `name`.
    pub fn is_selected(&self, name: &str, value: &str) -> bool {
        self.filters
            .get(name)
            .is_some_and(|values| values.iter().any(|selected| selected == value))
    }

    /// The parameters that reproduce this search, page excluded, in a stable order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q".to_owned(), self.text.clone()));
        }
        for field in facet_fields() {
            for value in self.filters.get(field.name).into_iter().flatten() {
                pairs.push((field.name.to_owned(), value.clone()));
            }
        }
        if let Some(year) = self.year_from {
            pairs.push(("year_from".to_owned(), year.to_string()));
        }
        if let Some(year) = self.year_to {
            pairs.push(("year_to".to_owned(), year.to_string()));
        }
        if let Some(sort) = self.sort_parameter {
            pairs.push(("sort".to_owned(), sort.as_str().to_owned()));
        }
        pairs
    }

    /// The same search without one parameter value, on its first page.
    pub fn without(&self, name: &str, value: &str) -> SearchRequest {
        let mut request = self.clone();
        request.page = 1;
        match name {
            "q" => request.text.clear(),
            "year_from" => request.year_from = None,
            "year_to" => request.year_to = None,
            "sort" => request.sort_parameter = None,
            _ => {
                if let Some(values) = request.filters.get_mut(name) {
                    values.retain(|selected| selected != value);
                    if values.is_empty() {
                        request.filters.remove(name);
                    }
                }
            }
        }
        request
    }
}

fn check_filter_value(field: &FacetField, value: &str) -> Result<String, ParameterError> {
    match field.taxonomy {
        Some(taxonomy) if taxonomy.term(value).is_none() => Err(invalid(
            field.name,
            format!(
                "unknown value {value:?}; GET /api/v1/taxonomy lists the valid values of {}",
                field.name
            ),
        )),
        Some(_) => Ok(value.to_owned()),
        None if value.len() > MAX_SOURCE_TAG_BYTES => Err(invalid(
            field.name,
            format!("value too long: the limit is {MAX_SOURCE_TAG_BYTES} bytes"),
        )),
        None => Ok(value.to_owned()),
    }
}

fn check_text(value: &str) -> Result<String, ParameterError> {
    if value.len() > MAX_QUERY_BYTES {
        return Err(invalid(
            "q",
            format!("query too long: the limit is {MAX_QUERY_BYTES} bytes"),
        ));
    }
    Ok(value.to_owned())
}

fn parse_year(name: &str, value: &str) -> Result<u64, ParameterError> {
    match value.parse::<u64>() {
        Ok(year) if YEARS.contains(&year) => Ok(year),
        _ => Err(invalid(
            name,
            format!(
                "{value:?} is not a year from {} to {}; give four digits such as 2019",
                YEARS.start(),
                YEARS.end()
            ),
        )),
    }
}

fn parse_sort(value: &str) -> Result<Sort, ParameterError> {
    match value {
        "relevance" => Ok(Sort::Relevance),
        "newest" => Ok(Sort::Newest),
        _ => Err(invalid(
            "sort",
            format!("unknown order {value:?}; use relevance or newest"),
        )),
    }
}

fn parse_page(value: &str) -> Result<usize, ParameterError> {
    match value.parse::<usize>() {
        Ok(page) if (1..=MAX_PAGE).contains(&page) => Ok(page),
        _ => Err(invalid(
            "page",
            format!("{value:?} is not a page number from 1 to {MAX_PAGE}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn parses_repeated_filters() {
        let request = SearchRequest::from_pairs(&pairs(&[
            ("q", " knife "),
            ("state", "TX"),
            ("state", "CA"),
            ("state", "TX"),
            ("time_of_day", "night"),
            ("source_tag", "Inflight Event / Encounter.Other"),
            ("year_from", "2001"),
            ("page", "2"),
            ("event_type", ""),
        ]))
        .unwrap();
        assert_eq!(request.text, "knife");
        assert_eq!(request.filters["state"], ["TX", "CA"]);
        assert_eq!(request.filters["time_of_day"], ["night"]);
        assert_eq!(request.filters.len(), 3, "blank event_type is absent");
        assert_eq!(request.year_from, Some(2001));
        assert_eq!(request.page, 2);
        assert_eq!(request.sort(), Sort::Relevance);
    }

    #[test]
    fn rejections_name_parameter() {
        let cases = [
            (("state", "Texas"), "state"),
            (("region", "north"), "region"),
            (("year_to", "20x1"), "year_to"),
            (("sort", "oldest"), "sort"),
            (("page", "0"), "page"),
            (("page", "501"), "page"),
            (("colour", "red"), "colour"),
        ];
        for ((name, value), parameter) in cases {
            let error = SearchRequest::from_pairs(&pairs(&[(name, value)])).unwrap_err();
            assert_eq!(error.parameter, parameter, "{name}={value}");
        }
        let repeated = SearchRequest::from_pairs(&pairs(&[("q", "a"), ("q", "b")])).unwrap_err();
        assert_eq!(repeated.parameter, "q");
        let reversed =
            SearchRequest::from_pairs(&pairs(&[("year_from", "2010"), ("year_to", "2001")])).unwrap_err();
        assert_eq!(reversed.parameter, "year_from");
    }

    #[test]
    fn plain_listing_and_removal() {
        let plain = SearchRequest::from_pairs(&pairs(&[("page", "3")])).unwrap();
        assert!(plain.is_plain_listing());

        let request =
            SearchRequest::from_pairs(&pairs(&[("state", "TX"), ("state", "CA"), ("q", "gun")])).unwrap();
        assert!(!request.is_plain_listing());
        let narrower = request.without("state", "TX");
        assert_eq!(narrower.filters["state"], ["CA"]);
        assert_eq!(
            narrower.to_pairs(),
            pairs(&[("q", "gun"), ("state", "CA")]),
            "pairs keep a stable order"
        );
        assert!(request
            .without("q", "")
            .without("state", "TX")
            .without("state", "CA")
            .is_plain_listing());
    }
}
