//! Full-text search over report text: a user's query → an SQL condition on `reports r`.
//!
//! The archive's `reports_fts` table (migration 2) is FTS5 with the trigram tokenizer: it
//! matches any substring of three or more characters, which suits Chinese (no word segmenter
//! needed). Terms of one or two characters cannot be matched by trigrams, so they fall back to
//! `LIKE` over title, agency and text; so does everything when the archive predates the index
//! (opened read-only, it cannot be migrated). Terms are separated by white space (including the
//! ideographic space) and must all match.

use rusqlite::types::Value;
use rusqlite::Connection;

/// At most this many terms are used; the rest of a query is ignored.
const MAX_TERMS: usize = 8;
/// A term is cut to this many characters.
const MAX_TERM_CHARS: usize = 64;

/// How a query was run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every term went through the FTS5 trigram index.
    Fts,
    /// Every term was matched with LIKE (short terms, or no index).
    Like,
    /// Long terms through the index, short ones with LIKE.
    Mixed,
}

/// A query turned into SQL.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// A condition on `reports r` (parenthesised).
    pub condition: String,
    /// Its parameters, in order.
    pub params: Vec<Value>,
    /// How it searches.
    pub mode: Mode,
    /// The terms, for highlighting and snippets.
    pub terms: Vec<String>,
}

/// Whether the archive has the FTS index (archives made before migration 2 do not).
pub fn fts_available(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reports_fts'",
        [],
        |_| Ok(()),
    )
    .is_ok()
}

/// The search terms of a query: split on white space, at most `MAX_TERMS`, each cut to
/// `MAX_TERM_CHARS` characters.
pub fn terms(q: &str) -> Vec<String> {
    q.split(char::is_whitespace)
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .map(|t| t.chars().take(MAX_TERM_CHARS).collect())
        .collect()
}

/// Plan a query; `None` when it has no terms.
pub fn plan(q: &str, fts: bool) -> Option<Plan> {
    let terms = terms(q);
    if terms.is_empty() {
        return None;
    }
    let (long, short): (Vec<&String>, Vec<&String>) =
        terms.iter().partition(|t| fts && t.chars().count() >= 3);
    let mut conds = Vec::new();
    let mut params = Vec::new();
    if !long.is_empty() {
        let expr: Vec<String> = long.iter().map(|t| fts_phrase(t)).collect();
        conds.push(
            "r.rowid IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)".to_string(),
        );
        params.push(Value::Text(expr.join(" ")));
    }
    for t in &short {
        conds.push(
            "(r.text LIKE ? ESCAPE '\\' OR r.title LIKE ? ESCAPE '\\' OR r.agency LIKE ? ESCAPE '\\')".to_string(),
        );
        let pattern = format!("%{}%", like_escape(t));
        for _ in 0..3 {
            params.push(Value::Text(pattern.clone()));
        }
    }
    let mode = match (long.is_empty(), short.is_empty()) {
        (false, true) => Mode::Fts,
        (true, _) => Mode::Like,
        (false, false) => Mode::Mixed,
    };
    Some(Plan {
        condition: format!("({})", conds.join(" AND ")),
        params,
        mode,
        terms,
    })
}

/// A term as an FTS5 string: double quotes around it, inner double quotes doubled, so no
/// character of the user's text is FTS5 syntax.
pub fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Escape `\`, `%` and `_` for `LIKE … ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Split `text` into (segment, is_match) pieces around occurrences of any term, for
/// highlighting. Matching is exact (case-sensitive), which is what Chinese needs.
pub fn highlight<'a>(text: &'a str, terms: &[String]) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    // Each pass consumes at least one character of `rest`, so this ends.
    while !rest.is_empty() {
        let next = terms
            .iter()
            .filter(|t| !t.is_empty())
            .filter_map(|t| rest.find(t.as_str()).map(|i| (i, t.len())))
            .min_by_key(|(i, len)| (*i, usize::MAX - len));
        match next {
            Some((i, len)) => {
                if i > 0 {
                    out.push((&rest[..i], false));
                }
                out.push((&rest[i..i + len], true));
                rest = &rest[i + len..];
            }
            None => {
                out.push((rest, false));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_terms_use_the_index_short_ones_like() {
        let p = plan("依申请公开 费", true).unwrap();
        assert_eq!(p.mode, Mode::Mixed);
        assert_eq!(p.params[0], Value::Text("\"依申请公开\"".into()));
        assert_eq!(p.params[1], Value::Text("%费%".into()));
        assert_eq!(p.params.len(), 4);
        assert_eq!(plan("行政复议", true).unwrap().mode, Mode::Fts);
        assert_eq!(plan("复议", true).unwrap().mode, Mode::Like);
        assert_eq!(plan("行政复议", false).unwrap().mode, Mode::Like);
        assert!(plan("  \u{3000} ", true).is_none());
    }

    #[test]
    fn user_text_cannot_inject_syntax() {
        assert_eq!(fts_phrase("a\" OR \"b"), "\"a\"\" OR \"\"b\"");
        assert_eq!(like_escape("100%_\\"), "100\\%\\_\\\\");
        let p = plan("NEAR(a b) *", true).unwrap();
        assert_eq!(p.params[0], Value::Text("\"NEAR(a\"".into()));
    }

    #[test]
    fn terms_are_bounded() {
        let q = "甲乙丙 ".repeat(20);
        assert_eq!(terms(&q).len(), MAX_TERMS);
        assert_eq!(terms(&"长".repeat(500))[0].chars().count(), MAX_TERM_CHARS);
    }

    #[test]
    fn highlight_marks_every_occurrence() {
        let terms = vec!["公开".to_string(), "申请".to_string()];
        let parts = highlight("依申请公开，主动公开", &terms);
        let marked: Vec<&str> = parts.iter().filter(|(_, m)| *m).map(|(s, _)| *s).collect();
        assert_eq!(marked, ["申请", "公开", "公开"]);
        let joined: String = parts.iter().map(|(s, _)| *s).collect();
        assert_eq!(joined, "依申请公开，主动公开");
        assert_eq!(highlight("abc", &[String::new()]), vec![("abc", false)]);
    }
}
