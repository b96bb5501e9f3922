//! Copies: masking, signatures, banding, the index, and the similarities that set
//! [`THRESHOLD`].

use super::*;
use crate::model::{Cell, Format, Number, Table, TableName};
use crate::parse::{self, Hints, Input};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parse")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A real report: (label, text, agency, tables).
fn report(name: &str) -> (String, String, Option<String>, Tables) {
    let raw = fixture(name);
    let (text, parsed) = if name.ends_with(".html") {
        let url = url::Url::parse("http://www.shanghai.gov.cn/a.html").expect("url");
        let d = crate::extract::page::extract_detail(&raw, &url);
        let p = parse::parse(Input::Html(&d.body_html), &Hints::default());
        (d.body_text, p)
    } else {
        let p = parse::parse(Input::Text(&raw), &Hints::default());
        (raw, p)
    };
    (name.to_string(), text, parsed.agency, parsed.tables)
}

const DISTINCT: &[&str] = &[
    "seed000-xixia-2024-pipe.txt",
    "seed001-jiangyang-2023-pipe.txt",
    "seed002-hongsibu-2014-legacy.txt",
    "seed003-beihai-2024-cell-per-line.txt",
    "seed004-huangzhong-2023-tab.txt",
    "huaian-2024-city.layout.txt",
    "hongze-2024-district.layout.txt",
    "shanghai-2019-office.html",
];

fn masked(r: &(String, String, Option<String>, Tables)) -> String {
    mask(&r.1, r.2.as_deref(), None, None)
}

/// Seed 001 as another district's office would copy it: names changed, every number changed.
fn copied_by_another_agency() -> (String, String) {
    let text = fixture("seed001-jiangyang-2023-pipe.txt")
        .replace("江阳区", "龙马潭区")
        .replace("江阳", "龙马潭");
    let renumbered = DIGITS.replace_all(&text, |c: &regex::Captures<'_>| {
        let n: u64 = c[0]
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        (n + 1).to_string()
    });
    (
        renumbered.into_owned(),
        "泸州市龙马潭区人民政府办公室".to_string(),
    )
}

