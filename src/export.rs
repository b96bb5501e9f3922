//! SPEC §4 export: one JSON object per unique report (`jsonl`) or one row per cell (`csv`).
//!
//! Reports are written in a stable order (agency, year, id) so two exports of equal archives
//! are byte-identical — the kill tests compare them.

use std::io::Write;

use rusqlite::params;

use crate::archive::{Archive, ArchiveError};

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

/// Report ids in export order.
fn report_ids(a: &Archive) -> Result<Vec<String>, ArchiveError> {
    let mut st = a
        .conn()
        .prepare("SELECT id FROM reports ORDER BY coalesce(agency, ''), coalesce(year, 0), id")
        .map_err(|e| a.err(e))?;
    let ids = st
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
        .map_err(|e| a.err(e))?;
    Ok(ids)
}

/// The SPEC §4 record of one report (plus `status`, `published`, `region`, `warnings`).
pub fn record(a: &Archive, id: &str) -> Result<serde_json::Value, ArchiveError> {
    type Meta = (
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let (title, agency, year, format, source, status, published, region): Meta = a
        .conn()
        .query_row(
            "SELECT title, agency, year, format, source, status, published, region FROM reports WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .map_err(|e| a.err(e))?;
    let urls = strings(
        a,
        "SELECT url FROM report_urls WHERE report_id = ?1 ORDER BY url",
        id,
    )?;
    let warnings = strings(
        a,
        "SELECT message FROM warnings WHERE report_id = ?1 ORDER BY rowid",
        id,
    )?;
    let tables = a.load_tables(id)?;
    let checks = a.load_checks(id)?;
    let checks: Vec<serde_json::Value> = checks
        .iter()
        .map(|c| serde_json::json!({"rule": c.rule, "ok": c.ok, "left": c.left, "right": c.right}))
        .collect();
    Ok(serde_json::json!({
        "id": id,
        "title": title,
        "agency": agency,
        "year": year,
        "format": format,
        "urls": urls,
        "source": source,
        "tables": tables.to_json(),
        "checks": checks,
        "status": status,
        "published": published,
        "region": region,
        "warnings": warnings,
    }))
}

/// The one-column result of `sql` for report `id`.
fn strings(a: &Archive, sql: &str, id: &str) -> Result<Vec<String>, ArchiveError> {
    let mut st = a.conn().prepare_cached(sql).map_err(|e| a.err(e))?;
    let rows = st
        .query_map(params![id], |r| r.get(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
        .map_err(|e| a.err(e))?;
    Ok(rows)
}

/// Write every report as one JSON line.
pub fn jsonl(a: &Archive, out: &mut dyn Write) -> Result<usize, ExportError> {
    let ids = report_ids(a)?;
    for id in &ids {
        let rec = record(a, id)?;
        serde_json::to_writer(&mut *out, &rec).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(ids.len())
}

/// Write every cell as one CSV row: report_id, title, agency, year, format, source, table, row,
/// column, value, raw, origin.
pub fn csv(a: &Archive, out: &mut dyn Write) -> Result<usize, ExportError> {
    writeln!(
        out,
        "report_id,title,agency,year,format,source,table,row,column,value,raw,origin"
    )?;
    let mut st = a
        .conn()
        .prepare(
            "SELECT c.report_id, r.title, r.agency, r.year, r.format, r.source, c.tbl, c.row, c.col,
                    CAST(c.value AS TEXT), c.raw, c.origin
             FROM cells c JOIN reports r ON r.id = c.report_id
             ORDER BY coalesce(r.agency, ''), coalesce(r.year, 0), c.report_id, c.tbl, c.rowid",
        )
        .map_err(|e| a.err(e))?;
    let mut rows = st.query([]).map_err(|e| a.err(e))?;
    let mut n = 0;
    while let Some(r) = rows.next().map_err(|e| a.err(e))? {
        let mut fields = Vec::with_capacity(12);
        for i in 0..12 {
            let v: rusqlite::types::Value = r.get(i).map_err(|e| a.err(e))?;
            fields.push(match v {
                rusqlite::types::Value::Null => String::new(),
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Real(f) => f.to_string(),
                rusqlite::types::Value::Text(t) => csv_field(&t),
                rusqlite::types::Value::Blob(_) => String::new(),
            });
        }
        writeln!(out, "{}", fields.join(","))?;
        n += 1;
    }
    Ok(n)
}

/// RFC 4180 quoting.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("a"), "a");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
