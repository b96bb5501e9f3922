//! Integration tests: the report parser on real documents and on generated layouts.
//!
//! Fixtures (`tests/fixtures/parse/`): the five seeds, the Shanghai 2019 HTML and the
//! `pdftotext -layout` text of the two corpus PDFs, each next to a `.expected` file that writes
//! out every cell by hand (checked against the source document), the agency, year, format and
//! the exact set of failing checks. `layouts` renders generated tables into every layout the
//! parser reads; `props` round-trips them with proptest.

mod layouts;
mod props;
mod quirks;
mod served;

use nianbao::model::{Number, Origin, ParsedReport, TableName};
use nianbao::parse::{self, checks, render, Hints, Input};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    crate::util::fixture("parse").join(name)
}

fn read(name: &str) -> String {
    let p = fixture_path(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// One expected cell: `None` for null, else the value and whether it was inferred.
type ExpectedCell = Option<(Number, bool)>;

/// A `.expected` file.
#[derive(Debug, Default)]
struct Expected {
    input: String,
    agency: String,
    year: i32,
    format: String,
    tables_none: bool,
    null_tables: Vec<String>,
    cells: Vec<(String, String, Vec<ExpectedCell>)>,
    failing: BTreeSet<String>,
}

fn parse_expected(text: &str) -> Expected {
    let mut e = Expected::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        let (key, value) = (key.trim(), value.trim());
        match key {
            "input" => e.input = value.to_string(),
            "agency" => e.agency = value.to_string(),
            "year" => e.year = value.parse().unwrap(),
            "format" => e.format = value.to_string(),
            "tables" => e.tables_none = value == "none",
            "failing" => e
                .failing
                .extend(value.split_whitespace().map(str::to_string)),
            "active" | "requests" | "appeals" if value == "none" => {
                e.null_tables.push(key.to_string())
            }
            _ => {
                let (table, row) = key.split_once('.').unwrap();
                let cells = value.split_whitespace().map(expected_cell).collect();
                e.cells.push((table.to_string(), row.to_string(), cells));
            }
        }
    }
    e
}

fn expected_cell(s: &str) -> ExpectedCell {
    if s == "-" {
        return None;
    }
    let (num, inferred) = match s.strip_suffix('*') {
        Some(n) => (n, true),
        None => (s, false),
    };
    let n = if num.contains('.') {
        Number::Decimal(num.parse().unwrap())
    } else {
        Number::Int(num.parse().unwrap())
    };
    Some((n, inferred))
}

fn run(source: &str, input: &str) -> ParsedReport {
    let parsed = match input {
        "html" => parse::parse(Input::Html(source), &Hints::default()),
        _ => parse::parse(Input::Text(source), &Hints::default()),
    };
    parsed
}

/// Compares a parsed fixture with its `.expected`; returns (cells right, cells expected, problems).
fn compare(stem: &str) -> (usize, usize, Vec<String>) {
    let expected = parse_expected(&read(&format!("{stem}.expected")));
    let source_name = std::fs::read_dir(fixture_path(""))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|n| n.starts_with(&format!("{stem}.")) && !n.ends_with(".expected"))
        .unwrap_or_else(|| panic!("no source for {stem}"));
    let report = run(&read(&source_name), &expected.input);
    let mut problems = Vec::new();
    if report.agency.as_deref() != Some(expected.agency.as_str()) {
        problems.push(format!(
            "agency {:?} != {:?}",
            report.agency, expected.agency
        ));
    }
    if report.year != Some(expected.year) {
        problems.push(format!("year {:?} != {}", report.year, expected.year));
    }
    if report.format.map(|f| f.as_str()) != Some(expected.format.as_str()) {
        problems.push(format!("format {:?} != {}", report.format, expected.format));
    }
    for name in TableName::ALL {
        let null = expected.tables_none || expected.null_tables.iter().any(|t| t == name.as_str());
        if null && report.tables.get(name).is_some() {
            problems.push(format!("{} should be null", name.as_str()));
        }
    }
    let (mut right, mut total) = (0, 0);
    for name in TableName::ALL {
        let rows: Vec<&(String, String, Vec<ExpectedCell>)> = expected
            .cells
            .iter()
            .filter(|(t, _, _)| t == name.as_str())
            .collect();
        let Some(table) = report.tables.get(name) else {
            if !rows.is_empty() {
                problems.push(format!("{} not found", name.as_str()));
                total += rows.iter().map(|r| r.2.len()).sum::<usize>();
            }
            continue;
        };
        assert_eq!(
            rows.len(),
            table.schema().len(),
            "{stem}: the .expected file must write out every row of {}",
            name.as_str()
        );
        for (_, row, cells) in rows {
            let spec = table
                .schema()
                .iter()
                .find(|s| s.key == row)
                .unwrap_or_else(|| panic!("{stem}: no row {row}"));
            assert_eq!(
                cells.len(),
                spec.columns.len(),
                "{stem}: {row} needs {} cells",
                spec.columns.len()
            );
            for (col, want) in spec.columns.iter().zip(cells) {
                total += 1;
                let got = table.get(row, col).unwrap();
                let got_cell = got.value.map(|v| (v, got.origin == Origin::Inferred));
                if &got_cell == want {
                    right += 1;
                } else {
                    problems.push(format!(
                        "{}.{row}.{col}: got {got:?}, want {want:?}",
                        name.as_str()
                    ));
                }
            }
        }
    }
    let failing: BTreeSet<String> = checks::evaluate(&report.tables)
        .into_iter()
        .filter(|c| !c.ok)
        .map(|c| c.rule)
        .collect();
    if failing != expected.failing {
        problems.push(format!(
            "failing checks differ: unexpected {:?}, missing {:?}",
            failing.difference(&expected.failing).collect::<Vec<_>>(),
            expected.failing.difference(&failing).collect::<Vec<_>>()
        ));
    }
    (right, total, problems)
}

