//! SPEC §4 export: one JSON object per unique report (`jsonl`) or one row per cell (`csv`),
//! both written from the archive's read model ([`crate::archive::record::Record`]).
//!
//! Reports are written in a stable order (agency, year, id) and cells in their tables' schema
//! order, so two exports of equal archives are byte-identical — the kill tests compare them.

use std::io::Write;

use crate::archive::record::Record;
use crate::archive::{Archive, ArchiveError};
use crate::model::{Origin, TableName};

/// An export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the archive.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// Writing the output.
    #[error("writing export: {0}")]
    Io(#[from] std::io::Error),
}

/// Call `each` with every report's record, in export order.
fn each_record(
    a: &Archive,
    mut each: impl FnMut(&Record) -> Result<(), ExportError>,
) -> Result<usize, ExportError> {
    let ids = a.record_ids()?;
    let mut n = 0;
    for id in &ids {
        // A report deleted since the ids were read (a crawl writing meanwhile) is skipped.
        if let Some(record) = a.record(id)? {
            each(&record)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Write every report as one JSON line.
pub fn jsonl(a: &Archive, out: &mut dyn Write) -> Result<usize, ExportError> {
    each_record(a, |record| {
        serde_json::to_writer(&mut *out, record).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        Ok(())
    })
}

/// The CSV header: one row per cell of every table a report contains.
pub const CSV_HEADER: &str =
    "report_id,title,agency,year,format,source,table,row,column,value,raw,origin";

/// Write every cell as one CSV row (RFC 4180; see [`CSV_HEADER`]); returns the rows written.
pub fn csv(a: &Archive, out: &mut dyn Write) -> Result<usize, ExportError> {
    writeln!(out, "{CSV_HEADER}")?;
    let mut rows = 0;
    each_record(a, |r| {
        let report = [
            csv_text(&r.id),
            csv_text(r.title.as_deref().unwrap_or("")),
            csv_text(r.agency.as_deref().unwrap_or("")),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            r.format.map(|f| f.as_str()).unwrap_or("").to_string(),
            r.source.as_str().to_string(),
        ]
        .join(",");
        for name in TableName::ALL {
            let Some(table) = r.tables.get(name) else {
                continue;
            };
            for (row, col, cell) in table.iter() {
                let value = cell.value.map(|v| v.to_string()).unwrap_or_default();
                let origin = match cell.origin {
                    Origin::Read => "read",
                    Origin::Inferred => "inferred",
                };
                writeln!(
                    out,
                    "{report},{},{row},{col},{value},{},{origin}",
                    name.as_str(),
                    csv_text(&cell.raw)
                )?;
                rows += 1;
            }
        }
        Ok(())
    })?;
    Ok(rows)
}

/// A text field as a CSV cell: RFC 4180 quoting, and text a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, OWASP's list) prefixed with
/// `'` so it shows as typed. A plain number ("-3", "+5") or a lone "-" (a blank cell) is left
/// as it is.
fn csv_text(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && s.chars().nth(1).is_some()
        && s.parse::<f64>().is_err();
    let s = if formula {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::csv_text;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_text("a"), "a");
        assert_eq!(csv_text("a,b"), "\"a,b\"");
        assert_eq!(csv_text("say \"x\""), "\"say \"\"x\"\"\"");
    }

    #[test]
    fn csv_neutralises_formulas_but_not_numbers() {
        assert_eq!(
            csv_text("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_text("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("-3"), "-3");
        assert_eq!(csv_text("+5"), "+5");
        assert_eq!(csv_text("-"), "-");
        assert_eq!(csv_text("-1+1"), "'-1+1");
        assert_eq!(csv_text("某局"), "某局");
    }
}
