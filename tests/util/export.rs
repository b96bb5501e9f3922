//! Comparing exports: records keyed by report id, and a readable account of differences.

use std::collections::BTreeMap;

/// Exports keyed by report id.
pub fn by_id(records: Vec<serde_json::Value>) -> BTreeMap<String, serde_json::Value> {
    records
        .into_iter()
        .map(|r| (r["id"].as_str().unwrap_or_default().to_string(), r))
        .collect()
}

/// A readable account of how two exports differ (empty when equal).
pub fn export_diff(
    a: &BTreeMap<String, serde_json::Value>,
    b: &BTreeMap<String, serde_json::Value>,
) -> String {
    let mut out = String::new();
    for (id, ra) in a {
        match b.get(id) {
            None => out.push_str(&format!("only in uninterrupted: {id} {}\n", ra["title"])),
            Some(rb) if rb != ra => {
                for key in ra.as_object().unwrap().keys() {
                    if ra[key] != rb[key] {
                        out.push_str(&format!(
                            "{id} {}: {key} differs:\n  {}\n  {}\n",
                            ra["title"], ra[key], rb[key]
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    for (id, rb) in b {
        if !a.contains_key(id) {
            out.push_str(&format!("only in resumed: {id} {}\n", rb["title"]));
        }
    }
    out
}
