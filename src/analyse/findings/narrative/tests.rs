//! The narrative reader on the hand-labelled sentences (`tests/fixtures/narrative/`) and on
//! the real reports whole, with their real tables.

use super::*;
use crate::model::{Cell, Format};
use crate::parse::{self, Hints, Input};
use std::path::Path;

fn read_fixture(dir: &str, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One labelled claim: the cells it may name (one, or the readings of an ambiguous
/// sentence) and the value.
#[derive(Debug, Clone, PartialEq)]
struct Label {
    cells: Vec<String>,
    value: i64,
}

fn labels(s: &str) -> Vec<Label> {
    if s == "none" {
        return Vec::new();
    }
    s.split(';')
        .map(|item| {
            let (cells, value) = item.rsplit_once('=').expect("cell=value");
            for c in cells.split('|') {
                assert!(CellPath::parse(c).is_some(), "bad cell {c}");
            }
            Label {
                cells: cells.split('|').map(str::to_string).collect(),
                value: value.parse().expect("integer value"),
            }
        })
        .collect()
}

/// The claims the reader makes of `sentence` after `context`.
fn claims_of(sentence: &str, context: &str) -> Vec<Claim> {
    let before = if context.is_empty() {
        0
    } else {
        claims(context).len()
    };
    let text = if context.is_empty() {
        sentence.to_string()
    } else {
        format!("{context}\n{sentence}")
    };
    claims(&text).split_off(before)
}

fn matches(claim: &Claim, label: &Label) -> bool {
    let cells: Vec<String> = std::iter::once(&claim.cell)
        .chain(&claim.readings)
        .map(ToString::to_string)
        .collect();
    claim.value == label.value && label.cells.iter().any(|c| cells.contains(c))
}

#[test]
fn labelled_sentences_precision_and_recall() {
    let tsv = read_fixture("narrative", "sentences.tsv");
    let (mut predicted, mut labelled, mut right) = (0usize, 0usize, 0usize);
    let (mut rows, mut verbatim) = (0usize, 0usize);
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [id, source, label, sentence, context] = f[..] else {
            panic!("5 fields: {line}");
        };
        rows += 1;
        verbatim += usize::from(!source.starts_with("written") && !source.starts_with("heldout"));
        let sentence = sentence.replace("\\n", "\n");
        let context = context.replace("\\n", "\n");
        let mut want = labels(label);
        labelled += want.len();
        for claim in claims_of(&sentence, &context) {
            predicted += 1;
            match want.iter().position(|l| matches(&claim, l)) {
                Some(i) => {
                    right += 1;
                    want.remove(i);
                }
                None => wrong.push(format!("#{id}: {} = {}", claim.cell, claim.value)),
            }
        }
        missed.extend(
            want.iter()
                .map(|l| format!("#{id}: {:?} = {}", l.cells, l.value)),
        );
    }
    let precision = right as f64 / predicted.max(1) as f64;
    let recall = right as f64 / labelled.max(1) as f64;
    println!(
        "labelled set: {rows} sentences ({verbatim} verbatim), {labelled} labelled claims, \
         {predicted} read, {right} right: precision {precision:.3}, recall {recall:.3}"
    );
    println!("missed: {missed:#?}");
    assert!(
        rows >= 150 && verbatim >= 60,
        "{rows} sentences, {verbatim} verbatim"
    );
    assert!(wrong.is_empty(), "wrong claims: {wrong:#?}");
    assert_eq!(precision, 1.0);
    assert!(recall >= 0.95, "recall {recall:.3}; missed: {missed:#?}");
}

/// A real report: its body text and its tables as the parser reads them.
fn report(name: &str) -> (String, Tables) {
    let text = read_fixture("parse", name);
    if name.ends_with(".html") {
        let url = url::Url::parse("http://www.shanghai.gov.cn/nw12344/a.html").expect("url");
        let d = crate::extract::page::extract_detail(&text, &url);
        let parsed = parse::parse(Input::Html(&d.body_html), &Hints::default());
        (d.body_text, parsed.tables)
    } else {
        let parsed = parse::parse(Input::Text(&text), &Hints::default());
        (text, parsed.tables)
    }
}

fn mismatches(name: &str) -> Vec<(Severity, String, i64, i64)> {
    let (text, tables) = report(name);
    findings(&text, &tables)
        .into_iter()
        .map(|f| match f.what {
            What::NarrativeMismatch {
                cell,
                text_value,
                table_value,
                ..
            } => (f.severity, cell.to_string(), text_value, table_value),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn seed_004_has_exactly_its_real_mismatch() {
    let (text, tables) = report("seed004-huangzhong-2023-tab.txt");
    let f = findings(&text, &tables);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Warning);
    let What::NarrativeMismatch {
        cell,
        text_value,
        table_value,
        sentence,
    } = &f[0].what
    else {
        panic!("{f:?}");
    };
    assert_eq!(cell.to_string(), "requests.new_received.total");
    assert_eq!((*text_value, *table_value), (12, 22));
    assert!(sentence.contains("依申请公开政府信息 12 件"), "{sentence}");
    assert!(
        f[0].detail.contains("12件") && f[0].detail.contains("22件"),
        "{}",
        f[0].detail
    );
    let v = serde_json::to_value(&f[0]).expect("json");
    assert_eq!(v["kind"], "narrative_mismatch");
    assert_eq!(v["cell"], "requests.new_received.total");
}

#[test]
fn the_other_seeds_state_their_tables_faithfully() {
    for name in [
        "seed000-xixia-2024-pipe.txt",
        "seed001-jiangyang-2023-pipe.txt",
        "seed002-hongsibu-2014-legacy.txt",
        "seed003-beihai-2024-cell-per-line.txt",
        "huaian-2024-city.layout.txt",
        "huaian-2024-city.pdfminer.txt",
        "huaian-2024-city.tab.txt",
    ] {
        assert_eq!(mismatches(name), vec![], "{name}");
    }
}

#[test]
fn seed_001_prose_is_read_and_agrees() {
    let (text, _) = report("seed001-jiangyang-2023-pipe.txt");
    let read: Vec<String> = claims(&text)
        .iter()
        .map(|c| format!("{}={}", c.cell, c.value))
        .collect();
    assert_eq!(
        read,
        [
            "requests.new_received.total=42",
            "requests.total_processed.total=40",
            "requests.carried_forward.total=2",
            "requests.total_processed.total=40",
            "requests.granted.total=13",
            "requests.partially_granted.total=18",
            "requests.unavailable_*.total=9",
            "appeals.review.total=0",
            "appeals.litigation_*.total=0",
        ]
    );
}

#[test]
fn the_corpus_mismatches_are_found() {
    // Hongze 2024: 17 applications in the prose, 95 in the table (corpus README).
    for name in [
        "hongze-2024-district.layout.txt",
        "hongze-2024-district.tab.txt",
    ] {
        assert_eq!(
            mismatches(name),
            vec![(
                Severity::Warning,
                "requests.new_received.total".into(),
                17,
                95
            )],
            "{name}"
        );
    }
    // Shanghai 2019: 予以公开及部分公开 258 against 272 + 3 (the 总计 column is blank: rows
    // summed), and 无法提供 265 against 252 + 12 + 1 + 44 + 3 + 25 = 337.
    assert_eq!(
        mismatches("shanghai-2019-office.html"),
        vec![
            (
                Severity::Warning,
                "requests.granted+partially_granted.total".into(),
                258,
                275
            ),
            (
                Severity::Warning,
                "requests.unavailable_*.total".into(),
                265,
                337
            ),
        ]
    );
}

/// A 2021 `requests` table with the given totals (other cells blank).
fn requests(totals: &[(&'static str, i64)]) -> Tables {
    let mut t = Table::empty(TableName::Requests, Format::F2021);
    for (row, v) in totals {
        if let Some(c) = t.get_mut(row, "total") {
            *c = Cell {
                raw: v.to_string(),
                value: Some(Number::Int(*v)),
                ..Cell::default()
            };
        }
    }
    Tables {
        requests: Some(t),
        ..Tables::default()
    }
}

fn severities(text: &str, tables: &Tables) -> Vec<(Severity, i64, i64)> {
    findings(text, tables)
        .into_iter()
        .filter_map(|f| match f.what {
            What::NarrativeMismatch {
                text_value,
                table_value,
                ..
            } => Some((f.severity, text_value, table_value)),
            _ => None,
        })
        .collect()
}

#[test]
fn ambiguous_readings_warn_only_when_they_agree() {
    let text = "全年共办理政府信息公开申请12件。";
    let same = requests(&[("new_received", 22), ("total_processed", 22)]);
    assert_eq!(severities(text, &same), vec![(Severity::Warning, 12, 22)]);
    let differ = requests(&[("new_received", 22), ("total_processed", 20)]);
    assert_eq!(severities(text, &differ), vec![(Severity::Notice, 12, 22)]);
    let either = requests(&[("new_received", 22), ("total_processed", 12)]);
    assert_eq!(severities(text, &either), vec![]);
}

#[test]
fn received_may_count_the_carried_over() {
    // Shuyang 2025 style: 受理 749 = 713 new + 36 carried over.
    let t = requests(&[("new_received", 713), ("carried_over", 36)]);
    assert_eq!(severities("全年共受理政府信息公开申请749件。", &t), vec![]);
    assert_eq!(
        severities("全年共受理政府信息公开申请750件。", &t),
        vec![(Severity::Warning, 750, 713)]
    );
}

#[test]
fn a_wider_scope_or_a_second_statement_is_a_notice() {
    let t = requests(&[("new_received", 40)]);
    assert_eq!(
        severities("全市各级行政机关共受理政府信息公开申请500件。", &t),
        vec![(Severity::Notice, 500, 40)]
    );
    let two = "全年共收到政府信息公开申请40件。市政府本级共收到政府信息公开申请12件。";
    assert_eq!(severities(two, &t), vec![(Severity::Notice, 12, 40)]);
}

#[test]
fn blank_cells_and_absent_tables_raise_nothing() {
    let blank = requests(&[]);
    assert_eq!(
        severities("不予公开3件，全年共收到政府信息公开申请5件。", &blank),
        vec![]
    );
    assert_eq!(
        severities("全年共收到政府信息公开申请5件。", &Tables::default()),
        vec![]
    );
    // A blank 总计 is the sum of its row.
    let mut t = requests(&[]);
    if let Some(r) = t.requests.as_mut() {
        for (col, v) in [("natural_person", 3), ("commercial", 2)] {
            if let Some(c) = r.get_mut("new_received", col) {
                c.value = Some(Number::Int(v));
            }
        }
    }
    assert_eq!(severities("全年共收到政府信息公开申请5件。", &t), vec![]);
    assert_eq!(
        severities("全年共收到政府信息公开申请6件。", &t),
        vec![(Severity::Warning, 6, 5)]
    );
}

#[test]
fn cells_are_described_in_chinese() {
    let path = |s: &str| CellPath::parse(s).expect("path");
    assert_eq!(
        describe(&path("requests.new_received.total")),
        "本年新收政府信息公开申请"
    );
    assert_eq!(describe(&path("requests.denied_*.total")), "不予公开");
    assert_eq!(
        describe(&path("requests.denied_state_secret.total")),
        "属于国家秘密"
    );
    assert_eq!(
        describe(&path("requests.new_received.natural_person")),
        "本年新收政府信息公开申请（自然人）"
    );
    assert_eq!(
        describe(&path("appeals.litigation_*.upheld")),
        "行政诉讼结果维持"
    );
    assert_eq!(describe(&path("appeals.review.total")), "行政复议总数");
}
