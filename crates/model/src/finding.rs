//! Findings (SPEC §6): what a reviewer must know about a report beyond its tables' own
//! consistency rules.
//!
//! A [`Finding`] is a [`Severity`], a one-sentence `detail` and a [`What`]: the kind with its
//! fields. `serde_json` writes exactly SPEC §6's object — `kind`, `severity`, `detail` and the
//! kind's fields, flat:
//!
//! ```json
//! {"severity":"warning","detail":"…","kind":"narrative_mismatch",
//!  "cell":"requests.new_received.total","text_value":12,"table_value":22,"sentence":"…"}
//! ```
//!
//! Vocabularies are enums ([`Severity`], [`DateBasis`], [`CopyScope`]); dates are
//! [`chrono::NaiveDate`] written `YYYY-MM-DD`; a `narrative_mismatch` names its cell (or the
//! group of cells a sentence sums) as a [`CellPath`], written as a string
//! (`requests.denied_*.total`). What each kind means, and which severity it carries, is
//! documented on [`What`]; the computations live in the main crate (`analyse::findings`).

use crate::{schema, Format, TableName};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The report breaks a rule outright.
    Error,
    /// A reviewer should act: the finding is certain enough to send someone to check.
    Warning,
    /// Worth a look; the evidence is indirect or the reading not certain.
    Notice,
}

impl Severity {
    /// The SPEC spelling: `error`, `warning`, `notice`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

/// Where a `late` finding's publication date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// The date the report page states (`PubDate`, 发布时间, a date in the URL).
    Page,
    /// Only the first crawl that saw the report: an upper bound on the publication date.
    FirstSeen,
}

/// What a `copied` report is a near copy of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyScope {
    /// A report of another agency.
    OtherAgency,
    /// The same agency's report for the previous year, with its table cells unchanged.
    PreviousYear,
}

/// One finding: severity, a one-sentence detail, and the kind with its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// One human sentence (Chinese) saying what was found.
    pub detail: String,
    /// The kind and its fields (serialised flat, with `kind`).
    #[serde(flatten)]
    pub what: What,
}

impl Finding {
    /// The SPEC kind name (`narrative_mismatch`, `late`, …).
    pub fn kind(&self) -> &'static str {
        self.what.kind()
    }
}

/// The kind of a finding and its fields (SPEC §6). Severities, as the analysis assigns them:
///
/// | kind | severity |
/// |---|---|
/// | `narrative_mismatch` | `warning` when the sentence ties to one cell (or one sum, or several readings that hold the same value) and no reading matches; `notice` when the readings disagree among themselves, the sentence names a wider scope (全市, 各部门 …), or another sentence states the table's value for the same cell |
/// | `late` | `warning` with `basis` = `page`, up to a year late; `notice` with `first_seen` (an upper bound only) or more than a year late (most often a re-posted page) |
/// | `edited` | set by whoever computes it |
/// | `copied` | `warning` |
/// | `outdated_format` | `notice` (the data are all there, in the old layout) |
/// | `missing_table` | `warning` |
/// | `missing_rows` | `notice` |
///
/// `error` is not produced by these kinds: each rests on reading a document whose layout the
/// parser may have missed, so none is certain enough to be an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    /// A number the prose states differs from the table cell(s) it names.
    NarrativeMismatch {
        /// The cell, or the cells whose sum the sentence states.
        cell: CellPath,
        /// The number the prose states.
        text_value: i64,
        /// The table's value (blank cells counted as 0, a blank 总计 as the sum of its row).
        table_value: i64,
        /// The sentence as printed (line breaks of the source removed).
        sentence: String,
    },
    /// Published after the legal deadline.
    Late {
        /// 31 January or 31 March of the year after the report year.
        deadline: NaiveDate,
        /// The publication date.
        published: NaiveDate,
        /// Days after the deadline (≥ 1).
        days_late: i64,
        /// Where `published` comes from.
        basis: DateBasis,
    },
    /// Changed after it was first archived (computed elsewhere).
    Edited {
        /// The id of the earlier version.
        previous_id: String,
        /// Number of table cells whose value differs.
        changed_cells: u32,
        /// When the earlier version was first archived.
        first_seen: NaiveDate,
        /// When the change was seen.
        changed_seen: NaiveDate,
    },
    /// A near copy of another archived report.
    Copied {
        /// The other report's id.
        of: String,
        /// Another agency's, or the same agency's previous year's.
        scope: CopyScope,
        /// Similarity (0–1) of the two texts with agency, region, years and numbers masked.
        similarity: f64,
    },
    /// Report year 2021 or later printed in the 2019 layout.
    OutdatedFormat,
    /// Report year 2019 or later without table 二, 三 or 四.
    MissingTable {
        /// The absent table.
        table: TableName,
    },
    /// A present table lacks rows its format prints.
    MissingRows {
        /// The table.
        table: TableName,
        /// The row keys not printed.
        rows: Vec<String>,
    },
}

