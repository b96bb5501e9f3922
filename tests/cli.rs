//! Every subcommand of the built binary end to end, on the archive crawled from the mock
//! portal (`util::crawled`) or on fixture files: `parse FILE [--json]` (HTML, text, PDF,
//! DOCX), `status`, the query commands, `reparse` (GBK pages included) leaving the export
//! unchanged, `demo`, and `serve` on a real socket. Report ids are pinned: a change to text
//! normalisation that would silently change every id fails here.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{
    bin, count, crawled, crawled_copy, fixture, nianbao, nianbao_ok, require_tool, strings, workdir,
};

/// The content id (SHA-256 of the normalised text) of `tests/fixtures/parse/seed000-…txt`, as
/// `parse --json` gives it.
const SEED000_TEXT_ID: &str = "853a4c2adba7527e0e039acaee382e6a6c68f95e67556fc3f7b210249e815d89";
/// The content id of the mock portal's 西夏区 2024 report, as crawled from its HTML page.
const XIXIA_2024_CRAWLED_ID: &str =
    "5480692322bc0b3f52e05a389ecde9e453aa7d85bc187f3acb8e8c5ec0221e43";

/// `nianbao parse FILE [--json]` (no archive involved).
fn parse_file(path: &std::path::Path, json: bool) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.arg("parse").arg(path);
    if json {
        cmd.arg("--json");
    }
    cmd.output().expect("run nianbao parse")
}

