//! `nianbao export` end to end on the archive crawled from the mock portal (`util::crawled`):
//! both formats to standard output and with `--out FILE`; the CSV agreeing with SPEC §4's JSONL
//! record cell for cell (every cell of every table of every report: value, and raw text and
//! origin against the archive); spreadsheet formulas planted in an archive reaching the CSV
//! neutralised, signed numbers untouched.

use std::collections::BTreeMap;

use nianbao::export::CSV_HEADER;

use crate::util::{count, crawled, crawled_copy, nianbao_ok, parse_csv, Workdir};

/// `export --format FORMAT` to standard output and with `--out FILE`: both must be the same
/// bytes, and `--out` must print nothing. The export.
fn export_both_ways(w: &Workdir, format: &str) -> String {
    let stdout = nianbao_ok(w, &["export", "--format", format]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("export.{format}"));
    let printed = nianbao_ok(
        w,
        &[
            "export",
            "--format",
            format,
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(printed, "", "--out {format}: nothing on standard output");
    let written = std::fs::read_to_string(&file).expect("--out wrote the file");
    assert!(
        written == stdout,
        "--out {format} differs from standard output ({} vs {} bytes)",
        written.len(),
        stdout.len()
    );
    stdout
}

/// A CSV row's fields by header name.
struct CsvRow<'a>(&'a [String]);

impl CsvRow<'_> {
    fn get(&self, name: &str) -> &str {
        let i = CSV_HEADER
            .split(',')
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no CSV column {name}"));
        &self.0[i]
    }
}

/// A JSON cell value as the CSV writes it compared: blank is "", numbers by value.
fn same_value(csv: &str, json: &serde_json::Value) -> bool {
    match json {
        serde_json::Value::Null => csv.is_empty(),
        serde_json::Value::Number(n) => csv.parse::<f64>().ok() == n.as_f64(),
        _ => false,
    }
}

#[test]
fn jsonl_and_csv_agree_cell_for_cell_on_a_crawled_archive() {
    let c = crawled();
    let w = &c.work;
    let a = w.archive();

    let jsonl = export_both_ways(w, "jsonl");
    let records: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    let reports = count(&a, "SELECT count(*) FROM reports") as usize;
    assert!(reports > 10, "the crawl archived reports ({reports})");
    assert_eq!(records.len(), reports, "one record per report");

    let csv = export_both_ways(w, "csv");
    let mut rows = parse_csv(&csv).into_iter();
    assert_eq!(rows.next().expect("a header").join(","), CSV_HEADER);
    let rows: Vec<Vec<String>> = rows.collect();
    let width = CSV_HEADER.split(',').count();
    let mut by_cell: BTreeMap<(String, String, String, String), &[String]> = BTreeMap::new();
    for r in &rows {
        assert_eq!(r.len(), width, "{r:?}");
        let f = CsvRow(r);
        let key = (
            f.get("report_id").to_string(),
            f.get("table").to_string(),
            f.get("row").to_string(),
            f.get("column").to_string(),
        );
        assert!(by_cell.insert(key.clone(), r).is_none(), "{key:?} twice");
    }

    // Raw text and origin of every stored cell, from the archive.
    let mut stored: BTreeMap<(String, String, String, String), (String, String)> = BTreeMap::new();
    let mut st = a
        .conn()
        .prepare("SELECT report_id, tbl, row, col, raw, origin FROM cells")
        .unwrap();
    let cells = st
        .query_map([], |r| {
            Ok((
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                (r.get(4)?, r.get(5)?),
            ))
        })
        .unwrap();
    for cell in cells {
        let (k, v) = cell.unwrap();
        stored.insert(k, v);
    }

    let mut json_cells = 0;
    let mut numbers = 0;
    for rec in &records {
        let id = rec["id"].as_str().expect("id");
        for table in ["active", "requests", "appeals"] {
            let t = &rec["tables"][table];
            if t.is_null() {
                assert!(
                    !by_cell.keys().any(|k| k.0 == id && k.1 == table),
                    "{id}: table {table} is null in the JSONL but has CSV rows"
                );
                continue;
            }
            for (row, cols) in t.as_object().expect("a table is an object of rows") {
                for (col, value) in cols.as_object().expect("a row is an object of cells") {
                    json_cells += 1;
                    let key = (id.to_string(), table.to_string(), row.clone(), col.clone());
                    let csv_row = by_cell
                        .get(&key)
                        .unwrap_or_else(|| panic!("{key:?} is in the JSONL but not the CSV"));
                    let f = CsvRow(csv_row);
                    assert!(
                        same_value(f.get("value"), value),
                        "{key:?}: CSV value {:?}, JSONL {value}",
                        f.get("value")
                    );
                    numbers += usize::from(!value.is_null());
                    let (raw, origin) = stored
                        .get(&key)
                        .map(|(r, o)| (r.as_str(), o.as_str()))
                        .unwrap_or(("", "read"));
                    assert_eq!(f.get("raw"), raw, "{key:?}: raw text");
                    assert_eq!(f.get("origin"), origin, "{key:?}: origin");
                    assert_eq!(f.get("title"), rec["title"].as_str().unwrap_or(""));
                    assert_eq!(f.get("agency"), rec["agency"].as_str().unwrap_or(""));
                    assert_eq!(
                        f.get("year"),
                        rec["year"]
                            .as_i64()
                            .map(|y| y.to_string())
                            .unwrap_or_default()
                    );
                    assert_eq!(f.get("format"), rec["format"].as_str().unwrap_or(""));
                    assert_eq!(f.get("source"), rec["source"].as_str().unwrap_or(""));
                }
            }
        }
    }
    assert_eq!(rows.len(), json_cells, "the CSV has one row per JSONL cell");
    assert!(
        numbers > 1000,
        "the crawled tables hold numbers ({numbers})"
    );
    // Every stored cell reached the export.
    for key in stored.keys() {
        assert!(
            by_cell.contains_key(key),
            "stored cell {key:?} not exported"
        );
    }
}

