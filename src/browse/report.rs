//! `/reports/{id}`: one report — metadata, every URL it was found at, its tables as on the
//! official form with failing rules highlighted, warnings, the text, and links to the archived
//! original bytes (`/reports/{id}/original`). `.json` gives the SPEC §4 export record plus
//! the documents.

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
use crate::archive::Archive;
use crate::model::{Check, TableName, Tables};

/// A document (page body or attachment) the report was read from or found with.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Document id (`?doc=` of the original link).
    pub id: i64,
    /// `html`, `pdf`, …
    pub kind: String,
    /// Where it was fetched.
    pub url: String,
    /// File name, when known.
    pub filename: Option<String>,
    /// Bytes.
    pub size: i64,
    /// When it was fetched (unix ms).
    pub fetched_at: i64,
    /// Link to the archived bytes.
    pub original: String,
    /// The document the report's text was read from.
    pub main: bool,
}

struct Meta {
    title: Option<String>,
    agency: Option<String>,
    year: Option<i64>,
    format: Option<String>,
    source: String,
    status: String,
    published: Option<String>,
    region: Option<String>,
    main_document_id: Option<i64>,
    text: String,
    previous_id: Option<String>,
    first_seen_at: i64,
    last_seen_at: i64,
}

struct Full {
    id: String,
    meta: Meta,
    urls: Vec<(String, String)>,
    documents: Vec<Document>,
    tables: Tables,
    checks: Vec<Check>,
    warnings: Vec<String>,
    newer: Vec<String>,
    record: serde_json::Value,
}