fn assert_fixture(stem: &str) {
    let (right, total, problems) = compare(stem);
    assert!(
        problems.is_empty(),
        "{stem}: {right}/{total} cells right\n{}",
        problems.join("\n")
    );
}

const FIXTURES: &[&str] = &[
    "seed000-xixia-2024-pipe",
    "seed001-jiangyang-2023-pipe",
    "seed002-hongsibu-2014-legacy",
    "seed003-beihai-2024-cell-per-line",
    "seed004-huangzhong-2023-tab",
    "shanghai-2019-office",
    "huaian-2024-city.layout",
    "hongze-2024-district.layout",
    "huaian-2024-city.pdfminer",
    "hongze-2024-district.pdfminer",
    "huaian-2024-city.tab",
    "hongze-2024-district.tab",
    "shanghai-2019-libreoffice-pdf.tab",
];

#[test]
fn seed000_pipe_rows() {
    assert_fixture("seed000-xixia-2024-pipe");
}

#[test]
fn seed001_pipe_rows_with_repeated_group_label() {
    assert_fixture("seed001-jiangyang-2023-pipe");
}

#[test]
fn seed002_legacy_has_no_tables() {
    assert_fixture("seed002-hongsibu-2014-legacy");
}

#[test]
fn seed003_one_cell_per_line_split_table() {
    assert_fixture("seed003-beihai-2024-cell-per-line");
}

#[test]
fn seed004_tab_text_with_lost_cells() {
    assert_fixture("seed004-huangzhong-2023-tab");
}

#[test]
fn shanghai_2019_html() {
    assert_fixture("shanghai-2019-office");
}

#[test]
fn huaian_pdftotext_layout() {
    assert_fixture("huaian-2024-city.layout");
}

#[test]
fn hongze_pdftotext_layout_single_other_row() {
    assert_fixture("hongze-2024-district.layout");
}

#[test]
fn huaian_our_pdf_text() {
    assert_fixture("huaian-2024-city.tab");
}

#[test]
fn hongze_our_pdf_text() {
    assert_fixture("hongze-2024-district.tab");
}

#[test]
fn shanghai_printed_to_pdf_our_pdf_text() {
    assert_fixture("shanghai-2019-libreoffice-pdf.tab");
}

#[test]
fn huaian_pdfminer_column_major() {
    assert_fixture("huaian-2024-city.pdfminer");
}

#[test]
fn hongze_pdfminer_column_major_with_total_out_of_order() {
    assert_fixture("hongze-2024-district.pdfminer");
}

/// Prints cells right / cells expected per fixture (`cargo test --test tests accuracy -- --nocapture`).
#[test]
fn accuracy_report() {
    let mut all = (0, 0);
    for stem in FIXTURES {
        let (right, total, problems) = compare(stem);
        println!(
            "{stem:40} {right:4}/{total:<4} cells{}",
            if problems.is_empty() {
                ""
            } else {
                "  (problems)"
            }
        );
        all = (all.0 + right, all.1 + total);
    }
    println!("{:40} {:4}/{:<4} cells", "all fixtures", all.0, all.1);
    assert_eq!(all.0, all.1);
}

#[test]
fn seed004_warns_about_the_placed_cells() {
    let r = run(&read("seed004-huangzhong-2023-tab.txt"), "text");
    let placed: Vec<&String> = r
        .warnings
        .iter()
        .filter(|w| w.contains("inferred"))
        .collect();
    assert_eq!(placed.len(), 3, "{:#?}", r.warnings);
}

#[test]
fn hongze_warns_about_the_single_other_row() {
    let r = run(&read("hongze-2024-district.layout.txt"), "text");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("（六）其他处理 printed as one row")),
        "{:#?}",
        r.warnings
    );
}

