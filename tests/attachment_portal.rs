//! End to end: a portal whose reports exist only as attachments (PDF, DOCX, DOC), plus a
//! scanned PDF, a truncated PDF, a PDF with a compression bomb and a "PDF" that is really
//! HTML. Every good report is parsed; the bad files are archived with their reasons; the crawl
//! neither panics nor hangs.

use std::sync::Arc;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::util::{assert_ok, fixture, workdir};

/// (link text, path, fixture file)
const FILES: &[(&str, &str, &str)] = &[
    (
        "淮安市人民政府2024年政府信息公开工作年度报告",
        "/P020250120000001.pdf",
        "huaian-2024-city.pdf",
    ),
    (
        "上海市人民政府办公厅2019年政府信息公开工作年度报告",
        "/files/sh2019.docx",
        "shanghai-2019-libreoffice.docx",
    ),
    (
        "上海市人民政府办公厅2019年政府信息公开工作年度报告(doc)",
        "/module/download/downfile.jsp?classid=0&filename=sh2019.doc",
        "shanghai-2019-libreoffice.doc",
    ),
    (
        "某县档案馆2023年政府信息公开工作年度报告（扫描件）",
        "/files/scan.pdf",
        "scanned.pdf",
    ),
    (
        "某县气象局2023年政府信息公开工作年度报告",
        "/files/truncated.pdf",
        "truncated.pdf",
    ),
    (
        "某县水利局2023年政府信息公开工作年度报告",
        "/files/bomb.pdf",
        "flate-bomb.pdf",
    ),
    (
        "某县林业局2023年政府信息公开工作年度报告",
        "/files/fake.pdf",
        "html-named.pdf",
    ),
];

async fn start() -> (url::Url, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.230:0")
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let rows: String = FILES
        .iter()
        .map(|(title, path, _)| {
            format!(
                "<li><a href=\"{}\" title=\"{title}\">{title}</a></li>\n",
                path.replace('&', "&amp;")
            )
        })
        .collect();
    let listing = Arc::new(format!("<html><head><meta charset=\"utf-8\"><title>政府信息公开年报</title></head><body><ul>{rows}</ul></body></html>"));
    let mut app = Router::new().route(
        "/nb/index.html",
        get(move || {
            let l = listing.clone();
            async move {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    (*l).clone(),
                )
            }
        }),
    );
    for (_, path, file) in FILES {
        let bytes = std::fs::read(fixture(&format!("attachments/{file}"))).unwrap();
        let route = path.split('?').next().unwrap().to_string();
        let gbk_name = encoding_rs::GBK
            .encode("上海市人民政府办公厅2019年年报.doc")
            .0
            .into_owned();
        let is_doc = file.ends_with(".doc");
        app = app.route(
            &route,
            get(move || async move {
                let mut headers = vec![(
                    header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/octet-stream"),
                )];
                if is_doc {
                    let mut v = b"attachment; filename=\"".to_vec();
                    v.extend_from_slice(&gbk_name);
                    v.push(b'"');
                    headers.push((
                        header::CONTENT_DISPOSITION,
                        axum::http::HeaderValue::from_bytes(&v).unwrap(),
                    ));
                }
                (axum::http::HeaderMap::from_iter(headers), bytes).into_response()
            }),
        );
    }
    let handle = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (
        url::Url::parse(&format!("{base}/nb/index.html")).unwrap(),
        handle,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_published_only_as_attachments() {
    if !crate::util::require_tool("pdftotext") || !crate::util::require_tool("soffice") {
        return;
    }
    let (seed, server) = start().await;
    let w = workdir(50.0, &[], "");
    let out = w.crawl(std::slice::from_ref(&seed), &[]).await;
    assert_ok(&out);
    let a = w.archive();
    let doc_of = |path: &str| -> (String, Option<String>, Option<String>) {
        let url = seed.join(path).unwrap();
        a.conn()
            .query_row(
                "SELECT d.status, d.report_id, d.filename FROM documents d WHERE d.url = ?1",
                [url.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap_or_else(|e| panic!("{path}: no document ({e})"))
    };
    let report = |id: &str| -> (String, Option<String>, String) {
        a.conn()
            .query_row(
                "SELECT status, format, source FROM reports WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    let cell = |id: &str, tbl: &str, row: &str, col: &str| -> Option<f64> {
        a.conn()
            .query_row("SELECT value FROM cells WHERE report_id = ?1 AND tbl = ?2 AND row = ?3 AND col = ?4", [id, tbl, row, col], |r| r.get(0))
            .unwrap_or(None)
    };

    // The real PDF: parsed, its key figures right.
    let (_, id, _) = doc_of(FILES[0].1);
    let id = id.expect("huaian PDF is a report");
    assert_eq!(
        report(&id),
        ("parsed".into(), Some("2021".into()), "pdf".into())
    );
    assert_eq!(cell(&id, "requests", "new_received", "total"), Some(3119.0));
    assert_eq!(cell(&id, "active", "fees", "amount"), Some(96171.6));

    // DOCX: tables read as grids.
    let (_, id, _) = doc_of(FILES[1].1);
    let id = id.expect("docx is a report");
    assert_eq!(report(&id).0, "parsed");
    assert_eq!(report(&id).2, "docx");
    assert_eq!(cell(&id, "requests", "new_received", "total"), Some(859.0));

    // DOC: the same Shanghai report as the DOCX. Read by a converter it yields the same text,
    // so it is the same report (deduplicated by text hash); without one it is archived and marked.
    let docx_id = id;
    let (status, id, filename) = doc_of(FILES[2].1);
    assert_eq!(
        filename.as_deref(),
        Some("上海市人民政府办公厅2019年年报.doc"),
        "GBK Content-Disposition name"
    );
    let id = id.expect("doc is archived as a report");
    let (rstatus, _, source) = report(&id);
    if id == docx_id {
        assert_eq!(rstatus, "parsed");
    } else {
        assert_eq!(source, "doc", "{status}");
        assert!(
            rstatus == "parsed" || rstatus.starts_with("unparsed: doc"),
            "{status} {rstatus}"
        );
    }

    // Scanned: stored, counted, marked needs_ocr.
    let (_, id, _) = doc_of(FILES[3].1);
    assert_eq!(report(&id.unwrap()).0, "needs_ocr");

    // Truncated PDF: archived with the reason.
    let (_, id, _) = doc_of(FILES[4].1);
    let status = report(&id.unwrap()).0;
    assert!(status.starts_with("unparsed: pdf"), "truncated: {status}");
    // Compression bomb: archived, and the crawl went on (the engine runs under time and memory
    // limits in a subprocess; whatever it made of the file is recorded).
    let (status, _, _) = doc_of(FILES[5].1);
    assert!(!status.is_empty());
    // The "PDF" that is HTML is sniffed as HTML, not fed to the PDF engine.
    let (status, _, _) = doc_of(FILES[6].1);
    assert!(!status.contains("pdf"), "{status}");
    server.abort();
}
