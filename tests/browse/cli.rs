//! The built binary's query commands on the hand-built archive: human tables and `--json`.

use std::process::Command;

use super::fixture::{self, AGENCY};
use super::ids;
use crate::util::bin;

fn run(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run nianbao");
    assert!(
        out.status.success(),
        "nianbao {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn json(db: &std::path::Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run(db, args)).expect("JSON output")
}

#[test]
fn list_show_search_stats_runs() {
    let b = fixture::build();
    let db = b.db.as_path();

    let all = run(db, &["list"]);
    assert!(all.contains(AGENCY), "{all}");
    assert!(all.contains("4 reports; page 1 of 1"), "{all}");
    assert!(all.contains("fail 3/"), "failing count shown: {all}");
    assert!(
        !all.contains('\x1b'),
        "no escape sequences from crawled text"
    );

    assert_eq!(
        ids(&json(db, &["list", "--json", "--year", "2024"])),
        std::slice::from_ref(&b.b2024)
    );
    assert_eq!(
        ids(&json(db, &["list", "--json", "--failing"])),
        std::slice::from_ref(&b.b2024)
    );
    assert_eq!(
        ids(&json(db, &["list", "--json", "--agency", "红寺堡"])),
        std::slice::from_ref(&b.legacy)
    );
    assert_eq!(
        ids(&json(
            db,
            &["list", "--json", "--agency", "西夏", "--sort", "year"]
        )),
        [b.a2023.clone(), b.b2024.clone()]
    );
    assert_eq!(
        json(db, &["list", "--json", "--limit", "1", "--page", "2"])["reports"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let show = run(db, &["show", &b.a2023[..10]]);
    assert!(show.contains(&b.a2023), "{show}");
    assert!(
        show.contains("（七）总计"),
        "tables in the terminal: {show}"
    );
    assert!(show.contains("http://127.0.0.9/xxgk/nb/1.html"));
    let failing = run(db, &["show", &b.b2024]);
    assert!(
        failing.contains("✗ requests.results_sum.total: 12 ≠ 10"),
        "{failing}"
    );
    assert!(
        failing.contains("~ requests.carried_forward (elimination): 2 of 7 cells printed"),
        "{failing}"
    );
    let record = json(db, &["show", "--json", &b.a2023]);
    assert_eq!(
        record["doubts"],
        serde_json::json!([]),
        "no doubts: an empty list"
    );
    let record = json(db, &["show", "--json", &b.a2023]);
    assert_eq!(record["tables"]["requests"]["total_processed"]["total"], 8);
    let with_text = run(db, &["show", "--text", &b.legacy]);
    assert!(with_text.contains("2014年没有受理依申请公开政府信息"));
    let missing = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(["show", "abcdef"])
        .output()
        .unwrap();
    assert!(!missing.status.success());

    let found = run(db, &["search", "依申请公开"]);
    assert!(found.contains("3 reports"), "{found}");
    assert!(found.contains("红寺堡区"), "{found}");
    assert_eq!(
        ids(&json(db, &["search", "--json", "复议"])),
        std::slice::from_ref(&b.a2023)
    );
    assert_eq!(
        json(db, &["search", "--json", "依申请公开", "收费"])["search_mode"],
        "mixed"
    );

    let stats = run(db, &["stats"]);
    assert!(stats.contains("reports 4"), "{stats}");
    assert!(stats.contains("2023"), "{stats}");
    let stats_json = json(db, &["stats", "--json"]);
    assert_eq!(stats_json["totals"]["reports"], 4);

    let runs = run(db, &["runs"]);
    assert!(runs.contains("timeout 1"), "{runs}");
    assert!(runs.contains("127.0.0.10"), "{runs}");
    assert_eq!(
        json(db, &["runs", "--json"])["runs"][0]["counts"]["fetched"],
        12
    );
}
