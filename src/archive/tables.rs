//! Reading parsed tables, checks and doubts back out of the `cells`, `checks` and `doubts`
//! tables (export, cross-year checks, the web UI).

use rusqlite::{params, OptionalExtension};

use super::{Archive, Result};
use crate::model::{
    Cell, Check, Doubt, DoubtKind, Format, Number, Origin, Table, TableName, Tables,
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
