//! End to end in a real browser: headless Chromium loads the report list, searches a Chinese
//! term, opens a report (the hostile one), saves screenshots, and the test asserts on the DOM
//! Chromium dumps. Needs `chromium` on `PATH` (`util::require_tool`: skipped without it, failed
//! under CI; `.ci/run` installs Debian's `chromium`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use nianbao::browse::{serve, AppState};

use super::encode_component;
use super::fixture::{self, AGENCY};
use crate::util::{find_tool, require_tool};

/// Run headless Chromium with `args`; returns stdout.
async fn chromium(profile: &Path, args: &[String]) -> String {
    let mut cmd = tokio::process::Command::new(find_tool("chromium").expect("chromium on PATH"));
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
    ])
    .args([
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
    ])
    .args([
        "--disable-extensions",
        "--disable-sync",
        "--metrics-recording-only",
        "--mute-audio",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(90), cmd.output())
        .await
        .expect("chromium finished within 90 s")
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn dom(profile: &Path, url: &str) -> String {
    chromium(profile, &["--dump-dom".into(), url.into()]).await
}

async fn screenshot(profile: &Path, url: &str, file: &Path) {
    chromium(
        profile,
        &[
            format!("--screenshot={}", file.display()),
            "--window-size=1366,1800".into(),
            url.into(),
        ],
    )
    .await;
    let png = std::fs::read(file).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "{} is a PNG", file.display());
    assert!(
        png.len() > 5_000,
        "{} is not blank ({} bytes)",
        file.display(),
        png.len()
    );
}

/// The tags of serialized DOM (`<…>`); text nodes never contain a raw `<`.
fn tags(dom: &str) -> Vec<&str> {
    dom.split('<')
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_chromium_lists_searches_and_opens_a_report() {
    if !require_tool("chromium") {
        return;
    }
    let b = fixture::build();
    let state = AppState::open(&b.db).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));
    let profile = tempfile::tempdir().unwrap();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browse-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // 1. The list.
    let list = dom(profile.path(), &format!("{base}/reports")).await;
    assert!(
        list.contains("id=\"reports\""),
        "list table rendered: {list}"
    );
    assert!(list.contains(AGENCY));
    assert!(list.contains("红寺堡区2014年政府信息公开工作年度报告"));
    assert!(
        list.contains("some checks fail"),
        "check-status badges and facets"
    );
    screenshot(
        profile.path(),
        &format!("{base}/reports"),
        &shots.join("1-list.png"),
    )
    .await;

    // 2. Search a Chinese term (the search form submits by GET: this is its URL).
    let term = "依申请公开";
    let search_url = format!("{base}/reports?q={}", encode_component(term));
    let found = dom(profile.path(), &search_url).await;
    assert!(
        found.contains(&format!("<mark>{term}</mark>")),
        "search term highlighted: {found}"
    );
    assert!(found.contains("3 reports"), "three reports mention {term}");
    assert!(found.contains("full-text index"));
    screenshot(profile.path(), &search_url, &shots.join("2-search.png")).await;

    // 3. Open a report found by the search: take its link from the DOM.
    let marker = "class=\"report\" href=\"";
    let hrefs: Vec<&str> = found
        .match_indices(marker)
        .filter_map(|(i, _)| found[i + marker.len()..].split('"').next())
        .collect();
    let href = hrefs
        .iter()
        .find(|h| h.ends_with(&b.b2024))
        .expect("the 2024 report is among the results");
    let report_url = format!("{base}{href}");
    let page = dom(profile.path(), &report_url).await;
    assert!(
        page.contains("三、本年度办理结果"),
        "requests table laid out as on the form"
    );
    assert!(page.contains("（三）不予公开"));
    assert!(
        page.contains("class=\"fail\"") || page.contains("fail\""),
        "failing cells highlighted"
    );
    assert!(page.contains("inferred"), "inferred cell marked");
    assert!(page.contains("requests.results_sum.total"));
    // The hostile strings are text, not markup: no script element exists in the DOM, and the
    // escaped title is there as text.
    assert!(!page.contains("<script"), "no script element in the DOM");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !tags(&page).iter().any(|t| t.contains("onmouseover")),
        "no event handler attribute on any element"
    );
    assert!(
        page.contains("onmouseover"),
        "the hostile text is shown as text"
    );
    screenshot(profile.path(), &report_url, &shots.join("3-report.png")).await;

    // 4. The overview with its SVG charts.
    let overview = dom(profile.path(), &format!("{base}/")).await;
    assert_eq!(overview.matches("<svg").count(), 4);
    screenshot(
        profile.path(),
        &format!("{base}/"),
        &shots.join("4-overview.png"),
    )
    .await;
    eprintln!("screenshots in {}", shots.display());

    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
