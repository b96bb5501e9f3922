//! Fuzz target: the HTML table parser (grids with rowspan/colspan, Word markup, nested tables)
//! and `html_table_grids`. Any input must parse without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::parse::{self, checks, Hints, Input};

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let report = parse::parse(Input::Html(&html), &Hints::default());
    let _ = checks::evaluate(&report.tables);
    for grid in parse::html_table_grids(&html) {
        let width = grid.rows.first().map_or(0, Vec::len);
        assert!(
            grid.rows.iter().all(|r| r.len() == width),
            "grid rows must be of equal length"
        );
    }
});
