//! `/reports/{id}`: one report — metadata, every URL it was found at, its tables as on the
//! official form with failing rules highlighted and doubted cells marked, the doubts, warnings,
//! the text, and links to the archived original bytes (`/reports/{id}/original`). `.json`
//! gives the SPEC §4 export record plus the documents.
//!
//! What one request holds is bounded: the page shows at most [`TEXT_SHOWN`] bytes of the
//! text (read from the archive as a prefix, never whole) and says where the rest is; only
//! `http(s)` URLs become links. Report pages and originals (whose bytes are loaded whole) are
//! heavy requests: at most [`super::HEAVY_REQUESTS`] of them run at once.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::form::{self, Marks};
use super::layout::{self, agency_href, badge, report_href, shell};
use super::query::CheckStatus;
use super::{json, AppState, Error, Want};
use crate::archive::record::{Details, Document, Record};
use crate::archive::Archive;
use crate::model::TableName;

/// A report with what its page shows beside the record.
struct Full {
    record: Record,
    details: Details,
}

/// Most bytes of a report's text its page shows; real reports are 10–100 KB of text.
pub const TEXT_SHOWN: usize = 200_000;

fn load(a: &Archive, id: &str) -> Result<Option<Full>, Error> {
    let Some(record) = a.record(id)? else {
        return Ok(None);
    };
    let details = a.details(id, TEXT_SHOWN)?;
    Ok(Some(Full { record, details }))
}

/// A document in the page's JSON: the archive's, plus the link to its archived bytes.
#[derive(Serialize)]
struct DocumentJson<'a> {
    #[serde(flatten)]
    document: &'a Document,
    original: String,
}

/// `/reports/{id}.json`: the export record plus what the page shows beside it.
#[derive(Serialize)]
struct PageJson<'a> {
    #[serde(flatten)]
    record: &'a Record,
    documents: Vec<DocumentJson<'a>>,
    first_seen_at: i64,
    last_seen_at: i64,
    previous_id: &'a Option<String>,
    newer_ids: &'a [String],
    check_status: CheckStatus,
}

/// `GET /reports/{id}` and `/reports/{id}.json`.
pub async fn page(
    State(state): State<AppState>,
    Path(segment): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let (id, want) = Want::split(&segment, query.as_deref());
    let id = id.to_string();
    let _heavy = state.heavy().await?;
    let full = state
        .pool
        .run(move |a| load(a, &id))
        .await?
        .ok_or(Error::NotFound)?;
    if want == Want::Json {
        let d = &full.details;
        return Ok(json(&PageJson {
            record: &full.record,
            documents: d
                .documents
                .iter()
                .map(|document| DocumentJson {
                    document,
                    original: original_href(&full.record.id, document.id),
                })
                .collect(),
            first_seen_at: d.first_seen_at,
            last_seen_at: d.last_seen_at,
            previous_id: &d.previous_id,
            newer_ids: &d.newer_ids,
            check_status: check_status(&full.record),
        }));
    }
    Ok(render(&full).into_response())
}

fn check_status(r: &Record) -> CheckStatus {
    CheckStatus::of(&r.status, r.checks.iter().filter(|c| !c.ok).count() as i64)
}

/// Link to the archived bytes of document `doc` of report `id`.
fn original_href(id: &str, doc: i64) -> String {
    format!("{}/original?doc={doc}", report_href(id))
}

