//! Reading parsed tables, checks and doubts back out of the `cells`, `checks` and `doubts`
//! tables (export, cross-year checks, the web UI).

use rusqlite::{params, OptionalExtension};

use super::{Archive, ArchiveError, Result};
use crate::model::{
    Cell, Check, Doubt, DoubtKind, Finding, Format, Number, Origin, Table, TableName, Tables,
};

fn number_from(v: rusqlite::types::Value) -> Option<Number> {
    match v {
        rusqlite::types::Value::Integer(i) => Some(Number::Int(i)),
        rusqlite::types::Value::Real(r) => Some(Number::Decimal(r)),
        _ => None,
    }
}

impl Archive {
    /// The stored tables of a report (a table is `None` when no cell of it is stored).
    pub fn load_tables(&self, report_id: &str) -> Result<Tables> {
        let format: Option<String> = self
            .conn
            .query_row(
                "SELECT format FROM reports WHERE id = ?1",
                [report_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .flatten();
        let Some(format) = format
            .as_deref()
            .and_then(Format::parse)
            .filter(|f| *f != Format::Legacy)
        else {
            return Ok(Tables::default());
        };
        let mut tables = Tables::default();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT tbl, row, col, value, raw, origin FROM cells WHERE report_id = ?1",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = st.query(params![report_id]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let tbl: String = r.get(0).map_err(|e| self.err(e))?;
            let Some(name) = TableName::parse(&tbl) else {
                continue;
            };
            let row: String = r.get(1).map_err(|e| self.err(e))?;
            let col: String = r.get(2).map_err(|e| self.err(e))?;
            let value: rusqlite::types::Value = r.get(3).map_err(|e| self.err(e))?;
            let raw: String = r.get(4).map_err(|e| self.err(e))?;
            let origin: String = r.get(5).map_err(|e| self.err(e))?;
            let slot = match name {
                TableName::Active => &mut tables.active,
                TableName::Requests => &mut tables.requests,
                TableName::Appeals => &mut tables.appeals,
            };
            let table = slot.get_or_insert_with(|| Table::empty(name, format));
            if let Some(cell) = table.get_mut(&row, &col) {
                *cell = Cell {
                    raw,
                    value: number_from(value),
                    origin: if origin == "inferred" {
                        Origin::Inferred
                    } else {
                        Origin::Read
                    },
                };
            }
        }
        Ok(tables)
    }

    /// The stored checks of a report, in rule order.
    pub fn load_checks(&self, report_id: &str) -> Result<Vec<Check>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT rule, ok, left, right, cells FROM checks WHERE report_id = ?1 ORDER BY rowid")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([report_id], |r| {
                let cells: Option<String> = r.get(4)?;
                Ok(Check {
                    rule: r.get(0)?,
                    ok: r.get(1)?,
                    left: number_from(r.get(2)?).unwrap_or(Number::Int(0)),
                    right: number_from(r.get(3)?).unwrap_or(Number::Int(0)),
                    cells: cells
                        .and_then(|c| serde_json::from_str(&c).ok())
                        .unwrap_or_default(),
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The stored findings of a report (SPEC §6), in the order they were found.
    pub fn load_findings(&self, report_id: &str) -> Result<Vec<Finding>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT finding FROM findings WHERE report_id = ?1 ORDER BY rowid")
            .map_err(|e| self.err(e))?;
        let rows: Vec<String> = st
            .query_map([report_id], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        // A finding this version cannot read (written by a newer one) is left out, not fatal.
        Ok(rows
            .iter()
            .filter_map(|json| serde_json::from_str(json).ok())
            .collect())
    }

    /// Replace the findings of a report.
    pub fn save_findings(&self, report_id: &str, findings: &[Finding]) -> Result<()> {
        self.exec("DELETE FROM findings WHERE report_id = ?1", [report_id])
            .map_err(|e| self.err(e))?;
        let mut st = self
            .conn
            .prepare_cached(
                "INSERT INTO findings (report_id, kind, severity, finding) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(|e| self.err(e))?;
        for f in findings {
            let json = serde_json::to_string(f).map_err(|e| ArchiveError::Encode {
                path: self.path.clone(),
                what: format!("finding of {report_id}: {e}"),
            })?;
            st.execute(params![report_id, f.kind(), f.severity.as_str(), json])
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// The stored doubts of a report, in the order the parser raised them. A row whose table or
    /// kind this version does not know is skipped.
    pub fn load_doubts(&self, report_id: &str) -> Result<Vec<Doubt>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT tbl, row, col, kind, detail FROM doubts WHERE report_id = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.err(e))?;
        type Stored = (String, Option<String>, Option<String>, String, String);
        let rows: Vec<Stored> = st
            .query_map([report_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .filter_map(|(tbl, row, column, kind, detail)| {
                Some(Doubt {
                    table: TableName::parse(&tbl)?,
                    row,
                    column,
                    kind: DoubtKind::parse(&kind)?,
                    detail,
                })
            })
            .collect())
    }

    /// The report of `agency` for `year` with parsed tables, if archived.
    pub fn report_of(&self, agency: &str, year: i32) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT id FROM reports WHERE agency = ?1 AND year = ?2 AND format IN ('2019', '2021')
                 ORDER BY last_seen_at DESC LIMIT 1",
                params![agency, year],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// (Re)compute `cross_year.carried_over` for `report_id` and for the same agency's next
    /// year, whichever pairs are archived.
    pub fn update_cross_year(&self, report_id: &str, agency: &str, year: i32) -> Result<()> {
        let pairs = [
            (
                self.report_of(agency, year - 1)?,
                Some(report_id.to_string()),
            ),
            (
                Some(report_id.to_string()),
                self.report_of(agency, year + 1)?,
            ),
        ];
        for (prev, cur) in pairs {
            let (Some(prev), Some(cur)) = (prev, cur) else {
                continue;
            };
            if prev == cur {
                continue;
            }
            let check = crate::parse::checks::cross_year(
                &self.load_tables(&prev)?,
                &self.load_tables(&cur)?,
            );
            self.exec(
                "DELETE FROM checks WHERE report_id = ?1 AND rule = 'cross_year.carried_over'",
                [&cur],
            )
            .map_err(|e| self.err(e))?;
            if let Some(c) = check {
                let to_sql = |n: Number| match n {
                    Number::Int(i) => rusqlite::types::Value::Integer(i),
                    Number::Decimal(d) => rusqlite::types::Value::Real(d),
                };
                self.exec(
                        "INSERT OR REPLACE INTO checks (report_id, rule, ok, left, right, cells) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![cur, c.rule, c.ok, to_sql(c.left), to_sql(c.right), serde_json::to_string(&c.cells).unwrap_or_default()],
                    )
                    .map_err(|e| self.err(e))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::archive::store::tests::archive_with_one_request;
    use crate::model::{Finding, Severity, TableName, What};

    #[test]
    fn findings_round_trip_and_are_replaced() {
        let (_dir, a, _, _) = archive_with_one_request();
        a.conn()
            .execute(
                "INSERT INTO reports (id, source, status, text, first_seen_at, last_seen_at)
                 VALUES ('r1', 'html', 'parsed', 'x', 0, 0)",
                [],
            )
            .unwrap();
        let found = vec![
            Finding {
                severity: Severity::Warning,
                detail: "表三缺失".into(),
                what: What::MissingTable {
                    table: TableName::Requests,
                },
            },
            Finding {
                severity: Severity::Notice,
                detail: "旧格式".into(),
                what: What::OutdatedFormat,
            },
        ];
        a.save_findings("r1", &found).unwrap();
        assert_eq!(a.load_findings("r1").unwrap(), found);
        let kinds: Vec<(String, String)> = a
            .conn()
            .prepare("SELECT kind, severity FROM findings ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            kinds,
            [
                ("missing_table".to_string(), "warning".to_string()),
                ("outdated_format".to_string(), "notice".to_string())
            ]
        );
        a.save_findings("r1", &found[1..]).unwrap();
        assert_eq!(a.load_findings("r1").unwrap(), found[1..]);
    }
}
