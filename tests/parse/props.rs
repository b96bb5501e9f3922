//! Property tests: random consistent tables, rendered into every layout, parse back equal; with
//! one cell changed, exactly the rules reading that cell fail.

use super::layouts::{self, printed_request_rows, HtmlStyle, TextStyle};
use nianbao::model::{
    Cell, Format, Number, Table, TableName, Tables, APPEALS, APPEAL_COLUMNS, REQUEST_COLUMNS,
    REQUEST_RESULT_ROWS,
};
use nianbao::parse::{self, checks, Hints, Input};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// splitmix64: tables are built from one proptest-chosen seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// Mostly zero, sometimes a small count.
    fn count(&mut self) -> i64 {
        if self.chance(60) {
            0
        } else {
            self.below(60) as i64 + 1
        }
    }
}

/// How zeros are printed.
#[derive(Debug, Clone, Copy)]
enum Zeros {
    Printed,
    Blank,
    Mixed,
}

fn cell(v: Option<Number>) -> Cell {
    Cell {
        raw: layouts::show(v),
        value: v,
        origin: Default::default(),
    }
}

fn put(t: &mut Table, row: &str, col: &str, v: Option<Number>) {
    if let Some(c) = t.get_mut(row, col) {
        *c = cell(v);
    }
}

fn int_or_blank(rng: &mut Rng, zeros: Zeros, v: i64) -> Option<Number> {
    let blank = v == 0
        && match zeros {
            Zeros::Printed => false,
            Zeros::Blank => true,
            Zeros::Mixed => rng.chance(50),
        };
    (!blank).then_some(Number::Int(v))
}

/// A random table set where every SPEC §3 rule holds.
fn consistent(seed: u64, format: Format, zeros: Zeros) -> Tables {
    let mut rng = Rng(seed);
    let mut active = Table::empty(TableName::Active, format);
    let specs: Vec<(&str, &[&str])> = active.schema().iter().map(|s| (s.key, s.columns)).collect();
    for (row, cols) in specs {
        for col in cols {
            let v = match (row, *col) {
                ("fees", "amount") if rng.chance(50) => Some(Number::Decimal(
                    rng.below(100_000) as f64 + (rng.below(9) + 1) as f64 / 10.0,
                )),
                ("procurement", "amount") => Some(Number::Int(rng.below(1_000_000) as i64)),
                (_, "change") => Some(Number::Int(rng.below(41) as i64 - 20)),
                ("licensing" | "punishment", _) => Some(Number::Int(rng.below(5_000_000) as i64)),
                _ => {
                    let v = rng.count();
                    int_or_blank(&mut rng, zeros, v)
                }
            };
            let v = match v {
                Some(Number::Int(0)) => int_or_blank(&mut rng, zeros, 0),
                v => v,
            };
            put(&mut active, row, col, v);
        }
    }
    let mut req = Table::empty(TableName::Requests, format);
    let rows = printed_request_rows(format);
    let results: Vec<&str> = rows
        .iter()
        .copied()
        .filter(|r| REQUEST_RESULT_ROWS.contains(r))
        .collect();
    let mut grid: std::collections::HashMap<&str, [i64; 6]> = Default::default();
    for c in 0..6 {
        let mut tp = 0;
        for r in &results {
            let v = rng.count();
            grid.entry(r).or_default()[c] = v;
            tp += v;
        }
        let cf = if rng.chance(70) {
            0
        } else {
            rng.below(10) as i64
        };
        let co = rng.below((tp + cf).min(20) as u64 + 1) as i64;
        grid.entry("total_processed").or_default()[c] = tp;
        grid.entry("carried_forward").or_default()[c] = cf;
        grid.entry("carried_over").or_default()[c] = co;
        grid.entry("new_received").or_default()[c] = tp + cf - co;
    }
    for row in &rows {
        let vals = grid.get(row).copied().unwrap_or_default();
        for (c, col) in REQUEST_COLUMNS[..6].iter().enumerate() {
            let v = int_or_blank(&mut rng, zeros, vals[c]);
            put(&mut req, row, col, v);
        }
        let total: i64 = vals.iter().sum();
        let v = int_or_blank(&mut rng, zeros, total);
        put(&mut req, row, "total", v);
    }
    let mut app = Table::empty(TableName::Appeals, format);
    for g in APPEALS {
        let mut total = 0;
        for col in &APPEAL_COLUMNS[..4] {
            let v = rng.count();
            total += v;
            let v = int_or_blank(&mut rng, zeros, v);
            put(&mut app, g.key, col, v);
        }
        let v = int_or_blank(&mut rng, zeros, total);
        put(&mut app, g.key, "total", v);
    }
    Tables {
        active: Some(active),
        requests: Some(req),
        appeals: Some(app),
    }
}

