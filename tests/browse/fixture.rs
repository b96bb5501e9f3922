//! A small archive built without the crawler: four reports written through the archive's
//! typed operations (`store_page`, `upsert_document`, `upsert_report`, `add_report_url`,
//! `save_parse`, `update_cross_year`), one run and two hosts.
//!
//! - `a2023`: 西夏区人民政府办公室 2023, 2021 form, every check passes, text mentions 行政复议.
//! - `b2024`: same agency 2024 (PDF): `results_sum.total` and `cross_year.carried_over` fail, one
//!   inferred and doubted cell, and hostile text (`<script>`, `" onmouseover=`) in title, text and a cell.
//! - `legacy`: 红寺堡区 2014, no tables. `unparsed`: a DOCX whose tables could not be read.

use std::path::PathBuf;

use nianbao::archive::runs::RunCounts;
use nianbao::archive::store::{sha256_hex, NewDocument, NewPage, NewReport};
use nianbao::archive::Archive;
use nianbao::model::{
    Cell, DocumentRole, Doubt, DoubtKind, Format, Number, Origin, ParsedReport, ReportStatus,
    RunStatus, Source, Table, TableName, Tables,
};

/// Hostile strings planted in report B.
pub const XSS_TITLE: &str = "<script>alert(1)</script>";
pub const XSS_ATTR: &str = "\" onmouseover=\"alert(2)";
pub const XSS_CELL: &str = "\"><script>alert(3)</script>";

pub const AGENCY: &str = "西夏区人民政府办公室";

/// Bytes of the "PDF" of report B.
pub const PDF_BYTES: &[u8] = b"%PDF-1.4\n% nianbao test\n";

pub struct Built {
    /// Keeps the temporary directory (and the archive in it) alive.
    pub _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub a2023: String,
    pub b2024: String,
    pub legacy: String,
    pub unparsed: String,
}

fn set(t: &mut Table, row: &str, col: &str, raw: &str, value: Option<i64>, origin: Origin) {
    let cell = t
        .get_mut(row, col)
        .unwrap_or_else(|| panic!("no cell {row}.{col}"));
    *cell = Cell {
        raw: raw.into(),
        value: value.map(Number::Int),
        origin,
    };
}

/// A `requests` table where only natural persons applied: (row, count) pairs.
fn requests(rows: &[(&str, i64)]) -> Table {
    let mut t = Table::empty(TableName::Requests, Format::F2021);
    for (row, n) in rows {
        set(
            &mut t,
            row,
            "natural_person",
            &n.to_string(),
            Some(*n),
            Origin::Read,
        );
        set(&mut t, row, "total", &n.to_string(), Some(*n), Origin::Read);
    }
    t
}

fn appeals(review: i64) -> Table {
    let mut t = Table::empty(TableName::Appeals, Format::F2021);
    set(
        &mut t,
        "review",
        "upheld",
        &review.to_string(),
        Some(review),
        Origin::Read,
    );
    set(
        &mut t,
        "review",
        "total",
        &review.to_string(),
        Some(review),
        Origin::Read,
    );
    t
}

fn active(in_force: i64) -> Table {
    let mut t = Table::empty(TableName::Active, Format::F2021);
    set(&mut t, "regulations", "issued", "0", Some(0), Origin::Read);
    set(
        &mut t,
        "normative_documents",
        "in_force",
        &in_force.to_string(),
        Some(in_force),
        Origin::Read,
    );
    t
}

struct Spec<'a> {
    n: usize,
    kind: &'a str,
    source: Source,
    raw: &'a [u8],
    text: &'a str,
    status: &'a str,
    published: Option<&'a str>,
    region: Option<&'a str>,
    parsed: ParsedReport,
}

fn add(a: &Archive, s: Spec<'_>) -> String {
    let url = format!(
        "http://127.0.0.9/xxgk/nb/{}.{}",
        s.n,
        if s.kind == "html" { "html" } else { s.kind }
    );
    a.conn()
        .execute(
            "INSERT INTO frontier (key, url, kind, host, depth, state, discovered_at)
             VALUES (?1, ?1, 'detail', '127.0.0.9', 1, 'done', 0)",
            [&url],
        )
        .unwrap();
    let frontier_id = a.conn().last_insert_rowid();
    let content_type = if s.kind == "html" {
        "text/html; charset=utf-8"
    } else {
        "application/octet-stream"
    };
    let page_id = a
        .store_page(&NewPage {
            frontier_id,
            run_id: 1,
            url: &url,
            final_url: &url,
            status: 200,
            headers_json: "{}",
            content_type: Some(content_type),
            etag: None,
            last_modified: None,
            raw: s.raw,
            raw_zstd: None,
            raw_sha256: None,
            encoding: (s.kind == "html").then_some("utf-8"),
            text: (s.kind == "html").then_some(s.text),
        })
        .unwrap();
    let sha = sha256_hex(s.raw);
    let status = ReportStatus::parse(s.status).expect("a stored status");
    let filename = format!("report{}.{}", s.n, s.kind);
    let (doc_id, _) = a
        .upsert_document(&NewDocument {
            page_id,
            url: &url,
            kind: s.kind,
            filename: (s.kind != "html").then_some(filename.as_str()),
            sha256: &sha,
            text: Some(s.text),
            status: &status,
        })
        .unwrap();
    let id = nianbao::extract::normalize::content_id(s.text);
    a.upsert_report(&NewReport {
        id: &id,
        source: s.source,
        status: &status,
        published: s.published,
        region: s.region,
        document_id: doc_id,
        text: s.text,
        parsed: None,
    })
    .unwrap();
    a.add_report_url(
        &id,
        &url,
        if s.kind == "html" {
            DocumentRole::Detail
        } else {
            DocumentRole::Attachment
        },
    )
    .unwrap();
    let checks = nianbao::parse::checks::evaluate(&s.parsed.tables);
    a.save_parse(&id, &status, &s.parsed, &checks).unwrap();
    if let (Some(agency), Some(year)) = (&s.parsed.agency, s.parsed.year) {
        a.update_cross_year(&id, agency, year).unwrap();
    }
    id
}