fn load(a: &Archive, id: &str) -> Result<Option<Full>, Error> {
    let meta = a
        .conn()
        .query_row(
            "SELECT title, agency, year, format, source, status, published, region, main_document_id, text,
                    previous_id, first_seen_at, last_seen_at FROM reports WHERE id = ?1",
            [id],
            |r| {
                Ok(Meta {
                    title: r.get(0)?,
                    agency: r.get(1)?,
                    year: r.get(2)?,
                    format: r.get(3)?,
                    source: r.get(4)?,
                    status: r.get(5)?,
                    published: r.get(6)?,
                    region: r.get(7)?,
                    main_document_id: r.get(8)?,
                    text: r.get(9)?,
                    previous_id: r.get(10)?,
                    first_seen_at: r.get(11)?,
                    last_seen_at: r.get(12)?,
                })
            },
        )
        .optional()?;
    let Some(meta) = meta else { return Ok(None) };
    let urls = {
        let mut st = a.conn().prepare_cached(
            "SELECT url, kind FROM report_urls WHERE report_id = ?1 ORDER BY first_seen_at, url",
        )?;
        let rows = st
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let documents = {
        let mut st = a.conn().prepare_cached(
            "SELECT d.id, d.kind, d.url, d.filename, p.raw_len, p.fetched_at FROM documents d JOIN pages p ON p.id = d.page_id
             WHERE d.report_id = ?1 OR d.id = ?2 ORDER BY d.id",
        )?;
        let main = meta.main_document_id.unwrap_or(-1);
        let rows = st
            .query_map(rusqlite::params![id, main], |r| {
                let doc: i64 = r.get(0)?;
                Ok(Document {
                    id: doc,
                    kind: r.get(1)?,
                    url: r.get(2)?,
                    filename: r.get(3)?,
                    size: r.get(4)?,
                    fetched_at: r.get(5)?,
                    original: format!("{}/original?doc={doc}", report_href(id)),
                    main: doc == main,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let warnings = {
        let mut st = a
            .conn()
            .prepare_cached("SELECT message FROM warnings WHERE report_id = ?1 ORDER BY rowid")?;
        let rows = st
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        rows
    };
    let newer = {
        let mut st = a.conn().prepare_cached(
            "SELECT id FROM reports WHERE previous_id = ?1 ORDER BY first_seen_at",
        )?;
        let rows = st
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        rows
    };
    Ok(Some(Full {
        id: id.to_string(),
        tables: a.load_tables(id)?,
        checks: a.load_checks(id)?,
        record: crate::export::record(a, id)?,
        meta,
        urls,
        documents,
        warnings,
        newer,
    }))
}

/// `GET /reports/{id}` and `/reports/{id}.json`.
pub async fn page(
    State(state): State<AppState>,
    Path(segment): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let (id, want) = Want::split(&segment, query.as_deref());
    let id = id.to_string();
    let full = state
        .pool
        .run(move |a| load(a, &id))
        .await?
        .ok_or(Error::NotFound)?;
    if want == Want::Json {
        let mut record = full.record.clone();
        if let Some(obj) = record.as_object_mut() {
            obj.insert(
                "documents".into(),
                serde_json::to_value(&full.documents).unwrap_or_default(),
            );
            obj.insert("first_seen_at".into(), full.meta.first_seen_at.into());
            obj.insert("last_seen_at".into(), full.meta.last_seen_at.into());
            obj.insert("previous_id".into(), full.meta.previous_id.clone().into());
            obj.insert("newer_ids".into(), full.newer.clone().into());
            obj.insert(
                "check_status".into(),
                serde_json::to_value(check_status(&full)).unwrap_or_default(),
            );
        }
        return Ok(json(&record));
    }
    Ok(render(&full).into_response())
}

fn check_status(full: &Full) -> CheckStatus {
    CheckStatus::of(
        &full.meta.status,
        full.checks.iter().filter(|c| !c.ok).count() as i64,
    )
}

fn heading(name: TableName) -> &'static str {
    match name {
        TableName::Active => "二、主动公开政府信息情况",
        TableName::Requests => "三、收到和处理政府信息公开申请情况",
        TableName::Appeals => "四、政府信息公开行政复议、行政诉讼情况",
    }
}

fn render(full: &Full) -> Markup {
    let m = &full.meta;
    let title = m
        .title
        .clone()
        .unwrap_or_else(|| format!("Report {}", layout::short_id(&full.id)));
    let marks = Marks::new(&full.checks, &full.tables);
    let any_table = TableName::ALL.iter().any(|n| full.tables.get(*n).is_some());
    let body = html! {
        h1 { (title) }
        p { (badge(check_status(full))) " " span.muted.small { "id " code { (full.id) } } }
        dl.meta {
            dt { "Agency" } dd { @if let Some(ag) = &m.agency { a href=(agency_href(ag)) { (ag) } } @else { span.muted { "unknown" } } }
            dt { "Year" } dd { (m.year.map(|y| y.to_string()).unwrap_or_else(|| "unknown".into())) }
            dt { "Format" } dd { (m.format.as_deref().unwrap_or("not parsed")) " · status " (m.status) }
            dt { "Source" } dd { (m.source) }
            dt { "Region" } dd { (m.region.as_deref().unwrap_or("")) }
            dt { "Published" } dd { (m.published.as_deref().unwrap_or("")) }
            dt { "Fetched" } dd { "first " (layout::time_ms(Some(m.first_seen_at))) ", last " (layout::time_ms(Some(m.last_seen_at))) }
            dt { "Found at" } dd {
                @for (url, kind) in &full.urls {
                    div { a href=(url) rel="noreferrer nofollow" { (url) } " " span.muted.small { (kind) } }
                }
            }
            dt { "Original" } dd {
                @for d in &full.documents {
                    div {
                        a href=(d.original) { (d.kind.to_uppercase()) " · " (d.filename.as_deref().unwrap_or("archived bytes")) }
                        " " span.muted.small { (d.size) " bytes, fetched " (layout::time_ms(Some(d.fetched_at))) @if d.main { " · text read from this" } }
                    }
                }
            }
            @if let Some(prev) = &m.previous_id {
                dt { "Replaces" } dd { a href=(report_href(prev)) { "older version " (layout::short_id(prev)) } }
            }
            @if !full.newer.is_empty() {
                dt { "Replaced by" } dd { @for n in &full.newer { a href=(report_href(n)) { (layout::short_id(n)) } " " } }
            }
            dt { "JSON" } dd { a href={ (report_href(&full.id)) ".json" } { "export record" } }
        }
        @if any_table {
            p.legend.small { span.fail { "failing rule" } span.inferred { "inferred 推" } "Hover a cell for its key, printed text and rules; numbers link to the rule." }
            @for name in TableName::ALL {
                h2 { (heading(name)) }
                @match full.tables.get(name) {
                    Some(t) => (form::table(t, &marks)),
                    None => p.muted { "Not found in this report." },
                }
            }
        } @else {
            p.muted { "No tables: " (m.status) "." }
        }
        h2 { "Consistency checks" }
        @if full.checks.is_empty() {
            p.muted { "No rule could be evaluated." }
        } @else {
            p { (full.checks.len()) " evaluated, " (marks.failing.len()) " failing." }
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
                    @for c in &full.checks {
                        tr { td { code { (c.rule) } } td { @if c.ok { "✓" } @else { "✗" } } td.n { (c.left) } td.n { (c.right) } }
                    }
                }
            }
        }
        @if !full.warnings.is_empty() {
            h2 { "Parser warnings" }
            ul { @for w in &full.warnings { li { (w) } } }
        }
        h2 { "Report text" }
        pre.text { (m.text) }
    };
    shell(&title, body)
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
    let mut resp = bytes.into_response();
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
