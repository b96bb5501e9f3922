//! `late`: was the report published after its legal deadline (《政府信息公开条例》)?
//!
//! Takes the agency's name, the report year, a publication date and where that date comes
//! from; gives at most one [`Finding`]. Also reads publication dates as pages print them
//! ([`parse_date`], [`date_in_url`]), for the crawl and the extractor.
//!
//! Deadlines (SPEC §6): report years up to 2018 (2008 Regulations, art. 31): 31 March of the
//! following year for every body. From report year 2019 (2019 Regulations, art. 49): 31 January
//! for departments of governments at county level and above, 31 March for governments — an
//! agency whose name ends in 人民政府, or the 管理委员会 (管委会) of a development zone
//! (开发区, 高新区, 新区, 园区 …). Published on the deadline day is on time.
//!
//! **Unknown agency.** From 2019 the deadline depends on what the agency is. When the name is
//! missing, or does not end like an agency (人民政府, 局, 委员会, 办公室, 中心, 街道办事处 …;
//! see [`agency_kind`]), there is no finding: a wrong guess would be a false alarm of two months.
//! For report years up to 2018 the agency does not matter.
//!
//! **Severity.** `warning` when the date comes from the page and the report is at most a year
//! late; `notice` when the date is only the crawl's first sighting (the report may have been
//! published earlier), or when it is more than a year late — most such page dates are those
//! of a re-posted page after a site move (seed 002: a 2014 report dated 2017-10-23). A date
//! before the end of the report year is impossible for the report and gives no finding.

use crate::model::{DateBasis, Finding, Severity, What};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// What an agency is, for its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyKind {
    /// A people's government (人民政府), or a development zone's 管理委员会: 31 March.
    Government,
    /// A department or other body of a government: 31 January (from report year 2019).
    Department,
}

/// Name endings of a development zone's administration, treated as a government.
const ZONE_WORDS: &[&str] = &[
    "开发区",
    "高新区",
    "新区",
    "园区",
    "试验区",
    "合作区",
    "示范区",
    "保税区",
    "自贸区",
    "产业园",
    "经开区",
    "综合实验区",
];

/// Endings of a body that is not a government (departments, offices, dispatched bodies).
const DEPARTMENT_ENDINGS: &[&str] = &[
    "局",
    "委员会",
    "委",
    "办公室",
    "办公厅",
    "办",
    "厅",
    "部",
    "署",
    "院",
    "中心",
    "所",
    "站",
    "处",
    "队",
    "会",
    "街道办事处",
    "办事处",
    "管理处",
    "馆",
    "司",
];

/// What `name` is, from its ending; `None` when it does not end like an agency.
pub fn agency_kind(name: &str) -> Option<AgencyKind> {
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if name.ends_with("人民政府") {
        return Some(AgencyKind::Government);
    }
    if name.ends_with("管理委员会") || name.ends_with("管委会") {
        let zone = ZONE_WORDS.iter().any(|w| name.contains(w));
        return Some(if zone {
            AgencyKind::Government
        } else {
            AgencyKind::Department
        });
    }
    DEPARTMENT_ENDINGS
        .iter()
        .any(|e| name.ends_with(e))
        .then_some(AgencyKind::Department)
}

/// The publication deadline of `agency`'s report for `year`; `None` when it depends on what
/// the agency is and that is not known.
pub fn deadline(agency: Option<&str>, year: i32) -> Option<NaiveDate> {
    let next = year.checked_add(1)?;
    if year <= 2018 {
        return NaiveDate::from_ymd_opt(next, 3, 31);
    }
    match agency_kind(agency?)? {
        AgencyKind::Government => NaiveDate::from_ymd_opt(next, 3, 31),
        AgencyKind::Department => NaiveDate::from_ymd_opt(next, 1, 31),
    }
}

/// Days after which a page date is more likely a re-post than the publication.
const REPOST_DAYS: i64 = 365;