impl What {
    /// The SPEC kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            What::NarrativeMismatch { .. } => "narrative_mismatch",
            What::Late { .. } => "late",
            What::Edited { .. } => "edited",
            What::Copied { .. } => "copied",
            What::OutdatedFormat => "outdated_format",
            What::MissingTable { .. } => "missing_table",
            What::MissingRows { .. } => "missing_rows",
        }
    }
}

/// A table cell, or a set of cells whose sum a sentence states, written `table.rows.columns`.
///
/// `rows` and `columns` each name one key, a `+`-joined list of keys, or a prefix ending in
/// `*` that stands for every key of the table's schema starting with it:
/// `requests.new_received.total`, `requests.denied_*.total` (every 不予公开 row),
/// `requests.granted+partially_granted.total`, `appeals.litigation_*.upheld` (both 行政诉讼
/// groups), `requests.new_received.commercial+research+public_interest+legal_services+other_org`
/// (法人或其他组织). The value of a path is the sum of its cells.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CellPath {
    /// The table.
    pub table: TableName,
    /// Row keys (schema order).
    pub rows: Vec<&'static str>,
    /// Column keys (schema order).
    pub columns: Vec<&'static str>,
}

impl CellPath {
    /// One cell. `None` when the table's schema (either format) has no such row or column.
    pub fn cell(table: TableName, row: &str, column: &str) -> Option<CellPath> {
        CellPath::sum(table, &[row], &[column])
    }

    /// The sum of `rows` × `columns`; `None` when a key is not in the table's schema.
    pub fn sum(table: TableName, rows: &[&str], columns: &[&str]) -> Option<CellPath> {
        let rows = rows
            .iter()
            .map(|r| row_key(table, r))
            .collect::<Option<Vec<_>>>()?;
        let columns = columns
            .iter()
            .map(|c| column_key(table, c))
            .collect::<Option<Vec<_>>>()?;
        (!rows.is_empty() && !columns.is_empty()).then_some(CellPath {
            table,
            rows,
            columns,
        })
    }

    /// Every (row, column) pair the path covers.
    pub fn cells(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.rows
            .iter()
            .flat_map(move |r| self.columns.iter().map(move |c| (*r, *c)))
    }

    /// Reads the written form back; `None` for anything [`fmt::Display`] would not write.
    pub fn parse(s: &str) -> Option<CellPath> {
        let mut parts = s.splitn(3, '.');
        let table = TableName::parse(parts.next()?)?;
        let rows = expand(parts.next()?, &all_rows(table))?;
        let columns = expand(parts.next()?, &all_columns(table))?;
        Some(CellPath {
            table,
            rows,
            columns,
        })
    }
}

impl fmt::Display for CellPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            self.table.as_str(),
            compact(&self.rows, &all_rows(self.table)),
            compact(&self.columns, &all_columns(self.table))
        )
    }
}

impl Serialize for CellPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CellPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CellPath, D::Error> {
        let s = String::deserialize(d)?;
        CellPath::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("bad cell path {s:?}")))
    }
}

/// Row keys of `table` in either format, schema order, without repeats.
fn all_rows(table: TableName) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for format in [Format::F2021, Format::F2019] {
        for spec in schema(table, format) {
            if !out.contains(&spec.key) {
                out.push(spec.key);
            }
        }
    }
    out
}

