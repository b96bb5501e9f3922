//! DOCX attachment → running text and tables as [`Grid`]s, for
//! [`crate::parse::Input::Grids`].
//!
//! Reads `word/document.xml` from the zip (uncompressed size capped: a zip bomb stops at the cap)
//! in one streaming pass. Paragraphs become lines of `text`; tables become grids with
//! `gridSpan` (colspan), `vMerge` (rowspan: `restart` … continue), `hMerge` and `gridBefore`
//! resolved as the HTML reader resolves `colspan`/`rowspan`: every slot a cell covers carries
//! its text, the origin slot with `spanned = false`, the others `true`; slots no cell covers are
//! empty and `spanned`. Table rows also go into `text` as `a | b | c |` lines (as the HTML
//! reader's text has them), so the parser's text fallback sees them. Nested tables are grids
//! of their own, listed after the table holding them, and their text stays out of its cell.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::parse::grid::{Grid, GridCell};

/// Text and tables of a DOCX file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxContent {
    /// Paragraphs one per line, table rows as `a | b | c |` lines.
    pub text: String,
    /// Tables in document order (a nested table after the one holding it).
    pub grids: Vec<Grid>,
}

/// Why a DOCX file gave no content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// Not a zip, or a zip without `word/document.xml` (an XLSX, say).
    #[error("malformed DOCX: {0}")]
    Malformed(String),
    /// The file or its document part is over the size limit (a zip bomb, say).
    #[error("DOCX too large: {0}")]
    TooLarge(String),
}

/// Largest DOCX file accepted.
const MAX_INPUT: usize = 64 << 20;
/// Largest uncompressed `word/document.xml` read.
const MAX_XML: u64 = 64 << 20;
/// Caps on one table, as in the HTML reader.
const MAX_SPAN: usize = 64;
const MAX_COLS: usize = 128;
const MAX_ROWS: usize = 1000;
const MAX_TABLES: usize = 200;
/// Deepest table nesting followed; deeper tables are read as text of their cell.
const MAX_DEPTH: usize = 8;

/// Extract a DOCX file.
pub fn extract(bytes: &[u8]) -> Result<DocxContent, DocxError> {
    extract_capped(bytes, MAX_XML)
}

