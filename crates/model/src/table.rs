//! Parsed tables: cell values ([`Number`]), where a value came from ([`Origin`]), cells, one
//! table laid out as its schema ([`Table`]), a report's three tables ([`Tables`], serialised as
//! SPEC §4's `tables`), and the result of one consistency rule ([`Check`]).

use serde::{Deserialize, Serialize};

use crate::schema::{schema, Format, RowSpec, TableName};

/// A cell's numeric value: an integer count, or a decimal (money).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Number {
    /// A count, or a money amount printed without decimals.
    Int(i64),
    /// A money amount with decimals (万元 fees, procurement totals).
    Decimal(f64),
}

impl Number {
    /// The value as f64, for sums that mix integers and decimals.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Decimal(d) => d,
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Decimal(d) => write!(f, "{d}"),
        }
    }
}

/// How a cell's value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Read from the document.
    #[default]
    Read,
    /// Reconstructed from the table's own identities because the layout lost it (unique solution).
    Inferred,
}

/// One table cell: the raw text as printed, its value, and where the value came from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cell {
    /// Text of the cell as found in the document (empty when the cell was missing).
    pub raw: String,
    /// The number, or `None` for blank, `/`, `-`, `—`, `无` or missing.
    pub value: Option<Number>,
    /// Read or inferred.
    pub origin: Origin,
}

/// One parsed table laid out as its [`schema`]: `cells[r][c]` is row `schema[r]`, column
/// `schema[r].columns[c]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Which table this is.
    pub name: TableName,
    /// The layout it was read in (never `Legacy`).
    pub format: Format,
    /// Cells in schema order.
    pub cells: Vec<Vec<Cell>>,
    /// Row keys whose labels the parser found printed, in schema order: a row can be printed
    /// blank (in this list, cells `None`) or not printed at all (not in it). `None` when not
    /// known: a table built by hand or read back from the archive, or `appeals` (its groups
    /// are read by position).
    pub printed_rows: Option<Vec<&'static str>>,
}

impl Table {
    /// An all-blank table of `name` in `format`.
    pub fn empty(name: TableName, format: Format) -> Table {
        let cells = schema(name, format)
            .iter()
            .map(|row| vec![Cell::default(); row.columns.len()])
            .collect();
        Table {
            name,
            format,
            cells,
            printed_rows: None,
        }
    }

    /// The schema this table follows.
    pub fn schema(&self) -> &'static [RowSpec] {
        schema(self.name, self.format)
    }

    /// The cell at (`row`, `column`) keys, if the schema has it.
    pub fn get(&self, row: &str, column: &str) -> Option<&Cell> {
        let (r, c) = self.position(row, column)?;
        self.cells.get(r)?.get(c)
    }

    /// Mutable access to the cell at (`row`, `column`) keys.
    pub fn get_mut(&mut self, row: &str, column: &str) -> Option<&mut Cell> {
        let (r, c) = self.position(row, column)?;
        self.cells.get_mut(r)?.get_mut(c)
    }

    /// The value at (`row`, `column`), `None` when blank or absent.
    pub fn value(&self, row: &str, column: &str) -> Option<Number> {
        self.get(row, column).and_then(|c| c.value)
    }

    fn position(&self, row: &str, column: &str) -> Option<(usize, usize)> {
        let spec = self.schema();
        let r = spec.iter().position(|s| s.key == row)?;
        let c = spec[r].columns.iter().position(|k| *k == column)?;
        Some((r, c))
    }

    /// Every cell with its row and column keys, in schema order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str, &Cell)> {
        self.schema()
            .iter()
            .zip(&self.cells)
            .flat_map(|(spec, row)| {
                spec.columns
                    .iter()
                    .zip(row)
                    .map(move |(col, cell)| (spec.key, *col, cell))
            })
    }

    /// True when no cell holds a value (the reposted empty template, or nothing found).
    pub fn is_blank(&self) -> bool {
        self.iter().all(|(_, _, c)| c.value.is_none())
    }

    /// The SPEC §4 JSON object: `{row: {column: value|null}}` with every row key present.
    pub fn to_json(&self) -> serde_json::Value {
        let mut rows = serde_json::Map::new();
        for (spec, cells) in self.schema().iter().zip(&self.cells) {
            let mut cols = serde_json::Map::new();
            for (col, cell) in spec.columns.iter().zip(cells) {
                cols.insert(
                    (*col).to_string(),
                    serde_json::to_value(cell.value).unwrap_or_default(),
                );
            }
            rows.insert(spec.key.to_string(), serde_json::Value::Object(cols));
        }
        serde_json::Value::Object(rows)
    }
}

impl Serialize for Table {
    /// As [`Table::to_json`].
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut rows = s.serialize_map(Some(self.cells.len()))?;
        for (spec, cells) in self.schema().iter().zip(&self.cells) {
            rows.serialize_entry(spec.key, &RowValues(spec.columns, cells))?;
        }
        rows.end()
    }
}

/// One row of a table as `{column: value|null}`.
struct RowValues<'a>(&'static [&'static str], &'a [Cell]);

impl Serialize for RowValues<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut cols = s.serialize_map(Some(self.0.len()))?;
        for (col, cell) in self.0.iter().zip(self.1) {
            cols.serialize_entry(col, &cell.value)?;
        }
        cols.end()
    }
}

/// The three tables of a report; `None` where the report does not contain the table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tables {
    /// 二、主动公开政府信息情况
    pub active: Option<Table>,
    /// 三、收到和处理政府信息公开申请情况
    pub requests: Option<Table>,
    /// 四、政府信息公开行政复议、行政诉讼情况
    pub appeals: Option<Table>,
}

impl Tables {
    /// The table called `name`.
    pub fn get(&self, name: TableName) -> Option<&Table> {
        match name {
            TableName::Active => self.active.as_ref(),
            TableName::Requests => self.requests.as_ref(),
            TableName::Appeals => self.appeals.as_ref(),
        }
    }

    /// SPEC §4 `tables` object (what its `Serialize` writes, as a value).
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for name in TableName::ALL {
            let v = self
                .get(name)
                .map(Table::to_json)
                .unwrap_or(serde_json::Value::Null);
            out.insert(name.as_str().to_string(), v);
        }
        serde_json::Value::Object(out)
    }
}

impl Serialize for Tables {
    /// SPEC §4 `tables`: every table name, `null` for a table the report does not contain.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut out = s.serialize_map(Some(TableName::ALL.len()))?;
        for name in TableName::ALL {
            out.serialize_entry(name.as_str(), &self.get(name))?;
        }
        out.end()
    }
}

/// The result of evaluating one consistency rule (SPEC §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Stable rule name, e.g. `requests.balance.total`.
    pub rule: String,
    /// Whether left equals right.
    pub ok: bool,
    /// Left-hand side with blanks counted as 0.
    pub left: Number,
    /// Right-hand side with blanks counted as 0.
    pub right: Number,
    /// The cells the rule reads, as `table.row.column`, so a UI can highlight them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
}