/// The `late` finding for a report of `agency` for `year` published on `published`, or `None`
/// when it was on time, the deadline is unknown, or the date cannot be the publication date.
pub fn late(
    agency: Option<&str>,
    year: i32,
    published: NaiveDate,
    basis: DateBasis,
) -> Option<Finding> {
    let deadline = deadline(agency, year)?;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31)?;
    if published <= year_end {
        return None;
    }
    let days_late = (published - deadline).num_days();
    if days_late <= 0 {
        return None;
    }
    let severity = if basis == DateBasis::Page && days_late <= REPOST_DAYS {
        Severity::Warning
    } else {
        Severity::Notice
    };
    let source = match basis {
        DateBasis::Page => "页面所载发布日期",
        DateBasis::FirstSeen => "首次抓取到本报告的日期",
    };
    let detail = format!(
        "{year}年度报告应于{}年{}月{}日前公开，{source}为{}，晚{days_late}天。",
        deadline.year(),
        deadline.month(),
        deadline.day(),
        published.format("%Y-%m-%d"),
    );
    Some(Finding {
        severity,
        detail,
        what: What::Late {
            deadline,
            published,
            days_late,
            basis,
        },
    })
}

/// Year, month and day with `-`, `/`, `.` or 年/月/日 between them (spaces allowed).
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\D|$)")
        .expect("static regex")
});

/// Eight digits `YYYYMMDD` not inside a longer run of digits.
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\D)((?:19|20)\d{2})(\d{2})(\d{2})(?:\D|$)").expect("static regex")
});

/// The first real date in `s` as pages print publication dates: `2024-01-20`,
/// `2024年1月20日`, `2024/1/20`, `2024.01.20`, `发布时间：2024-01-20 09:30`, `20240120`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    // NFKC: full-width digits and separators (２０２４－０１－２０) as ASCII.
    let s: String = s.nfkc().collect();
    DATE.captures_iter(&s)
        .chain(COMPACT.captures_iter(&s))
        .find_map(|c| ymd(c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str()))
}

/// `t20240120_123.html` (TRS), `/202401/t20240120_…`, `/art/2024/1/20/art_…` (Hanweb),
/// `/2024-01/20/content_…`, `/2024/01/20/`.
static URL_DATES: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    [
        r"[/_]t((?:19|20)\d{2})(\d{2})(\d{2})_",
        r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/",
        r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/",
        r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/",
    ]
    .map(|p| Regex::new(p).expect("static regex"))
});

