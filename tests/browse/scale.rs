//! How fast the pages are on a big archive (10 000 reports, 1.8 million cells). Ignored by
//! default (building the archive takes a while); run with
//! `cargo test --test tests browse::scale -- --ignored --nocapture` to measure.

use std::time::Instant;

use nianbao::archive::store::{NewDocument, NewPage, NewReport};
use nianbao::archive::Archive;
use nianbao::browse::AppState;
use nianbao::model::{
    Cell, Format, Number, Origin, ParsedReport, ReportStatus, Source, Table, TableName, Tables,
    REQUESTS, REQUEST_COLUMNS,
};

use super::get;

const REPORTS: usize = 10_000;

fn build(db: &std::path::Path) {
    let a = Archive::open(db).unwrap();
    a.conn().execute_batch("BEGIN").unwrap();
    a.conn()
        .execute("INSERT INTO frontier (key, url, kind, host, depth, state, discovered_at) VALUES ('k', 'http://h/', 'detail', 'h', 0, 'done', 0)", [])
        .unwrap();
    let page_id = a
        .store_page(&NewPage {
            frontier_id: 1,
            run_id: 1,
            url: "http://h/",
            final_url: "http://h/",
            status: 200,
            headers_json: "{}",
            content_type: None,
            etag: None,
            last_modified: None,
            raw: b"x",
            raw_zstd: None,
            raw_sha256: None,
            encoding: None,
            text: None,
        })
        .unwrap();
    for i in 0..REPORTS {
        let agency = format!("第{}区人民政府办公室", i / 8);
        let year = 2017 + (i % 8) as i32;
        let text = format!("{agency}{year}年政府信息公开工作年度报告\n本年度依申请公开工作 第{i}号 收到申请若干件。{}", "正文".repeat(400));
        let id = format!("{:064x}", i + 1);
        let sha = format!("{:064x}", i + 1);
        let (doc, _) = a
            .upsert_document(&NewDocument {
                page_id,
                url: "http://h/",
                kind: "html",
                filename: None,
                sha256: &sha,
                text: Some(&text),
                status: &ReportStatus::Parsed,
            })
            .unwrap();
        a.upsert_report(&NewReport {
            id: &id,
            source: Source::Html,
            status: &ReportStatus::Parsed,
            published: None,
            region: Some(["北京市", "上海市", "宁夏回族自治区"][i % 3]),
            document_id: doc,
            text: &text,
            parsed: None,
        })
        .unwrap();
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        for (r, row) in REQUESTS.iter().enumerate() {
            for (c, col) in REQUEST_COLUMNS.iter().enumerate() {
                let v = ((i + r * 7 + c) % 13) as i64;
                *t.get_mut(row.key, col).unwrap() = Cell {
                    raw: v.to_string(),
                    value: Some(Number::Int(v)),
                    origin: Origin::Read,
                };
            }
        }
        let parsed = ParsedReport {
            title: Some(format!("{agency}{year}年政府信息公开工作年度报告")),
            agency: Some(agency),
            year: Some(year),
            format: Some(Format::F2021),
            tables: Tables {
                requests: Some(t),
                ..Tables::default()
            },
            warnings: vec![],
            doubts: vec![],
        };
        let checks = nianbao::parse::checks::evaluate(&parsed.tables);
        a.save_parse(&id, &ReportStatus::Parsed, &parsed, &checks)
            .unwrap();
    }
    a.conn().execute_batch("COMMIT").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow: builds a 10 000-report archive; run with --ignored --nocapture to measure"]
async fn pages_stay_fast_on_ten_thousand_reports() {
    // NIANBAO_SCALE_DB=path keeps (and reuses) the archive for a closer look.
    let dir = tempfile::tempdir().unwrap();
    let db = std::env::var_os("NIANBAO_SCALE_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("archive.db"));
    if !db.exists() {
        let t = Instant::now();
        build(&db);
        eprintln!("built {REPORTS} reports in {:.1?}", t.elapsed());
    }
    let state = AppState::open(&db).unwrap();
    for path in [
        "/",
        "/reports",
        "/reports?page=150",
        "/reports?sort=-refused",
        "/reports?status=fail",
        "/reports?year=2020&region=上海市",
        "/reports?q=依申请公开",
        "/reports?q=第4321号",
        "/reports?q=号",
        "/reports/0000000000000000000000000000000000000000000000000000000000000457",
        "/agencies/第57区人民政府办公室",
    ] {
        let t = Instant::now();
        get(&state, path).await;
        let cold = t.elapsed();
        let t = Instant::now();
        get(&state, path).await;
        eprintln!("{cold:>8.1?} {:>8.1?}  {path}", t.elapsed());
    }
}
