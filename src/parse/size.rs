//! How much of one document the parser reads: a document past these limits is not parsed at
//! all, because what parsing holds grows with it (a 45 MB page with one 2.8-million-cell table
//! took 1.1 GB to extract and parse). The caller records such a document as unparsed with
//! [`TooLarge`] as the reason ([`crate::analyse`] checks an HTML page before it even builds
//! the page's DOM).
//!
//! The limits sit far above any real report: the three tables of a report have about 500
//! cells, and the largest pages seen (appendix tables, Word markup of five elements per cell)
//! hold a few thousand cells and tens of thousands of elements. The counts are a byte scan, no
//! allocation: a tag inside a comment or script counts too, so they are upper bounds.

use super::Input;

/// Most table cells (`<td>`, `<th>`) an HTML page may hold.
pub const MAX_HTML_CELLS: usize = 50_000;
/// Most elements (start tags of any kind) an HTML page may hold: each is a node of its DOM.
pub const MAX_HTML_ELEMENTS: usize = 500_000;
/// Most fields (lines, tab- and pipe-separated parts) a text may hold.
pub const MAX_TEXT_FIELDS: usize = 500_000;
/// Most cells all the grids of one document may hold together.
pub const MAX_GRID_CELLS: usize = 50_000;

/// A document larger than the parser reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("too large to parse: {count} {what} (at most {limit} are read)")]
pub struct TooLarge {
    /// What was counted: `table cells`, `elements`, `text fields`, `grid cells`.
    pub what: &'static str,
    /// How many the document has.
    pub count: usize,
    /// The limit it is past.
    pub limit: usize,
}

/// `Ok` when the parser will read `input`; why not otherwise.
pub fn check_size(input: Input<'_>) -> Result<(), TooLarge> {
    let over = |what, count, limit| {
        if count > limit {
            Err(TooLarge { what, count, limit })
        } else {
            Ok(())
        }
    };
    match input {
        Input::Html(html) => {
            let (elements, cells) = count_tags(html.as_bytes());
            over("table cells", cells, MAX_HTML_CELLS)?;
            over("elements", elements, MAX_HTML_ELEMENTS)
        }
        Input::Text(text) => {
            let fields = text
                .bytes()
                .filter(|b| matches!(b, b'\n' | b'\t' | b'|'))
                .count();
            over("text fields", fields, MAX_TEXT_FIELDS)
        }
        Input::Grids { grids, .. } => {
            let cells = grids
                .iter()
                .map(|g| g.rows.iter().map(Vec::len).sum::<usize>())
                .sum();
            over("grid cells", cells, MAX_GRID_CELLS)
        }
    }
}

/// Start tags (`<` and a letter) and, among them, table cells (`td`, `th`, any case).
fn count_tags(b: &[u8]) -> (usize, usize) {
    let (mut elements, mut cells) = (0, 0);
    let mut i = 0;
    while let Some(at) = b[i..].iter().position(|&c| c == b'<') {
        i += at + 1;
        let Some(first) = b.get(i) else { break };
        if !first.is_ascii_alphabetic() {
            continue;
        }
        elements += 1;
        let cell = first.eq_ignore_ascii_case(&b't')
            && b.get(i + 1)
                .is_some_and(|c| c.eq_ignore_ascii_case(&b'd') || c.eq_ignore_ascii_case(&b'h'))
            && b.get(i + 2)
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'));
        cells += usize::from(cell);
    }
    (elements, cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_elements_and_cells() {
        assert_eq!(
            count_tags(b"<table><TR><td>1</td><TH class=x>2</th><thead><td/></table> a < b <"),
            (6, 3)
        );
    }

    #[test]
    fn a_page_past_the_cell_limit_is_too_large() {
        let row = "<td>1</td>".repeat(100);
        let page =
            |rows: usize| format!("<table>{}</table>", format!("<tr>{row}</tr>").repeat(rows));
        assert_eq!(check_size(Input::Html(&page(500))), Ok(()));
        let err = check_size(Input::Html(&page(501))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "too large to parse: 50100 table cells (at most 50000 are read)"
        );
        let text = "a\tb\n".repeat(250_001);
        assert_eq!(
            check_size(Input::Text(&text)).unwrap_err().what,
            "text fields"
        );
    }
}
