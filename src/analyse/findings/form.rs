//! The form checks: `outdated_format`, `missing_table`, `missing_rows`.
//!
//! Takes a [`ParsedReport`] (its year, format, tables, and the parser's warnings); gives
//! findings about the form the report was printed in, not about its numbers:
//!
//! - `outdated_format` (`notice`): report year 2021 or later printed in the 2019 layout.
//! - `missing_table` (`warning`): report year 2019 or later whose table 二, 三 or 四 is absent.
//!   A table the parser saw announced but could not read (tables as images, numbers it could
//!   not place: warnings `tables announced but none could be read`, `<table>: … table not
//!   read`) is not absent, and raises nothing.
//! - `missing_rows` (`notice`): a present table lacking rows its format prints. It needs the
//!   rows the parser found printed ([`Table::printed_rows`]); a blank row was printed, a
//!   missing one was not. `active`: every row of its format. `requests`: every row but the
//!   （六） group, which is complete with its three sub-rows or with the single （六）其他处理
//!   row (2019 layouts, and 2021 reports that kept it). `appeals` is read by position and
//!   never lacks rows. A table with a row the parser could not name (a warning `requests: row
//!   … not recognised`) raises nothing: the missing row may be that one, misspelt.
//!
//! Reports whose year or format is unknown raise nothing.

use crate::model::{Finding, Format, ParsedReport, Severity, Table, TableName, What};

/// First report year of the 2019 Regulations' tables.
const TABLES_FROM: i32 = 2019;
/// First report year of the 2021 layout.
const LAYOUT_2021_FROM: i32 = 2021;

/// The `outdated_format` finding, if the report is one.
pub fn outdated_format(parsed: &ParsedReport) -> Option<Finding> {
    let year = parsed.year?;
    (year >= LAYOUT_2021_FROM && parsed.format == Some(Format::F2019)).then(|| Finding {
        severity: Severity::Notice,
        detail: format!(
            "{year}年度报告仍使用2019年版表格格式（国办公开办函〔2019〕60号），\
             应使用2021年版格式（国办公开办函〔2021〕30号）。"
        ),
        what: What::OutdatedFormat,
    })
}

/// One `missing_table` finding per absent table.
pub fn missing_tables(parsed: &ParsedReport) -> Vec<Finding> {
    let Some(year) = parsed.year else {
        return Vec::new();
    };
    if year < TABLES_FROM || parsed.format.is_none() || announced_unread(parsed, None) {
        return Vec::new();
    }
    TableName::ALL
        .into_iter()
        .filter(|&name| parsed.tables.get(name).is_none() && !announced_unread(parsed, Some(name)))
        .map(|table| Finding {
            severity: Severity::Warning,
            detail: format!("{year}年度报告缺少表格“{}”。", table.heading()),
            what: What::MissingTable { table },
        })
        .collect()
}

/// Whether the parser warned that `table` (any table for `None`) was printed but not read.
fn announced_unread(parsed: &ParsedReport, table: Option<TableName>) -> bool {
    parsed.warnings.iter().any(|w| match table {
        None => w.starts_with("tables announced but none could be read"),
        Some(t) => w.starts_with(&format!("{}:", t.as_str())) && w.contains("table not read"),
    })
}