#[derive(Debug, Clone, Copy)]
enum Layout {
    Html(HtmlStyle),
    Text(TextStyle),
}

const LAYOUTS: [Layout; 6] = [
    Layout::Html(HtmlStyle::Clean),
    Layout::Html(HtmlStyle::Word),
    Layout::Html(HtmlStyle::Split),
    Layout::Text(TextStyle::Pipe),
    Layout::Text(TextStyle::CellPerLine),
    Layout::Text(TextStyle::Tab),
];

fn render_and_parse(
    t: &Tables,
    format: Format,
    layout: Layout,
) -> (String, nianbao::model::ParsedReport) {
    match layout {
        Layout::Html(style) => {
            let s = layouts::html(t, format, style);
            let r = parse::parse(Input::Html(&s), &Hints::default());
            (s, r)
        }
        Layout::Text(style) => {
            let s = layouts::text(t, format, style);
            let r = parse::parse(Input::Text(&s), &Hints::default());
            (s, r)
        }
    }
}

/// Cells whose values differ, as `table.row.column: got vs want`.
fn differences(got: &Tables, want: &Tables) -> Vec<String> {
    let mut out = Vec::new();
    for name in TableName::ALL {
        match (got.get(name), want.get(name)) {
            (Some(g), Some(w)) => {
                for (row, col, wc) in w.iter() {
                    let gv = g.get(row, col).and_then(|c| c.value);
                    if gv != wc.value {
                        out.push(format!(
                            "{}.{row}.{col}: got {gv:?}, want {:?}",
                            name.as_str(),
                            wc.value
                        ));
                    }
                }
            }
            (None, Some(_)) => out.push(format!("{} missing", name.as_str())),
            _ => {}
        }
    }
    out
}

fn failing(t: &Tables) -> BTreeSet<String> {
    checks::evaluate(t)
        .into_iter()
        .filter(|c| !c.ok)
        .map(|c| c.rule)
        .collect()
}

/// The rules that read `table.row.col` (SPEC §3).
fn rules_reading(table: TableName, row: &str, col: &str) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    match table {
        TableName::Requests => {
            s.insert(format!("requests.row_total.{row}"));
            if matches!(
                row,
                "new_received" | "carried_over" | "total_processed" | "carried_forward"
            ) {
                s.insert(format!("requests.balance.{col}"));
            }
            if REQUEST_RESULT_ROWS.contains(&row) || row == "total_processed" {
                s.insert(format!("requests.results_sum.{col}"));
            }
        }
        TableName::Appeals => {
            s.insert(format!("appeals.total.{row}"));
        }
        TableName::Active => {}
    }
    s
}

fn format_of(f2019: bool) -> Format {
    if f2019 {
        Format::F2019
    } else {
        Format::F2021
    }
}

fn zeros_of(z: u8) -> Zeros {
    match z % 3 {
        0 => Zeros::Printed,
        1 => Zeros::Blank,
        _ => Zeros::Mixed,
    }
}

proptest! {
    // 96 cases by default; PROPTEST_CASES=5000 for a long run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
    ))]

    #[test]
    fn every_layout_round_trips(seed in any::<u64>(), f2019 in any::<bool>(), z in 0u8..3, l in 0usize..6) {
        let format = format_of(f2019);
        let tables = consistent(seed, format, zeros_of(z));
        prop_assert!(failing(&tables).is_empty(), "generator made an inconsistent table");
        let layout = LAYOUTS[l];
        let (source, report) = render_and_parse(&tables, format, layout);
        let diff = differences(&report.tables, &tables);
        prop_assert!(diff.is_empty(), "{layout:?}: {}\n{source}", diff.join("\n"));
        prop_assert_eq!(report.format, Some(format));
        prop_assert_eq!(report.agency.as_deref(), Some("测试区人民政府"));
        prop_assert_eq!(report.year, Some(2024));
        prop_assert!(failing(&report.tables).is_empty());
    }

    #[test]
    fn one_broken_identity_fails_exactly_its_rules(
        seed in any::<u64>(),
        f2019 in any::<bool>(),
        z in 0u8..3,
        l in 0usize..5,
        pick in any::<u64>(),
        delta in 1i64..5,
    ) {
        let format = format_of(f2019);
        let mut tables = consistent(seed, format, zeros_of(z));
        // One cell of requests (printed rows) or appeals.
        let mut cells: Vec<(TableName, &str, &str)> = Vec::new();
        for row in printed_request_rows(format) {
            for col in REQUEST_COLUMNS {
                cells.push((TableName::Requests, row, col));
            }
        }
        for g in APPEALS {
            for col in APPEAL_COLUMNS {
                cells.push((TableName::Appeals, g.key, col));
            }
        }
        let (table, row, col) = cells[(pick % cells.len() as u64) as usize];
        let t = match table {
            TableName::Requests => tables.requests.as_mut(),
            _ => tables.appeals.as_mut(),
        };
        if let Some(c) = t.and_then(|t| t.get_mut(row, col)) {
            let old = match c.value { Some(Number::Int(i)) => i, _ => 0 };
            *c = cell(Some(Number::Int(old + delta)));
        }
        let want = rules_reading(table, row, col);
        prop_assert_eq!(&failing(&tables), &want);
        // Tab text is left out: its lost cells are placed by the identities broken here.
        let (source, report) = render_and_parse(&tables, format, LAYOUTS[l]);
        prop_assert!(differences(&report.tables, &tables).is_empty(), "{:?}\n{}", LAYOUTS[l], source);
        prop_assert_eq!(failing(&report.tables), want);
    }
}

