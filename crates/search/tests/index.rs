//! Searches over a small index written directly, without a store.

use nearmiss_core::{Report, ReportSource};
use nearmiss_search::{SearchIndex, SearchRequest};

fn report(id: &str, change_number: i64, title: &str, what_happened: &str, state: &str) -> Report {
    Report {
        id: id.to_owned(),
        change_number,
        source: ReportSource::Submission,
        source_key: None,
        title: title.to_owned(),
        summary: String::new(),
        what_happened: what_happened.to_owned(),
        lessons_learned: String::new(),
        recommendations: String::new(),
        event_type: "traffic_stop".to_owned(),
        contributing_factors: vec!["complacency".to_owned()],
        context: [("state".to_owned(), state.to_owned())].into_iter().collect(),
        event_month: format!("20{:02}-03", 10 + change_number),
        source_tags: vec!["tag one".to_owned()],
        published_on: "2025-01-01".to_owned(),
    }
}

fn search(index: &SearchIndex, pairs: &[(&str, &str)]) -> (u64, Vec<String>) {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let results = index.search(&SearchRequest::from_pairs(&pairs).unwrap()).unwrap();
    let ids = results.hits.iter().map(|hit| hit.report.id.clone()).collect();
    (results.total, ids)
}

fn sample_index(dir: &std::path::Path) -> SearchIndex {
    let index = SearchIndex::open(dir).unwrap();
    let reports = [
        report(
            "a",
            1,
            "Knife in the glovebox",
            "The driver kept two knives within reach.",
            "TX",
        ),
        report(
            "b",
            2,
            "Pursuit at night",
            "A long pursuit ended in a field; a knife was found.",
            "CA",
        ),
        report(
            "c",
            3,
            "Handcuffing",
            "The subject pulled away during handcuffing.",
            "NY",
        ),
        report(
            "d",
            4,
            "Crash scene",
            "A car nearly struck the officer at the crash scene.",
            "TX",
        ),
    ];
    index.add_reports(&reports, true).unwrap();
    index.commit(4).unwrap();
    index
}

#[test]
fn text_filters_and_facets() {
    let dir = std::env::temp_dir().join(format!("nearmiss-search-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let index = sample_index(&dir);

    assert_eq!(search(&index, &[("q", "knife")]).0, 2, "knives matches knife");
    assert_eq!(search(&index, &[("q", "knives")]).0, 2);
    assert_eq!(search(&index, &[("q", "\"crash scene\"")]).1, ["d"]);
    assert_eq!(search(&index, &[("q", "+knife -pursuit")]).1, ["a"]);
    assert_eq!(
        search(&index, &[("q", "-knife")]).0,
        2,
        "a purely negative query excludes"
    );
    assert_eq!(search(&index, &[("state", "TX")]).0, 2);
    assert_eq!(search(&index, &[("state", "TX"), ("state", "NY")]).0, 3);
    assert_eq!(search(&index, &[("region", "south"), ("q", "knife")]).1, ["a"]);
    assert_eq!(search(&index, &[("year_from", "2012"), ("year_to", "2013")]).0, 2);
    assert_eq!(search(&index, &[]).1, ["d", "c", "b", "a"], "newest first");

    let pairs = vec![("state".to_owned(), "TX".to_owned())];
    let results = index.search(&SearchRequest::from_pairs(&pairs).unwrap()).unwrap();
    assert_eq!(
        results.facets["state"]["CA"], 1,
        "own filter left out of its counts"
    );
    assert_eq!(results.facets["region"]["south"], 2);
    assert_eq!(results.facets["source_tag"]["tag one"], 2);

    let knife = index
        .search(&SearchRequest::from_pairs(&[("q".to_owned(), "knife".to_owned())]).unwrap())
        .unwrap();
    assert!(
        knife.hits[0].snippet.iter().any(|part| part.highlighted),
        "snippet marks the hit"
    );

    let similar = index
        .similar(&report("a", 1, "Knife in the glovebox", "two knives", "TX"), 5)
        .unwrap();
    assert!(
        similar.iter().all(|found| found.id != "a"),
        "never the report itself"
    );
    assert!(similar.len() <= 3);

    drop(index);
    let reopened = SearchIndex::open(&dir).unwrap();
    assert_eq!(reopened.applied_change_number(), 4);
    assert_eq!(reopened.num_reports(), 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn facets_of_replaced_reports_across_segments() {
    let dir = std::env::temp_dir().join(format!("nearmiss-search-segments-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let index = SearchIndex::open(&dir).unwrap();
    let states = ["TX", "CA", "NY", "TX", "OH", "TX"];
    let mut reports: Vec<Report> = states
        .iter()
        .enumerate()
        .map(|(number, state)| {
            let mut report = report(
                &format!("r{number}"),
                number as i64 + 1,
                "Stop",
                "A knife.",
                state,
            );
            if number % 2 == 0 {
                report.contributing_factors.push("fatigue".to_owned());
            }
            report
        })
        .collect();
    // One commit per pair of reports: three segments.
    for (batch, pair) in reports.chunks(2).enumerate() {
        index.add_reports(pair, true).unwrap();
        index.commit(batch as i64 * 2 + 2).unwrap();
    }
    // Replacing a report deletes it from its segment and adds it to a new one.
    reports[0].context.insert("state".to_owned(), "CA".to_owned());
    reports[0].contributing_factors = vec!["complacency".to_owned()];
    index.add_reports(&reports[..1], false).unwrap();
    index.commit(7).unwrap();

    let filtered = |pairs: &[(&str, &str)]| {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        index.search(&SearchRequest::from_pairs(&pairs).unwrap()).unwrap()
    };
    for results in [filtered(&[]), filtered(&[("q", "knife")])] {
        assert_eq!(results.total, 6);
        assert_eq!(results.facets["state"]["TX"], 2);
        assert_eq!(results.facets["state"]["CA"], 2, "r0 moved from TX to CA");
        assert_eq!(results.facets["state"]["NY"], 1);
        assert_eq!(results.facets["state"]["OH"], 1);
        assert_eq!(results.facets["contributing_factors"]["complacency"], 6);
        assert_eq!(
            results.facets["contributing_factors"]["fatigue"], 2,
            "r0 lost its second factor"
        );
    }
    let texas = filtered(&[("q", "knife"), ("state", "TX")]);
    assert_eq!(texas.total, 2);
    assert_eq!(texas.facets["state"]["CA"], 2, "own filter left out");
    assert_eq!(texas.facets["contributing_factors"]["complacency"], 2);
    assert!(!texas.facets["contributing_factors"].contains_key("fatigue"));
    assert_eq!(texas.facets["region"]["south"], 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
