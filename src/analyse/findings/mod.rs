//! Findings (SPEC §6): what a reviewer must know about a report that its tables' own
//! consistency rules (SPEC §3) do not say. Pure: no archive, no network; the types are
//! [`crate::model::Finding`] and its kinds ([`crate::model::What`]), which serialise to SPEC
//! §6's objects.
//!
//! | kind | module | takes | gives |
//! |---|---|---|---|
//! | `narrative_mismatch`: a number the prose states differs from the table cell (or sum of cells) it names | [`narrative`] | the report text and its parsed tables | one finding per contradicted cell; the claims read from the prose ([`narrative::claims`]) |
//! | `late`: published after the legal deadline (31 January for departments, 31 March for governments and development-zone 管委会; 31 March for everyone before report year 2019) | [`late`] | agency name, report year, publication date and its basis | at most one finding; date readers for pages and URLs |
//! | `copied`: a near copy of another agency's report, or of the same agency's previous year with unchanged tables | [`copies`] | report texts with agency, region and year; both reports' tables | masked text, MinHash signature and LSH band keys to store and look up, exact similarity, scope, finding |
//! | `outdated_format`: report year ≥ 2021 in the 2019 layout | [`form`] | a [`ParsedReport`] | at most one finding |
//! | `missing_table`: report year ≥ 2019 without table 二, 三 or 四 | [`form`] | a [`ParsedReport`] | one finding per absent table |
//! | `missing_rows`: a present table without rows its format prints | [`form`] | a [`ParsedReport`] with [`crate::model::Table::printed_rows`] | one finding per table |
//! | `edited`: changed after it was first archived | — | computed where the archive keeps versions | — |
//!
//! [`of_report`] computes every kind that needs only the report itself; `copied` needs the
//! other archived reports and is computed where they are: store each report's
//! [`copies::Signature`] and [`copies::Signature::band_keys`], look the band keys up, verify
//! the candidates with [`copies::similarity`] and call [`copies::finding`].
//!
//! Severities are documented on [`crate::model::What`]; each module's doc says why.

pub mod copies;
pub mod form;
pub mod late;
pub mod narrative;

use crate::model::{DateBasis, Finding, ParsedReport};
use chrono::NaiveDate;

/// What [`of_report`] needs of one report.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The report text as stored (prose and tables).
    pub text: &'a str,
    /// Its parsed tables, year, format and the parser's warnings.
    pub parsed: &'a ParsedReport,
    /// The agency, when known better than `parsed.agency` (the page's 发布机构, a seeds file).
    pub agency: Option<&'a str>,
    /// The report year, when known better than `parsed.year`.
    pub year: Option<i32>,
    /// The publication date the report page states ([`late::parse_date`],
    /// [`late::date_in_url`]).
    pub published: Option<NaiveDate>,
    /// The day the crawl first saw the report, used when the page states no date.
    pub first_seen: Option<NaiveDate>,
}

impl<'a> Report<'a> {
    /// A report known only by its text and parse.
    pub fn new(text: &'a str, parsed: &'a ParsedReport) -> Report<'a> {
        Report {
            text,
            parsed,
            agency: None,
            year: None,
            published: None,
            first_seen: None,
        }
    }
}

/// Every finding about `report` that needs no other report, in SPEC §6 order:
/// `narrative_mismatch`, `late`, `outdated_format`, `missing_table`, `missing_rows`.
pub fn of_report(report: &Report<'_>) -> Vec<Finding> {
    let agency = report.agency.or(report.parsed.agency.as_deref());
    let year = report.year.or(report.parsed.year);
    let mut parsed_year;
    let parsed = if year == report.parsed.year {
        report.parsed
    } else {
        parsed_year = report.parsed.clone();
        parsed_year.year = year;
        &parsed_year
    };
    let mut out = narrative::findings(report.text, &parsed.tables);
    let dated = report
        .published
        .map(|d| (d, DateBasis::Page))
        .or(report.first_seen.map(|d| (d, DateBasis::FirstSeen)));
    if let (Some(y), Some((date, basis))) = (year, dated) {
        out.extend(late::late(agency, y, date, basis));
    }
    out.extend(form::outdated_format(parsed));
    out.extend(form::missing_tables(parsed));
    out.extend(form::missing_rows(parsed));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Severity, What};
    use crate::parse::{self, Hints, Input};

    fn seed004() -> (String, ParsedReport) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/parse/seed004-huangzhong-2023-tab.txt");
        let text = std::fs::read_to_string(path).expect("fixture");
        let parsed = parse::parse(Input::Text(&text), &Hints::default());
        (text, parsed)
    }

    fn kinds(f: &[Finding]) -> Vec<(&'static str, Severity)> {
        f.iter().map(|f| (f.kind(), f.severity)).collect()
    }

    #[test]
    fn one_entry_point_for_the_per_report_kinds() {
        let (text, parsed) = seed004();
        let f = of_report(&Report::new(&text, &parsed));
        assert_eq!(kinds(&f), vec![("narrative_mismatch", Severity::Warning)]);

        // 湟中区 names no kind of agency: no deadline is guessed.
        let late_page = Report {
            published: NaiveDate::from_ymd_opt(2024, 5, 6),
            ..Report::new(&text, &parsed)
        };
        assert_eq!(of_report(&late_page).len(), 1);
        let known = Report {
            agency: Some("西宁市湟中区人民政府"),
            ..late_page
        };
        let f = of_report(&known);
        assert_eq!(
            kinds(&f),
            vec![
                ("narrative_mismatch", Severity::Warning),
                ("late", Severity::Warning)
            ]
        );
        assert!(matches!(f[1].what, What::Late { days_late: 36, .. }));
        let first_seen = Report {
            published: None,
            first_seen: NaiveDate::from_ymd_opt(2024, 5, 6),
            ..known
        };
        assert_eq!(of_report(&first_seen)[1].severity, Severity::Notice);
    }

    #[test]
    fn the_year_given_overrides_the_parsed_one() {
        let (text, mut parsed) = seed004();
        parsed.format = Some(crate::model::Format::F2019);
        let r = Report {
            year: Some(2022),
            ..Report::new(&text, &parsed)
        };
        assert!(of_report(&r).iter().any(|f| f.kind() == "outdated_format"));
        let r = Report {
            year: Some(2020),
            ..r
        };
        assert!(!of_report(&r).iter().any(|f| f.kind() == "outdated_format"));
    }
}
