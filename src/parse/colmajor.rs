//! Tables printed column by column (formats.md Q11: pdfminer-style PDF text).
//!
//! Some PDF-to-text tools emit a table page by page as all its row labels, then every number
//! of the first column, then of the second, and so on. In the row stream that shows as label
//! rows without values followed by one row holding far more values than a row can have. Each
//! such block is decoded by counting: the rows its labels name, times their columns, must equal
//! the numbers printed, and the numbers are dealt out column by column. Nothing is guessed: a
//! block whose counts differ fails the whole table (blank cells vanish in such text, so the
//! positions of the remaining numbers are unknown), and the caller checks the decoded
//! `requests` rows against their row totals before using them.

use super::rows::{Field, RawRow};

/// What [`decode`] made of a table's rows.
#[derive(Debug)]
pub(crate) enum ColumnMajor {
    /// No row holds more values than the widest row of the table: read rows normally.
    No,
    /// Every block decoded: per block, each row's key and its value fields in printed order.
    Blocks(Vec<Vec<(&'static str, Vec<Field>)>>),
    /// The layout is column-major but does not add up; the reason.
    Failed(String),
}

/// Decodes column-major blocks among `rows`. `widest` is the most values one row can hold,
/// `keys_in` names the rows a block of label text mentions (schema order), `columns` the
/// number of value columns of a row.
pub(crate) fn decode(
    rows: &[&RawRow],
    widest: usize,
    keys_in: &dyn Fn(&str) -> Vec<&'static str>,
    columns: &dyn Fn(&str) -> usize,
) -> ColumnMajor {
    fn printed(r: &RawRow) -> &[Field] {
        let end = r
            .values
            .iter()
            .rposition(|f| !f.text.is_empty())
            .map_or(0, |i| i + 1);
        r.values.get(..end).unwrap_or_default()
    }
    // At least two rows' worth of numbers on one row: no row-major layout does that (a row
    // with a few surplus empty fields, as tab text has, is not enough).
    if !rows.iter().any(|r| printed(r).len() >= 2 * widest) {
        return ColumnMajor::No;
    }
    let mut out = Vec::new();
    let mut text = String::new();
    for row in rows {
        text.push_str(&row.label);
        if row.values.is_empty() {
            continue;
        }
        let values = printed(row).to_vec();
        let keys = keys_in(&text);
        text.clear();
        if values.is_empty() {
            continue;
        }
        if keys.is_empty() {
            return ColumnMajor::Failed(format!("{} numbers under no row label", values.len()));
        }
        let slots: usize = keys.iter().map(|k| columns(k)).sum();
        if slots != values.len() {
            return ColumnMajor::Failed(format!(
                "{} numbers for {} rows with {slots} cells ({})",
                values.len(),
                keys.len(),
                keys.join(", ")
            ));
        }
        let widest_row = keys.iter().map(|k| columns(k)).max().unwrap_or(0);
        let mut per_row: Vec<Vec<Field>> = vec![Vec::new(); keys.len()];
        let mut next = values.into_iter();
        for c in 0..widest_row {
            for (i, key) in keys.iter().enumerate() {
                if c < columns(key) {
                    if let (Some(slot), Some(f)) = (per_row.get_mut(i), next.next()) {
                        slot.push(f);
                    }
                }
            }
        }
        out.push(keys.into_iter().zip(per_row).collect());
    }
    ColumnMajor::Blocks(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::rows::Layout;

    fn row(label: &str, values: &[&str]) -> RawRow {
        RawRow {
            layout: Layout::Spaces,
            label: label.to_string(),
            pre: String::new(),
            post: String::new(),
            label_idx: Some(0),
            natural_col: None,
            labels: Vec::new(),
            values: values
                .iter()
                .enumerate()
                .map(|(i, t)| Field {
                    text: t.to_string(),
                    col: i,
                })
                .collect(),
            table_start: false,
        }
    }

    fn keys(text: &str) -> Vec<&'static str> {
        ["a", "b", "c"]
            .into_iter()
            .filter(|k| text.contains(k))
            .collect()
    }

    #[test]
    fn deals_values_column_by_column() {
        let rows = [row("a", &[]), row("b", &["1", "2", "3", "4", "5", "6"])];
        let refs: Vec<&RawRow> = rows.iter().collect();
        let ColumnMajor::Blocks(out) = decode(&refs, 3, &keys, &|_| 3) else {
            panic!()
        };
        let texts: Vec<(&str, Vec<&str>)> = out[0]
            .iter()
            .map(|(k, v)| (*k, v.iter().map(|f| f.text.as_str()).collect()))
            .collect();
        assert_eq!(
            texts,
            [("a", vec!["1", "3", "5"]), ("b", vec!["2", "4", "6"])]
        );
    }

    #[test]
    fn counts_must_match_and_rows_must_overflow() {
        let rows = [
            row("a", &[]),
            row("b", &["1", "2", "3", "4", "5", "6", "7"]),
        ];
        let refs: Vec<&RawRow> = rows.iter().collect();
        assert!(matches!(
            decode(&refs, 3, &keys, &|_| 3),
            ColumnMajor::Failed(_)
        ));
        let rows = [row("a", &["1", "2", "3", "4", "5"])];
        let refs: Vec<&RawRow> = rows.iter().collect();
        assert!(matches!(decode(&refs, 3, &keys, &|_| 3), ColumnMajor::No));
    }
}