fn parse_ok(path: &std::path::Path, json: bool) -> String {
    let out = parse_file(path, json);
    assert!(
        out.status.success(),
        "parse {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn parse_reads_html_text_pdf_and_docx_files() {
    // (fixture, agency, year, format, table.row.col, value)
    let mut cases = vec![
        (
            "parse/shanghai-2019-office.html",
            "上海市人民政府办公厅",
            2019,
            "2019",
            ("active", "regulations", "made"),
            13,
        ),
        (
            "parse/seed000-xixia-2024-pipe.txt",
            "西夏区人民政府办公室",
            2024,
            "2021",
            ("requests", "new_received", "total"),
            9,
        ),
        (
            "attachments/shanghai-2019-libreoffice.docx",
            "上海市人民政府办公厅",
            2019,
            "2019",
            ("active", "normative_documents", "total_public"),
            368,
        ),
    ];
    if require_tool("pdftotext") {
        cases.push((
            "attachments/huaian-2024-city.pdf",
            "淮安市人民政府",
            2024,
            "2021",
            ("active", "licensing", "decisions"),
            447228,
        ));
    }
    for (name, agency, year, format, (table, row, col), value) in cases {
        let path = fixture(name);
        let human = parse_ok(&path, false);
        assert!(
            human.contains(&format!(
                "agency: {agency}   year: {year}   format: {format}"
            )),
            "{name}: {human}"
        );
        assert!(human.contains("checks: "), "{name}: {human}");
        let j: serde_json::Value =
            serde_json::from_str(&parse_ok(&path, true)).expect("--json prints JSON");
        assert_eq!(j["agency"], agency, "{name}");
        assert_eq!(j["year"], year, "{name}");
        assert_eq!(j["format"], format, "{name}");
        assert_eq!(
            j["tables"][table][row][col], value,
            "{name}: {table}.{row}.{col}"
        );
        assert_eq!(
            j["id"].as_str().map(str::len),
            Some(64),
            "{name}: a SHA-256 id"
        );
        assert!(
            j["checks"].as_array().is_some_and(|c| !c.is_empty()),
            "{name}"
        );
    }

    let j: serde_json::Value = serde_json::from_str(&parse_ok(
        &fixture("parse/seed000-xixia-2024-pipe.txt"),
        true,
    ))
    .unwrap();
    assert_eq!(
        j["id"], SEED000_TEXT_ID,
        "the content id of a known text changed: text normalisation changed every report id"
    );

    let missing = parse_file(std::path::Path::new("/nonexistent/report.html"), false);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/report.html"));
}

#[test]
fn status_and_queries_on_a_crawled_archive() {
    let c = crawled();
    let w = &c.work;
    let a = w.archive();
    let reports = count(&a, "SELECT count(*) FROM reports");
    let status = nianbao_ok(w, &["status"]);
    for want in [
        format!("archive   {}", w.db.display()),
        "seeds     ".to_string(),
        format!("reports   {reports} ("),
        "  by status: parsed ".to_string(),
        "  by format: 2021 ".to_string(),
        "last runs".to_string(),
        "  #1 done ".to_string(),
    ] {
        assert!(status.contains(&want), "status lacks {want:?}:\n{status}");
    }
    assert!(!status.contains('\x1b'), "no escape sequences: {status}");
    let j: serde_json::Value = serde_json::from_str(&nianbao_ok(w, &["status", "--json"])).unwrap();
    assert_eq!(j["reports"], reports);

    let list: serde_json::Value =
        serde_json::from_str(&nianbao_ok(w, &["list", "--json", "--limit", "500"])).unwrap();
    assert_eq!(list["total"], reports);
    let human = nianbao_ok(w, &["list"]);
    assert!(
        human.contains(&format!("{reports} reports; page 1")),
        "{human}"
    );

    let id = &strings(
        &a,
        "SELECT id FROM reports WHERE status = 'parsed' ORDER BY id LIMIT 1",
    )[0];
    let shown = nianbao_ok(w, &["show", &id[..8]]);
    assert!(
        shown.contains(id.as_str()) && shown.contains("（七）总计"),
        "{shown}"
    );
    let record: serde_json::Value =
        serde_json::from_str(&nianbao_ok(w, &["show", "--json", id])).unwrap();
    let exported = w
        .export()
        .into_iter()
        .find(|r| r["id"] == id.as_str())
        .expect("exported");
    assert_eq!(
        record["tables"], exported["tables"],
        "show --json is the export record"
    );

    let found: serde_json::Value =
        serde_json::from_str(&nianbao_ok(w, &["search", "--json", "政府信息公开"])).unwrap();
    assert!(found["total"].as_i64().unwrap() > 0, "{found}");
    let stats: serde_json::Value =
        serde_json::from_str(&nianbao_ok(w, &["stats", "--json"])).unwrap();
    assert_eq!(stats["totals"]["reports"], reports);
    assert!(nianbao_ok(w, &["stats"]).contains(&format!("reports {reports}")));
    let runs: serde_json::Value =
        serde_json::from_str(&nianbao_ok(w, &["runs", "--json"])).unwrap();
    assert_eq!(runs["runs"][0]["status"], "done");
    assert!(nianbao_ok(w, &["runs"]).contains("done"));
}

#[test]
fn report_ids_are_pinned() {
    let c = crawled();
    let a = c.work.archive();
    let ids = strings(
        &a,
        "SELECT r.id FROM reports r JOIN documents d ON d.id = r.main_document_id
         WHERE r.agency = '西夏区人民政府办公室' AND r.year = 2024 AND d.kind = 'html'",
    );
    assert_eq!(
        ids,
        [XIXIA_2024_CRAWLED_ID],
        "the id of a known crawled report changed: page extraction or text normalisation \
         changed every report id"
    );
}

#[test]
fn reparse_of_a_crawled_archive_leaves_the_export_unchanged() {
    let w = crawled_copy();
    let before = w.export();
    let a = w.archive();
    // The archive holds GBK pages, each analysed again from its stored bytes and Content-Type.
    let gbk = strings(
        &a,
        "SELECT r.id FROM reports r JOIN documents d ON d.id = r.main_document_id
         JOIN pages p ON p.id = d.page_id
         WHERE lower(p.encoding) IN ('gbk', 'gb18030', 'gb2312') AND r.status = 'parsed'
         ORDER BY r.id",
    );
    assert!(!gbk.is_empty(), "the crawl archived GBK report pages");
    drop(a);
    // Forget what was read from one GBK report and one other: reparse must read it again.
    let utf8 = strings(
        &w.archive(),
        "SELECT r.id FROM reports r JOIN documents d ON d.id = r.main_document_id
         JOIN pages p ON p.id = d.page_id
         WHERE lower(p.encoding) = 'utf-8' AND r.status = 'parsed' ORDER BY r.id LIMIT 1",
    );
    {
        let rw = nianbao::archive::Archive::open(&w.db).unwrap();
        for id in [&gbk[0], &utf8[0]] {
            rw.conn()
                .execute("DELETE FROM cells WHERE report_id = ?1", [id])
                .unwrap();
            rw.conn()
                .execute("DELETE FROM checks WHERE report_id = ?1", [id])
                .unwrap();
            rw.conn()
                .execute(
                    "UPDATE reports SET agency = NULL, year = NULL, format = NULL WHERE id = ?1",
                    [id],
                )
                .unwrap();
        }
    }
    assert_ne!(w.export(), before, "the archive was changed");
    let out = nianbao(&w, &["reparse"]);
    assert!(
        out.status.success(),
        "reparse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("re-analysed "), "{said}");
    let after = w.export();
    let diff = crate::util::export_diff(&crate::util::by_id(before), &crate::util::by_id(after));
    assert!(diff.is_empty(), "reparse changed the export:\n{diff}");
}

#[test]
fn demo_crawls_the_bundled_portal() {
    let w = workdir(0.0, &[], "");
    let out = nianbao(&w, &["demo", "--first-ip", "96", "--rate", "200"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo: {said}");
    assert!(
        said.contains("nianbao demo: ") && said.contains(" new reports"),
        "{said}"
    );
    let reports = count(&w.archive(), "SELECT count(*) FROM reports");
    assert!(reports > 10, "demo archived reports ({reports})");
    assert_eq!(
        count(
            &w.archive(),
            "SELECT count(*) FROM seeds WHERE portal = 'demo portal'"
        ) as usize,
        strings(&w.archive(), "SELECT url FROM seeds").len(),
        "seeds remembered as the demo portal's"
    );
}

/// A running `nianbao serve`, stopped with SIGINT when dropped.
struct Serving {
    child: std::process::Child,
    base: String,
}

impl Serving {
    fn start(w: &crate::util::Workdir, bind: &str) -> Serving {
        let mut child = Command::new(bin())
            .args(w.base_args())
            .args(["serve", "--bind", bind])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start serve");
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("serve said where it listens")
                .expect("stderr");
            if let Some(rest) = line.split(" at http://").nth(1) {
                break format!("http://{}", rest.split('/').next().unwrap_or(""));
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Serving { child, base }
    }

    /// SIGINT, then wait: the exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let status = self.child.wait().expect("wait for serve");
        std::mem::forget(self);
        status
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_on_a_real_socket() {
    let c = crawled();
    let w = &c.work;
    let a = w.archive();
    let id = strings(
        &a,
        "SELECT id FROM reports WHERE status = 'parsed' ORDER BY id LIMIT 1",
    )
    .remove(0);
    let agency = strings(&a, &format!("SELECT agency FROM reports WHERE id = '{id}'")).remove(0);
    let server = Serving::start(w, "127.0.0.97:0");
    let base = server.base.clone();
    assert!(base.starts_with("http://127.0.0.97:"), "{base}");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    for path in [
        "/".to_string(),
        "/index.json".to_string(),
        "/reports".to_string(),
        format!("/reports.json?q={}&year=2024", enc("政府信息公开")),
        format!("/reports/{id}"),
        format!("/reports/{id}.json"),
        format!("/reports/{id}/original"),
        format!("/agencies/{}", enc(&agency)),
        format!("/agencies/{}.json", enc(&agency)),
        "/runs".to_string(),
        "/runs.json".to_string(),
        "/style.css".to_string(),
    ] {
        let r = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        let ctype = r.headers()["content-type"].to_str().unwrap().to_string();
        let body = r.bytes().await.unwrap();
        assert!(!body.is_empty(), "GET {path}");
        if path.contains(".json") {
            assert_eq!(ctype, "application/json", "{path}");
            serde_json::from_slice::<serde_json::Value>(&body).expect("JSON");
        }
    }
    let record: serde_json::Value = serde_json::from_slice(
        &client
            .get(format!("{base}/reports/{id}.json"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    for key in [
        "id", "title", "agency", "year", "format", "urls", "source", "tables", "checks",
    ] {
        assert!(record.get(key).is_some(), "SPEC §4 field {key} in {record}");
    }
    let head = client.head(format!("{base}/reports")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.bytes().await.unwrap().is_empty(), "HEAD has no body");
    for path in ["/reports", "/", &format!("/reports/{id}")] {
        let post = client
            .post(format!("{base}{path}"))
            .body("x=1")
            .send()
            .await
            .unwrap();
        assert_eq!(post.status(), 405, "POST {path}");
        assert_eq!(post.headers()["allow"], "GET, HEAD");
    }
    let missing = client.get(format!("{base}/nothing")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(server.stop().success(), "serve exits 0 on SIGINT");
}