#[test]
fn templates_are_kept_and_flagged() {
    // The reposted 格式 notice: every label, no numbers.
    let blank = Tables {
        active: Some(Table::empty(TableName::Active, Format::F2021)),
        requests: Some(Table::empty(TableName::Requests, Format::F2021)),
        appeals: Some(Table::empty(TableName::Appeals, Format::F2021)),
    };
    for layout in LAYOUTS {
        let (source, report) = render_and_parse(&blank, Format::F2021, layout);
        for name in TableName::ALL {
            let t = report.tables.get(name);
            assert!(
                t.is_some_and(|t| t.is_blank()),
                "{layout:?} {}: {:?}\n{source}",
                name.as_str(),
                t
            );
        }
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.starts_with("template: all cells blank")),
            "{layout:?}"
        );
    }
}

/// Pieces real reports are made of, for inputs that look enough like tables to reach deep into
/// the parser.
const TOKENS: &[&str] = &[
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（三）不予公开",
    "1.属于国家秘密",
    "（六）其他处理",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年新制作数量",
    "规章",
    "行政许可",
    "行政事业性收费",
    "政府集中采购",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "总计",
    "其他",
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "五、存在的主要问题",
    "0",
    "1",
    "12",
    "22",
    "3985758",
    "96171.6",
    "43.788万元",
    "251000元",
    "+1036",
    "减4",
    "-",
    "/",
    "—",
    "无",
    "",
    "99999999999999999999999",
    "１２",
    "1,234",
    "- 3 -",
    "淮安市人民政府",
    "2024年政府信息公开工作年度报告",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}

fn text_line() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(token(), 0..12),
        proptest::sample::select(&["\t", " | ", "    ", " ", "|", "\n"][..]),
    )
        .prop_map(|(cells, sep)| cells.join(sep))
}

fn html_table() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::collection::vec((token(), 0usize..4, 0usize..4), 0..16),
        0..30,
    )
    .prop_map(|rows| {
        let mut s = String::from("<table>");
        for row in rows {
            s.push_str("<tr>");
            for (text, rs, cs) in row {
                s.push_str(&format!("<td rowspan={rs} colspan={cs}><p class=MsoNormal>{text}<o:p>&nbsp;</o:p></p></td>"));
            }
            s.push_str("</tr>");
        }
        s.push_str("</table>");
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
    ))]

    /// No text, however table-like or broken, makes the parser, the checks or the renderer panic.
    #[test]
    fn arbitrary_text_never_panics(lines in proptest::collection::vec(text_line(), 0..120)) {
        let text = lines.join("\n");
        let r = parse::parse(Input::Text(&text), &Hints::default());
        let found = checks::evaluate(&r.tables);
        let _ = nianbao::parse::render::terminal(&r, &found);
        for t in [&r.tables.active, &r.tables.requests, &r.tables.appeals].into_iter().flatten() {
            prop_assert_eq!(t.cells.len(), t.schema().len());
        }
    }

    /// No HTML table soup makes the HTML path panic; grids stay rectangular.
    #[test]
    fn arbitrary_html_never_panics(tables in proptest::collection::vec(html_table(), 0..5)) {
        let html = format!("<p>某某区人民政府2023年政府信息公开工作年度报告</p>{}", tables.join("<p>三、</p>"));
        let r = parse::parse(Input::Html(&html), &Hints::default());
        let _ = checks::evaluate(&r.tables);
        for g in parse::html_table_grids(&html) {
            let w = g.rows.first().map_or(0, Vec::len);
            prop_assert!(g.rows.iter().all(|row| row.len() == w));
        }
    }
}