fn render(full: &Full) -> Markup {
    let (r, d) = (&full.record, &full.details);
    let title = r
        .title
        .clone()
        .unwrap_or_else(|| format!("Report {}", layout::short_id(&r.id)));
    let marks = Marks::new(&r.checks, &r.tables).doubted(&r.doubts);
    let any_table = TableName::ALL.iter().any(|n| r.tables.get(*n).is_some());
    let body = html! {
        h1 { (title) }
        p { (badge(check_status(r))) " " span.muted.small { "id " code { (r.id) } } }
        dl.meta {
            dt { "Agency" } dd { @if let Some(ag) = &r.agency { a href=(agency_href(ag)) { (ag) } } @else { span.muted { "unknown" } } }
            dt { "Year" } dd { (r.year.map(|y| y.to_string()).unwrap_or_else(|| "unknown".into())) }
            dt { "Format" } dd { (r.format.map(|f| f.as_str()).unwrap_or("not parsed")) " · status " (r.status) }
            dt { "Source" } dd { (r.source.as_str()) }
            dt { "Region" } dd { (r.region.as_deref().unwrap_or("")) }
            dt { "Published" } dd { (r.published.as_deref().unwrap_or("")) }
            dt { "Fetched" } dd { "first " (layout::time_ms(Some(d.first_seen_at))) ", last " (layout::time_ms(Some(d.last_seen_at))) }
            dt { "Found at" } dd {
                @for f in &d.found_at {
                    div {
                        @if is_web_url(&f.url) { a href=(f.url) rel="noreferrer nofollow" { (f.url) } } @else { code { (f.url) } }
                        " " span.muted.small { (f.role.as_str()) }
                    }
                }
            }
            dt { "Original" } dd {
                @for doc in &d.documents {
                    div {
                        a href=(original_href(&r.id, doc.id)) { (doc.kind.to_uppercase()) " · " (doc.filename.as_deref().unwrap_or("archived bytes")) }
                        " " span.muted.small { (doc.size) " bytes, fetched " (layout::time_ms(Some(doc.fetched_at))) @if doc.main { " · text read from this" } }
                    }
                }
            }
            @if let Some(prev) = &d.previous_id {
                dt { "Replaces" } dd { a href=(report_href(prev)) { "older version " (layout::short_id(prev)) } }
            }
            @if !d.newer_ids.is_empty() {
                dt { "Replaced by" } dd { @for n in &d.newer_ids { a href=(report_href(n)) { (layout::short_id(n)) } " " } }
            }
            @if !r.corrections.is_empty() {
                dt { "Corrected by" } dd {
                    @for c in &r.corrections {
                        div { a href=(c.url) rel="noreferrer nofollow" { (c.title) } " " span.muted.small { (c.published.as_deref().unwrap_or("")) } }
                    }
                }
            }
            @if !r.uncertain.is_empty() {
                dt { "Uncertain" } dd { @for u in &r.uncertain { div.small { (u) } } }
            }
            dt { "JSON" } dd { a href={ (report_href(&r.id)) ".json" } { "export record" } }
        }
        @if any_table {
            p.legend.small { span.fail { "failing rule" } span.inferred { "inferred 推" } span.doubted { "doubted 疑" } "Hover a cell for its key, printed text, rules and doubts; numbers link to the rule." }
            @for name in TableName::ALL {
                h2 { (name.heading()) }
                @match r.tables.get(name) {
                    Some(t) => (form::table(t, &marks)),
                    None => p.muted { "Not found in this report." },
                }
            }
        } @else {
            p.muted { "No tables: " (r.status) "." }
        }
        h2 { "Consistency checks" }
        @if r.checks.is_empty() {
            p.muted { "No rule could be evaluated." }
        } @else {
            p { (r.checks.len()) " evaluated, " (marks.failing.len()) " failing." }
            @if !marks.failing.is_empty() {
                table.list {
                    tr { th { "#" } th { "rule" } th.n { "left" } th.n { "right" } th { "cells" } }
                    @for (i, c) in marks.failing.iter().enumerate() {
                        tr.failing id={ "check-" (i + 1) } {
                            td { (i + 1) } td { code { (c.rule) } } td.n { (c.left) } td.n { (c.right) }
                            td.small { @for k in &c.cells { div { (form::cell_label(k)) } } }
                        }
                    }
                }
            }
            details {
                summary { "All checks" }
                table.list {
                    tr { th { "rule" } th { "ok" } th.n { "left" } th.n { "right" } }
                    @for c in &r.checks {
                        tr { td { code { (c.rule) } } td { @if c.ok { "✓" } @else { "✗" } } td.n { (c.left) } td.n { (c.right) } }
                    }
                }
            }
        }
        @if !r.doubts.is_empty() {
            h2 { "Doubts" }
            p.small.muted { "Cells, rows and tables the parser read with less than full certainty; their values may not be what the document prints." }
            table.list {
                tr { th { "table" } th { "row" } th { "column" } th { "kind" } th { "why" } }
                @for d in &r.doubts {
                    tr {
                        td { (d.table.as_str()) }
                        td { (d.row.as_deref().unwrap_or("(all)")) }
                        td { (d.column.as_deref().unwrap_or("(all)")) }
                        td { code { (d.kind.as_str()) } }
                        td { (d.detail) }
                    }
                }
            }
        }
        @if !r.warnings.is_empty() {
            h2 { "Parser warnings" }
            ul { @for w in &r.warnings { li { (w) } } }
        }
        h2 { "Report text" }
        pre.text { (d.text) }
        @if d.text_bytes > d.text.len() {
            p.text-cut.muted {
                "The text goes on: " (d.text.len()) " of its " (d.text_bytes) " bytes are shown here. "
                a href={ (report_href(&r.id)) "/original" } { "The archived original" }
                " holds all of it; " code { "nianbao show --text " (layout::short_id(&r.id)) } " prints it."
            }
        }
    };
    shell(&title, body)
}