pub fn build() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let a = Archive::open(&db).unwrap();
    let run = a.start_run(1).unwrap();

    let text_a = "西夏区人民政府办公室2023年政府信息公开工作年度报告\n一、总体情况\n本年度依申请公开工作平稳，收到政府信息公开申请9件。\n\
                  四、政府信息公开行政复议、行政诉讼情况\n行政复议1件，结果维持。\n五、存在的主要问题及改进情况\n继续加强培训。";
    let html_a = format!(
        "<html><head><title>2023年报</title></head><body><pre>{text_a}</pre></body></html>"
    );
    let a2023 = add(
        &a,
        Spec {
            n: 1,
            kind: "html",
            source: Source::Html,
            raw: html_a.as_bytes(),
            text: text_a,
            status: "parsed",
            published: Some("2024-01-20"),
            region: Some("宁夏回族自治区"),
            parsed: ParsedReport {
                title: Some("西夏区人民政府办公室2023年政府信息公开工作年度报告".into()),
                agency: Some(AGENCY.into()),
                year: Some(2023),
                format: Some(Format::F2021),
                tables: Tables {
                    active: Some(active(41)),
                    requests: Some(requests(&[
                        ("new_received", 9),
                        ("carried_over", 0),
                        ("granted", 5),
                        ("denied_third_party", 2),
                        ("unavailable_not_held", 1),
                        ("total_processed", 8),
                        ("carried_forward", 1),
                    ])),
                    appeals: Some(appeals(1)),
                },
                warnings: vec![],
                doubts: vec![],
            },
        },
    );

    let text_b = format!(
        "西夏区人民政府办公室2024年政府信息公开工作年度报告{XSS_TITLE}\n一、总体情况\n依申请公开：收到申请10件{XSS_ATTR}。\n\
         三、收到和处理政府信息公开申请情况\n见下表。\n六、其他需要报告的事项\n无。"
    );
    let mut req_b = requests(&[
        ("new_received", 10),
        ("carried_over", 2),
        ("granted", 10),
        ("total_processed", 12),
        ("carried_forward", 0),
    ]);
    set(
        &mut req_b,
        "carried_forward",
        "total",
        "",
        Some(0),
        Origin::Inferred,
    );
    set(
        &mut req_b,
        "denied_state_secret",
        "natural_person",
        XSS_CELL,
        None,
        Origin::Read,
    );
    let b2024 = add(
        &a,
        Spec {
            n: 2,
            kind: "pdf",
            source: Source::Pdf,
            raw: PDF_BYTES,
            text: &text_b,
            status: "parsed",
            published: Some("2025-01-18"),
            region: Some("宁夏回族自治区"),
            parsed: ParsedReport {
                title: Some(format!(
                    "西夏区人民政府办公室2024年政府信息公开工作年度报告{XSS_TITLE}"
                )),
                agency: Some(AGENCY.into()),
                year: Some(2024),
                format: Some(Format::F2021),
                tables: Tables {
                    active: Some(active(43)),
                    requests: Some(req_b),
                    appeals: Some(appeals(0)),
                },
                warnings: vec![format!("prose says 11 requests {XSS_ATTR}")],
                doubts: vec![Doubt::row(
                    TableName::Requests,
                    "carried_forward",
                    DoubtKind::Elimination,
                    "2 of 7 cells printed & placed by the identities",
                )],
            },
        },
    );

    let text_c = "红寺堡区2014年政府信息公开工作年度报告\n一、概述\n2014年没有受理依申请公开政府信息。\n四、政府信息公开的收费及减免情况\n2014年无政府信息公开的收费。";
    let legacy = add(
        &a,
        Spec {
            n: 3,
            kind: "html",
            source: Source::Html,
            raw: text_c.as_bytes(),
            text: text_c,
            status: "legacy",
            published: Some("2015-03-01"),
            region: Some("宁夏回族自治区"),
            parsed: ParsedReport {
                title: Some("红寺堡区2014年政府信息公开工作年度报告".into()),
                agency: Some("红寺堡区人民政府".into()),
                year: Some(2014),
                format: Some(Format::Legacy),
                ..ParsedReport::default()
            },
        },
    );

    let text_d = "某某局政府信息公开工作年度报告（表格无法读取）\n正文略。";
    let unparsed = add(
        &a,
        Spec {
            n: 4,
            kind: "docx",
            source: Source::Docx,
            raw: b"PK\x03\x04 not really a docx",
            text: text_d,
            status: "unparsed: no tables found",
            published: None,
            region: None,
            parsed: ParsedReport {
                title: Some("某某局政府信息公开工作年度报告".into()),
                agency: Some("某某局".into()),
                ..ParsedReport::default()
            },
        },
    );

    let counts = RunCounts {
        fetched: 12,
        reports_new: 4,
        failed: 2,
        blocked: 1,
        bytes: 4096,
        ..RunCounts::default()
    };
    let summary = serde_json::json!({"failures": {"http 404": 1, "timeout": 1}, "stopped_hosts": ["127.0.0.10"], "hosts": 2}).to_string();
    a.finish_run(run, RunStatus::Done, &counts, &summary)
        .unwrap();
    a.update_host(
        "127.0.0.9",
        Some("parsed"),
        Some("User-agent: *\nDisallow:"),
        None,
        "ok",
        None,
    )
    .unwrap();
    a.update_host(
        "127.0.0.10",
        Some("allow_all"),
        None,
        None,
        "blocked",
        Some("anti-bot challenge (412)"),
    )
    .unwrap();
    drop(a);
    Built {
        _dir: dir,
        db,
        a2023,
        b2024,
        legacy,
        unparsed,
    }
}