/// One `missing_rows` finding per present table that lacks rows.
pub fn missing_rows(parsed: &ParsedReport) -> Vec<Finding> {
    TableName::ALL
        .into_iter()
        .filter_map(|name| {
            let table = parsed.tables.get(name)?;
            if unnamed_rows(parsed, name) {
                return None;
            }
            let rows = absent_rows(table)?;
            (!rows.is_empty()).then(|| Finding {
                severity: Severity::Notice,
                detail: format!(
                    "表格“{}”缺少{}行：{}。",
                    name.heading(),
                    rows.len(),
                    rows.iter()
                        .map(|k| label_of(table, k))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                what: What::MissingRows {
                    table: name,
                    rows: rows.into_iter().map(str::to_string).collect(),
                },
            })
        })
        .collect()
}

/// Whether the parser met a row of `table` it could not name.
fn unnamed_rows(parsed: &ParsedReport, table: TableName) -> bool {
    let prefix = format!("{}: row ", table.as_str());
    parsed
        .warnings
        .iter()
        .any(|w| w.starts_with(&prefix) && w.contains("not recognised"))
}

/// The （六） rows of `requests`.
const OTHER_SUB_ROWS: [&str; 3] = ["other_no_correction", "other_unpaid_fee", "other_other"];

/// Rows `table`'s format prints that the parser did not find; `None` when the printed rows
/// are not known (or the table is `appeals`).
pub fn absent_rows(table: &Table) -> Option<Vec<&'static str>> {
    if table.name == TableName::Appeals {
        return None;
    }
    let printed = table.printed_rows.as_ref()?;
    let is_printed = |k: &str| printed.contains(&k);
    let mut absent: Vec<&'static str> = table
        .schema()
        .iter()
        .map(|s| s.key)
        .filter(|k| {
            table.name != TableName::Requests || (*k != "other" && !OTHER_SUB_ROWS.contains(k))
        })
        .filter(|k| !is_printed(k))
        .collect();
    if table.name == TableName::Requests && !is_printed("other") {
        let subs_seen = OTHER_SUB_ROWS.iter().any(|k| is_printed(k));
        if subs_seen || table.format == Format::F2021 {
            absent.extend(OTHER_SUB_ROWS.iter().filter(|k| !is_printed(k)));
        } else {
            absent.push("other");
        }
    }
    let order: Vec<&str> = table.schema().iter().map(|s| s.key).collect();
    absent.sort_by_key(|k| order.iter().position(|o| o == k));
    Some(absent)
}