/// A publication date written into a report page's URL by its CMS, if any.
pub fn date_in_url(url: &str) -> Option<NaiveDate> {
    URL_DATES.iter().find_map(|re| {
        let c = re.captures(url)?;
        ymd(c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str())
    })
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days(f: Option<Finding>) -> Option<(i64, Severity)> {
        let f = f?;
        match f.what {
            What::Late { days_late, .. } => Some((days_late, f.severity)),
            _ => None,
        }
    }

    #[test]
    fn agencies_are_governments_or_departments_by_their_names() {
        use AgencyKind::*;
        for (name, kind) in [
            ("淮安市人民政府", Some(Government)),
            ("淮安市洪泽区人民政府", Some(Government)),
            ("某镇人民政府", Some(Government)),
            ("北海高新区管委会", Some(Government)),
            ("苏州工业园区管理委员会", Some(Government)),
            ("某风景名胜区管理委员会", Some(Department)),
            ("西夏区人民政府办公室", Some(Department)),
            ("上海市人民政府办公厅", Some(Department)),
            ("某县统计局", Some(Department)),
            ("某市发展和改革委员会", Some(Department)),
            ("某区卫健委", Some(Department)),
            ("某街道办事处", Some(Department)),
            ("湟中区", None),
            ("", None),
        ] {
            assert_eq!(agency_kind(name), kind, "{name}");
        }
    }

    #[test]
    fn deadlines_follow_the_regulations_of_the_report_year() {
        assert_eq!(deadline(None, 2014), Some(d("2015-03-31")));
        assert_eq!(deadline(Some("某县统计局"), 2018), Some(d("2019-03-31")));
        assert_eq!(deadline(Some("某县统计局"), 2019), Some(d("2020-01-31")));
        assert_eq!(
            deadline(Some("淮安市人民政府"), 2024),
            Some(d("2025-03-31"))
        );
        assert_eq!(
            deadline(Some("北海高新区管委会"), 2024),
            Some(d("2025-03-31"))
        );
        assert_eq!(
            deadline(Some("湟中区"), 2023),
            None,
            "unknown agency: no guess"
        );
        assert_eq!(deadline(None, 2023), None);
    }

    #[test]
    fn the_deadline_day_is_on_time_the_day_after_is_late() {
        let dept = Some("某县统计局");
        let page = DateBasis::Page;
        assert_eq!(days(late(dept, 2023, d("2024-01-31"), page)), None);
        assert_eq!(
            days(late(dept, 2023, d("2024-02-01"), page)),
            Some((1, Severity::Warning))
        );
        let gov = Some("淮安市人民政府");
        assert_eq!(days(late(gov, 2023, d("2024-03-31"), page)), None);
        assert_eq!(
            days(late(gov, 2023, d("2024-04-10"), page)),
            Some((10, Severity::Warning))
        );
        assert_eq!(
            days(late(gov, 2023, d("2024-04-10"), DateBasis::FirstSeen)),
            Some((10, Severity::Notice))
        );
        // Leap year: 2024-02-29 exists.
        assert_eq!(
            days(late(dept, 2023, d("2024-02-29"), page)),
            Some((29, Severity::Warning))
        );
    }

    #[test]
    fn implausible_dates_give_no_warning() {
        // Seed 002: a 2014 report on a page dated 2017-10-23 (a re-post): a notice at most.
        let f = late(
            Some("吴忠市红寺堡区人民政府"),
            2014,
            d("2017-10-23"),
            DateBasis::Page,
        );
        assert_eq!(days(f), Some((937, Severity::Notice)));
        // A date inside the report year cannot be the report's publication.
        assert_eq!(
            days(late(
                Some("某县统计局"),
                2023,
                d("2023-06-01"),
                DateBasis::Page
            )),
            None
        );
        assert_eq!(
            days(late(Some("湟中区"), 2023, d("2024-06-01"), DateBasis::Page)),
            None
        );
    }

    #[test]
    fn the_finding_carries_the_spec_fields() {
        let f = late(Some("某县统计局"), 2023, d("2024-02-05"), DateBasis::Page).unwrap();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["kind"], "late");
        assert_eq!(v["deadline"], "2024-01-31");
        assert_eq!(v["published"], "2024-02-05");
        assert_eq!(v["days_late"], 5);
        assert_eq!(v["basis"], "page");
        assert!(f.detail.contains("2024年1月31日"), "{}", f.detail);
    }

    #[test]
    fn dates_as_pages_print_them() {
        for (s, want) in [
            ("2024-01-20", "2024-01-20"),
            ("2024年1月20日", "2024-01-20"),
            ("2024 年 1 月 20 日", "2024-01-20"),
            ("2024/1/20", "2024-01-20"),
            ("2024.01.20", "2024-01-20"),
            ("发布时间：2024-01-20 09:30", "2024-01-20"),
            ("发布日期：２０２４－０１－２０", "2024-01-20"),
            ("时间:2017-10-23 来源:红寺堡区人民政府办公室", "2017-10-23"),
            (
                "<meta name=\"PubDate\" content=\"2024-01-26 10:18\">",
                "2024-01-26",
            ),
            ("20240120", "2024-01-20"),
        ] {
            assert_eq!(parse_date(s), Some(d(want)), "{s}");
        }
        for s in [
            "2024-13-01",
            "2023-02-30",
            "电话：0951—2078503",
            "第2024号",
            "120240120",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn dates_in_urls() {
        for (url, want) in [
            (
                "http://www.example.gov.cn/zwgk/202401/t20240120_123.html",
                Some("2024-01-20"),
            ),
            (
                "http://www.fzja.gov.cn/xjwz/zfxxgknb/201707/t20170721_1341809.htm",
                Some("2017-07-21"),
            ),
            (
                "http://www.huaian.gov.cn/art/2025/1/23/art_1234_5678.html",
                Some("2025-01-23"),
            ),
            (
                "http://www.gov.cn/zhengce/content/2024-01/20/content_123.htm",
                Some("2024-01-20"),
            ),
            (
                "http://www.example.gov.cn/2024/01/20/a.html",
                Some("2024-01-20"),
            ),
            ("http://www.example.gov.cn/col/col123/index.html", None),
            ("http://www.example.gov.cn/zwgk/t20241320_1.html", None),
        ] {
            assert_eq!(date_in_url(url), want.map(d), "{url}");
        }
    }
}
