//! Reading the word boxes that `pdftotext -bbox` prints (an XHTML page with one
//! `<page width= height=>` per page and one `<word xMin= yMin= xMax= yMax=>text</word>` per word,
//! y growing downwards).
//!
//! Lenient: output cut short by a killed converter or odd entities still yield the words read
//! so far; words with non-finite or inverted boxes are dropped.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One page of word boxes, in PDF points, origin at the top left.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Page width.
    pub width: f64,
    /// Page height.
    pub height: f64,
    /// Words in the converter's order.
    pub words: Vec<Word>,
}

/// One word (a run of glyphs without a space) and its box.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Word {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
    /// The text.
    pub text: String,
}

impl Word {
    /// Box width.
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    /// Box height.
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// Vertical centre.
    pub fn yc(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }
}

/// Largest coordinate accepted; anything beyond is garbage from a broken file.
const MAX_COORD: f64 = 1.0e6;

/// Parse `pdftotext -bbox` output. Never fails: unreadable parts are skipped.
pub fn parse(xhtml: &str) -> Vec<Page> {
    let mut reader = Reader::from_str(xhtml);
    let mut pages: Vec<Page> = Vec::new();
    let mut current: Option<Word> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "page" => pages.push(page_of(&e)),
                "word" => current = word_of(&e),
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "page" => pages.push(page_of(&e)),
            Ok(Event::Text(t)) => {
                if let Some(word) = current.as_mut() {
                    word.text.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(word) = current.as_mut() {
                    push_entity(&mut word.text, &r);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "word" => {
                if let (Some(word), Some(page)) = (current.take(), pages.last_mut()) {
                    if !word.text.trim().is_empty() {
                        page.words.push(word);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    pages
}

/// Append the character an entity reference (`&amp;`, `&#x4E00;`) stands for.
fn push_entity(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
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

fn page_of(e: &BytesStart<'_>) -> Page {
    Page {
        width: attr(e, "width").unwrap_or(0.0),
        height: attr(e, "height").unwrap_or(0.0),
        words: Vec::new(),
    }
}

fn word_of(e: &BytesStart<'_>) -> Option<Word> {
    let word = Word {
        x0: attr(e, "xMin")?,
        y0: attr(e, "yMin")?,
        x1: attr(e, "xMax")?,
        y1: attr(e, "yMax")?,
        text: String::new(),
    };
    (word.x1 >= word.x0 && word.y1 >= word.y0).then_some(word)
}

/// A finite, bounded numeric attribute.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<f64> {
    let a = e.try_get_attribute(name).ok()??;
    let v: f64 = a.value.trim().parse().ok()?;
    (v.is_finite() && v.abs() <= MAX_COORD).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">
<head><title>ÿþ?e</title></head><body><doc>
  <page width="595.000000" height="842.000000">
    <word xMin="77.5" yMin="503.3" xMax="238.0" yMax="513.2">一、本年新收</word>
    <word xMin="300" yMin="503" xMax="310" yMax="513">A&amp;B&#x4E00;</word>
    <word xMin="9" yMin="9" xMax="1" yMax="10">inverted</word>
  </page>
  <page width="595" height="842">
    <word xMin="1" yMin="2" xMax="3" yMax="4">cut"#;

    #[test]
    fn reads_pages_and_words() {
        let pages = parse(SAMPLE);
        assert_eq!(pages.len(), 2);
        let first = &pages[0];
        assert_eq!(first.width, 595.0);
        assert_eq!(first.words.len(), 2);
        assert_eq!(first.words[0].text, "一、本年新收");
        assert_eq!(first.words[0].x0, 77.5);
        assert_eq!(first.words[1].text, "A&B一");
        assert!(pages[1].words.is_empty());
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(parse("<html><p>no pages</p>").is_empty());
        assert!(parse("\u{0}<<<>>>&&&").is_empty());
    }
}
