//! Facet counts: for each matching document, the values of chosen keyword fields are counted
//! through their columnar (fast field) term ordinals, and the ordinals are turned into values
//! once per segment at the end.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value, per facet field name.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// Counts the values of the named keyword fields over the matching documents.
pub struct FacetCollector {
    pub fields: Vec<&'static str>,
}

pub struct FacetSegmentCollector {
    columns: Vec<(&'static str, Option<StrColumn>)>,
    /// Per field, a count per term ordinal of this segment.
    counts: Vec<Vec<u64>>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let mut columns = Vec::with_capacity(self.fields.len());
        let mut counts = Vec::with_capacity(self.fields.len());
        for name in &self.fields {
            let column = segment.fast_fields().str(name)?;
            counts.push(vec![0; column.as_ref().map_or(0, |column| column.num_terms())]);
            columns.push((*name, column));
        }
        Ok(FacetSegmentCollector { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged = FacetCounts::new();
        for name in &self.fields {
            merged.insert((*name).to_owned(), BTreeMap::new());
        }
        for segment in segments {
            for (name, values) in segment {
                let counts = merged.entry(name).or_default();
                for (value, count) in values {
                    *counts.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for ((_, column), counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            let Some(column) = column else {
                continue;
            };
            for ordinal in column.ords().values_for_doc(doc) {
                counts[ordinal as usize] += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut fruit = FacetCounts::new();
        let mut value = String::new();
        for ((name, column), counts) in self.columns.into_iter().zip(self.counts) {
            let values = fruit.entry(name.to_owned()).or_default();
            let Some(column) = column else {
                continue;
            };
            for (ordinal, count) in counts.into_iter().enumerate() {
                if count == 0 {
                    continue;
                }
                match column.ord_to_str(ordinal as u64, &mut value) {
                    Ok(true) => {
                        values.insert(value.clone(), count);
                    }
                    Ok(false) => {}
                    Err(error) => {
                        tracing::warn!(%error, field = name, "cannot read a facet value; its count is left out")
                    }
                }
            }
        }
        fruit
    }
}