#[test]
fn csv_neutralises_formulas_planted_in_an_archive_but_not_numbers() {
    let w = crawled_copy();
    let a = nianbao::archive::Archive::open(&w.db).unwrap();
    let id: String = a
        .conn()
        .query_row(
            "SELECT report_id FROM cells WHERE tbl = 'requests' GROUP BY report_id ORDER BY report_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let title = "=HYPERLINK(\"http://evil.example/\",\"点我\")";
    let agency = "@SUM(1+1)*cmd|' /C calc'!A0";
    a.conn()
        .execute(
            "UPDATE reports SET title = ?2, agency = ?3 WHERE id = ?1",
            rusqlite::params![id, title, agency],
        )
        .unwrap();
    let set = |row: &str, col: &str, value: Option<i64>, raw: &str| {
        let n = a
            .conn()
            .execute(
                "INSERT OR REPLACE INTO cells (report_id, tbl, row, col, value, raw, origin)
                 VALUES (?1, 'requests', ?2, ?3, ?4, ?5, 'read')",
                rusqlite::params![id, row, col, value, raw],
            )
            .unwrap();
        assert_eq!(n, 1);
    };
    set("granted", "natural_person", None, "+cmd|' /C calc'!A0");
    set("granted", "commercial", Some(-3), "-3");
    set("granted", "research", None, "-");
    set("granted", "public_interest", Some(5), "+5");
    set("granted", "legal_services", None, "-1+1");
    drop(a);

    let csv = nianbao_ok(&w, &["export", "--format", "csv"]);
    let rows = parse_csv(&csv);
    let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == id).collect();
    assert!(!mine.is_empty());
    for r in &mine {
        let f = CsvRow(r);
        assert_eq!(f.get("title"), format!("'{title}"));
        assert_eq!(f.get("agency"), format!("'{agency}"));
    }
    let cell = |col: &str| {
        let r = mine
            .iter()
            .find(|r| r[6] == "requests" && r[7] == "granted" && r[8] == col)
            .unwrap_or_else(|| panic!("no CSV row for granted.{col}"));
        (r[9].clone(), r[10].clone())
    };
    assert_eq!(
        cell("natural_person"),
        ("".into(), "'+cmd|' /C calc'!A0".into())
    );
    assert_eq!(
        cell("commercial"),
        ("-3".into(), "-3".into()),
        "a number stays a number"
    );
    assert_eq!(
        cell("research"),
        ("".into(), "-".into()),
        "a lone dash is a blank cell"
    );
    assert_eq!(cell("public_interest"), ("5".into(), "+5".into()));
    assert_eq!(
        cell("legal_services"),
        ("".into(), "'-1+1".into()),
        "a formula, not a number"
    );
    // Nowhere in the export does a field start a formula.
    for r in &rows[1..] {
        for field in r {
            if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(
                    field == "-" || field.parse::<f64>().is_ok(),
                    "formula reaches the CSV: {field:?}"
                );
            }
        }
    }
}