/// `text` with every `k`-th sentence (by 。) replaced by one of another report (`donor`).
fn rewritten(text: &str, k: usize, donor: &str) -> String {
    let other = fixture(donor);
    let replacements: Vec<&str> = other
        .split('。')
        .filter(|s| s.chars().count() > 20)
        .collect();
    text.split('。')
        .enumerate()
        .map(|(i, s)| {
            if i % k == k - 1 && s.chars().count() > 20 {
                replacements[i % replacements.len()]
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("。")
}

#[test]
fn measured_similarities() {
    let reports: Vec<_> = DISTINCT.iter().map(|n| report(n)).collect();
    let masks: Vec<String> = reports.iter().map(masked).collect();
    let mut max_distinct = 0.0f64;
    for i in 0..masks.len() {
        for j in i + 1..masks.len() {
            let s = similarity(&masks[i], &masks[j]);
            println!("distinct {} × {}: {s:.3}", reports[i].0, reports[j].0);
            max_distinct = max_distinct.max(s);
        }
    }
    let mut extraction = Vec::new();
    for stem in ["huaian-2024-city", "hongze-2024-district"] {
        let ways: Vec<String> = ["layout", "pdfminer", "tab"]
            .iter()
            .map(|w| masked(&report(&format!("{stem}.{w}.txt"))))
            .collect();
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            extraction.push(similarity(&ways[i], &ways[j]));
        }
    }
    let (copy, agency) = copied_by_another_agency();
    let original = masked(&report("seed001-jiangyang-2023-pipe.txt"));
    let copy_masked = mask(&copy, Some(&agency), None, None);
    let exact_copy = similarity(&original, &copy_masked);
    let mut edited = Vec::new();
    for k in [5, 3, 2] {
        let mut per_report = Vec::new();
        for r in &reports {
            let donor = if r.0.starts_with("seed000") {
                "seed001-jiangyang-2023-pipe.txt"
            } else {
                "seed000-xixia-2024-pipe.txt"
            };
            let text = rewritten(&r.1, k, donor);
            per_report.push(similarity(
                &masked(r),
                &mask(&text, r.2.as_deref(), None, None),
            ));
        }
        println!("one sentence in {k} rewritten: {per_report:.3?}");
        edited.push(per_report);
    }
    println!(
        "max distinct {max_distinct:.3}; extraction ways {extraction:.3?}; copy {exact_copy:.3}"
    );
    // Distinct reports (the highest: Huaian and its Hongze district) stay far below the
    // threshold; so do reports sharing half their sentences (a common template), while a copy
    // with its names, years and numbers changed is identical once masked.
    assert!(max_distinct < 0.2, "distinct reports reach {max_distinct}");
    let half = &edited[2];
    assert!(half.iter().all(|s| *s < THRESHOLD - 0.2), "{half:?}");
    assert!(exact_copy > 0.99, "{exact_copy}");
}

#[test]
fn masking_hides_names_years_and_numbers() {
    let m = mask(
        "淮安市洪泽区人民政府2024年受理申请 17 件，洪泽区政府办代表区政府答复。",
        Some("淮安市洪泽区人民政府"),
        Some("江苏省/淮安市"),
        Some(2024),
    );
    assert_eq!(m, "◆#年受理申请#件，◇政府办代表区政府答复。");
    assert_eq!(
        mask("江苏省淮安市政府", None, Some("江苏省/淮安市"), None),
        "◇◇政府"
    );
    assert_eq!(regions_of("北海高新区管委会"), vec!["北海高新区"]);
    assert_eq!(regions_of("上海市人民政府办公厅"), vec!["上海市"]);
    assert_eq!(regions_of("湟中区"), Vec::<String>::new());
}

#[test]
fn a_copy_shares_band_keys_and_distinct_reports_do_not() {
    let reports: Vec<_> = DISTINCT.iter().map(|n| report(n)).collect();
    let sigs: Vec<Signature> = reports.iter().map(|r| Signature::of(&masked(r))).collect();
    let index = CandidateIndex::build(
        sigs.iter()
            .enumerate()
            .map(|(i, s)| (u32::try_from(i).unwrap_or(0), s.band_keys())),
    );
    assert_eq!(index.len(), DISTINCT.len() * BANDS);
    let (copy, agency) = copied_by_another_agency();
    let copy_sig = Signature::of(&mask(&copy, Some(&agency), None, None));
    assert_eq!(
        index.candidates(&copy_sig.band_keys()),
        vec![1],
        "seed 001 is found"
    );
    assert!(copy_sig.estimate(&sigs[1]) > 0.95);
    for (i, s) in sigs.iter().enumerate() {
        let found = index.candidates(&s.band_keys());
        assert_eq!(
            found,
            vec![u32::try_from(i).unwrap_or(0)],
            "{}",
            reports[i].0
        );
    }
    let mut grown = CandidateIndex::default();
    grown.insert(7, &sigs[1].band_keys());
    assert_eq!(grown.candidates(&copy_sig.band_keys()), vec![7]);
}

#[test]
fn signatures_are_stable_and_round_trip() {
    let s = Signature::of("本年度共收到政府信息公开申请#件");
    assert_eq!(Signature::from_bytes(&s.to_bytes()), Some(s.clone()));
    assert_eq!(Signature::from_bytes(&[0; 3]), None);
    // Stored signatures must not change between builds: pin a few values.
    let pinned = (s.0[0], s.0[1], s.band_keys()[0].key);
    assert_eq!(pinned, PINNED);
    assert_eq!(Signature::of("").0, [u32::MAX; HASHES]);
    assert_eq!(similarity("", ""), 1.0);
    assert_eq!(similarity("abcdefg", "abcdefg"), 1.0);
}

const PINNED: (u32, u32, u64) = (83_229_955, 106_932_778, 4_596_926_012_333_522_878);

fn table_with(v: i64) -> Tables {
    let mut t = Table::empty(TableName::Requests, Format::F2021);
    if let Some(c) = t.get_mut("new_received", "total") {
        *c = Cell {
            raw: v.to_string(),
            value: Some(Number::Int(v)),
            ..Cell::default()
        };
    }
    Tables {
        requests: Some(t),
        ..Tables::default()
    }
}

#[test]
fn scopes_and_findings() {
    let (t1, t2) = (table_with(5), table_with(6));
    let r = |id, agency, year, tables| ReportRef {
        id,
        agency: Some(agency),
        year: Some(year),
        tables,
    };
    let this = r("b", "某县统计局", 2024, &t1);
    assert_eq!(
        scope(&this, &r("a", "某县财政局", 2024, &t2)),
        Some(CopyScope::OtherAgency)
    );
    assert_eq!(
        scope(&this, &r("a", "某县统计局", 2023, &t1)),
        Some(CopyScope::PreviousYear)
    );
    assert_eq!(
        scope(&this, &r("a", "某县统计局", 2023, &t2)),
        None,
        "new numbers: normal reuse"
    );
    assert_eq!(scope(&this, &r("a", "某县统计局", 2022, &t1)), None);
    assert_eq!(scope(&this, &r("a", "某县统计局", 2024, &t1)), None);
    let legacy = Tables::default();
    assert!(!tables_unchanged(&legacy, &legacy));
    let other = r("a", "某县财政局", 2024, &t2);
    assert_eq!(finding(&this, &other, THRESHOLD - 0.01), None);
    let f = finding(&this, &other, 0.934_56).expect("copied");
    assert_eq!(f.severity, Severity::Warning);
    let v = serde_json::to_value(&f).expect("json");
    assert_eq!(v["kind"], "copied");
    assert_eq!(v["of"], "a");
    assert_eq!(v["scope"], "other_agency");
    assert_eq!(v["similarity"], 0.935);
}
