//! Facet counts and facet filters. Each segment's facet columns are copied once into dense
//! tables of term ordinals when a searcher that uses the segment is warmed. The single-valued
//! fields of a document also lie side by side in one row, so counting a document reads one
//! short row instead of one column per field. Ordinals become values once per segment.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SearcherGeneration, SegmentOrdinal, SegmentReader, Warmer};

use crate::request::facet_fields;

/// Counts per value, per facet field name.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// Facet tables of the segments that live searchers use.
#[derive(Default)]
pub(crate) struct FacetTables {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentTable>>>,
}

impl FacetTables {
    fn for_segment(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentTable>> {
        let id = segment.segment_id();
        if let Some(table) = self.lock().get(&id) {
            return Ok(Arc::clone(table));
        }
        // Built outside the lock: a large segment takes a while, and two searches that race
        // here build the same table.
        let table = Arc::new(SegmentTable::build(segment)?);
        self.lock().insert(id, Arc::clone(&table));
        Ok(table)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentTable>>> {
        self.segments.lock().expect("facet table lock poisoned")
    }
}

impl Warmer for FacetTables {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.for_segment(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        self.lock().retain(|id, _| {
            live_generations
                .iter()
                .any(|generation| generation.segments().contains_key(id))
        });
    }
}

/// The facet columns of one segment as term ordinals.
struct SegmentTable {
    fields: Vec<FieldTable>,
    /// The `Bytes` fields again, row by row: for each document, `width` bytes side by side, so
    /// that counting many fields of one document reads one short row.
    rows: Vec<u8>,
    width: usize,
}

struct FieldTable {
    name: &'static str,
    /// The column, kept to turn ordinals into values; `None` when no document of the segment
    /// has the field.
    column: Option<StrColumn>,
    layout: Layout,
}

enum Layout {
    /// One value at most per document, fewer than 255 terms: the term ordinal plus one per
    /// document, 0 for none, and the field's position in the rows.
    Bytes {
        values: Vec<u8>,
        position: usize,
    },
    /// Several values per document, at most 64 terms: one bit per term ordinal.
    Masks(Vec<u64>),
    /// Any other field: the ordinals of document `d` are `ordinals[offsets[d]..offsets[d + 1]]`.
    Lists {
        offsets: Vec<u32>,
        ordinals: Vec<u32>,
    },
    Missing,
}

impl SegmentTable {
    fn build(segment: &SegmentReader) -> tantivy::Result<SegmentTable> {
        let max_doc = segment.max_doc();
        let mut fields = Vec::new();
        let mut width = 0;
        for field in facet_fields() {
            let column = segment.fast_fields().str(field.name)?;
            let layout = match &column {
                None => Layout::Missing,
                Some(column) => {
                    let ords = column.ords();
                    let terms = column.num_terms();
                    if ords.get_cardinality() != Cardinality::Multivalued && terms < usize::from(u8::MAX) {
                        let values = (0..max_doc)
                            .map(|doc| {
                                ords.values_for_doc(doc)
                                    .next()
                                    .map_or(0, |ordinal| ordinal as u8 + 1)
                            })
                            .collect();
                        width += 1;
                        Layout::Bytes {
                            values,
                            position: width - 1,
                        }
                    } else if terms <= 64 {
                        let masks = (0..max_doc)
                            .map(|doc| {
                                ords.values_for_doc(doc)
                                    .fold(0u64, |mask, ordinal| mask | 1 << ordinal)
                            })
                            .collect();
                        Layout::Masks(masks)
                    } else {
                        let mut offsets = Vec::with_capacity(max_doc as usize + 1);
                        let mut ordinals = Vec::new();
                        offsets.push(0);
                        for doc in 0..max_doc {
                            ordinals.extend(ords.values_for_doc(doc).map(|ordinal| ordinal as u32));
                            offsets.push(ordinals.len() as u32);
                        }
                        Layout::Lists { offsets, ordinals }
                    }
                }
            };
            fields.push(FieldTable {
                name: field.name,
                column,
                layout,
            });
        }

        let mut rows = vec![0u8; max_doc as usize * width];
        for field in &fields {
            if let Layout::Bytes { values, position } = &field.layout {
                for (doc, value) in values.iter().enumerate() {
                    rows[doc * width + position] = *value;
                }
            }
        }
        Ok(SegmentTable { fields, rows, width })
    }
}

/// Plan for counting some fields of a segment's table: the fields and their slots in a count vector.
struct CountPlan {
    /// Requested fields: index in `table.fields` and first slot in the counts.
    requested: Vec<(usize, usize)>,
    /// Requested `Bytes` fields, read from the rows when there are several: position in the
    /// row and first slot.
    row_fields: Vec<(usize, usize)>,
    /// Other requested fields, and a lone `Bytes` field, which is read from its own column
    /// (far smaller than the rows, so it stays in the processor caches): index in
    /// `table.fields` and first slot.
    column_fields: Vec<(usize, usize)>,
    /// Per requested field, one slot for "no value" and then one per term ordinal.
    slots: usize,
}

impl CountPlan {
    fn new(table: &SegmentTable, names: &[&'static str]) -> CountPlan {
        let mut plan = CountPlan {
            requested: Vec::new(),
            row_fields: Vec::new(),
            column_fields: Vec::new(),
            slots: 0,
        };
        for (index, field) in table.fields.iter().enumerate() {
            let Some(column) = field.column.as_ref().filter(|_| names.contains(&field.name)) else {
                continue;
            };
            plan.requested.push((index, plan.slots));
            match field.layout {
                Layout::Bytes { position, .. } => plan.row_fields.push((position, plan.slots)),
                Layout::Masks(_) | Layout::Lists { .. } => plan.column_fields.push((index, plan.slots)),
                Layout::Missing => {}
            }
            plan.slots += 1 + column.num_terms();
        }
        if plan.row_fields.len() == 1 {
            let (position, first) = plan.row_fields.remove(0);
            let index = table
                .fields
                .iter()
                .position(
                    |field| matches!(field.layout, Layout::Bytes { position: at, .. } if at == position),
                )
                .expect("every row position belongs to a field");
            plan.column_fields.push((index, first));
        }
        plan
    }

    /// Counts the values of `docs`. A tight loop over documents gathered beforehand lets the
    /// processor overlap its memory reads, which interleaving with the query would prevent.
    fn count(&self, table: &SegmentTable, docs: &[DocId]) -> Vec<u32> {
        let mut counts = vec![0u32; self.slots];
        if !self.row_fields.is_empty() {
            let width = table.width;
            for &doc in docs {
                let row = &table.rows[doc as usize * width..(doc as usize + 1) * width];
                for &(position, first) in &self.row_fields {
                    counts[first + usize::from(row[position])] += 1;
                }
            }
        }
        for &(index, first) in &self.column_fields {
            match &table.fields[index].layout {
                Layout::Bytes { values, .. } => {
                    for &doc in docs {
                        counts[first + usize::from(values[doc as usize])] += 1;
                    }
                }
                Layout::Masks(masks) => {
                    for &doc in docs {
                        let mut mask = masks[doc as usize];
                        while mask != 0 {
                            counts[first + 1 + mask.trailing_zeros() as usize] += 1;
                            mask &= mask - 1;
                        }
                    }
                }
                Layout::Lists { offsets, ordinals } => {
                    for &doc in docs {
                        let doc = doc as usize;
                        for &ordinal in &ordinals[offsets[doc] as usize..offsets[doc + 1] as usize] {
                            counts[first + 1 + ordinal as usize] += 1;
                        }
                    }
                }
                Layout::Missing => {}
            }
        }
        counts
    }

    /// Adds the counts to `fruit`, turning term ordinals into values.
    fn add_to(&self, table: &SegmentTable, counts: &[u32], fruit: &mut FacetCounts) {
        let mut value = String::new();
        for &(index, first) in &self.requested {
            let field = &table.fields[index];
            let values = fruit.entry(field.name.to_owned()).or_default();
            let Some(column) = &field.column else {
                continue;
            };
            for ordinal in 0..column.num_terms() {
                let count = counts[first + 1 + ordinal];
                if count == 0 {
                    continue;
                }
                match column.ord_to_str(ordinal as u64, &mut value) {
                    Ok(true) => *values.entry(value.clone()).or_default() += u64::from(count),
                    Ok(false) => {}
                    Err(error) => {
                        tracing::warn!(%error, field = field.name, "cannot read a facet value; its count is left out")
                    }
                }
            }
        }
    }
}

fn merge_counts(names: &[&'static str], segments: Vec<FacetCounts>) -> FacetCounts {
    let mut merged = FacetCounts::new();
    for name in names {
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
    merged
}

/// Collector that applies the facet filters through the facet tables, passes the documents that
/// meet all of them to `inner` and counts every facet field. A filtered field is counted
/// without its own filter, over the documents that meet every other filter. One pass over
/// the documents that the query matches without facet filters gives all of this.
pub(crate) struct FilteredCollector<C> {
    pub inner: C,
    /// Accepted values per filtered field; a document meets a filter when one of its values
    /// is accepted.
    pub filters: Vec<(&'static str, Vec<String>)>,
    /// Fields to count, filtered ones included.
    pub fields: Vec<&'static str>,
    pub tables: Arc<FacetTables>,
}

pub(crate) struct FilteredSegmentCollector<S> {
    inner: S,
    table: Arc<SegmentTable>,
    filters: Vec<SegmentFilter>,
    plan: CountPlan,
    /// Documents that meet every filter.
    passing: Vec<DocId>,
    /// Documents that fail exactly one filter, by that filter's index.
    failing_one: Vec<Vec<DocId>>,
}

/// A filter as term ordinals of one segment.
struct SegmentFilter {
    field: usize,
    /// Per `Bytes` value (ordinal plus one), whether it is accepted.
    bytes: Vec<bool>,
    /// Accepted ordinals as bits, for `Masks`.
    mask: u64,
    /// Accepted ordinals, sorted, for `Lists`.
    ordinals: Vec<u32>,
    /// Counts the field for the documents that fail only this filter.
    plan: CountPlan,
}

impl SegmentFilter {
    fn accepts(&self, table: &SegmentTable, doc: usize) -> bool {
        match &table.fields[self.field].layout {
            Layout::Bytes { values, .. } => self.bytes[usize::from(values[doc])],
            Layout::Masks(masks) => masks[doc] & self.mask != 0,
            Layout::Lists { offsets, ordinals } => ordinals[offsets[doc] as usize..offsets[doc + 1] as usize]
                .iter()
                .any(|ordinal| self.ordinals.binary_search(ordinal).is_ok()),
            Layout::Missing => false,
        }
    }
}

impl<C: Collector> Collector for FilteredCollector<C> {
    type Fruit = (C::Fruit, FacetCounts);
    type Child = FilteredSegmentCollector<C::Child>;

    fn for_segment(
        &self,
        ordinal: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FilteredSegmentCollector<C::Child>> {
        let table = self.tables.for_segment(segment)?;
        let mut filters = Vec::with_capacity(self.filters.len());
        for (name, accepted) in &self.filters {
            let field = table
                .fields
                .iter()
                .position(|field| field.name == *name)
                .ok_or_else(|| tantivy::TantivyError::FieldNotFound((*name).to_owned()))?;
            let mut ordinals = Vec::new();
            if let Some(column) = &table.fields[field].column {
                for value in accepted {
                    if let Some(ordinal) = column.dictionary().term_ord(value)? {
                        ordinals.push(ordinal as u32);
                    }
                }
            }
            ordinals.sort_unstable();
            let mut bytes = vec![false; 256];
            let mut mask = 0u64;
            for &ordinal in &ordinals {
                if let Some(slot) = bytes.get_mut(ordinal as usize + 1) {
                    *slot = true;
                }
                if ordinal < 64 {
                    mask |= 1 << ordinal;
                }
            }
            filters.push(SegmentFilter {
                field,
                bytes,
                mask,
                ordinals,
                plan: CountPlan::new(&table, &[*name]),
            });
        }
        Ok(FilteredSegmentCollector {
            inner: self.inner.for_segment(ordinal, segment)?,
            plan: CountPlan::new(&table, &self.fields),
            failing_one: vec![Vec::new(); filters.len()],
            filters,
            table,
            passing: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        segments: Vec<(<C::Child as SegmentCollector>::Fruit, FacetCounts)>,
    ) -> tantivy::Result<Self::Fruit> {
        let (inner, counts): (Vec<_>, Vec<_>) = segments.into_iter().unzip();
        Ok((
            self.inner.merge_fruits(inner)?,
            merge_counts(&self.fields, counts),
        ))
    }
}

impl<S: SegmentCollector> SegmentCollector for FilteredSegmentCollector<S> {
    type Fruit = (S::Fruit, FacetCounts);

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut failed = None;
        for (index, filter) in self.filters.iter().enumerate() {
            if !filter.accepts(&self.table, doc as usize) {
                if failed.is_some() {
                    return;
                }
                failed = Some(index);
            }
        }
        match failed {
            None => {
                self.inner.collect(doc, score);
                self.passing.push(doc);
            }
            Some(index) => self.failing_one[index].push(doc),
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut fruit = FacetCounts::new();
        let counts = self.plan.count(&self.table, &self.passing);
        self.plan.add_to(&self.table, &counts, &mut fruit);
        for (filter, docs) in self.filters.iter().zip(&self.failing_one) {
            let counts = filter.plan.count(&self.table, docs);
            filter.plan.add_to(&self.table, &counts, &mut fruit);
        }
        (self.inner.harvest(), fruit)
    }
}