/// The printed label of row `key` of `table`.
fn label_of(table: &Table, key: &str) -> &'static str {
    table
        .schema()
        .iter()
        .find(|s| s.key == key)
        .map_or("", |s| s.label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{self, Hints, Input};

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/parse")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn parsed(name: &str) -> ParsedReport {
        let text = fixture(name);
        let input = if name.ends_with(".html") {
            Input::Html(&text)
        } else {
            Input::Text(&text)
        };
        parse::parse(input, &Hints::default())
    }

    const REAL: &[&str] = &[
        "seed000-xixia-2024-pipe.txt",
        "seed001-jiangyang-2023-pipe.txt",
        "seed002-hongsibu-2014-legacy.txt",
        "seed003-beihai-2024-cell-per-line.txt",
        "seed004-huangzhong-2023-tab.txt",
        "shanghai-2019-office.html",
        "huaian-2024-city.layout.txt",
        "hongze-2024-district.layout.txt",
        "huaian-2024-city.pdfminer.txt",
        "hongze-2024-district.pdfminer.txt",
    ];

    #[test]
    fn real_reports_print_every_row_and_table() {
        for name in REAL {
            let p = parsed(name);
            assert_eq!(outdated_format(&p), None, "{name}");
            assert_eq!(missing_tables(&p), vec![], "{name}");
            assert_eq!(missing_rows(&p), vec![], "{name}: {:?}", p.warnings);
        }
    }

    #[test]
    fn the_parser_records_the_rows_it_found_printed() {
        let p = parsed("seed000-xixia-2024-pipe.txt");
        let requests = p.tables.requests.as_ref().unwrap();
        let printed = requests.printed_rows.as_ref().unwrap();
        assert_eq!(printed.len(), 25, "2021: all rows but the single （六）");
        assert!(!printed.contains(&"other"));
        assert_eq!(
            p.tables
                .active
                .as_ref()
                .unwrap()
                .printed_rows
                .as_ref()
                .unwrap()
                .len(),
            6
        );
        assert_eq!(p.tables.appeals.as_ref().unwrap().printed_rows, None);
        // Hongze 2024: a 2021 table with the single （六）其他处理 row.
        let p = parsed("hongze-2024-district.layout.txt");
        let printed = p
            .tables
            .requests
            .as_ref()
            .unwrap()
            .printed_rows
            .clone()
            .unwrap();
        assert!(printed.contains(&"other"));
        assert!(!printed.contains(&"other_other"));
        // Shanghai 2019: eight active rows, the single （六） row.
        let p = parsed("shanghai-2019-office.html");
        assert_eq!(
            p.tables
                .active
                .as_ref()
                .unwrap()
                .printed_rows
                .as_ref()
                .unwrap()
                .len(),
            8
        );
        let printed = p
            .tables
            .requests
            .as_ref()
            .unwrap()
            .printed_rows
            .clone()
            .unwrap();
        assert_eq!(printed.len(), 23);
    }

    /// Seed 000 with lines removed from its text.
    fn seed000_without(labels: &[&str]) -> ParsedReport {
        let text: String = fixture("seed000-xixia-2024-pipe.txt")
            .lines()
            .filter(|l| !labels.iter().any(|x| l.contains(x)))
            .map(|l| format!("{l}\n"))
            .collect();
        parse::parse(Input::Text(&text), &Hints::default())
    }

    #[test]
    fn a_2021_table_without_the_six_rows_lacks_them() {
        let p = seed000_without(&["1.申请人无正当理由", "2.申请人逾期未按", "3.其他 |"]);
        let f = missing_rows(&p);
        assert_eq!(f.len(), 1, "{f:?} {:?}", p.warnings);
        let v = serde_json::to_value(&f[0]).unwrap();
        assert_eq!(v["kind"], "missing_rows");
        assert_eq!(v["severity"], "notice");
        assert_eq!(v["table"], "requests");
        assert_eq!(
            v["rows"],
            serde_json::json!(["other_no_correction", "other_unpaid_fee", "other_other"])
        );
    }

    #[test]
    fn a_missing_active_row_and_a_missing_table() {
        let p = seed000_without(&["行政强制 |"]);
        let f = missing_rows(&p);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            matches!(&f[0].what, What::MissingRows { table: TableName::Active, rows } if rows == &["coercion"])
        );

        let mut p = parsed("seed001-jiangyang-2023-pipe.txt");
        p.tables.appeals = None;
        let f = missing_tables(&p);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].what,
            What::MissingTable {
                table: TableName::Appeals
            }
        );
        assert_eq!(f[0].severity, Severity::Warning);
        // Announced but unreadable is not missing.
        p.warnings
            .push("appeals: numbers printed but none could be placed; table not read".into());
        assert_eq!(missing_tables(&p), vec![]);
    }

    #[test]
    fn legacy_and_unknown_years_raise_nothing() {
        let p = parsed("seed002-hongsibu-2014-legacy.txt");
        assert_eq!(p.format, Some(Format::Legacy));
        assert_eq!(missing_tables(&p), vec![]);
        // A 2023 report with no tables at all lacks all three.
        let mut p = p;
        p.year = Some(2023);
        assert_eq!(missing_tables(&p).len(), 3);
        p.year = None;
        assert_eq!(missing_tables(&p), vec![]);
    }

    #[test]
    fn the_2019_layout_after_2020_is_outdated() {
        let mut p = parsed("shanghai-2019-office.html");
        assert_eq!(outdated_format(&p), None);
        p.year = Some(2021);
        let f = outdated_format(&p).unwrap();
        assert_eq!(f.what, What::OutdatedFormat);
        assert_eq!(serde_json::to_value(&f).unwrap()["kind"], "outdated_format");
        // The 2019 layout keeps its single （六） row: not missing.
        assert_eq!(missing_rows(&p), vec![]);
    }

    #[test]
    fn unknown_printed_rows_and_unnamed_rows_raise_nothing() {
        let mut p = seed000_without(&["行政强制 |"]);
        p.warnings
            .push("active: row \"行政强 制\" not recognised; ignored".into());
        assert_eq!(missing_rows(&p), vec![]);
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        assert_eq!(absent_rows(&t), None);
        t.printed_rows = Some(vec!["new_received"]);
        assert_eq!(absent_rows(&t).unwrap().len(), 24);
    }
}