/// The archive of [`build`] plus two reports made of hostile text (`hostile.rs`).
pub struct Hostile {
    pub built: Built,
    /// Hostile agency, title, region, date, file name, URLs (`javascript:`, `data:`, a quote
    /// breaking out of an attribute) and warning; a report text of several megabytes.
    pub evil: String,
    /// A report whose agency is made of path and query characters.
    pub pathy: String,
}

pub const EVIL_AGENCY: &str = "<img src=x onerror=alert(4)>财政局";
pub const EVIL_TITLE: &str = "\"><svg onload=alert(5)>2024年政府信息公开工作年度报告";
pub const PATHY_AGENCY: &str = "../../财政局/审计?x=1&y=2#frag%2F%00";
/// The text of the long report ends with this (so the page can show it was cut before it).
pub const LONG_TEXT_END: &str = "这是一份很长的报告的最后一句。";
/// Size of the long report's text.
pub const LONG_TEXT_BYTES: usize = 3 << 20;

pub fn build_hostile() -> Hostile {
    let built = build();
    let a = Archive::open(&built.db).unwrap();
    let mut text =
        String::from("</pre><script>alert(6)</script>\n政府信息公开工作年度报告\n一、总体情况\n");
    while text.len() < LONG_TEXT_BYTES {
        text.push_str("本机关依申请公开工作稳步推进，收到申请若干件。\n");
    }
    text.push_str(LONG_TEXT_END);
    let evil = add(
        &a,
        Spec {
            n: 5,
            kind: "pdf",
            source: Source::Pdf,
            raw: b"%PDF-1.4\n% hostile\n",
            text: &text,
            status: "parsed",
            published: Some("2025-01-01\"><script>alert(12)</script>"),
            region: Some("<b>宁夏</b>\"'"),
            parsed: ParsedReport {
                title: Some(EVIL_TITLE.into()),
                agency: Some(EVIL_AGENCY.into()),
                year: Some(2024),
                format: Some(Format::F2021),
                tables: Tables {
                    requests: Some(requests(&[("new_received", 3), ("total_processed", 3)])),
                    ..Tables::default()
                },
                warnings: vec!["<script>alert(11)</script>".into()],
                doubts: vec![],
            },
        },
    );
    for url in [
        "javascript:alert(8)",
        "data:text/html,<script>alert(9)</script>",
        "http://evil.example/\"><script>alert(10)</script>",
    ] {
        a.add_report_url(&evil, url, DocumentRole::Attachment)
            .unwrap();
    }
    a.conn()
        .execute(
            "UPDATE documents SET filename = '\"><script>alert(7)</script>.pdf' WHERE report_id = ?1",
            [&evil],
        )
        .unwrap();
    let pathy = add(
        &a,
        Spec {
            n: 6,
            kind: "html",
            source: Source::Html,
            raw: b"<html><body>pathy</body></html>",
            text: "路径字符机构2023年政府信息公开工作年度报告\n正文。",
            status: "legacy",
            published: None,
            region: None,
            parsed: ParsedReport {
                title: Some("路径字符机构2023年政府信息公开工作年度报告".into()),
                agency: Some(PATHY_AGENCY.into()),
                year: Some(2023),
                format: Some(Format::Legacy),
                ..ParsedReport::default()
            },
        },
    );
    drop(a);
    Hostile { built, evil, pathy }
}
