//! Fuzz target: the flattened-text table parser (pipe rows, tabs, one cell per line,
//! `pdftotext -layout`). Any input must parse without panicking, and the checks and the
//! terminal rendering of whatever it finds must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::parse::{self, checks, render, Hints, Input};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = parse::parse(Input::Text(&text), &Hints::default());
    let found = checks::evaluate(&report.tables);
    let _ = render::terminal(&report, &found);
});
