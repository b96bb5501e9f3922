//! A parsed report as aligned text for a terminal (`nianbao parse FILE`, `nianbao show`).
//!
//! Rows come in schema order with their official labels; blank cells print as `–`, inferred
//! cells carry a `*`, doubted cells a `~` (see [`crate::model::Doubt`]), cells whose text could
//! not be read print `?`. Failing checks follow with both sides, then the doubts with their
//! reasons, then the parser's warnings.

use crate::model::{
    Cell, Check, Doubt, Origin, ParsedReport, Table, TableName, APPEAL_COLUMN_LABELS,
    REQUEST_COLUMN_LABELS,
};
use std::fmt::Write as _;

/// Width of the label column, in terminal cells.
const LABEL_WIDTH: usize = 34;

/// The report's tables, failing checks and warnings as text.
pub fn terminal(report: &ParsedReport, checks: &[Check]) -> String {
    let mut out = String::new();
    if let Some(t) = &report.title {
        let _ = writeln!(out, "{t}");
    }
    let _ = writeln!(
        out,
        "agency: {}   year: {}   format: {}",
        report.agency.as_deref().unwrap_or("?"),
        report
            .year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "?".into()),
        report.format.map(|f| f.as_str()).unwrap_or("not a report"),
    );
    for name in TableName::ALL {
        let _ = writeln!(out, "\n{}", name.heading());
        match report.tables.get(name) {
            None => {
                let _ = writeln!(out, "  (not found)");
            }
            Some(t) => table(&mut out, t, &report.doubts),
        }
    }
    let failed: Vec<&Check> = checks.iter().filter(|c| !c.ok).collect();
    let _ = writeln!(
        out,
        "\nchecks: {} evaluated, {} failed",
        checks.len(),
        failed.len()
    );
    for c in failed {
        let _ = writeln!(out, "  ✗ {}: {} ≠ {}", c.rule, c.left, c.right);
    }
    if !report.doubts.is_empty() {
        let _ = writeln!(
            out,
            "\ndoubts (~ = a cell read with less than full certainty):"
        );
        for d in &report.doubts {
            let place = match (&d.row, &d.column) {
                (Some(r), Some(c)) => format!("{}.{r}.{c}", d.table.as_str()),
                (Some(r), None) => format!("{}.{r}", d.table.as_str()),
                _ => d.table.as_str().to_string(),
            };
            let _ = writeln!(out, "  ~ {place} ({}): {}", d.kind.as_str(), d.detail);
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in &report.warnings {
            let _ = writeln!(out, "  ! {w}");
        }
    }
    if report
        .tables
        .get(TableName::Requests)
        .is_some_and(|t| t.iter().any(|(_, _, c)| c.origin == Origin::Inferred))
        || report
            .tables
            .get(TableName::Appeals)
            .is_some_and(|t| t.iter().any(|(_, _, c)| c.origin == Origin::Inferred))
    {
        let _ = writeln!(out, "\n* = column inferred from the table's identities");
    }
    out
}

fn table(out: &mut String, t: &Table, doubts: &[Doubt]) {
    let value = |row: &str, col: &str, c: &Cell| {
        let mut s = value(c);
        if doubts.iter().any(|d| d.covers(t.name, row, col)) {
            s.push('~');
        }
        s
    };
    match t.name {
        TableName::Active => {
            for (spec, cells) in t.schema().iter().zip(&t.cells) {
                let _ = write!(out, "  {}", pad(spec.label, LABEL_WIDTH));
                for (col, cell) in spec.columns.iter().zip(cells) {
                    let _ = write!(out, "  {col} {}", value(spec.key, col, cell));
                }
                out.push('\n');
            }
        }
        TableName::Requests | TableName::Appeals => {
            let header = if t.name == TableName::Requests {
                REQUEST_COLUMN_LABELS
            } else {
                APPEAL_COLUMN_LABELS
            };
            let _ = write!(out, "  {}", pad("", LABEL_WIDTH));
            for h in header {
                let _ = write!(out, "{}", lpad(&head(h, 8), 9));
            }
            out.push('\n');
            for (spec, cells) in t.schema().iter().zip(&t.cells) {
                let _ = write!(out, "  {}", pad(spec.label, LABEL_WIDTH));
                for (col, cell) in spec.columns.iter().zip(cells) {
                    let _ = write!(out, "{}", lpad(&value(spec.key, col, cell), 9));
                }
                out.push('\n');
            }
        }
    }
}

fn value(c: &Cell) -> String {
    let mut s = match (&c.value, c.raw.is_empty()) {
        (Some(n), _) => n.to_string(),
        (None, true) => "–".to_string(),
        (None, false) if crate::parse::cells::is_value_like(&c.raw) => "–".to_string(),
        (None, false) => "?".to_string(),
    };
    if c.origin == Origin::Inferred {
        s.push('*');
    }
    s
}

/// Terminal width of `s`: East Asian wide characters take two cells.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// `s` cut to `w` cells (with `…`) and padded on the right.
fn pad(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if used + cw > w.saturating_sub(1) && width(s) > w {
            out.push('…');
            used += 1;
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push_str(&" ".repeat(w.saturating_sub(used)));
    out
}

/// The head of a column label that fits in `w` cells ("社会公益组织" → "社会公益").
fn head(label: &str, w: usize) -> String {
    let mut used = 0;
    label
        .chars()
        .take_while(|c| {
            used += width(c.encode_utf8(&mut [0; 4]));
            used <= w
        })
        .collect()
}

/// `s` padded on the left to `w` cells.
fn lpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Number, Tables};

    #[test]
    fn marks_inferred_and_lists_failures() {
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        if let Some(c) = t.get_mut("total_processed", "total") {
            *c = Cell {
                raw: "22".into(),
                value: Some(Number::Int(22)),
                origin: Origin::Inferred,
            };
        }
        let report = ParsedReport {
            doubts: vec![Doubt::row(
                TableName::Requests,
                "granted",
                crate::model::DoubtKind::Elimination,
                "5 of 7 cells printed",
            )],
            agency: Some("湟中区".into()),
            year: Some(2023),
            format: Some(Format::F2021),
            tables: Tables {
                requests: Some(t),
                ..Default::default()
            },
            ..Default::default()
        };
        let checks = vec![Check {
            rule: "requests.row_total.total_processed".into(),
            ok: false,
            left: Number::Int(22),
            right: Number::Int(0),
            cells: vec![],
        }];
        let s = terminal(&report, &checks);
        assert!(s.contains("22*"), "{s}");
        assert!(
            s.contains("✗ requests.row_total.total_processed: 22 ≠ 0"),
            "{s}"
        );
        assert!(s.contains("（七）总计"), "{s}");
        assert!(s.contains("(not found)"), "{s}");
        let line = s.lines().find(|l| l.contains("（一）予以公开")).unwrap();
        assert!(line.ends_with("–~"), "{line}");
        assert!(
            s.contains("~ requests.granted (elimination): 5 of 7 cells printed"),
            "{s}"
        );
        let line = s.lines().find(|l| l.contains("（七）总计")).unwrap();
        assert!(line.ends_with("22*"), "{line}");
    }

    #[test]
    fn padding_counts_wide_characters() {
        assert_eq!(width(&pad("规章", 10)), 10);
        assert_eq!(
            width(&pad(
                "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                20
            )),
            20
        );
    }
}