/// Column keys of `table` in either format, first-seen order, without repeats.
fn all_columns(table: TableName) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for format in [Format::F2021, Format::F2019] {
        for spec in schema(table, format) {
            for c in spec.columns {
                if !out.contains(c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

fn row_key(table: TableName, key: &str) -> Option<&'static str> {
    all_rows(table).into_iter().find(|k| *k == key)
}

fn column_key(table: TableName, key: &str) -> Option<&'static str> {
    all_columns(table).into_iter().find(|k| *k == key)
}

/// `keys` as one key, a `prefix*` when they are exactly the keys with their common prefix,
/// or a `+`-list.
fn compact(keys: &[&'static str], all: &[&'static str]) -> String {
    if keys.len() > 1 {
        let prefix = common_prefix(keys);
        let matching: Vec<&str> = all
            .iter()
            .copied()
            .filter(|k| k.starts_with(prefix))
            .collect();
        if !prefix.is_empty() && matching.len() == keys.len() {
            return format!("{prefix}*");
        }
    }
    keys.join("+")
}

fn common_prefix<'a>(keys: &[&'a str]) -> &'a str {
    let Some(first) = keys.first() else {
        return "";
    };
    let mut end = first.len();
    for k in &keys[1..] {
        end = end.min(
            first
                .bytes()
                .zip(k.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first.get(..end).unwrap_or("")
}

/// The inverse of [`compact`]: keys of `all` named by `part`, in `all`'s order.
fn expand(part: &str, all: &[&'static str]) -> Option<Vec<&'static str>> {
    let keys: Vec<&'static str> = if let Some(prefix) = part.strip_suffix('*') {
        all.iter()
            .copied()
            .filter(|k| k.starts_with(prefix))
            .collect()
    } else {
        part.split('+')
            .map(|p| all.iter().copied().find(|k| *k == p))
            .collect::<Option<Vec<_>>>()?
    };
    (!keys.is_empty()).then_some(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn narrative_mismatch_serialises_as_the_spec_object() {
        let f = Finding {
            severity: Severity::Warning,
            detail: "正文称本年新收申请12件，表三为22件。".into(),
            what: What::NarrativeMismatch {
                cell: CellPath::cell(TableName::Requests, "new_received", "total").unwrap(),
                text_value: 12,
                table_value: 22,
                sentence: "共办理依申请公开政府信息 12 件".into(),
            },
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["kind"], "narrative_mismatch");
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["cell"], "requests.new_received.total");
        assert_eq!(v["text_value"], 12);
        assert_eq!(v["table_value"], 22);
        assert_eq!(v.as_object().unwrap().len(), 7);
        let back: Finding = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn every_kind_round_trips() {
        let whats = [
            What::Late {
                deadline: date("2024-01-31"),
                published: date("2024-02-05"),
                days_late: 5,
                basis: DateBasis::Page,
            },
            What::Edited {
                previous_id: "ab".into(),
                changed_cells: 3,
                first_seen: date("2024-02-01"),
                changed_seen: date("2024-05-01"),
            },
            What::Copied {
                of: "cd".into(),
                scope: CopyScope::PreviousYear,
                similarity: 0.97,
            },
            What::OutdatedFormat,
            What::MissingTable {
                table: TableName::Appeals,
            },
            What::MissingRows {
                table: TableName::Requests,
                rows: vec!["other_no_correction".into()],
            },
        ];
        for what in whats {
            let f = Finding {
                severity: Severity::Notice,
                detail: "d".into(),
                what,
            };
            let v = serde_json::to_value(&f).unwrap();
            assert_eq!(v["kind"], f.kind());
            assert_eq!(v["severity"], "notice");
            let back: Finding = serde_json::from_value(v).unwrap();
            assert_eq!(back, f);
        }
        let late = serde_json::to_value(Finding {
            severity: Severity::Warning,
            detail: String::new(),
            what: What::Late {
                deadline: date("2024-01-31"),
                published: date("2024-02-05"),
                days_late: 5,
                basis: DateBasis::FirstSeen,
            },
        })
        .unwrap();
        assert_eq!(late["deadline"], "2024-01-31");
        assert_eq!(late["basis"], "first_seen");
        let outdated = serde_json::to_value(Finding {
            severity: Severity::Notice,
            detail: String::new(),
            what: What::OutdatedFormat,
        })
        .unwrap();
        assert_eq!(outdated.as_object().unwrap().len(), 3);
    }

    #[test]
    fn cell_paths_write_groups_compactly_and_read_back() {
        let denied: Vec<&str> = crate::REQUESTS
            .iter()
            .map(|r| r.key)
            .filter(|k| k.starts_with("denied_"))
            .collect();
        let cases = [
            (
                CellPath::sum(TableName::Requests, &denied, &["total"]).unwrap(),
                "requests.denied_*.total",
            ),
            (
                CellPath::sum(
                    TableName::Requests,
                    &["granted", "partially_granted"],
                    &["total"],
                )
                .unwrap(),
                "requests.granted+partially_granted.total",
            ),
            (
                CellPath::sum(
                    TableName::Appeals,
                    &["litigation_direct", "litigation_after_review"],
                    &["upheld"],
                )
                .unwrap(),
                "appeals.litigation_*.upheld",
            ),
            (
                CellPath::sum(
                    TableName::Requests,
                    &["new_received"],
                    &[
                        "commercial",
                        "research",
                        "public_interest",
                        "legal_services",
                        "other_org",
                    ],
                )
                .unwrap(),
                "requests.new_received.commercial+research+public_interest+legal_services+other_org",
            ),
            (
                CellPath::cell(TableName::Active, "fees", "amount").unwrap(),
                "active.fees.amount",
            ),
        ];
        for (path, text) in cases {
            assert_eq!(path.to_string(), text);
            assert_eq!(CellPath::parse(text), Some(path.clone()), "{text}");
        }
        let other = CellPath::parse("requests.other*.total").unwrap();
        assert_eq!(other.rows.len(), 4);
        assert_eq!(other.to_string(), "requests.other*.total");
        assert_eq!(CellPath::parse("requests.nope.total"), None);
        assert_eq!(CellPath::parse("requests.granted"), None);
        assert_eq!(
            CellPath::cell(TableName::Requests, "granted", "upheld"),
            None
        );
    }
}
