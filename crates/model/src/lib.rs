//! The canonical report model of `SPEC.md` §2–§4: formats, the three tables, their row and
//! column keys, cells, parse results and consistency checks.
//!
//! Tables are schema-driven: every table of every format is described by a static list of
//! [`RowSpec`]s (key, official label, column keys), and a [`Table`] is a grid of [`Cell`]s laid
//! out in exactly that order. The same schema drives parsing (labels → keys), the archive (one row
//! per cell), the export (keys in SPEC order) and the web UI (rows as on the official form), so a
//! key is spelled once, here.
//!
//! Beside the tables, the vocabularies the archive stores as text and every stage speaks as
//! types: [`ReportStatus`], [`DocumentRole`], [`RunStatus`], [`Source`].

#![deny(missing_docs)]

pub mod finding;

pub use finding::{CellPath, CopyScope, DateBasis, Finding, Severity, What};

mod doubt;
pub use doubt::{Doubt, DoubtKind};

mod schema;
mod table;
mod vocab;

pub use schema::*;
pub use table::*;
pub use vocab::*;

/// Everything the parser learned from one report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedReport {
    /// Report title, when found.
    pub title: Option<String>,
    /// Publishing agency, e.g. 西夏区人民政府办公室.
    pub agency: Option<String>,
    /// The year the report covers (not the publication year).
    pub year: Option<i32>,
    /// Detected table layout; `None` when the text is not recognisably a report.
    pub format: Option<Format>,
    /// The tables found.
    pub tables: Tables,
    /// Things a person should know: lost cells, ambiguous rows, prose contradicting tables.
    pub warnings: Vec<String>,
    /// Cells, rows and tables read with less than full certainty, and why.
    pub doubts: Vec<Doubt>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_status_round_trips_through_its_stored_spelling() {
        for s in [
            ReportStatus::Parsed,
            ReportStatus::Legacy,
            ReportStatus::Unparsed("pdf (encrypted)".into()),
            ReportStatus::NeedsOcr,
            ReportStatus::NotReport,
        ] {
            assert_eq!(ReportStatus::parse(&s.as_str()), Some(s.clone()));
        }
        assert_eq!(
            ReportStatus::Unparsed("no tables found".into()).as_str(),
            "unparsed: no tables found"
        );
        assert_eq!(ReportStatus::parse("report"), None);
    }

    #[test]
    fn tables_serialize_as_their_json() {
        let mut t = Tables {
            requests: Some(Table::empty(TableName::Requests, Format::F2021)),
            appeals: Some(Table::empty(TableName::Appeals, Format::F2019)),
            ..Default::default()
        };
        if let Some(c) = t
            .requests
            .as_mut()
            .and_then(|r| r.get_mut("granted", "total"))
        {
            c.value = Some(Number::Int(7));
        }
        if let Some(c) = t
            .appeals
            .as_mut()
            .and_then(|r| r.get_mut("review", "total"))
        {
            c.value = Some(Number::Decimal(1.5));
        }
        assert_eq!(serde_json::to_value(&t).unwrap(), t.to_json());
    }
}
