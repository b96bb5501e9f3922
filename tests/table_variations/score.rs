//! A parse against the report it was rendered from: cells exact or misread, and whether each
//! misread cell sits in a table the parse doubted (a misread without a doubt is silent: the
//! number looks right and is wrong).

use super::world::Report;
use nianbao::model::{Number, ParsedReport, TableName};

/// What one or many parses scored.
#[derive(Debug, Default, Clone)]
pub struct Score {
    pub documents: usize,
    pub cells: usize,
    pub exact: usize,
    /// Misread cells, described.
    pub misread: Vec<String>,
    /// Misread cells in a table without any doubt.
    pub silent: Vec<String>,
    /// Misread cells in a doubted table whose doubts do not name their row or cell.
    pub loose: usize,
    /// Doubts raised on tables read exactly (noise), and tables compared.
    pub needless_doubts: usize,
    pub tables: usize,
}

fn same(a: Option<Number>, b: Option<Number>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x.as_f64() - y.as_f64()).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

impl Score {
    /// Score `parsed` against `want`; `what` names the document in messages.
    pub fn add(&mut self, what: &str, want: &Report, parsed: &ParsedReport) {
        self.documents += 1;
        if parsed.format != Some(want.layout.format()) {
            self.misread
                .push(format!("{what}: format {:?}", parsed.format));
        }
        for name in TableName::ALL {
            let Some(w) = want.tables.get(name) else {
                continue;
            };
            self.tables += 1;
            let got = parsed.tables.get(name);
            let doubted = parsed.doubts.iter().any(|d| d.table == name);
            let mut wrong_here = 0;
            for (row, col, cell) in w.iter() {
                self.cells += 1;
                let g = got.and_then(|t| t.get(row, col)).and_then(|c| c.value);
                if same(g, cell.value) {
                    self.exact += 1;
                    continue;
                }
                wrong_here += 1;
                let msg = format!(
                    "{what}: {}.{row}.{col} = {g:?}, printed {:?}",
                    name.as_str(),
                    cell.raw
                );
                if !doubted {
                    self.silent.push(msg.clone());
                } else if !parsed.doubts.iter().any(|d| d.covers(name, row, col)) {
                    self.loose += 1;
                }
                self.misread.push(msg);
            }
            if doubted && wrong_here == 0 {
                self.needless_doubts += 1;
            }
        }
    }

    /// One line: documents, exact cells, misread and silent.
    pub fn line(&self, source: &str) -> String {
        let pct = if self.cells == 0 {
            100.0
        } else {
            100.0 * self.exact as f64 / self.cells as f64
        };
        format!(
            "{source:<10} {:>5} documents {:>7} cells {:>9.4}% exact {:>5} misread {:>4} silent {:>4} not named by a doubt; doubted tables read exactly: {}/{}",
            self.documents,
            self.cells,
            pct,
            self.misread.len(),
            self.silent.len(),
            self.loose,
            self.needless_doubts,
            self.tables
        )
    }
}