#[test]
fn shanghai_keeps_raw_text_with_units() {
    let r = run(&read("shanghai-2019-office.html"), "html");
    let active = r.tables.active.as_ref().unwrap();
    let amount = active.get("procurement", "amount").unwrap();
    assert_eq!(amount.raw, "251000元");
    assert_eq!(amount.value, Some(Number::Int(251000)));
    let requests = r.tables.requests.as_ref().unwrap();
    assert_eq!(requests.get("granted", "total").unwrap().value, None);
}

#[test]
fn render_lists_failures_and_inferred_cells() {
    let r = run(&read("seed004-huangzhong-2023-tab.txt"), "text");
    let out = render::terminal(&r, &checks::evaluate(&r.tables));
    assert!(out.contains("22*"), "{out}");
    assert!(
        out.contains("✗ requests.row_total.total_processed: 22 ≠ 0"),
        "{out}"
    );
    assert!(out.contains("湟中区"), "{out}");
}

#[test]
fn the_same_report_parses_the_same_from_html_and_its_pipe_text() {
    // The HTML reader's running text renders tables as pipe rows; parsing that text must give
    // the same tables as the grids (Shanghai: spans, &nbsp; blanks).
    let html = read("shanghai-2019-office.html");
    let from_html = parse::parse(Input::Html(&html), &Hints::default());
    let text: String = {
        let grids = parse::html_table_grids(&html);
        let mut s = String::from(
            "2019年上海市人民政府办公厅政府信息公开工作年度报告\n二、主动公开政府信息情况\n",
        );
        for g in &grids {
            for row in &g.rows {
                let cells: Vec<&str> = row
                    .iter()
                    .filter(|c| !c.spanned)
                    .map(|c| c.text.as_str())
                    .collect();
                s.push_str(&cells.join(" | "));
                s.push_str(" |\n");
            }
        }
        s
    };
    let from_text = parse::parse(Input::Text(&text), &Hints::default());
    assert_eq!(from_text.tables.requests, from_html.tables.requests);
    assert_eq!(from_text.tables.appeals, from_html.tables.appeals);
    assert_eq!(from_text.tables.active, from_html.tables.active);
}

#[test]
fn html_table_grids_resolve_spans() {
    let grids = parse::html_table_grids(&read("shanghai-2019-office.html"));
    assert_eq!(grids.len(), 3);
    assert_eq!(
        grids.iter().map(|g| g.rows.len()).collect::<Vec<_>>(),
        [18, 26, 4]
    );
    // Table 三: 3 label columns + 7 value columns.
    assert!(grids[1].rows.iter().all(|r| r.len() == 10));
    // The rowspan-20 label reaches row 24 as a spanned copy.
    assert_eq!(grids[1].rows[23][0].text, "三、本年度办理结果");
    assert!(grids[1].rows[23][0].spanned);
    assert_eq!(grids[2].rows.iter().map(|r| r.len()).max(), Some(15));
}

#[test]
fn docx_grids_from_the_extractor() {
    // End to end through the DOCX reader (extract::docx builds the grids): Shanghai 2019 saved
    // as DOCX by LibreOffice must read exactly like the HTML.
    let path = crate::util::fixture("attachments/shanghai-2019-libreoffice.docx");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let docx = nianbao::extract::docx::extract(&bytes).unwrap();
    let from_docx = parse::parse(
        Input::Grids {
            grids: &docx.grids,
            text: &docx.text,
        },
        &Hints::default(),
    );
    let from_html = run(&read("shanghai-2019-office.html"), "html");
    assert_eq!(from_docx.format, from_html.format);
    assert_eq!(
        (from_docx.agency.as_deref(), from_docx.year),
        (Some("上海市人民政府办公厅"), Some(2019))
    );
    for name in TableName::ALL {
        let (d, h) = (
            from_docx.tables.get(name).unwrap(),
            from_html.tables.get(name).unwrap(),
        );
        let values =
            |t: &nianbao::model::Table| t.iter().map(|(_, _, c)| c.value).collect::<Vec<_>>();
        assert_eq!(values(d), values(h), "{}", name.as_str());
    }
}

/// Debugging aid: `FIXTURE=name.txt cargo test --test tests parse::print_fixture -- --ignored --nocapture`
/// prints how a fixture parses.
#[test]
#[ignore]
fn print_fixture() {
    for name in std::env::var("FIXTURE")
        .unwrap_or_default()
        .split(',')
        .filter(|n| !n.is_empty())
    {
        let input = if name.ends_with(".html") {
            "html"
        } else {
            "text"
        };
        let r = run(&read(name), input);
        println!(
            "===== {name}\n{}",
            render::terminal(&r, &checks::evaluate(&r.tables))
        );
    }
}
