//! The archive in Datasette: its own JSON API (`datasette --get`, no server) finds reports
//! through the FTS table it detects for `reports`, reads the wide views, and loads the repo's
//! `datasette/metadata.json`. Needs `datasette` (`util::require_tool`: skipped without it,
//! failed under CI; `.ci/run` installs it with pip).

use std::path::Path;
use std::process::Command;

use super::encode_component;
use super::fixture;

fn datasette_get(db: &Path, path: &str) -> serde_json::Value {
    let metadata = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasette/metadata.json");
    let out = Command::new("datasette")
        .arg(db)
        .arg("--metadata")
        .arg(&metadata)
        .arg("--get")
        .arg(path)
        .output()
        .expect("run datasette");
    assert!(
        out.status.success(),
        "datasette --get {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{path}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn datasette_searches_the_archive_with_its_fts_table() {
    if !crate::util::require_tool("datasette") {
        return;
    }
    let b = fixture::build();
    let db = b.db.as_path();

    let found = datasette_get(
        db,
        &format!(
            "/archive/reports.json?_search={}&_shape=array&_col=id",
            encode_component("依申请公开")
        ),
    );
    let mut want = vec![b.a2023.clone(), b.b2024.clone(), b.legacy.clone()];
    want.sort();
    assert_eq!(ids(&found), want);
    let one = datasette_get(
        db,
        &format!(
            "/archive/reports.json?_search={}&_shape=array&_col=id",
            encode_component("红寺堡区")
        ),
    );
    assert_eq!(ids(&one), std::slice::from_ref(&b.legacy));

    let table = datasette_get(db, "/archive/reports.json?_col=id&_size=1");
    let facets = table["facet_results"]
        .as_object()
        .map(|f| f.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for f in ["year", "format", "status", "source", "region"] {
        assert!(
            facets.iter().any(|k| k == f),
            "metadata facet {f} applied: {facets:?}"
        );
    }

    let wide = datasette_get(
        db,
        &format!(
            "/archive/cells_requests.json?_shape=array&report_id={}",
            b.a2023
        ),
    );
    assert_eq!(wide[0]["new_received__total"], 9);
    let tables = datasette_get(db, "/archive.json");
    let names: Vec<&str> = tables["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"reports") && names.contains(&"cells"),
        "{names:?}"
    );
    let reports = tables["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "reports")
        .unwrap();
    assert_eq!(
        reports["fts_table"], "reports_fts",
        "Datasette detected the FTS table for reports: {reports}"
    );
    let fts = tables["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "reports_fts_data");
    assert!(
        fts.is_none_or(|t| t["hidden"] == true),
        "FTS shadow tables are hidden"
    );
    let metadata = datasette_get(db, "/-/metadata.json");
    assert!(metadata["databases"]["archive"]["tables"]["reports"]["description"].is_string());
}