/// True for an `http:` or `https:` URL: only those become links (a hostile archive may hold
/// `javascript:` or `data:` URLs).
fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// page id, document kind, file name, Content-Type, encoding.
type OriginalRow = (i64, String, Option<String>, Option<String>, Option<String>);

/// `GET /reports/{id}/original[?doc=N]`: the archived bytes of the report's main document (or
/// of document N, one of the report's). HTML from crawled sites is served under a sandboxing
/// Content-Security-Policy so its scripts cannot run in this origin.
pub async fn original(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let doc: Option<i64> = query.as_deref().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "doc")
            .and_then(|(_, v)| v.parse().ok())
    });
    let heavy = state.heavy().await?;
    let found = state
        .pool
        .run(move |a| {
            let row: Option<OriginalRow> = a
                .conn()
                .query_row(
                    "SELECT d.page_id, d.kind, d.filename, p.content_type, p.encoding
                     FROM reports r JOIN documents d ON d.id = coalesce(?2, r.main_document_id) JOIN pages p ON p.id = d.page_id
                     WHERE r.id = ?1 AND (d.report_id = r.id OR d.id = r.main_document_id)",
                    rusqlite::params![id, doc],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let Some((page_id, kind, filename, content_type, encoding)) = row else { return Ok(None) };
            let bytes = a.page_raw(page_id)?;
            Ok(bytes.map(|b| (b, kind, filename, content_type, encoding)))
        })
        .await?;
    let (bytes, kind, filename, content_type, encoding) = found.ok_or(Error::NotFound)?;
    let ctype = media_type(&kind, content_type.as_deref(), encoding.as_deref());
    // The permit goes with the bytes until they are sent (or the client leaves).
    let mut resp = axum::body::Body::new(HeldBytes {
        bytes: bytes.into(),
        _permit: heavy,
    })
    .into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&ctype)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if kind != "pdf" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
            ),
        );
    }
    if let Some(name) = filename {
        let encoded =
            percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
        if let Ok(v) = HeaderValue::from_str(&format!("inline; filename*=UTF-8''{encoded}")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(resp)
}

/// Archived bytes as a response body, sent in pieces, holding a heavy-request permit until
/// the last piece is taken or the response is dropped: the permit bounds how many whole
/// originals are in memory at once, sent or being sent.
struct HeldBytes {
    bytes: axum::body::Bytes,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl http_body::Body for HeldBytes {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        const PIECE: usize = 64 << 10;
        if self.bytes.is_empty() {
            return std::task::Poll::Ready(None);
        }
        let n = self.bytes.len().min(PIECE);
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(self.bytes.split_to(n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.bytes.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.bytes.len() as u64)
    }
}

/// The media type to serve archived bytes as: the document kind decides; the original
/// `Content-Type` is trusted only for its charset (servers label PDFs `application/octet-stream`
/// and GBK pages `gb2312`).
fn media_type(kind: &str, content_type: Option<&str>, encoding: Option<&str>) -> String {
    let base = match kind {
        "html" => "text/html",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" | "wps" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "text" => "text/plain",
        _ => "application/octet-stream",
    };
    if !base.starts_with("text/") {
        return base.to_string();
    }
    let charset = encoding.map(str::to_string).or_else(|| {
        content_type?.split(';').find_map(|p| {
            p.trim()
                .strip_prefix("charset=")
                .map(|c| c.trim_matches('"').to_string())
        })
    });
    match charset.filter(|c| {
        c.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    }) {
        Some(c) => format!("{base}; charset={c}"),
        None => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::media_type;

    #[test]
    fn media_types_follow_the_document_kind() {
        assert_eq!(
            media_type("pdf", Some("application/octet-stream"), None),
            "application/pdf"
        );
        assert_eq!(
            media_type("html", Some("text/html; charset=gb2312"), None),
            "text/html; charset=gb2312"
        );
        assert_eq!(
            media_type("html", None, Some("GBK")),
            "text/html; charset=GBK"
        );
        assert_eq!(
            media_type("html", Some("text/html; charset=\"x\r\ny\""), None),
            "text/html"
        );
        assert_eq!(media_type("image", None, None), "application/octet-stream");
    }
}