/// [`extract`] with the cap on `word/document.xml` given.
fn extract_capped(bytes: &[u8], max_xml: u64) -> Result<DocxContent, DocxError> {
    if bytes.len() > MAX_INPUT {
        return Err(DocxError::TooLarge(format!("{} bytes", bytes.len())));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(DocxError::Malformed(
            "an OLE file (a .doc, or an encrypted DOCX)".into(),
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| DocxError::Malformed(format!("not a zip: {e}")))?;
    let mut part = zip
        .by_name("word/document.xml")
        .map_err(|e| DocxError::Malformed(format!("no word/document.xml: {e}")))?;
    if part.size() > max_xml {
        return Err(DocxError::TooLarge(format!(
            "word/document.xml declares {} bytes",
            part.size()
        )));
    }
    let mut xml = Vec::new();
    // The declared size can lie: read at most one byte past the cap.
    (&mut part)
        .take(max_xml + 1)
        .read_to_end(&mut xml)
        .map_err(|e| DocxError::Malformed(format!("word/document.xml: {e}")))?;
    if xml.len() as u64 > max_xml {
        return Err(DocxError::TooLarge(format!(
            "word/document.xml inflates past {max_xml} bytes"
        )));
    }
    Ok(read_document(&String::from_utf8_lossy(&xml)))
}

/// How a cell takes part in a vertical (or legacy horizontal) merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

/// A `w:tc` being read.
#[derive(Debug)]
struct CellBuild {
    text: String,
    span: usize,
    vmerge: Merge,
    hmerge: Merge,
}

/// A `w:tbl` being read.
#[derive(Debug, Default)]
struct TableBuild {
    /// Order the table opened in, for sorting grids.
    order: usize,
    /// Resolved slots so far.
    rows: Vec<Vec<Option<GridCell>>>,
    /// The row being read: next grid column, and its cells for the text line.
    col: usize,
    row_texts: Vec<String>,
    cell: Option<CellBuild>,
}

/// Document reading state.
#[derive(Default)]
struct State {
    out: DocxContent,
    finished: Vec<(usize, Grid)>,
    tables: Vec<TableBuild>,
    /// Tables opened so far (kept or not).
    opened: usize,
    /// Tables nested deeper than [`MAX_DEPTH`] being skipped.
    too_deep: usize,
    para: String,
    in_text: bool,
    in_run: bool,
}

/// Read `word/document.xml`. Never fails: malformed XML ends the reading where it breaks.
fn read_document(xml: &str) -> DocxContent {
    let mut reader = Reader::from_str(xml);
    let mut st = State::default();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => st.open(&e),
            Ok(Event::Empty(e)) => {
                st.open(&e);
                st.close(e.local_name().as_ref());
            }
            Ok(Event::End(e)) => st.close(e.local_name().as_ref()),
            Ok(Event::Text(t)) if st.in_text => st.para.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if st.in_text => push_entity(&mut st.para, &r),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    st.finish()
}

impl State {
    fn open(&mut self, e: &BytesStart<'_>) {
        match e.local_name().as_ref() {
            "tbl" => {
                self.opened += 1;
                if self.too_deep > 0 || self.tables.len() >= MAX_DEPTH || self.opened > MAX_TABLES {
                    self.too_deep += 1;
                } else {
                    self.end_paragraph();
                    self.tables.push(TableBuild {
                        order: self.opened,
                        ..TableBuild::default()
                    });
                }
            }
            "r" => self.in_run = true,
            "t" if self.in_run => self.in_text = true,
            "tab" | "br" | "cr" if self.in_run => self.para.push(' '),
            _ if self.too_deep > 0 => {}
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                    t.col = 0;
                    t.row_texts.clear();
                }
            }
            "gridBefore" => {
                if let Some(t) = self.tables.last_mut() {
                    let n = number(e).unwrap_or(0).min(MAX_COLS);
                    t.col = t.col.max(n);
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(CellBuild {
                        text: String::new(),
                        span: 1,
                        vmerge: Merge::None,
                        hmerge: Merge::None,
                    });
                }
            }
            "gridSpan" => {
                if let Some(c) = self.cell_mut() {
                    c.span = number(e).unwrap_or(1).clamp(1, MAX_SPAN);
                }
            }
            "vMerge" | "hMerge" => {
                let merge = match val(e).as_deref() {
                    Some("restart") => Merge::Restart,
                    _ => Merge::Continue,
                };
                let vertical = e.local_name().as_ref() == "vMerge";
                if let Some(c) = self.cell_mut() {
                    if vertical {
                        c.vmerge = merge;
                    } else {
                        c.hmerge = merge;
                    }
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if name == "tbl" && self.too_deep > 0 {
            self.too_deep -= 1;
            return;
        }
        match name {
            "t" => self.in_text = false,
            "r" => {
                self.in_run = false;
                self.in_text = false;
            }
            "p" if self.too_deep > 0 => self.para.push(' '),
            _ if self.too_deep > 0 => {}
            "p" => self.end_paragraph(),
            "tc" => self.end_cell(),
            "tr" => self.end_row(),
            "tbl" => self.end_table(),
            _ => {}
        }
    }

    fn cell_mut(&mut self) -> Option<&mut CellBuild> {
        self.tables.last_mut().and_then(|t| t.cell.as_mut())
    }

    /// A finished paragraph goes to the open cell, or to the text.
    fn end_paragraph(&mut self) {
        let para = std::mem::take(&mut self.para);
        if let Some(cell) = self.cell_mut() {
            push_collapsed(&mut cell.text, &para);
            cell.text.push(' ');
            return;
        }
        let line = collapse(&para);
        if !line.is_empty() {
            self.out.text.push_str(&line);
            self.out.text.push('\n');
        }
    }

    /// Lay a finished cell into its row's slots.
    fn end_cell(&mut self) {
        self.end_paragraph();
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let Some(cell) = t.cell.take() else { return };
        let r = t.rows.len().saturating_sub(1);
        let c = t.col;
        if c >= MAX_COLS || r >= MAX_ROWS {
            return;
        }
        let span = cell.span.min(MAX_COLS - c);
        let mut text = collapse(&cell.text);
        let mut spanned = false;
        let above = |rows: &[Vec<Option<GridCell>>]| {
            r.checked_sub(1)
                .and_then(|p| rows.get(p))
                .and_then(|row| row.get(c).cloned().flatten())
        };
        let left = |rows: &[Vec<Option<GridCell>>]| {
            c.checked_sub(1)
                .and_then(|p| rows.get(r).and_then(|row| row.get(p).cloned().flatten()))
        };
        let origin = match (cell.vmerge, cell.hmerge) {
            (Merge::Continue, _) => above(&t.rows),
            (_, Merge::Continue) => left(&t.rows),
            _ => None,
        };
        if let Some(o) = origin {
            text = o.text;
            spanned = true;
        } else {
            t.row_texts.push(text.clone());
        }
        if let Some(row) = t.rows.get_mut(r) {
            if row.len() < c + span {
                row.resize(c + span, None);
            }
            for (dc, slot) in row.iter_mut().skip(c).take(span).enumerate() {
                *slot = Some(GridCell {
                    text: text.clone(),
                    spanned: spanned || dc > 0,
                });
            }
        }
        t.col = c + span;
    }

    /// A finished row goes into the text as `a | b | c |`.
    fn end_row(&mut self) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        if t.rows.len() > MAX_ROWS {
            t.rows.truncate(MAX_ROWS);
        }
        let line: String = t.row_texts.iter().map(|c| format!("{c} | ")).collect();
        let line = line.trim_end().to_string();
        if !line.is_empty() && self.tables.len() == 1 {
            self.out.text.push_str(&line);
            self.out.text.push('\n');
        }
    }

    fn end_table(&mut self) {
        let Some(t) = self.tables.pop() else { return };
        let width = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        let rows: Vec<Vec<GridCell>> = t
            .rows
            .into_iter()
            .filter(|row| !row.is_empty())
            .map(|row| {
                let mut row: Vec<GridCell> = row
                    .into_iter()
                    .map(|s| s.unwrap_or_else(uncovered))
                    .collect();
                row.resize_with(width, uncovered);
                row
            })
            .collect();
        if !rows.is_empty() {
            self.finished.push((t.order, Grid { rows }));
        }
    }

    fn finish(mut self) -> DocxContent {
        while !self.tables.is_empty() {
            self.end_table();
        }
        self.end_paragraph();
        self.finished.sort_by_key(|(order, _)| *order);
        self.out.grids = self.finished.into_iter().map(|(_, g)| g).collect();
        self.out
    }
}

/// A slot no cell covers.
fn uncovered() -> GridCell {
    GridCell {
        text: String::new(),
        spanned: true,
    }
}

/// The `w:val` attribute (any prefix).
fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .map(|a| a.value.to_string())
}

fn number(e: &BytesStart<'_>) -> Option<usize> {
    val(e)?.trim().parse().ok()
}

/// Append the character an entity reference stands for.
fn push_entity(out: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let c = match r.xml10_content().as_ref() {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return,
    };
    out.push(c);
}

/// Append `t` with whitespace runs (NBSP, U+3000 included) collapsed to one space.
fn push_collapsed(out: &mut String, t: &str) {
    for c in t.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn collapse(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    push_collapsed(&mut s, t);
    s.trim().to_string()
}

#[cfg(test)]
#[path = "docx_tests.rs"]
mod tests;
